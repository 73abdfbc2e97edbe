"""The last look before publishing: every page, feed, print, data and search file the build made
is scanned; a number the per-field rules missed fails the build, site/ stays as it was, and the
message names the output file and its source."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitekit import VILLAGE_YAML, doc, make_site

from gongkai.build import BuildOptions, build
from gongkai.published_scan import file_findings
from gongkai.rules.published_text import join_digit_groups, visible_text

REPO = Path(__file__).resolve().parent.parent
TODAY_BUILD = {"today": __import__("datetime").date(2026, 11, 26), "jobs": 1, "project": REPO}
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
        ("data/documents.csv", "id,title\na,联系电话13812345678\n", True),
        ("data/documents.json", '{"title": "通知", "created": "2026-03-02", "n": 13812345678}', False),
        ("sitemap.xml", "<url><loc>https://x/documents/2026-03-02.html</loc><lastmod>2026-03-02</lastmod></url>", False),
    ],
)
def test_every_kind_of_output(rel: str, data: str, found: bool) -> None:
    assert bool(file_findings(rel, data.encode())) is found


def test_allowed_numbers_are_left_out() -> None:
    assert file_findings("a.html", f"<p>{MOBILE}</p>".encode(), frozenset({MOBILE})) == []
    assert [f.masked for f in file_findings("a.html", f"<p>{MOBILE} 13912345678</p>".encode(), frozenset({MOBILE}))] == [
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


def _line_by_line(rel: str, data: bytes) -> list:
    """`file_findings` as it was first written: every line of every passage scanned."""
    from gongkai.published_scan import _digits, _texts
    from gongkai.rules.privacy import scan_text

    found: dict = {}
    for text in _texts(rel, data):
        for line in (*text.split("\n"), *join_digit_groups(text).split("\n")):
            for finding in scan_text(line):
                found.setdefault((finding.kind, _digits(finding.found)), finding)
    return list(found.values())


PIECES = st.sampled_from([
    MOBILE, "138 1234 5678", "１３８１２３４５６７８", "138<b>1234</b>5678", "&#49;3812345678", "+86 138-1234-5678",
    "450324199001011230", "6222021234567890128", "6222 0212 3456 7890 128", "13812345678元", "2026-11-26", "12",
    "\n", "\n\n", " ", "-", "<p>", "</p>", "<td>", "<!-- x -->", "\u200b", "①", "𝟏", "公告", "，", "\u2029", '"', "\\u0031",
    "e\u0301", "\u0308",
])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PIECES, max_size=60), long=st.booleans(), suffix=st.sampled_from([".html", ".js", ".xml", ".csv"]))
def test_file_findings_equal_a_line_by_line_scan(parts: list[str], long: bool, suffix: str) -> None:
    """Only lines with a run of 11 digits are scanned, long texts are normalised line by line:
    the findings (and which occurrence of a number is reported) are those of scanning every line."""
    text = "".join(parts) + ("公开" * 1200 + "\n" if long else "")  # past the length normalised line by line
    if suffix == ".js":
        text = "x(" + ",".join('"' + p.replace('"', "") + '"' for p in text.split("\n")) + ")"
    data = text.encode("utf-8")
    assert file_findings(f"a{suffix}", data) == _line_by_line(f"a{suffix}", data)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(["\n", "a", "e", "\u0301", "\u0308", "\u1100", "\u1161", "\uac00", "\u11a8",
                                               "１", "①", "\u200b", "\u200d", "中", "，", "ﬁ", "㍘", "\u2028"]), max_size=3000))
def test_long_texts_normalise_line_by_line_as_a_whole(text: str) -> None:
    from gongkai.rules.published_text import _format_chars, _nfkc_chars

    expected = unicodedata.normalize("NFKC", text)
    for char in _format_chars():
        expected = expected.replace(char, "")
    assert _nfkc_chars(text) == expected
    assert _nfkc_chars("\n".join([text] * 3)) == "\n".join([expected] * 3)
