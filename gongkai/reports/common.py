"""Shared facts about documents, worded as the reports print them."""

from __future__ import annotations

from ..models import Document
from ..rules.review import ReviewStatus
from ..site import Site

SOON_DAYS = 90  # "due within the next 90 days" in the review report


def issuer(site: Site, doc: Document) -> str:
    return doc.issuer or site.town.model.name


def villages(site: Site, doc: Document) -> str:
    if not doc.villages:
        return "全镇"
    return "、".join(site.villages[s].model.name if s in site.villages else s for s in doc.villages)


def item_name(site: Site, doc: Document) -> str:
    if not doc.item:
        return ""
    ref = site.items.get(doc.item)
    return f"{ref.item.name}（{doc.item}）" if ref else doc.item


def area_name(site: Site, doc: Document) -> str:
    ref = site.items.get(doc.item) if doc.item else None
    return ref.area.area if ref else ""


def ground(doc: Document) -> str:
    """`第十五条 个人隐私` for 不予公开, empty otherwise."""
    if doc.legal_basis is None:
        return ""
    return f"{doc.legal_basis.article} {doc.legal_basis.value}"


def review_label(status: ReviewStatus | None) -> str:
    if status is None:
        return "无需自查"
    if status.overdue:
        return f"已逾期 {-status.days_left} 天"
    if status.days_left == 0:
        return "今日到期"
    if status.days_left <= SOON_DAYS:
        return f"{status.days_left} 天后到期"
    return "正常"


def source_path(site: Site, doc_id: str) -> str:
    return site.documents[doc_id].path
