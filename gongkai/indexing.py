"""Index stage: the public documents of a `Site` → search records (`search/` turns them into files).

Only 主动公开 bodies and 依申请公开 metadata enter the index; 不予公开 documents never do.
"""

from __future__ import annotations

from .models import Attribute
from .render import urls
from .render.pages import Catalogue
from .render.views import doc_text, iso
from .site import Site, doc_date


def search_records(site: Site, cat: Catalogue, ids: list[str] | None = None) -> list:  # type: ignore[type-arg]
    """The records of every public document (or of `ids` only, in that order)."""
    from .search import SearchRecord

    records = []
    for doc_id in cat.public_ids if ids is None else ids:
        entry = site.documents[doc_id]
        meta = entry.model
        if meta.attribute is Attribute.WITHHELD:  # defensive: public_ids never holds them
            continue
        ref = site.items.get(meta.item or "")
        records.append(
            SearchRecord(
                id=doc_id,
                url=urls.href(urls.document(doc_id)),  # as the list summary's (not made for this)
                title=meta.title,
                doc_number=meta.doc_number or "",
                index_number=site.index_numbers[doc_id],
                kind=meta.kind.value,
                date=iso(doc_date(meta)),
                area=ref.area.area if ref else "",
                area_slug=ref.area_slug if ref else "",
                item=ref.item.name if ref else "",
                villages=tuple(site.villages[v].model.name for v in meta.villages if v in site.villages),
                village_slugs=tuple(v for v in meta.villages if v in site.villages),
                attribute_label=meta.attribute.label,
                body=doc_text(site, doc_id),
            )
        )
    return records

