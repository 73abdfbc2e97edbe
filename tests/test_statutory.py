"""法定主动公开内容 (条例第二十条、第二十一条): institution.yaml, the column page, its warnings."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from sitekit import doc, make_site

from gongkai.models import ARTICLES, StatutoryCategory
from gongkai.validate import check_content

REPO = Path(__file__).resolve().parent.parent
CATEGORIES = [c.value for c in StatutoryCategory]


def main_part(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def rows(html: str) -> dict[str, str]:
    """Category name → the HTML of its row in the statutory table."""
    table = main_part(html).split('<table class="statutory">', 1)[1]
    out = {}
    for row in re.findall(r"<tr class=\"[^\"]+\">(.*?)</tr>", table, flags=re.DOTALL):
        name = text_of(row.split("<th", 1)[1].split(">", 1)[1].split("<span", 1)[0].split("</th>", 1)[0])
        out[name] = row
    return out


def row_titles(row: str) -> list[str]:
    cell = row.split("</td>", 1)[1]
    return [text_of(t) for t in re.findall(r'<a href="documents/[^"]+">(.*?)</a>', cell, flags=re.DOTALL)]


def test_statutory_column_is_in_the_navigation(example_site: Path) -> None:
    for rel in ("index.html", "catalog/index.html", "statutory.html"):
        html = (example_site / rel).read_text(encoding="utf-8")
        nav = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
        assert f'<a href="{"../" * rel.count("/")}statutory.html"' in nav and "法定主动公开内容" in nav


def test_example_page_lists_every_category_in_the_order_of_the_regulations(example_site: Path) -> None:
    html = (example_site / "statutory.html").read_text(encoding="utf-8")
    found = rows(html)
    assert list(found) == CATEGORIES
    for category in StatutoryCategory:
        assert f"条例{ARTICLES[category]}" in found[category.value]
    assert "条例第二十条第（十五）项" in found["其他应当主动公开的政府信息"]
    assert "暂无信息" in found["其他应当主动公开的政府信息"]


def test_example_institution_is_shown_from_the_file(example_site: Path) -> None:
    data = yaml.safe_load((REPO / "content/institution.yaml").read_text(encoding="utf-8"))
    page = text_of(main_part((example_site / "statutory.html").read_text(encoding="utf-8")))
    for leader in data["leaders"]:
        assert f"{leader['name']} {leader['position']} {leader['duties']}" in page
    for dept in data["departments"]:
        assert dept["name"] in page and f"办公电话：{dept['phone']}" in page
    assert f"办公地址 {data['address']}" in page and f"办公时间 {data['hours']}" in page


def test_example_rows_show_the_latest_documents_of_their_items(example_site: Path) -> None:
    """Each row shows the newest five public documents of its items, as the content says."""
    from gongkai.rules.statutory import statutory_documents
    from gongkai.site import sort_newest

    site, _ = check_content(REPO / "content", date(2026, 11, 26))
    assert site is not None
    data = yaml.safe_load((REPO / "content/institution.yaml").read_text(encoding="utf-8"))
    page = rows((example_site / "statutory.html").read_text(encoding="utf-8"))
    for mapping in data["statutory"]:
        ids = [i for i, d in site.public_documents.items()
               if d.model.item in mapping.get("items", []) or i in mapping.get("documents", [])
               or (mapping["category"] == "规章和规范性文件" and d.model.normative)]
        expected = [site.documents[i].model.title for i in sort_newest(site, ids)[:5]]
        assert row_titles(page[mapping["category"]]) == expected, mapping["category"]
        if "absent" in mapping and not ids:
            assert mapping["absent"].replace('"', "&#34;") in page[mapping["category"]]
    assert len(statutory_documents(site)[StatutoryCategory.SOCIAL_ASSISTANCE]) >= 5


INSTITUTION = """\
functions: 执行上级决定，管理本镇行政工作。
address: 永岁街1号
hours: 工作日 8:00-12:00
updated: 2026-03-02
leaders:
  - name: 示例姓名甲
    position: 镇长
    duties: 主持全面工作
statutory:
  - category: 社会救助
    items: [shjz-dibao]
  - category: 统计信息
    items: [shjz-guide]
