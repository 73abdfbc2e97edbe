"""Timeliness (超期公开): 主动公开 information is published within its time limit.

The clock starts at `created`, or at `approved` for an item whose time limit is counted from an
approval (本级人民代表大会或其常务委员会批准后20日内: 预决算, 《预算法》第十四条); 日 without 工作日
is calendar days. The limit of a document is the limit of its catalog item: the item's machine `deadline` if set,
else what `workdays.parse_time_limit` reads from the 公开时限 text (a display period such as
预公告时间不少于10个工作日 is never a deadline; 每月10日前 is 10 calendar days after the month), else 20 working days
(《政府信息公开条例》第二十六条). The period starts the day after `created` (Civil Code Art. 201)
and is counted on the official holiday calendar (`workdays.deadline`).

Outside the years the holiday calendar covers, the check is skipped with a warning saying so —
never guessed. One exception is a certainty, not a guess: every working day is a distinct
calendar day, so a document published within `amount` calendar days of `created` is on time
whatever the holidays were; those documents need no calendar at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ..diagnostics import Diagnostic, warning
from ..models import Attribute, DocKind, Document, Item
from ..site import Site
from . import workdays


@dataclass(frozen=True)
class Limit:
    """A publication time limit and where it came from (shown in messages)."""

    amount: int
    unit: str  # workdays.UNIT_WORKDAY or workdays.UNIT_CALENDAR_DAY
    source: str

    @property
    def text(self) -> str:
        return f"{self.amount}个{self.unit}"


DEFAULT_LIMIT = Limit(20, workdays.UNIT_WORKDAY, "《政府信息公开条例》第二十六条的默认时限")


def item_limit(item: Item | None) -> Limit:
    """The limit of a catalog item: `deadline`, else the 公开时限 text, else Art. 26."""
    if item is None:
        return DEFAULT_LIMIT
    if item.deadline is not None:
        return Limit(item.deadline.days, item.deadline.unit, f"事项“{item.id}”的 deadline")
    parsed = workdays.parse_time_limit(item.time_limit)
    if parsed.amount and parsed.unit:
        return Limit(parsed.amount, parsed.unit, f"事项“{item.id}”的公开时限“{item.time_limit}”")
    if parsed.due_day:
        # 每月10日前公开上月: 10 calendar days after the month's last day is the 10th.
        return Limit(parsed.due_day, workdays.UNIT_CALENDAR_DAY, f"事项“{item.id}”的公开时限“{item.time_limit}”")
    return DEFAULT_LIMIT


def starts_at_approval(item: Item) -> bool:
    """The item's clock starts at an approval (本级人民代表大会或其常务委员会批准后20日内 …)."""
    return workdays.parse_time_limit(item.time_limit).event == workdays.EVENT_APPROVED


def clock_start(item: Item, doc: Document) -> tuple[date, str]:
    """The day the time limit counts from, and its name for messages: `approved` for an item
    whose clock starts at approval (预决算), else `created`."""
    if doc.approved is not None and starts_at_approval(item):
        return doc.approved, "批准日期"
    return doc.created, "成文日期"


class Timeliness(StrEnum):
    ON_TIME = "按时"
    LATE = "超期"
    UNKNOWN = "无法判断"


@dataclass(frozen=True)
class TimelinessResult:
    """How one 主动公开 document fared against its limit."""

    doc_id: str
    status: Timeliness
    limit: Limit
    deadline: date | None  # None when the calendar does not cover the dates
    days_late: int = 0  # calendar days after the deadline
    uncovered_year: int | None = None


def document_timeliness(site: Site, doc_id: str) -> TimelinessResult | None:
    """Timeliness of one document; None unless it is 主动公开 with a known catalog item."""
    doc = site.documents[doc_id].model
    if doc.attribute is not Attribute.ACTIVE or doc.published is None:
        return None
    ref = site.items.get(doc.item) if doc.item else None
    if ref is None:
        return None  # no item / unknown item: reported by the cross-reference rules
    limit = item_limit(ref.item)
    start, _ = clock_start(ref.item, doc)
    if doc.published <= start + timedelta(days=limit.amount):
        # On time for certain (see module docstring); the deadline itself may need a calendar.
        try:
            due = workdays.deadline(start, limit.amount, limit.unit)
        except workdays.CalendarCoverageError:
            due = None
        return TimelinessResult(doc_id, Timeliness.ON_TIME, limit, due)
    try:
        due = workdays.deadline(start, limit.amount, limit.unit)
    except workdays.CalendarCoverageError as exc:
        return TimelinessResult(doc_id, Timeliness.UNKNOWN, limit, None, uncovered_year=exc.year)
    if doc.published <= due:
        return TimelinessResult(doc_id, Timeliness.ON_TIME, limit, due)
    return TimelinessResult(doc_id, Timeliness.LATE, limit, due, (doc.published - due).days)


