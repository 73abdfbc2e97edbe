"""Rules shared by digests, prints and posters: which documents are notices, which are current,
what a village sees, and where a document lives online.

Everything here is a pure function of the validated `Site` (and the build's base URL), so the
digest, the print pages and the tests agree on one definition.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..models import Attribute, Document
from ..render import urls
from ..site import NOTICE_KINDS, Site, doc_date, is_notice, sort_newest  # noqa: F401 (re-exported)

#: A notice without `valid_until` stays on the poster this many days after it was published.
#: (Provincial village-affairs rules ask for at least 5 days; a month keeps it readable.)
DEFAULT_NOTICE_DAYS = 30


def notice_end(doc: Document) -> date:
    """Last day the notice is posted: valid_until, else DEFAULT_NOTICE_DAYS after publication."""
    if doc.valid_until is not None:
        return doc.valid_until
    return doc_date(doc) + timedelta(days=DEFAULT_NOTICE_DAYS)


def is_current_notice(doc: Document, today: date) -> bool:
    """Published by `today` and not yet past its notice period."""
    return is_notice(doc) and doc_date(doc) <= today <= notice_end(doc)


def notice_ids(site: Site) -> list[str]:
    """Every public notice (主动公开 or 依申请公开 metadata), newest first."""
    return sort_newest(site, [i for i, d in site.public_documents.items() if is_notice(d.model)])


def village_scope(site: Site, slug: str) -> list[str]:
    """What a village reads: documents addressed to it plus town-wide ones, newest first."""
    own = set(site.documents_by_village.get(slug, []))
    town_wide = {i for i, d in site.public_documents.items() if not d.model.villages}
    return sort_newest(site, list(own | town_wide))


class Boards:
    """The 公示栏 of every village on `site.today`, computed once for all villages."""

    def __init__(self, site: Site):
        self.site = site
        self.notices = notice_ids(site)
        self.current = {i for i in self.notices if is_current_notice(site.documents[i].model, site.today)}
        self.town_wide = [i for i in self.notices if i in self.current and not site.documents[i].model.villages]

    def __digest__(self) -> object:
        """What the build engine compares between builds (not the site it points to)."""
        return self.notices, sorted(self.current), self.town_wide

    def current_for(self, slug: str) -> list[str]:
        """Notices to post on a village's 公示栏 today: its own and town-wide ones, still current."""
        own = [i for i in self.site.documents_by_village.get(slug, []) if i in self.current]
        return sort_newest(self.site, list(set(own) | set(self.town_wide)))


def current_notices(site: Site, slug: str) -> list[str]:
    return Boards(site).current_for(slug)


def online(base_url: str | None, path: str) -> tuple[str, bool]:
    """(what a link or QR code should carry, whether it is an absolute URL).

    With a base URL the absolute address; without one the percent-encoded path relative to the
    site root (e.g. ``documents/2026/x.html``), which the page must explain.
    """
    absolute = urls.absolute(base_url, path)
    return (absolute, True) if absolute else (urls.href(path), False)


def is_public(site: Site, doc_id: str) -> bool:
    entry = site.documents.get(doc_id)
    return entry is not None and entry.model.attribute is not Attribute.WITHHELD
