"""缺项: periodic 乡级 items need a public document for their latest due period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site

from gongkai.models import Period
from gongkai.rules.completeness import ItemStatus, Span, Status, completeness
from gongkai.validate import check_content

VILLAGE_AREA = """\
area: 村务公开
order: 3
items:
  - id: cwgk-caiwu-jidu
    level1: 财务公开
    level2: 季度财务收支
    content: 季度财务收支明细
    time_limit: 每季度结束后10个工作日内
    subject: 永岁镇人民政府
    channels: [政府网站, 村公示栏]
    level: 乡、村级
  - id: cwgk-yue
    level1: 财务公开
    level2: 月度收支
    content: 月度收支
    time_limit: 次月15日前
    deadline: {days: 15, unit: 自然日}
    period: 每月
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
  - id: cwgk-cunji
    level1: 村级财务
    level2: 村级月度收支
    content: 村级月度收支
    time_limit: 每月公开
    subject: 村民委员会
    channels: 村公示栏
    level: 村级
"""
HINT_TAIL = "已发布的文件如未填写 period，会按成文日期归入期间，请补填 period）"


def quarterly(**fields: str) -> str:
    return doc("2026年第三季度财务收支公开", item="cwgk-caiwu-jidu", kind="报告", **fields)


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], today: date = TODAY
) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"catalog/cwgk.yaml": VILLAGE_AREA, **files})
    _, diags = check_content(content, today)
    return [d.text() for d in diags.sorted() if "缺项" in d.message]


def statuses(tmp_path: Path, files: dict[str, str], today: date = TODAY) -> dict[str, ItemStatus]:
    content = make_site(tmp_path, {"catalog/cwgk.yaml": VILLAGE_AREA, **files})
    site, diags = check_content(content, today)
    assert site is not None, diags.errors
    return completeness(site)


MONTHLY_OK = {
    "documents/2026/yue.md": doc(
        "10月收支",
        item="cwgk-yue",
        period="2026-10",
        kind="报告",
        created="2026-11-02",
        published="2026-11-03",
    )
}


def test_quarterly_item_without_its_latest_quarter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "documents/2026/q2.md": quarterly(
            period="2026-Q2", created="2026-07-06", published="2026-07-08"
        ),
        **MONTHLY_OK,
    }
    assert run(tmp_path, monkeypatch, files) == [
        "content/catalog/cwgk.yaml:4:9: 警告: 缺项：事项“财务公开 / 季度财务收支”（每季度公开）没有2026年第三季度"
        "（2026-Q3）的公开文件，该期公开期限至 2026-10-20（请发布该期文件，并在文件头部填写 item: cwgk-caiwu-jidu"
        " 和 period: 2026-Q3；" + HINT_TAIL
    ]


def test_quarterly_item_covered_by_period_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "documents/2026/q3.md": quarterly(
            period="2026-Q3", created="2026-10-12", published="2026-10-14"
        ),
        **MONTHLY_OK,
    }
    assert run(tmp_path, monkeypatch, files) == []
    status = statuses(tmp_path, files)["cwgk-caiwu-jidu"]
    assert status == ItemStatus(
        "cwgk-caiwu-jidu",
        Status.OK,
        Period.QUARTERLY,
        "2026-Q3",
        "2026年第三季度",
        date(2026, 10, 20),
        ("2026/q3",),
    )


def test_without_period_the_created_date_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # created in Q3: covers Q3
    files = {
        "documents/2026/q3.md": quarterly(created="2026-09-28", published="2026-09-30"),
        **MONTHLY_OK,
    }
    assert run(tmp_path, monkeypatch, files) == []
    # created in October without `period`: it is about Q4 by its date, which is later than Q3
    # and so still shows the item is up to date
    files = {
        "documents/2026/q3.md": quarterly(created="2026-10-12", published="2026-10-14"),
        **MONTHLY_OK,
    }
    assert run(tmp_path, monkeypatch, files) == []
    # created in Q2 without `period`: Q3 is missing
    files = {
        "documents/2026/q3.md": quarterly(created="2026-06-12", published="2026-06-14"),
        **MONTHLY_OK,
    }
    assert len(run(tmp_path, monkeypatch, files)) == 1


YEARLY_AREA = """\
area: 涉农补贴
items:
  - id: snbt-zhengce
    level1: 惠民惠农政策
    level2: 补贴政策清单
    content: 补贴项目名称、政策依据、补贴标准
    time_limit: 每年第一季度公开当年政策清单，变更后20个工作日内更新
    period: 每年
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
"""


def test_forward_looking_yearly_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 2026 list is published in March 2026: on 2026-11-26 the latest due year is 2025
    (deadline 2026-01-29), and the newer 2026 document shows the item is up to date."""
    this_year = doc(
        "2026年惠民惠农补贴政策清单",
        item="snbt-zhengce",
        kind="公告",
        period='"2026"',
        created="2026-03-09",
        published="2026-03-12",
    )
    files = {
        "catalog/snbt.yaml": YEARLY_AREA,
        "documents/2026/qingdan.md": this_year,
        "documents/2026/q3.md": quarterly(period="2026-Q3"),
        **MONTHLY_OK,
    }
    assert run(tmp_path, monkeypatch, files) == []
    status = statuses(tmp_path, files)["snbt-zhengce"]
    assert (status.status, status.latest, status.due, status.documents) == (
        Status.OK,
        "2025",
        date(2026, 1, 29),
        ("2026/qingdan",),
    )
    files["documents/2026/qingdan.md"] = this_year.replace('"2026"', '"2024"')
    [message] = run(tmp_path, monkeypatch, files)
    assert message.startswith(
        "content/catalog/snbt.yaml:3:9: 警告: 缺项：事项“惠民惠农政策 / 补贴政策清单”（每年公开）"
        "没有2025年度（2025）的公开文件，该期公开期限至 2026-01-29"
    )


