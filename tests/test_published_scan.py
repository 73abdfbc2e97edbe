"""The last look before publishing: every page, feed, print, data and search file the build made
is scanned; a number the per-field rules missed fails the build, site/ stays as it was, and the
message names the output file and its source."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sitekit import TODAY, VILLAGE_YAML, doc, make_site

from gongkai.build import BuildOptions, build
from gongkai.published_scan import file_findings
from gongkai.rules.published_text import join_digit_groups, visible_text

REPO = Path(__file__).resolve().parent.parent
TODAY_BUILD = {"today": TODAY, "jobs": 1, "project": REPO}
MOBILE = "13812345678"
HINT = ("（逐项的内容检查没有发现它：它可能来自模板、几个字段连在一起显示或本工具的缺陷。"
        "请在来源文件中找到这个号码并改为遮盖形式；找不到来源时请把本消息报告给维护人员）")


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def leaky_templates(tmp_path: Path, footer: str) -> Path:
    """A town's own base.html whose footer carries `footer` (a template from a pull request)."""
    folder = tmp_path / "my-templates"
    folder.mkdir()
    base = (REPO / "templates/base.html").read_text(encoding="utf-8")
    assert '<footer class="footer">' in base
    (folder / "base.html").write_text(base.replace('<footer class="footer">', f'<footer class="footer">{footer}'),
                                      encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # paths in messages are relative, as on the command line


def run(tmp_path: Path, templates: Path, cache: str) -> object:
    return build(BuildOptions(content=Path("content"), output=Path("site"), templates=templates,
                              cache=tmp_path / cache, **TODAY_BUILD))  # type: ignore[arg-type]


@pytest.mark.parametrize("footer", [f"值班手机：{MOBILE}", "值班手机：138<b>1234</b>5678", "值班：&#49;3812345678",
                                    "值班：１３８１２３４５６７８", "值班：138\u200b1234\u200b5678"])
def test_a_template_that_leaks_fails_the_build_and_keeps_site(tmp_path: Path, footer: str) -> None:
    make_site(tmp_path)
    assert run(tmp_path, REPO / "templates", "c1").ok  # type: ignore[attr-defined]
    before = snapshot(tmp_path / "site")
    result = run(tmp_path, leaky_templates(tmp_path, footer), "c2")
    assert not result.ok  # type: ignore[attr-defined]
    texts = [d.text() for d in result.diagnostics.errors]  # type: ignore[attr-defined]
    assert ("content/documents/2026/dibao.md:1:1: 错误: 个人信息未遮盖：生成的 site/documents/2026/dibao.html"
            f"（来源：content/documents/2026/dibao.md）中有完整的手机号，公开时应写作“138****5678”{HINT}") in texts
    assert f"site/index.html:1:1: 错误: 个人信息未遮盖：生成的 site/index.html中有完整的手机号，公开时应写作“138****5678”{HINT}" in texts
    assert all(d.code == "build.privacy" for d in result.diagnostics.errors)  # type: ignore[attr-defined]
    assert snapshot(tmp_path / "site") == before
    assert not list(tmp_path.glob(".site.tmp-*"))


def test_official_contact_numbers_are_published(tmp_path: Path) -> None:
    """A village's contact mobile is an official number: exempt in the field, exempt on the page."""
    make_site(tmp_path, {"villages/jingtou.yaml": VILLAGE_YAML.format(name="井头村") + f"contact: {MOBILE}\n"})
    result = run(tmp_path, REPO / "templates", "c")
    assert result.ok, [d.text() for d in result.diagnostics.errors]  # type: ignore[attr-defined]
    assert MOBILE in (tmp_path / "site/villages/jingtou.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("rel", "data", "found"),
    [
        ("documents/a.html", "<p>电话 <span>138</span>1234<!-- x -->5678</p>", True),
        ("documents/a.html", "<p>电话 &#x31;&#51;8 1234 5678</p>", True),
        ("documents/a.html", '<a href="tel:13812345678">办公室</a>', False),  # not text a reader sees
        ("feed.xml", "<entry><content type=\"html\">&lt;p&gt;电话 138&lt;b&gt;1234&lt;/b&gt;5678&lt;/p&gt;</content></entry>", True),
        ("search/docs/0.js", 'window.GongkaiSearch.docs(0,[{"t":"名单","x":"联系 138 1234 5678"}]);', True),
        ("search/docs/0.js", 'window.GongkaiSearch.docs(0,[{"t":"\\u0031\\u00338\\u0031\\u0032345678"}]);', True),
        ("search/shards/0.js", 'window.GongkaiSearch.shard("0",{"p":[[13812345678,450324199001011230]]});', False),
        ("search/docs/0.js", 'window.GongkaiSearch.docs(0,[{"u":"a.html","x":"13812345678"}]);', True),  # ASCII, 11 digits
        # a block of postings: base64 of numbers, passed over even where its letters make a number
        ("search/blocks/0a.js", 'window.GongkaiSearch.block("0a3-5f0c2e-0","AB13812345678CD");\n', False),
        # anything else in a block file is read: a string that is not base64, a second call
        ("search/blocks/0a.js", 'window.GongkaiSearch.block("0a3-5f0c2e-0","联系13812345678");\n', True),
        ("search/blocks/0a.js", 'window.GongkaiSearch.block("0a3-5f0c2e-0","AB");window.x("13812345678");\n', True),
        # ASCII with 10 digits, and an entity whose NFKC (½ → 1⁄2) ends the number
        ("search/docs/0.js", 'window.GongkaiSearch.docs(0,[{"x":"<p>1381234567&half;</p>"}]);', True),
        ("search/docs/0.js", 'window.GongkaiSearch.docs(0,[{"x":"1381234567"}]);', False),
        ("data/documents.csv", "id,title\na,联系电话13812345678\n", True),
        ("data/documents.json", '{"title": "通知", "created": "2026-03-02", "n": 13812345678}', False),
        ("sitemap.xml", "<url><loc>https://x/documents/2026-03-02.html</loc><lastmod>2026-03-02</lastmod></url>", False),
    ],
)
def test_every_kind_of_output(rel: str, data: str, found: bool) -> None:
    assert bool(file_findings(rel, data.encode(), frozenset(), TODAY)) is found


def test_allowed_numbers_are_left_out() -> None:
    assert file_findings("a.html", f"<p>{MOBILE}</p>".encode(), frozenset({MOBILE}), TODAY) == []
    assert [f.masked for f in file_findings("a.html", f"<p>{MOBILE} 13912345678</p>".encode(), frozenset({MOBILE}), TODAY)] == [
        "139****5678"]


def test_the_example_town_passes(example_site: Path) -> None:
    """No false alarm on the example town (built by the fixture through the whole pipeline)."""
    assert (example_site / "index.html").is_file()


def test_a_withheld_canary_never_reaches_the_scan_or_the_site(tmp_path: Path) -> None:
    withheld = doc(title="内部名单", attribute="不予公开", legal_basis="个人隐私", reason="涉及个人隐私",
                   reviewed="2026-03-02", published=None, body=f"张某 {MOBILE}\n")
    make_site(tmp_path, {"documents/2026/neibu.md": withheld})
    result = run(tmp_path, REPO / "templates", "c")
    assert result.ok  # type: ignore[attr-defined]
    assert all(MOBILE.encode() not in data for data in snapshot(tmp_path / "site").values())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(["\u200b", "\u2060", "\ufeff", "\u00ad", "\u202e",
                                                                   "\U000e0041", "１", "𝟏", "-", " "]))))
