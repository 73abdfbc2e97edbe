"""`gongkai report annual --year Y`: the whole report in the 2021 format, and the example's 2025 report."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from sitekit import doc, run_cli

from gongkai.reports.annual_draft import draft_report, normative_figures
from gongkai.validate import check_content

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_2025 = REPO / "content/documents/2026/zhengwu-gongkai-niandu-baogao-2025.md"
SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def tables(markdown: str) -> list[list[list[str]]]:
    """Every Markdown table as rows of cells (the separator row dropped)."""
    out, current = [], []
    for line in markdown.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                current.append(cells)
        elif current:
            out.append(current)
            current = []
    return out


@pytest.fixture(scope="module")
def example() -> object:
    site, diags = check_content(REPO / "content", date(2026, 11, 26))
    assert site is not None, [d.text() for d in diags.errors]
    return site


def test_cli_writes_the_draft_with_front_matter(tmp_path: Path) -> None:
    result = run_cli("report", "annual", "--year", "2025", "--content", str(REPO / "content"),
                     "--out", str(tmp_path / "r"), "--today", "2026-01-16", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "r/annual-report-2025.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {
        "title": "全州县永岁镇人民政府2025年政府信息公开工作年度报告", "item": "zwgk-niandu-baogao", "attribute": "主动公开",
        "kind": "年报", "created": date(2026, 1, 16), "published": date(2026, 1, 16), "period": "2025", "topic": "政务公开",
        "keywords": ["年度报告", "政府信息公开"], "summary": front["summary"],
    }
    assert re.fullmatch(r"2025年主动公开政府信息\d+条，收到政府信息公开申请7件，办结6件。", front["summary"])
    assert re.findall(r"^## (.+)$", text, flags=re.MULTILINE) == SECTIONS


def test_draft_is_a_valid_document_that_replaces_the_example_report(tmp_path: Path, example) -> None:  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (content / "documents/2026/zhengwu-gongkai-niandu-baogao-2025.md").write_text(
        draft_report(example, 2025), encoding="utf-8")
    site, diags = check_content(content, date(2026, 11, 26))
    assert site is not None and not diags.errors, [d.text() for d in diags.errors]


def test_example_2025_report_is_in_the_2021_format_with_the_figures_of_the_content(example) -> None:  # type: ignore[no-untyped-def]
    published = EXAMPLE_2025.read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", published, flags=re.MULTILINE) == SECTIONS
    assert tables(published) == tables(draft_report(example, 2025))  # every table, every cell


def test_section_two_counts_normative_documents_and_the_data_file(example) -> None:  # type: ignore[no-untyped-def]
    normative = {i: e.model for i, e in example.documents.items() if e.model.normative}
    assert sorted(normative) == ["2016/dibao-guanli-zanxing-banfa", "2018/gaoling-butie-fafang-banfa",
                                 "2024/gaoling-jintie-shenling-fafang-banfa", "2025/dibao-shenhe-queren-shishi-xize",
                                 "2026/cunji-caiwu-gongkai-guifan-yijian"]
    # the 2016 and 2018 办法 are in force until the 2026 decision repeals them (repeals:)
    assert normative_figures(example, 2025) == (1, 0, 4)
    assert normative_figures(example, 2026) == (1, 2, 3)
    t = tables(draft_report(example, 2025))
    assert t[0] == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"],
                    ["行政规范性文件", "1", "0", "4"]]
    data = yaml.safe_load((REPO / "content/annual/2025.yaml").read_text(encoding="utf-8"))
    assert t[1] == [["信息内容", "本年处理决定数量"], ["行政许可", str(data["licensing"])]]
    assert t[2] == [["信息内容", "本年处理决定数量"], ["行政处罚", str(data["penalties"])],
                    ["行政强制", str(data["enforcement"])]]
    assert t[3][1] == ["行政事业性收费", f"{data['fees']:g}"]


def test_section_three_is_the_full_table_with_consistent_sums(example) -> None:  # type: ignore[no-untyped-def]
    t = tables(draft_report(example, 2025))[4]
    assert t[0] == ["项目", "分项", "情形", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    body = t[1:]
    assert len(body) == 25  # 一, 二, 三 (予以公开, 部分公开, 8 + 3 + 5 + 3 reasons, 总计), 四
    numbers = [[int(c) for c in r[3:]] for r in body]
    for r in numbers:
        assert sum(r[:6]) == r[6]
    results, total = numbers[2:23], numbers[23]
    assert [sum(col) for col in zip(*results, strict=True)] == total
    assert [a + b for a, b in zip(numbers[0], numbers[1], strict=True)] == [
        a + b for a, b in zip(total, numbers[24], strict=True)]
    apps = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "content/applications").glob("*.yaml")]
    assert numbers[0][6] == sum(1 for a in apps if a["received"].year == 2025)
    assert total[6] == sum(1 for a in apps if a.get("answered") and a["answered"].year == 2025)


def test_sections_four_to_six(example) -> None:  # type: ignore[no-untyped-def]
    text = draft_report(example, 2025)
    t = tables(text)[5]
    assert t == [["类别", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                 ["行政复议", "0", "0", "0", "0", "0"], ["行政诉讼（未经复议直接起诉）", "0", "0", "0", "0", "0"],
                 ["行政诉讼（复议后起诉）", "0", "0", "0", "0", "0"]]
    assert "本年度未收取信息处理费。" in text.split("## 六、其他需要报告的事项", 1)[1]


def test_without_a_data_file_figures_are_marked_to_fill_not_invented(built) -> None:  # type: ignore[no-untyped-def]
    site_dir, result = built({
        "documents/2025/a.md": doc("2025年低保名单", created="2025-05-02", published="2025-05-06"),
        "applications/a.yaml": "reference: A-1\nreceived: 2025-03-03\nchannel: 信函\napplicant: 科研机构\n"
                               "request: 某信息\nanswered: 2025-03-10\noutcome: 予以公开\nfee: 120\n",
    })
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    site, _ = check_content(site_dir.parent / "content", date(2026, 1, 10))
    text = draft_report(site, 2025)
    assert "（草稿：本年度 content/annual/2025.yaml 未填写，标为“待填”的数字请在该文件中填写后重新生成。）" in text
    t = tables(text)
    assert t[1][1] == ["行政许可", "待填"] and t[5][1] == ["行政复议", "待填", "待填", "待填", "待填", "待填"]
    assert "收取信息处理费1件，共120元。" in text
    # the tiny catalog has no 年度报告 item and no report was filed yet: the draft says what to fill
    assert "\n# item: 请填写公开目录中“政府信息公开工作年度报告”事项的 id\n" in text
