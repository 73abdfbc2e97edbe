"""Bidirectional control characters in content: refused wherever they stand.

U+202E (RIGHT-TO-LEFT OVERRIDE) and its relatives make a browser show text in another order
than it is stored ("Trojan Source"): a title could read differently from what reviewers saw in
the diff. Chinese government text never needs them, so the raw text of every content file
(every field, comment and body line) is scanned once, before any field is interpreted.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, error

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def bidi_controls(text: str, path: str) -> list[Diagnostic]:
    """One error per bidi control character in `text` (a whole file, lines counted from 1)."""
    out = []
    for found in BIDI_CONTROLS.finditer(text):
        pos = found.start()
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        out.append(error(path, line, col, f"有不可见的双向文字控制字符（U+{ord(found.group()):04X}），会让文字显示的顺序与实际内容不同",
                         "删除这个看不见的字符（在 VS Code 中会显示为高亮的小方框）；它常见于从网页复制的文字", "text.bidi_control"))
    return out