def test_the_fast_format_character_filter_equals_the_definition(text: str) -> None:
    """Differential: dropping Cf characters by substring search = filtering by category."""
    reference = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    assert visible_text(text) == join_digit_groups(reference)
    assert visible_text(text, join=False) == reference


def _reference_texts(rel: str, data: bytes) -> list[str]:
    """`published_scan._texts` as it was first written: every string literal with a digit or an
    escape decoded (a regex that loops per character), every page reduced to text as a whole."""
    import json

    text = data.decode("utf-8", "replace")
    if rel.endswith((".js", ".json")):
        out = []
        for literal in re.findall(r'"(?:[^"\\\n]|\\.)*"', text):
            if "\\" not in literal and not re.search(r"\d", literal):
                continue
            try:
                value = json.loads(literal)
            except ValueError:
                continue
            if isinstance(value, str) and re.search(r"\d", value):
                out.append(visible_text(value, "<" in value, join=False))
        return out
    if rel.endswith((".html", ".xml")):
        seen = visible_text(text, True, join=False)
        return [visible_text(seen, True, join=False) if rel.endswith(".xml") else seen]
    return [visible_text(line, join=False) for line in text.splitlines()]


def _line_by_line(rel: str, data: bytes) -> list:
    """`file_findings` as it was first written: every line of every passage scanned."""
    from gongkai.published_scan import _digits
    from gongkai.rules.privacy import scan_text

    found: dict = {}
    for text in _reference_texts(rel, data):
        for line in (*text.split("\n"), *join_digit_groups(text).split("\n")):
            for finding in scan_text(line, TODAY):
                found.setdefault((finding.kind, _digits(finding.found)), finding)
    return list(found.values())


