"""《重大行政决策程序暂行条例》第十五条: comment window of at least 30 days unless the reason is
given (征求意见期不足), and the 采纳情况 published within a configurable time (意见采纳情况未公布)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sitekit import SITE_YAML, TODAY, make_site

from gongkai.validate import check_content

WINDOW_HINT = (
    "（请把 closes 改为 2026-10-31 或更晚；确因情况紧急等原因需要缩短的，"
    "在 short_reason 中写明理由，它会随征求意见一并公开）"
)
FEEDBACK_HINT = (
    "（请在 feedback 中公布收到多少意见、采纳情况及理由，并填写 feedback_published"
    "（天数可在 site.yaml 的 consultation_feedback_days 中调整））"
)


def consultation(closes: str, extra: str = "", opens: str = "2026-10-01") -> dict[str, str]:
    # front matter: title 2, scope 3, methods 4, channels 5, opens 6, closes 7
    return {
        "consultations/wushui.md": (
            "---\ntitle: 集镇污水处理方案\nscope: 全镇居民\nmethods: [征集意见]\nchannels: [电话]\n"
            f"opens: {opens}\ncloses: {closes}\npublished: {opens}\n{extra}---\n草案说明。\n"
        )
    }


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], today: date = TODAY
) -> list[str]:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, files)
    _, diags = check_content(content, today)
    return [d.text() for d in diags.sorted()]


# --- Art. 15: comment window ------------------------------------------------------------------


def test_art15_thirty_day_window_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 10-01 → 10-31: the opening day does not count (Civil Code Art. 201), 30 days
    assert run(tmp_path, monkeypatch, consultation("2026-10-31")) == []


def test_art15_window_under_thirty_days_without_reason_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(tmp_path, monkeypatch, consultation("2026-10-30")) == [
        "content/consultations/wushui.md:7:9: 错误: 征求意见期不足：征求意见时间 2026-10-01 至 2026-10-30 只有 29 日，"
        "少于《重大行政决策程序暂行条例》第十五条规定的 30 日，且没有说明缩短的理由" + WINDOW_HINT
    ]


def test_art15_short_window_with_reason_passes_and_the_reason_is_published(
    built, tmp_path: Path
) -> None:
    reason = "汛期将至，排水改造须在11月前开工，经镇长办公会议研究缩短为15日"
    files = consultation("2026-10-16", f"short_reason: {reason}\n")
    site, result = built(files)
    assert result.ok and not [d for d in result.diagnostics.items if "征求意见期不足" in d.message]
    page = (site / "consultations/wushui.html").read_text(encoding="utf-8")
    assert f"征求意见期限缩短的理由：{reason}" in page


def test_art15_blank_reason_is_no_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # front matter: ... closes 7, published 8, short_reason 9
    assert run(tmp_path, monkeypatch, consultation("2026-10-16", 'short_reason: " "\n')) == [
        (
            "content/consultations/wushui.md:9:15: 错误: “short_reason”（期限缩短的理由）“ ”太短，至少 1 个字"
            "（请填写完整的期限缩短的理由）"
        )
    ]


def test_art15_build_fails_on_a_short_window(built) -> None:
    site, result = built(consultation("2026-10-16"))
    assert not result.ok and not site.exists()


# --- Art. 15: feedback (采纳情况) ----------------------------------------------------------------


def test_art15_feedback_due_thirty_days_after_closing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # closed 2026-10-26; TODAY 2026-11-26 is day 31
    assert run(tmp_path, monkeypatch, consultation("2026-10-26", opens="2026-09-25"), date(2026, 11, 25)) == []
    assert run(tmp_path, monkeypatch, consultation("2026-10-26", opens="2026-09-25")) == [
        "content/consultations/wushui.md:7:9: 警告: 意见采纳情况未公布：征求意见已于 2026-10-26 截止，已过 31 日，"
        "超过截止后 30 日内公布的要求" + FEEDBACK_HINT
    ]


def test_art15_published_feedback_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = "feedback: 共收到意见3条，采纳2条。\nfeedback_published: 2026-11-20\n"
    assert run(tmp_path, monkeypatch, consultation("2026-10-26", extra, opens="2026-09-25")) == []


def test_art15_feedback_days_are_configurable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"site.yaml": SITE_YAML + "consultation_feedback_days: 10\n", **consultation("2026-11-15", opens="2026-10-15")}
    [message] = run(tmp_path, monkeypatch, files)
    assert "已于 2026-11-15 截止，已过 11 日，超过截止后 10 日内公布的要求" in message
