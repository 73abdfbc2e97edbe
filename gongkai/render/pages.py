"""The page plan: which pages exist, and the context each is rendered with.

`plan(site)` lists every page as a small, picklable `Page` (template, output path, key). The
context of a page is built by a pure function of the site and that key, so pages can be rendered
in any order, in any process, and re-rendered alone when only their inputs changed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from ..engine import Summaries, facet_of
from ..models import (
    ARTICLES,
    CHANNEL_ORDER,
    FIVE_PUBLIC_ORDER,
    ApplyChannel,
    Attribute,
    DocKind,
    KeyArea,
    Level,
    StatutoryCategory,
)
from ..rules.village_schedule import VillageItemStatus, VillageStatus, village_schedules
from ..site import Site, doc_date
from . import urls
from .markup import render_markdown
from .views import Link, doc_summary, doc_view, is_expired, is_village_notice, key_area_of

LATEST_ON_HOME = 12
SHOWN_STATUSES = ("正常", "缺项")


@dataclass(frozen=True)
class Page:
    path: str  # output path relative to site/
    template: str
    kind: str  # context builder name
    key: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    prev: str
    next: str
    total: int


class Catalogue:
    """Shared listings computed once per build (and once per worker process)."""

    def __init__(self, site: Site):
        self.site = site

    @property
    def _entry(self) -> Callable[[str], Any]:
        """A document by id for the lookups below: they are computed untracked (`engine.facet`),
        so the plain dict is read, without a call per lookup."""
        return partial(dict.__getitem__, self.site.documents)

    @facet_of("catalogue")
    def public_ids(self) -> list[str]:
        from ..site import sort_newest

        return sort_newest(self.site, list(self.site.public_documents))

    @facet_of("catalogue")
    def rank(self) -> dict[str, int]:
        """Position of each public document in newest-first order."""
        return {doc_id: n for n, doc_id in enumerate(self.public_ids)}

    @facet_of("catalogue", record=False)  # its lookups are recorded one by one
    def summaries(self) -> dict[str, Any]:
        return Summaries(self.public_ids, partial(doc_summary, self.site))  # each made when first read

    @facet_of("catalogue", by_id=True)  # its entries are recorded one by one (`Lookup`)
    def by_kind(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        entry = self._entry
        for i in self.public_ids:
            out[entry(i).model.kind.value].append(i)
        return {k.value: out[k.value] for k in DocKind if out.get(k.value)}

    @facet_of("catalogue")
    def by_year(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        entry = self._entry
        for i in self.public_ids:
            out[doc_date(entry(i).model).year].append(i)
        return dict(sorted(out.items(), reverse=True))

    @facet_of("catalogue")
    def interpretations(self) -> list[str]:
        entry = self._entry
        return [i for i in self.public_ids if entry(i).model.kind is DocKind.INTERPRETATION]

    @facet_of("catalogue")
    def town_wide(self) -> list[str]:
        """The newest documents addressed to the whole town (shown on every village page)."""
        entry = self._entry
        return [i for i in self.public_ids if not entry(i).model.villages][:10]

    @facet_of("catalogue")
    def item_status(self) -> dict[str, Any]:
        try:
            from ..rules.completeness import completeness
        except ImportError:
            return {}
        return completeness(self.site)

    def summaries_of(self, ids: list[str]) -> list[Any]:
        return [self.summaries[i] for i in ids if i in self.summaries]


def _paginate(ids: list[str], url_of: Callable[[int], str], size: int = urls.PAGE_SIZE) -> list[tuple[str, list[str], Pager]]:
    pages = max(1, -(-len(ids) // size))
    out = []
    for n in range(1, pages + 1):
        pager = Pager(
            page=n, pages=pages, total=len(ids),
            prev=urls.href(url_of(n - 1)) if n > 1 else "",
            next=urls.href(url_of(n + 1)) if n < pages else "",
        )
        out.append((url_of(n), ids[(n - 1) * size : n * size], pager))
    return out


def plan(site: Site, cat: Catalogue) -> list[Page]:
    """Every page of the site, in a deterministic order."""
    pages = [
        Page(urls.INDEX, "index.html", "home"),
        Page(urls.CATALOG, "catalog.html", "catalog"),
        Page(urls.VILLAGES, "villages.html", "villages"),
        Page(urls.GUIDES, "guides.html", "guides"),
        Page(urls.CONSULTATIONS, "consultations.html", "consultations"),
        Page(urls.INTERPRETATIONS, "interpretations.html", "interpretations"),
        Page(urls.SEARCH, "search.html", "search"),
        Page(urls.APPLY, "apply.html", "apply"),
        Page(urls.APPLY_FORM, "apply_form.html", "apply_form"),
        Page(urls.SYSTEMS, "systems.html", "systems"),
        Page(urls.STATUTORY, "statutory.html", "statutory"),
        Page(urls.DISCLOSURE_GUIDE, "disclosure_guide.html", "disclosure_guide"),
        Page(urls.ANNUAL_REPORTS, "annual_reports.html", "annual_reports"),
        Page(urls.NOT_FOUND, "404.html", "not_found"),
    ]
    pages += [Page(urls.area(slug), "area.html", "area", (slug,)) for slug in site.areas]
    for item_id in site.items:
        for path, _, _ in _paginate(site.documents_by_item.get(item_id, []), lambda n, i=item_id: _item_url(i, n)):
            pages.append(Page(path, "item.html", "item", (item_id, path)))
    pages += [document_page(d) for d in cat.public_ids]
    pages += [Page(urls.village(s), "village.html", "village", (s,)) for s in site.villages]
    pages += [Page(urls.guide(s), "guide.html", "guide", (s,)) for s in site.guides]
    pages += [Page(urls.consultation(s), "consultation.html", "consultation", (s,)) for s in site.consultations]
    for path, _, _ in _paginate(cat.public_ids, urls.listing):
        pages.append(Page(path, "list.html", "listing", ("all", "", path)))
    for kind, ids in cat.by_kind.items():
        for path, _, _ in _paginate(ids, lambda n, k=kind: urls.kind(k, n)):
            pages.append(Page(path, "list.html", "listing", ("kind", kind, path)))
    for year, ids in cat.by_year.items():
        for path, _, _ in _paginate(ids, lambda n, y=year: urls.year(y, n)):
            pages.append(Page(path, "list.html", "listing", ("year", year, path)))
    return pages


def document_page(doc_id: str) -> Page:
    """The page of one public document (also rendered alone by `gongkai serve`'s preview)."""
    return Page(urls.document(doc_id), "document.html", "document", (doc_id,))


def _item_url(item_id: str, n: int) -> str:
    return urls.item(item_id) if n == 1 else f"items/{item_id}-{n}.html"


# ---------------------------------------------------------------------------
# Context builders: (site, catalogue, *key) -> dict


def _item_row(site: Site, cat: Catalogue, item_id: str) -> dict[str, Any]:
    ref = site.items[item_id]
    item = ref.item
    status = cat.item_status.get(item_id)
    if status is not None and str(status.status) not in SHOWN_STATUSES:
        status = None  # 无周期 / 不适用: nothing to tell the reader
    return {
        "id": item.id,
        "index": ref.index,
        "level1": item.level1,
        "level2": item.level2 or "",
        "name": item.name,
        "content": item.content,
        "basis": "；".join(item.basis),
        "time_limit": item.time_limit,
        "subject": item.subject,
        "channels": [(c.value, c in item.channels) for c in CHANNEL_ORDER],
        "channels_other": item.channels_other or "",
        "five_public": "、".join(f.value for f in FIVE_PUBLIC_ORDER if f in item.five_public),
        "audience": item.audience.value,
        "mode": item.mode.value,
        "level": "、".join(lv.value for lv in item.level),
        "url": urls.href(urls.item(item.id)),
        "count": len(site.documents_by_item.get(item_id, [])),
        "status": getattr(status, "status", "") if status else "",
        "status_note": getattr(status, "note", "") if status else "",
        "area": ref.area.area,
        "area_url": urls.href(urls.area(ref.area_slug)),
    }


def ctx_home(site: Site, cat: Catalogue) -> dict[str, Any]:
    # Looked at until enough are found: the page reads (engine.py) only the documents it shows.
    latest = list(islice((i for i in cat.public_ids if not is_expired(site.documents[i].model, site.today)), LATEST_ON_HOME))
    open_consultations = [c for c in _consultation_rows(site) if c["state"] == "征求意见中"]
    return {
        "latest": cat.summaries_of(latest),
        "open_consultations": open_consultations,
        "areas": [
            {"name": a.model.area, "url": urls.href(urls.area(s)), "count": sum(len(site.documents_by_item.get(i.id, [])) for i in a.model.items)}
            for s, a in site.areas.items()
        ],
        "villages": _village_rows(site),
        "kinds": [{"name": k, "url": urls.href(urls.kind(k)), "count": len(v)} for k, v in cat.by_kind.items()],
        "guides": [Link(g.model.title, urls.href(urls.guide(s))) for s, g in site.guides.items()],
        "total": len(cat.public_ids),
    }


def ctx_catalog(site: Site, cat: Catalogue) -> dict[str, Any]:
    return {
        "areas": [
            {"name": a.model.area, "slug": s, "url": urls.href(urls.area(s)), "description": a.model.description or "",
             "rows": [_item_row(site, cat, i.id) for i in a.model.items],
             "five_public": any(i.five_public for i in a.model.items)}
            for s, a in site.areas.items()
        ],
        "channel_names": [c.value for c in CHANNEL_ORDER],
    }


def ctx_area(site: Site, cat: Catalogue, slug: str) -> dict[str, Any]:
    area = site.areas[slug].model
    return {
        "area": {"name": area.area, "slug": slug, "description": area.description or "",
                 "feed": urls.feed_area(slug),
                 "rows": [_item_row(site, cat, i.id) for i in area.items],
                 "five_public": any(i.five_public for i in area.items)},
        "channel_names": [c.value for c in CHANNEL_ORDER],
    }


def ctx_item(site: Site, cat: Catalogue, item_id: str, path: str) -> dict[str, Any]:
    for page_path, ids, pager in _paginate(site.documents_by_item.get(item_id, []), lambda n: _item_url(item_id, n)):
        if page_path == path:
            return {"item": _item_row(site, cat, item_id), "documents": cat.summaries_of(ids), "pager": pager}
    raise KeyError(path)


def ctx_document(site: Site, cat: Catalogue, doc_id: str) -> dict[str, Any]:
    view = doc_view(site, doc_id)
    ctx: dict[str, Any] = {"doc": view, "apply_html": render_markdown(site.town.model.apply)}
    meta = site.documents[doc_id].model
    if meta.attribute is Attribute.ON_REQUEST:
        ctx["apply_form_href"] = apply_form_href(meta.title, meta.doc_number or "", view.index_number)
    return ctx


def apply_form_href(title: str, doc_number: str, index_number: str) -> str:
    """The 申请表 pre-filled with one document (its title, 文号, 索引号 in the query string)."""
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in (("title", title), ("doc_number", doc_number), ("index", index_number)) if v})
    return f"{urls.href(urls.APPLY_FORM)}?{query}"


