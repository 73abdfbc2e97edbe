"""Messages that used to mislead staff now name the real mistake and its fix (issue 21)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sitekit import doc, make_site

from gongkai.validate import check_content


def lines(tmp_path: Path, files: dict[str, str]) -> list[str]:
    make_site(tmp_path, files)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        _, diags = check_content(Path("content"), date(2026, 12, 1))
    finally:
        os.chdir(cwd)
    return [d.text() for d in diags.sorted() if d.path.endswith(("2026/x.md", "2026/y.md"))]


def test_missing_space_after_colon_is_reported_on_its_own_line(tmp_path: Path) -> None:
    text = doc().replace("title: 关于做好低保工作的通知", "title:永岁镇关于做好低保工作的通知")
    assert lines(tmp_path, {"documents/2026/x.md": text}) == [(
        "content/documents/2026/x.md:2:6: 错误: “title”的冒号后面缺少空格"
        "（YAML 要求冒号后面有一个半角空格，请改为 title: 永岁镇关于做好低保工作的…）"
    )]


def test_missing_space_in_a_list_item_key(tmp_path: Path) -> None:
    text = doc(qa="\n  - q: 谁可以申请？\n    a:户籍在本镇的居民。", kind="解读", interprets="2026/dibao")
    assert lines(tmp_path, {"documents/2026/x.md": text}) == [
        "content/documents/2026/x.md:10:6: 错误: “a”的冒号后面缺少空格（YAML 要求冒号后面有一个半角空格，请改为 a: 户籍在本镇的居民。）"
    ]


def test_urls_and_times_are_not_taken_for_a_missing_space(tmp_path: Path) -> None:
    text = doc(summary='"会议时间 9:30"', keywords="[http://example.org]")
    assert lines(tmp_path, {"documents/2026/x.md": text}) == []


def test_villages_written_as_one_string_explains_list_syntax(tmp_path: Path) -> None:
    for written in ("jingtou、mudao", "jingtou，mudao", "jingtou mudao"):
        text = doc(villages=written)
        assert lines(tmp_path, {"documents/2026/x.md": text}) == [(
            f"content/documents/2026/x.md:8:11: 错误: “{written}”是一整段文字，不是村的列表（多个村之间用了“、”“，”或空格）"
            "（列表要写成 villages: [jingtou, mudao]（方括号、半角逗号），或每个村一行“- 村编号”）"
        )]


def test_empty_body_of_a_published_document_is_a_warning(tmp_path: Path) -> None:
    assert lines(tmp_path, {"documents/2026/x.md": doc(body="\n  \n")}) == [(
        "content/documents/2026/x.md:9:1: 警告: 主动公开文件的正文是空的：页面上只有标题和文件信息"
        "（在第二行 --- 之后写正文；只发布附件的，请在 attachments 中列出附件）"
    )]


def test_empty_body_is_fine_with_an_attachment_or_when_not_published(tmp_path: Path) -> None:
    files = {
        "documents/2026/x.md": doc(body="", attachments="[attachments/a.pdf]"),
        "attachments/a.pdf": "%PDF-1.4\n%%EOF\n",
        "documents/2026/y.md": doc(body="", attribute="依申请公开", reason="涉及第三方", published=None),
    }
    assert lines(tmp_path, files) == []
