"""Self-review (自查 / 动态调整) of documents that are not actively disclosed.

The seed (§四(二)1) asks that every 不予公开 document be re-checked at least every two years, so
that information whose grounds have lapsed becomes 主动公开; 依申请公开 documents get the same
treatment. The clock restarts at each review (`reviewed`), or runs from `created` when the
document was never reviewed. The interval is `site.yaml` → `review_interval_years`.

`review_schedule` is a pure function of the site so the `review` and `register` reports and the
rule below agree on every date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..diagnostics import Diagnostic, warning
from ..models import Attribute, Document
from ..site import Entry, Site

NEEDS_REVIEW = (Attribute.WITHHELD, Attribute.ON_REQUEST)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class ReviewStatus:
    """When a non-public document was last checked and when the next check falls due."""

    doc_id: str
    last: date  # `reviewed`, else `created`
    reviewed: bool  # False when `last` is the creation date (never reviewed)
    due: date  # last day of the review interval
    days_left: int  # days from today to `due`; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def review_status(doc_id: str, doc: Document, today: date, years: int) -> ReviewStatus | None:
    """The review status of one document, or None for 主动公开 (nothing to review)."""
    if doc.attribute not in NEEDS_REVIEW:
        return None
    last = doc.reviewed or doc.created
    due = add_years(last, years)
    return ReviewStatus(doc_id, last, doc.reviewed is not None, due, (due - today).days)


def review_schedule(site: Site) -> dict[str, ReviewStatus]:
    """Document id → review status for every 不予公开 / 依申请公开 document, in id order."""
    years = site.town.model.review_interval_years
    out: dict[str, ReviewStatus] = {}
    for doc_id, entry in site.documents.items():
        status = review_status(doc_id, entry.model, site.today, years)
        if status is not None:
            out[doc_id] = status
    return out


def _value_at(entry: Entry[Document], key: str) -> tuple[int, int]:
    return entry.marks.locate((key,))


def self_review_overdue(site: Site) -> list[Diagnostic]:
    """自查逾期: the last review (or creation) is more than the interval before today."""
    years = site.town.model.review_interval_years
    out: list[Diagnostic] = []
    for doc_id, status in review_schedule(site).items():
        if not status.overdue:
            continue
        entry = site.documents[doc_id]
        attribute = entry.model.attribute.value
        if status.reviewed:
            line, col = _value_at(entry, "reviewed")
            since = f"上次自查日期为 {status.last.isoformat()}"
        else:
            line, col = _value_at(entry, "created")
            since = f"成文日期为 {status.last.isoformat()}，从未自查"
        out.append(
            warning(
                entry.path,
                line,
                col,
                f"自查逾期：{attribute}文件{since}，已超过 {years} 年的自查周期"
                f"（自查期限 {status.due.isoformat()}，已逾期 {-status.days_left} 天）",
                "请重新审查公开属性：理由仍然成立的，把 reviewed 改为本次自查日期；"
                "理由已不成立的，把 attribute 改为 主动公开 并填写 published",
                "governance.review_overdue",
            )
        )
    return out


__all__ = [
    "NEEDS_REVIEW",
    "ReviewStatus",
    "add_years",
    "review_schedule",
    "review_status",
    "self_review_overdue",
]
