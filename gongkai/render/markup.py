"""Markdown → sanitised HTML, and plain text for search and summaries.

Python-Markdown does not sanitise; content comes from many hands in pull requests, so every
rendered body goes through nh3 (ammonia) with an allow-list fit for notices: headings, lists,
tables, links, images. Results are memoised by content hash so a body is converted once per
build (and once per process when rendering in parallel).
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache

import markdown as md_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th",
    "td", "caption", "colgroup", "col", "a", "img", "code", "pre", "span", "div", "figure", "figcaption",
    "abbr", "mark", "small", "del", "ins",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "td": {"colspan", "rowspan", "align"},
    "col": {"span"},
    "ol": {"start"},
    "abbr": {"title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_EXTENSIONS = ["tables", "sane_lists", "fenced_code", "def_list", "attr_list"]


def _shift_headings(text: str) -> str:
    """The page title is the only <h1>: `# x` in a body becomes <h2>."""
    return re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", text)


@lru_cache(maxsize=4096)
def _render_cached(digest: str, text: str) -> str:  # digest keys the cache cheaply
    converter = md_lib.Markdown(extensions=_EXTENSIONS, output_format="html")
    raw = converter.convert(text)
    raw = _shift_headings(raw) if re.search(r"<h1\b", raw) else raw
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return clean


def render_markdown(text: str) -> str:
    """Sanitised HTML for a Markdown body."""
    if not text.strip():
        return ""
    return _render_cached(hashlib.sha1(text.encode("utf-8")).hexdigest(), text)


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def plain_text(html_text: str) -> str:
    """Visible text of rendered HTML (for search, summaries, digests)."""
    text = _TAG.sub(" ", html_text)
    text = html.unescape(text)
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def summarise(text: str, limit: int = 80) -> str:
    """First sentence-ish of plain text, for lists, feeds and WeChat digests."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
