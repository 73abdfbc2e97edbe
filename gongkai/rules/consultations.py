"""Public participation in 重大行政决策 (《重大行政决策程序暂行条例》第十五条).

- Comment window (征求意见期不足, error): "公开征求意见的期限一般不少于30日；因情况紧急等原因需要
  缩短期限的，公开征求意见时应当予以说明". A consultation whose `closes` is fewer than 30 days
  after `opens` must give the reason in `short_reason` (shown on its page). Counted like every
  period: the day of `opens` itself does not count (Civil Code Art. 201), so 08-11 → 09-10 is 30.
- Feedback (意见采纳情况未公布, warning): once the window has closed, the 采纳情况 is due within
  `site.yaml` → `consultation_feedback_days` calendar days (default 30); later than that with no
  `feedback` is a warning (judged on `--today`).
"""

from __future__ import annotations

from datetime import timedelta

from ..diagnostics import Diagnostic, error, warning
from ..site import Site

MIN_COMMENT_DAYS = 30


def short_comment_window(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for entry in site.consultations.values():
        c = entry.model
        days = (c.closes - c.opens).days
        if days >= MIN_COMMENT_DAYS or c.short_reason:
            continue
        line, col = entry.marks.locate(("closes",))
        earliest = (c.opens + timedelta(days=MIN_COMMENT_DAYS)).isoformat()
        out.append(
            error(
                entry.path,
                line,
                col,
                f"征求意见期不足：征求意见时间 {c.opens.isoformat()} 至 {c.closes.isoformat()} 只有 {days} 日，"
                f"少于《重大行政决策程序暂行条例》第十五条规定的 {MIN_COMMENT_DAYS} 日，且没有说明缩短的理由",
                f"请把 closes 改为 {earliest} 或更晚；确因情况紧急等原因需要缩短的，"
                "在 short_reason 中写明理由，它会随征求意见一并公开",
                "governance.comment_window",
            )
        )
    return out


def missing_feedback(site: Site) -> list[Diagnostic]:
    allowed = site.town.model.consultation_feedback_days
    out: list[Diagnostic] = []
    for entry in site.consultations.values():
        c = entry.model
        since = (site.today - c.closes).days
        if c.feedback or since <= allowed:
            continue
        line, col = entry.marks.locate(("closes",))
        out.append(
            warning(
                entry.path,
                line,
                col,
                f"意见采纳情况未公布：征求意见已于 {c.closes.isoformat()} 截止，已过 {since} 日，"
                f"超过截止后 {allowed} 日内公布的要求",
                "请在 feedback 中公布收到多少意见、采纳情况及理由，并填写 feedback_published"
                "（天数可在 site.yaml 的 consultation_feedback_days 中调整）",
                "governance.consultation_feedback",
            )
        )
    return out


__all__ = ["MIN_COMMENT_DAYS", "missing_feedback", "short_comment_window"]
