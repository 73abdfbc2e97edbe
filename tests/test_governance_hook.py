"""The governance hook: every rule registered, modules import alone, coverage fallback."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sitekit import doc, make_site

from gongkai.rules import governance
from gongkai.rules.completeness import Status, completeness
from gongkai.validate import check_content

MODULES = [
    "gongkai.rules.governance",
    "gongkai.rules.review",
    "gongkai.rules.timeliness",
    "gongkai.rules.completeness",
    "gongkai.rules.personal_data",
    "gongkai.rules.consistency",
    "gongkai.rules.annual_report",
    "gongkai.rules.guide",
    "gongkai.rules.statutory",
    "gongkai.rules.applications",
    "gongkai.rules.index_numbers",
    "gongkai.rules.emptiness",
    "gongkai.rules.display",
    "gongkai.rules.village_schedule",
    "gongkai.rules.validity",
    "gongkai.reports.villages",
    "gongkai.reports",
    "gongkai.commands.report",
]


def test_every_rule_is_registered() -> None:
    names = [rule.__name__ for rule in governance.RULES]
    assert names == [
        "self_review_overdue",
        "late_publication",
        "missing_items",
        "unmasked_personal_numbers",
        "interpretation_lag",
        "restates_mismatch",
        "empty_bodies",
        "annual_report_overdue",
        "guide_outdated",
        "uninterpreted_normative",
        "short_display",
        "short_comment_window",
        "missing_feedback",
        "missing_village_notices",
        "missing_approval_date",
        "empty_statutory_categories",
        "application_deadlines",
        "unissued_index_numbers",
    ]


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(module: str) -> None:
    """Catches import cycles: each module must import in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_clean_tree_has_no_governance_diagnostics(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    site, diags = check_content(content, date(2026, 11, 26))
    assert site is not None and not diags


QUARTERLY = """\
area: 村务公开
items:
  - id: cwgk-caiwu-jidu
    level1: 财务公开
    level2: 季度财务收支
    content: 季度财务收支明细
    time_limit: 每季度结束后10个工作日内
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
"""


def test_completeness_never_guesses_past_the_calendar(tmp_path: Path) -> None:
    """On 2027-01-25, whether 2026-Q4 is due needs the 2027 holidays: Q3 is checked instead."""
    q3 = doc(
        "第三季度财务",
        item="cwgk-caiwu-jidu",
        kind="报告",
        period="2026-Q3",
        created="2026-10-12",
        published="2026-10-14",
    )
    content = make_site(tmp_path, {"catalog/cwgk.yaml": QUARTERLY, "documents/2026/q3.md": q3})
    site, _ = check_content(content, date(2027, 1, 25))
    assert site is not None
    status = completeness(site)["cwgk-caiwu-jidu"]
    assert (status.status, status.latest) == (Status.OK, "2026-Q3")
    assert status.note == "2027年的节假日安排未收录，无法判断2026年第四季度是否已到期，按上一期检查"
