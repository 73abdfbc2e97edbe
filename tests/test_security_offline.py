"""No external requests: the build never opens a network connection, and no page of the example
site loads anything from another host (scripts, styles, images, fonts, frames)."""

from __future__ import annotations

import re
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitekit import TODAY

from gongkai.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
LOADS = {  # elements a browser fetches without a click
    "script": "src", "img": "src", "iframe": "src", "frame": "src", "embed": "src", "source": "src",
    "video": "src", "audio": "src", "track": "src", "input": "src", "object": "data",
}
FETCHED_LINK_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon",
                     "dns-prefetch", "preconnect"}


class Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in LOADS and a.get(LOADS[tag]):
            self.urls.append(a[LOADS[tag]] or "")
        if tag == "link" and set((a.get("rel") or "").lower().split()) & FETCHED_LINK_RELS:
            self.urls.append(a.get("href") or "")
        if a.get("style"):
            self.styles.append(a["style"] or "")
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.styles.append(data)


def is_external(url: str) -> bool:
    url = re.sub(r"[\x00-\x20]", "", url).replace("\\", "/")
    return url.startswith("//") or bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", url)) and not url.startswith("data:")


CSS_EXTERNAL = re.compile(r"(?:url\(\s*['\"]?\s*(?:[a-z]+:|//)|@import)", re.IGNORECASE)


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example town built with a base URL while every socket is refused."""
    real = socket.socket

    class NoNetwork(real):  # type: ignore[misc,valid-type]
        def connect(self, *args: object) -> None:
            raise AssertionError(f"the build opened a network connection to {args}")

        connect_ex = connect  # type: ignore[assignment]

    def no_dns(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the build looked up a host name: {args}")

    mp = pytest.MonkeyPatch()
    mp.setattr(socket, "socket", NoNetwork)
    mp.setattr(socket, "create_connection", no_dns)
    mp.setattr(socket, "getaddrinfo", no_dns)
    try:
        out = tmp_path_factory.mktemp("offline") / "site"
        result = build(BuildOptions(content=REPO / "content", output=out, templates=REPO / "templates", today=TODAY,
                                    jobs=1, project=REPO, base_url="https://ys.example.gov.cn/gk/"))
    finally:
        mp.undo()
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return out


def test_build_needs_no_network(offline_site: Path) -> None:
    assert (offline_site / "index.html").is_file()


def test_no_page_loads_anything_from_another_host(offline_site: Path) -> None:
    external: list[str] = []
    for page in offline_site.rglob("*.html"):
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        external += [f"{page.relative_to(offline_site)}: {u}" for u in parser.urls if is_external(u)]
        external += [f"{page.relative_to(offline_site)}: style {s[:80]}" for s in parser.styles if CSS_EXTERNAL.search(s)]
    for css in offline_site.rglob("*.css"):
        if CSS_EXTERNAL.search(css.read_text(encoding="utf-8")):
            external.append(f"{css.relative_to(offline_site)} imports or loads a URL")
    assert external == []


def test_scripts_make_no_requests_to_other_hosts(offline_site: Path) -> None:
    """Our own JavaScript (and the search index) contains no absolute http(s) URL it could fetch."""
    for js in offline_site.rglob("*.js"):
        text = js.read_text(encoding="utf-8")
        assert not re.search(r"\b(?:fetch|XMLHttpRequest|importScripts|sendBeacon|WebSocket)\s*\(", text), js
