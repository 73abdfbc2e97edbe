"""Loader corner cases found by the reliability review."""

from __future__ import annotations

import os
from pathlib import Path

from sitekit import TODAY, doc, make_site

from gongkai.validate import check_content


def test_symlinked_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.md").write_text(doc("外部文件"), encoding="utf-8")
    os.symlink(outside, content / "documents" / "linked")
    _, diags = check_content(content, TODAY)
    texts = [d.text() for d in diags.errors]
    assert any(t.endswith("documents/linked:1:1: 错误: “linked”是指向其他位置的符号链接目录，其中的文件不会被读取（请把文件夹本身复制到 content/ 中）") for t in texts), texts


def test_lone_surrogate_escape_gets_a_chinese_message(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"documents/2026/u.md": doc('"\\ud83d测试"')})
    _, diags = check_content(content, TODAY)
    [d] = diags.errors
    assert d.path.endswith("documents/2026/u.md") and (d.line, d.col) == (2, 8)
    assert d.message == "“title”（标题）含有无效的字符（不成对的代理字符，常见于双引号中的 \\u 转义）"
