"""View objects: what templates receive. Built from the `Site`; templates hold no rules.

Everything a template shows is decided here (labels, statuses, which links exist), so the
templates stay pure presentation and can be overridden by a town without touching the rules.
Only public information enters a view: a 不予公开 document never becomes a view, and the body of
a 依申请公开 document is never rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from ..models import Attribute, Document, KeyArea, Level, Validity
from ..rules.validity import amended_by, current_validity, repealed_by
from ..site import Site, doc_date, is_notice
from . import urls
from .markup import plain_text, render_markdown, summarise

T = TypeVar("T")


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # site-root-relative, already percent-encoded
    note: str = ""


@dataclass(frozen=True)
class AttachmentLink:
    """An attachment in a document's list: its link downloads, saved under `name` (the file name)."""

    title: str
    url: str  # site-root-relative, already percent-encoded
    name: str


@dataclass(frozen=True)
class DocSummary:
    """A document as it appears in lists, feeds and search."""

    id: str
    title: str
    url: str
    kind: str
    date: str
    doc_number: str
    attribute: str
    attribute_label: str
    on_request: bool
    villages: tuple[Link, ...]
    area: str
    item: str
    status: str  # "" | "公示中" | "已过公示期"
    summary: str


@dataclass(frozen=True)
class DocView:
    summary: DocSummary
    index_number: str
    issuer: str
    created: str
    published: str
    valid_until: str
    item_link: Link | None
    area_link: Link | None
    body_html: str
    attachments: tuple[AttachmentLink, ...]
    interpretations: tuple[Link, ...]
    interprets: Link | None
    restates: Link | None
    qa: tuple[tuple[str, str], ...]
    form: str
    topic: str
    keywords: str
    validity: str
    meta_rows: tuple[tuple[str, str], ...] = field(default=())
    repealed: bool = False  # a published decision repeals it (rules/validity.py)
    amended: bool = False
    repealed_by: tuple[Link, ...] = ()  # the decisions that repeal it
    amended_by: tuple[Link, ...] = ()
    repeals: tuple[Link, ...] = ()  # the documents this decision repeals
    amends: tuple[Link, ...] = ()
    print_url: str = ""  # the A4 notice-board print (公示/公告 and documents with a notice period)


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def notice_status(doc: Document, today: date) -> str:
    if doc.valid_until is None:
        return ""
    return "已过公示期" if doc.valid_until < today else "公示中"


def is_expired(doc: Document, today: date) -> bool:
    return doc.valid_until is not None and doc.valid_until < today


def village_links(site: Site, slugs: list[str]) -> tuple[Link, ...]:
    return tuple(
        Link(site.villages[s].model.name, urls.href(urls.village(s))) for s in slugs if s in site.villages
    )


def _memo(site: Site, key: tuple[str, str], compute: Callable[[], T]) -> T:
    """Compute a per-document value once per build; `Site.derived` is shared by every stage."""
    return site.derived.memo(key, compute)  # type: ignore[attr-defined, no-any-return]


def body_html(site: Site, doc_id: str) -> str:
    """Sanitised HTML of a document body, converted once per build."""
    return _memo(site, ("html", doc_id), lambda: render_markdown(site.documents[doc_id].body))


def doc_text(site: Site, doc_id: str) -> str:
    """Plain text of a public body, once per build ('' for 依申请公开: never published)."""

    def compute() -> str:
        public = site.documents[doc_id].model.attribute is Attribute.ACTIVE
        return plain_text(body_html(site, doc_id)) if public else ""

    return _memo(site, ("text", doc_id), compute)


def doc_summary(site: Site, doc_id: str) -> DocSummary:
    return _memo(site, ("summary", doc_id), lambda: _doc_summary(site, doc_id))


def _doc_summary(site: Site, doc_id: str) -> DocSummary:
    entry = site.documents[doc_id]
    meta = entry.model
    ref = site.items.get(meta.item or "")
    text = meta.summary or (summarise(doc_text(site, doc_id)) if meta.attribute is Attribute.ACTIVE else "")
    return DocSummary(
        id=doc_id,
        title=meta.title,
        url=urls.href(urls.document(doc_id)),
        kind=meta.kind.value,
        date=iso(doc_date(meta)),
        doc_number=meta.doc_number or "",
        attribute=meta.attribute.value,
        attribute_label=meta.attribute.label,
        on_request=meta.attribute is Attribute.ON_REQUEST,
        villages=village_links(site, meta.villages),
        area=ref.area.area if ref else "",
        item=ref.item.name if ref else "",
        status=notice_status(meta, site.today),
        summary=text,
    )


