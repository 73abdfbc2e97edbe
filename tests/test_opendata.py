"""Open data: catalog.json, documents.json, catalog.csv, their JSON Schema and the page
that explains them. Public fields of public documents only."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from reachkit import BASE, FILES, ON_REQUEST_BODY, PUBLIC, WITHHELD_BODY, WITHHELD_TITLE

from gongkai.reach import opendata

REPO = Path(__file__).resolve().parent.parent
STANDARD_COLUMNS = [
    "序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
    "公开渠道和载体", "公开对象", "公开方式", "公开层级",
]


# ---------------------------------------------------------------------------
# Schema validation: jsonschema when installed, and always this small structural check of the
# keywords our schemas use (so the test means the same without the optional package).

_TYPES: dict[str, Any] = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    "integer": int, "number": (int, float),
}


def check(schema: dict[str, Any], value: Any, root: dict[str, Any] | None = None, where: str = "$") -> list[str]:
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return check(root["$defs"][name], value, root, where)
    errors: list[str] = []
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(isinstance(value, _TYPES[t]) and not (t in ("integer", "number") and isinstance(value, bool)) for t in types)
        if not ok:
            return errors + [f"{where}: {type(value).__name__} is not {types}"]
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{where}: {value} < {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: missing {key}")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                errors += check(props[key], item, root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unexpected {key}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            errors += check(schema["items"], item, root, f"{where}[{n}]")
    return errors


def validate(schema: dict[str, Any], data: Any) -> None:
    errors = check(schema, data)
    assert errors == [], "\n".join(errors[:20])
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)


def test_the_checker_catches_what_it_should() -> None:
    schema = opendata.DOCUMENTS_SCHEMA_DOC
    assert check(schema, {"format": "x"})  # wrong const, missing keys
    good = {"format": opendata.FORMAT_DOCUMENTS, "generated": "2026-11-26", "base_url": None, "count": 0, "documents": [],
            "town": {"name": "a", "short_name": "b", "county": "c", "org_code": "d"}}
    assert check(schema, good) == []
    assert check(schema, {**good, "documents": [{"id": "x", "attribute": "不予公开"}]})


# ---------------------------------------------------------------------------


@pytest.fixture
def site(built) -> Path:  # type: ignore[no-untyped-def]
    out, result = built(FILES, base_url=BASE)
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return out


def _json(site: Path, name: str) -> Any:
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


def test_outputs_validate_against_their_schemas(site: Path, example_site: Path) -> None:
    for root in (site, example_site):
        validate(opendata.CATALOG_SCHEMA_DOC, _json(root, "catalog.json"))
        validate(opendata.DOCUMENTS_SCHEMA_DOC, _json(root, "documents.json"))
        # the schemas are published next to the data
        assert _json(root, "catalog.schema.json") == opendata.CATALOG_SCHEMA_DOC
        assert _json(root, "documents.schema.json") == opendata.DOCUMENTS_SCHEMA_DOC


def test_repository_schemas_match_the_code() -> None:
    for name, schema in opendata.SCHEMAS.items():
        path = REPO / "schemas" / "data" / name
        assert path.is_file(), "run: python -m gongkai.reach.opendata schemas/data"
        assert json.loads(path.read_text(encoding="utf-8")) == schema, f"{path} is stale: python -m gongkai.reach.opendata schemas/data"


def test_documents_json_holds_public_fields_of_public_documents(site: Path) -> None:
    data = _json(site, "documents.json")
    docs = {d["id"]: d for d in data["documents"]}
    assert set(docs) == PUBLIC and data["count"] == len(PUBLIC)
    everything = "".join((site / "data" / n).read_text(encoding="utf-8") for n in ("documents.json", "catalog.json", "catalog.csv"))
    assert WITHHELD_TITLE not in everything and WITHHELD_BODY not in everything and "withheld" not in everything
    assert ON_REQUEST_BODY not in everything
    on_request = docs["2026/yishenqing"]
    assert on_request["attribute"] == "依申请公开" and on_request["summary"] is None
    active = docs["2026/jingtou-gongshi"]
    assert active["url"] == BASE + "documents/2026/jingtou-gongshi.html"
    assert active["path"] == "documents/2026/jingtou-gongshi.html"
    assert active["villages"] == ["jingtou"] and active["village_names"] == ["井头村"]
    assert active["valid_until"] == "2026-12-01" and active["area"] == "社会救助" and active["item"] == "shjz-dibao"
    assert re.match(r"^11450324MB0000000X/2026-\d{5}$", active["index_number"])
    assert docs["2026/通知测试"]["path"] == "documents/2026/%E9%80%9A%E7%9F%A5%E6%B5%8B%E8%AF%95.html"
    for d in docs.values():
        assert set(d) == set(opendata.DOCUMENTS_SCHEMA_DOC["$defs"]["document"]["properties"])
        assert (site / d["path"].replace("%E9%80%9A%E7%9F%A5%E6%B5%8B%E8%AF%95", "通知测试")).is_file()
    # newest first, like the site
    dates = [d["published"] or d["created"] for d in data["documents"]]
    assert dates == sorted(dates, reverse=True)


def test_documents_json_made_row_by_row_is_one_dump_of_the_data(built) -> None:  # type: ignore[no-untyped-def]
    """The build makes `documents.json` from a text per row (kept from build to build while the
    row's document is unchanged, `fragments.py`): byte for byte what one `json.dumps` makes."""
    seen: list[Any] = []
    out, result = built(FILES, base_url=BASE, on_site=lambda site, cat: seen.append(site))
    assert result.ok
    [site] = seen
    data = opendata.documents_data(site, BASE)
    assert data["count"] >= 5
    expected = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    assert (out / "data" / "documents.json").read_bytes() == expected
    assert opendata.documents_json(site, BASE) == expected


def test_without_base_url_urls_are_site_paths(built) -> None:  # type: ignore[no-untyped-def]
    out, result = built(FILES)
    assert result.ok
    data = _json(out, "documents.json")
    assert data["base_url"] is None
    assert all(d["url"] == d["path"] for d in data["documents"])


def test_catalog_csv_standard_columns_with_bom(site: Path) -> None:
    raw = (site / "data/catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][: len(STANDARD_COLUMNS)] == STANDARD_COLUMNS
    assert rows[0][len(STANDARD_COLUMNS) :] == ["领域", "事项编号"]
    assert b"\r\n" in raw
    body = rows[1:]
    assert [r[-1] for r in body] == ["shjz-dibao", "shjz-guide"]
    first = dict(zip(rows[0], body[0]))
    assert first["序号"] == "1" and first["一级事项"] == "最低生活保障" and first["二级事项"] == "审核信息"
    assert first["公开渠道和载体"] == "政府网站、社区/企事业单位/村公示栏（电子屏）"
    assert first["公开层级"] == "乡级、村级" and first["公开方式"] == "主动" and first["公开对象"] == "全社会"
    catalog = _json(site, "catalog.json")
    assert sum(len(a["items"]) for a in catalog["areas"]) == len(body)


def test_data_page_explains_each_file_and_is_linked(site: Path) -> None:
    page = (site / "data/index.html").read_text(encoding="utf-8")
    for name in ("catalog.json", "documents.json", "catalog.csv", "catalog.schema.json", "documents.schema.json"):
        assert f'href="../data/{name}"' in page, name
    assert "feed.xml" in page and "village-jingtou.xml" in page
    # a data page, not a list of every document
    data = _json(site, "documents.json")
    assert sum(d["title"] in page for d in data["documents"]) == 0
    assert "documents.json" not in (site / "index.html").read_text(encoding="utf-8")
    for rel in ("index.html", "documents/2026/jingtou-gongshi.html", "villages/jingtou.html"):
        html = (site / rel).read_text(encoding="utf-8")
        assert re.search(r'<a href="(\.\./)*data/index\.html">开放数据</a>', html), rel
