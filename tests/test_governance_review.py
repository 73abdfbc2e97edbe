"""自查逾期: 不予公开 / 依申请公开 documents re-checked within `review_interval_years`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sitekit import SITE_YAML, TODAY, doc, make_site

from gongkai.rules.review import add_years, review_schedule
from gongkai.validate import check_content

HINT = (
    "（请重新审查公开属性：理由仍然成立的，把 reviewed 改为本次自查日期；"
    "理由已不成立的，把 attribute 改为 主动公开 并填写 published）"
)


def withheld(**fields: str) -> str:
    base = {
        "attribute": "不予公开",
        "reason": "讨论记录，属于过程性信息",
        "legal_basis": "过程性信息",
        "published": None,
        "kind": "纪要",
    }
    base.update(fields)
    return doc("党委会议纪要", **base)  # type: ignore[arg-type]


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], today: date = TODAY
) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, files)
    _, diags = check_content(content, today)
    return [d.text() for d in diags.sorted()]


def test_never_reviewed_withheld_document_is_overdue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"documents/2024/minutes.md": withheld(created="2024-11-25")}
    assert run(tmp_path, monkeypatch, files) == [
        "content/documents/2024/minutes.md:5:10: 警告: 自查逾期：不予公开文件成文日期为 2024-11-25，从未自查，"
        "已超过 2 年的自查周期（自查期限 2026-11-25，已逾期 1 天）" + HINT
    ]


def test_exactly_two_years_is_not_yet_overdue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"documents/2024/minutes.md": withheld(created="2024-11-26")}
    assert run(tmp_path, monkeypatch, files) == []


def test_reviewed_date_restarts_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"documents/2020/minutes.md": withheld(created="2020-03-01", reviewed="2025-01-10")}
    assert run(tmp_path, monkeypatch, files) == []
    files = {"documents/2020/minutes.md": withheld(created="2020-03-01", reviewed="2023-06-30")}
    assert run(tmp_path, monkeypatch, files) == [
        "content/documents/2020/minutes.md:9:11: 警告: 自查逾期：不予公开文件上次自查日期为 2023-06-30，"
        "已超过 2 年的自查周期（自查期限 2025-06-30，已逾期 514 天）" + HINT
    ]


def test_on_request_documents_are_reviewed_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "documents/2023/roster.md": doc(
            "困难群众花名册",
            attribute="依申请公开",
            reason="含个人信息",
            created="2023-05-01",
            published=None,
        )
    }
    [message] = run(tmp_path, monkeypatch, files)
    assert message.startswith(
        "content/documents/2023/roster.md:5:10: 警告: 自查逾期：依申请公开文件成文日期为 2023-05-01，从未自查，"
        "已超过 2 年的自查周期（自查期限 2025-05-01，已逾期 574 天）"
    )


def test_interval_comes_from_site_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "site.yaml": SITE_YAML + "review_interval_years: 3\n",
        "documents/2024/minutes.md": withheld(created="2024-11-25"),
    }
    assert run(tmp_path, monkeypatch, files) == []
    files["documents/2024/minutes.md"] = withheld(created="2023-11-25")
    [message] = run(tmp_path, monkeypatch, files)
    assert "已超过 3 年的自查周期（自查期限 2026-11-25，已逾期 1 天）" in message


def test_active_documents_need_no_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"documents/2026/dibao.md": doc(created="2015-03-02", published="2015-03-05")}
    assert [m for m in run(tmp_path, monkeypatch, files) if "自查" in m] == []


def test_leap_day_and_schedule(tmp_path: Path) -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    content = make_site(
        tmp_path,
        {
            "documents/2024/a.md": withheld(created="2024-11-25"),
            "documents/2025/b.md": withheld(created="2025-01-01", reviewed="2025-06-01"),
        },
    )
    site, _ = check_content(content, TODAY)
    assert site is not None
    schedule = review_schedule(site)
    assert list(schedule) == ["2024/a", "2025/b"]
    assert schedule["2024/a"].overdue and schedule["2024/a"].days_left == -1
    assert schedule["2025/b"].due == date(2027, 6, 1) and schedule["2025/b"].reviewed