def test_the_current_quarter_is_not_due_until_its_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On 2026-10-20 the Q3 deadline has not passed: the latest due quarter is Q2.
    files = {
        "documents/2026/q2.md": quarterly(
            period="2026-Q2", created="2026-07-06", published="2026-07-08"
        )
    }
    status = statuses(tmp_path, files, date(2026, 10, 20))["cwgk-caiwu-jidu"]
    assert (status.status, status.latest, status.due) == (Status.OK, "2026-Q2", date(2026, 7, 14))
    status = statuses(tmp_path, files, date(2026, 10, 21))["cwgk-caiwu-jidu"]
    assert (status.status, status.latest) == (Status.MISSING, "2026-Q3")


def test_only_published_active_documents_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "documents/2026/q3.md": quarterly(
            period="2026-Q3", attribute="依申请公开", reason="内部核算", published=None
        ),
        "documents/2026/q3-future.md": quarterly(
            period="2026-Q3", created="2026-11-20", published="2026-12-01"
        ),
        **MONTHLY_OK,
    }
    assert len(run(tmp_path, monkeypatch, files)) == 1


def test_statuses_of_every_item(tmp_path: Path) -> None:
    result = statuses(tmp_path, {})
    assert list(result) == ["shjz-dibao", "shjz-guide", "cwgk-caiwu-jidu", "cwgk-yue", "cwgk-cunji"]
    assert result["shjz-dibao"].status is Status.NO_PERIOD
    assert result["cwgk-cunji"].status is Status.NOT_TOWNSHIP  # 村级 only: the village publishes it
    monthly = result["cwgk-yue"]
    # October 2026 + 15 calendar days = 11-15 (Sunday) → 11-16
    assert (monthly.status, monthly.latest, monthly.latest_name, monthly.due) == (
        Status.MISSING,
        "2026-10",
        "2026年10月",
        date(2026, 11, 16),
    )


@pytest.mark.parametrize(
    ("label", "name", "start", "end"),
    [
        ("2026", "2026年度", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H2", "2026年下半年", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q1", "2026年第一季度", date(2026, 1, 1), date(2026, 3, 31)),
        ("2024-02", "2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_span_labels(label: str, name: str, start: date, end: date) -> None:
    span = Span.parse(label)
    assert span is not None
    assert (span.label, span.name, span.start, span.end) == (label, name, start, end)
    assert span.next().previous() == span
    assert Span.parse("2026-Q5") is None


def test_year_boundary() -> None:
    assert Span.parse("2026-Q1").previous() == Span.parse("2025-Q4")  # type: ignore[union-attr]
    assert Span.containing(Period.HALF_YEARLY, date(2026, 7, 1)).label == "2026-H2"
