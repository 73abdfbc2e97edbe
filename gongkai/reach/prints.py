"""Notice-board prints: one A4 page per notice and per village, and a village 公示栏 poster.

Pages live under `print/` in the site, are self-contained (inline CSS and inline SVG QR codes,
no scripts or files from elsewhere) and so print the same from a web host, a kiosk or file://.
Only public documents are printed; a 依申请公开 print shows metadata and how to apply, never
the body. What each page shows is decided here; the templates only lay it out.

Print pages are ordinary pages of the build: `print_pages(site)` lists them as `Page`s (kinds
`print_*`), `Renderer.context` builds their context with `print_context`, and the render pool
renders them on every core and reuses unchanged ones like any other page (their key hashes the
context). A context holds what a QR code encodes, not the image: `QR.svg` makes the SVG when the
template is rendered, so a page whose key is unchanged never makes its codes again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, warning
from ..engine import derivation
from ..models import Attribute, Level
from ..render import urls
from ..render.markup import render_markdown, summarise
from ..render.pages import Page
from ..render.views import doc_view, iso
from ..site import Site, doc_date
from .notices import Boards, is_notice, notice_end, online
from .qr import qr_svg

SUMMARY_CHARS = 60


def document_print(doc_id: str) -> str:
    return urls.print_document(doc_id)


def village_print(slug: str) -> str:
    return f"print/villages/{slug}.html"


def poster(slug: str) -> str:
    return f"print/posters/{slug}.html"


@dataclass(frozen=True)
class QR:
    target: str  # what the code encodes
    absolute: bool  # False: a path relative to the site root (no base URL known)
    note: str  # the sentence printed under the code

    @property
    def svg(self) -> str:
        """The inline <svg>, made when the template reads it (a function of `target` only)."""
        return qr_svg(self.target)


def make_qr(base_url: str | None, path: str, what: str) -> QR:
    target, absolute = online(base_url, path)
    if absolute:
        note = f"手机扫码查看{what}：{target}"
    else:
        note = (
            f"本站尚未设置正式网址（site.yaml 中的 base_url），二维码内容是站内路径“{target}”，"
            f"请在放置本网站的电脑上打开该路径查看{what}；设置网址后重新生成，手机扫码即可直接打开。"
        )
    return QR(target, absolute, note)


def _contact_for(site: Site, doc_id: str) -> str:
    """Who to tell about an objection: the village committee for a one-village notice, else the town."""
    meta = site.documents[doc_id].model
    if len(meta.villages) == 1 and meta.villages[0] in site.villages:
        v = site.villages[meta.villages[0]].model
        if v.contact:
            return f"{v.committee}（电话：{v.contact}）"
    town = site.town.model
    phone = next((c.phone for c in town.contacts if c.phone), None)
    issuer = meta.issuer or town.name
    return f"{issuer}（电话：{phone}）" if phone else issuer


def notice_lines(site: Site, doc_id: str) -> list[str]:
    """Sentences about the notice period, for the print and the poster."""
    meta = site.documents[doc_id].model
    if not is_notice(meta):
        return []
    start = iso(doc_date(meta))
    if meta.valid_until is None:
        return [f"发布日期：{start}"]
    end = iso(meta.valid_until)
    if meta.valid_until < site.today:
        return [f"公示期：{start} 至 {end}（已过公示期，现作为存档保留）"]
    return [f"公示期：{start} 至 {end}", f"公示期内如有异议，请向{_contact_for(site, doc_id)}反映。"]


def _summary_line(site: Site, doc_id: str) -> str:
    meta = site.documents[doc_id].model
    if meta.attribute is not Attribute.ACTIVE:
        return meta.attribute.label
    from ..render.views import doc_summary

    return summarise(doc_summary(site, doc_id).summary, SUMMARY_CHARS)


def ctx_document(site: Site, doc_id: str, base_url: str | None) -> dict[str, Any]:
    view = doc_view(site, doc_id)  # asserts the document is public
    meta = site.documents[doc_id].model
    path = document_print(doc_id)
    on_request = meta.attribute is Attribute.ON_REQUEST
    return {
        "page_title": meta.title,
        "town": site.town.model.name,
        "root": urls.root_of(path),
        "online_href": urls.href(urls.document(doc_id)),
        "canonical": urls.absolute(base_url, urls.document(doc_id)) or "",
        "doc": view,
        "on_request": on_request,
        "apply_html": render_markdown(site.town.model.apply) if on_request else "",
        "notice_lines": notice_lines(site, doc_id),
        "issuer": view.issuer,
        "signed_date": iso(doc_date(meta)),
        "attachments": [a.title for a in view.attachments],
        "qr": make_qr(base_url, urls.document(doc_id), "本文件网上原文" if not on_request else "本文件信息和申请方式"),
        "sample": any(site.villages[s].model.sample for s in meta.villages if s in site.villages),
    }


def _village_head(site: Site, slug: str) -> dict[str, Any]:
    v = site.villages[slug].model
    rows = [("村（居）民委员会", v.committee)]
    if v.contact_person:
        rows.append(("联系人", v.contact_person))
    if v.contact:
        rows.append(("联系电话", v.contact))
    if v.notice_board:
        rows.append(("公示栏位置", v.notice_board))
    return {"name": v.name, "kind": v.kind.value, "sample": v.sample, "rows": rows, "description": v.description or ""}


def _notice_card(site: Site, doc_id: str, base_url: str | None, root: str) -> dict[str, Any]:
    meta = site.documents[doc_id].model
    return {
        "id": doc_id,
        "title": meta.title,
        "kind": meta.kind.value,
        "doc_number": meta.doc_number or "",
        "date": iso(doc_date(meta)),
        "until": iso(notice_end(meta)),
        "explicit_until": meta.valid_until is not None,
        "summary": _summary_line(site, doc_id),
        "scope": "、".join(site.villages[s].model.name for s in meta.villages if s in site.villages) or "全镇",
        "print_href": root + urls.href(document_print(doc_id)),
        "qr": make_qr(base_url, urls.document(doc_id), "网上原文"),
    }


def ctx_village(site: Site, slug: str, base_url: str | None, current: list[str]) -> dict[str, Any]:
    path = village_print(slug)
    root = urls.root_of(path)
    village = site.villages[slug].model
    item_ids = village.items or [i for i, ref in site.items.items() if Level.VILLAGE in ref.item.level]
    notices = [
        {"title": c["title"], "date": c["date"], "until": c["until"], "explicit_until": c["explicit_until"],
         "scope": c["scope"], "kind": c["kind"]}
        for c in (_notice_card(site, i, base_url, root) for i in current)
    ]
    return {
        "page_title": f"{village.name} 村务公开",
        "root": root,
        "online_href": urls.href(urls.village(slug)),
        "poster_href": root + urls.href(poster(slug)),
        "canonical": urls.absolute(base_url, urls.village(slug)) or "",
        "village": _village_head(site, slug),
        "notices": notices,
        "items": [
            {"name": site.items[i].item.name, "time_limit": site.items[i].item.time_limit, "content": site.items[i].item.content}
            for i in item_ids if i in site.items
        ],
        "town": site.town.model.name,
        "today": iso(site.today),
        "qr": make_qr(base_url, urls.village(slug), f"{village.name}村务公开网页"),
    }


def _objection(site: Site, slug: str) -> str:
    v = site.villages[slug].model
    who = f"{v.committee}（电话：{v.contact}）" if v.contact else v.committee
    return f"公示期内如有异议，请向{who}或{site.town.model.short_name}人民政府反映。"


def ctx_poster(site: Site, slug: str, base_url: str | None, current: list[str]) -> dict[str, Any]:
    path = poster(slug)
    root = urls.root_of(path)
    village = site.villages[slug].model
    return {
        "page_title": f"{village.name} 公示栏",
        "root": root,
        "online_href": urls.href(urls.village(slug)),
        "village_print_href": root + urls.href(village_print(slug)),
        "canonical": urls.absolute(base_url, urls.village(slug)) or "",
        "village": _village_head(site, slug),
        "cards": [_notice_card(site, i, base_url, root) for i in current],
        "town": site.town.model.name,
        "today": iso(site.today),
        "objection": _objection(site, slug),
        "qr": make_qr(base_url, urls.village(slug), f"{village.name}全部公开信息"),
    }


KINDS = ("print_document", "print_village", "print_poster")


def boards(site: Site) -> Boards:
    """Every village's 公示栏 on `site.today`, once per build (before the render workers fork)."""
    return site.derived.memo(("boards", ""), lambda: Boards(site))  # type: ignore[attr-defined, no-any-return]