def apply_channels(site: Site) -> list[dict[str, Any]]:
    """The 条例第二十九条 channels of `site.yaml` → `disclosure`, each with its contact."""
    guide = site.town.model.disclosure
    if guide is None:
        return []
    office = guide.office
    details = {
        ApplyChannel.IN_PERSON: f"{office.address}（受理时间：{office.hours}）",
        ApplyChannel.LETTER: f"{office.postal_address or office.address}（信封左下角注明“政府信息公开申请”）",
        ApplyChannel.EMAIL: office.email or "",
        ApplyChannel.ONLINE: office.form_url or "",
        ApplyChannel.FAX: office.fax or "",
    }
    return [{"name": c.value, "detail": details[c], "is_data_message": c in (ApplyChannel.EMAIL, ApplyChannel.ONLINE),
             "is_link": c is ApplyChannel.ONLINE, "is_email": c is ApplyChannel.EMAIL}
            for c in guide.apply_channels]


def ctx_apply(site: Site, cat: Catalogue) -> dict[str, Any]:
    """依申请公开: the town's instructions, the configured channels and the blank 申请表."""
    guide = site.town.model.disclosure
    return {"apply_html": render_markdown(site.town.model.apply), "channels": apply_channels(site),
            "office": guide.office.model_dump() if guide else None}


