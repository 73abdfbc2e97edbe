"""What a reader sees, reduced to the characters a privacy scan must look at.

Rendered HTML and front-matter values can hide a number from a line-by-line scan of the source:
digits split by markup (`**`, code spans, `<span>`, comments), written as entities (`&#49;`),
full-width or mathematical digits (`１`, `𝟏`), zero-width or other formatting characters, or
grouped across spaces, hyphens, dots and line breaks (`450324-19900101-1230`). `visible_text`
undoes all of that; `locate_digits` maps a number found there back to the source line and column
where its digits are written.

Pure: no I/O.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = ["BLOCK_MARK", "GAP_CHARS", "join_digit_groups", "locate_digits", "markup_closed", "strip_comments", "visible_markup",
           "visible_text"]

# Block-level tags end a run of text: digits on either side belong to different cells/paragraphs.
# (The names are p, pre, div, dt, dd, dl, td, th, tr, table, thead, tbody, li, ul, ol, h1-h6,
# hr, blockquote and section: grouped by first letter, behind a lookahead on it, the pattern
# runs in under two thirds of the time of the plain alternation, with the same matches.)
_BLOCK = re.compile(
    r"</?(?=[pdtluohbs])(?:p(?:re)?|d(?:iv|[tdl])|t(?:[dhr]|able|head|body)|li|ul|ol|h[1-6r]|blockquote|section)"
    r"\b[^>]*>",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Separators a reader skips over inside one number: spaces, hyphens/dashes, underscores, dots,
# line breaks.
GAP_CHARS = r" \t\r\n_\-\u2010-\u2015\u2212.·・"  # the class body, for patterns that must agree with `_GAP`
_GAP = re.compile(rf"(?<=[0-9])[{GAP_CHARS}]{{1,3}}(?=[0-9])")
BLOCK_MARK = "\u2029"  # paragraph separator: never a digit gap


_CF_14 = ("AD 600-605 61C 6DD 70F 890-891 8E2 180E 200B-200F 202A-202E 2060-2064 2066-206F FEFF FFF9-FFFB "
          "110BD 110CD 13430-13438 1BCA0-1BCA3 1D173-1D17A E0001 E0020-E007F")
_CF_15 = _CF_14.replace("13430-13438", "13430-1343F")
# The format characters of the Unicode versions of Python 3.11-3.13, as `unicodedata` lists them
# (checked against it by tests/test_published_text.py): scanning 135,000 code points for them
# took 17 ms of every build. Another version is scanned.
CF_RANGES = {"14.0.0": _CF_14, "15.0.0": _CF_15, "15.1.0": _CF_15}


def scan_format_chars() -> tuple[str, ...]:
    """Every format (Cf) character of this Python's Unicode: all in planes 0, 1 and 14."""
    planes = (range(0x20000), range(0xE0000, 0xE1000))
    return tuple(chr(c) for plane in planes for c in plane if unicodedata.category(chr(c)) == "Cf")


@lru_cache(maxsize=1)
def format_chars() -> tuple[str, ...]:
    """Every format (Cf) character: 163 of them in Unicode 14, 170 in Unicode 15."""
    known = CF_RANGES.get(unicodedata.unidata_version)
    if known is None:
        return scan_format_chars()
    chars = []
    for part in known.split():
        first, _, last = part.partition("-")
        chars.extend(chr(c) for c in range(int(first, 16), int(last or first, 16) + 1))
    return tuple(chars)


_LINES: dict[str, str] = {}  # line → its NFKC: the header, menus and footer of every page repeat
_LINES_MAX = 100_000
_LONG = 2000


def _nfkc_chars(text: str, by_line: bool = True) -> str:
    """NFKC, and drop format (Cf) characters: zero-width spaces, joiners, bidi controls.

    One substring search per format character (each a fast C scan, nearly always a miss) is
    fifty times faster on a whole page than filtering character by character. A long text is
    normalised line by line, each distinct line once per process: a line break is a stable
    code point of NFKC (a starter that nothing composes with and nothing reorders across), so
    normalising the lines apart gives the same text. `by_line=False`: the lines are not worth
    remembering (seen once), the text is normalised as a whole."""
    if text.isascii():  # nothing to normalise, no format characters
        return text
    if by_line and len(text) > _LONG and "\n" in text:
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        out = []
        for line in text.split("\n"):
            done = _LINES.get(line)
            if done is None:
                done = _LINES[line] = line if line.isascii() else unicodedata.normalize("NFKC", line)
            out.append(done)
        text = "\n".join(out)
    else:
        text = unicodedata.normalize("NFKC", text)
    for char in format_chars():
        if char in text:
            text = text.replace(char, "")
    return text


