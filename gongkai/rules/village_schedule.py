"""Village disclosure frequency (村务公开逾期): 《中华人民共和国村民委员会组织法》第三十条、第三十一条.

Art. 30: 村务一般事项至少每季度公布一次; 集体财务往来较多的, 财务收支情况应当每月公布一次;
涉及村民利益的重大事项应当随时公布. Art. 31: 村民委员会不及时公布应当公布的事项 …… 乡、民族乡、
镇的人民政府 …… 责令改正. So the town checks every village for every 村级 item of its list.

Every 村级 item has a schedule (`village_cadence`):

- 每月 / 每季度 / 每半年 / 每年: the item's `period`, else the period its 公开时限 text names;
  每月N日前公开上月 is monthly with its deadline on the Nth of the next month;
- 随时: `period: 随时`, or a time limit counted from an event (决议形成之日起5个工作日内,
  信息形成或者变更之日起20个工作日内, 及时公告, a machine `deadline`, a display period such as
  拟申请征收土地前发布，预公告时间不少于10个工作日 …): published as it happens, nothing periodic;
- an item that states neither is quarterly, the minimum of Art. 30.

For a periodic item, the periods checked for a village are those from the first period the village
published a notice for (at most `WINDOW` periods back) up to the latest period whose disclosure
deadline is before `site.today` (`completeness.latest_due`). A village that never published is
checked for the latest due period only. A period is covered by a 主动公开, already published
document of the item that names the village in `villages` and whose own period (`period` field,
else the period it was `created` in) lies within it. Each missing period is one warning, at the
item's line in the village file (or at `name` when the village uses every 村级 item).

`village_schedules(site)` is pure: village pages show its result and `gongkai report villages`
lists the villages that are behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..diagnostics import Diagnostic, warning
from ..engine import derivation
from ..models import Attribute, Item, Level, Period
from ..site import Site
from . import workdays
from .completeness import Span, doc_span, latest_due
from .timeliness import item_limit

ARTICLE = "《中华人民共和国村民委员会组织法》第三十条"
WINDOW = 12  # periods checked back from the latest due one


class Cadence(StrEnum):
    """How often a village publishes an item (Art. 30)."""

    MONTHLY = "每月"
    MONTHLY_BY_DAY = "每月N日前公开上月"
    QUARTERLY = "每季度"
    HALF_YEARLY = "每半年"
    YEARLY = "每年"
    ON_OCCURRENCE = "随时"


class VillageStatus(StrEnum):
    OK = "按期公开"
    BEHIND = "未按期公开"
    ON_OCCURRENCE = "随时公开"
    NOT_DUE = "尚无到期期间"


_CADENCE_OF_PERIOD = {
    Period.MONTHLY: Cadence.MONTHLY,
    Period.QUARTERLY: Cadence.QUARTERLY,
    Period.HALF_YEARLY: Cadence.HALF_YEARLY,
    Period.YEARLY: Cadence.YEARLY,
}


@dataclass(frozen=True)
class Schedule:
    """An item's village schedule: the cadence, the period kind it counts in, the words shown."""

    cadence: Cadence
    period: Period | None  # None for 随时
    label: str  # 每月10日前公开上月 / 每季度 / 随时 / 每季度（组织法第三十条的最低要求）


def village_schedule(item: Item) -> Schedule:
    """The schedule of a 村级 item (see the module docstring for the order of the sources)."""
    parsed = workdays.parse_time_limit(item.time_limit)
    if item.period is Period.ON_OCCURRENCE:
        return Schedule(Cadence.ON_OCCURRENCE, None, Cadence.ON_OCCURRENCE.value)
    kind = item.period or (Period(parsed.period) if parsed.period else None)
    if kind is not None:
        if kind is Period.MONTHLY and parsed.due_day:
            return Schedule(Cadence.MONTHLY_BY_DAY, kind, f"每月{parsed.due_day}日前公开上月")
        return Schedule(_CADENCE_OF_PERIOD[kind], kind, kind.value)
    if parsed.on_occurrence or parsed.event or parsed.amount or parsed.notice_days or item.deadline:
        return Schedule(Cadence.ON_OCCURRENCE, None, Cadence.ON_OCCURRENCE.value)
    return Schedule(Cadence.QUARTERLY, Period.QUARTERLY, "每季度（组织法第三十条的最低要求）")


@dataclass(frozen=True)
class MissingPeriod:
    label: str  # 2026-Q3
    name: str  # 2026年第三季度
    due: date  # the disclosure deadline of that period


@dataclass(frozen=True)
class VillageItemStatus:
    """One 村级 item of one village: its schedule and which due periods have no notice."""

    village: str
    item_id: str
    schedule: Schedule
    status: VillageStatus
    checked: tuple[str, ...] = ()  # period labels checked, oldest first
    missing: tuple[MissingPeriod, ...] = ()
    last_notice: str | None = None  # newest notice of the village for the item (document id)
    note: str = ""

    @property
    def behind(self) -> bool:
        return self.status is VillageStatus.BEHIND

    @property
    def periodic(self) -> bool:
        return self.schedule.period is not None


def village_item_ids(site: Site, slug: str) -> list[str]:
    """The village's list (`items`), else every 村级 item, in catalog order; unknown ids dropped."""
    village = site.villages[slug].model
    ids = village.items or [i for i, ref in site.items.items() if Level.VILLAGE in ref.item.level]
    return [i for i in ids if i in site.items and Level.VILLAGE in site.items[i].item.level]


