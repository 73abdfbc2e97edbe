"""What a web host and a browser ask of the site beyond its pages: a 404 page that works when
the host serves it for a missing address at any depth under a sub-path (self-contained, links
from the site root), an icon at /favicon.ico and linked from every page, a meta description
from each page's summary, and a sitemap of every public page (open data included)."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import struct
import threading
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote
from urllib.request import urlopen

import pytest

REPO = Path(__file__).resolve().parent.parent

BASE = "https://gov.example.cn/yongsui/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("a", "link") and a.get("href"):
            self.refs.append((tag, a["href"]))
        if tag in ("script", "img") and a.get("src"):
            self.refs.append((tag, a["src"]))
        if tag == "form":
            self.refs.append((tag, a.get("action", "")))
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")


def parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


class _NginxLike(http.server.SimpleHTTPRequestHandler):
    """Serves a parent folder; a missing file gets the site's 404.html (as `error_page 404
    /yongsui/404.html` does), with status 404 and the missing address kept."""

    site_prefix = "/yongsui/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / self.site_prefix.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site under http://127.0.0.1:<port>/yongsui/ (a sub-path, like a county portal),
    built without its `base_url`: the 404 page must find the site root from the address alone."""
    from gongkai.build import BuildOptions, build

    work = tmp_path_factory.mktemp("hosted")
    content = work / "content"
    shutil.copytree(REPO / "content", content)
    site_yaml = content / "site.yaml"
    lines = site_yaml.read_text(encoding="utf-8").splitlines(keepends=True)
    site_yaml.write_text("".join(line for line in lines if not line.startswith("base_url:")), encoding="utf-8")
    parent = work / "host"
    result = build(BuildOptions(content=content, output=parent / "yongsui", templates=REPO / "templates",
                                today=date(2026, 11, 26), jobs=1, project=REPO))
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_NginxLike, directory=str(parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/yongsui/"
    server.shutdown()
    server.server_close()


def status(url: str) -> int:
    try:
        with urlopen(url) as response:
            return int(response.status)
    except HTTPError as err:
        return err.code


@pytest.mark.parametrize("missing", ["nothing.html", "documents/2099/gone.html", "items/a/b/c/deep.html",
                                     "villages/%E4%B8%8D%E5%AD%98%E5%9C%A8.html", "no-such-folder/"])
def test_404_from_any_depth_under_a_sub_path_is_styled_and_every_link_works(page, hosted: str, missing: str) -> None:  # type: ignore[no-untyped-def]
    url = hosted + missing
    assert status(url) == 404
    page.goto(url, wait_until="networkidle")  # an unknown folder: the root is looked up first
    assert page.locator("h1").inner_text() == "页面不存在"
    # the inline style applied: the red masthead, not an unstyled page
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(179, 18, 27)"
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert len(hrefs) >= 10
    broken = [h for h in hrefs if status(h) != 200]
    assert not broken, f"broken links on the 404 page for {missing}: {broken}"
    assert all(h.startswith(hosted) for h in hrefs)
    # no request of the page itself failed (icon inline, no stylesheet to fetch)
    assert page.evaluate("[...document.querySelectorAll('link[rel=stylesheet], script[src]')].length") == 0
    page.fill("#q404", "低保")
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"/yongsui/search\.html\?q="))
    page.wait_for_selector("#search-results li")
    assert page.js_errors == []


def test_404_with_a_base_url_links_from_it_without_guessing_the_root(built) -> None:  # type: ignore[no-untyped-def]
    site, result = built(base_url=BASE)
    assert result.ok
    text = (site / "404.html").read_text(encoding="utf-8")
    assert f'<base href="{BASE}">' in text and "location.pathname" not in text
    assert 'rel="stylesheet"' not in text and "<style>" in text
    hrefs = [h for tag, h in parse(site / "404.html").refs if tag == "a"]
    assert "index.html" in hrefs and all(not h.startswith(("../", "/")) for h in hrefs)
    assert all((site / h).is_file() for h in hrefs)


def test_404_with_a_base_url_opened_from_a_folder_links_to_the_local_files(page, built) -> None:  # type: ignore[no-untyped-def]
    site, result = built(base_url=BASE)
    assert result.ok
    page.goto((site / "404.html").resolve().as_uri())
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert hrefs and all(h.startswith(site.resolve().as_uri() + "/") for h in hrefs), hrefs[:3]


def test_favicon_is_made_by_the_build_and_linked_from_every_page(example_site: Path) -> None:
    ico = (example_site / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    width, height, *_, size, offset = struct.unpack("<BBBBHHII", ico[6:22])
    assert (width, height) == (32, 32) and ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size == len(ico)
    assert (example_site / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    pages = [p for p in example_site.rglob("*.html") if p.relative_to(example_site).parts[0] != "print"
             and p.name != "404.html"]
    for path in pages:
        icons = [h for tag, h in parse(path).refs if tag == "link" and "favicon" in h]
        assert icons, f"{path}: no icon link"
        assert all((path.parent / h).resolve().is_file() for h in icons), f"{path}: icon link broken {icons}"


def test_icon_shows_in_the_browser_tab(page, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((example_site / "villages" / "index.html").resolve().as_uri())
    size = page.evaluate("""async () => { const img = new Image();
        img.src = document.querySelector('link[rel=icon]').href; await img.decode();
        return [img.naturalWidth, img.naturalHeight]; }""")
    assert size == [32, 32]


def test_every_page_has_a_meta_description_from_its_summary(example_site: Path) -> None:
    pages = [p for p in example_site.rglob("*.html") if p.relative_to(example_site).parts[0] != "print"]
    seen: dict[str, str] = {}
    for path in pages:
        description = parse(path).meta.get("description", "")
        assert 10 <= len(description) <= 120, f"{path}: description {description!r}"
        seen[str(path.relative_to(example_site))] = description
    doc = example_site / "documents" / "2024" / "gaoling-jintie-shenling-fafang-banfa.html"
    assert seen[str(doc.relative_to(example_site))] == "永政发〔2024〕12号 户籍在本镇、年满80周岁的老年人可申领高龄津贴，按季度发放，每季度公开发放名单。"
    # pages of one kind are told apart by their descriptions, not given one boilerplate line
    documents = [v for k, v in seen.items() if k.startswith("documents/")]
    assert len(set(documents)) == len(documents)
    villages = [v for k, v in seen.items() if k.startswith("villages/") and k != "villages/index.html"]
    assert len(set(villages)) == len(villages)


def test_an_on_request_document_describes_itself_without_its_body(built) -> None:  # type: ignore[no-untyped-def]
    from sitekit import doc

    secret = "张三身份证号码四五零三"
    site, result = built({"documents/2026/req.md": doc("低保审批内部意见", attribute="依申请公开", reason="涉及个人信息", body=secret)})
    assert result.ok, [d.text() for d in result.diagnostics.items]
    description = parse(site / "documents/2026/req.html").meta["description"]
    assert description == "低保审批内部意见（此件可依申请公开）"
    assert secret not in (site / "documents/2026/req.html").read_text(encoding="utf-8")


def test_sitemap_lists_every_public_page_and_nothing_else(built) -> None:  # type: ignore[no-untyped-def]
    site, result = built(base_url=BASE)
    assert result.ok
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    pages = {BASE + p.relative_to(site).as_posix() for p in site.rglob("*.html")
             if p.relative_to(site).parts[0] != "print" and p.name != "404.html"}
    assert BASE + "data/index.html" in locs
    assert {unquote(loc) for loc in locs} == pages and len(locs) == len(set(locs))


def test_404_keeps_the_reading_settings(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script("localStorage.setItem('gongkai-font', '2'); localStorage.setItem('gongkai-contrast', 'high')")
    pg = context.new_page()
    pg.goto((example_site / "404.html").resolve().as_uri())
    style = pg.evaluate("[getComputedStyle(document.body).fontSize, getComputedStyle(document.body).backgroundColor]")
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert style == ["26px", "rgb(0, 0, 0)"] and overflow <= 0