def _doc_link(site: Site, doc_id: str | None) -> Link | None:
    if not doc_id or doc_id not in site.public_documents:
        return None  # never link to a withheld document
    return Link(site.documents[doc_id].model.title, urls.href(urls.document(doc_id)))


VALIDITY_LABELS = {
    Validity.VALID: "有效",
    Validity.EXPIRED: "已失效",
    Validity.REPEALED: "已废止",
    Validity.AMENDED: "已修订",
}


def _links(site: Site, ids: list[str]) -> tuple[Link, ...]:
    return tuple(link for i in ids if (link := _doc_link(site, i)))


def doc_view(site: Site, doc_id: str) -> DocView:
    entry = site.documents[doc_id]
    meta = entry.model
    assert meta.attribute is not Attribute.WITHHELD, "withheld documents are never rendered"
    public_body = meta.attribute is Attribute.ACTIVE
    ref = site.items.get(meta.item or "")
    summary = doc_summary(site, doc_id)
    item_link = Link(ref.item.name, urls.href(urls.item(ref.item.id))) if ref else None
    area_link = Link(ref.area.area, urls.href(urls.area(ref.area_slug))) if ref else None
    attachments = tuple(
        AttachmentLink(a.title or a.file.rsplit("/", 1)[-1], urls.href(urls.attachment(a.file)), a.file.replace("\\", "/").rsplit("/", 1)[-1])
        for a in meta.attachments
    ) if public_body else ()
    issuer = meta.issuer or site.town.model.name
    villages = "、".join(v.title for v in summary.villages) or "全镇"
    rows = [
        ("索引号", site.index_numbers[doc_id]),
        ("主题分类", meta.topic or (ref.area.area if ref else "")),
        ("发布机构", issuer),
        ("成文日期", iso(meta.created)),
        ("发布日期", iso(meta.published)),
        ("发文字号", meta.doc_number or "无"),
        ("所属事项", ref.item.name if ref else ""),
        ("适用村（社区）", villages),
        ("文种", meta.kind.value),
        ("公开属性", meta.attribute.value),
    ]
    if meta.keywords:
        rows.append(("主题词", "、".join(meta.keywords)))
    validity = current_validity(site, doc_id)
    if validity:
        rows.append(("有效性", VALIDITY_LABELS[validity]))
    if meta.valid_until:
        rows.append(("公示截止", iso(meta.valid_until)))
    return DocView(
        summary=summary,
        index_number=site.index_numbers[doc_id],
        issuer=issuer,
        created=iso(meta.created),
        published=iso(meta.published),
        valid_until=iso(meta.valid_until),
        item_link=item_link,
        area_link=area_link,
        body_html=body_html(site, doc_id) if public_body else "",
        attachments=attachments,
        interpretations=tuple(
            link for i in site.interpretations_of.get(doc_id, []) if (link := _doc_link(site, i))
        ) if public_body else (),
        interprets=_doc_link(site, meta.interprets),
        restates=_doc_link(site, meta.restates),
        qa=tuple((qa.q, render_markdown(qa.a)) for qa in meta.qa) if public_body else (),
        form=meta.form.value if meta.form else "",
        topic=meta.topic or "",
        keywords="、".join(meta.keywords),
        validity=VALIDITY_LABELS[validity] if validity else "",
        meta_rows=tuple((k, v) for k, v in rows if v),
        repealed=validity is Validity.REPEALED,
        amended=validity is Validity.AMENDED,
        repealed_by=_links(site, repealed_by(site).get(doc_id, [])),
        amended_by=_links(site, amended_by(site).get(doc_id, [])),
        repeals=_links(site, meta.repeals),
        amends=_links(site, meta.amends),
        print_url=urls.href(urls.print_document(doc_id)) if is_notice(meta) else "",
    )


def key_area_of(site: Site, doc_id: str) -> str:
    """Which of the six village key areas a document belongs to ('其他' if none)."""
    ref = site.items.get(site.documents[doc_id].model.item or "")
    if ref is None:
        return "其他"
    if ref.item.key_area:
        return ref.item.key_area.value
    names = {k.value for k in KeyArea}
    return ref.area.area if ref.area.area in names else "其他"


def is_village_notice(site: Site, doc_id: str) -> bool:
    """A notice of the village itself (a 村级 item), as opposed to a town document for it."""
    ref = site.items.get(site.documents[doc_id].model.item or "")
    return bool(ref and Level.VILLAGE in ref.item.level)