def _memo(site: Site, what: str, compute, record: bool = True):  # type: ignore[no-untyped-def]
    """Once per build (`Site.derived`): the check, every village page and the report ask."""
    key = (what, site.today.isoformat())
    return site.derived.memo(key, compute, record)  # type: ignore[attr-defined]


@derivation("village_notices")
def _village_notices(site: Site, key: tuple[str, str]) -> dict[tuple[str, str], list[str]]:
    return _memo(site, "village_notices", lambda: _notice_index(site))  # type: ignore[no-any-return]


@derivation("village_schedules")
def _village_schedules(site: Site, key: tuple[str, str]) -> dict[str, list[VillageItemStatus]]:
    return village_schedules(site)


def _notice_index(site: Site) -> dict[tuple[str, str], list[str]]:
    """(village, item) → published 主动公开 notices naming the village, newest first."""
    out: dict[tuple[str, str], list[str]] = {}
    for item_id, doc_ids in site.documents_by_item.items():
        for doc_id in doc_ids:  # newest first
            doc = site.documents[doc_id].model
            if doc.attribute is not Attribute.ACTIVE or doc.published is None or doc.published > site.today:
                continue
            for slug in doc.villages:
                out.setdefault((slug, item_id), []).append(doc_id)
    return out


def _notices(site: Site, slug: str, item_id: str) -> list[str]:
    """Published 主动公开 notices of the village for the item, newest first."""
    return _memo(site, "village_notices", lambda: _notice_index(site)).get((slug, item_id), [])


def _item_schedule(site: Site, item_id: str) -> tuple[Schedule, tuple[Span, date, str] | None]:
    """An item's schedule and latest due period: the same for every village, computed once."""
    table = _memo(site, "village_item_schedules", dict, record=False)  # from the catalogue and the day only
    if item_id not in table:
        item = site.items[item_id].item
        schedule = village_schedule(item)
        due = latest_due(item, schedule.period, site.today) if schedule.period is not None else None
        table[item_id] = (schedule, due)
    return table[item_id]  # type: ignore[no-any-return]


def village_item_status(site: Site, slug: str, item_id: str) -> VillageItemStatus:
    item = site.items[item_id].item
    schedule, found = _item_schedule(site, item_id)
    notices = _notices(site, slug, item_id)
    last = notices[0] if notices else None
    if schedule.period is None:
        return VillageItemStatus(slug, item_id, schedule, VillageStatus.ON_OCCURRENCE, last_notice=last)
    kind = schedule.period
    if found is None:
        return VillageItemStatus(slug, item_id, schedule, VillageStatus.NOT_DUE, last_notice=last)
    latest, _, note = found
    spans = [doc_span(site.documents[d].model.period, site.documents[d].model.created, kind) for d in notices]
    first = min(spans) if spans else latest
    periods = [latest]
    while len(periods) < WINDOW and periods[-1] > first:
        periods.append(periods[-1].previous())
    periods.reverse()
    missing = []
    for span in periods:
        if any(about.within(span) for about in spans):
            continue
        missing.append(MissingPeriod(span.label, span.name, _due(item, kind, span)))
    status = VillageStatus.BEHIND if missing else VillageStatus.OK
    return VillageItemStatus(
        slug, item_id, schedule, status, tuple(s.label for s in periods), tuple(missing), last, note
    )


def _due(item: Item, kind: Period, span: Span) -> date:
    """The deadline of a period already known to be due (its calendar year is covered)."""
    limit = item_limit(item)
    try:
        return workdays.deadline(span.end, limit.amount, limit.unit)
    except workdays.CalendarCoverageError:
        return span.end


def village_schedules(site: Site) -> dict[str, list[VillageItemStatus]]:
    """Village slug → the status of each 村级 item of its list, in the list's order. Pure
    (memoised per build and day)."""
    return _memo(site, "village_schedules", lambda: {
        slug: [village_item_status(site, slug, item_id) for item_id in village_item_ids(site, slug)]
        for slug in site.villages
    })


def behind_villages(site: Site) -> dict[str, list[VillageItemStatus]]:
    """Only the villages with a missing period, and only their late items."""
    out = {}
    for slug, statuses in village_schedules(site).items():
        late = [s for s in statuses if s.behind]
        if late:
            out[slug] = late
    return out


def missing_village_notices(site: Site) -> list[Diagnostic]:
    """村务公开逾期 warnings: one per village, item and missing period."""
    out: list[Diagnostic] = []
    for slug, statuses in village_schedules(site).items():
        entry = site.villages[slug]
        village = entry.model
        for status in statuses:
            if not status.behind:
                continue
            item = site.items[status.item_id].item
            if status.item_id in village.items:
                line, col = entry.marks.locate(("items", village.items.index(status.item_id)))
            else:
                line, col = entry.at("name")
            for gap in status.missing:
                out.append(
                    warning(
                        entry.path,
                        line,
                        col,
                        f"村务公开逾期：{village.name}的“{item.name}”（{status.schedule.label}）没有"
                        f"{gap.name}（{gap.label}）的公开，该期公开期限至 {gap.due.isoformat()}"
                        f"（{ARTICLE}）",
                        f"请发布该期村务公开：文件头部填写 item: {status.item_id}、villages: [{slug}]、"
                        f"period: {gap.label}；已发布未填 period 的，会按成文日期归入期间，请补填 period",
                        "governance.village_missing",
                    )
                )
    return out


__all__ = [
    "ARTICLE",
    "WINDOW",
    "Cadence",
    "MissingPeriod",
    "Schedule",
    "VillageItemStatus",
    "VillageStatus",
    "behind_villages",
    "missing_village_notices",
    "village_item_ids",
    "village_item_status",
    "village_schedule",
    "village_schedules",
]
