"""Governance rules of the Regulations (timeliness, self-review, privacy, completeness ...).

Each rule is `(site) -> list[Diagnostic]`; `check_governance` runs them all, on every `check`
and every build. One module per concern:

- `review.py`        自查逾期  (warning) 不予公开 / 依申请公开 not reviewed within the interval
- `timeliness.py`    超期公开  (warning) 主动公开 later than the item's time limit
- `timeliness.py`    缺少批准日期 (warning) 预决算 … counted from approval without `approved`
- `completeness.py`  缺项      (warning) periodic 乡级 item without a document for its due period
- `personal_data.py` 个人信息未遮盖 (error) unmasked ID / mobile / bank card in published text
- `consistency.py`   解读滞后, 规范性文件未解读 (warnings), 同一事项内容不一致 (error)
- `display.py`       公示期不足 (error) `valid_until` shorter than the item's display period
- `consultations.py` 征求意见期不足 (error), 意见采纳情况未公布 (warning)
- `village_schedule.py` 村务公开逾期 (warning) a village without its 村级 notice for a due period
                     (村民委员会组织法第三十条、第三十一条)
- `emptiness.py`     空正文 (warning) a 主动公开 document with no body, Q&A or attachment
- `guide.py`         指南未更新 (warning) the guide's data changed, its date did not
- `annual_report.py` 年报逾期 (warning) last year's 年报 not published by `annual_report_due`
- `statutory.py`     法定主动公开内容为空 (warning) a category of 条例第二十条/第二十一条 with nothing
- `index_numbers.py` 未分配索引号 (warning) a public document without an issued `index_number`
- `applications.py`  答复即将到期 (warning) / 答复逾期 (error) and the other application deadlines

The attribute rules (reasons, legal grounds) live in the model and in `validate/xref.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Diagnostic
from ..site import Site
from .annual_report import annual_report_overdue
from .applications import application_deadlines
from .completeness import missing_items
from .consistency import interpretation_lag, restates_mismatch, uninterpreted_normative
from .consultations import missing_feedback, short_comment_window
from .display import short_display
from .emptiness import empty_bodies
from .guide import guide_outdated
from .index_numbers import unissued_index_numbers
from .personal_data import unmasked_personal_numbers
from .review import self_review_overdue
from .statutory import empty_statutory_categories
from .timeliness import late_publication, missing_approval_date
from .village_schedule import missing_village_notices

Rule = Callable[[Site], list[Diagnostic]]
RULES: list[Rule] = [
    self_review_overdue,
    late_publication,
    missing_items,
    unmasked_personal_numbers,
    interpretation_lag,
    restates_mismatch,
    empty_bodies,
    annual_report_overdue,
    guide_outdated,
    uninterpreted_normative,
    short_display,
    short_comment_window,
    missing_feedback,
    missing_village_notices,
    missing_approval_date,
    empty_statutory_categories,
    application_deadlines,
    unissued_index_numbers,
]


def check_governance(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in RULES:
        out += rule(site)
    return out
