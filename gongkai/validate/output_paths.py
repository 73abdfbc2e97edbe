"""Output-path collisions: two sources that would be written to one file of `site/`.

Every page's path comes from a file name (`documents/x.md` → `documents/x.html`) or an id
(item `shjz-dibao` → `items/shjz-dibao.html`, its second page `items/shjz-dibao-2.html`). A name
that equals a page the site makes itself (`index`, `page-N`, an item's `X-2`) or another source's
name would silently replace that page. Names are compared after Unicode normalisation (NFKC) and
case folding: `x.md` beside `x.MD`, or `ａ.md` beside `a.md`, are one file on a Windows kiosk or a
macOS laptop and look the same to a reader, so both are errors that name both files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..diagnostics import Diagnostic, error
from ..loading import RawRecord
from ..render import urls
from ..site import Site

#: record kind → (content folder, what its files become, the section's own page)
SECTIONS: dict[str, tuple[str, str, str | None]] = {
    "village": ("villages", "村（社区）页面", urls.VILLAGES),
    "area": ("catalog", "目录领域页面", urls.CATALOG),
    "document": ("documents", "文件页面", urls.listing()),
    "guide": ("guides", "办事指南页面", urls.GUIDES),
    "consultation": ("consultations", "征求意见页面", urls.CONSULTATIONS),
    "list": ("lists", "清单", None),
}
PAGE_N = re.compile(r"page-([1-9][0-9]*)")
NUMBERED = re.compile(r"(.+)-([1-9][0-9]*)")
RENAME = "请给其中一个文件改名：网址不区分大小写、全角与半角，两个名字必须在这些方面也不同"


def fold(name: str) -> str:
    """The key under which two names are the same output file (NFKC, case folded, NFKC again)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def output_of(kind: str, rid: str) -> str | None:
    """The site path a content file of `kind` with id `rid` is written to (None: no page)."""
    pages = {"village": urls.village, "area": urls.area, "document": urls.document,
             "guide": urls.guide, "consultation": urls.consultation}
    make = pages.get(kind)
    return make(rid) if make is not None else None


def _how_same(a: str, b: str) -> str:
    if a == b:
        return "两个文件名只差后缀的写法"
    if a.casefold() == b.casefold():
        return "两个名字只差大小写"
    return "两个名字在统一全角半角和大小写后相同"


def _reserved(kind: str, rid: str) -> str | None:
    """Which of the site's own pages a file named `rid` would replace, if any."""
    _, _, section = SECTIONS[kind]
    key = fold(rid)
    if section is not None and key == "index":
        return "栏目首页"
    if kind == "document" and (m := PAGE_N.fullmatch(key)) and int(m.group(1)) >= 2:
        return f"“全部信息”列表的第 {int(m.group(1))} 页"
    return None


def record_collisions(records: Iterable[RawRecord]) -> tuple[list[Diagnostic], set[int]]:
    """Reserved names and files of one kind whose names fold together.

    Returns the errors and the positions (in `records`) of the files that lost: they must not
    replace the first file's model while the errors are reported.
    """
    out: list[Diagnostic] = []
    losers: set[int] = set()
    seen: dict[tuple[str, str], RawRecord] = {}
    for i, record in enumerate(records):
        if record.kind not in SECTIONS:
            continue
        _, what, _ = SECTIONS[record.kind]
        target = output_of(record.kind, record.id)
        reserved = _reserved(record.kind, record.id)
        if reserved is not None:
            name = record.id.rsplit("/", 1)[-1]
            out.append(error(record.path, 1, 1, f"文件名“{name}”是保留名称：它会生成 {target}，那是网站的{reserved}",
                             "请给文件改名（例如加上村名、年份或事项名称）；index 和 page-数字 由网站自己使用",
                             "path.reserved"))
            losers.add(i)
            continue
        key = (record.kind, fold(record.id))
        first = seen.get(key)
        if first is None:
            seen[key] = record
            continue
        where = f"都会生成 {output_of(record.kind, first.id)}" if target else "是同一条记录"
        out.append(error(record.path, 1, 1,
                         f"与 {first.path} {where}：{_how_same(first.id, record.id)}，其中一个{what}会丢失",
                         RENAME, "path.collision"))
        losers.add(i)
    return out, losers


def item_collisions(site: Site) -> list[Diagnostic]:
    """An item id `X-2` beside an item `X` is the second page of X's document list."""
    ids: dict[str, tuple[str, str, int]] = {}  # folded id → (id, area path, line)
    for area in site.areas.values():
        for i, item in enumerate(area.model.items):
            ids.setdefault(fold(item.id), (item.id, area.path, area.marks.locate(("items", i, "id"))[0]))
    out: list[Diagnostic] = []
    for area in site.areas.values():
        for i, item in enumerate(area.model.items):
            m = NUMBERED.fullmatch(fold(item.id))
            if m is None or int(m.group(2)) < 2 or m.group(1) not in ids:
                continue
            base, base_path, base_line = ids[m.group(1)]
            line, col = area.marks.locate(("items", i, "id"))
            out.append(error(area.path, line, col,
                             f"事项编号“{item.id}”会生成 {urls.item(item.id)}，与事项“{base}”（{base_path} 第 {base_line} 行）"
                             f"文件列表的第 {int(m.group(2))} 页相同",
                             f"请改用不以“-数字”结尾的编号，例如 {base}-no{m.group(2)}，或改掉“{base}”",
                             "path.item_page"))
    return out


def attachment_collisions(site: Site) -> list[Diagnostic]:
    """Two attachment files whose paths differ only in case or width: one file on most hosts."""
    seen: dict[str, tuple[str, str, int]] = {}  # folded path → (path, document path, line)
    out: list[Diagnostic] = []
    for doc in site.documents.values():
        for i, att in enumerate(doc.model.attachments):
            path = att.file.replace("\\", "/")
            key = fold(path)
            first = seen.get(key)
            if first is None:
                seen[key] = (path, doc.path, i)
                continue
            if first[0] == path:
                continue  # the same file, attached twice: one output file, nothing lost
            line, col = doc.marks.locate(("attachments", i))
            out.append(error(doc.path, line, col,
                             f"附件“{path}”与 {first[1]} 引用的“{first[0]}”会成为网站上的同一个文件：{_how_same(first[0], path)}",
                             "请给其中一个附件文件改名，并改正引用它的 attachments 字段", "path.attachment_collision"))
    return out


__all__ = ["SECTIONS", "attachment_collisions", "fold", "item_collisions", "output_of", "record_collisions"]
