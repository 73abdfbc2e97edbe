"""有效性 (有效, 失效, 废止, 已修订) and `repeals:` / `amends:` links — a 废止决定 marks what it names.

《政府信息公开条例》第二十条 (主动公开 of 规范性文件) and the 2021 annual-report format (part 二:
本年废止 / 现行有效 行政规范性文件) need the validity to be a controlled value that one decision changes
on every page.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site

from gongkai.models import Validity
from gongkai.rules.validity import current_validity, repealed_by, validity_counts
from gongkai.validate import check_content

REPO = Path(__file__).resolve().parents[1]

OLD = doc("永岁镇低保管理暂行办法", doc_number="永政发〔2016〕15号", kind="办法", created="2016-05-09",
          published="2016-05-16", normative="true")
NEW = doc("永岁镇低保审核确认实施细则", kind="办法", created="2025-03-03", published="2025-03-06", normative="true")
OTHER = doc("永岁镇临时救助办法", kind="办法", created="2024-03-03", published="2024-03-06", normative="true")


def decision(*, published: str = "2026-04-17", repeals: str = "[2016/old]", amends: str | None = None) -> str:
    return doc("关于废止部分文件的决定", kind="决定", created="2026-04-13", published=published,
               repeals=repeals, amends=amends)


def tree(**extra: str) -> dict[str, str]:
    return {"documents/2016/old.md": OLD, "documents/2025/new.md": NEW, "documents/2024/other.md": OTHER,
            "documents/2026/jueding.md": decision(), **{k.replace("__", "/") + ".md": v for k, v in extra.items()}}


def errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    _, diags = check_content(make_site(tmp_path, files), TODAY)
    return [d.text() for d in diags.errors]


def test_validity_is_a_controlled_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    got = errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(validity="现行有效")})
    assert len(got) == 1
    assert got[0].startswith("content/documents/2026/dibao.md:8:11: 错误: ")
    assert "有效" in got[0] and "失效" in got[0] and "废止" in got[0] and "已修订" in got[0]


def test_a_repeal_decision_marks_the_documents_it_names(tmp_path: Path) -> None:
    site, diags = check_content(make_site(tmp_path, tree()), TODAY)
    assert site is not None and not diags.errors, [d.text() for d in diags.errors]
    assert current_validity(site, "2016/old") is Validity.REPEALED
    assert current_validity(site, "2025/new") is None
    assert repealed_by(site) == {"2016/old": ["2026/jueding"]}
    # before the decision is published nothing is repealed
    assert current_validity(site, "2016/old", date(2026, 4, 16)) is None


def test_an_amending_decision_marks_already_revised(tmp_path: Path) -> None:
    files = tree()
    files["documents/2026/jueding.md"] = decision(repeals="[]", amends="[2024/other]")
    site, diags = check_content(make_site(tmp_path, files), TODAY)
    assert site is not None and not diags.errors
    assert current_validity(site, "2024/other") is Validity.AMENDED
    assert current_validity(site, "2016/old") is None


def test_dangling_repeals_and_amends_are_errors_at_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = tree()
    files["documents/2026/jueding.md"] = decision(repeals="\n  - 2016/old\n  - 2016/olt\n  - 2026/jueding", amends="[2018/nothing, 2016/old]")
    assert errors(tmp_path, monkeypatch, files) == [
        ("content/documents/2026/jueding.md:10:5: 错误: 被废止的文件“2016/olt”不存在（是否想写“2016/old”？；"
        "废止的文件不在本站的，请在正文中列出其名称和文号，不要写进 repeals）"),
        ("content/documents/2026/jueding.md:11:5: 错误: repeals 填的是本文件自己（“2026/jueding”）"
        "（repeals 应填写被本文件废止的其他文件的 id（documents/ 下的路径，不含 .md））"),
        ("content/documents/2026/jueding.md:12:10: 错误: 被修订的文件“2018/nothing”不存在（填写被修订文件在 documents/ 下的路径"
        "（不含 .md），例如 2018/gaoling-butie-banfa；修订的文件不在本站的，请在正文中列出其名称和文号，不要写进 amends）"),
        ("content/documents/2026/jueding.md:12:24: 错误: 文件“2016/old”同时写在 repeals 和 amends 中"
        "（一份文件要么被废止，要么被修订：请从其中一个列表中删除）"),
    ]


def test_a_public_decision_may_not_link_a_withheld_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = tree()
    files["documents/2016/old.md"] = doc("内部管理规定", attribute="不予公开", published=None, created="2016-05-09",
                                         kind="规定", reason="内部管理", legal_basis="内部事务信息")
    got = errors(tmp_path, monkeypatch, files)
    assert got == [("content/documents/2026/jueding.md:8:11: 错误: 公开的文件在 repeals 中指向了不予公开的文件“2016/old”"
                   "（不予公开的文件不能在公开页面上链接；请核对公开属性，或从列表中删除）")]


def test_annual_report_counts_repealed_and_in_force_normative_documents(tmp_path: Path) -> None:
    """2021 年报格式第二部分：行政规范性文件 本年制发 / 本年废止 / 现行有效."""
    files = tree()
    files["documents/2023/expired.md"] = doc("已失效办法", kind="办法", created="2023-03-03", published="2023-03-06",
                                             normative="true", validity="失效")
    site, diags = check_content(make_site(tmp_path, files), TODAY)
    assert site is not None and not diags.errors
    counts = validity_counts(site, 2026)
    assert counts.issued == ()
    assert counts.repealed == ("2016/old",)
    assert counts.in_force == ("2024/other", "2025/new")
    counts = validity_counts(site, 2025)
    assert (counts.issued, counts.repealed, counts.in_force) == (("2025/new",), (), ("2016/old", "2024/other", "2025/new"))


def test_repealed_normative_document_needs_no_interpretation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, diags = check_content(make_site(tmp_path, tree()), TODAY)
    flagged = sorted(d.path for d in diags.warnings if "规范性文件未解读" in d.message)
    assert flagged == ["content/documents/2024/other.md", "content/documents/2025/new.md"]


def page_text(site_dir: Path, path: str) -> str:
    html = (site_dir / path).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_example_decision_and_repealed_documents_link_each_other(example_site: Path) -> None:
    old = (example_site / "documents/2018/gaoling-butie-fafang-banfa.html").read_text(encoding="utf-8")
    assert "本文件已废止，见 <a href=\"../../documents/2026/feizhi-bufen-wenjian-jueding.html\">" in old
    assert "有效性已废止" in page_text(example_site, "documents/2018/gaoling-butie-fafang-banfa.html")
    assert "有效性已失效" in page_text(example_site, "documents/2019/weifang-gaizao-tongzhi-2019.html")
    text = page_text(example_site, "documents/2026/feizhi-bufen-wenjian-jueding.html")
    assert ("本文件废止：《永岁镇农村最低生活保障管理暂行办法》、《永岁镇高龄老人生活补贴发放办法》。") in text
    assert "有效性有效" in text
    assert "已废止" not in page_text(example_site, "documents/2024/gaoling-jintie-shenling-fafang-banfa.html")
