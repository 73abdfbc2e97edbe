"""Inputs that used to end in "gongkai 内部错误": extreme dates, huge day counts, symlinks to
themselves. Each must be a `path:line:col: 错误: …（fix）` with exit 1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import AREA_YAML, TODAY, doc, make_site, run_cli

from gongkai.loading import load_content
from gongkai.validate import validate

DOC = "content/documents/2026/a.md"
DATE_FIELDS = {"created": 5, "published": 6, "valid_until": 8, "reviewed": 8, "approved": 8}


def errors(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root)
    _, diags = validate(load_content(Path("content")), TODAY)
    return [d.text() for d in diags.errors]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("key", sorted(DATE_FIELDS))
def test_extreme_date_in_every_date_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(**{key: value})})
    line = DATE_FIELDS[key]
    assert (f"{DOC}:{line}:{len(key) + 3}: 错误: 日期“{value}”超出范围（请写 1949-10-01 到 2099-12-31 之间的真实日期）"
            in errors(tmp_path, monkeypatch))


def test_extreme_date_by_the_cli_exits_1(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(created="9999-12-31", published="9999-12-31")})
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert (proc.stdout + proc.stderr).splitlines()[:2] == [
        f"{DOC}:5:10: 错误: 日期“9999-12-31”超出范围（请写 1949-10-01 到 2099-12-31 之间的真实日期）",
        f"{DOC}:6:12: 错误: 日期“9999-12-31”超出范围（请写 1949-10-01 到 2099-12-31 之间的真实日期）",
    ]
    assert "内部错误" not in proc.stdout + proc.stderr


def test_huge_day_count_in_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {"catalog/shjz.yaml": AREA_YAML.replace("10个工作日内", "99999999个工作日内")})
    assert errors(tmp_path, monkeypatch) == [
        "content/catalog/shjz.yaml:9:17: 错误: 公开时限中的天数“99999999”太大（请写 1 到 3650 之间的天数，例如 20个工作日）"]


def test_huge_deadline_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    area = AREA_YAML.replace("    subject:", "    deadline: {days: 99999999, unit: 工作日}\n    subject:", 1)
    make_site(tmp_path, {"catalog/shjz.yaml": area})
    [message] = errors(tmp_path, monkeypatch)
    assert message.startswith("content/catalog/shjz.yaml:10:")
    assert "的值“99999999”太大（应不大于 3650）" in message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.integers(min_value=3651, max_value=10**30))
def test_any_huge_day_count_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, days: int) -> None:
    make_site(tmp_path, {"catalog/shjz.yaml": AREA_YAML.replace("10个工作日内", f"{days}个工作日内")})
    assert errors(tmp_path, monkeypatch) == [
        f"content/catalog/shjz.yaml:9:17: 错误: 公开时限中的天数“{days}”太大（请写 1 到 3650 之间的天数，例如 20个工作日）"]


def test_symlink_to_itself_and_directory_loop(tmp_path: Path) -> None:
    make_site(tmp_path)
    os.symlink("self.md", tmp_path / "content/documents/2026/self.md")
    (tmp_path / "content/documents/loop").mkdir()
    os.symlink("../loop", tmp_path / "content/documents/loop/back")
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert (proc.stdout + proc.stderr).splitlines() == [
        "content/documents/2026/self.md:1:1: 错误: 内容文件是指向 self.md 的符号链接（请把文件本身复制到 content/ 中）",
        "content/documents/loop/back:1:1: 错误: “back”是指向其他位置的符号链接目录，其中的文件不会被读取（请把文件夹本身复制到 content/ 中）",
        "共 2 个错误，0 个警告。",
    ]


@pytest.mark.parametrize("value", ['"9999"', '"0000"', "9999-Q3", '"1900-07"', "2100-H1"])
def test_absurd_period(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(period=value)})
    shown = value.strip('"')
    assert errors(tmp_path, monkeypatch) == [
        (f"{DOC}:8:9: 错误: 所属期间“{shown}”的年份 {int(shown[:4])} 超出范围"
        '（请写 1949 到 2099 之间的年份，例如 period: "2024" 或 "2024-Q3"）')]


@pytest.mark.parametrize("value", ['"1949"', '"2099-12"', "2024-Q3"])
def test_real_periods_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(period=value)})
    assert errors(tmp_path, monkeypatch) == []


@pytest.mark.parametrize(
    ("key", "name", "limit"),
    [
        ("review_interval_years", "自查周期（年）", 50),  # used to overflow date arithmetic: 内部错误
        ("interpretation_lag_days", "解读同步工作日数", 365),
        ("consultation_feedback_days", "意见采纳情况公布天数", 3650),
        ("max_file_kb", "文件大小上限（KB）", 1000000),
    ],
)
def test_absurd_numbers_in_site_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, name: str, limit: int) -> None:
    from sitekit import SITE_YAML

    withheld = doc(title="内部事项", attribute="不予公开", legal_basis="个人隐私", reason="涉及个人隐私",
                   reviewed="2026-01-01", published=None)
    make_site(tmp_path, {"site.yaml": SITE_YAML + f"{key}: 99999999999\n", "documents/2026/w.md": withheld})
    assert errors(tmp_path, monkeypatch) == [
        f"content/site.yaml:13:{len(key) + 3}: 错误: “{key}”（{name}）的值“99999999999”太大（应不大于 {limit}）"]
    proc = run_cli("check", "--today", "2026-11-26", cwd=tmp_path)
    assert proc.returncode == 1 and "内部错误" not in proc.stdout + proc.stderr


@pytest.mark.parametrize(("rel", "text", "line"), [
    ("catalog/shjz.yaml", AREA_YAML.replace("order: 1", "order: 99999999999999999999999999"), 2),
    ("villages/dong.yaml", "name: 东村\ncommittee: 东村村民委员会\norder: -99999999999999999999999999\n", 3),
])
def test_absurd_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str, text: str, line: int) -> None:
    make_site(tmp_path, {rel: text})
    [message] = errors(tmp_path, monkeypatch)
    assert message.startswith(f"content/{rel}:{line}:8: 错误: “order”（排序）的值“")
    assert message.endswith(("太大（应不大于 1000000）", "太小（应不小于 -1000000）"))
