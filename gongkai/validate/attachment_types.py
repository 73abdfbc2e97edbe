"""Attachments are inert: only file types a browser will not run on the site's origin.

The type is read from the content (magic bytes, zip structure), never trusted from the name,
and the name's extension must agree. HTML, SVG, XML, JavaScript and anything unrecognised would
be served from the site's own origin, where a script in it runs with the site's rights.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ["ALLOWED", "attachment_type_problem"]

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension -> content kind it must have
ALLOWED = {
    "pdf": "pdf", "ofd": "ofd",
    "doc": "ole2", "xls": "ole2", "ppt": "ole2", "wps": "ole2", "et": "ole2", "dps": "ole2",
    "docx": "ooxml", "xlsx": "ooxml", "pptx": "ooxml",
    "csv": "text", "txt": "text",
    "jpg": "jpeg", "jpeg": "jpeg", "png": "png", "gif": "gif",
    "zip": "zip",
}
_ACTIVE = (b"<script", b"<html", b"<svg", b"<?xml", b"<!doctype", b"<iframe", b"<body", b"javascript:")


def _text_ok(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _zip_names(path: Path) -> list[str] | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return None


def _content_kind(path: Path, data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE2):
        return "ole2"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        names = _zip_names(path)
        if names is None:
            return None
        if "[Content_Types].xml" in names:
            return "ooxml"
        if "OFD.xml" in names:
            return "ofd"
        return "zip"
    if _text_ok(data):
        return "text"
    return None


def attachment_type_problem(path: Path) -> str | None:
    """Why the file at `path` may not be published as an attachment, or None when it may."""
    ext = path.suffix.lower().lstrip(".")
    if ext not in ALLOWED:
        return f"扩展名“.{ext}”不在允许的附件类型中" if ext else "没有扩展名，无法判断类型"
    try:
        with path.open("rb") as handle:
            data = handle.read()
    except OSError:
        return "无法读取"
    head = data[:4096].lower()
    kind = _content_kind(path, data)
    if kind is None:
        return f"内容不是可识别的 .{ext} 文件"
    if kind in ("text", "pdf", "jpeg", "png", "gif") and any(marker in head for marker in _ACTIVE):
        return "内容含有网页或脚本代码（<script>、<html>、<svg> 等）"
    if kind != ALLOWED[ext]:
        return f"扩展名是 .{ext}，内容却是 {kind} 文件"
    return None