def ctx_apply_form(site: Site, cat: Catalogue) -> dict[str, Any]:
    """The A4 申请表; apply-form.js fills in the document named in the query string."""
    ctx = ctx_apply(site, cat)
    ctx["provision_forms"] = ["纸质", "电子邮件", "光盘", "磁盘"]
    ctx["obtain_ways"] = ["邮寄", "快递", "电子邮件", "传真", "自行领取", "当场阅读、抄录"]
    return ctx


def _village_rows(site: Site) -> list[dict[str, Any]]:
    schedules = village_schedules(site)
    return [
        {"name": v.model.name, "slug": s, "url": urls.href(urls.village(s)), "kind": v.model.kind.value,
         "sample": v.model.sample, "count": len(site.documents_by_village.get(s, [])),
         "behind": sum(1 for st in schedules.get(s, []) if st.behind)}
        for s, v in site.villages.items()
    ]


def ctx_villages(site: Site, cat: Catalogue) -> dict[str, Any]:
    return {"villages": _village_rows(site)}


def ctx_village(site: Site, cat: Catalogue, slug: str) -> dict[str, Any]:
    village = site.villages[slug].model
    ids = site.documents_by_village.get(slug, [])
    notices = [i for i in ids if is_village_notice(site, i)]
    notice_set = set(notices)
    town_docs = [i for i in ids if i not in notice_set]
    current = [i for i in notices if not is_expired(site.documents[i].model, site.today)]
    archived = [i for i in notices if is_expired(site.documents[i].model, site.today)]
    groups: dict[str, list[str]] = {k.value: [] for k in KeyArea}
    groups["其他"] = []
    for i in current:
        groups[key_area_of(site, i)].append(i)
    item_ids = village.items or [i for i, ref in site.items.items() if Level.VILLAGE in ref.item.level]
    schedules = {s.item_id: s for s in village_schedules(site)[slug]}
    rows = [_item_row(site, cat, i) | {"schedule": _schedule_row(schedules.get(i))} for i in item_ids if i in site.items]
    return {
        "village": {"name": village.name, "slug": slug, "kind": village.kind.value, "committee": village.committee,
                    "contact": village.contact or "", "contact_person": village.contact_person or "",
                    "notice_board": village.notice_board or "", "sample": village.sample,
                    "description": village.description or "", "feed": urls.feed_village(slug)},
        "items": rows,
        "behind": [r for r in rows if r["schedule"]["behind"]],
        "groups": [(name, cat.summaries_of(ids)) for name, ids in groups.items()],
        "archived": cat.summaries_of(archived),
        "town_documents": cat.summaries_of(town_docs),
        "town_wide": cat.summaries_of(cat.town_wide),
    }