"""
NO_DOCUMENT = "content/institution.yaml:{line}:{col}: 警告: 法定主动公开内容为空：“{name}”（条例{article}）在本站没有任何公开的信息（{hint}）"
HINT_LISTED = "发布该类别的信息，或补充对应的目录事项（items）、文种（kinds）、文件（documents）；确无此类信息的，填写 absent 说明"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def statutory_diags(tmp_path: Path, files: dict[str, str | None]) -> tuple[list[str], list[str]]:
    content = make_site(tmp_path, files)
    _, diags = check_content(content.relative_to(tmp_path), date(2026, 11, 26))
    return [d.text() for d in diags.errors], [d.text() for d in diags.warnings]


def test_empty_categories_are_warned_where_they_are_listed_or_at_statutory(tmp_path: Path) -> None:
    errors, warnings = statutory_diags(tmp_path, {"institution.yaml": INSTITUTION})
    assert errors == []
    expected_unlisted = [c for c in StatutoryCategory if c.value not in (
        "社会救助", "统计信息", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", "其他应当主动公开的政府信息")]
    listed = NO_DOCUMENT.format(line=12, col=15, name="统计信息", article="第二十条第（四）项", hint=HINT_LISTED)
    assert listed in warnings
    unlisted = [w for w in warnings if w.startswith("content/institution.yaml:9:1: ")]
    assert len(unlisted) == len(expected_unlisted)
    assert NO_DOCUMENT.format(
        line=9, col=1, name="规章和规范性文件", article="第二十条第（一）项",
        hint="在 statutory 中加一项 category: 规章和规范性文件，列出对应的目录事项（items）、文种（kinds）或文件（documents）；确无此类信息的，填写 absent 说明") in unlisted
    assert not any("社会救助" in w for w in warnings)  # documents/2026/dibao.md is under shjz-dibao


def test_an_absent_statement_fills_the_category(tmp_path: Path, built) -> None:  # type: ignore[no-untyped-def]
    text = INSTITUTION.replace("    items: [shjz-guide]\n", "    absent: 本镇不单独发布统计信息。\n")
    _, warnings = statutory_diags(tmp_path, {"institution.yaml": text})
    assert not any("“统计信息”" in w for w in warnings)
    site, result = built({"institution.yaml": text})
    assert result.ok
    page = rows((site / "statutory.html").read_text(encoding="utf-8"))
    assert "本镇不单独发布统计信息。" in page["统计信息"]
    assert "暂无信息" in page["筹资筹劳"]
    assert row_titles(page["社会救助"]) == ["关于做好低保工作的通知"]


def test_unknown_item_duplicate_category_and_withheld_document_are_errors(tmp_path: Path) -> None:
    text = INSTITUTION + """\
  - category: 社会救助
    items: [shjz-dibo]
    documents: [2026/secret, 2026/nosuch]
"""
    secret = doc("内部讨论记录QX7", attribute="不予公开", published=None, reason="过程性信息", legal_basis="过程性信息")
    errors, _ = statutory_diags(tmp_path, {"institution.yaml": text, "documents/2026/secret.md": secret})
    assert errors == [
        "content/institution.yaml:14:15: 错误: 法定主动公开类别“社会救助”重复（第 10 行已列出）（把两处的 items 和 kinds 合并到同一个类别下）",
        "content/institution.yaml:15:13: 错误: 法定主动公开类别“社会救助”的目录事项“shjz-dibo”在目录中不存在（是否想写“shjz-dibao”？）",
        "content/institution.yaml:16:17: 错误: 法定主动公开类别“社会救助”的文件“2026/secret”是不予公开的文件，不能列入公开栏目（请删除这一行）",
        "content/institution.yaml:16:30: 错误: 法定主动公开类别“社会救助”的文件“2026/nosuch”不存在（请填写 documents/ 下的文件路径（不含 .md），例如 2026/yusuan-2026）",
    ]


def test_unknown_category_is_a_schema_error_with_position(tmp_path: Path) -> None:
    errors, _ = statutory_diags(tmp_path, {"institution.yaml": INSTITUTION.replace("category: 统计信息", "category: 统计")})
    assert len(errors) == 1 and errors[0].startswith("content/institution.yaml:12:15: 错误: ")
    assert "统计信息" in errors[0]


def test_unmasked_mobile_number_in_the_institution_is_an_error(tmp_path: Path) -> None:
    text = INSTITUTION.replace("主持全面工作", "主持全面工作，手机13800138000")
    errors, _ = statutory_diags(tmp_path, {"institution.yaml": text})
    assert len(errors) == 1 and errors[0].startswith("content/institution.yaml:8:")
    assert "个人信息未遮盖" in errors[0] and "138****8000" in errors[0]


def test_without_an_institution_file_the_page_says_so_and_check_is_silent(tmp_path: Path, built) -> None:  # type: ignore[no-untyped-def]
    _, warnings = statutory_diags(tmp_path, {})
    assert not any("法定主动公开内容" in w for w in warnings)
    site, result = built()
    assert result.ok
    html = (site / "statutory.html").read_text(encoding="utf-8")
    assert "暂未填写机构信息（content/institution.yaml）。" in html
    assert list(rows(html)) == CATEGORIES


def test_withheld_documents_of_a_mapped_item_never_reach_the_page(built) -> None:  # type: ignore[no-untyped-def]
    secret = doc("低保内部审议记录QX8", attribute="不予公开", published=None, reason="过程性信息", legal_basis="过程性信息")
    site, result = built({"institution.yaml": INSTITUTION, "documents/2026/secret.md": secret})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    assert "QX8" not in (site / "statutory.html").read_text(encoding="utf-8")
