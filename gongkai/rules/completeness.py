"""Completeness (缺项): every periodic 乡级 item has a public document for its latest due period.

An item is periodic when it has `period` (每月 / 每季度 / 每半年 / 每年) or its 公开时限 text names
one. A period is *due* once its disclosure deadline has passed: the item's time limit (see
`timeliness.item_limit`) counted from the last day of the period. The latest due period is the
newest one whose deadline is before `site.today`. Where the holiday calendar cannot tell whether
the newest period is due yet, the previous one is checked instead (never a guessed 缺项).

A document covers a period when it is 主动公开, already published, belongs to the item, and its
own period — the `period` field (`2026`, `2026-H1`, `2026-Q3`, `2026-07`), else the day it was
`created` — lies within that period *or after it*. A newer document shows the item is kept up to
date, and it matters in practice: forward-looking items (the year's budget or subsidy list,
published during the year it is about) have their 2026 document before "2025" is checked, and a
Q3 report created in October without `period` falls into Q4 by its date.

`completeness(site)` is pure: the catalog page shows its result for each item, and the rule
below turns the 缺项 entries into warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ..diagnostics import Diagnostic, warning
from ..models import Attribute, Item, Level, Period
from ..site import Site
from . import workdays
from .timeliness import item_limit

_MONTHS = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.HALF_YEARLY: 6, Period.YEARLY: 12}
_CN_NUMBERS = "一二三四"
_LABEL = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|H([12])|(0[1-9]|1[0-2])))?$")


@dataclass(frozen=True, order=True)
class Span:
    """One calendar period: `index` is the month, quarter or half (1-based), 1 for a year."""

    kind: Period
    year: int
    index: int

    @classmethod
    def containing(cls, kind: Period, day: date) -> Span:
        return cls(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)

    @classmethod
    def parse(cls, label: str) -> Span | None:
        """`2026`, `2026-H1`, `2026-Q3`, `2026-07` → Span; None for anything else."""
        m = _LABEL.match(label or "")
        if not m:
            return None
        year = int(m.group(1))
        if m.group(2):
            return cls(Period.QUARTERLY, year, int(m.group(2)))
        if m.group(3):
            return cls(Period.HALF_YEARLY, year, int(m.group(3)))
        if m.group(4):
            return cls(Period.MONTHLY, year, int(m.group(4)))
        return cls(Period.YEARLY, year, 1)

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        after = self.next().start
        return after - timedelta(days=1)

    def next(self) -> Span:
        count = 12 // _MONTHS[self.kind]
        if self.index < count:
            return Span(self.kind, self.year, self.index + 1)
        return Span(self.kind, self.year + 1, 1)

    def previous(self) -> Span:
        if self.index > 1:
            return Span(self.kind, self.year, self.index - 1)
        return Span(self.kind, self.year - 1, 12 // _MONTHS[self.kind])

    def within(self, other: Span) -> bool:
        return other.start <= self.start and self.end <= other.end

    @property
    def label(self) -> str:
        """The form a document's `period` field uses."""
        if self.kind is Period.YEARLY:
            return f"{self.year}"
        if self.kind is Period.HALF_YEARLY:
            return f"{self.year}-H{self.index}"
        if self.kind is Period.QUARTERLY:
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def name(self) -> str:
        """The Chinese name staff read: 2026年第三季度."""
        if self.kind is Period.YEARLY:
            return f"{self.year}年度"
        if self.kind is Period.HALF_YEARLY:
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind is Period.QUARTERLY:
            return f"{self.year}年第{_CN_NUMBERS[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"


class Status(StrEnum):
    OK = "正常"
    MISSING = "缺项"
    NO_PERIOD = "无周期"  # not a periodic item: nothing to check
    NOT_TOWNSHIP = "不适用"  # no 乡级 in 公开层级: published by the county or the villages


