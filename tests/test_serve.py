"""`gongkai serve`, driven for real: a subprocess on a free port, edits on disk, HTTP to observe.

The pure parts (which events matter, debouncing, injection, path resolution) are table-tested
first; then the server is started with a tiny content tree and edited the way editors save
(write a temp file, rename it over the original).
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path, PurePath

import pytest
from sitekit import doc, make_site

from gongkai.diagnostics import error
from gongkai.serve.changes import Change, Coalescer, Roots, classify
from gongkai.serve.http import inject, overlay_html, resolve
from gongkai.serve.state import Snapshot

ROOTS = Roots(PurePath("/p/content"), PurePath("/p/templates"))
DOC = "documents/2026/dibao.md"


# ---------------------------------------------------------------------------------------------
# Pure parts


@pytest.mark.parametrize(
    ("event", "src", "dest", "is_dir", "expected"),
    [
        ("modified", "/p/content/documents/2026/a.md", None, False, ["/p/content/documents/2026/a.md"]),
        ("created", "/p/content/villages/x.yaml", None, False, ["/p/content/villages/x.yaml"]),
        ("deleted", "/p/content/documents/2026/a.md", None, False, ["/p/content/documents/2026/a.md"]),
        ("closed", "/p/templates/base.html", None, False, ["/p/templates/base.html"]),
        ("opened", "/p/content/documents/2026/a.md", None, False, []),
        ("closed_no_write", "/p/content/documents/2026/a.md", None, False, []),
        ("modified", "/p/content/documents/2026", None, True, []),  # folder mtime: noise
        ("deleted", "/p/content/documents/2026", None, True, ["/p/content/documents/2026"]),
        # editors' temp files and droppings
        ("created", "/p/content/documents/2026/.a.md.swp", None, False, []),
        ("modified", "/p/content/documents/2026/a.md~", None, False, []),
        ("created", "/p/content/documents/2026/4913", None, False, []),
        ("created", "/p/content/documents/2026/.#a.md", None, False, []),
        ("created", "/p/content/documents/2026/.goutputstream-XYZ12", None, False, []),
        ("modified", "/p/content/.git/index", None, False, []),
        # save by rename: only the destination is real content
        ("moved", "/p/content/documents/2026/.goutputstream-AB", "/p/content/documents/2026/a.md", False,
         ["/p/content/documents/2026/a.md"]),
        ("moved", "/p/content/documents/2026/a.md~", "/p/content/documents/2026/a.md", False,
         ["/p/content/documents/2026/a.md"]),
        # a real rename: both ends change the site
        ("moved", "/p/content/documents/2026/a.md", "/p/content/documents/2026/b.md", False,
         ["/p/content/documents/2026/a.md", "/p/content/documents/2026/b.md"]),
        # moved out of the tree (to a trash folder): the source counts
        ("moved", "/p/content/documents/2026/a.md", "/home/u/.Trash/a.md", False, ["/p/content/documents/2026/a.md"]),
        ("modified", "/p/site/index.html", None, False, []),  # outside both roots
    ],
)
def test_classify(event: str, src: str, dest: str | None, is_dir: bool, expected: list[str]) -> None:
    assert [c.path for c in classify(event, src, dest, is_dir, ROOTS)] == expected


def test_classify_kinds_and_no_templates_root() -> None:
    assert classify("modified", "/p/templates/base.html", None, False, ROOTS) == [Change("templates", "/p/templates/base.html")]
    roots = Roots(PurePath("/p/content"))
    assert classify("modified", "/p/templates/base.html", None, False, roots) == []


def test_coalescer_waits_for_quiet_and_caps_the_wait() -> None:
    c = Coalescer(quiet=0.2, max_wait=1.0)
    assert c.delay(0.0) is None
    a, b = Change("content", "a"), Change("content", "b")
    c.add([a], now=10.0)
    assert c.delay(10.1) == pytest.approx(0.1)
    c.add([b, a], now=10.15)  # a burst extends the wait …
    assert c.delay(10.3) == pytest.approx(0.05)
    for t in (10.3, 10.5, 10.7, 10.9):  # … but never past max_wait after the first change
        c.add([a], now=t)
    assert c.delay(11.0) == pytest.approx(0.0)
    assert c.take() == [a, b]  # coalesced, deduplicated, sorted
    assert c.delay(11.0) is None
    c.add([], now=12.0)
    assert c.delay(12.0) is None


def _snap(ok: bool, errors: tuple = ()) -> Snapshot:  # type: ignore[type-arg]
    return Snapshot(version="s-3", build=2, ok=ok, errors=errors)


def test_inject_adds_script_before_body_end_and_overlay_only_on_failure() -> None:
    page = b"<html><body><p>x</p></body></html>"
    good = inject(page, _snap(True), has_site=True)
    assert good.startswith(b"<html><body><p>x</p><script>") and good.endswith(b"</script></body></html>")
    assert b'"s-3"' in good and b"/_gongkai/events" in good and b"gongkai-overlay" not in good
    bad = inject(page, _snap(False, (error("content/a.md", 3, 7, "坏<b>值</b>", "改成 <i>x</i>"),)), True)
    text = bad.decode()
    assert 'id="gongkai-overlay"' in text
    assert "content/a.md:3:7</code> 坏&lt;b&gt;值&lt;/b&gt;（改成 &lt;i&gt;x&lt;/i&gt;）" in text
    assert "<b>值" not in text
    assert inject(b"no body tag", _snap(True), True).startswith(b"no body tag<script>")


def test_overlay_lists_every_error_up_to_a_limit() -> None:
    errors = tuple(error(f"content/d{i}.md", i + 1, 1, f"问题{i}") for i in range(205))
    html = overlay_html(_snap(False, errors), has_site=False)
    assert "内容有 205 个错误" in html and "content/d199.md:200:1" in html
    assert "content/d200.md" not in html and "还有 5 个错误" in html and "还没有成功生成过网站" in html


def test_resolve_stays_inside_the_build(tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "index.html").write_text("i")
    (tmp_path / "documents" / "index.html").write_text("d")
    (tmp_path / "documents" / "预算.html").write_text("y")
    (tmp_path.parent / "secret.txt").write_text("s")
    assert resolve(tmp_path, "/") == tmp_path / "index.html"
    assert resolve(tmp_path, "/documents/") == tmp_path / "documents" / "index.html"
    assert resolve(tmp_path, "/documents/%E9%A2%84%E7%AE%97.html") == tmp_path / "documents" / "预算.html"
    assert resolve(tmp_path, "/../secret.txt") is None
    assert resolve(tmp_path, "/%2e%2e/secret.txt") is None
    assert resolve(tmp_path, "/missing.html") is None


# ---------------------------------------------------------------------------------------------
# The real server


class Served:
    def __init__(self, root: Path, proc: subprocess.Popen[str], url: str, lines: queue.Queue[str]):
        self.root, self.proc, self.url, self.lines = root, proc, url, lines
        self.content = root / "content"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as resp:
                return resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def status(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.get("/_gongkai/status")[1])

    def save(self, rel: str, text: str) -> None:
        """Save like an editor: write a temp file next to it, then rename it over the original."""
        target = self.content / rel
        tmp = target.with_name(f".{target.name}.tmp-save")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)

    def wait_status(self, pred, timeout: float = 15.0) -> dict:  # type: ignore[no-untyped-def, type-arg]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.status()
            if pred(st):
                return st
            time.sleep(0.05)
        raise AssertionError(f"timed out; last status {st}")

    def wait_page(self, path: str, needle: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code, body = self.get(path)
            if needle in body:
                return body
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared in {path} (last status {code})")


def _reader(stream, out: queue.Queue[str]) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        out.put(line)


def serving(tmp_path: Path) -> Iterator[callable]:  # type: ignore[valid-type]
    """The `serve` fixture: start `gongkai serve` on a content tree in tmp_path, stop it after."""
    procs: list[subprocess.Popen[str]] = []

    def start(extra: dict | None = None, *args: str, env: dict[str, str] | None = None) -> Served:  # type: ignore[type-arg]
        make_site(tmp_path, extra)
        (tmp_path / "tmp").mkdir(exist_ok=True)
        env = {**os.environ, "GONGKAI_NO_FSYNC": "1", "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp_path / "tmp"), **(env or {})}
        proc = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--port", "0", "--today", "2026-11-26", "-j", "1",
             "--debounce", "100", *args],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
        )
        procs.append(proc)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if proc.poll() is not None:
                    break
                continue
            seen.append(line)
            if line.startswith("预览地址："):
                return Served(tmp_path, proc, line.split("：", 1)[1].strip(), lines)
        raise AssertionError("serve did not start:\n" + "".join(seen))

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[callable]:  # type: ignore[valid-type]
    yield from serving(tmp_path)


class Tab:
    """Listens to the server's events as a tab's reload script does: a stream opened for the
    version the page shows (`?v=`), which the server ends once it has told the tab to reload;
    the tab then opens a new one for the new version (here at once, as a reloaded page would)."""

    def __init__(self, served: Served):
        self.host_port = served.url.split("//", 1)[1].rstrip("/")
        self.conn: http.client.HTTPConnection | None = None
        self.resp: http.client.HTTPResponse | None = None
        self.shows: str | None = None  # the version of the page the tab shows
        self.connect(None)

    def connect(self, version: str | None) -> None:
        self.close()
        self.conn = http.client.HTTPConnection(self.host_port, timeout=15)
        self.conn.request("GET", "/_gongkai/events" + ("" if version is None else f"?v={version}"))
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200 and self.resp.getheader("Content-Type").startswith("text/event-stream")

    def next(self) -> dict:  # type: ignore[type-arg]
        """The next event; when it is a new version, the stream it came on ends and the tab
        'reloads': a stream for that version is opened."""
        assert self.resp is not None
        while True:
            line = self.resp.fp.readline().decode("utf-8")
            assert line, "event stream closed"
            if line.startswith("data: "):
                event = json.loads(line[6:])
                if self.shows is None:  # the first event: what the tab was opened on
                    self.shows = event["version"]
                    return event  # type: ignore[no-any-return]
                if event["version"] == self.shows:  # a new stream's first event: nothing new
                    continue
                self.shows = event["version"]
                self.connect(self.shows)
                return event  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _events(served: Served) -> Tab:
    return Tab(served)


def _next_event(tab: Tab) -> dict:  # type: ignore[type-arg]
    return tab.next()


def test_serves_rebuilds_on_save_and_announces_the_build(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    assert s.url.startswith("http://127.0.0.1:")
    code, page = s.get("/documents/2026/dibao.html")
    assert code == 200 and "关于做好低保工作的通知" in page
    assert "/_gongkai/events" in page and "gongkai-overlay" not in page
    # the built files themselves carry no dev-server script
    assert s.status()["build"] == 1 and s.status()["ok"] is True
    tab = _events(s)
    try:
        first = _next_event(tab)
        assert first["build"] == 1 and first["ok"] is True
        s.save(DOC, doc(title="关于做好2026年低保工作的补充通知"))
        s.wait_page("/documents/2026/dibao.html", "补充通知")
        previewed = _next_event(tab)  # the document's page first (test_serve_preview.py) …
        assert previewed["build"] == 1 and previewed["preview"] is True and previewed["building"] is True
        announced = _next_event(tab)  # … then the whole site
        assert announced["build"] == 2 and announced["ok"] is True and announced["version"] != first["version"]
        assert announced["building"] is False
    finally:
        tab.close()
    code, _ = s.get("/no/such/page.html")
    assert code == 404
    assert s.proc.poll() is None


def test_invalid_content_shows_overlay_keeps_last_good_build_and_recovers(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    s.save(DOC, "---\ntitle: [未闭合\nattribute: 主动公开\n---\n正文\n")
    st = s.wait_status(lambda st: not st["ok"])
    assert st["build"] == 1 and st["error_count"] >= 1
    code, page = s.get("/documents/2026/dibao.html")
    assert code == 200 and "关于做好低保工作的通知" in page  # the last good build is still served
    assert 'id="gongkai-overlay"' in page
    assert "content/documents/2026/dibao.md:2:" in page  # file:line:col of the YAML error
    # every error, HTML-escaped
    s.save(DOC, doc(created="<b>2026-13-45</b>"))
    s.wait_status(lambda st: not st["ok"] and "<b>" in json.dumps(st["errors"], ensure_ascii=False))
    page = s.get("/documents/2026/dibao.html")[1]
    assert "&lt;b&gt;2026-13-45&lt;/b&gt;" in page and "<b>2026-13-45</b>" not in page
    assert page.count("content/documents/2026/dibao.md:") >= 1
    # fixed: the overlay disappears and the new content is served
    s.save(DOC, doc(title="恢复后的通知"))
    st = s.wait_status(lambda st: st["ok"] and st["build"] == 2)
    assert st["errors"] == []
    page = s.wait_page("/documents/2026/dibao.html", "恢复后的通知")
    assert "gongkai-overlay" not in page
    assert s.proc.poll() is None


def test_first_build_failing_still_serves_the_errors(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve({"villages/mudao.yaml": "name: 慕道村\ncommittee: [\n"})
    code, page = s.get("/")
    assert code == 503 and 'id="gongkai-overlay"' in page and "content/villages/mudao.yaml:" in page
    assert "还没有成功生成过网站" in page
    s.save("villages/mudao.yaml", "name: 慕道村\ncommittee: 慕道村村民委员会\n")
    s.wait_status(lambda st: st["ok"] and st["build"] == 1)
    assert s.get("/")[0] == 200


def test_editor_junk_is_ignored_and_deletes_and_renames_rebuild(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve({"documents/2026/other.md": doc(title="另一份通知")})
    folder = s.content / "documents" / "2026"
    for junk in (".dibao.md.swp", "dibao.md~", "4913", ".#dibao.md"):
        (folder / junk).write_text("垃圾: [", encoding="utf-8")
    time.sleep(0.8)
    st = s.status()
    assert st["build"] == 1 and st["ok"] is True  # no rebuild was triggered, nothing broke
    for junk in (".dibao.md.swp", "dibao.md~", "4913", ".#dibao.md"):
        (folder / junk).unlink()
    os.replace(folder / "other.md", folder / "renamed.md")
    s.wait_page("/documents/2026/renamed.html", "另一份通知")
    assert s.get("/documents/2026/other.html")[0] == 404
    (folder / "renamed.md").unlink()
    s.wait_status(lambda st: st["build"] >= 3)
    deadline = time.monotonic() + 10
    while s.get("/documents/2026/renamed.html")[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert s.get("/documents/2026/renamed.html")[0] == 404


def test_burst_of_saves_is_coalesced_into_one_rebuild(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    for i in range(5):  # five saves within 50 ms: one rebuild
        s.save(f"documents/2026/burst-{i}.md", doc(title=f"连续保存的通知{i}"))
        time.sleep(0.01)
    s.wait_page("/documents/2026/burst-4.html", "连续保存的通知4")
    time.sleep(0.5)
    assert s.status()["build"] == 2


def test_template_change_rebuilds(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gongkai.render.env import BUILTIN_TEMPLATES

    (tmp_path / "templates").mkdir()
    s = serve()
    base = (BUILTIN_TEMPLATES / "base.html").read_text(encoding="utf-8")
    target = tmp_path / "templates" / "base.html"
    target.write_text(base.replace("</body>", "<p>自定义页脚标记</p></body>"), encoding="utf-8")
    s.wait_page("/index.html", "自定义页脚标记")
    time.sleep(0.4)  # the swap is visible a moment before the state records the build
    assert s.status()["build"] == 2  # one rebuild for create + write + close


def test_port_in_use_is_a_clear_error(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    port = s.url.rsplit(":", 1)[1].strip("/")
    proc = subprocess.run(
        [sys.executable, "-m", "gongkai", "serve", "--port", port, "--today", "2026-11-26"],
        cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False,
    )
    assert proc.returncode == 1
    assert f"无法使用端口 {port}" in proc.stderr and "Traceback" not in proc.stderr
    assert s.proc.poll() is None


def test_stops_cleanly_and_removes_its_temp_folder(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    workdirs = list((tmp_path / "tmp").glob("gongkai-serve-*"))
    assert len(workdirs) == 1 and (workdirs[0] / "site" / "index.html").is_file()
    assert not (tmp_path / "site").exists()  # never the user's site/
    s.proc.terminate()
    assert s.proc.wait(timeout=10) == 0
    time.sleep(0.2)
    out = []
    while not s.lines.empty():
        out.append(s.lines.get())
    assert "预览已停止" in "".join(out)
    assert not workdirs[0].exists()


def test_a_crashing_build_is_reported_and_the_state_keeps_the_last_good_build(tmp_path: Path) -> None:
    from gongkai.build import BuildOptions, BuildResult
    from gongkai.diagnostics import Diagnostics
    from gongkai.serve.state import LiveState

    calls = []

    def flaky(options, progress):  # type: ignore[no-untyped-def]
        calls.append(progress)
        if len(calls) == 2:
            raise RuntimeError("模拟的程序错误")
        return BuildResult(True, Diagnostics(), pages=3)

    state = LiveState(BuildOptions(output=tmp_path / "site"), flaky)
    first, _ = state.rebuild()
    crashed, diags = state.rebuild()
    assert (first.ok, first.build) == (True, 1)
    assert (crashed.ok, crashed.build) == (False, 1) and crashed.version != first.version
    assert diags.errors[0].message == "内部错误：RuntimeError: 模拟的程序错误"
    again, _ = state.rebuild()
    assert (again.ok, again.build, again.errors) == (True, 2, ())


def _children(pid: int, module: str = "gongkai.serve.builder") -> list[int]:
    """Child processes of `pid` running `module`'s worker, whichever of its threads started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    mine = []
    for child in found:
        try:
            if module in Path(f"/proc/{child}/cmdline").read_text(errors="replace"):
                mine.append(child)
        except OSError:
            pass
    return sorted(mine)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the worker through /proc")
