"""五公开 (决策、执行、管理、服务、结果公开): the optional column of real catalogues, rendered when present.

《关于全面推进政务公开工作的意见》(中办发〔2016〕8号) asks for 决策、执行、管理、服务、结果公开; some
county catalogues carry it as a column. It is optional: an area without it shows no empty column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitekit import TODAY, make_site

from gongkai.models import FivePublic, Item
from gongkai.reports import area_table
from gongkai.validate import check_content


def item(value: object) -> Item:
    return Item.model_validate({"id": "x", "level1": "x", "content": "x", "time_limit": "x", "subject": "永岁镇人民政府",
                                "channels": ["政府网站"], "level": "乡级", "five_public": value})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("执行、结果", [FivePublic.EXECUTION, FivePublic.RESULT]),
        (["决策公开", "结果公开"], [FivePublic.DECISION, FivePublic.RESULT]),
        ("管理，服务/结果", [FivePublic.MANAGEMENT, FivePublic.SERVICE, FivePublic.RESULT]),
        ("决策 决策公开", [FivePublic.DECISION]),
        (None, []),
    ],
)
def test_five_public_spellings_are_normalised(value: object, expected: list[FivePublic]) -> None:
    assert item(value).five_public == expected


def test_unknown_five_public_value_is_an_error_with_choices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    area = (Path(__file__).resolve().parents[1] / "content/catalog/zdjs.yaml").read_text(encoding="utf-8")
    area = area.replace("five_public: 决策、执行、结果", "five_public: 决策、实施")
    _, diags = check_content(make_site(tmp_path, {"catalog/zdjs.yaml": area}), TODAY)
    assert [d.text() for d in diags.errors] == [
        "content/catalog/zdjs.yaml:21:18: 错误: “five_public”（五公开）的值“实施”无效（可选值：决策、执行、管理、服务、结果）"
    ]


def text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_catalog_page_shows_the_column_only_for_areas_that_fill_it(example_site: Path) -> None:
    html = (example_site / "catalog/index.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<section id="area-([a-z]+)">(.*?)</section>', html, re.DOTALL))
    assert '<th scope="col" rowspan="2">五公开</th>' in sections["zwgk"]
    assert '<th scope="col" rowspan="2">五公开</th>' in sections["zdjs"]
    assert "五公开" not in sections["shjz"]
    row = re.search(r'<tr id="item-zdjs-xiangmu">(.*?)</tr>', sections["zdjs"], re.DOTALL)
    assert row is not None and "<td>决策、执行、结果</td>" in row.group(1)
    assert "五公开 " in text(example_site / "catalog/zwgk.html")


def test_catalog_export_adds_the_column_when_present(tmp_path: Path) -> None:
    site, _ = check_content(Path(__file__).resolve().parents[1] / "content", TODAY)
    assert site is not None
    zdjs = area_table(site.areas["zdjs"].model)
    assert zdjs.columns[-1] == "五公开" and zdjs.rows[0][-1] == "决策、执行、结果"
    assert "五公开" not in area_table(site.areas["shjz"].model).columns


def test_open_data_catalog_carries_five_public(tmp_path: Path) -> None:
    from gongkai.reach.opendata import catalog_data

    site, _ = check_content(Path(__file__).resolve().parents[1] / "content", TODAY)
    assert site is not None
    items = {i["id"]: i for a in catalog_data(site, None)["areas"] for i in a["items"]}
    assert items["zdjs-xiangmu"]["five_public"] == ["决策", "执行", "结果"]
    assert items["shjz-dibao-shenhe"]["five_public"] == []