@dataclass(frozen=True)
class ItemStatus:
    """Completeness of one catalog item, for the catalog page and the rule."""

    item_id: str
    status: Status
    period: Period | None = None  # 每月 / 每季度 / 每半年 / 每年
    latest: str | None = None  # latest due period, as a `period` label: 2026-Q3
    latest_name: str | None = None  # the same in words: 2026年第三季度
    due: date | None = None  # the disclosure deadline of that period
    documents: tuple[str, ...] = ()  # documents for that period or a later one, newest first
    note: str = ""


def item_period(item: Item) -> Period | None:
    """The item's `period`, else the period named in its 公开时限 text."""
    if item.period is Period.ON_OCCURRENCE:
        return None
    if item.period is not None:
        return item.period
    parsed = workdays.parse_time_limit(item.time_limit).period
    return Period(parsed) if parsed else None


def latest_due(item: Item, kind: Period, today: date) -> tuple[Span, date, str] | None:
    """The newest period whose disclosure deadline is before `today`, its deadline, a note."""
    limit = item_limit(item)
    span = Span.containing(kind, today)
    note = ""
    for _ in range(40):  # 40 months at most; a yearly item needs two steps
        if span.end + timedelta(days=limit.amount) >= today:
            span = span.previous()  # not due for certain: every limit lasts >= amount days
            continue
        try:
            due = workdays.deadline(span.end, limit.amount, limit.unit)
        except workdays.CalendarCoverageError as exc:
            note = f"{exc.year}年的节假日安排未收录，无法判断{span.name}是否已到期，按上一期检查"
            span = span.previous()
            continue
        if due < today:
            return span, due, note
        span = span.previous()
    return None


def doc_span(period: str | None, created: date, kind: Period) -> Span:
    """The period a document is about: its `period` field, else the period it was created in."""
    return (Span.parse(period) if period else None) or Span.containing(kind, created)


def item_status(site: Site, item: Item) -> ItemStatus:
    if Level.TOWNSHIP not in item.level:
        return ItemStatus(item.id, Status.NOT_TOWNSHIP, item_period(item))
    kind = item_period(item)
    if kind is None:
        return ItemStatus(item.id, Status.NO_PERIOD)
    found = latest_due(item, kind, site.today)
    if found is None:
        return ItemStatus(item.id, Status.NO_PERIOD, kind, note="无法确定已到期的期间")
    span, due, note = found
    covering = []
    for doc_id in site.documents_by_item.get(item.id, []):  # newest first
        doc = site.documents[doc_id].model
        if (
            doc.attribute is not Attribute.ACTIVE
            or doc.published is None
            or doc.published > site.today
        ):
            continue
        about = doc_span(doc.period, doc.created, kind)
        if about.within(span) or about.start > span.end:
            covering.append(doc_id)
    status = Status.OK if covering else Status.MISSING
    return ItemStatus(item.id, status, kind, span.label, span.name, due, tuple(covering), note)


def completeness(site: Site) -> dict[str, ItemStatus]:
    """Item id → completeness status for every catalog item, in catalog order. Pure."""
    return {item_id: item_status(site, ref.item) for item_id, ref in site.items.items()}


def missing_items(site: Site) -> list[Diagnostic]:
    """缺项 warnings, at the `id` of the catalog item."""
    out: list[Diagnostic] = []
    for item_id, status in completeness(site).items():
        if status.status is not Status.MISSING:
            continue
        ref = site.items[item_id]
        area = site.areas[ref.area_slug]
        line, col = area.marks.locate(("items", ref.index - 1, "id"))
        assert status.period is not None and status.due is not None
        out.append(
            warning(
                area.path,
                line,
                col,
                f"缺项：事项“{ref.item.name}”（{status.period.value}公开）没有{status.latest_name}"
                f"（{status.latest}）的公开文件，该期公开期限至 {status.due.isoformat()}",
                f"请发布该期文件，并在文件头部填写 item: {item_id} 和 period: {status.latest}；"
                "已发布的文件如未填写 period，会按成文日期归入期间，请补填 period",
                "governance.missing",
            )
        )
    return out


__all__ = [
    "ItemStatus",
    "Span",
    "Status",
    "completeness",
    "doc_span",
    "item_period",
    "item_status",
    "latest_due",
    "missing_items",
]
