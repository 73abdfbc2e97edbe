"""Deadlines of 政府信息公开申请 (条例第三十条至第三十三条), on the official working-day calendar.

- 补正: the request for a correction is sent within 7 working days of receipt (Art. 30); the
  answer period then starts again from the day the corrected application arrives. While the
  office waits for the correction no deadline runs.
- 征求第三方意见: the third party has 15 working days (Art. 32); the time it takes is not counted
  (Art. 33), so the answer deadline moves by the working days from the request to the reply
  (or to the end of the 15 days, when no reply was recorded: after that the office decides).
- 答复: within 20 working days (Art. 33), extendable once by 20 with the head's approval, told to
  the applicant before the first period ends.

`check` (on `site.today`, the CLI's `--today`) warns three working days before an open
application's deadline and errors once it has passed; a correction requested late, an extension
told after the deadline and an answer given late are warnings (they are facts of the record).
Messages name the internal reference and dates only, never what was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..diagnostics import Diagnostic, error, warning
from ..models import Application
from ..site import Entry, Site
from . import workdays

ANSWER_DAYS = 20
EXTENSION_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
THIRD_PARTY_DAYS = 15
WARN_AHEAD = 3


@dataclass(frozen=True)
class AnswerDeadline:
    """When the answer is due, or why no deadline runs now."""

    due: date | None
    base: date | None  # the deadline without the extension (the day an extension must be told by)
    waiting_correction: bool = False
    uncovered_year: int | None = None


def answer_deadline(app: Application) -> AnswerDeadline:
    if app.correction_requested is not None and app.correction_received is None:
        return AnswerDeadline(None, None, waiting_correction=True)
    start = app.correction_received or app.received
    try:
        paused = 0
        if app.third_party_sent is not None:
            end = app.third_party_replied or workdays.add_working_days(app.third_party_sent, THIRD_PARTY_DAYS)
            paused = max(0, workdays.working_days_between(app.third_party_sent, end))
        base = workdays.add_working_days(start, ANSWER_DAYS + paused)
        due = workdays.add_working_days(start, ANSWER_DAYS + paused + (EXTENSION_DAYS if app.extended else 0))
    except workdays.CalendarCoverageError as exc:
        return AnswerDeadline(None, None, uncovered_year=exc.year)
    return AnswerDeadline(due, base)


def _steps(site: Site, entry: Entry[Application]) -> list[Diagnostic]:
    app = entry.model
    ref = f"申请 {app.reference}（{app.received.isoformat()} 收到）"
    out: list[Diagnostic] = []
    if app.correction_requested is not None:
        try:
            latest = workdays.add_working_days(app.received, CORRECTION_NOTICE_DAYS)
        except workdays.CalendarCoverageError:
            latest = None
        if latest is not None and app.correction_requested > latest:
            line, col = entry.marks.locate(("correction_requested",))
            out.append(warning(entry.path, line, col,
                               f"补正告知超期：{ref}应在 {latest.isoformat()} 前（收到后 {CORRECTION_NOTICE_DAYS} 个工作日内）"
                               f"一次性告知补正，实际 {app.correction_requested.isoformat()}",
                               "今后收到内容不明确的申请，应在 7 个工作日内一次性告知补正（条例第三十条）",
                               "governance.application_correction"))
    deadline = answer_deadline(app)
    if deadline.uncovered_year is not None:
        line, col = entry.marks.locate(("received",))
        lo, hi = workdays.covered_years()
        out.append(warning(entry.path, line, col,
                           f"无法计算答复期限：{ref}的期限落在 {deadline.uncovered_year} 年，节假日安排只覆盖 {lo}–{hi} 年",
                           "升级 chinesecalendar（国务院公布次年节假日安排后）再检查；期间请人工核对期限",
                           "governance.calendar_coverage"))
        return out
    if deadline.due is None or deadline.base is None:
        return out  # waiting for the applicant's correction: no period runs
    if app.extended is not None and app.extended > deadline.base:
        line, col = entry.marks.locate(("extended",))
        out.append(warning(entry.path, line, col,
                           f"延期告知超期：{ref}的延期应在原答复期限 {deadline.base.isoformat()} 前告知申请人，"
                           f"实际 {app.extended.isoformat()}",
                           "需要延长答复期限的，应在 20 个工作日的期限内经负责人同意并告知申请人（条例第三十三条）",
                           "governance.application_extension"))
    extended = f"（含延期 {EXTENSION_DAYS} 个工作日）" if app.extended else ""
    if app.answered is not None:
        if app.answered > deadline.due:
            late = workdays.working_days_between(deadline.due, app.answered)
            line, col = entry.marks.locate(("answered",))
            out.append(warning(entry.path, line, col,
                               f"超期答复：{ref}的答复期限为 {deadline.due.isoformat()}{extended}，"
                               f"{app.answered.isoformat()} 才答复（晚 {late} 个工作日）",
                               "请核对日期；确属超期的，在年度报告中说明并改进（条例第三十三条）",
                               "governance.application_late_answer"))
        return out
    today = site.today
    line, col = entry.marks.locate(("received",))
    if today > deadline.due:
        late = workdays.working_days_between(deadline.due, today)
        hint = ("尽快答复，答复后填写 answered 和 outcome" if app.extended else
                "尽快答复，答复后填写 answered 和 outcome；确需延长的应在期限内经负责人同意并告知申请人")
        out.append(error(entry.path, line, col,
                         f"答复逾期：{ref}的答复期限为 {deadline.due.isoformat()}{extended}，"
                         f"至今（{today.isoformat()}）未答复，已超过 {late} 个工作日",
                         hint + "（条例第三十三条）", "governance.application_overdue"))
    else:
        left = workdays.working_days_between(today, deadline.due)
        if left <= WARN_AHEAD:
            when = "今天到期" if left == 0 else f"还剩 {left} 个工作日"
            out.append(warning(entry.path, line, col,
                               f"答复即将到期：{ref}的答复期限为 {deadline.due.isoformat()}{extended}，{when}",
                               "请按期答复，答复后填写 answered 和 outcome；确需延长的，经负责人同意并告知申请人后"
                               "填写 extended 和 extension_reason（最多延长 20 个工作日，条例第三十三条）",
                               "governance.application_due"))
    return out


def application_deadlines(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for entry in site.applications.values():
        out += _steps(site, entry)
    return out
