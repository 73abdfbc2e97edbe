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
# Author-set heading ids (`{: #x}`) are prefixed so a body can never reuse an id of the page
# template (`main`, `q-top`, ...) or clobber a global; in-body `#x` links are rewritten to match.
ID_PREFIX = "sec-"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_EXTENSIONS = ["tables", "sane_lists", "fenced_code", "def_list", "attr_list"]


def _shift_headings(text: str) -> str:
    """The page title is the only <h1>: `# x` in a body becomes <h2>."""
    return re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", text)


def _is_remote(url: str) -> bool:
    """True for URLs that leave the site: `https://x`, `//x`, `/\\x` (browsers drop tabs/newlines)."""
    url = re.sub(r"^[\x00-\x20]+", "", re.sub(r"[\t\n\r]", "", url)).replace("\\", "/")
    return url.startswith("//") or bool(_SCHEME.match(url))


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Images must be local files (no tracking pixels, works offline); fragment links follow ids."""
    if tag == "img" and attr == "src" and _is_remote(value):
        return None
    if tag == "a" and attr == "href" and value.startswith("#") and len(value) > 1:
        return "#" + ID_PREFIX + value[1:]
    return value


# Python-Markdown is super-linear on some inputs nobody writes by hand: 20 KB of "[" took 85 s,
# 12,000 heading lines without blank lines 13 s, a deep definition list overflowed the stack; the
# sanitiser's HTML parser is quadratic in the depth of unclosed elements (50,000 <div>: 5 s).
# Past these counts a body is defused: block-splitting lines get blank lines around them, and a
# body full of brackets or unclosed tags is shown as plain text. Ordinary notices stay far below.
PATHOLOGICAL = 1000
_SPLIT_LINE = re.compile(r"^(?:#{1,6}(?:[ \t].*)?|[=*_-][ =*_-]*|:[ \t].*)$", re.MULTILINE)
_OPEN_TAG = re.compile(
    r"<(?!(?:br|img|hr|col|wbr|input|meta|link|area|base|embed|source|track|param|p|li|td|th|tr|dt|dd|"
    r"option|thead|tbody|tfoot|colgroup|caption)\b)[a-zA-Z]", re.IGNORECASE)


def _pathological(text: str) -> bool:
    return (
        text.count("[") > PATHOLOGICAL
        or text.count("<") > text.count(">") + PATHOLOGICAL
        or len(_OPEN_TAG.findall(text)) > text.count("</") + PATHOLOGICAL
    )


def _defuse(text: str) -> str:
    if len(_SPLIT_LINE.findall(text)) > PATHOLOGICAL:
        text = _SPLIT_LINE.sub(lambda m: "\n" + m.group(0) + "\n", text)
    return text


def _as_text(text: str) -> str:
    """A body that cannot be Markdown: escaped paragraphs (linear time, nothing to sanitise).
    HTML comments are dropped here too: authors use them for notes not meant for the public."""
    text = re.sub(r"<!--.*?(?:-->|\Z)", "", text, flags=re.DOTALL)
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>" for p in paras)


_CONVERTERS: dict[bool, md_lib.Markdown] = {}
#: What an inline pattern of Python-Markdown (code, escape, links and images, autolinks, raw
#: HTML, entities, emphasis, a line break) needs in a body to match: one of these characters, or
#: two spaces before a line end (a tab there expands to spaces); STX/ETX are its placeholders.
#: A body without any has nothing for the inline processor to change.
INLINE_SYNTAX = re.compile(r"[`\\\[\]!<&*_~\t\x02\x03]| {2}(?:[\r\n]|$)")


def _converter(inline: bool) -> md_lib.Markdown:
    """One converter per process (and kind), `reset()` between bodies: building one
    (extensions, parser, patterns) cost a fifth of every conversion; the output is the same
    (checked on 10,000). `inline=False`: without the inline processor, for bodies in which
    `INLINE_SYNTAX` finds nothing (its dozen patterns, tried on every text and tail of the
    tree, were a third of every conversion, for the same HTML)."""
    converter = _CONVERTERS.get(inline)
    if converter is None:
        converter = _CONVERTERS[inline] = md_lib.Markdown(extensions=_EXTENSIONS, output_format="html")
        if not inline:
            converter.treeprocessors.deregister("inline")
    return converter


@lru_cache(maxsize=4096)
def _render_cached(digest: str, text: str) -> str:  # digest keys the cache cheaply
    if _pathological(text):
        return _as_text(text)
    source = _defuse(text)
    inline = INLINE_SYNTAX.search(source) is not None
    converter = _converter(inline)
    try:
        raw = converter.reset().convert(source)
    except RecursionError:  # nesting deeper than the interpreter's stack
        _CONVERTERS.pop(inline, None)  # its state is unknown now: the next body gets a fresh one
        return _as_text(text)
    raw = _shift_headings(raw) if re.search(r"<h1\b", raw) else raw
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
        id_prefix=ID_PREFIX,
    )
    clean = _downloads(clean) if "attachments/" in clean else clean
    return _boxed_tables(clean) if "<table" in clean else clean


# A link in a body to one of the site's attachments (`../../attachments/名单.pdf`) downloads, like
# the attachment list of the page: a file is saved, not opened on the site's origin.
_ATTACHMENT_LINK = re.compile(r'<a href="((?:\./|\.\./)*attachments/[^"]*)"')


def _downloads(html_text: str) -> str:
    return _ATTACHMENT_LINK.sub(r'<a href="\1" download', html_text)


_TABLE_OPEN = re.compile(r"<table\b")
_TABLE_REGION = '<div class="table-scroll" tabindex="0" role="region" aria-label="表格">'


def _boxed_tables(html_text: str) -> str:
    """Wrap each table in a keyboard-scrollable box so a wide one scrolls inside itself on a
    phone instead of pushing the page sideways (the sanitiser left opens and closes balanced)."""
    opened = _TABLE_OPEN.sub(_TABLE_REGION + "<table", html_text)
    return opened.replace("</table>", "</table></div>")


def number_table_regions(page_html: str) -> str:
    """A page with several body tables (a consultation's text and its feedback, several Q&A
    answers) names their boxes 表格 1/3, 表格 2/3, ...: each box is a region landmark, and two
    landmarks of one name cannot be told apart in a screen reader's landmark list."""
    count = page_html.count(_TABLE_REGION)
    if count < 2:
        return page_html
    parts = page_html.split(_TABLE_REGION)
    out = [parts[0]]
    for n, part in enumerate(parts[1:], start=1):
        out.append(_TABLE_REGION.replace('"表格"', f'"表格 {n}/{count}"') + part)
    return "".join(out)


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
