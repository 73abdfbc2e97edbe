"""The text of an attachment, passage by passage, each with where it is (for the privacy scan).

A beneficiary list attached as CSV or XLSX, a Word notice, a scanned-and-OCRed PDF: whatever the
site publishes is read here with a well-kept reader (csv, openpyxl, python-docx, pypdf) and cut
into passages a clerk can find again — 第 3 行第 2 列, 工作表“名单”的 C4 单元格, 第 5 段, 第 2 页.

Attachments come from pull requests: a reader that fails on a broken or hostile file yields
nothing (the type check has already refused what a browser would run), and the amount read is
bounded (cells, pages, characters) so a decompression bomb costs seconds, not the build.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["MAX_CELLS", "MAX_PAGES", "Passage", "passages", "readable"]

MAX_CELLS = 200_000  # spreadsheet cells / CSV cells / Word paragraphs read per file
MAX_PAGES = 500  # PDF pages read per file
MAX_CHARS = 5_000_000  # characters of text read per file


@dataclass(frozen=True)
class Passage:
    where: str  # 第 3 行第 2 列 / 工作表“名单”的 C4 单元格 / 第 5 段 / 表格 1 第 2 行第 3 列 / 第 2 页
    text: str


#: file extensions whose text is read (the type check makes sure the content matches)
READERS = ("csv", "txt", "xlsx", "docx", "pdf")


def readable(path: str) -> bool:
    return path.rsplit(".", 1)[-1].lower() in READERS if "." in path else False


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv(data: bytes) -> Iterator[Passage]:
    text = _decode(data)
    if text is None:
        return
    cells = 0
    try:
        for r, row in enumerate(csv.reader(io.StringIO(text[:MAX_CHARS])), start=1):
            for c, cell in enumerate(row, start=1):
                cells += 1
                if cells > MAX_CELLS:
                    return
                if cell.strip():
                    yield Passage(f"第 {r} 行第 {c} 列", cell)
    except csv.Error:  # a NUL or an unterminated quote: read what is left line by line
        yield from _txt(data)


def _txt(data: bytes) -> Iterator[Passage]:
    text = _decode(data)
    if text is None:
        return
    for n, line in enumerate(text[:MAX_CHARS].splitlines(), start=1):
        if line.strip():
            yield Passage(f"第 {n} 行", line)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 13812345678 typed into a cell is a float
    return "" if value is None else str(value)


def _xlsx(path: Path) -> Iterator[Passage]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles, data validation …
        book = load_workbook(path, read_only=True, data_only=True)
    try:
        cells = 0
        for sheet in book.worksheets:
            yield Passage(f"工作表名“{sheet.title}”", sheet.title)
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    cells += 1
                    if cells > MAX_CELLS:
                        return
                    text = _cell_text(value)
                    if text.strip():
                        yield Passage(f"工作表“{sheet.title}”的 {get_column_letter(c)}{r} 单元格", text)
    finally:
        book.close()


def _docx(path: Path) -> Iterator[Passage]:
    from docx import Document

    document = Document(str(path))
    count = 0
    for n, para in enumerate(document.paragraphs, start=1):
        count += 1
        if count > MAX_CELLS:
            return
        if para.text.strip():
            yield Passage(f"第 {n} 段", para.text)
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                count += 1
                if count > MAX_CELLS:
                    return
                if cell.text.strip():
                    yield Passage(f"表格 {t} 第 {r} 行第 {c} 列", cell.text)
    for s, section in enumerate(document.sections, start=1):
        for part, name in ((section.header, "页眉"), (section.footer, "页脚")):
            text = "\n".join(p.text for p in part.paragraphs)
            if text.strip():
                yield Passage(f"第 {s} 节{name}", text)


def _pdf(path: Path) -> Iterator[Passage]:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are common: not our output
    reader = PdfReader(str(path))
    chars = 0
    for n, page in enumerate(reader.pages, start=1):
        if n > MAX_PAGES or chars > MAX_CHARS:
            return
        text = page.extract_text() or ""
        chars += len(text)
        if text.strip():
            yield Passage(f"第 {n} 页", text)


@lru_cache(maxsize=4096)
def _cached(path: str, size: int, mtime_ns: int) -> tuple[Passage, ...]:
    file = Path(path)
    ext = path.rsplit(".", 1)[-1].lower()
    out: list[Passage] = []
    try:
        if ext in ("csv", "txt"):
            data = file.read_bytes()
            out.extend(_csv(data) if ext == "csv" else _txt(data))
        else:
            out.extend({"xlsx": _xlsx, "docx": _docx, "pdf": _pdf}[ext](file))
    except Exception:  # noqa: BLE001, S110 - a broken or hostile file: third-party readers raise anything
        pass  # what was read before the reader gave up is still scanned
    return tuple(out)


def passages(path: Path) -> tuple[Passage, ...]:
    """Every passage of text in the attachment at `path` (empty for types without text)."""
    if not readable(path.name):
        return ()
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _cached(str(path), stat.st_size, stat.st_mtime_ns)
