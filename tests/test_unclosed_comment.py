"""An unclosed `<!--` in a Markdown body would publish the internal note after it: an error at
the line:col of the `<!--`. Closed comments, and `<!--` inside code, are fine."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitekit import TODAY, doc, make_site, run_cli

from gongkai.loading import load_content, parse_record
from gongkai.validate import validate

DOC = "content/documents/2026/a.md"
FIX = "在注释结尾加上 -->；如果这段文字就是要公开的，请删除 <!--"


def message(line: int, col: int, path: str = DOC) -> str:
    return f"{path}:{line}:{col}: 错误: HTML 注释“<!--”没有结束，后面的内容会被当作正文公开（{FIX}）"


def errors(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root)
    _, diags = validate(load_content(Path("content")), TODAY)
    return [d.text() for d in diags.errors]


def test_unclosed_comment_in_a_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the body starts on line 9 of doc(): 第一段 is 9, the blank line 10, the comment on 11
    make_site(tmp_path, {"documents/2026/a.md": doc(body="第一段。\n\n低保对象 <!-- 内部：张三 身份证号待核\n\n第二段。\n")})
    assert errors(tmp_path, monkeypatch) == [message(11, 6)]


def test_first_unclosed_after_closed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "<!-- 说明 -->\n正文 <!-- a --> 续 <!--\n未结束的备注\n"
    make_site(tmp_path, {"documents/2026/a.md": doc(body=body)})
    assert errors(tmp_path, monkeypatch) == [message(10, 17)]


def test_in_a_consultation_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_validate_xref import CONSULTATION

    text = CONSULTATION.format(item="shjz-dibao", village="mudao") + "草案说明。<!-- 待定\n"
    make_site(tmp_path, {"consultations/wushui.md": text})
    line = text.count("\n")
    assert errors(tmp_path, monkeypatch) == [message(line, 6, "content/consultations/wushui.md")]


@pytest.mark.parametrize("body", [
    "正文 <!-- 备注 --> 续。\n",
    "<!--\n多行\n备注\n-->\n正文。\n",
    "代码 `<!--` 不是注释。\n",
    "```html\n<!-- 示例\n```\n正文。\n",
    "~~~~\n<!--\n~~~\n~~~~\n正文。\n",
])
def test_closed_comments_and_code_are_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(body=body)})
    assert errors(tmp_path, monkeypatch) == []


def test_reported_with_front_matter_errors_and_exit_1(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/a.md": doc(kind="通", body="<!-- 未结束\n")})
    proc = run_cli("check", cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert message(9, 1) in out
    assert f"{DOC}:7:7: 错误:" in out  # the bad kind is reported too
    assert not (tmp_path / "site").exists()


@given(before=st.text(st.sampled_from("文字 -<!>\n"), max_size=30), note=st.text(st.sampled_from("备注 -<!\n"), max_size=30))
def test_unclosed_iff_no_closing_after(before: str, note: str) -> None:
    """Appending `<!--` and a note without `-->`: always one error, and it points at a `<!--`."""
    while "-->" in note:
        note = note.replace("-->", "")
    body = before + "<!--" + note
    _, diags = parse_record("document", "a", f"---\ntitle: x\n---\n{body}", "a.md", True)
    found = [d for d in diags if d.code == "md.unclosed_comment"]
    assert len(found) == 1
    lines = f"---\ntitle: x\n---\n{body}".split("\n")
    assert lines[found[0].line - 1][found[0].col - 1:].startswith("<!--")
