"""The reports' content: register (with the canary), review, annual figures, catalog export."""

from __future__ import annotations

import csv
import html
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sitekit import TODAY, doc, make_site

from gongkai.models import CHANNEL_ORDER
from gongkai.reports import annual_files, catalog_files, register_files, review_files
from gongkai.site import Site
from gongkai.validate import check_content

# Unique strings that exist only in 不予公开 documents (title, 文号, reason) and a body.
CANARY_TITLE = "金丝雀标题QX7F3A"
CANARY_NUMBER = "永岁内〔2024〕7号"
CANARY_REASON = "金丝雀理由ZB91BD讨论记录"
CANARY_BODY = "金丝雀正文KC4E2"
CANARIES = (CANARY_TITLE, CANARY_NUMBER, CANARY_REASON)

EXTRA_AREA = """\
area: 财政预决算
order: 2
items:
  - id: czys-yusuan
    level1: 财政预决算
    level2: 政府预算
    content: 一般公共预算收支表
    basis: [《中华人民共和国预算法》, 《政府信息公开条例》]
    time_limit: 本级人民代表大会批准后20日内
    subject: 永岁镇人民政府
    channels: [政府网站, 其他]
    channels_other: 财政信息公开平台
    audience: 特定群众
    mode: 依申请公开
    level: 镇级
"""


def tree() -> dict[str, str]:
    return {
        "catalog/czys.yaml": EXTRA_AREA,
        # 主动公开: on time (sitekit default, 2026), late (2025), an interpretation (2025)
        "documents/2025/late.md": doc(
            "低保审核结果公示", kind="公示", created="2025-06-03", published="2025-07-15"
        ),
        "documents/2025/budget.md": doc(
            "2025年预算公开",
            item="czys-yusuan",
            kind="预算",
            created="2025-02-10",
            published="2025-02-20",
        ),
        "documents/2025/late-jiedu.md": doc(
            "低保审核结果公示解读",
            kind="解读",
            interprets="2025/late",
            created="2025-07-14",
            published="2025-07-15",
        ),
        # 不予公开: overdue for review (created 2024-11-20, never reviewed)
        "documents/2024/minutes.md": doc(
            CANARY_TITLE,
            doc_number=CANARY_NUMBER,
            attribute="不予公开",
            reason=CANARY_REASON,
            legal_basis="第十六条 过程性信息",
            kind="纪要",
            created="2024-11-20",
            published=None,
            body=f"{CANARY_BODY}\n",
        ),
        # 不予公开: reviewed recently, ground 个人隐私 (form row 4)
        "documents/2025/privacy.md": doc(
            "低保对象家庭经济状况核查表",
            attribute="不予公开",
            reason="含家庭收入、健康状况",
            legal_basis="个人隐私",
            kind="其他",
            created="2025-03-01",
            reviewed="2025-12-01",
            published=None,
        ),
        # 依申请公开: due within 90 days (2027-01-10)
        "documents/2025/roster.md": doc(
            "2025年度困难群众花名册",
            attribute="依申请公开",
            reason="含个人信息，仅向本人提供",
            kind="名单",
            created="2025-01-10",
            published=None,
            villages="[jingtou]",
        ),
    }


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, tree())
    result, diags = check_content(content, TODAY)
    assert result is not None, [d.text() for d in diags.errors]
    return result


def xlsx(data: bytes | str):  # type: ignore[no-untyped-def]
    assert isinstance(data, bytes)
    return load_workbook(io.BytesIO(data))


def csv_rows(data: bytes | str) -> list[list[str]]:
    assert isinstance(data, bytes) and data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- register --------------------------------------------------------------------------------