def visible_text(text: str, is_html: bool = False, join: bool = True) -> str:
    """The published text with digit groups joined, so one number reads as one digit run.

    `is_html`: `text` is rendered HTML (comments and tags removed, entities decoded); otherwise
    it is a plain field value. Block boundaries become line breaks the join never crosses.
    `join=False`: the same text with the groups left apart (`join_digit_groups` joins it later):
    two numbers side by side (`13812345678 13912345678`) read as two only then.
    """
    text = visible_markup(strip_comments(text)) if is_html else _nfkc_chars(text)
    return join_digit_groups(text) if join else text


def strip_comments(text: str) -> str:
    """HTML with its comments removed (one left open runs to the end): `visible_text`'s first step."""
    return _COMMENT.sub("", text)


def visible_markup(text: str, by_line: bool = True) -> str:
    """`visible_text(html, True, join=False)` of HTML whose comments `strip_comments` removed.
    `by_line=False`: its lines are not remembered for the next text (see `_nfkc_chars`)."""
    text = _BLOCK.sub(BLOCK_MARK, text)
    text = _TAG.sub("", text)
    return _nfkc_chars(html.unescape(text), by_line)


def markup_closed(text: str) -> bool:
    """No tag is left open at the end of `text` (HTML without comments), so that for any `more`
    `visible_markup(text + "\n" + more) == visible_markup(text) + "\n" + visible_markup(more)`.

    A tag runs from a `<` to the first `>` after it, line breaks included. If every `<` of `text`
    has a `>` after it, no block tag (`_BLOCK`) found in `text` reaches past its end; and if that
    still holds once the block tags are replaced (`<x <p>` leaves `<x ` open), no other tag does
    either. Entities never span a line break, and a line break is a stable code point of NFKC."""
    lt = text.rfind("<")
    if lt < 0:
        return True
    if text.rfind(">") < lt:
        return False
    blocks = _BLOCK.sub(BLOCK_MARK, text)
    lt = blocks.rfind("<")
    return lt < 0 or lt < blocks.rfind(">")


def join_digit_groups(text: str) -> str:
    """The join of `visible_text`, for text it returned with `join=False`."""
    return _GAP.sub("", text).replace(BLOCK_MARK, "\n")


def _digit_line(line: str) -> tuple[str, list[int]]:
    """Per character NFKC of `line`, with the source column (0-based) of each output character."""
    out: list[str] = []
    cols: list[int] = []
    for col, char in enumerate(line):
        for c in _nfkc_chars(char):
            out.append(c)
            cols.append(col)
    return "".join(out), cols


def locate_digits(
    lines: list[str], digits: str, first: int = 0, end: int | None = None, whole: bool = True
) -> tuple[int, int] | None:
    """(line, col), 1-based, of the first digit of `digits` in `lines[first:end]`.

    Between two digits anything but a digit may stand (markup, separators, a line break), up to
    40 characters; digits written as entities are not found (the caller falls back to the field).
    `whole=False`: `digits` is the start of a number, so more digits may follow it.
    """
    if not digits:
        return None
    pattern = re.compile(r"(?<![0-9])" + r"[^0-9]{0,40}?".join(re.escape(d) for d in digits) + (r"(?![0-9])" if whole else ""), re.DOTALL)
    stop = len(lines) if end is None else min(end, len(lines))
    for index in range(first, stop):
        # A number may continue on the next lines: join a few with "\n".
        chunk = lines[index : min(index + 4, stop)]
        text, cols = _digit_line("\n".join(chunk))
        m = pattern.search(text)
        if m is None:
            continue
        if "\n".join(chunk)[: cols[m.start()]].count("\n") > 0:
            continue  # starts on a later line: found when that line comes first
        return index + 1, cols[m.start()] + 1
    return None
