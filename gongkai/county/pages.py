"""The county's own pages and files: home, county search page, Atom feed, open data.

Pure: from the county configuration and the townships' summaries to `{path: bytes}`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from ..frame import Frame
from ..render.env import make_env
from ..render.feeds import escape_xml
from ..resources import template_dirs
from .config import CountyConfig
from .sections import TownSummary

HOME_LATEST = 5  # documents per township on the county home
FEED_SIZE = 50


def days_since(iso: str, today: date) -> int | None:
    return (today - date.fromisoformat(iso)).days if iso else None


def town_rows(config: CountyConfig, summaries: list[TownSummary], today: date) -> list[dict[str, Any]]:
    rows = []
    for s in summaries:
        days = days_since(s.last_update, today)
        rows.append({"slug": s.slug, "name": s.name, "short_name": s.short_name, "documents": s.documents,
                     "villages": s.villages, "last_update": s.last_update, "days": days,
                     "stale": days is not None and days >= config.county.stale_days,
                     "latest": s.latest[:HOME_LATEST]})
    return rows


def county_pages(config: CountyConfig, summaries: list[TownSummary], today: date, templates: Path | None,
                 base_url: str | None, filters: dict[str, list[list[str]]],
                 bytecode: Path | None = None, key: bytes | None = None) -> dict[str, bytes]:
    """`bytecode`, `key`: where compiled templates are kept between builds, sealed (render.env)."""
    env = make_env(template_dirs(templates), bytecode, key)
    county = config.county
    frame = Frame(county.name, county.title, "", county.portal).context()
    towns = town_rows(config, summaries, today)
    common = {"county": {"name": county.name, "title": county.title}, "portal": frame["portal"], "towns": towns}
    out: dict[str, bytes] = {}
    for page, template, extra in (
        ("index.html", "county/index.html", {"total": sum(s.documents for s in summaries)}),
        ("search.html", "county/search.html", {"kinds": [k for k, _ in filters.get("kind", [])],
                                               "years": [y for y, _ in filters.get("year", [])]}),
        ("404.html", "county/404.html", {}),
    ):
        canonical = f"{base_url}{page}" if base_url and page != "404.html" else ""
        ctx = {**common, **extra, "page": page, "canonical": canonical}
        out[page] = env.get_template(template).render(ctx).encode("utf-8")
    out["feed.xml"] = county_feed(config, summaries, today, base_url).encode("utf-8")
    out.update(county_data(config, summaries, today, base_url))
    return out


def _link(base_url: str | None, path: str) -> str:
    return (base_url or "") + path


def county_feed(config: CountyConfig, summaries: list[TownSummary], today: date, base_url: str | None) -> str:
    """The newest documents of every township in one Atom feed (ids as the townships' feeds)."""
    county = config.county
    entries = [(d, s) for s in summaries for d in s.latest]
    entries.sort(key=lambda e: (e[0]["date"], e[0]["url"]), reverse=True)
    entries = entries[:FEED_SIZE]
    updated = max((d["date"] for d, _ in entries), default=today.isoformat())
    tag = f"tag:gongkai.local,2020:county/{escape_xml(county.name)}"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape_xml(county.name + county.title)}</title>",
        f"  <id>{tag}/feed.xml</id>",
        f"  <updated>{updated}T00:00:00+08:00</updated>",
        f'  <link rel="alternate" type="text/html" href="{escape_xml(_link(base_url, "index.html"))}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{escape_xml(_link(base_url, "feed.xml"))}"/>',
        f"  <author><name>{escape_xml(county.name)}</name></author>",
    ]
    for d, s in entries:
        out += [
            "  <entry>",
            f"    <title>{escape_xml(d['title'])}</title>",
            f"    <id>{tag}/{escape_xml(d['url'])}</id>",
            f'    <link rel="alternate" type="text/html" href="{escape_xml(_link(base_url, d["url"]), quote=True)}"/>',
            f"    <updated>{d['date']}T00:00:00+08:00</updated>",
            f"    <author><name>{escape_xml(s.name)}</name></author>",
            f"    <category term=\"{escape_xml(s.slug)}\" label=\"{escape_xml(s.short_name)}\"/>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def county_data(config: CountyConfig, summaries: list[TownSummary], today: date, base_url: str | None) -> dict[str, bytes]:
    """`data/towns.json` (the townships and their status) and `data/index.json` (every township's
    data sets: each township's own open data stays in its section, the county lists them)."""
    county = config.county
    towns = [{"slug": r["slug"], "name": r["name"], "short_name": r["short_name"], "documents": r["documents"],
              "villages": r["villages"], "last_update": r["last_update"] or None, "path": f"{r['slug']}/index.html"}
             for r in town_rows(config, summaries, today)]
    datasets = [{"town": s.slug, "name": s.short_name,
                 "catalog_json": f"{s.slug}/data/catalog.json", "catalog_csv": f"{s.slug}/data/catalog.csv",
                 "documents_json": f"{s.slug}/data/documents.json", "feed": f"{s.slug}/feed.xml"}
                for s in summaries]
    head = {"county": county.name, "generated": today.isoformat(), "base_url": base_url}
    return {
        "data/towns.json": _dump({"format": "gongkai-county-towns/1", **head, "towns": towns}),
        "data/index.json": _dump({"format": "gongkai-county-data/1", **head, "datasets": datasets}),
    }


def county_script(templates: Path | None) -> bytes:
    """`county/county.js` (the township filter and labels of the county search page), from the
    first template folder that has it: a county's own templates/ may replace it too."""
    for folder in template_dirs(templates):
        path = folder / "county" / "county.js"
        if path.is_file():
            return path.read_bytes()
    raise FileNotFoundError("templates/county/county.js")