def timeliness(site: Site) -> dict[str, TimelinessResult]:
    """Document id → timeliness for every 主动公开 document (pure; used by the annual report)."""
    out: dict[str, TimelinessResult] = {}
    for doc_id in site.documents:
        result = document_timeliness(site, doc_id)
        if result is not None:
            out[doc_id] = result
    return out


def late_publication(site: Site) -> list[Diagnostic]:
    """超期公开, plus a warning for every document the calendar could not check."""
    out: list[Diagnostic] = []
    first, last = workdays.covered_years()
    for doc_id, result in timeliness(site).items():
        if result.status is Timeliness.ON_TIME:
            continue
        entry = site.documents[doc_id]
        doc = entry.model
        line, col = entry.marks.locate(("published",))  # only when reported: marks load lazily
        if result.status is Timeliness.LATE:
            assert result.deadline is not None and doc.published is not None
            ref = site.items[doc.item or ""]
            start, start_name = clock_start(ref.item, doc)
            out.append(
                warning(
                    entry.path,
                    line,
                    col,
                    f"超期公开：{start_name} {start.isoformat()}，公开时限 {result.limit.text}，"
                    f"期限至 {result.deadline.isoformat()}，实际发布于 {doc.published.isoformat()}，"
                    f"超期 {result.days_late} 天",
                    f"时限依据：{result.limit.source}；期限从{start_name[:2]}次日起算，节假日按国务院公布的安排。"
                    f"{start_name[:2]}或发布日期填错的请更正；事项另有时限的请在目录中填写 deadline",
                    "governance.late",
                )
            )
        elif result.status is Timeliness.UNKNOWN:
            out.append(
                warning(
                    entry.path,
                    line,
                    col,
                    f"无法检查公开时限：{result.uncovered_year}年的法定节假日安排未收录"
                    f"（节假日数据仅覆盖 {first}年至{last}年），已跳过超期公开检查",
                    f"不按推测的节假日计算；请升级 chinesecalendar 后重新检查，"
                    f"或人工核对是否在成文后 {result.limit.text} 内发布",
                    "governance.calendar_coverage",
                )
            )
    return out


def missing_approval_date(site: Site) -> list[Diagnostic]:
    """缺少批准日期: a 主动公开 document of an item counted from approval (预决算 …) without `approved`.

    《预算法》第十四条: 预决算 are published within 20 days of approval by the 人大 or its standing
    committee; without the approval date the time limit would be counted from 成文日期 instead."""
    out: list[Diagnostic] = []
    for entry in site.documents.values():
        doc = entry.model
        if doc.attribute is not Attribute.ACTIVE or doc.approved is not None or not doc.item:
            continue
        if doc.kind is DocKind.INTERPRETATION:  # an interpretation is not what the 人大 approves
            continue
        ref = site.items.get(doc.item)
        if ref is None or not starts_at_approval(ref.item):
            continue
        line, col = entry.marks.locate(("item",))
        out.append(
            warning(
                entry.path,
                line,
                col,
                f"缺少批准日期：事项“{ref.item.name}”的公开时限从批准之日起算（“{ref.item.time_limit}”），"
                f"本文件没有填写 approved，暂按成文日期 {doc.created.isoformat()} 计算",
                "请在文件头部填写 approved: YYYY-MM-DD（本级人民代表大会或其常务委员会批准的日期，"
                "《中华人民共和国预算法》第十四条）",
                "governance.approval_date",
            )
        )
    return out


__all__ = [
    "DEFAULT_LIMIT",
    "Limit",
    "Timeliness",
    "TimelinessResult",
    "clock_start",
    "document_timeliness",
    "item_limit",
    "late_publication",
    "missing_approval_date",
    "starts_at_approval",
    "timeliness",
]