def test_register_lists_every_document_with_attributes(site: Site) -> None:
    files = register_files(site)
    assert sorted(files) == ["register.csv", "register.html", "register.xlsx"]
    rows = csv_rows(files["register.csv"])
    header = rows[0]
    assert header[:7] == [
        "序号",
        "文件编号",
        "标题",
        "发文字号",
        "公开属性",
        "不公开或依申请公开理由",
        "不予公开依据",
    ]
    assert [r[1] for r in rows[1:]] == [
        "2024/minutes",
        "2025/roster",
        "2025/budget",
        "2025/privacy",
        "2025/late",
        "2025/late-jiedu",
        "2026/dibao",
    ]  # by 成文日期
    by_id = {r[1]: dict(zip(header, r)) for r in rows[1:]}
    minutes = by_id["2024/minutes"]
    assert minutes["公开属性"] == "不予公开"
    assert minutes["不予公开依据"] == "第十六条 过程性信息"
    assert minutes["成文日期"] == "2024-11-20"
    assert minutes["最近自查日期"] == ""
    assert minutes["下次自查日期"] == "2026-11-20"
    assert minutes["自查状态"] == "已逾期 6 天"
    assert minutes["源文件"] == "content/documents/2024/minutes.md"
    roster = by_id["2025/roster"]
    assert (roster["下次自查日期"], roster["自查状态"], roster["适用村（社区）"]) == (
        "2027-01-10",
        "45 天后到期",
        "井头村",
    )
    privacy = by_id["2025/privacy"]
    assert (privacy["最近自查日期"], privacy["下次自查日期"], privacy["自查状态"]) == (
        "2025-12-01",
        "2027-12-01",
        "正常",
    )
    dibao = by_id["2026/dibao"]
    assert dibao["发布日期"] == "2026-03-05"
    assert dibao["所属公开事项"] == "最低生活保障 / 审核信息（shjz-dibao）"
    assert dibao["领域"] == "社会救助"
    assert dibao["发布机构"] == "全州县永岁镇人民政府"
    assert (dibao["下次自查日期"], dibao["自查状态"]) == ("", "无需自查")


def test_register_xlsx_cells(site: Site) -> None:
    wb = xlsx(register_files(site)["register.xlsx"])
    assert wb.sheetnames == ["公开属性登记"]
    ws = wb["公开属性登记"]
    assert ws["A1"].value == "永岁镇公文公开属性登记"
    assert ws["A2"].value == "序号" and ws["E2"].value == "公开属性"
    assert [ws.cell(row=3, column=c).value for c in (1, 2, 3, 4, 5, 6, 7)] == [
        1,
        "2024/minutes",
        CANARY_TITLE,
        CANARY_NUMBER,
        "不予公开",
        CANARY_REASON,
        "第十六条 过程性信息",
    ]
    assert ws["N3"].value == datetime(2024, 11, 20)  # 成文日期 is a real date cell
    assert ws["N3"].number_format == "yyyy-mm-dd"
    assert ws.max_row == 2 + 7
    assert ws.freeze_panes == "A3"


def test_register_html_is_marked_internal(site: Site) -> None:
    page = register_files(site)["register.html"]
    assert isinstance(page, str)
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "内部资料" in page
    assert "共 7 件：主动公开 4 件，依申请公开 1 件，不予公开 2 件。统计日期 2026-11-26。" in page


def _texts(files: dict[str, bytes | str]) -> str:
    """All text of a report's files, XLSX included (its shared strings and sheets)."""
    out = []
    for data in files.values():
        if isinstance(data, str):
            out.append(data)
        elif data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                # openpyxl may write inline strings as character references (&#37329;…)
                out += [html.unescape(z.read(n).decode("utf-8")) for n in z.namelist() if n.endswith(".xml")]
        else:
            out.append(data.decode("utf-8-sig"))
    return "\n".join(out)


def test_canary_withheld_strings_appear_in_the_register(site: Site) -> None:
    """The register is where withheld documents ARE listed (the site must never show them)."""
    files = register_files(site)
    for name, data in files.items():
        text = _texts({name: data})
        for canary in CANARIES:
            assert canary in text, (canary, name)
    assert CANARY_BODY not in _texts(files)  # bodies are not copied into reports


def test_canary_absent_from_publishable_reports(site: Site) -> None:
    """The annual figures and the catalog export are sent upward and published: counts only."""
    for files in (
        annual_files(site, 2024),
        annual_files(site, 2025),
        catalog_files(site, "xlsx"),
        catalog_files(site, "csv"),
    ):
        text = _texts(files)
        for canary in (*CANARIES, CANARY_BODY):
            assert canary not in text


