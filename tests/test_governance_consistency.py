"""解读滞后 (interpretation lag), 规范性文件未解读 and 同一事项内容不一致 (restates mismatch)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import SITE_YAML, TODAY, doc, make_site

from gongkai.validate import check_content

LAG_HINT = "（政策解读应与政策同步组织、同步审签、同步部署；今后请与政策同时发布（工作日数可在 site.yaml 的 interpretation_lag_days 中调整））"


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, files)
    _, diags = check_content(content, TODAY)
    return [d.text() for d in diags.sorted()]


def interpretation(published: str, created: str = "2026-03-02") -> dict[str, str]:
    return {
        "documents/2026/dibao-jiedu.md": doc(
            "《关于做好低保工作的通知》解读",
            kind="解读",
            interprets="2026/dibao",
            created=created,
            published=published,
        )
    }


# --- interpretation lag ----------------------------------------------------------------------
# 实施方案 §四(二)2: 解读与政策同步组织、同步审签、同步部署；the lag is counted in working days (default 3) on the official holiday calendar.


def test_interpretation_within_three_working_days_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # policy (sitekit default) published Thu 2026-03-05; Tue 03-10 is the 3rd working day
    # (5 calendar days, which the old natural-days rule flagged)
    assert run(tmp_path, monkeypatch, interpretation("2026-03-10")) == []


def test_late_interpretation_is_a_warning_in_working_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(tmp_path, monkeypatch, interpretation("2026-03-11")) == [
        "content/documents/2026/dibao-jiedu.md:6:12: 警告: 解读滞后：本解读发布于 2026-03-11，被解读的政策"
        "“关于做好低保工作的通知”（2026/dibao）发布于 2026-03-05，晚了 4 个工作日，超过 3 个工作日的同步要求"
        + LAG_HINT
    ]


def test_lag_skips_the_national_day_holiday(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """国庆 2026: 10-01..10-07 are rest days and Sat 10-10 a 调休 working day."""
    policy = {"documents/2026/dibao.md": doc(created="2026-09-28", published="2026-09-30")}
    assert run(tmp_path, monkeypatch, {**policy, **interpretation("2026-10-10", "2026-09-28")}) == []
    [message] = run(tmp_path, monkeypatch, {**policy, **interpretation("2026-10-12", "2026-09-28")})
    assert "发布于 2026-09-30，晚了 4 个工作日，超过 3 个工作日的同步要求" in message


def test_lag_beyond_the_holiday_calendar_is_not_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2027 holidays are not in the calendar: only a lag within 3 calendar days is known in step;
    anything longer is neither accepted nor flagged from a guess (no 解读滞后, no crash)."""
    policy = {"documents/2027/dibao.md": doc(created="2027-03-01", published="2027-03-02")}
    jiedu = doc("解读", kind="解读", interprets="2027/dibao", created="2027-03-01", published="2027-04-30")
    messages = run(tmp_path, monkeypatch, {**policy, "documents/2027/dibao-jiedu.md": jiedu})
    assert not any("解读滞后" in m for m in messages)


def test_lag_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "site.yaml": SITE_YAML + "interpretation_lag_days: 0\n",
        **interpretation("2026-03-06"),
    }
    [message] = run(tmp_path, monkeypatch, files)
    assert "晚了 1 个工作日，超过 0 个工作日的同步要求" in message


def test_interpretation_published_first_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = interpretation("2026-03-05")
    files["documents/2026/dibao-jiedu.md"] = files["documents/2026/dibao-jiedu.md"].replace(
        "created: 2026-03-02", "created: 2026-03-01"
    )
    assert run(tmp_path, monkeypatch, files) == []


# --- same matter, same content ----------------------------------------------------------------


def village_notice(**fields: str) -> dict[str, str]:
    return {
        "documents/2026/dibao.md": doc(period="2026-Q1"),
        "documents/2026/jingtou-dibao.md": doc(
            "井头村低保审核信息公示",
            kind="公示",
            villages="[jingtou]",
            restates="2026/dibao",
            **fields,
        ),
    }


def test_restating_the_same_item_and_period_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(tmp_path, monkeypatch, village_notice(period="2026-Q1")) == []


def test_restates_with_other_item_and_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # front matter: title 2, attribute 3, item 4, created 5, published 6, kind 7, villages 8,
    # restates 9, period 10
    assert run(tmp_path, monkeypatch, village_notice(item="shjz-guide", period="2026-Q2")) == [
        (
            "content/documents/2026/jingtou-dibao.md:4:7: 错误: 同一事项内容不一致：本文件转述镇级文件"
            "“关于做好低保工作的通知”（2026/dibao），本文件所属公开事项为“shjz-guide”，镇级文件为“shjz-dibao”"
            "（村级公告与所转述的镇级文件必须是同一事项、同一期间：请把 item 改为 shjz-dibao，或改正 restates）"
        ),
        (
            "content/documents/2026/jingtou-dibao.md:10:9: 错误: 同一事项内容不一致：本文件转述镇级文件"
            "“关于做好低保工作的通知”（2026/dibao），本文件所属期间为“2026-Q2”，镇级文件为“2026-Q1”"
            "（村级公告与所转述的镇级文件必须是同一事项、同一期间：请把 period 改为 2026-Q1，或改正 restates）"
        ),
    ]


def test_missing_period_is_reported_at_restates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [message] = run(tmp_path, monkeypatch, village_notice())
    assert message == (
        "content/documents/2026/jingtou-dibao.md:9:11: 错误: 同一事项内容不一致：本文件转述镇级文件"
        "“关于做好低保工作的通知”（2026/dibao），本文件未填写所属期间，镇级文件为“2026-Q1”"
        "（村级公告与所转述的镇级文件必须是同一事项、同一期间：请把 period 改为 2026-Q1，或改正 restates）"
    )


def test_withheld_target_is_named_by_id_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = village_notice(period="2026-Q2")
    files["documents/2026/dibao.md"] = doc(
        "机密标题不应出现",
        attribute="不予公开",
        reason="内部",
        legal_basis="内部事务信息",
        published=None,
        period="2026-Q1",
    )
    [message] = run(tmp_path, monkeypatch, files)
    assert "本文件转述镇级文件“2026/dibao”，本文件所属期间为“2026-Q2”" in message
    assert "机密标题不应出现" not in message


# --- normative document without interpretation ------------------------------------------------
# 实施方案 §四(二)2: a 行政规范性文件 is published together with its interpretation.

NORMATIVE_HINT = (
    "（行政规范性文件应同步配发政策解读：请新建 kind: 解读 的文件并填写 interprets: 2026/dibao"
    "（可用 gongkai new document --kind 解读））"
)


def test_normative_document_without_interpretation_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # front matter: title 2, attribute 3, item 4, created 5, published 6, kind 7, normative 8
    files = {"documents/2026/dibao.md": doc(normative="true")}
    assert run(tmp_path, monkeypatch, files) == [
        "content/documents/2026/dibao.md:8:12: 警告: 规范性文件未解读：本文件是行政规范性文件（normative: true），"
        "但没有任何解读文件的 interprets 填写“2026/dibao”" + NORMATIVE_HINT
    ]


def test_normative_document_with_interpretation_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"documents/2026/dibao.md": doc(normative="true"), **interpretation("2026-03-05")}
    assert run(tmp_path, monkeypatch, files) == []


def test_non_normative_document_needs_no_interpretation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(normative="false")}) == []
