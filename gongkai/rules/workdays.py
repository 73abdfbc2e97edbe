"""Working-day arithmetic on China's official calendar, and machine forms of 公开时限 texts.

Disclosure deadlines are counted in working days of the State Council's published holiday
schedule, including make-up working days (调休): created 2024-09-27 and published 2024-10-28 is
18 working days, not the 21 a Monday–Friday count gives (DOMAIN.md section 3).  The schedule
is only known a year ahead, so the dates come from the maintained ``chinesecalendar`` package
and every question outside the years it covers raises :class:`CalendarCoverageError` — the
brief is "warn, never guess".

Counting rules follow the Civil Code: a period starts the day *after* the event (Art. 201) and a
period whose last day is a statutory rest day ends on the next working day (Art. 203).

The module is pure: no I/O, no knowledge of the rest of the application.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from chinese_calendar import constants as _cc_constants

__all__ = [
    "EVENTS",
    "UNIT_CALENDAR_DAY",
    "UNIT_WORKDAY",
    "CalendarCoverageError",
    "TimeLimit",
    "add_working_days",
    "covered_years",
    "deadline",
    "is_workday",
    "parse_time_limit",
    "working_days_between",
]

UNIT_WORKDAY = "工作日"
UNIT_CALENDAR_DAY = "自然日"

PERIOD_MONTH = "每月"
PERIOD_QUARTER = "每季度"
PERIOD_HALF_YEAR = "每半年"
PERIOD_YEAR = "每年"


class CalendarCoverageError(Exception):
    """A date lies outside the years whose official holiday schedule is known.

    Raised instead of guessing, because a wrong holiday makes an on-time publication look late
    (or the reverse).  The message is in Chinese, for staff reading a build report.
    """

    def __init__(self, day: date) -> None:
        first, last = covered_years()
        self.day = day
        self.year = day.year
        self.covered = (first, last)
        super().__init__(
            f"{day.year}年的法定节假日安排未收录（日期 {day.isoformat()}），"
            f"当前节假日数据仅覆盖 {first}年至{last}年，"
            "无法按工作日计算期限；请升级 chinesecalendar 或人工核对。"
        )


@lru_cache(maxsize=1)  # the package's data cannot change while we run; asked per day counted
def covered_years() -> tuple[int, int]:
    """First and last year the installed ``chinesecalendar`` knows.

    Read from the package's own data (the same rule it validates with), so upgrading the
    package extends coverage without touching this code.
    """
    years = [d.year for d in _cc_constants.holidays]
    return min(years), max(years)


def _as_date(d: date) -> date:
    """Drop the time part of a ``datetime`` (a subclass of ``date``) so comparisons are exact."""
    return d.date() if isinstance(d, datetime) else d


def is_workday(d: date) -> bool:
    """True when ``d`` is an official working day (weekdays, minus holidays, plus 调休 days)."""
    return _is_workday(_as_date(d))


def _is_workday(d: date) -> bool:
    first, last = covered_years()
    if not first <= d.year <= last:
        raise CalendarCoverageError(d)
    return d.toordinal() in _year_working_set(d.year)


def add_working_days(start: date, n: int) -> date:
    """Return the ``n``-th working day after ``start`` (the day of ``start`` itself never counts).

    This is the last day of an "n 个工作日内" period that starts with an event on ``start``
    (Civil Code Art. 201).  ``n == 0`` returns ``start`` unchanged.
    """
    if n < 0:
        raise ValueError(f"工作日数不能为负数：{n}")
    day = _as_date(start)
    if n == 0:
        return day
    # Year by year through the sorted working days (the same days as counting one by one, and
    # the same error: the first day counted in a year the calendar does not cover).
    after = day.toordinal()  # count the working days strictly after this day
    remaining = n
    year = date.fromordinal(after + 1).year
    while True:
        days = _working_days_of(year, max(after + 1, date(year, 1, 1).toordinal()))
        first = bisect.bisect_right(days, after)
        if len(days) - first >= remaining:
            return date.fromordinal(days[first + remaining - 1])
        remaining -= len(days) - first
        year += 1


def _working_days_of(year: int, first_asked: int) -> list[int]:
    """The ordinals of `year`'s working days; `first_asked` is the day named if it is not covered."""
    first, last = covered_years()
    if not first <= year <= last:
        raise CalendarCoverageError(date.fromordinal(first_asked))
    return _year_working_days(year)


@cache
def _year_working_days(year: int) -> list[int]:
    """The ordinals of a covered year's working days, from the package's tables by its own rule
    (``chinese_calendar.is_workday``: a listed 调休 working day, or a weekday that is not a listed
    holiday). Asking ``is_workday`` itself costs 60 µs a day (it recomputes its coverage on every
    call): 0.2 s per build for the years of a county's documents. ``tests/test_rules_workdays.py``
    checks every covered day against ``is_workday``."""
    holidays, extra = _cc_constants.holidays, _cc_constants.workdays
    start, end = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
    out = []
    for n in range(start, end):
        day = date.fromordinal(n)
        if day in extra or (day.weekday() <= 4 and day not in holidays):
            out.append(n)
    return out


