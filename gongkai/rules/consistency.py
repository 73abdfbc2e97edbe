"""Rules between two documents: an interpretation keeps step with its policy, and a village
notice restating a town document identifies the same matter.

- Interpretation lag (解读滞后): the seed asks that policy and interpretation be prepared and
  published together (同步组织、同步审签、同步部署). A 解读 published more than
  `site.yaml` → `interpretation_lag_days` working days (default 3) after its policy is a warning,
  counted on the official holiday calendar (`workdays`); outside the calendar's years only a lag
  of at most that many calendar days is known to be in step, anything else is not reported.
- Normative document without interpretation (规范性文件未解读): a public document with
  `normative: true` (行政规范性文件) that no document's `interprets` names is a warning.
- Same matter, same content (同一事项): a document with `restates: <town doc id>` must have the
  same `item` and the same `period` as that document; otherwise the village board and the
  town site would disagree about which matter (or which quarter) they publish.

Missing targets are reported by `validate/xref.py`; these rules only compare existing pairs.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..diagnostics import Diagnostic, error, warning
from ..models import Attribute, DocKind, Document, Validity
from ..site import Entry, Site
from . import workdays
from .validity import current_validity


def _name(doc_id: str, doc: Document) -> str:
    """How a message names another document; never the title of a 不予公开 one."""
    if doc.attribute is Attribute.WITHHELD:
        return f"“{doc_id}”"
    return f"“{doc.title}”（{doc_id}）"


def _late_by(policy_published: date, published: date, lag: int) -> int | None:
    """Working days beyond the lag, or None when in step or when the calendar cannot tell."""
    if published <= policy_published + timedelta(days=lag):
        return None  # no more calendar days than allowed working days: in step for certain
    try:
        due = workdays.deadline(policy_published, lag, workdays.UNIT_WORKDAY)
        if published <= due:
            return None
        return workdays.working_days_between(policy_published, published)
    except workdays.CalendarCoverageError:
        return None  # never guess the holidays


def interpretation_lag(site: Site) -> list[Diagnostic]:
    lag = site.town.model.interpretation_lag_days
    out: list[Diagnostic] = []
    for entry in site.documents.values():
        doc = entry.model
        if doc.kind is not DocKind.INTERPRETATION or not doc.interprets or doc.published is None:
            continue
        policy = site.documents.get(doc.interprets)
        if policy is None or policy.model.published is None:
            continue
        days = _late_by(policy.model.published, doc.published, lag)
        if days is None:
            continue
        line, col = entry.marks.locate(("published",))
        out.append(
            warning(
                entry.path,
                line,
                col,
                f"解读滞后：本解读发布于 {doc.published.isoformat()}，被解读的政策"
                f"{_name(doc.interprets, policy.model)}发布于 {policy.model.published.isoformat()}，"
                f"晚了 {days} 个工作日，超过 {lag} 个工作日的同步要求",
                "政策解读应与政策同步组织、同步审签、同步部署；今后请与政策同时发布"
                "（工作日数可在 site.yaml 的 interpretation_lag_days 中调整）",
                "governance.interpretation_lag",
            )
        )
    return out


def uninterpreted_normative(site: Site) -> list[Diagnostic]:
    """规范性文件未解读: a public 行政规范性文件 in force that no interpretation names.

    A document repealed or expired (`rules.validity.current_validity`) is no longer applied: asking
    for its interpretation now would help nobody."""
    out: list[Diagnostic] = []
    interpreted = site.interpretations_of
    for doc_id, entry in site.public_documents.items():
        if not entry.model.normative or doc_id in interpreted:
            continue
        if current_validity(site, doc_id) in (Validity.REPEALED, Validity.EXPIRED):
            continue
        line, col = entry.marks.locate(("normative",))
        out.append(
            warning(
                entry.path,
                line,
                col,
                f"规范性文件未解读：本文件是行政规范性文件（normative: true），"
                f"但没有任何解读文件的 interprets 填写“{doc_id}”",
                f"行政规范性文件应同步配发政策解读：请新建 kind: 解读 的文件并填写 interprets: {doc_id}"
                "（可用 gongkai new document --kind 解读）",
                "governance.uninterpreted_normative",
            )
        )
    return out


def _mismatch(
    entry: Entry[Document], target_id: str, target: Document, key: str, label: str
) -> Diagnostic | None:
    mine, theirs = getattr(entry.model, key), getattr(target, key)
    if mine == theirs:
        return None
    line, col = entry.marks.locate((key,) if mine is not None else ("restates",))
    shown = f"{label}为“{mine}”" if mine is not None else f"未填写{label}"
    wanted = f"为“{theirs}”" if theirs is not None else "未填写"
    fix = f"请把 {key} 改为 {theirs}" if theirs is not None else f"请删除 {key}"
    return error(
        entry.path,
        line,
        col,
        f"同一事项内容不一致：本文件转述镇级文件{_name(target_id, target)}，"
        f"本文件{shown}，镇级文件{wanted}",
        f"村级公告与所转述的镇级文件必须是同一事项、同一期间：{fix}，或改正 restates",
        "governance.restates_mismatch",
    )


def restates_mismatch(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for entry in site.documents.values():
        target_id = entry.model.restates
        target = site.documents.get(target_id) if target_id else None
        if target is None or target_id is None:
            continue
        for key, label in (("item", "所属公开事项"), ("period", "所属期间")):
            diag = _mismatch(entry, target_id, target.model, key, label)
            if diag is not None:
                out.append(diag)
    return out


__all__ = ["interpretation_lag", "restates_mismatch", "uninterpreted_normative"]