# --- review ----------------------------------------------------------------------------------


def test_review_lists_overdue_and_due_within_90_days(site: Site) -> None:
    files = review_files(site)
    assert sorted(files) == ["review.csv", "review.html", "review.md"]
    rows = csv_rows(files["review.csv"])
    assert rows[0] == [
        "分组",
        "序号",
        "文件编号",
        "标题",
        "公开属性",
        "不公开或依申请公开理由",
        "不予公开依据",
        "最近自查日期",
        "自查期限",
        "状态",
        "源文件",
    ]
    assert rows[1:] == [
        [
            "已逾期",
            "1",
            "2024/minutes",
            CANARY_TITLE,
            "不予公开",
            CANARY_REASON,
            "第十六条 过程性信息",
            "未自查（成文 2024-11-20）",
            "2026-11-20",
            "已逾期 6 天",
            "content/documents/2024/minutes.md",
        ],
        [
            "90 日内到期",
            "1",
            "2025/roster",
            "2025年度困难群众花名册",
            "依申请公开",
            "含个人信息，仅向本人提供",
            "",
            "未自查（成文 2025-01-10）",
            "2027-01-10",
            "45 天后到期",
            "content/documents/2025/roster.md",
        ],
    ]
    md = files["review.md"]
    assert isinstance(md, str)
    assert "统计日期 2026-11-26：已逾期 1 件，90 日内到期 1 件。" in md
    assert "## 已逾期（应立即自查）" in md
    assert "## 90 日内到期（2026-11-26 起 90 天内）" in md
    assert f"| 1 | 2024/minutes | {CANARY_TITLE} | 不予公开 |" in md


# --- annual ----------------------------------------------------------------------------------


def _sheet_rows(ws) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        row for row in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in row)
    ]


def test_annual_figures(site: Site) -> None:
    files = annual_files(site, 2025)
    assert sorted(files) == ["annual-2025.md", "annual-2025.xlsx", "annual-report-2025.md"]
    wb = xlsx(files["annual-2025.xlsx"])
    assert wb.sheetnames == ["概况", "按文种", "按领域", "时效", "超期文件", "不予公开按理由"]
    assert _sheet_rows(wb["概况"]) == [
        ("本年主动公开文件（按发布日期）", 3),
        ("其中：按时公开", 2),
        ("其中：超期公开", 1),
        ("其中：无法判断（节假日数据未覆盖）", 0),
        ("其中：政策解读", 1),
        ("本年成文的依申请公开文件", 1),
        ("本年成文的不予公开文件", 1),
    ]
    assert _sheet_rows(wb["按文种"]) == [("公示", 1), ("解读", 1), ("预算", 1), ("合计", 3)]
    assert _sheet_rows(wb["按领域"]) == [
        ("社会救助", 2, 1, 1, 0),
        ("财政预决算", 1, 1, 0, 0),
        ("合计", 3, 2, 1, 0),
    ]
    assert _sheet_rows(wb["时效"])[:4] == [
        ("按时", 2, "66.7%"),
        ("超期", 1, "33.3%"),
        ("无法判断", 0, "0.0%"),
        ("合计", 3, "100.0%"),
    ]
    # 2025-06-03 + 10 working days (端午 2025-05-31..06-02 is before) = 2025-06-17
    assert _sheet_rows(wb["超期文件"]) == [
        (
            1,
            "2025/late",
            "低保审核结果公示",
            datetime(2025, 6, 3),
            "10个工作日",
            datetime(2025, 6, 17),
            datetime(2025, 7, 15),
            28,
        )
    ]
    grounds = _sheet_rows(wb["不予公开按理由"])
    assert grounds[3] == (4, "保护第三方合法权益", "第十五条 商业秘密、第十五条 个人隐私", 1, 1)
    assert grounds[5] == (6, "属于四类过程性信息", "第十六条 过程性信息", 0, 1)
    assert grounds[8] == (None, "合计", None, 1, 2)
    md = files["annual-2025.md"]
    assert isinstance(md, str)
    assert md.startswith("# 全州县永岁镇人民政府2025年政府信息公开工作年度报告数据\n")
    assert "| 社会救助 | 2 | 1 | 1 | 0 |" in md
    assert "## 需要人工填写的栏目\n\n- 规章：乡镇人民政府一般为 0；行政许可、行政处罚" in md


