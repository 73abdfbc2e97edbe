"""超期公开: 主动公开 documents against their item's time limit, on the official calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site

from gongkai.rules.timeliness import DEFAULT_LIMIT, Timeliness, item_limit, timeliness
from gongkai.rules.workdays import covered_years
from gongkai.validate import check_content

FINANCE_AREA = """\
area: 财政预决算
order: 2
items:
  - id: czys-yusuan
    level1: 财政预决算
    level2: 政府预算
    content: 一般公共预算收支表、“三公”经费
    time_limit: 本级人民代表大会或其常务委员会批准后20日内
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
  - id: czys-oneday
    level1: 财政预决算
    level2: 测试事项
    content: 测试用：时限 1 个工作日
    time_limit: 按规定时限公开
    deadline: {days: 1, unit: 工作日}
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
  - id: czys-prose
    level1: 财政预决算
    level2: 只有文字时限
    content: 测试用：时限无法识别
    time_limit: 及时公开
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
"""


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], today: date = TODAY
) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"catalog/czys.yaml": FINANCE_AREA, **files})
    _, diags = check_content(content, today)
    return [d.text() for d in diags.sorted()]


def late(created: str, published: str, item: str = "shjz-dibao", approved: str | None = None) -> dict[str, str]:
    return {"documents/2026/dibao.md": doc(item=item, created=created, published=published, approved=approved)}


# --- item limits -----------------------------------------------------------------------------


def test_item_limit_sources(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"catalog/czys.yaml": FINANCE_AREA})
    site, _ = check_content(content, TODAY)
    assert site is not None
    dibao = item_limit(site.items["shjz-dibao"].item)
    assert (dibao.amount, dibao.unit) == (10, "工作日")
    assert (
        dibao.source
        == "事项“shjz-dibao”的公开时限“制定或获取信息之日起10个工作日内，公示7个工作日”"
    )
    budget = item_limit(site.items["czys-yusuan"].item)
    assert (budget.amount, budget.unit) == (20, "自然日")
    one = item_limit(site.items["czys-oneday"].item)
    assert (one.amount, one.unit, one.source) == (1, "工作日", "事项“czys-oneday”的 deadline")
    assert item_limit(site.items["czys-prose"].item) == DEFAULT_LIMIT
    assert DEFAULT_LIMIT.text == "20个工作日"


# --- the DOMAIN example: 调休 makes a 21-weekday span only 18 working days -------------------------


def test_domain_example_is_on_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tmp_path, monkeypatch, late("2024-09-27", "2024-10-28", "shjz-guide")) == []


def test_one_day_after_the_domain_deadline_is_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(tmp_path, monkeypatch, late("2024-09-27", "2024-10-31", "shjz-guide")) == [
        (
            "content/documents/2026/dibao.md:6:12: 警告: 超期公开：成文日期 2024-09-27，公开时限 20个工作日，"
            "期限至 2024-10-30，实际发布于 2024-10-31，超期 1 天（时限依据：事项“shjz-guide”的公开时限"
            "“信息形成或者变更之日起20个工作日内”；期限从成文次日起算，节假日按国务院公布的安排。"
            "成文或发布日期填错的请更正；事项另有时限的请在目录中填写 deadline）"
        )
    ]


# --- Spring Festival 2024: 2/10–2/17 off, Sunday 2/4 and 2/18 worked ------------------------------


def test_spring_festival_week_does_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10 working days after Fri 2024-02-02: 2/4(Sun, 调休) 5 6 7 8 9, 2/18(Sun, 调休) 19 20 21.
    # A Monday–Friday count would end on 2/16 and call this late.
    assert run(tmp_path, monkeypatch, late("2024-02-02", "2024-02-21")) == []


def test_spring_festival_day_after_deadline_is_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [message] = run(tmp_path, monkeypatch, late("2024-02-02", "2024-02-22"))
    assert message.startswith(
        "content/documents/2026/dibao.md:6:12: 警告: 超期公开：成文日期 2024-02-02，公开时限 10个工作日，"
        "期限至 2024-02-21，实际发布于 2024-02-22，超期 1 天（时限依据：事项“shjz-dibao”"
    )


# --- a make-up working Sunday is a working day ----------------------------------------------------


def test_make_up_sunday_is_the_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fri 2024-09-27 + 1 working day = Sun 2024-09-29 (worked for 国庆): Monday is already late.
    assert run(tmp_path, monkeypatch, late("2024-09-27", "2024-09-29", "czys-oneday")) == []
    [message] = run(tmp_path, monkeypatch, late("2024-09-27", "2024-09-30", "czys-oneday"))
    assert "公开时限 1个工作日，期限至 2024-09-29，实际发布于 2024-09-30，超期 1 天" in message
    assert "时限依据：事项“czys-oneday”的 deadline" in message


# --- calendar days: a last day on a holiday moves to the next working day (Civil Code Art. 203) ----


def test_calendar_days_end_on_a_holiday_extend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2024-09-11 + 20 days = 10-01 (国庆): the period ends on Tue 10-08, the first working day.
    # (预算 counts from `approved`, 《预算法》第十四条; see tests/test_approval_clock.py.)
    assert run(tmp_path, monkeypatch, late("2024-09-11", "2024-10-08", "czys-yusuan", "2024-09-11")) == []
    [message] = run(tmp_path, monkeypatch, late("2024-09-11", "2024-10-09", "czys-yusuan", "2024-09-11"))
    assert "公开时限 20个自然日，期限至 2024-10-08，实际发布于 2024-10-09，超期 1 天" in message


def test_default_limit_is_article_26(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [message] = run(tmp_path, monkeypatch, late("2024-09-27", "2024-11-05", "czys-prose"))
    assert "公开时限 20个工作日，期限至 2024-10-30，实际发布于 2024-11-05，超期 6 天" in message
    assert "时限依据：《政府信息公开条例》第二十六条的默认时限" in message


# --- outside the holiday calendar: warn and skip, never guess -------------------------------------


def test_date_outside_calendar_coverage_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, last = covered_years()
    assert last == 2026  # chinesecalendar 1.11.0; update the dates below when it grows
    files = {
        "documents/2026/dibao.md": doc(
            item="shjz-guide", created="2026-12-20", published="2027-01-25"
        )
    }
    assert run(tmp_path, monkeypatch, files, today=date(2027, 2, 1)) == [
        (
            f"content/documents/2026/dibao.md:6:12: 警告: 无法检查公开时限：2027年的法定节假日安排未收录"
            f"（节假日数据仅覆盖 {first}年至{last}年），已跳过超期公开检查（不按推测的节假日计算；"
            "请升级 chinesecalendar 后重新检查，或人工核对是否在成文后 20个工作日 内发布）"
        )
    ]


def test_within_the_limit_in_calendar_days_needs_no_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 16 calendar days < 20 working days whatever the 2027 holidays: certainly on time.
    files = {
        "documents/2026/dibao.md": doc(
            item="shjz-guide", created="2026-12-20", published="2027-01-05"
        )
    }
    assert run(tmp_path, monkeypatch, files, today=date(2027, 2, 1)) == []


# --- only 主动公开 is checked; the pure function agrees with the rule ------------------------------


def test_on_request_documents_are_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "documents/2026/dibao.md": doc(
            attribute="依申请公开",
            reason="涉及个人信息",
            created="2024-02-02",
            published="2024-12-01",
        )
    }
    assert [m for m in run(tmp_path, monkeypatch, files) if "超期公开" in m] == []


def test_timeliness_function(tmp_path: Path) -> None:
    content = make_site(
        tmp_path,
        {
            "documents/2026/dibao.md": doc(created="2024-02-02", published="2024-02-22"),
            "documents/2026/ontime.md": doc(created="2024-02-02", published="2024-02-21"),
        },
    )
    site, _ = check_content(content, TODAY)
    assert site is not None
    results = timeliness(site)
    assert results["2026/dibao"].status is Timeliness.LATE
    assert results["2026/dibao"].days_late == 1
    assert results["2026/dibao"].deadline == date(2024, 2, 21)
    assert results["2026/ontime"].status is Timeliness.ON_TIME