def test_build_worker_dying_does_not_stop_the_server(serve) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    workers = _children(s.proc.pid)
    assert len(workers) == 1  # builds run in one worker process, not in the server
    os.kill(workers[0], 9)
    s.save(DOC, doc(title="工作进程重启后的通知"))
    s.wait_page("/documents/2026/dibao.html", "工作进程重启后的通知")
    s.wait_status(lambda st: st["build"] == 2 and st["ok"])  # the full build too, in a new worker
    assert s.proc.poll() is None
    assert _children(s.proc.pid) and _children(s.proc.pid) != workers


@pytest.mark.browser
def test_open_tab_reloads_by_itself_and_shows_the_overlay(serve, page) -> None:  # type: ignore[no-untyped-def]
    s = serve()
    page.goto(s.url + "documents/2026/dibao.html")
    assert "关于做好低保工作的通知" in page.content()
    page.wait_for_function("document.readyState === 'complete'")
    time.sleep(0.3)  # let EventSource connect
    s.save(DOC, doc(title="浏览器自动刷新后的标题"))
    page.wait_for_function("(document.body ? document.body.innerText : '').includes('浏览器自动刷新后的标题')", timeout=15000)  # preview
    _settle(s, page, 2, "(document.body ? document.body.innerText : '').includes('浏览器自动刷新后的标题')")  # then the full build
    s.save(DOC, "---\ntitle: [未闭合\n---\n")
    _settle(s, page, 2, "!!document.getElementById('gongkai-overlay')")
    overlay = page.inner_text("#gongkai-overlay")
    assert "content/documents/2026/dibao.md:2:" in overlay
    assert "浏览器自动刷新后的标题" in page.inner_text("body")  # last good build underneath
    s.save(DOC, doc(title="修好之后的标题"))
    _settle(s, page, 3, "(document.body ? document.body.innerText : '').includes('修好之后的标题') && !document.getElementById('gongkai-overlay')")
    assert page.js_errors == []
    assert s.proc.poll() is None


def _settle(s: Served, page, build: int, script: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for full build number `build` and for the tab to have reloaded with it (no
    'building' note any more) showing what `script` checks; the tab reloads once for a preview
    and once more for the full build, so a check in between could race the second reload."""
    s.wait_status(lambda st: st["build"] == build and not st["building"])
    deadline = time.monotonic() + 15
    while True:
        try:
            done = page.evaluate(f"document.readyState === 'complete' && !document.getElementById('gongkai-building') && ({script})")
        except Exception:  # noqa: BLE001 — the page is navigating (reloading): ask again
            done = False
        if done:
            return
        assert time.monotonic() < deadline, page.content()[:2000]
        time.sleep(0.1)