@derivation("boards")
def _boards(site: Site, key: tuple[str, str]) -> Boards:
    return boards(site)


def print_pages(site: Site) -> list[Page]:
    """Every print page, in a deterministic order: each notice, then each village's print and poster."""
    pages = [Page(document_print(i), "print/document.html", "print_document", (i,)) for i in boards(site).notices]
    for slug in site.villages:
        pages.append(Page(village_print(slug), "print/village.html", "print_village", (slug,)))
        pages.append(Page(poster(slug), "print/poster.html", "print_poster", (slug,)))
    return pages


def qr_targets(site: Site, base_url: str | None) -> set[str]:
    """What the QR codes of all print pages encode: each notice's and each village's online page."""
    return ({online(base_url, urls.document(i))[0] for i in boards(site).notices}
            | {online(base_url, urls.village(s))[0] for s in site.villages})


def print_context(site: Site, page: Page, base_url: str | None) -> dict[str, Any]:
    """The whole context of a print page (the prints have no site header, so nothing is added)."""
    if page.kind == "print_document":
        return ctx_document(site, page.key[0], base_url)
    slug = page.key[0]
    current = boards(site).current_for(slug)
    if page.kind == "print_village":
        return ctx_village(site, slug, base_url, current)
    if page.kind == "print_poster":
        return ctx_poster(site, slug, base_url, current)
    raise KeyError(page.kind)


NO_BASE_URL = "prints.no_base_url"


def base_url_warning(site: Site, base_url: str | None) -> Diagnostic | None:
    """Print pages carry QR codes of the online pages: without a base URL they can only encode a
    path inside the site, which a phone cannot open. A warning at site.yaml, or None."""
    if base_url or not print_pages(site):
        return None
    count = len(print_pages(site))
    return warning(
        site.town.path, 1, 1,
        f"没有设置网站正式网址（base_url）：{count} 个公示栏打印页和海报上的二维码只能写站内路径，手机扫码无法打开",
        "请在 site.yaml 中填写 base_url（网站发布后的网址，例如县政府门户网站上本镇栏目的地址 "
        "https://www.example.gov.cn/yongsui/），或生成时用 --base-url 指定",
        NO_BASE_URL,
    )