def _schedule_row(status: VillageItemStatus | None) -> dict[str, Any]:
    """The village's disclosure status of one item (组织法第三十条), as the village page shows it."""
    if status is None:  # a 乡级-only item on the village list: the town publishes it
        return {"shown": False, "behind": False, "periodic": False, "not_due": False, "label": "",
                "missing": [], "first": "", "last": ""}
    return {
        "shown": True,
        "behind": status.behind,
        "periodic": status.periodic,
        "not_due": status.status is VillageStatus.NOT_DUE,
        "label": status.schedule.label,
        "missing": [m.name for m in status.missing],
        "first": status.checked[0] if status.checked else "",
        "last": status.checked[-1] if status.checked else "",
    }


def ctx_listing(site: Site, cat: Catalogue, what: str, value: Any, path: str) -> dict[str, Any]:
    if what == "all":
        ids, url_of, title = cat.public_ids, urls.listing, "全部信息"
    elif what == "kind":
        ids, url_of, title = cat.by_kind[value], (lambda n: urls.kind(value, n)), f"{value}"
    else:
        ids, url_of, title = cat.by_year[value], (lambda n: urls.year(value, n)), f"{value}年发布的信息"
    for page_path, page_ids, pager in _paginate(ids, url_of):
        if page_path == path:
            return {
                "title": title, "documents": cat.summaries_of(page_ids), "pager": pager,
                "kinds": [{"name": k, "url": urls.href(urls.kind(k)), "count": len(v)} for k, v in cat.by_kind.items()],
                "years": [{"name": y, "url": urls.href(urls.year(y)), "count": len(v)} for y, v in cat.by_year.items()],
            }
    raise KeyError(path)


