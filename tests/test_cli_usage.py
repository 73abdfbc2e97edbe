"""Usage errors are Chinese, exit 2, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import run_cli


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--bogus"], "gongkai: 用法错误：不认识的参数：--bogus"),
        (["check", "--format", "xml"], "gongkai: 用法错误：参数 --format 的值“xml”无效（可选：text, github, json）"),
        (["build", "-j", "x"], "gongkai: 用法错误：参数 -j/--jobs 应为整数，读到“x”"),
        (["check", "--today", "2026-13-01"], "gongkai: 用法错误：参数 --today：日期“2026-13-01”格式不正确，应为 YYYY-MM-DD"),
        (["nosuch"], "gongkai: 用法错误：参数 命令 的值“nosuch”无效"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], expected: str) -> None:
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "--help 查看帮助。" in proc.stderr
