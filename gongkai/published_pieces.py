"""The visible text of a published HTML page, piece by piece, for the post-build privacy scan.

Every page repeats the header, navigation and footer of every other, and lists repeat passages
across pages. `html_passages` cuts a page at its line breaks that lie outside markup (after the
comments are removed, no tag left open: `markup_closed`) and reduces each distinct piece to its
visible text once per process (`visible_piece`). Joined with line breaks, the pieces' texts are
the page's `visible_text(page, True, join=False)`, character for character.

`join_digit_groups` may still join two pieces: a reader skips up to three separators between
two digits, a line break among them. So pieces are grouped into passages wherever the break
between them could lie in such a gap (the text before it ends in a digit and at most two
separators, or is empty or one separator; and likewise after it); between passages no digit
group joins, and the joined page is the passages joined one by one, with line breaks between.
A passage with fewer than `privacy.MIN_DIGITS` digits holds no finding.

Pure: no I/O (a memo of pieces per process).
"""

from __future__ import annotations

import re
from itertools import compress, count
from operator import itemgetter, not_

from .rules.published_text import GAP_CHARS, markup_closed, strip_comments, visible_markup

__all__ = ["Piece", "html_passages", "visible_piece"]

#: (visible text, its digits, may continue a number from the piece before, ... into the next,
#: any of these three)
Piece = tuple[str, int, bool, bool, bool]

_DIGITS = re.compile(r"[0-9\uff10-\uff19]")  # what `privacy.CANDIDATE` counts (NFKC leaves only 0-9)
_HEAD = re.compile(rf"[{GAP_CHARS}]{{0,2}}[0-9]")  # `_GAP` joins ASCII digits only
_TAIL = re.compile(rf"[0-9][{GAP_CHARS}]{{0,2}}\Z")
_SHORT = re.compile(rf"[{GAP_CHARS}]?\Z")  # empty or one separator: a gap may run through it

_BUSY = itemgetter(4)
_PIECES: dict[str, Piece | bool] = {}  # raw line → its piece, or False: it leaves a tag open
_PIECES_MAX = 60_000


def visible_piece(text: str) -> Piece:
    """A piece from its visible text (`visible_markup` of the raw piece)."""
    short = len(text) <= 1 and _SHORT.match(text) is not None
    digits = len(_DIGITS.findall(text))
    head = short or _HEAD.match(text) is not None
    tail = short or _TAIL.search(text[-3:]) is not None
    return (text, digits, head, tail, bool(digits) or head or tail)


def _pieces(lines: list[str]) -> list[Piece]:
    """The pieces of a page (comments removed) split at its line breaks, in order."""
    memo = _PIECES
    pieces = list(map(memo.get, lines))
    if all(pieces):  # every line seen before, none leaves a tag open
        return pieces  # type: ignore[return-value]
    if len(memo) >= _PIECES_MAX:
        memo.clear()
    missing: list[tuple[int, str]] = []  # (index, raw line) still to reduce
    merged: list[tuple[int, int]] = []  # lines (start, end) made one piece, at start
    n, upto = len(lines), 0
    for i in compress(count(), map(not_, pieces)):
        if i < upto:
            continue  # in a piece merged already
        line = lines[i]
        if pieces[i] is None:
            if markup_closed(line):
                missing.append((i, line))
                continue
            memo[line] = False
        # A tag left open: the piece runs on to the line that closes it, or to the page's end.
        upto = i + 1
        while upto < n:
            upto += 1
            if ">" in lines[upto - 1] and markup_closed("\n".join(lines[i:upto])):  # only a `>` can close it
                break
        pieces[i] = visible_piece(visible_markup("\n".join(lines[i:upto])))
        merged.append((i, upto))
    if missing:
        # Reduced together, one call for all: closed pieces joined by line breaks reduce to
        # their texts joined by line breaks. An entity may stand for a line break (`&#10;`):
        # then the count tells, and each is reduced alone.
        raw = [line for _, line in missing]
        texts = visible_markup("\n".join(raw), by_line=False).split("\n")  # remembered here, as pieces
        if len(texts) != len(raw):
            texts = [visible_markup(line, by_line=False) for line in raw]
        for (index, line), text in zip(missing, texts):
            pieces[index] = memo[line] = visible_piece(text)
    if merged:
        kept, last = [], 0
        for first, end in merged:
            kept += pieces[last : first + 1]
            last = end
        pieces = kept + pieces[last:]
    return pieces  # type: ignore[return-value]


def html_passages(page: str, min_digits: int = 0) -> list[str]:
    """The visible text of `page` (HTML) as passages, in order, leaving out those with fewer
    than `min_digits` digits. With `min_digits=0`, joined by line breaks they are
    `visible_text(page, True, join=False)`, and `join_digit_groups` of each, joined by line
    breaks, is `join_digit_groups` of that."""
    pieces = _pieces(strip_comments(page).split("\n"))
    out: list[str] = []
    start = digits = 0
    if min_digits <= 0:
        joins = False
        for index, (_, count_, head, tail, _) in enumerate(pieces):
            if not (joins and head):  # a new passage
                if index:
                    out.append(_text(pieces, start, index))
                start, digits = index, 0
            joins = tail
        if pieces:
            out.append(_text(pieces, start, len(pieces)))
        return out
    # Only pieces with a digit or a separator at an end can be in a passage with digits: the
    # others are passages of their own, without any.
    last = -2
    joins = False
    for index in compress(count(), map(_BUSY, pieces)):
        _, count_, head, tail, _ = pieces[index]
        if not (joins and head and index == last + 1):
            if digits >= min_digits:
                out.append(_text(pieces, start, last + 1))
            start, digits = index, 0
        digits += count_
        joins, last = tail, index
    if digits >= min_digits:
        out.append(_text(pieces, start, last + 1))
    return out


def _text(pieces: list[Piece], start: int, end: int) -> str:
    return pieces[start][0] if end - start == 1 else "\n".join(piece[0] for piece in pieces[start:end])