def ctx_guides(site: Site, cat: Catalogue) -> dict[str, Any]:
    return {"guides": [{"title": g.model.title, "url": urls.href(urls.guide(s)), "department": g.model.department,
                        "time_limit": g.model.time_limit} for s, g in site.guides.items()]}


def ctx_guide(site: Site, cat: Catalogue, slug: str) -> dict[str, Any]:
    g = site.guides[slug].model
    found = site.list_entries.get(g.entry)
    list_title = site.lists[found[0]].model.title if found else ""
    return {"guide": {
        "title": g.title, "entry": g.entry, "list_title": list_title, "department": g.department,
        "time_limit": g.time_limit, "conditions_html": render_markdown(g.conditions),
        "materials": [(m.name, m.copies or "", m.note or "") for m in g.materials],
        "review_standard_html": render_markdown(g.review_standard or ""), "process": list(g.process),
        "location": g.location or "", "hours": g.hours or "", "phone": g.phone or "", "fee": g.fee,
        "progress_query": g.progress_query or "", "result": g.result or "", "basis": "；".join(g.basis),
        "updated": g.updated.isoformat(),
        "villages": [Link(site.villages[s].model.name, urls.href(urls.village(s))) for s in g.villages if s in site.villages],
        "item": Link(site.items[g.item].item.name, urls.href(urls.item(g.item))) if g.item in site.items else None,
    }}


def _consultation_rows(site: Site) -> list[dict[str, Any]]:
    rows = []
    for slug, entry in site.consultations.items():
        c = entry.model
        if site.today < c.opens:
            state = "即将开始"
        elif site.today <= c.closes:
            state = "征求意见中"
        else:
            state = "已结束"
        rows.append({
            "slug": slug, "title": c.title, "url": urls.href(urls.consultation(slug)), "state": state,
            "opens": c.opens.isoformat(), "closes": c.closes.isoformat(), "days_left": (c.closes - site.today).days,
            "has_feedback": bool(c.feedback), "summary": c.summary or "",
        })
    order = {"征求意见中": 0, "即将开始": 1, "已结束": 2}
    return sorted(rows, key=lambda r: (order[r["state"]], r["closes"] if r["state"] != "已结束" else "", r["slug"]))


def ctx_consultations(site: Site, cat: Catalogue) -> dict[str, Any]:
    return {"consultations": _consultation_rows(site)}


def ctx_consultation(site: Site, cat: Catalogue, slug: str) -> dict[str, Any]:
    entry = site.consultations[slug]
    c = entry.model
    row = next(r for r in _consultation_rows(site) if r["slug"] == slug)
    return {"c": {
        **row, "issuer": c.issuer or site.town.model.name, "scope": c.scope,
        "methods": "、".join(m.value for m in c.methods), "channels": list(c.channels),
        "published": c.published.isoformat(), "body_html": render_markdown(entry.body),
        "short_reason": c.short_reason or "",
        "feedback_html": render_markdown(c.feedback or ""),
        "feedback_published": c.feedback_published.isoformat() if c.feedback_published else "",
        "villages": [Link(site.villages[s].model.name, urls.href(urls.village(s))) for s in c.villages if s in site.villages],
    }}


def ctx_interpretations(site: Site, cat: Catalogue) -> dict[str, Any]:
    rows = []
    for i in cat.interpretations:
        view = cat.summaries[i]
        policy = site.documents[i].model.interprets
        target = cat.summaries.get(policy or "")
        rows.append({"doc": view, "policy": target})
    return {"rows": rows}


def ctx_systems(site: Site, cat: Catalogue) -> dict[str, Any]:
    """The 制度 column: every public document of kind 制度, newest first."""
    return {"documents": cat.summaries_of(cat.by_kind.get(DocKind.SYSTEM.value, []))}


def ctx_annual_reports(site: Site, cat: Catalogue) -> dict[str, Any]:
    """The 年报 column: annual reports, newest report year first (the year is the `period`)."""
    ids = cat.by_kind.get(DocKind.ANNUAL_REPORT.value, [])
    ordered = sorted(ids, key=lambda i: (site.documents[i].model.period or "", -cat.rank[i]), reverse=True)
    return {"documents": cat.summaries_of(ordered)}


