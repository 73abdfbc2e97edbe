"""After a preview, `gongkai serve` lets the open tabs reload and show it before the full build
takes the cores (`LiveState.wait_for_tabs`, at most `app.TABS_GRACE`): each tab's reload
script opens its event stream for the version its page shows, and the server ends that stream
once it has told the tab to reload, so the streams count the tabs."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitekit import doc
from test_serve import DOC, Served, Tab, serving

from gongkai.build import BuildOptions, BuildResult
from gongkai.diagnostics import Diagnostics
from gongkai.serve.preview import PreviewReport
from gongkai.serve.state import LiveState


class ShowingPreviewer:
    def preview(self, options: BuildOptions, changes: list) -> PreviewReport:  # type: ignore[type-arg]
        return PreviewReport("shown", pages=("documents/2026/dibao.html",), seconds=0.01)


def state() -> LiveState:
    def builder(options: BuildOptions, progress: object = None) -> BuildResult:
        return BuildResult(True, Diagnostics(), pages=1)

    live = LiveState(BuildOptions(content=Path("content"), output=Path("site")), builder, ShowingPreviewer())  # type: ignore[arg-type]
    live.rebuild()
    return live


def test_without_tabs_nothing_is_awaited() -> None:
    live = state()
    live.preview(["x"])  # type: ignore[list-item]
    assert live.wait_for_tabs(30.0) is True and live.snapshot.tabs_back is True


def test_the_full_build_waits_for_every_open_tab_to_come_back_on_the_new_version() -> None:
    live = state()
    shown = live.snapshot.version
    live.stream_opened(shown)
    live.stream_opened(shown)  # two tabs
    live.preview(["x"])  # type: ignore[list-item]
    new = live.snapshot.version
    live.stream_closed()
    live.stream_closed()  # both told to reload
    live.stream_opened(shown)  # a page of the old version does not count
    live.stream_opened(new)  # one tab back
    assert live.wait_for_tabs(0.05) is False and live.snapshot.tabs_back is False  # the other never came

    live.stream_closed()
    live.stream_closed()
    live.stream_opened(new)
    live.stream_opened(new)  # two tabs on the current version
    live.preview(["x"])  # type: ignore[list-item]
    newer = live.snapshot.version

    def come_back() -> None:
        live.stream_opened(newer)
        live.stream_opened(newer)

    threading.Timer(0.05, come_back).start()
    assert live.wait_for_tabs(60.0) is True and live.snapshot.tabs_back is True
    assert live.wait_for_tabs(0.0) is True  # nothing awaited until the next preview


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    yield from serving(tmp_path)


def test_a_tab_that_reloads_is_waited_for_and_one_that_hangs_is_not(serve: Callable[..., Served]) -> None:
    s = serve()
    hung = None
    try:
        tab = Tab(s)
        assert tab.next()["build"] == 1
        s.save(DOC, doc(title="标签页先显示的标题"))
        assert tab.next()["preview"] is True  # … and the tab has opened its stream for it at once
        built = s.wait_status(lambda st: st["build"] == 2 and not st["building"])
        assert built["tabs_back"] is True
        assert tab.next()["build"] == 2  # the full build: the tab reloads again (its old stream ends)
        s.save(DOC, doc(title="标签页再次先显示的标题"))
        assert tab.next()["preview"] is True
        built = s.wait_status(lambda st: st["build"] == 3 and not st["building"])
        assert built["tabs_back"] is True  # one tab, one stream: not one per reload
        tab.close()

        host_port = s.url.split("//", 1)[1].rstrip("/")
        hung = http.client.HTTPConnection(host_port, timeout=15)  # told to reload, but never does
        hung.request("GET", f"/_gongkai/events?v={built['version']}")
        assert hung.getresponse().status == 200
        s.save(DOC, doc(title="这个标签页没有刷新"))
        built = s.wait_status(lambda st: st["build"] == 4 and not st["building"])
        assert built["tabs_back"] is False  # the build began after the grace all the same
        assert "这个标签页没有刷新" in s.get("/documents/2026/dibao.html")[1]
    finally:
        if hung is not None:
            hung.close()
