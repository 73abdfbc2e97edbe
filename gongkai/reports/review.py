"""自查清单: non-public documents whose self-review is overdue or due within 90 days."""

from __future__ import annotations

from ..rules.review import ReviewStatus, review_schedule
from ..site import Site
from .common import SOON_DAYS, ground, review_label, source_path
from .tables import Table, csv_bytes, html_document, markdown_document

COLUMNS = (
    "序号",
    "文件编号",
    "标题",
    "公开属性",
    "不公开或依申请公开理由",
    "不予公开依据",
    "最近自查日期",
    "自查期限",
    "状态",
    "源文件",
)
OVERDUE = "已逾期"
SOON = f"{SOON_DAYS} 日内到期"


def due_reviews(site: Site) -> tuple[list[ReviewStatus], list[ReviewStatus]]:
    """(overdue, due within 90 days), each ordered by due date then id."""
    statuses = sorted(review_schedule(site).values(), key=lambda s: (s.due, s.doc_id))
    overdue = [s for s in statuses if s.overdue]
    soon = [s for s in statuses if 0 <= s.days_left <= SOON_DAYS]
    return overdue, soon


def _rows(site: Site, statuses: list[ReviewStatus]) -> list[tuple]:  # type: ignore[type-arg]
    rows = []
    for n, status in enumerate(statuses, start=1):
        doc = site.documents[status.doc_id].model
        last = (
            status.last.isoformat()
            if status.reviewed
            else f"未自查（成文 {status.last.isoformat()}）"
        )
        rows.append(
            (
                n,
                status.doc_id,
                doc.title,
                doc.attribute.value,
                doc.reason or "",
                ground(doc),
                last,
                status.due,
                review_label(status),
                source_path(site, status.doc_id),
            )
        )
    return rows


def review_tables(site: Site) -> tuple[Table, Table]:
    overdue, soon = due_reviews(site)
    return (
        Table(f"{OVERDUE}（应立即自查）", COLUMNS, tuple(_rows(site, overdue))),
        Table(
            f"{SOON}（{site.today.isoformat()} 起 {SOON_DAYS} 天内）",
            COLUMNS,
            tuple(_rows(site, soon)),
        ),
    )


def review_csv_table(site: Site) -> Table:
    """Both groups in one CSV, with the group in the first column."""
    overdue, soon = due_reviews(site)
    rows = [(OVERDUE, *row) for row in _rows(site, overdue)] + [
        (SOON, *row) for row in _rows(site, soon)
    ]
    return Table("自查清单", ("分组", *COLUMNS), tuple(rows))


def review_files(site: Site) -> dict[str, bytes | str]:
    town = site.town.model.short_name
    title = f"{town}不予公开、依申请公开信息自查清单"
    overdue, soon = review_tables(site)
    years = site.town.model.review_interval_years
    intro = [
        f"统计日期 {site.today.isoformat()}：已逾期 {len(overdue.rows)} 件，{SOON_DAYS} 日内到期 {len(soon.rows)} 件。",
        (
            f"自查周期 {years} 年（site.yaml 的 review_interval_years）。自查后在文件头部把 reviewed 改为自查日期；"
            "理由已不成立的，把 attribute 改为 主动公开 并填写 published。"
        ),
    ]
    return {
        "review.md": markdown_document(title, ["> 内部资料，不得公开。", *intro], [overdue, soon]),
        "review.html": html_document(title, intro, [overdue, soon]),
        "review.csv": csv_bytes(review_csv_table(site)),
    }
