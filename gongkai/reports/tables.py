"""Tables and their file formats (CSV, Markdown, HTML, XLSX), all deterministic.

A report is computed once as `Table`s (plain rows of cells) and then rendered to each format, so
the CSV, the spreadsheet and the page can never disagree. Every writer returns bytes or text and
never looks at the clock: the only date in a report is the `--today` of the run, so the same
content and the same day give byte-identical files (XLSX included, see `workbook_bytes`).
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | float | date | None

INTERNAL_NOTICE = "内部资料：本报告含不予公开信息，仅供工作人员使用，不得上传网站或对外提供。"


@dataclass(frozen=True)
class Table:
    """A titled table; `sheet` is its worksheet name in XLSX (≤ 31 characters)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    sheet: str = ""
    widths: dict[str, int] = field(default_factory=dict)


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- CSV -------------------------------------------------------------------------------------


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with BOM, CRLF: what Excel and WPS on Windows open correctly without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([cell_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Markdown --------------------------------------------------------------------------------


def _md_cell(value: Cell) -> str:
    return cell_text(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def markdown_table(table: Table) -> str:
    lines = [
        "| " + " | ".join(_md_cell(c) for c in table.columns) + " |",
        "|" + "|".join("---" for _ in table.columns) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in table.rows]
    if not table.rows:
        lines.append("| " + " | ".join(["（无）"] + [""] * (len(table.columns) - 1)) + " |")
    return "\n".join(lines)


def markdown_document(
    title: str, intro: Sequence[str], tables: Sequence[Table], outro: Sequence[str] = ()
) -> str:
    parts = [f"# {title}", ""]
    for line in intro:
        parts += [line, ""]
    for table in tables:
        parts += [f"## {table.title}", "", markdown_table(table), ""]
        if table.note:
            parts += [table.note, ""]
    for line in outro:
        parts += [line, ""]
    return "\n".join(parts).rstrip("\n") + "\n"


# --- HTML ------------------------------------------------------------------------------------

_CSS = """\
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
.internal{border:2px solid #b00;background:#fff4f4;color:#900;padding:.6em 1em;font-weight:bold}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0}
th,td{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eef2f7}
p.note{color:#555;font-size:.9em}
@media print{.internal{border-color:#000;color:#000;background:none}}
"""


def html_table(table: Table) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = "".join(f"<td>{esc(cell_text(v)).replace(chr(10), '<br>')}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    if not table.rows:
        body.append(f'<tr><td colspan="{len(table.columns)}">（无）</td></tr>')
    return (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def html_document(
    title: str, intro: Sequence[str], tables: Sequence[Table], internal: bool = True
) -> str:
    """A standalone page (no external assets), marked noindex and, if internal, bannered."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="robots" content="noindex, nofollow">',
        f"<title>{esc(title)}</title>",
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
    ]
    if internal:
        parts.append(f'<p class="internal">{esc(INTERNAL_NOTICE)}</p>')
    parts += [f"<p>{esc(line)}</p>" for line in intro]
    for table in tables:
        parts += [f"<h2>{esc(table.title)}</h2>", html_table(table)]
        if table.note:
            parts.append(f'<p class="note">{esc(table.note)}</p>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# --- XLSX ------------------------------------------------------------------------------------

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def display_width(text: str) -> int:
    """Columns a text needs in a spreadsheet: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _SHEET_BAD.sub("-", name).strip("'") or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def style_header(ws: Worksheet, row: int, first_col: int, last_col: int) -> None:
    for col in range(first_col, last_col + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_rows(ws: Worksheet, start_row: int, rows: Sequence[Sequence[Cell]]) -> None:
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"


def fit_columns(
    ws: Worksheet, columns: Sequence[str], rows: Sequence[Sequence[Cell]], widths: dict[str, int]
) -> None:
    for i, name in enumerate(columns, start=1):
        if name in widths:
            width = widths[name]
        else:
            longest = max(
                [display_width(name)]
                + [display_width(cell_text(r[i - 1])) for r in rows if i - 1 < len(r)]
            )
            width = min(max(longest + 2, 6), 50)
        ws.column_dimensions[get_column_letter(i)].width = width


def add_table_sheet(wb: Workbook, table: Table, taken: set[str], heading: str = "") -> Worksheet:
    """Row 1: title; row 2: column headers; data from row 3 (frozen header, autofilter)."""
    ws = wb.create_sheet(sheet_name(table.sheet or table.title, taken))
    ws.cell(row=1, column=1, value=heading or table.title).font = Font(bold=True, size=14)
    for c, name in enumerate(table.columns, start=1):
        ws.cell(row=2, column=c, value=name)
    style_header(ws, 2, 1, len(table.columns))
    write_rows(ws, 3, table.rows)
    if table.note:
        ws.cell(row=len(table.rows) + 4, column=1, value=table.note).font = Font(
            italic=True, color="555555"
        )
    ws.freeze_panes = "A3"
    if table.rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(table.columns))}{len(table.rows) + 2}"
    fit_columns(ws, table.columns, table.rows, table.widths)
    return ws


def new_workbook(title: str) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "gongkai"
    wb.properties.title = title
    return wb


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def workbook_bytes(wb: Workbook, stamp: date) -> bytes:
    """Save a workbook so that the same content and `stamp` always give the same bytes.

    openpyxl stamps the save time into docProps/core.xml and into every zip entry; both are
    replaced by `stamp` (the report's --today), and entries are re-zipped in the same order.
    """
    raw = io.BytesIO()
    wb.save(raw)
    moment = f"{stamp.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(lambda m: m.group(1) + moment + m.group(3), data)
            entry = zipfile.ZipInfo(
                info.filename, date_time=(max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def tables_xlsx(title: str, tables: Sequence[Table], stamp: date) -> bytes:
    wb = new_workbook(title)
    taken: set[str] = set()
    for table in tables:
        add_table_sheet(wb, table, taken)
    return workbook_bytes(wb, stamp)


# --- writing ---------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files(out: Path, files: dict[str, bytes | str]) -> list[Path]:
    """Write a report's files (name → content) under `out`, in name order."""
    written = []
    for name in sorted(files):
        path = out / name
        write_atomic(path, files[name])
        written.append(path)
    return written
