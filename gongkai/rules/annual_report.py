"""年报逾期: last year's 政府信息公开工作年度报告 is published by the configured day.

《政府信息公开条例》第四十九条: each administrative organ publishes its annual report for the
previous year by 31 January. The day is `site.yaml` → `annual_report_due` ("MM-DD"). A report
counts for year Y when it is a public document of kind 年报 whose `period` is "Y". The check
runs against `site.today` (the CLI's `--today`), never the machine clock.

A report is only asked for a year the site covers: one with at least one 主动公开 document
published in it. A town adopting gongkai is not warned about the years before its first content.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from ..diagnostics import Diagnostic, warning
from ..models import Attribute, DocKind
from ..site import Site


def due_day(site: Site, year: int) -> date:
    """The last day to publish the report of `year` (in `year + 1`)."""
    month, day = (int(x) for x in site.town.model.annual_report_due.split("-"))
    return date(year + 1, month, min(day, monthrange(year + 1, month)[1]))  # 02-30 → last of Feb


def published_report_years(site: Site) -> set[str]:
    return {
        d.model.period or ""
        for d in site.documents.values()
        if d.model.kind is DocKind.ANNUAL_REPORT and d.model.attribute is Attribute.ACTIVE
        and d.model.published is not None and d.model.published <= site.today
    }


def covers_year(site: Site, year: int) -> bool:
    return any(
        d.model.attribute is Attribute.ACTIVE and d.model.published is not None and d.model.published.year == year
        for d in site.documents.values()
    )


def annual_report_overdue(site: Site) -> list[Diagnostic]:
    year = site.today.year - 1
    due = due_day(site, year)
    if site.today <= due or str(year) in published_report_years(site) or not covers_year(site, year):
        return []
    town = site.town
    line, col = town.at("annual_report_due") if "annual_report_due" in town.model.model_fields_set else (1, 1)
    return [warning(
        town.path, line, col,
        f"年报逾期：{year}年政府信息公开工作年度报告应在 {due.isoformat()} 前公布，至今（{site.today.isoformat()}）"
        f"未发布（已逾期 {(site.today - due).days} 天）",
        f"请用 gongkai new document 新建 kind: 年报、period: \"{year}\" 的文件并发布",
        "governance.annual_report",
    )]
