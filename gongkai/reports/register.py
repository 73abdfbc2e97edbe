"""公文公开属性登记: every document with its attribute, reason, ground and dates.

An internal register for staff (seed §四(二)1): it lists 不予公开 documents with their titles
and reasons, so it is written to `reports/` and never to `site/`. HTML for reading and printing,
CSV and XLSX for filing and for the county's forms.
"""

from __future__ import annotations

from ..models import Attribute
from ..rules.review import review_schedule
from ..site import Site
from .common import area_name, ground, issuer, item_name, review_label, source_path, villages
from .tables import Table, csv_bytes, html_document, tables_xlsx

COLUMNS = (
    "序号",
    "文件编号",
    "标题",
    "发文字号",
    "公开属性",
    "不公开或依申请公开理由",
    "不予公开依据",
    "所属公开事项",
    "领域",
    "文种",
    "发布机构",
    "适用村（社区）",
    "所属期间",
    "成文日期",
    "发布日期",
    "公示截止日期",
    "最近自查日期",
    "下次自查日期",
    "自查状态",
    "有效性",
    "源文件",
)


def register_table(site: Site) -> Table:
    """One row per document, oldest first (成文日期, then id)."""
    schedule = review_schedule(site)
    order = sorted(site.documents, key=lambda i: (site.documents[i].model.created, i))
    rows = []
    for n, doc_id in enumerate(order, start=1):
        doc = site.documents[doc_id].model
        status = schedule.get(doc_id)
        rows.append(
            (
                n,
                doc_id,
                doc.title,
                doc.doc_number or "",
                doc.attribute.value,
                doc.reason or "",
                ground(doc),
                item_name(site, doc),
                area_name(site, doc),
                doc.kind.value,
                issuer(site, doc),
                villages(site, doc),
                doc.period or "",
                doc.created,
                doc.published,
                doc.valid_until,
                doc.reviewed,
                status.due if status else None,
                review_label(status),
                doc.validity or "",
                source_path(site, doc_id),
            )
        )
    town = site.town.model.short_name
    return Table(
        f"{town}公文公开属性登记",
        COLUMNS,
        tuple(rows),
        sheet="公开属性登记",
        widths={"标题": 40, "不公开或依申请公开理由": 30, "所属公开事项": 30, "源文件": 30},
    )


def counts_line(site: Site) -> str:
    counts = {a: 0 for a in Attribute}
    for entry in site.documents.values():
        counts[entry.model.attribute] += 1
    parts = "，".join(f"{a.value} {n} 件" for a, n in counts.items())
    return f"共 {len(site.documents)} 件：{parts}。统计日期 {site.today.isoformat()}。"


def register_files(site: Site) -> dict[str, bytes | str]:
    table = register_table(site)
    intro = [
        counts_line(site),
        (
            f"不予公开、依申请公开的文件每 {site.town.model.review_interval_years} 年至少自查一次；"
            "“下次自查日期”为最近自查日期（未自查的为成文日期）加自查周期。"
        ),
    ]
    return {
        "register.html": html_document(table.title, intro, [table]),
        "register.csv": csv_bytes(table),
        "register.xlsx": tables_xlsx(table.title, [table], site.today),
    }
