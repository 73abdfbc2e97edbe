"""Where every page lives in `site/`, and how pages link to each other.

Every link is relative and points at a file (never a folder), so the site works from `file://`
on a kiosk PC and under any sub-path of a web host. Page paths are site-root-relative POSIX
paths; templates prefix them with `root` (e.g. "../../") computed from the current page.
"""

from __future__ import annotations

from urllib.parse import quote

PAGE_SIZE = 50


def document(doc_id: str) -> str:
    return f"documents/{doc_id}.html"


def print_document(doc_id: str) -> str:
    """The A4 notice-board print of a document (written by gongkai.reach.prints)."""
    return f"print/{document(doc_id)}"


def item(item_id: str) -> str:
    return f"items/{item_id}.html"


def area(slug: str) -> str:
    return f"catalog/{slug}.html"


def village(slug: str) -> str:
    return f"villages/{slug}.html"


def guide(slug: str) -> str:
    return f"guides/{slug}.html"


def consultation(slug: str) -> str:
    return f"consultations/{slug}.html"


def kind(name: str, page: int = 1) -> str:
    return f"kinds/{name}.html" if page == 1 else f"kinds/{name}-{page}.html"


def listing(page: int = 1) -> str:
    return "documents/index.html" if page == 1 else f"documents/page-{page}.html"


def year(y: int, page: int = 1) -> str:
    return f"years/{y}.html" if page == 1 else f"years/{y}-{page}.html"


def attachment(rel: str) -> str:
    """Attachments keep their path under content/ (attachments/...)."""
    return rel


def feed_town() -> str:
    return "feed.xml"


def feed_village(slug: str) -> str:
    return f"feeds/village-{slug}.xml"


def feed_area(slug: str) -> str:
    return f"feeds/area-{slug}.xml"


INDEX = "index.html"
CATALOG = "catalog/index.html"
VILLAGES = "villages/index.html"
GUIDES = "guides/index.html"
CONSULTATIONS = "consultations/index.html"
INTERPRETATIONS = "interpretations/index.html"
SEARCH = "search.html"
APPLY = "apply.html"
APPLY_FORM = "apply-form.html"  # 政府信息公开申请表 (A4, printable)
SYSTEMS = "systems.html"  # 政府信息公开制度
STATUTORY = "statutory.html"  # 法定主动公开内容
ANNUAL_REPORTS = "annual-reports.html"  # 政府信息公开工作年度报告
DISCLOSURE_GUIDE = "disclosure-guide.html"  # 政府信息公开指南
NOT_FOUND = "404.html"
# top-level folders made outside the page plan (assets, open data, prints, search index, feeds)
OTHER_TOP_DIRS = frozenset({"assets", "data", "feeds", "print", "search"})


def root_of(page_path: str) -> str:
    """Prefix leading from `page_path` back to the site root ('' or '../' repeated)."""
    return "../" * page_path.count("/")


def href(path: str) -> str:
    """Percent-encode a site path for use in href (Chinese file names work offline too)."""
    return quote(path, safe="/#?=&-._~")


def absolute(base_url: str | None, path: str) -> str | None:
    return base_url + href(path) if base_url else None
