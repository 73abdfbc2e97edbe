"""Open data: the catalog and the public documents as JSON and CSV, with their JSON Schema.

`data/catalog.json`   every catalog area and item (the 标准目录 columns), machine-readable
`data/catalog.csv`    the same items in the standard column order, UTF-8 with BOM for Excel
`data/documents.json` public fields of public documents: never a 不予公开 document (not even
                      its title), never a body; 依申请公开 documents carry metadata only

The schemas below are the source of truth; `schemas/data/*.schema.json` in the repository are
written from them (`python -m gongkai.reach.opendata schemas/data`) and a test keeps them equal.
Output is deterministic: the same content and date give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ..models import CHANNEL_ORDER, FIVE_PUBLIC_ORDER, Attribute, Channel
from ..render import urls
from ..render.markup import summarise
from ..render.views import doc_summary, iso
from ..site import Site, sort_newest

FORMAT_CATALOG = "gongkai-catalog/1"
FORMAT_DOCUMENTS = "gongkai-documents/1"

CATALOG_JSON = "data/catalog.json"
CATALOG_CSV = "data/catalog.csv"
DOCUMENTS_JSON = "data/documents.json"
CATALOG_SCHEMA = "data/catalog.schema.json"
DOCUMENTS_SCHEMA = "data/documents.schema.json"
INDEX = "data/index.html"

#: The standard catalog table (基层政务公开标准指引), in its column order; then two of ours.
CSV_COLUMNS = [
    "序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
    "公开渠道和载体", "公开对象", "公开方式", "公开层级",
]
CSV_EXTRA = ["领域", "事项编号"]

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_DATE_OR_NULL = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_STR_OR_NULL = {"type": ["string", "null"]}
_STR_LIST = {"type": "array", "items": {"type": "string"}}

_TOWN = {
    "type": "object",
    "description": "发布机构（site.yaml）",
    "required": ["name", "short_name", "county", "org_code"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "description": "发布机构全称"},
        "short_name": {"type": "string", "description": "简称"},
        "county": {"type": "string", "description": "所属县"},
        "city": _STR_OR_NULL,
        "province": _STR_OR_NULL,
        "division_code": {"type": ["string", "null"], "description": "统计用区划代码"},
        "org_code": {"type": "string", "description": "机构代码（统一社会信用代码或组织机构代码）"},
    },
}

CATALOG_SCHEMA_DOC: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "catalog.schema.json",
    "title": "政务公开事项标准目录（开放数据）",
    "description": "gongkai 生成的 data/catalog.json：每个试点领域及其公开事项，字段对应标准目录的各列。",
    "type": "object",
    "required": ["format", "generated", "town", "base_url", "areas"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT_CATALOG, "description": "数据格式及版本"},
        "generated": {**_DATE, "description": "生成日期（YYYY-MM-DD）"},
        "town": _TOWN,
        "base_url": {"type": ["string", "null"], "description": "网站正式地址；未设置时为 null"},
        "areas": {
            "type": "array",
            "description": "试点领域，按目录顺序",
            "items": {
                "type": "object",
                "required": ["slug", "area", "order", "description", "path", "items"],
                "additionalProperties": False,
                "properties": {
                    "slug": {"type": "string", "description": "领域文件名（catalog/<slug>.yaml）"},
                    "area": {"type": "string", "description": "领域名称，如 社会救助"},
                    "order": {"type": "integer"},
                    "description": _STR_OR_NULL,
                    "path": {"type": "string", "description": "领域页面（相对网站根目录）"},
                    "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
                },
            },
        },
    },
    "$defs": {
        "item": {
            "type": "object",
            "description": "一条公开事项（标准目录的一行）",
            "required": [
                "id", "index", "level1", "level2", "content", "basis", "time_limit", "deadline", "period",
                "subject", "channels", "channels_other", "audience", "mode", "level", "key_area", "five_public",
                "note", "document_count", "path",
            ],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "description": "事项编号"},
                "index": {"type": "integer", "minimum": 1, "description": "序号（领域内）"},
                "level1": {"type": "string", "description": "一级事项"},
                "level2": {"type": ["string", "null"], "description": "二级事项"},
                "content": {"type": "string", "description": "公开内容（要素）"},
                "basis": {**_STR_LIST, "description": "公开依据"},
                "time_limit": {"type": "string", "description": "公开时限（原文）"},
                "deadline": {
                    "type": ["object", "null"],
                    "description": "公开时限（机器可读），未填写时为 null",
                    "required": ["days", "unit"],
                    "additionalProperties": False,
                    "properties": {"days": {"type": "integer", "minimum": 1}, "unit": {"enum": ["工作日", "自然日"]}},
                },
                "period": {"enum": ["每月", "每季度", "每半年", "每年", "随时", None], "description": "公开周期"},
                "subject": {"type": "string", "description": "公开主体"},
                "channels": {
                    "type": "array", "description": "公开渠道和载体（标准的13种，按标准顺序）",
                    "items": {"enum": [c.value for c in CHANNEL_ORDER]},
                },
                "channels_other": {"type": ["string", "null"], "description": "“其他”渠道说明"},
                "audience": {"enum": ["全社会", "特定群体"], "description": "公开对象"},
                "mode": {"enum": ["主动", "依申请"], "description": "公开方式"},
                "level": {"type": "array", "items": {"enum": ["县级", "乡级", "村级"]}, "description": "公开层级"},
                "key_area": {"type": ["string", "null"], "description": "村务公开重点领域"},
                "five_public": {
                    "type": "array", "description": "五公开（决策、执行、管理、服务、结果，按此顺序；未填写时为空）",
                    "items": {"enum": [f.value for f in FIVE_PUBLIC_ORDER]},
                },
                "note": _STR_OR_NULL,
                "document_count": {"type": "integer", "minimum": 0, "description": "本站已公开的该事项文件数"},
                "path": {"type": "string", "description": "事项页面（相对网站根目录）"},
            },
        },
    },
}

DOCUMENTS_SCHEMA_DOC: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "documents.schema.json",
    "title": "公开的政府信息（开放数据）",
    "description": (
        "gongkai 生成的 data/documents.json：本站公开的全部政府信息的目录字段。不予公开的信息不在其中；"
        "依申请公开的信息只有目录字段，没有正文和摘要。不含正文。"
    ),
    "type": "object",
    "required": ["format", "generated", "town", "base_url", "count", "documents"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT_DOCUMENTS, "description": "数据格式及版本"},
        "generated": {**_DATE, "description": "生成日期（YYYY-MM-DD）"},
        "town": _TOWN,
        "base_url": {"type": ["string", "null"], "description": "网站正式地址；未设置时为 null"},
        "count": {"type": "integer", "minimum": 0, "description": "documents 的条数"},
        "documents": {"type": "array", "description": "按发布日期从新到旧", "items": {"$ref": "#/$defs/document"}},
    },
    "$defs": {
        "document": {
            "type": "object",
            "required": [
                "id", "title", "doc_number", "index_number", "kind", "attribute", "attribute_label", "issuer",
                "created", "published", "valid_until", "item", "item_name", "area", "area_slug", "villages",
                "village_names", "summary", "path", "url",
            ],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "description": "文件编号（content/documents/ 下的路径，不含 .md）"},
                "title": {"type": "string", "description": "标题"},
                "doc_number": {"type": ["string", "null"], "description": "发文字号，如 永政发〔2024〕12号"},
                "index_number": {"type": "string", "description": "索引号"},
                "kind": {"type": "string", "description": "文种"},
                "attribute": {"enum": ["主动公开", "依申请公开"], "description": "公开属性（不予公开的信息不发布）"},
                "attribute_label": {"enum": ["此件公开发布", "此件可依申请公开"]},
                "issuer": {"type": "string", "description": "发布机构"},
                "created": {**_DATE, "description": "成文日期"},
                "published": {**_DATE_OR_NULL, "description": "发布日期"},
                "valid_until": {**_DATE_OR_NULL, "description": "公示截止日期"},
                "item": {"type": ["string", "null"], "description": "所属公开事项编号"},
                "item_name": {"type": ["string", "null"], "description": "所属公开事项名称"},
                "area": {"type": ["string", "null"], "description": "所属领域"},
                "area_slug": {"type": ["string", "null"]},
                "villages": {**_STR_LIST, "description": "适用村（社区）编号；空表示全镇"},
                "village_names": {**_STR_LIST, "description": "适用村（社区）名称"},
                "summary": {"type": ["string", "null"], "description": "一句话摘要（仅主动公开）"},
                "path": {"type": "string", "description": "网页（相对网站根目录，已做网址编码）"},
                "url": {"type": "string", "description": "网页地址：设置了网站地址时为完整网址，否则同 path"},
            },
        },
    },
}

SCHEMAS = {"catalog.schema.json": CATALOG_SCHEMA_DOC, "documents.schema.json": DOCUMENTS_SCHEMA_DOC}


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def schema_bytes(name: str) -> bytes:
    return _dump(SCHEMAS[name])


def _town(site: Site) -> dict[str, Any]:
    t = site.town.model
    return {
        "name": t.name, "short_name": t.short_name, "county": t.county, "city": t.city,
        "province": t.province, "division_code": t.division_code, "org_code": t.org_code,
    }


def catalog_data(site: Site, base_url: str | None) -> dict[str, Any]:
    areas = []
    for slug, entry in site.areas.items():
        area = entry.model
        items = []
        for index, item in enumerate(area.items, start=1):
            items.append({
                "id": item.id, "index": index, "level1": item.level1, "level2": item.level2,
                "content": item.content, "basis": list(item.basis), "time_limit": item.time_limit,
                "deadline": {"days": item.deadline.days, "unit": item.deadline.unit} if item.deadline else None,
                "period": item.period.value if item.period else None,
                "subject": item.subject,
                "channels": [c.value for c in CHANNEL_ORDER if c in item.channels],
                "channels_other": item.channels_other,
                "audience": item.audience.value, "mode": item.mode.value,
                "level": [lv.value for lv in item.level],
                "key_area": item.key_area.value if item.key_area else None,
                "five_public": [f.value for f in FIVE_PUBLIC_ORDER if f in item.five_public],
                "note": item.note,
                "document_count": len(site.documents_by_item.get(item.id, [])),
                "path": urls.href(urls.item(item.id)),
            })
        areas.append({
            "slug": slug, "area": area.area, "order": area.order, "description": area.description,
            "path": urls.href(urls.area(slug)), "items": items,
        })
    return {"format": FORMAT_CATALOG, "generated": iso(site.today), "town": _town(site), "base_url": base_url, "areas": areas}


def catalog_rows(site: Site) -> list[list[str]]:
    """The catalog as table rows (header first), in the standard column order."""
    rows = [CSV_COLUMNS + CSV_EXTRA]
    for entry in site.areas.values():
        area = entry.model
        for index, item in enumerate(area.items, start=1):
            channels = []
            for c in CHANNEL_ORDER:
                if c in item.channels:
                    channels.append(f"其他（{item.channels_other}）" if c is Channel.OTHER and item.channels_other else c.value)
            rows.append([
                str(index), item.level1, item.level2 or "", item.content, "；".join(item.basis), item.time_limit,
                item.subject, "、".join(channels), item.audience.value, item.mode.value,
                "、".join(lv.value for lv in item.level), area.area, item.id,
            ])
    return rows


def catalog_csv(site: Site) -> bytes:
    return _csv(catalog_rows(site))


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # Excel on Windows expects CRLF
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8, not GBK


def _listed(site: Site) -> list[str]:
    """The documents of `documents.json`, newest first: every one not withheld."""
    ids = sort_newest(site, [i for i, d in site.documents.items() if d.model.attribute is not Attribute.WITHHELD])
    # defensive: never even the title of a withheld document
    return [i for i in ids if site.documents[i].model.attribute is not Attribute.WITHHELD]


def documents_data(site: Site, base_url: str | None) -> dict[str, Any]:
    docs = [document_row(site, base_url, doc_id) for doc_id in _listed(site)]
    return {**documents_data_head(site, base_url), "count": len(docs), "documents": docs}


#: A piece of text by name, made by the function unless kept from the previous build
#: (`fragments.Fragments.get`).
Piece = Callable[[str, Callable[[], str]], str]


def _made(name: str, make: Callable[[], str]) -> str:
    return make()


def _row_text(site: Site, base_url: str | None, doc_id: str) -> str:
    """One row of `documents.json` as `_dump` writes it inside the list (two spaces deeper)."""
    return json.dumps(document_row(site, base_url, doc_id), ensure_ascii=False, indent=1).replace("\n", "\n  ")


def documents_json(site: Site, base_url: str | None, piece: Piece = _made) -> bytes:
    """`documents.json`, byte for byte `_dump(documents_data(…))`, from a text per row: `piece`
    keeps the rows whose document (and what its row shows) did not change since the last build."""
    ids = _listed(site)
    head = dict(documents_data_head(site, base_url), count=len(ids), documents=[])
    text = _dump(head).decode("utf-8")
    if ids:
        rows = ",\n  ".join(piece(f"{DOCUMENTS_JSON}|{i}", partial(_row_text, site, base_url, i)) for i in ids)
        assert text.endswith(' "documents": []\n}\n')
        text = text[: -len("[]\n}\n")] + "[\n  " + rows + "\n ]\n}\n"
    return text.encode("utf-8")


def documents_data_head(site: Site, base_url: str | None) -> dict[str, Any]:
    """What `documents.json` says before its rows."""
    return {"format": FORMAT_DOCUMENTS, "generated": iso(site.today), "town": _town(site), "base_url": base_url}


def document_row(site: Site, base_url: str | None, doc_id: str) -> dict[str, Any]:
    """One document of `documents.json`."""
    meta = site.documents[doc_id].model
    ref = site.items.get(meta.item or "")
    active = meta.attribute is Attribute.ACTIVE
    path = urls.href(urls.document(doc_id))
    slugs = [s for s in meta.villages if s in site.villages]
    return {
        "id": doc_id,
        "title": meta.title,
        "doc_number": meta.doc_number,
        "index_number": site.index_numbers[doc_id],
        "kind": meta.kind.value,
        "attribute": meta.attribute.value,
        "attribute_label": meta.attribute.label,
        "issuer": meta.issuer or site.town.model.name,
        "created": iso(meta.created),
        "published": iso(meta.published) or None,
        "valid_until": iso(meta.valid_until) or None,
        "item": ref.item.id if ref else None,
        "item_name": ref.item.name if ref else None,
        "area": ref.area.area if ref else None,
        "area_slug": ref.area_slug if ref else None,
        "villages": slugs,
        "village_names": [site.villages[s].model.name for s in slugs],
        "summary": (summarise(doc_summary(site, doc_id).summary) or None) if active else None,
        "path": path,
        "url": urls.absolute(base_url, urls.document(doc_id)) or path,
    }


def patch_documents(old: bytes, site: Site, base_url: str | None, changed: set[str]) -> bytes | None:
    """`documents.json` with the rows of `changed` documents made again (`patch_document_rows`)."""
    patched = patch_document_rows(old, site, base_url, changed)
    return patched[0] if patched is not None else None


def patch_document_rows(old: bytes, site: Site, base_url: str | None, changed: set[str]) -> tuple[bytes, bytes] | None:
    """`documents.json` with the rows of `changed` documents made again, the rest as they were
    (a quick rebuild, where nothing but those documents' bodies changed), and the new rows
    alone (all a privacy scan of the file need read when `old` was scanned clean: the scan reads
    each string by itself); None if `old` does not hold each of them exactly once as `_dump`
    writes it.

    `_dump` indents by one space per level and escapes line breaks inside strings, so a row is
    the text from `\n  {\n   "id": <id>,` to the next `\n  }`: nothing else in the file starts a
    line with two spaces and a brace. The new row is dumped alone and indented to that depth.
    """
    try:
        text = old.decode("utf-8")
    except UnicodeDecodeError:
        return None
    rows = []
    for doc_id in sorted(changed):
        head = '\n  {\n   "id": ' + json.dumps(doc_id, ensure_ascii=False) + ",\n"
        start = text.find(head)
        if start < 0 or text.find(head, start + 1) >= 0:
            return None
        end = text.find("\n  }", start + len(head))
        if end < 0:
            return None
        row = json.dumps(document_row(site, base_url, doc_id), ensure_ascii=False, indent=1).replace("\n", "\n  ")
        text = text[:start] + "\n  " + row + text[end + len("\n  }") :]
        rows.append(row)
    return text.encode("utf-8"), "\n".join(rows).encode("utf-8")


def data_sources(site: Site, base_url: str | None) -> dict[str, tuple[Callable[[Any], bytes], Any]]:
    """Each data file but `documents.json` (`documents_json`) as (serialiser, the plain data it
    is made from): the build keys the file by that data and only serialises it when it changed."""
    return {
        CATALOG_JSON: (_dump, catalog_data(site, base_url)),
        CATALOG_CSV: (_csv, catalog_rows(site)),
        CATALOG_SCHEMA: (_dump, SCHEMAS["catalog.schema.json"]),
        DOCUMENTS_SCHEMA: (_dump, SCHEMAS["documents.schema.json"]),
    }


def data_files(site: Site, base_url: str | None) -> dict[str, bytes]:
    files = {rel: make(data) for rel, (make, data) in data_sources(site, base_url).items()}
    return {**dict(list(files.items())[:2]), DOCUMENTS_JSON: documents_json(site, base_url), **dict(list(files.items())[2:])}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = out / name
        path.write_bytes(schema_bytes(name))
        written.append(path)
    return written


if __name__ == "__main__":  # python -m gongkai.reach.opendata [schemas/data]
    for p in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas/data")):
        print(f"已写入 {p.as_posix()}")
