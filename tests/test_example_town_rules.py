"""The example town follows the rules issue 18 names (what a reader of the built site sees)."""

from __future__ import annotations

import re
from pathlib import Path

from sitekit import TODAY

from gongkai.models import Attribute, KeyArea, Level, Mode
from gongkai.validate import check_content

REPO = Path(__file__).resolve().parents[1]


def site():  # type: ignore[no-untyped-def]
    found, diags = check_content(REPO / "content", TODAY)
    assert found is not None and not diags.errors
    return found


def text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_land_regulations_art26_28_county_issues_town_posts(example_site: Path) -> None:
    """《土地管理法实施条例》第二十六条至第二十八条: 预公告 and 补偿安置方案公告 are the county
    government's, posted within the town and the villages."""
    s = site()
    for doc_id in ("2025/tdzs-yugonggao-xitang-shimen", "2025/tdzs-buchang-anzhi-fangan-gonggao"):
        doc = s.documents[doc_id].model
        assert doc.issuer == "全州县人民政府"
        assert doc.doc_number is not None and doc.doc_number.startswith("全政告〔2025〕")
        assert doc.title.startswith("全州县人民政府")
        page = text(example_site / f"documents/{doc_id}.html")
        assert "发布机构全州县人民政府" in page
        assert "由永岁镇人民政府在镇政府网站" in page
    for item_id in ("tdzs-yuzhengshou", "tdzs-buchang"):
        item = s.items[item_id].item
        assert item.subject.startswith("全州县人民政府")
        assert item.level == [Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
    hearing = text(example_site / "documents/2025/tdzs-buchang-anzhi-fangan-gonggao.html")
    assert "全州县人民政府将组织召开听证会（实施条例第二十八条）" in hearing


def test_a_village_has_an_elderly_care_item(example_site: Path) -> None:
    """Key area 养老服务 (实施方案 §四(三)2) has a 村级 item, on 井头村's list, with a notice."""
    s = site()
    items = [ref.item for ref in s.items.values() if Level.VILLAGE in ref.item.level and ref.item.key_area is KeyArea.ELDERLY]
    assert [i.id for i in items] == ["ylfw-gaoling-cungongshi"]
    assert "ylfw-gaoling-cungongshi" in s.villages["jingtou"].model.items
    page = (example_site / "villages/jingtou.html").read_text(encoding="utf-8")
    archive = page.split("<h2>已过公示期（存档）</h2>", 1)[1]  # its 公示期 ended on 2026-10-30
    assert "井头村2026年第三季度高龄津贴发放情况公示" in archive.split("<h2>", 1)[0]
    assert "公开周期：每季度；按期公开（2026-Q3）" in text(example_site / "villages/jingtou.html")


def test_regulations_art21_land_transfer_is_active_disclosure(example_site: Path) -> None:
    """《政府信息公开条例》第二十一条: 乡（镇）人民政府主动公开农村土地承包经营权流转 information."""
    s = site()
    item = s.items["xczx-tudi-liuzhuan"].item
    assert item.mode is Mode.ACTIVE and "《中华人民共和国政府信息公开条例》第二十一条" in item.basis
    docs = s.documents_by_item["xczx-tudi-liuzhuan"]
    assert docs == ["2023/tudi-liuzhuan-qingkuang-2023"]
    assert s.documents[docs[0]].model.attribute is Attribute.ACTIVE
    assert "流转面积合计1286.5亩" in text(example_site / "documents/2023/tudi-liuzhuan-qingkuang-2023.html")
    # the per-contract register (names, prices) stays on request, under its own item
    register = s.documents["2023/tudi-liuzhuan-hetong-beian-dengjice"].model
    assert register.attribute is Attribute.ON_REQUEST and register.item == "xczx-tudi-liuzhuan-beian"
