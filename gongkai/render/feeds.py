"""Atom feeds (town, per village, per area), sitemap.xml and robots.txt.

Feed and entry ids are `tag:` URIs derived from the org code and document id, so they stay the
same whether or not a base URL is set and wherever the site is hosted.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..site import Site, doc_date
from . import urls

FEED_SIZE = 50


def _tag(site: Site, what: str) -> str:
    return f"tag:gongkai.local,2020:{site.town.model.org_code}/{quote(what, safe='/-_.')}"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_xml(value: str, quote: bool = False) -> str:
    """`&`, `<` and `>` (and `"` with `quote`) as entities: what `xml.sax.saxutils.escape` does,
    without importing `urllib.request` into every build for it."""
    value = value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return value.replace('"', "&quot;") if quote else value


def _txt(value: str) -> str:
    """Escape text content, dropping characters XML 1.0 forbids (a stray control char in a title)."""
    return escape_xml(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    """Escape for a double-quoted XML attribute."""
    return escape_xml(_NOT_XML.sub("", value), quote=True)


def _link(base_url: str | None, feed_path: str, target: str) -> str:
    if base_url:
        return base_url + urls.href(target)
    return urls.root_of(feed_path) + urls.href(target)


def atom(site: Site, feed_path: str, title: str, doc_ids: list[str], summaries: dict, base_url: str | None) -> str:  # type: ignore[type-arg]
    ids = doc_ids[:FEED_SIZE]
    updated = max((doc_date(site.documents[i].model) for i in ids), default=site.today)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{_txt(title)}</title>",
        f"  <id>{escape_xml(_tag(site, feed_path))}</id>",
        f"  <updated>{updated.isoformat()}T00:00:00+08:00</updated>",
        f'  <link rel="alternate" type="text/html" href="{_attr(_link(base_url, feed_path, urls.INDEX))}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{_attr(_link(base_url, feed_path, feed_path))}"/>',
    ]
    out.append(f"  <author><name>{_txt(site.town.model.name)}</name></author>")
    for i in ids:
        s = summaries[i]
        meta = site.documents[i].model
        out += [
            "  <entry>",
            f"    <title>{_txt(s.title)}</title>",
            f"    <id>{escape_xml(_tag(site, 'documents/' + i))}</id>",
            f"    <updated>{doc_date(meta).isoformat()}T00:00:00+08:00</updated>",
            f"    <published>{doc_date(meta).isoformat()}T00:00:00+08:00</published>",
            f'    <link rel="alternate" type="text/html" href="{_attr(_link(base_url, feed_path, urls.document(i)))}"/>',
            f"    <category term=\"{_attr(s.kind)}\"/>",
            f"    <summary>{_txt(((s.doc_number + ' ') if s.doc_number else '') + (s.summary or s.attribute_label))}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def sitemap(base_url: str, paths: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for p in sorted(paths):
        lines.append(f"  <url><loc>{escape_xml(base_url + urls.href(p))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(base_url: str | None) -> str:
    text = "User-agent: *\nAllow: /\n"
    if base_url:
        text += f"Sitemap: {base_url}sitemap.xml\n"
    return text