def test_annual_counts_withheld_by_year_created(site: Site) -> None:
    wb = xlsx(annual_files(site, 2024)["annual-2024.xlsx"])
    grounds = _sheet_rows(wb["不予公开按理由"])
    assert grounds[5] == (6, "属于四类过程性信息", "第十六条 过程性信息", 1, 1)
    assert grounds[3][3:] == (0, 0)


# --- catalog ---------------------------------------------------------------------------------


def test_catalog_xlsx_standard_columns(site: Site) -> None:
    wb = xlsx(catalog_files(site, "xlsx")["catalog.xlsx"])
    assert wb.sheetnames == ["社会救助", "财政预决算"]
    ws = wb["社会救助"]
    assert ws["A1"].value == "永岁镇社会救助领域基层政务公开标准目录"
    header2 = [ws.cell(row=2, column=c).value for c in range(1, 24)]
    header3 = [ws.cell(row=3, column=c).value for c in range(1, 24)]
    assert header2[:8] == [
        "序号",
        "公开事项",
        None,
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
    ]
    assert header2[20:] == ["公开对象", "公开方式", "公开层级"]
    assert header3[1:3] == ["一级事项", "二级事项"]
    assert header3[7:20] == [c.value for c in CHANNEL_ORDER]
    assert "H2:T2" in {str(r) for r in ws.merged_cells.ranges}
    row = [ws.cell(row=4, column=c).value for c in range(1, 24)]
    assert row[:7] == [
        1,
        "最低生活保障",
        "审核信息",
        "初审对象名单及相关信息",
        "《社会救助暂行办法》",
        "制定或获取信息之日起10个工作日内，公示7个工作日",
        "永岁镇人民政府",
    ]
    # ticked: 政府网站 (1st) and the notice board (11th)
    assert row[7:20] == ["■"] + ["□"] * 9 + ["■", "□", "□"]
    assert row[20:] == ["全社会", "主动", "乡级、村级"]
    finance = wb["财政预决算"]
    frow = [finance.cell(row=4, column=c).value for c in range(1, 24)]
    assert frow[4] == "《中华人民共和国预算法》\n《政府信息公开条例》"
    assert frow[19] == "■（财政信息公开平台）"
    assert frow[20:] == ["特定群体", "依申请", "乡级"]  # variants normalised


def test_catalog_csv_one_file_per_area(site: Site) -> None:
    files = catalog_files(site, "csv")
    assert sorted(files) == ["catalog-czys.csv", "catalog-shjz.csv"]
    rows = csv_rows(files["catalog-shjz.csv"])
    assert rows[0][:7] == [
        "序号",
        "一级事项",
        "二级事项",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
    ]
    assert rows[0][7] == "公开渠道和载体-政府网站"
    assert rows[0][19] == "公开渠道和载体-其他"
    assert rows[0][20:] == ["公开对象", "公开方式", "公开层级"]
    assert len(rows) == 3
    assert rows[2][:3] == ["2", "最低生活保障", "办事指南"]
    assert rows[2][7:20] == ["■", "□", "□", "□", "□", "□", "□", "■", "□", "□", "□", "□", "□"]


# --- determinism -----------------------------------------------------------------------------


def test_reports_are_byte_identical_across_runs(site: Site) -> None:
    for make in (
        register_files,
        review_files,
        lambda s: annual_files(s, 2025),
        lambda s: catalog_files(s, "xlsx"),
    ):
        first = make(site)
        again = make(site)
        assert first == again


def test_xlsx_carries_the_report_date_not_the_clock(site: Site) -> None:
    data = register_files(site)["register.xlsx"]
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 26, 0, 0, 0)}
    assert core.count("2026-11-26T00:00:00Z") == 2
    assert date.today().isoformat() not in core or date.today() == TODAY