PIECES = st.sampled_from([
    MOBILE, "\\", '\\"', "\\n", "\\u0031", "&#49;", "0123456789", "\t", "138 1234 5678", "１３８１２３４５６７８", "138<b>1234</b>5678", "&#49;3812345678", "+86 138-1234-5678",
    "450324199001011230", "6222021234567890128", "6222 0212 3456 7890 128", "13812345678元", "2026-11-26", "12",
    "\n", "\n\n", " ", "-", "<p>", "</p>", "<td>", "<!-- x -->", "\u200b", "①", "𝟏", "公告", "，", "\u2029", '"', "\\u0031",
    "e\u0301", "\u0308", "a\"b", "0771-1234567", "2026-11-26 138",
])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PIECES, max_size=60), long=st.booleans(), suffix=st.sampled_from([".html", ".js", ".xml", ".csv"]))
def test_file_findings_equal_a_line_by_line_scan(parts: list[str], long: bool, suffix: str) -> None:
    """Only lines with a run of 11 digits are scanned, long texts are normalised line by line:
    the findings (and which occurrence of a number is reported) are those of scanning every line."""
    text = "".join(parts) + ("公开" * 1200 + "\n" if long else "")  # past the length normalised line by line
    if suffix == ".js":
        text = "x(" + ",".join('"' + p.replace('"', "") + '"' for p in text.split("\n")) + ',"\\"' + ")"
    data = text.encode("utf-8")
    assert file_findings(f"a{suffix}", data, frozenset(), TODAY) == _line_by_line(f"a{suffix}", data)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(["\n", "a", "e", "\u0301", "\u0308", "\u1100", "\u1161", "\uac00", "\u11a8",
                                               "１", "①", "\u200b", "\u200d", "中", "，", "ﬁ", "㍘", "\u2028"]), max_size=3000))
def test_long_texts_normalise_line_by_line_as_a_whole(text: str) -> None:
    from gongkai.rules.published_text import _nfkc_chars, format_chars

    expected = unicodedata.normalize("NFKC", text)
    for char in format_chars():
        expected = expected.replace(char, "")
    assert _nfkc_chars(text) == expected
    assert _nfkc_chars("\n".join([text] * 3)) == "\n".join([expected] * 3)


def test_the_format_characters_known_for_this_unicode_are_the_ones_unicodedata_lists() -> None:
    """`format_chars` takes the characters of a known Unicode version from a table (a scan of
    135,000 code points took 17 ms of every build): the table must be what a scan finds."""
    from gongkai.rules.published_text import CF_RANGES, format_chars, scan_format_chars

    assert unicodedata.unidata_version in CF_RANGES  # the CI's Python: the table is what is checked
    assert format_chars() == scan_format_chars()


