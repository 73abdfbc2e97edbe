"""`render.feeds.escape_xml` escapes as `xml.sax.saxutils.escape` does (it replaced it so that
every build need not import `urllib.request`)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from gongkai.render.feeds import escape_xml


@given(st.text(alphabet=st.sampled_from('&<>"\'a;#x1国 ') | st.characters()))
def test_the_same_as_saxutils(text: str) -> None:
    assert escape_xml(text) == escape(text)
    assert escape_xml(text, quote=True) == escape(text, {'"': "&quot;"})
