"""A body without inline syntax (`markup.INLINE_SYNTAX`) is converted without Python-Markdown's
inline processor: the HTML must be the same as with it, for every block construct the
extensions know but fenced code (`~` counts as inline syntax): headings, lists, tables,
definition lists, attribute lists, indented code, block quotes, rules."""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.render import markup
from gongkai.render.markup import INLINE_SYNTAX, render_markdown

WORDS = st.sampled_from(["公示", "低保", "名单", "第一组", "张某", "12", "3.5", "a", "Ab", "x-y", "（元）", "：", "，",
                         "#", "##", "-", "+", "1.", "2)", ">", ":", "|", "{: #top }", "{: .c }", "=", "'", '"',
                         "(", ")", "/", "%", "。", "\u3000", "·"])
LINE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
TABLE = st.integers(1, 4).flatmap(lambda cols: st.lists(st.lists(WORDS, min_size=cols, max_size=cols), min_size=1, max_size=4)
                                  .map(lambda rows: "\n".join(["| " + " | ".join(["列"] * cols) + " |",
                                                               "|" + "---|" * cols] + ["| " + " | ".join(r) + " |" for r in rows])))
BLOCK = st.one_of(
    LINE,
    LINE.map(lambda s: "## " + s),
    st.lists(LINE, min_size=1, max_size=4).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    st.lists(LINE, min_size=1, max_size=3).map(lambda lines: "\n".join("> " + x for x in lines)),
    st.tuples(LINE, LINE).map(lambda p: f"{p[0]}\n: {p[1]}"),
    LINE.map(lambda s: "    " + s),
    st.just("---"),
    TABLE,
)
BODY = st.lists(BLOCK, min_size=1, max_size=8).flatmap(
    lambda blocks: st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=len(blocks), max_size=len(blocks))
    .map(lambda seps: "".join(b + s for b, s in zip(blocks, seps))))


@settings(max_examples=300, deadline=None)
@given(BODY)
def test_a_body_without_inline_syntax_converts_as_with_the_inline_processor(body: str) -> None:
    assert INLINE_SYNTAX.search(body) is None  # the strategy writes no inline syntax
    fast = render_markdown(body)
    with mock.patch.object(markup, "INLINE_SYNTAX", re.compile(r"[\s\S]")):  # every body: the full converter
        full = render_markdown(body + "\n")  # another text (the conversions are memoised), the same HTML
    assert fast == full


def test_inline_syntax_is_found() -> None:
    for text in ["a *b*", "a _b_", "`c`", "[a](b)", "![i](p.png)", "<b>x</b>", "&amp;", "a\\*", "a  \nb", "a\t\nb",
                 "a  ", "~~~"]:
        assert INLINE_SYNTAX.search(text), text
    assert render_markdown("a *b*") == "<p>a <em>b</em></p>"
    assert INLINE_SYNTAX.search("## 公示\n\n| 户主 | 金额 |\n|---|---|\n| 张某 | 12 |\n") is None
