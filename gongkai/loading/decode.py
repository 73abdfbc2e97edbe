"""Bytes → text, with a clear message for everything Windows tools produce.

Staff save files from Notepad, WPS and Excel: BOMs, CRLF, GBK. We accept BOM and CRLF silently
(normalising), and refuse GBK/binary with a message that says how to fix the file rather than
guessing an encoding (a wrong guess would publish mojibake).
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, error

_NON_ASCII = re.compile(rb"[\x80-\xff]+")


def decode_text(data: bytes, path: str, max_bytes: int | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Decode a content file. Returns (text, []) or (None, [diagnostic])."""
    if max_bytes is not None and len(data) > max_bytes:
        return None, [
            error(
                path, 1, 1,
                f"文件过大（{len(data) // 1024} KB，上限 {max_bytes // 1024} KB）",
                "请拆分文件或把大文件作为附件；上限可在 site.yaml 的 max_file_kb 中调整",
                "file.too_large",
            )
        ]
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return None, [error(path, 1, 1, "文件为空", "请填写内容，或删除这个文件", "file.empty")]
    if b"\x00" in data[:8192]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
            return None, [
                error(path, 1, 1, "文件是 UTF-16（记事本中叫“Unicode”）编码，不是 UTF-8",
                      "请用记事本或 VS Code 打开，选择“另存为”→ 编码选 UTF-8 后保存", "file.utf16")
            ]
        return None, [
            error(path, 1, 1, "这是二进制文件，不是文本", "请把 Word/Excel/PDF 等文件放到 attachments/ 目录作为附件", "file.binary")
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _first_bad_run(data, exc.start)
        try:
            data.decode("gb18030")
            return None, [
                error(
                    path, line, col,
                    "文件看起来是 GBK（国标）编码，不是 UTF-8",
                    "请用记事本或 VS Code 打开，选择“另存为”→ 编码选 UTF-8 后保存",
                    "file.gbk",
                )
            ]
        except UnicodeDecodeError:
            return None, [
                error(path, line, col, "文件不是有效的 UTF-8 文本", "请用记事本或 VS Code 打开，选择“另存为”→ 编码选 UTF-8 后保存", "file.encoding")
            ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _first_bad_run(data: bytes, fallback: int) -> tuple[int, int]:
    """Line and column of the first run of non-ASCII bytes that is not UTF-8.

    Some GBK pairs happen to be valid UTF-8 (全 = C8 AB), so the decoder's error offset can land
    mid-word; the start of the run is where the clerk's first GBK character is.
    """
    for number, raw in enumerate(data.split(b"\n"), start=1):
        for run in _NON_ASCII.finditer(raw):
            try:
                run.group().decode("utf-8")
            except UnicodeDecodeError:
                return number, len(raw[: run.start()].decode("utf-8", errors="replace")) + 1
    line_start = data.rfind(b"\n", 0, fallback) + 1
    return data.count(b"\n", 0, fallback) + 1, len(data[line_start:fallback].decode("utf-8", errors="replace")) + 1


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM (some Windows tools): it decodes to printable text, NULs are ASCII halves."""
    sample = data[:4096]
    if len(sample) % 2:
        sample = sample[:-1]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if text and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return True
    return False
