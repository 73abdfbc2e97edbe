"""预决算: the time limit counts from `approved` (《中华人民共和国预算法》第十四条: 批准后二十日内),
in calendar days when the item says 日 without 工作日."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site

from gongkai.validate import check_content

BUDGET_AREA = """\
area: 财政预决算
order: 2
items:
  - id: czyjs-yusuan
    level1: 财政预决算
    level2: 政府预算
    content: 一般公共预算收支表
    time_limit: 本级人民代表大会或其常务委员会批准后20日内
    subject: 永岁镇人民政府
    channels: 政府网站
    level: 乡级
"""


def budget(**fields: str | None) -> str:
    front = {"item": "czyjs-yusuan", "kind": "预算", "created": "2026-01-09", "approved": "2026-02-06",
             "published": "2026-02-24", **fields}
    return doc("永岁镇2026年财政预算公开", **front)


def warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"catalog/czyjs.yaml": BUDGET_AREA, "documents/2026/yusuan.md": text})
    _, diags = check_content(content, TODAY)
    assert not diags.errors, [d.text() for d in diags.errors]
    return [d.text() for d in diags.warnings if "yusuan" in d.path]


def test_budget_law_art14_counts_from_approval_not_from_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Created 2026-01-09, approved 2026-02-06, published 2026-02-24: 18 days after approval, on time
    (counted from 成文日期 it would be 46 days, late)."""
    assert warnings(tmp_path, monkeypatch, budget()) == []


def test_budget_law_art14_late_after_20_calendar_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """20日 is calendar days: approved 2026-02-06 (the Spring Festival holiday falls in the period) →
    due 2026-02-26; published 2026-03-02 is 4 days late."""
    assert warnings(tmp_path, monkeypatch, budget(published="2026-03-02")) == [
        ("content/documents/2026/yusuan.md:6:12: 警告: 超期公开：批准日期 2026-02-06，公开时限 20个自然日，"
        "期限至 2026-02-26，实际发布于 2026-03-02，超期 4 天（时限依据：事项“czyjs-yusuan”的公开时限"
        "“本级人民代表大会或其常务委员会批准后20日内”；期限从批准次日起算，节假日按国务院公布的安排。"
        "批准或发布日期填错的请更正；事项另有时限的请在目录中填写 deadline）"),
    ]


def test_budget_law_art14_missing_approved_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    got = warnings(tmp_path, monkeypatch, budget(approved=None, created="2026-02-06"))
    assert got == [
        ("content/documents/2026/yusuan.md:4:7: 警告: 缺少批准日期：事项“财政预决算 / 政府预算”的公开时限从批准之日起算"
        "（“本级人民代表大会或其常务委员会批准后20日内”），本文件没有填写 approved，暂按成文日期 2026-02-06 计算"
        "（请在文件头部填写 approved: YYYY-MM-DD（本级人民代表大会或其常务委员会批准的日期，《中华人民共和国预算法》第十四条））"),
    ]


def test_approved_after_published_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"catalog/czyjs.yaml": BUDGET_AREA,
                                   "documents/2026/yusuan.md": budget(approved="2026-03-01")})
    _, diags = check_content(content, TODAY)
    assert [d.text() for d in diags.errors] == [
        ("content/documents/2026/yusuan.md:8:11: 错误: 批准日期 2026-03-01 晚于发布日期 2026-02-24"
        "（预决算应在批准后公开，请检查两个日期）"),
    ]


def test_other_items_still_count_from_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`approved` on a document whose item is not counted from approval changes nothing."""
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"documents/2026/dibao.md": doc(created="2026-03-02", approved="2026-03-20",
                                                                  published="2026-04-20")})
    _, diags = check_content(content, TODAY)
    late = [d.text() for d in diags.warnings if "超期公开" in d.message]
    assert len(late) == 1 and "超期公开：成文日期 2026-03-02" in late[0]
