"""村务公开进度: which villages are behind their 村级 disclosure schedule (组织法第三十条、第三十一条).

Two tables: the villages that are behind, one row per village, item and missing period (the town's
list for 责令改正 under Art. 31), and every periodic 村级 item of every village with its status.
Built from `rules.village_schedule`, the same result `check` warns about and village pages show.
"""

from __future__ import annotations

from ..rules.village_schedule import ARTICLE, behind_villages, village_schedules
from ..site import Site
from .tables import Table, csv_bytes, html_document, markdown_document

BEHIND_COLUMNS = ("序号", "村（社区）", "公开事项", "事项编号", "公开周期", "缺少的期间", "该期公开期限", "最近一次公开")
ALL_COLUMNS = ("序号", "村（社区）", "公开事项", "公开周期", "检查期间", "状态", "缺期数")


def _last(site: Site, doc_id: str | None) -> str:
    if doc_id is None:
        return "从未公开"
    doc = site.documents[doc_id].model
    return f"{doc.title}（{doc.published.isoformat() if doc.published else ''}）"


def behind_table(site: Site) -> Table:
    rows = []
    for slug, statuses in behind_villages(site).items():
        name = site.villages[slug].model.name
        for status in statuses:
            item = site.items[status.item_id].item
            for gap in status.missing:
                rows.append((len(rows) + 1, name, item.name, status.item_id, status.schedule.label,
                             f"{gap.name}（{gap.label}）", gap.due, _last(site, status.last_notice)))
    return Table("未按期公开的村（社区）", BEHIND_COLUMNS, tuple(rows))


def schedule_table(site: Site) -> Table:
    rows = []
    for slug, statuses in village_schedules(site).items():
        name = site.villages[slug].model.name
        for status in statuses:
            if not status.periodic:
                continue
            span = f"{status.checked[0]} 至 {status.checked[-1]}" if status.checked else ""
            rows.append((len(rows) + 1, name, site.items[status.item_id].item.name, status.schedule.label, span,
                         status.status.value, len(status.missing)))
    return Table("各村定期公开事项", ALL_COLUMNS, tuple(rows))


def village_files(site: Site) -> dict[str, bytes | str]:
    town = site.town.model.short_name
    title = f"{town}村务公开进度"
    behind, schedules = behind_table(site), schedule_table(site)
    late = behind_villages(site)
    names = "、".join(site.villages[s].model.name for s in late) or "无"
    intro = [
        (f"统计日期 {site.today.isoformat()}：{len(site.villages)} 个村（社区）中 {len(late)} 个未按期公开（{names}），"
        f"共缺 {len(behind.rows)} 期。"),
        (f"依据{ARTICLE}（一般事项至少每季度公布一次，财务往来较多的每月公布，重大事项随时公布）和第三十一条"
        "（不及时公布的，由镇人民政府责令改正）。随时公开的事项不在本表统计。"),
    ]
    return {
        "villages.md": markdown_document(title, intro, [behind, schedules]),
        "villages.html": html_document(title, intro, [behind, schedules], internal=False),
        "villages.csv": csv_bytes(behind),
    }


__all__ = ["behind_table", "schedule_table", "village_files"]