@cache
def _year_working_set(year: int) -> frozenset[int]:
    return frozenset(_year_working_days(year))


def working_days_between(start: date, end: date) -> int:
    """Number of working days in the half-open interval (``start``, ``end``].

    E.g. 2024-09-27 → 2024-10-28 is 18.  Antisymmetric: if ``end`` is before ``start`` the
    result is the negated count for (``end``, ``start``], so a published-before-created data
    error shows up as a negative number rather than a silent zero.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def deadline(start: date, amount: int, unit: str) -> date:
    """Last day of a period of ``amount`` ``unit`` counted from an event on ``start``.

    ``unit`` is "工作日" (working days, see :func:`add_working_days`) or "自然日" (calendar
    days: ``start + amount`` days; when that last day is a statutory holiday or rest day the
    period ends on the next working day, Civil Code Art. 203).
    """
    return _deadline(_as_date(start), amount, unit)


@lru_cache(maxsize=1 << 16)  # 10,000 documents share a few thousand (created, limit) pairs
def _deadline(start: date, amount: int, unit: str) -> date:
    if amount < 0:
        raise ValueError(f"期限天数不能为负数：{amount}")
    if unit == UNIT_WORKDAY:
        return add_working_days(start, amount)
    if unit == UNIT_CALENDAR_DAY:
        day = start + timedelta(days=amount)
        while not is_workday(day):
            day += timedelta(days=1)
        return day
    raise ValueError(f"不支持的期限单位：{unit!r}（应为“{UNIT_WORKDAY}”或“{UNIT_CALENDAR_DAY}”）")


# --------------------------------------------------------------------------------------------
# 公开时限 text → machine form
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    """Machine form of a catalog 公开时限 text; fields are ``None`` where the text is silent.

    ``amount``/``unit``: the publication deadline (e.g. 20 工作日) and ``event``: what starts its
    clock (形成或变更, 获取, 批准, 分配结果确定 …, see ``EVENTS``); ``period``: a recurring
    schedule (每月/每季度/每半年/每年), ``due_day``: the day of the next month a monthly item is
    due by (每月10日前公开上月 → 10), ``on_occurrence``: published as it happens (随时/及时);
    ``notice_days``/``notice_unit``: a display period (公示7个工作日, 预公告时间不少于10个工作日,
    公告时间不少于30日). A duration is never read as a publication deadline.
    The original text is always kept alongside by the caller — this is a best-effort reading.
    """

    amount: int | None = None
    unit: str | None = None
    period: str | None = None
    notice_days: int | None = None
    notice_unit: str | None = None
    event: str | None = None
    due_day: int | None = None
    on_occurrence: bool = False


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"[0-9]+|[零〇一二两三四五六七八九十百千]+"
_UNIT = r"工作日|自然日|日|天"

_MINIMUM = r"不少于|不得少于|至少|不低于|不短于"
_SPAN_WORD = r"期限|期间|时间|期"
# 公示7个工作日 / 公示期7天 / 公示期不少于5天 / 公示时间为七日 / 公告期30日 /
# 预公告时间不少于10个工作日 / 公告时间不少于30日. A bare "公告20日内" is not a display period.
_NOTICE_RE = re.compile(
    rf"(?:公示(?:{_SPAN_WORD})?\s*(?:为|是|{_MINIMUM})?"
    rf"|预?公告(?:(?:{_SPAN_WORD})\s*(?:为|是|{_MINIMUM})?|{_MINIMUM}))\s*"
    rf"(?P<num>{_NUM})\s*个?\s*(?P<unit>{_UNIT})"
)
# Any other "不少于N日" is a duration too (e.g. 征求意见不少于30日), never a deadline.
_MINIMUM_RE = re.compile(rf"(?:{_MINIMUM})\s*(?P<num>{_NUM})\s*个?\s*(?P<unit>{_UNIT})")
# 每月10日前公开上月 / 每月5日前: the day of the following month a monthly item is due by.
_DUE_DAY_RE = re.compile(rf"每个?月(?:的)?(?P<num>{_NUM})\s*[日号]前")
_ON_OCCURRENCE_RE = re.compile(r"随时|及时|实时")

#: The events that start a publication clock, as read from the text; the earliest mention wins.
EVENT_FORMED_OR_CHANGED = "形成或变更"
EVENT_FORMED = "形成"
EVENT_OBTAINED = "制定或获取"
EVENT_APPROVED = "批准"
EVENT_ALLOCATED = "分配结果确定"
EVENT_MEETING_ENDED = "会议结束"
EVENT_RESOLUTION = "决议形成"
EVENT_REQUEST = "收到申请"
EVENT_PERIOD_ENDED = "期间结束"
EVENT_PAID = "发放"
EVENT_CHANGED = "变更"
EVENT_NOTICE_ENDED = "公示结束"
EVENT_DRAFTED = "拟定"
_EVENT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"形成或者?变更", EVENT_FORMED_OR_CHANGED),
    (r"决议形成", EVENT_RESOLUTION),
    (r"形成之日", EVENT_FORMED),
    (r"制定或获取|获取信息", EVENT_OBTAINED),
    (r"批准(?:后|之日)", EVENT_APPROVED),
    (r"分配结果确定", EVENT_ALLOCATED),
    (r"会议结束", EVENT_MEETING_ENDED),
    (r"收到申请", EVENT_REQUEST),
    (r"(?:月|季度?|年度?|半年)(?:结束|终了)后", EVENT_PERIOD_ENDED),
    (r"发放后", EVENT_PAID),
    (r"公示(?:期满|结束|无异议)后", EVENT_NOTICE_ENDED),
    (r"变更后", EVENT_CHANGED),
    (r"拟定后", EVENT_DRAFTED),
)
EVENTS: tuple[str, ...] = tuple(dict.fromkeys(name for _, name in _EVENT_PATTERNS))
# A duration, but not a day of the month ("6月20日前", "次月10日前").
_AMOUNT_RE = re.compile(
    rf"(?<![月0-9零〇一二两三四五六七八九十百千])(?P<num>{_NUM})\s*个?\s*(?P<unit>{_UNIT})"
)

# Earliest mention wins when a text names several periods.
_PERIOD_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"每个?月|按月|月度", PERIOD_MONTH),
    (r"每个?季度?|按季度?|季度", PERIOD_QUARTER),
    (r"每半年|半年度?", PERIOD_HALF_YEAR),
    (r"每年度?|按年度?|年度终了|年终", PERIOD_YEAR),
)

_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def _parse_number(token: str) -> int | None:
    """Arabic or Chinese numeral (十, 二十, 十五, 一百零五, 两) → int; None if unreadable."""
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    total += current
    return total if total > 0 or token in ("零", "〇") else None


def _unit_of(word: str) -> str:
    """Working days only when the text says so; 日/天/自然日 are calendar days."""
    return UNIT_WORKDAY if word == UNIT_WORKDAY else UNIT_CALENDAR_DAY


def parse_time_limit(text: str) -> TimeLimit:
    """Read a 公开时限 text such as "信息形成或变更之日起20个工作日内，公示7个工作日".

    Never raises: unreadable or empty input (e.g. "实时公开") gives an all-``None`` TimeLimit,
    because a catalog row must load even when its time limit is prose only a person can apply.
    """
    if not isinstance(text, str):
        return TimeLimit()
    return _parse_time_limit_cached(text)


@lru_cache(maxsize=4096)  # asked once per document for its item's text: a catalog has a few hundred
def _parse_time_limit_cached(text: str) -> TimeLimit:
    try:
        return _parse_time_limit(text)
    except Exception:  # noqa: BLE001 - contract: never raise on catalog text
        return TimeLimit()


def _parse_time_limit(text: str) -> TimeLimit:
    if not isinstance(text, str) or not text.strip():
        return TimeLimit()
    text = text.translate(_FULLWIDTH_DIGITS)

    notice_days = notice_unit = None
    rest = text
    notice = _NOTICE_RE.search(text)
    if notice:
        notice_days = _parse_number(notice.group("num"))
        notice_unit = _unit_of(notice.group("unit")) if notice_days is not None else None
        # Blank out the notice span so it is not read again as the publication deadline.
        rest = text[: notice.start()] + " " * (notice.end() - notice.start()) + text[notice.end() :]

    for minimum in _MINIMUM_RE.finditer(rest):
        value = _parse_number(minimum.group("num"))
        if value is not None and notice_days is None:
            notice_days, notice_unit = value, _unit_of(minimum.group("unit"))
        rest = rest[: minimum.start()] + " " * (minimum.end() - minimum.start()) + rest[minimum.end() :]

    due_day = None
    due = _DUE_DAY_RE.search(rest)
    if due:
        due_day = _parse_number(due.group("num"))
        rest = rest[: due.start()] + " " * (due.end() - due.start()) + rest[due.end() :]

    amount = unit = None
    for m in _AMOUNT_RE.finditer(rest):
        value = _parse_number(m.group("num"))
        if value is not None:
            amount, unit = value, _unit_of(m.group("unit"))
            break

    return TimeLimit(
        amount,
        unit,
        _earliest(_PERIOD_PATTERNS, text),
        notice_days,
        notice_unit,
        _earliest(_EVENT_PATTERNS, text) if amount is not None else None,
        due_day if due_day is not None and 1 <= due_day <= 28 else None,
        bool(_ON_OCCURRENCE_RE.search(text)),
    )


def _earliest(patterns: tuple[tuple[str, str], ...], text: str) -> str | None:
    """The name of the pattern that matches earliest in `text`, or None."""
    found = None
    best = len(text) + 1
    for pattern, name in patterns:
        match = re.search(pattern, text)
        if match and match.start() < best:
            best, found = match.start(), name
    return found