def ctx_disclosure_guide(site: Site, cat: Catalogue) -> dict[str, Any]:
    """The 政府信息公开指南 (条例第十二条), from `site.yaml` → `disclosure` and the catalog."""
    guide = site.town.model.disclosure
    ctx: dict[str, Any] = {
        "configured": guide is not None,
        "areas": [Link(a.model.area, urls.href(urls.area(s))) for s, a in site.areas.items()],
        "kinds": [Link(k, urls.href(urls.kind(k))) for k in cat.by_kind],
        "notice_boards": [(v.model.name, v.model.notice_board) for v in site.villages.values() if v.model.notice_board],
        "apply_html": render_markdown(site.town.model.apply),
        "channels": apply_channels(site),
    }
    if guide is not None:
        office = guide.office
        ctx.update({
            "office": office.model_dump(),
            "reading_points": list(guide.reading_points),
            "remedies": [r.model_dump() for r in guide.remedies],
            "updated": guide.updated.isoformat(),
        })
    return ctx


STATUTORY_LATEST = 5


def ctx_statutory(site: Site, cat: Catalogue) -> dict[str, Any]:
    """法定主动公开内容 (条例第二十条、第二十一条): the institution and every statutory category."""
    from ..rules.statutory import absent_statement, is_filled, statutory_documents

    entry = site.institution
    mapped = {m.category: m for m in entry.model.statutory} if entry else {}
    categories = []
    for category, ids in statutory_documents(site).items():
        mapping = mapped.get(category)
        categories.append({
            "name": category.value,
            "article": ARTICLES[category],
            "is_institution": category is StatutoryCategory.INSTITUTION,
            "filled": is_filled(site, category, ids),
            "documents": cat.summaries_of(ids[:STATUTORY_LATEST]),
            "more": len(ids) - min(len(ids), STATUTORY_LATEST),
            "absent": absent_statement(site, category) or "",
            "catalog_items": [Link(f"{site.items[i].item.level1} · {site.items[i].item.level2}", urls.href(urls.item(i)))
                      for i in (mapping.items if mapping else []) if i in site.items],
        })
    ctx: dict[str, Any] = {"configured": entry is not None, "categories": categories}
    if entry is not None:
        inst = entry.model
        ctx["institution"] = {
            "functions_html": render_markdown(inst.functions),
            "departments": [{"name": d.name, "duties_html": render_markdown(d.duties), "phone": d.phone or "",
                             "address": d.address or ""} for d in inst.departments],
            "leaders": [l.model_dump() for l in inst.leaders],
            "address": inst.address, "hours": inst.hours, "phone": inst.phone or "",
            "updated": inst.updated.isoformat(),
        }
    return ctx


def ctx_simple(site: Site, cat: Catalogue) -> dict[str, Any]:
    return {"apply_html": render_markdown(site.town.model.apply)}


def ctx_search(site: Site, cat: Catalogue) -> dict[str, Any]:
    return {
        "areas": [a.model.area for a in site.areas.values()],
        "villages": [(s, v.model.name) for s, v in site.villages.items()],
        "kinds": list(cat.by_kind),
        "years": list(cat.by_year),
    }


BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "home": ctx_home, "catalog": ctx_catalog, "area": ctx_area, "item": ctx_item, "document": ctx_document,
    "villages": ctx_villages, "village": ctx_village, "listing": ctx_listing, "guides": ctx_guides,
    "guide": ctx_guide, "consultations": ctx_consultations, "consultation": ctx_consultation,
    "interpretations": ctx_interpretations, "search": ctx_search, "apply": ctx_apply, "apply_form": ctx_apply_form, "systems": ctx_systems, "statutory": ctx_statutory, "disclosure_guide": ctx_disclosure_guide,
    "annual_reports": ctx_annual_reports, "not_found": ctx_simple,
}


def context(site: Site, cat: Catalogue, page: Page) -> dict[str, Any]:
    return BUILDERS[page.kind](site, cat, *page.key)


def counts_by_attribute(site: Site) -> dict[str, int]:
    counter = Counter(d.model.attribute.value for d in site.documents.values())
    return {a.value: counter.get(a.value, 0) for a in Attribute}
