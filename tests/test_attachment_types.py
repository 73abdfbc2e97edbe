"""Attachments are inert: the type is checked by content, and anything a browser could run is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sitekit import TODAY, doc, make_site

from gongkai.validate import check_content

HINT = (
    "（附件只能是 PDF、OFD、Word、Excel、PowerPoint、WPS、CSV、TXT、JPG、PNG、GIF、ZIP；"
    "网页、SVG、XML、脚本会在本站运行，请转换为 PDF 后再附上）"
)


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "户主"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "名单")
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes) -> list[str]:
    monkeypatch.chdir(tmp_path)
    text = doc(attachments=f"[{{file: attachments/{name}, title: 附件}}]")
    content = make_site(tmp_path, {"documents/2026/dibao.md": text, f"attachments/{name}": data})
    _, diags = check_content(content, TODAY)
    return [d.text() for d in diags.sorted() if d.code == "xref.attachment_type"]


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("x.html", b"<html><script>alert(1)</script></html>", "扩展名“.html”不在允许的附件类型中"),
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "扩展名“.svg”不在允许的附件类型中"),
        ("x.xml", b"<?xml version='1.0'?><a/>", "扩展名“.xml”不在允许的附件类型中"),
        ("x.js", b"alert(1)", "扩展名“.js”不在允许的附件类型中"),
        ("x.exe", b"MZ\x90\x00", "扩展名“.exe”不在允许的附件类型中"),
        ("x.pdf", b"<html><script>alert(1)</script></html>", "内容含有网页或脚本代码（<script>、<html>、<svg> 等）"),
        ("x.pdf", b"%PDF-1.4\n<script>alert(1)</script>", "内容含有网页或脚本代码（<script>、<html>、<svg> 等）"),
        ("x.png", b"<svg onload=alert(1)>", "内容含有网页或脚本代码（<script>、<html>、<svg> 等）"),
        ("x.txt", b"<script>alert(1)</script>", "内容含有网页或脚本代码（<script>、<html>、<svg> 等）"),
        ("x.csv", b"\xff\xfe\x00\x00binary", "内容不是可识别的 .csv 文件"),
        ("x.xlsx", PDF, "扩展名是 .xlsx，内容却是 pdf 文件"),
        ("x.docx", plain_zip(), "扩展名是 .docx，内容却是 zip 文件"),
        ("x.jpg", PNG, "扩展名是 .jpg，内容却是 png 文件"),
        ("x.pdf", PNG, "扩展名是 .pdf，内容却是 png 文件"),
    ],
    ids=["html", "svg", "xml", "js", "exe", "html-as-pdf", "pdf-polyglot", "svg-as-png", "script-txt",
         "binary-csv", "pdf-as-xlsx", "zip-as-docx", "png-as-jpg", "png-as-pdf"],
)
def test_active_or_mislabelled_attachment_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes, why: str
) -> None:
    assert errors(tmp_path, monkeypatch, name, data) == [
        f"content/documents/2026/dibao.md:8:15: 错误: 附件“attachments/{name}”不能发布：{why}{HINT}"
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    ids=lambda value: value if isinstance(value, str) else "bytes",  # generated files embed times: stable ids for xdist
    argvalues=[("a.pdf", PDF), ("a.xlsx", xlsx()), ("a.png", PNG), ("a.zip", plain_zip()),
     ("a.csv", "户主,人数\n张某,3\n".encode("gbk")), ("a.txt", "说明".encode()), ("a.jpg", b"\xff\xd8\xff\xe0JFIF")],
)
def test_inert_attachments_are_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes) -> None:
    assert errors(tmp_path, monkeypatch, name, data) == []