# --- Pages read in passages (`published_pieces`): the same findings as a scan of the whole page ---

def _digits_of(found: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", found) if c.isdigit() or c in "Xx")


def whole_page_findings(data: bytes, allowed: frozenset[str] = frozenset()) -> list:
    """The reference: `file_findings` of an HTML page as it was before pages were cut into
    pieces — the whole page reduced to text at once, every line of it scanned as written and
    with digit groups joined, each number once, in that order."""
    from gongkai.rules.privacy import scan_text

    text = visible_text(data.decode("utf-8", "replace"), True, join=False)
    found: dict = {}
    for line in (*text.split("\n"), *join_digit_groups(text).split("\n")):
        for finding in scan_text(line, TODAY):
            digits = _digits_of(finding.found)
            if digits not in allowed:
                found.setdefault((finding.kind, digits), finding)
    return list(found.values())


# Fragments of pages: numbers whole, in groups and in halves; separators a reader skips; format
# characters, full-width digits and entities; markup, inline and block, open and closed, in
# attributes and comments; line breaks.
FRAGMENTS = st.sampled_from([
    MOBILE, "138", "1234", "5678", "13", "8", "１３８", "１２３４", "450324", "19900101", "1230", "450324199001011230",
    "6222021234567890128", "6222 0212 3456 7890 128", "+86 ", "＋８６", "0086", "元", "2026-11-26", "12",
    " ", "  ", "-", ".", "_", "\t", "\r", "\u2010", "\u2212", "·", "・", "\u3000", "\u00a0",
    "\u200b", "\ufeff", "\u00ad", "\u2060", "\u202e",
    "&#49;", "&#x31;", "&#10;", "&amp;", "&nbsp;", "&lt;", "&gt;", "&#8203;", "&",
    "<p>", "</p>", '<div class="wrap">', "</div>", "<b>", "</b>", "<td>", "</td>", "<br>", "<li>", "<h1>",
    '<span title="13812345678">', '<a href="tel:138 1234 5678">', "</a>", "<x <p>", "<", ">", "<a\n", 'href="x">',
    "<!-- 13812345678 -->", "<!--", "-->", "<!<!-- -->--", "\u2029",
    "\n", "\n", "\n", "\n\n", "\n\n\n", "电话", "公告", "，", "X",
])
LINES = st.lists(FRAGMENTS, max_size=25).map("".join)


def chrome_pages(head: str, bodies: list[str], foot: str) -> list[bytes]:
    return [f"<!DOCTYPE html>\n<html>\n{head}\n<main>\n{body}\n</main>\n{foot}\n</html>\n".encode() for body in bodies]


@settings(max_examples=400, deadline=None)
@given(page=LINES, more=LINES)
@example(page="1\n\n2 \n-3\n -4 -\n5\n \n6", more="")  # gaps of three around and across the breaks
def test_passages_are_the_visible_text_of_the_page(page: str, more: str) -> None:
    """Joined by line breaks, the passages are the page's visible text, as written and with
    digit groups joined (whatever pieces the page shares with pages read before)."""
    from gongkai.published_pieces import html_passages

    for text in (page, more + page, page + more):
        passages = html_passages(text)
        whole = visible_text(text, True, join=False)
        assert "\n".join(passages) == whole
        assert "\n".join(join_digit_groups(p) for p in passages) == join_digit_groups(whole)
        assert [p for p in passages if len(re.findall("[0-9]", p)) >= 11] == html_passages(text, 11)


@settings(max_examples=300, deadline=None)
@given(head=LINES, bodies=st.lists(LINES, min_size=1, max_size=4), foot=LINES,
       allowed=st.sampled_from([frozenset(), frozenset({MOBILE})]))
def test_pages_read_in_passages_give_the_findings_of_the_whole_page(head: str, bodies: list[str], foot: str,
                                                                  allowed: frozenset[str]) -> None:
    """Numbers planted anywhere — in the chrome every page shares, in one page, split across line
    breaks, in tags and attributes, between format characters — are found (or not) exactly as by
    a scan of the whole page: the same findings, the same occurrence of each, in the same order."""
    for data in chrome_pages(head, bodies, foot):
        assert file_findings("documents/a.html", data, allowed, TODAY) == whole_page_findings(data, allowed)


@settings(max_examples=300, deadline=None)
@given(first=LINES, second=LINES)
def test_a_line_break_after_closed_markup_cuts_the_visible_text(first: str, second: str) -> None:
    """`markup_closed`: what the cut at a line break relies on."""
    from gongkai.rules.published_text import markup_closed, strip_comments, visible_markup

    first, second = strip_comments(first), strip_comments(second)
    if markup_closed(first):
        assert visible_markup(first + "\n" + second) == visible_markup(first) + "\n" + visible_markup(second)


CHROME_HEAD = ('<header class="masthead">\n  <div class="wrap">\n    <p class="brand"><a href="index.html">'
               '<span class="emblem">公开</span>某镇<small>政务公开</small></a></p>\n  </div>\n'
               '  <nav class="nav">\n    <ul class="wrap">\n      <li><a href="documents.html">文件</a></li>\n'
               '    </ul>\n  </nav>\n</header>')
CHROME_FOOT = '<footer class="footer">\n  <div class="wrap">\n    <p><strong>某镇</strong></p>\n{}\n  </div>\n</footer>'


@pytest.mark.parametrize("planted", [
    f"    <p>值班手机：{MOBILE}</p>",  # a line of its own: a passage with exactly 11 digits
    f"    <p>值班手机：{MOBILE}　地址：某路 12 号</p>",
    "    <p>值班手机：138\n1234\n5678</p>",  # split across line breaks
    "    <p>值班手机：138\n  1234-\n5678</p>",
    "    <p>值班手机：138 -\n1234\n5678</p>",
    "    <p>值班手机：138\n<b>1234</b>\n5678</p>",
    "    <p>值班手机：１３８\u200b1234\ufeff56\u00ad78</p>",
    "    <p>值班手机：&#49;38\n&#x31;234 5678</p>",
    "    <p>值班手机：<span\n class=\"n\">138</span>12345678</p>",
])
def test_a_number_planted_in_shared_chrome_or_one_page_is_found(planted: str) -> None:
    """Planted in the footer every page shares, the number is found on every page, however many
    pages were read before; planted in one page's body, on that page only."""
    bodies = [f"<article>\n  <h1>通知{i}</h1>\n  <p>正文第 {i} 段。</p>\n</article>" for i in range(4)]
    shared = chrome_pages(CHROME_HEAD, bodies, CHROME_FOOT.format(planted))
    for data in shared * 2:  # the second time round every piece is known
        assert [f.masked for f in file_findings("documents/a.html", data, frozenset(), TODAY)] == ["138****5678"]
        assert file_findings("documents/a.html", data, frozenset(), TODAY) == whole_page_findings(data)
    alone = chrome_pages(CHROME_HEAD, [*bodies[:2], f"<article>\n{planted}\n</article>", *bodies[2:]],
                         CHROME_FOOT.format("    <p>电话：0771-1234567</p>"))
    for _ in range(2):
        assert [bool(file_findings("documents/a.html", data, frozenset(), TODAY)) for data in alone] == [False, False, True, False, False]
    assert file_findings("documents/a.html", alone[2], frozenset(), TODAY) == whole_page_findings(alone[2])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(['"', "\\", "\n", "a", "1", "中", "\t"]), max_size=80))
def test_the_string_literal_pattern_finds_what_the_per_character_one_did(text: str) -> None:
    from gongkai.published_scan import _JS_STRING

    assert _JS_STRING.findall(text) == re.findall(r'"(?:[^"\\\n]|\\.)*"', text)
