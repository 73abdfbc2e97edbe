"""Tests for gongkai.rules.workdays: official working days (调休 included) and 公开时限 texts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.rules.workdays import (
    CalendarCoverageError,
    TimeLimit,
    add_working_days,
    covered_years,
    deadline,
    is_workday,
    parse_time_limit,
    working_days_between,
)

FIRST, LAST = covered_years()


# --- coverage --------------------------------------------------------------------------------


def test_coverage_is_read_from_the_installed_package() -> None:
    years = {d.year for d in chinese_calendar.constants.holidays}
    assert (FIRST, LAST) == (min(years), max(years))
    # chinesecalendar 1.11.0 ships the schedules 2004..2026 (2026 published in Nov 2025).
    assert FIRST <= 2004 and LAST >= 2026


@pytest.mark.parametrize("day", [date(LAST + 1, 1, 4), date(FIRST - 1, 12, 31)])
def test_outside_coverage_raises_with_chinese_message(day: date) -> None:
    with pytest.raises(CalendarCoverageError) as info:
        is_workday(day)
    message = str(info.value)
    assert f"{day.year}年" in message
    assert f"{FIRST}年至{LAST}年" in message
    assert "节假日" in message
    assert info.value.covered == (FIRST, LAST)


def test_counting_into_an_uncovered_year_raises_instead_of_guessing() -> None:
    with pytest.raises(CalendarCoverageError):
        add_working_days(date(LAST, 12, 28), 10)
    with pytest.raises(CalendarCoverageError):
        deadline(date(LAST, 12, 25), 20, "自然日")
    with pytest.raises(CalendarCoverageError):
        working_days_between(date(LAST, 12, 1), date(LAST + 1, 1, 10))


# --- is_workday ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 4), True),  # Sunday, 春节 make-up working day
        (date(2024, 2, 12), False),  # Monday inside 春节
        (date(2024, 2, 18), True),  # Sunday, 春节 make-up working day
        (date(2024, 9, 29), True),  # Sunday, 国庆 make-up working day
        (date(2024, 10, 1), False),
        (date(2024, 10, 7), False),  # Monday inside 国庆
        (date(2024, 10, 12), True),  # Saturday, 国庆 make-up working day
        (date(2024, 10, 13), False),  # ordinary Sunday
        (date(2025, 9, 28), True),  # Sunday, 国庆 2025 make-up working day
        (date(2025, 10, 8), False),  # Wednesday, last day of 国庆/中秋 2025
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2024, 3, 15), True),  # ordinary Friday
    ],
)
def test_is_workday_follows_official_schedule(day: date, expected: bool) -> None:
    assert is_workday(day) is expected
    assert is_workday(datetime.combine(day, datetime.min.time())) is expected


# --- add_working_days / working_days_between -------------------------------------------------


def test_domain_example_18_working_days_not_21() -> None:
    created, published = date(2024, 9, 27), date(2024, 10, 28)
    assert working_days_between(created, published) == 18
    weekdays = sum(
        1 for i in range(1, (published - created).days + 1)
        if (created + timedelta(days=i)).weekday() < 5
    )  # fmt: skip
    assert weekdays == 21
    assert add_working_days(created, 18) == published
    assert add_working_days(created, 20) == date(2024, 10, 30)  # Art. 26 limit: on time


def test_spring_festival_2024_ten_working_days() -> None:
    # Created Thu 2024-02-08; 9 Feb (1), Sun 18 Feb make-up (2), 19-23 (3-7), 26-28 (8-10).
    assert add_working_days(date(2024, 2, 8), 10) == date(2024, 2, 28)
    assert working_days_between(date(2024, 2, 8), date(2024, 2, 28)) == 10


def test_make_up_sunday_counts_and_start_day_never_counts() -> None:
    # Sat 2024-09-28 is a rest day, Sun 2024-09-29 a make-up working day.
    assert add_working_days(date(2024, 9, 28), 1) == date(2024, 9, 29)
    assert add_working_days(date(2024, 9, 29), 1) == date(2024, 9, 30)
    assert add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)
    # Sat 2024-10-12 is a make-up working day.
    assert add_working_days(date(2024, 10, 11), 1) == date(2024, 10, 12)
    assert add_working_days(date(2024, 3, 15), 0) == date(2024, 3, 15)


def test_national_day_2025() -> None:
    # 2025-10-01..08 off; Sun 28 Sep and Sat 11 Oct are working days.
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)
    # Sep 28 (Sunday make-up), 29, 30, Oct 9, 10.
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5
    assert add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)


def test_between_is_zero_for_same_day_and_antisymmetric() -> None:
    assert working_days_between(date(2024, 10, 1), date(2024, 10, 1)) == 0
    assert working_days_between(date(2024, 10, 28), date(2024, 9, 27)) == -18


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2024, 1, 2), -1)
    with pytest.raises(ValueError):
        deadline(date(2024, 1, 2), -1, "自然日")


@given(st.dates(date(2005, 1, 1), date(2025, 12, 1)), st.integers(0, 25))
def test_add_and_between_agree(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_workday(end)


# --- deadline --------------------------------------------------------------------------------


def test_deadline_working_days() -> None:
    assert deadline(date(2024, 2, 8), 10, "工作日") == date(2024, 2, 28)


def test_calendar_day_deadline_ending_on_holiday_moves_to_next_working_day() -> None:
    # 2024-09-21 + 10 days = 2024-10-01 (国庆) -> first working day after the holiday.
    assert deadline(date(2024, 9, 21), 10, "自然日") == date(2024, 10, 8)
    # Ending on an ordinary Sunday -> Monday.
    assert deadline(date(2024, 3, 7), 10, "自然日") == date(2024, 3, 18)
    # Ending on a make-up working Saturday -> stays.
    assert deadline(date(2024, 10, 2), 10, "自然日") == date(2024, 10, 12)
    # Ending on a plain working day -> unchanged (财政预决算: 批准后20日内).
    assert deadline(date(2024, 1, 10), 20, "自然日") == date(2024, 1, 30)


def test_deadline_unknown_unit() -> None:
    with pytest.raises(ValueError, match="工作日"):
        deadline(date(2024, 1, 2), 3, "个月")


# --- parse_time_limit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("信息形成或变更之日起20个工作日内", TimeLimit(20, "工作日", event="形成或变更")),
        ("信息形成或者变更之日起20个工作日内", TimeLimit(20, "工作日", event="形成或变更")),
        (
            "制定或获取信息之日起10个工作日内，公示7个工作日",
            TimeLimit(10, "工作日", None, 7, "工作日", event="制定或获取"),
        ),
        ("本级人民代表大会或其常务委员会批准后20日内", TimeLimit(20, "自然日", event="批准")),
        ("分配结果确定后20个工作日内", TimeLimit(20, "工作日", event="分配结果确定")),
        ("每季度公开一次", TimeLimit(period="每季度")),
        ("每季度", TimeLimit(period="每季度")),
        ("按季度公开", TimeLimit(period="每季度")),
        ("每月", TimeLimit(period="每月")),
        ("每月10日前公开上月收支", TimeLimit(period="每月", due_day=10)),
        ("每半年公开一次", TimeLimit(period="每半年")),
        ("每年6月底前", TimeLimit(period="每年")),
        ("每年3月31日前", TimeLimit(period="每年")),
        ("实时公开", TimeLimit(on_occurrence=True)),
        ("", TimeLimit()),
        ("   ", TimeLimit()),
        ("公示期不少于5天", TimeLimit(notice_days=5, notice_unit="自然日")),
        ("公示期7天", TimeLimit(notice_days=7, notice_unit="自然日")),
        ("十个工作日", TimeLimit(10, "工作日")),
        ("二十日内", TimeLimit(20, "自然日")),
        ("两个工作日内", TimeLimit(2, "工作日")),
        ("十五日内", TimeLimit(15, "自然日")),
        ("季度终了后十五日内", TimeLimit(15, "自然日", "每季度", event="期间结束")),
        (
            "公示期为七天，公示无异议后10个工作日内公开",
            TimeLimit(10, "工作日", None, 7, "自然日", event="公示结束"),
        ),
        ("２０个工作日内", TimeLimit(20, "工作日")),
    ],
)
def test_parse_time_limit(text: str, expected: TimeLimit) -> None:
    assert parse_time_limit(text) == expected


def test_parsed_limit_feeds_deadline() -> None:
    limit = parse_time_limit("制定或获取信息之日起10个工作日内，公示7个工作日")
    assert limit.amount is not None and limit.unit is not None
    assert deadline(date(2024, 2, 8), limit.amount, limit.unit) == date(2024, 2, 28)


@given(st.text())
def test_parse_time_limit_never_raises(text: str) -> None:
    result = parse_time_limit(text)
    assert isinstance(result, TimeLimit)
    assert result.unit in (None, "工作日", "自然日")
    assert result.notice_unit in (None, "工作日", "自然日")


def test_parse_time_limit_non_string() -> None:
    assert parse_time_limit(None) == TimeLimit()  # type: ignore[arg-type]


# --- the year tables behind add_working_days ------------------------------------------------


def test_year_tables_agree_with_the_package_on_every_covered_day() -> None:
    from gongkai.rules.workdays import _year_working_days

    for year in range(FIRST, LAST + 1):
        days = set(_year_working_days(year))
        day = date(year, 1, 1)
        while day.year == year:
            assert (day.toordinal() in days) == chinese_calendar.is_workday(day), day
            day += timedelta(days=1)


def _count_one_by_one(start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


@given(st.dates(min_value=date(FIRST - 1, 12, 1), max_value=date(LAST, 12, 31)), st.integers(0, 400))
def test_add_working_days_counts_like_one_by_one(start: date, n: int) -> None:
    """Same day, or the same error naming the same first uncovered day."""
    try:
        expected: object = _count_one_by_one(start, n)
    except CalendarCoverageError as exc:
        expected = ("error", exc.day)
    try:
        got: object = add_working_days(start, n)
    except CalendarCoverageError as exc:
        got = ("error", exc.day)
    assert got == expected
