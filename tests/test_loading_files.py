"""Which file goes where: folders, suffixes, front matter, site.yaml, junk and symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site

from gongkai.loading import load_content
from gongkai.validate import check_content

ATTACH_HINT = "附件（PDF、Word、Excel、图片）请放到 attachments/ 并在文件的 attachments 字段中引用"


def diagnostics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes | None]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    _, diags = check_content(make_site(tmp_path, files), TODAY)
    return [d.text() for d in diags.sorted()]


def test_the_tiny_site_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    site, diags = check_content(make_site(tmp_path), TODAY)
    assert not diags.errors
    assert site is not None and set(site.documents) == {"2026/dibao"}


def test_attachment_in_documents_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"documents/2026/预算表.xlsx": b"PK\x03\x04"}) == [
        f"content/documents/2026/预算表.xlsx:1:1: 错误: documents/ 中只能放 .md 文件，“预算表.xlsx”不是（{ATTACH_HINT}）"
    ]


def test_yaml_file_in_documents_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"documents/x.yaml": "title: x\n"}) == [
        ("content/documents/x.yaml:1:1: 错误: documents/ 中只能放 .md 文件，“x.yaml”不是（这个目录中的文件用 .md 格式："
        "--- 包围的头部加正文；.yaml 文件应放到 villages/ catalog/ guides/ lists/ 中对应的目录）")
    ]


def test_markdown_file_in_a_yaml_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"villages/x.md": "name: a\n"}) == [
        ("content/villages/x.md:1:1: 错误: villages/ 中只能放 .yaml、.yml 文件，“x.md”不是"
        "（这个目录只放 .yaml 文件；带正文的 .md 文件应放到 documents/ 或 consultations/）")
    ]


def test_txt_in_documents_asks_for_md(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"documents/2026/a.txt": doc()}) == [
        "content/documents/2026/a.txt:1:1: 错误: documents/ 中只能放 .md 文件，“a.txt”不是（请把文件后缀改为 .md）"
    ]


def test_yml_suffix_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"villages/x.yml": "name: 某村\ncommittee: 某村委\n"}) == []


def test_folder_with_a_typo_is_a_warning_with_a_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"document/a.md": doc(), "说明.txt": "x"}) == [
        "content/document:1:1: 警告: content/ 下不认识的目录“document”，已忽略（是否应命名为“documents”？请改名）",
        ("content/说明.txt:1:1: 警告: content/ 下不认识的文件“说明.txt”，已忽略"
        "（内容应放在 villages/ catalog/ documents/ guides/ consultations/ lists/ attachments/ 中）"),
    ]


def test_editor_junk_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    junk = {
        "documents/2026/~$dibao.md": b"\x00\x01",
        "documents/2026/.dibao.md.swp": b"\x00",
        "documents/2026/dibao.md~": "garbage: [",
        "villages/4913": "",
        ".DS_Store": b"\x00",
        "documents/.git/config": "x",
    }
    assert diagnostics(tmp_path, monkeypatch, junk) == []


def test_missing_site_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"site.yaml": None}) == [
        ("content/site.yaml:1:1: 错误: 缺少 site.yaml：网站和发布机构的基本信息"
        "（请新建 site.yaml，至少填写 name、short_name、county、org_code、apply，示例见 docs/content-format.md）")
    ]


def test_site_yml_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit import SITE_YAML

    assert diagnostics(tmp_path, monkeypatch, {"site.yaml": None, "site.yml": SITE_YAML}) == []


def test_document_without_front_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"documents/2026/dibao.md": "title: 关于低保的通知\n\n正文\n"}) == [
        "content/documents/2026/dibao.md:1:1: 错误: 缺少 YAML 头部（文件开头应是一行 ---，接着写 title: 等字段，再用一行 --- 结束，然后是正文）"
    ]


def test_front_matter_never_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = doc().replace("\n---\n正文", "\n\n正文")
    assert diagnostics(tmp_path, monkeypatch, {"documents/2026/dibao.md": text}) == [
        "content/documents/2026/dibao.md:1:1: 错误: YAML 头部没有结束：找不到第二行 ---（在最后一个字段之后加一行 ---，再写正文）"
    ]


def test_empty_front_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics(tmp_path, monkeypatch, {"documents/2026/dibao.md": "---\n---\n正文\n"}) == [
        "content/documents/2026/dibao.md:2:1: 错误: YAML 头部是空的，没有任何字段（每行写一个字段，例如 title: 标题；冒号用半角，后面加一个空格）"
    ]


def test_body_may_contain_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "问：什么？\n\t缩进\n\u3000\u3000段落\n---\ntitle：不是头部\n"
    assert diagnostics(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(body=body)}) == []


def test_front_matter_closed_with_dots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = doc().replace("\n---\n正文", "\n...\n正文")
    site, diags = check_content(make_site(tmp_path, {"documents/2026/dibao.md": text}), TODAY)
    assert not diags.errors and site is not None
    assert site.documents["2026/dibao"].body == "正文内容。\n" and site.documents["2026/dibao"].body_line == 9


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinked_content_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(doc(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path)
    (content / "documents" / "2026" / "link.md").symlink_to(outside)
    _, diags = check_content(content, TODAY)
    assert [d.text() for d in diags.errors] == [
        f"content/documents/2026/link.md:1:1: 错误: 内容文件是指向 {outside} 的符号链接（请把文件本身复制到 content/ 中）"
    ]


def test_content_dir_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    raw = load_content(tmp_path / "content")
    assert [d.text() for d in raw.diagnostics] == [
        "content:1:1: 错误: 内容目录“content”不存在（请在包含 content/ 的项目目录中运行，或用 --content 指定内容目录）"
    ]


def test_content_path_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").write_text("x", encoding="utf-8")
    raw = load_content(tmp_path / "content")
    assert [d.text() for d in raw.diagnostics] == [
        "content:1:1: 错误: 内容目录“content”不是目录（请在包含 content/ 的项目目录中运行，或用 --content 指定内容目录）"
    ]


def test_document_ids_are_paths_under_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    raw = load_content(make_site(tmp_path, {"documents/2025/sub/a.md": doc()}))
    assert sorted(r.id for r in raw.of_kind("document")) == ["2025/sub/a", "2026/dibao"]
    assert [r.id for r in raw.of_kind("town")] == ["site"]
