"""标准目录导出: the catalog in the standard column layout, for submission upward.

Columns follow the Standard Guidelines' tables (DOMAIN.md §2): 序号, 一级事项, 二级事项,
公开内容（要素）, 公开依据, 公开时限, 公开主体, 公开渠道和载体 (one ■/□ column for each of the 13
channels, in `CHANNEL_ORDER`), 公开对象, 公开方式, 公开层级, and 五公开 for an area whose items fill it. One sheet (XLSX) or one file (CSV)
per area, in the catalog's order.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..models import CHANNEL_ORDER, FIVE_PUBLIC_ORDER, Area, Channel, Item
from ..site import Site
from .tables import (
    Table,
    csv_bytes,
    new_workbook,
    sheet_name,
    style_header,
    workbook_bytes,
    write_rows,
)

TICK, NO_TICK = "■", "□"
BEFORE = ("序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体")
AFTER = ("公开对象", "公开方式", "公开层级")
FIVE_PUBLIC = "五公开"  # optional column (决策、执行、管理、服务、结果), only for areas that fill it
CHANNELS_HEADING = "公开渠道和载体"


def channel_cells(item: Item) -> list[str]:
    cells = []
    for channel in CHANNEL_ORDER:
        mark = TICK if channel in item.channels else NO_TICK
        if channel is Channel.OTHER and mark == TICK and item.channels_other:
            mark = f"{TICK}（{item.channels_other}）"
        cells.append(mark)
    return cells


def has_five_public(area: Area) -> bool:
    return any(item.five_public for item in area.items)


def after_columns(area: Area) -> tuple[str, ...]:
    return (*AFTER, FIVE_PUBLIC) if has_five_public(area) else AFTER


def item_row(index: int, item: Item, five_public: bool = False) -> tuple[str | int, ...]:
    five = ("、".join(f.value for f in FIVE_PUBLIC_ORDER if f in item.five_public),) if five_public else ()
    return (
        index,
        item.level1,
        item.level2 or "",
        item.content,
        "\n".join(item.basis),
        item.time_limit,
        item.subject,
        *channel_cells(item),
        item.audience.value,
        item.mode.value,
        "、".join(level.value for level in item.level),
        *five,
    )


def area_table(area: Area) -> Table:
    """Flat columns (channels as 公开渠道和载体-<name>), as the CSV has them."""
    columns = (*BEFORE, *(f"{CHANNELS_HEADING}-{c.value}" for c in CHANNEL_ORDER), *after_columns(area))
    five = has_five_public(area)
    rows = tuple(item_row(i, item, five) for i, item in enumerate(area.items, start=1))
    return Table(area.area, columns, rows)


def catalog_csv_files(site: Site) -> dict[str, bytes | str]:
    return {
        f"catalog-{slug}.csv": csv_bytes(area_table(entry.model))
        for slug, entry in site.areas.items()
    }


def catalog_xlsx(site: Site) -> bytes:
    """One sheet per area: title (row 1), two header rows (2–3) with 公开事项 and 公开渠道和载体 merged
    over their sub-columns and the other headings merged down, items from row 4."""
    town = site.town.model
    wb = new_workbook(f"{town.short_name}基层政务公开标准目录")
    taken: set[str] = set()
    first_channel = len(BEFORE) + 1
    last_channel = len(BEFORE) + len(CHANNEL_ORDER)
    for entry in site.areas.values():
        area = entry.model
        after = after_columns(area)
        n_cols = len(BEFORE) + len(CHANNEL_ORDER) + len(after)
        ws = wb.create_sheet(sheet_name(area.area, taken))
        ws.cell(
            row=1, column=1, value=f"{town.short_name}{area.area}领域基层政务公开标准目录"
        ).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
        # Row 2: group headings; row 3: sub-headings.
        ws.cell(row=2, column=1, value="序号")
        ws.cell(row=2, column=2, value="公开事项")
        ws.cell(row=3, column=2, value="一级事项")
        ws.cell(row=3, column=3, value="二级事项")
        ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=3)
        for col, name in enumerate(BEFORE[3:], start=4):
            ws.cell(row=2, column=col, value=name)
        ws.cell(row=2, column=first_channel, value=CHANNELS_HEADING)
        ws.merge_cells(start_row=2, start_column=first_channel, end_row=2, end_column=last_channel)
        for col, channel in enumerate(CHANNEL_ORDER, start=first_channel):
            ws.cell(row=3, column=col, value=channel.value)
        for col, name in enumerate(after, start=last_channel + 1):
            ws.cell(row=2, column=col, value=name)
        for col in [1, *range(4, first_channel), *range(last_channel + 1, n_cols + 1)]:
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        style_header(ws, 2, 1, n_cols)
        style_header(ws, 3, 1, n_cols)
        for col in range(first_channel, last_channel + 1):  # channel names read top to bottom
            ws.cell(row=3, column=col).alignment = Alignment(
                horizontal="center", vertical="center", textRotation=255, wrap_text=True
            )
        rows = [item_row(i, item, len(after) > len(AFTER)) for i, item in enumerate(area.items, start=1)]
        write_rows(ws, 4, rows)
        for r in range(4, 4 + len(rows)):
            for col in range(first_channel, last_channel + 1):
                ws.cell(row=r, column=col).alignment = Alignment(
                    horizontal="center", vertical="top", wrap_text=True
                )
        widths = [6, 16, 16, 36, 30, 30, 18] + [5] * len(CHANNEL_ORDER) + [10, 10, 12, 14][: len(after)]
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[3].height = 90
        ws.freeze_panes = "B4"
    return workbook_bytes(wb, site.today)


def catalog_files(site: Site, fmt: str) -> dict[str, bytes | str]:
    if fmt == "csv":
        return catalog_csv_files(site)
    return {"catalog.xlsx": catalog_xlsx(site)}
