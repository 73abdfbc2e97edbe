"""`gongkai report applications`: the register and table 三 of the 2021 annual-report format."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sitekit import run_cli

from gongkai.models import REASONS, ApplicantType, Application, Outcome
from gongkai.reports.applications import APPLICANT_COLUMNS, outcome_table

REPO = Path(__file__).resolve().parent.parent
ROW_LABELS = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    *[f"（三）不予公开 {n}.{r}" for n, r in enumerate(["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”",
                                                  "保护第三方合法权益", "属于三类内部事务信息", "属于四类过程性信息",
                                                  "属于行政执法案卷", "属于行政查询事项"], start=1)],
    *[f"（四）无法提供 {n}.{r}" for n, r in enumerate(["本机关不掌握相关政府信息", "没有现成信息需要另行制作",
                                                  "补正后申请内容仍不明确"], start=1)],
    *[f"（五）不予处理 {n}.{r}" for n, r in enumerate(["信访举报投诉类申请", "重复申请", "要求提供公开出版物",
                                                  "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"], start=1)],
    *[f"（六）其他处理 {n}.{r}" for n, r in enumerate([
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"], start=1)],
    "（七）总计", "四、结转下年度继续办理",
]


def labelled(table) -> dict[str, tuple[int, ...]]:  # type: ignore[no-untyped-def]
    """Row label (分项 and 情形 joined, carried down) → counts."""
    out, group = {}, ""
    for row in table.rows:
        item, sub, case = row[:3]
        if sub:
            group = sub
        label = item if item and not sub else (f"{group} {case}" if case else sub)
        out[label] = tuple(row[3:])
    return out


def example_register() -> list[dict]:  # type: ignore[type-arg]
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "content/applications").glob("*.yaml"))]


def test_table_three_of_the_example_matches_the_register(tmp_path: Path) -> None:
    result = run_cli("report", "applications", "--content", str(REPO / "content"), "--out", str(tmp_path / "r"),
                     "--today", "2026-11-26", "--year", "2025", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"已写入 {(tmp_path / 'r/applications.html').as_posix()}",
                                          f"已写入 {(tmp_path / 'r/applications.xlsx').as_posix()}"]
    wb = load_workbook(tmp_path / "r/applications.xlsx")
    assert wb.sheetnames == ["申请登记", "2025年申请办理情况"]
    sheet = wb["2025年申请办理情况"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[:3] == ["项目", "分项", "情形"])
    assert values[header][3:] == list(APPLICANT_COLUMNS)
    table = SimpleNamespace(rows=[tuple("" if v is None else v for v in r) for r in values[header + 1:]
                                  if isinstance(r[3], int)])
    rows = labelled(table)
    assert list(rows) == ROW_LABELS
    # independently from the YAML files
    apps = example_register()
    year = [a for a in apps if a["received"].year == 2025]
    answered = [a for a in apps if a.get("answered") and a["answered"].year == 2025]
    kinds = [t.value for t in ApplicantType]

    def counts(selected: list[dict]) -> tuple[int, ...]:  # type: ignore[type-arg]
        per = [sum(1 for a in selected if a["applicant"] == k) for k in kinds]
        return (*per, sum(per))

    assert rows["一、本年新收政府信息公开申请数量"] == counts(year) == (4, 1, 0, 1, 1, 0, 7)
    assert rows["（一）予以公开"] == counts([a for a in answered if a["outcome"] == "予以公开"])
    assert rows["（三）不予公开 7.属于行政执法案卷"] == (0, 0, 0, 0, 1, 0, 1)
    assert rows["（四）无法提供 1.本机关不掌握相关政府信息"] == (0, 1, 0, 0, 0, 0, 1)
    assert rows["（七）总计"] == counts(answered) == (4, 1, 0, 0, 1, 0, 6)
    assert rows["四、结转下年度继续办理"] == (0, 0, 0, 1, 0, 0, 1)  # YSQ-2025-007, answered 2026-01-14
    html = (tmp_path / "r/applications.html").read_text(encoding="utf-8")
    assert "内部资料" in html and 'content="noindex, nofollow"' in html
    for a in apps:
        assert f"<td>{a['reference']}</td>" in html


def test_next_year_counts_the_carried_application(tmp_path: Path) -> None:
    result = run_cli("report", "applications", "--content", str(REPO / "content"), "--out", str(tmp_path / "r"),
                     "--today", "2026-11-26", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "r/applications.html").read_text(encoding="utf-8")
    table = html.split("<h2>永岁镇2026年收到和处理政府信息公开申请情况</h2>", 1)[1]
    cells = [re.findall(r"<td>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", table)]
    by_label = labelled(SimpleNamespace(rows=[(*r[:3], *(int(x) for x in r[3:])) for r in cells if r]))
    assert by_label["二、上年结转政府信息公开申请数量"] == (0, 0, 0, 1, 0, 0, 1)
    assert by_label["（三）不予公开 4.保护第三方合法权益"][-1] == 1


def test_register_rows_show_deadlines_and_status(tmp_path: Path) -> None:
    run_cli("report", "applications", "--content", str(REPO / "content"), "--out", str(tmp_path / "r"),
            "--today", "2026-11-26", cwd=tmp_path)
    sheet = load_workbook(tmp_path / "r/applications.xlsx")["申请登记"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[:2] == ["序号", "内部编号"])
    rows = {r[1]: dict(zip(values[header], r, strict=True)) for r in values[header + 1:] if r[1]}
    assert list(rows) == [a["reference"] for a in sorted(example_register(), key=lambda a: (a["received"], a["reference"]))]
    extended = rows["YSQ-2025-006"]
    assert extended["延期理由"] and extended["答复期限"].date() == date(2025, 12, 15) and extended["状态"] == "已答复"
    assert rows["YSQ-2025-004"]["答复期限"].date() == date(2025, 8, 22)  # 20 working days from the correction


# --- the counting identity for any register --------------------------------------------------

DAY0 = date(2024, 1, 1)


@st.composite
def applications(draw) -> Application:  # type: ignore[no-untyped-def]
    received = DAY0 + timedelta(days=draw(st.integers(0, 3 * 365)))
    answered = draw(st.none() | st.integers(0, 120).map(lambda d: received + timedelta(days=d)))
    outcome = draw(st.sampled_from(list(Outcome))) if answered else None
    reason = draw(st.sampled_from(list(REASONS[outcome]))).value if outcome in REASONS else None
    return Application(reference="R", received=received, channel="当面提交",
                       applicant=draw(st.sampled_from(list(ApplicantType))), request="x",
                       answered=answered, outcome=outcome, reason=reason)


@settings(max_examples=150, deadline=None)
@given(st.lists(applications(), max_size=40), st.integers(2024, 2027))
def test_new_plus_carried_equals_answered_plus_carried_over(apps: list[Application], year: int) -> None:
    site = SimpleNamespace(applications={str(i): SimpleNamespace(model=a) for i, a in enumerate(apps)},
                           town=SimpleNamespace(model=SimpleNamespace(short_name="永岁镇")))
    rows = labelled(outcome_table(site, year))  # type: ignore[arg-type]
    assert list(rows) == ROW_LABELS
    outcome_rows = [r for label, r in rows.items() if label not in (
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理")]
    for col in range(7):
        assert sum(r[col] for r in outcome_rows) == rows["（七）总计"][col]
        assert (rows["一、本年新收政府信息公开申请数量"][col] + rows["二、上年结转政府信息公开申请数量"][col]
                == rows["（七）总计"][col] + rows["四、结转下年度继续办理"][col])
    for r in rows.values():
        assert sum(r[:6]) == r[6]
    assert rows["一、本年新收政府信息公开申请数量"][6] == sum(1 for a in apps if a.received.year == year)
