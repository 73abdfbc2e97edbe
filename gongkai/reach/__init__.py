"""Reaching people (issue 8): notice-board prints with QR codes, open data, digests, bundles.

Build hooks: `print_pages(site)` lists the print pages (`print/…`), which the render pool renders
and caches like every other page (`prints.py`); `open_data(…)` writes `data/…` from the main
process. `gongkai digest` and `gongkai bundle` use `digest.py` and `bundle.py` from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from typing import Any

from ..cache import BuildCache, key_of
from ..output import MARKER
from ..render import urls
from ..site import Site
from .prints import print_pages


def _size(n: int) -> str:
    return f"{n} 字节" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"


def opendata_context(site: Site, renderer: Any, sizes: dict[str, int]) -> dict[str, Any]:
    """The context of `data/index.html`: what each open-data file holds (never the documents)."""
    from . import opendata

    path = opendata.INDEX
    root = urls.root_of(path)

    def entry(rel: str, fmt: str, text: str) -> dict[str, str]:
        return {"name": rel.rsplit("/", 1)[-1], "href": root + urls.href(rel), "format": fmt,
                "size": _size(sizes[rel]), "text": text}

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
    return ctx


def open_data(site: Site, renderer: Any, writer: Any, cache: BuildCache,
              piece: Callable[[str, Callable[[], str]], str] | None = None) -> dict[str, tuple[str, str]]:
    """Write the open-data files and `data/index.html` into `writer` (main process, once a build).

    Each file is keyed by exactly what it is made from: a data file by the plain data it
    serialises, the page by its template context (which holds the files' sizes). With a cache, a
    file whose key is unchanged is hard-linked from the previous `site/`, so a rebuild builds the
    data but does not serialise it. Returns path → (key, sha256) of the keyed files, for the
    cache; `cache.stats["data_reused"]` counts the reused files. `documents.json` is made from a
    row per document, each kept from the last build by `piece` (`fragments.Fragments.get`) while
    its document is unchanged, and keyed by its digest.
    """
    from . import opendata

    previous = cache.previous_outputs(writer.out, MARKER) if cache.enabled else None
    keyed: dict[str, tuple[str, str]] = {}
    sizes: dict[str, int] = {}
    cache.stats["data_reused"] = 0

    def put(rel: str, parts: tuple[Any, ...], make: Callable[[], bytes]) -> None:
        key = key_of(cache.fp, rel, *parts) if previous is not None else None
        old = previous.get(rel) if previous else None
        if key is not None and old is not None and old[0] == key:
            try:
                writer.link_or_copy(rel, writer.out / rel, old[1])
            except OSError:
                pass
            else:
                keyed[rel], sizes[rel] = (key, old[1]), old[2][0]
                cache.stats["data_reused"] += 1
                return
        data = make()
        writer.write(rel, data)
        sizes[rel] = len(data)
        if key is not None:
            keyed[rel] = (key, writer.files[rel])

    for n, (rel, (serialise, data)) in enumerate(opendata.data_sources(site, renderer.base_url).items()):
        if n == 2:  # in the order the page lists them
            made = opendata.documents_json(site, renderer.base_url, *(() if piece is None else (piece,)))
            put(opendata.DOCUMENTS_JSON, (hashlib.sha256(made).hexdigest(),), lambda made=made: made)
        put(rel, (data,), partial(serialise, data))
    template = "opendata.html"
    ctx = opendata_context(site, renderer, sizes)
    put(opendata.INDEX, (template, ctx), lambda: renderer.env.get_template(template).render(ctx).encode("utf-8"))
    return keyed


__all__ = ["open_data", "print_pages"]
