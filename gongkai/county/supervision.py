"""`gongkai report supervision`: which townships fall behind, for the county's 政务公开办.

Per township, from the findings the ordinary rules already make (`gongkai check` of the
township, nothing recomputed): 缺项 (`governance.missing`), 超期公开 (`governance.late`),
自查逾期 (`governance.review_overdue`); from the validated site: catalog areas with no public
document, the days since the newest public document (flagged at `stale_days`, two weeks by
default), and villages whose 村务公开 is behind (no document addressed to the village within
`VILLAGE_DAYS`: the Village Committees Organisation Law, Art. 30, asks for at least quarterly
disclosure). Applications (依申请公开) are answered outside gongkai's content: with no register
of applications there is nothing to count, and the report says so rather than print a zero.

Internal: the findings name 不予公开 files (自查逾期), so the report goes to `reports/`, never the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..diagnostics import Diagnostic
from ..reports.tables import Table, add_table_sheet, html_document, new_workbook, workbook_bytes
from .config import CountyConfig

VILLAGE_DAYS = 92  # one quarter
CODES = {"governance.missing": "缺项", "governance.late": "超期公开", "governance.review_overdue": "自查逾期"}
NO_REGISTER = "未建立申请登记，无法统计"


@dataclass
class TownStatus:
    slug: str
    name: str
    errors: int = 0  # content errors: the township does not build
    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # CODES label -> findings
    findings: list[Diagnostic] = field(default_factory=list)
    empty_areas: list[str] = field(default_factory=list)
    last_update: date | None = None
    villages_behind: list[tuple[str, str]] = field(default_factory=list)  # (name, last date or "从未")

    def days(self, today: date) -> int | None:
        return (today - self.last_update).days if self.last_update else None


def town_status(slug: str, site: Any, diags: list[Diagnostic], today: date) -> TownStatus:
    from ..site import doc_date

    errors = [d for d in diags if d.severity.name == "ERROR"]
    status = TownStatus(slug, site.town.model.short_name if site is not None else slug, errors=len(errors))
    status.findings = [d for d in diags if d.code in CODES]
    status.counts = {label: sum(1 for d in status.findings if d.code == code) for code, label in CODES.items()}
    if site is None:
        return status
    public = site.public_documents
    status.documents = len(public)
    status.last_update = max((doc_date(d.model) for d in public.values()), default=None)
    for area in site.areas.values():
        if not any(site.documents_by_item.get(item.id) for item in area.model.items):
            status.empty_areas.append(area.model.area)
    for vslug, village in site.villages.items():
        ids = site.documents_by_village.get(vslug, [])
        newest = doc_date(site.documents[ids[0]].model) if ids else None  # newest first
        if newest is None or (today - newest).days > VILLAGE_DAYS:
            status.villages_behind.append((village.model.name, newest.isoformat() if newest else "从未"))
    return status


def collect(config: CountyConfig, today: date) -> list[TownStatus]:
    from ..validate import check_content

    out = []
    for slug in config.towns:
        site, diags = check_content(config.town_dir(slug), today)
        out.append(town_status(slug, site if not diags.errors else None, diags.sorted(), today))
    return out


def tables(config: CountyConfig, statuses: list[TownStatus], today: date) -> tuple[Table, Table, Table]:
    stale = config.county.stale_days
    rows = []
    for s in statuses:
        days = s.days(today)
        updated = "—" if s.last_update is None else f"{s.last_update.isoformat()}（{days} 天）"
        flags = []
        if s.errors:
            flags.append(f"内容有 {s.errors} 个错误，无法生成")
        if days is None or days >= stale:
            flags.append(f"超过 {stale} 天未更新")
        flags += [f"{label} {n}" for label, n in s.counts.items() if n]
        if s.villages_behind:
            flags.append(f"村务公开滞后 {len(s.villages_behind)} 个村")
        rows.append((s.name, s.documents, s.counts["缺项"], s.counts["超期公开"], s.counts["自查逾期"], NO_REGISTER,
                     "、".join(s.empty_areas) or "无", updated,
                     "、".join(f"{n}（{d}）" for n, d in s.villages_behind) or "无", "；".join(flags) or "正常"))
    summary = Table(
        "各乡镇政务公开情况", ("乡镇", "公开信息数", "缺项", "超期公开", "自查逾期", "逾期未答复申请", "无信息的领域",
                         "最近更新（距今）", "村务公开滞后的村（最近一次）", "需督办"),
        tuple(rows), note=f"最近更新超过 {stale} 天、村务公开超过 {VILLAGE_DAYS} 天（一个季度）未更新的标出。", sheet="汇总")
    details = Table("问题明细（来自 gongkai check 的检查结果）", ("乡镇", "类别", "文件", "行", "说明", "处理办法"),
                    tuple((s.name, CODES[d.code], d.path, d.line, d.message, d.hint) for s in statuses for d in s.findings),
                    sheet="问题明细")
    villages = Table("村务公开滞后的村", ("乡镇", "村（社区）", "最近一次公开"),
                     tuple((s.name, n, d) for s in statuses for n, d in s.villages_behind), sheet="村务公开")
    return summary, details, villages


def supervision_files(config: CountyConfig, statuses: list[TownStatus], today: date) -> dict[str, bytes | str]:
    title = f"{config.county.name}基层政务公开督查报告"
    summary, details, villages = tables(config, statuses, today)
    behind = [s.name for s in statuses if s.errors or (s.days(today) is None or s.days(today) >= config.county.stale_days)
              or any(s.counts.values()) or s.villages_behind]
    intro = [
        f"统计日期 {today.isoformat()}，共 {len(statuses)} 个乡镇；需督办：{'、'.join(behind) or '无'}。",
        "依申请公开的申请不在 gongkai 的内容中登记：逾期未答复的申请需按申请登记簿另行统计。",
    ]
    wb = new_workbook(title)
    taken: set[str] = set()
    for table in (summary, details, villages):
        add_table_sheet(wb, table, taken)
    return {"supervision.html": html_document(title, intro, [summary, details, villages]),
            "supervision.xlsx": workbook_bytes(wb, today)}
