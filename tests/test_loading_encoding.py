"""Bytes that Windows tools produce: BOM and CRLF are accepted, everything else gets a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import SITE_YAML, TODAY, doc, make_site

from gongkai.loading import decode_text
from gongkai.validate import check_content

SAVE_AS_UTF8 = "（请用记事本或 VS Code 打开，选择“另存为”→ 编码选 UTF-8 后保存）"
VILLAGE = "name: 某村\ncommittee: 某村村民委员会\n"


def errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes | None]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    _, diags = check_content(make_site(tmp_path, files), TODAY)
    return [d.text() for d in diags.errors]


def test_gbk_document_points_at_the_first_gbk_character(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # line 2 is `title: 关于…`: the first GBK byte is column 8
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc().encode("gbk")}) == [
        "content/documents/2026/dibao.md:2:8: 错误: 文件看起来是 GBK（国标）编码，不是 UTF-8" + SAVE_AS_UTF8
    ]


def test_gbk_pair_that_is_valid_utf8_does_not_shift_the_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 全 in GBK is C8 AB, a valid UTF-8 sequence; the column is still that of 全 (7), not 州 (8)
    assert "全州县".encode("gbk")[:2].decode("utf-8")
    assert errors(tmp_path, monkeypatch, {"site.yaml": SITE_YAML.encode("gbk")}) == [
        "content/site.yaml:1:7: 错误: 文件看起来是 GBK（国标）编码，不是 UTF-8" + SAVE_AS_UTF8
    ]


def test_utf8_bom_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "documents/2026/dibao.md": b"\xef\xbb\xbf" + doc().encode(),
        "villages/jingtou.yaml": b"\xef\xbb\xbf" + VILLAGE.encode(),
    }
    assert errors(tmp_path, monkeypatch, files) == []


def test_crlf_is_accepted_and_line_numbers_stay_right(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("\ufeff" + doc(kind="通")).replace("\n", "\r\n")
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": text.encode()}) == [
        ("content/documents/2026/dibao.md:7:7: 错误: “kind”（文种）的值“通”无效（可选值：通知、公告、公示、通告、方案、意见、"
        "决定、办法、规定、报告、解读、预算、决算、计划、总结、纪要、名单、制度、年报、其他）")
    ]


def test_old_mac_cr_line_ends_keep_line_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"name: a\rcommittee: b\rorder: x\r"
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": data}) == [
        "content/villages/x.yaml:3:8: 错误: “order”（排序）应为整数，读到“x”（只写阿拉伯数字，例如 3）"
    ]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codec: str) -> None:
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": VILLAGE.encode(codec)}) == [
        "content/villages/x.yaml:1:1: 错误: 文件是 UTF-16（记事本中叫“Unicode”）编码，不是 UTF-8" + SAVE_AS_UTF8
    ]


def test_binary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))  # a .docx saved under the wrong name
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": data}) == [
        ("content/documents/2026/dibao.md:1:1: 错误: 这是二进制文件，不是文本"
        "（请把 Word/Excel/PDF 等文件放到 attachments/ 目录作为附件）")
    ]


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": data}) == [
        "content/villages/x.yaml:1:1: 错误: 文件为空（请填写内容，或删除这个文件）"
    ]


def test_invalid_utf8_that_is_not_gbk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"name: a\ncommittee: \xff\xfe\xff\n"
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": data}) == [
        "content/villages/x.yaml:2:12: 错误: 文件不是有效的 UTF-8 文本" + SAVE_AS_UTF8
    ]


def test_control_character_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert errors(tmp_path, monkeypatch, {"documents/2026/dibao.md": doc(kind="通\x1b知")}) == [
        ("content/documents/2026/dibao.md:7:8: 错误: 文件中有不可见的控制字符（U+001B）"
        "（删除这个看不见的字符，它常见于从网页或 Word 复制的文字）")
    ]


def test_nul_byte_after_the_binary_sniff_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ("name: a\ncommittee: b\ndescription: " + "长" * 3000 + "\x00\n").encode()
    assert errors(tmp_path, monkeypatch, {"villages/x.yaml": data}) == [
        ("content/villages/x.yaml:3:3014: 错误: 文件中有不可见的控制字符（U+0000）"
        "（删除这个看不见的字符，它常见于从网页或 Word 复制的文字）")
    ]


def test_unicode_line_separator_is_a_warning_and_keeps_line_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML would count U+2028 as a line break and shift every later line by one
    monkeypatch.chdir(tmp_path)
    text = "name: 井头\u2028村\ncommittee: b\nfoo: 1\n"
    _, diags = check_content(make_site(tmp_path, {"villages/x.yaml": text}), TODAY)
    assert [d.text() for d in diags.sorted() if d.path.endswith("x.yaml")] == [
        ("content/villages/x.yaml:1:9: 警告: 文件中有 1 个特殊换行符（U+2028 等），已按空格处理"
        "（删除这些看不见的字符，它们常见于从网页或 Word 复制的文字）"),
        ("content/villages/x.yaml:3:1: 错误: 不认识的字段“foo”（可用字段：name、kind、committee、contact、contact_person、"
        "notice_board、items、sample、order、description）"),
    ]


def test_decode_normalises_line_ends() -> None:
    assert decode_text(b"\xef\xbb\xbfa: 1\r\nb: 2\rc: 3\n", "x.yaml") == ("a: 1\nb: 2\nc: 3\n", [])


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, diags = decode_text(b"a: 1\n" * 1000, "content/x.yaml", max_bytes=1024)
    assert text is None
    assert [d.text() for d in diags] == [
        "content/x.yaml:1:1: 错误: 文件过大（4 KB，上限 1 KB）（请拆分文件或把大文件作为附件；上限可在 site.yaml 的 max_file_kb 中调整）"
    ]


def test_max_file_kb_from_site_yaml_applies_to_content_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"site.yaml": SITE_YAML + "max_file_kb: 1\n", "documents/2026/big.md": doc(body="正文" * 1000)}
    assert errors(tmp_path, monkeypatch, files) == [
        ("content/documents/2026/big.md:1:1: 错误: 文件过大（6 KB，上限 1 KB）"
        "（请拆分文件或把大文件作为附件；上限可在 site.yaml 的 max_file_kb 中调整）")
    ]
