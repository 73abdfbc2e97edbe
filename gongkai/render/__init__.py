"""Render stage: the validated `Site` → page bytes. Pure: nothing here touches `site/`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..frame import Frame
from ..resources import template_dirs
from ..site import Site
from . import favicon, feeds, urls
from .env import make_env
from .markup import number_table_regions
from .pages import Catalogue, Page, context, plan

NAV = [
    ("首页", urls.INDEX),
    ("公开指南", urls.DISCLOSURE_GUIDE),
    ("公开制度", urls.SYSTEMS),
    ("法定主动公开内容", urls.STATUTORY),
    ("年度报告", urls.ANNUAL_REPORTS),
    ("公开目录", urls.CATALOG),
    ("全部信息", urls.listing()),
    ("村务公开", urls.VILLAGES),
    ("政策解读", urls.INTERPRETATIONS),
    ("征求意见", urls.CONSULTATIONS),
    ("办事指南", urls.GUIDES),
    ("依申请公开", urls.APPLY),
]


@dataclass
class Renderer:
    """Holds what every page shares (environment, listings); renders one page at a time."""

    site: Site
    templates: Path | None = None
    base_url: str | None = None
    bytecode: Path | None = None  # where compiled templates are kept between builds (the build cache)
    bytecode_key: bytes | None = None  # the machine key sealing them (none: no bytecode cache)
    frame: Frame | None = None  # county section / portal column (frame.py); None: a website of its own

    def __post_init__(self) -> None:
        self.env = make_env(template_dirs(self.templates), self.bytecode, self.bytecode_key)
        self.cat = Catalogue(self.site)
        town = self.site.town.model
        self.globals: dict[str, Any] = {
            "town": {
                "name": town.name, "short_name": town.short_name, "county": town.county,
                "city": town.city or "", "province": town.province or "", "description": town.description or "",
                "contacts": [c.model_dump() for c in town.contacts],
            },
            "identity": town.identity.model_dump() if town.identity else None,
            "nav": NAV,
            "feed_url": urls.feed_town(),
            "frame": (self.frame or Frame()).context(),
        }

    def pages(self) -> list[Page]:
        return plan(self.site, self.cat)

    def render(self, page: Page) -> bytes:
        return self.render_context(page, self.context(page))

    def context(self, page: Page) -> dict[str, Any]:
        """Everything the page's template reads (the incremental build hashes exactly this)."""
        if page.kind.startswith("print_"):  # notice-board prints: self-contained, no site frame
            from ..reach.prints import print_context

            return print_context(self.site, page, self.base_url)
        ctx = dict(self.globals)
        ctx.update(context(self.site, self.cat, page))
        ctx["root"] = urls.root_of(page.path)
        ctx["page_path"] = page.path
        ctx["canonical"] = urls.absolute(self.base_url, page.path) or ""
        ctx["nav_current"] = page.path
        if page.kind == "not_found":  # served at any depth: self-contained, links from the root
            ctx["site_url"] = self.base_url or ""
            ctx["top_dirs"] = self.top_dirs()
            ctx["favicon_data"] = "data:image/svg+xml," + quote(favicon.svg())
        return ctx

    def top_dirs(self) -> list[str]:
        """The site's top-level folders: a missing address inside one of them tells where the
        site root is (the 404 page's links start there)."""
        pages = {p.path.split("/")[0] for p in self.pages() if "/" in p.path}
        return sorted(pages | set(self.site.attachment_dirs) | urls.OTHER_TOP_DIRS)

    def render_context(self, page: Page, ctx: dict[str, Any]) -> bytes:
        return number_table_regions(self.env.get_template(page.template).render(ctx)).encode("utf-8")

    def feeds(self) -> list[tuple[str, Callable[[], bytes]]]:
        """Every Atom feed as (path, make): made one by one, so a quick rebuild remakes a few."""
        site, cat = self.site, self.cat
        out: list[tuple[str, Callable[[], bytes]]] = []

        def feed(path: str, title: str, ids: Callable[[], list[str]]) -> None:
            out.append((path, lambda: feeds.atom(site, path, title, ids(), cat.summaries, self.base_url).encode()))

        feed(urls.feed_town(), f"{site.town.model.name} 政务公开", lambda: cat.public_ids)
        for slug, village in site.villages.items():
            feed(urls.feed_village(slug), f"{village.model.name} 村务公开",
                 lambda slug=slug: site.documents_by_village.get(slug, []))
        for slug, area in site.areas.items():
            feed(urls.feed_area(slug), f"{site.town.model.short_name} {area.model.area}", lambda area=area: sorted(
                {i for item in area.model.items for i in site.documents_by_item.get(item.id, [])},
                key=cat.rank.__getitem__,
            ))
        return out

    def site_files(self, page_paths: list[str]) -> Iterator[tuple[str, bytes]]:
        """sitemap.xml (with a base URL), robots.txt and the icon. `page_paths`: every page of the
        site, also those made outside this renderer (open data)."""
        for name, make in favicon.FILES.items():
            yield name, make()
        if self.base_url:
            yield "sitemap.xml", feeds.sitemap(self.base_url, [p for p in page_paths if p != urls.NOT_FOUND]).encode()
        yield "robots.txt", feeds.robots(self.base_url).encode()

__all__ = ["Catalogue", "Page", "Renderer", "plan"]
