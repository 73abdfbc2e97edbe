"""HTML comments in Markdown bodies: authors keep internal notes in `<!-- … -->`.

The renderer drops a closed comment, but an unclosed `<!--` is only text to Markdown: the note
after it would be published. It is an error at the `<!--`. Code (fenced blocks, code spans) is
literal text and is not searched.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, error

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def _masked(line: str) -> str:
    """The line with code spans blanked (same length, so columns stay right)."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)


def unclosed_comment(body: str, body_line: int, path: str) -> list[Diagnostic]:
    """An error at the first `<!--` that no `-->` closes (the body's first line is `body_line`)."""
    lines: list[str] = []
    fence = ""
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            lines.append("")
        elif opening:
            fence = opening.group(1)
            lines.append("")
        else:
            lines.append(_masked(line))
    text = "\n".join(lines)
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            line = text.count("\n", 0, start)
            col = start - (text.rfind("\n", 0, start) + 1) + 1
            return [error(path, body_line + line, col, "HTML 注释“<!--”没有结束，后面的内容会被当作正文公开",
                          "在注释结尾加上 -->；如果这段文字就是要公开的，请删除 <!--", "md.unclosed_comment")]
        pos = end + 3
    return []
