"""Display periods (公示期): a notice stays posted at least as long as its catalog item says.

A 公开时限 such as "制定或获取信息之日起10个工作日内，公示7个工作日" (最低生活保障审核确认办法),
"预公告时间不少于10个工作日" (土地管理法实施条例第二十六条) or "公告时间不少于30日" (第二十七条)
states a display period (`workdays.parse_time_limit(...).notice_days`). A document of that item
with `valid_until` must be posted until at least the last day of that period, counted like every
period: from the day after `published` (Civil Code Art. 201), on the official holiday calendar,
a last day that is a rest day moving to the next working day (Art. 203). Shorter is an error.

Outside the calendar's years the rule only reports what is certain: a display of fewer calendar
days than the period's length is short whatever the holidays were.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..diagnostics import Diagnostic, error
from ..site import Site
from . import workdays


def required_display_end(published: date, days: int, unit: str) -> date | None:
    """Last day the notice must still be posted; None when the calendar does not cover it."""
    try:
        return workdays.deadline(published, days, unit)
    except workdays.CalendarCoverageError:
        return None


def short_display(site: Site) -> list[Diagnostic]:
    """公示期不足: `valid_until` ends before the display period of the document's item."""
    out: list[Diagnostic] = []
    for entry in site.documents.values():
        doc = entry.model
        if doc.valid_until is None or doc.published is None or not doc.item:
            continue
        ref = site.items.get(doc.item)
        if ref is None:
            continue  # unknown item: reported by the cross-reference rules
        parsed = workdays.parse_time_limit(ref.item.time_limit)
        if not parsed.notice_days or not parsed.notice_unit:
            continue
        period = f"{parsed.notice_days}个{parsed.notice_unit}"
        end = required_display_end(doc.published, parsed.notice_days, parsed.notice_unit)
        if end is None:
            if doc.valid_until >= doc.published + timedelta(days=parsed.notice_days):
                continue  # may be long enough: never guess the holidays
            end_text = f"至少 {parsed.notice_days} 天后"
        elif doc.valid_until >= end:
            continue
        else:
            end_text = end.isoformat()
        line, col = entry.marks.locate(("valid_until",))
        out.append(
            error(
                entry.path,
                line,
                col,
                f"公示期不足：事项“{ref.item.id}”的公开时限要求公示{period}（“{ref.item.time_limit}”），"
                f"{doc.published.isoformat()} 发布应至少公示至 {end_text}，"
                f"valid_until 却是 {doc.valid_until.isoformat()}",
                f"请把 valid_until 改为 {end_text} 或更晚；公示期从发布次日起算，"
                "节假日按国务院公布的安排，最后一天是休息日的顺延到下一个工作日",
                "governance.display_period",
            )
        )
    return out


__all__ = ["required_display_end", "short_display"]
