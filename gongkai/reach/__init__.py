"""Reaching people (issue 8): notice-board prints with QR codes, open data, digests, bundles.

`reach_files(site, renderer)` is the build hook: it yields the extra files of the site
(`print/…`, `data/…`) after the pages and feeds. `gongkai digest` and `gongkai bundle` use
`digest.py` and `bundle.py` from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..render import urls
from ..site import Site


def _size(n: int) -> str:
    return f"{n} 字节" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"


def opendata_page(site: Site, renderer: Any, files: dict[str, bytes]) -> bytes:
    """`data/index.html`: what each open-data file holds (it never lists the documents)."""
    from . import opendata

    path = opendata.INDEX
    root = urls.root_of(path)

    def entry(rel: str, fmt: str, text: str) -> dict[str, str]:
        return {"name": rel.rsplit("/", 1)[-1], "href": root + urls.href(rel), "format": fmt,
                "size": _size(len(files[rel])), "text": text}

    documents = len(site.public_documents)
    items = sum(len(a.model.items) for a in site.areas.values())
    ctx = dict(renderer.globals)
    ctx.update({
        "root": root, "page_path": path, "nav_current": path,
        "canonical": urls.absolute(renderer.base_url, path) or "",
        "files": [
            entry(opendata.CATALOG_CSV, "CSV（UTF-8，Excel 可直接打开）",
                  f"公开事项标准目录，共 {items} 条，列的顺序与标准目录相同：" + "、".join(opendata.CSV_COLUMNS)
                  + "；最后两列为领域和事项编号。"),
            entry(opendata.CATALOG_JSON, "JSON", f"同一目录的结构化数据：{len(site.areas)} 个领域及其事项，含公开渠道、时限、层级等全部字段。"),
            entry(opendata.DOCUMENTS_JSON, "JSON",
                  f"本站公开的 {documents} 件政府信息的目录字段（标题、文号、索引号、文种、公开属性、日期、所属事项、领域、适用村、网址）。"
                  "不含正文；依申请公开的文件只有目录信息；不予公开的信息不在其中。"),
            entry(opendata.CATALOG_SCHEMA, "JSON Schema", "catalog.json 的字段说明（JSON Schema 2020-12）。"),
            entry(opendata.DOCUMENTS_SCHEMA, "JSON Schema", "documents.json 的字段说明（JSON Schema 2020-12）。"),
        ],
        "feeds": (
            [{"title": f"{site.town.model.short_name}全部信息", "href": root + urls.href(urls.feed_town())}]
            + [{"title": f"{v.model.name}村务公开", "href": root + urls.href(urls.feed_village(s))} for s, v in site.villages.items()]
            + [{"title": f"{a.model.area}", "href": root + urls.href(urls.feed_area(s))} for s, a in site.areas.items()]
        ),
        "generated": site.today.isoformat(),
    })
    return renderer.env.get_template("opendata.html").render(ctx).encode("utf-8")


def reach_files(site: Site, renderer: Any) -> Iterator[tuple[str, bytes]]:
    """Print pages, open-data files and the open-data page, in a deterministic order."""
    from . import opendata
    from .prints import print_files

    yield from print_files(site, renderer.env, renderer.base_url)
    files = opendata.data_files(site, renderer.base_url)
    yield from files.items()
    yield opendata.INDEX, opendata_page(site, renderer, files)


__all__ = ["reach_files"]
