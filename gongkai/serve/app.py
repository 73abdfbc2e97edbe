"""The dev server: build into a temp folder, serve it, rebuild when content or templates change.

Threads, one job each: watchdog records changes (`watch.py`); the loop here debounces them and,
for each batch, stops a full build that the batch makes stale, asks the preview worker to show
edited documents at once (`preview.py`), lets the open tabs reload and show them (at most
`TABS_GRACE`), then starts the full build on the build thread; the
HTTP server (`http.py`) serves whatever the site folder holds. Two worker processes do the
work: the build worker (`builder.py`, cancelled by ending it) and the preview worker. A failed
build changes only the errors shown, never the files served.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..build import BuildOptions, Progress
from ..diagnostics import Diagnostics
from .builder import BuildCancelled, BuildProcess
from .changes import Change
from .http import PreviewServer, make_server
from .preview import PreviewProcess, PreviewReport
from .state import LiveState, Snapshot
from .watch import Pending, roots_for, start_watching

Echo = Callable[[str], None]
CANCEL_GRACE = 5.0  # seconds a cancelled build may take to finish swapping in its output
#: After a preview, the full build waits until the open tabs have reloaded (each opens its event
#: stream again), at most this long: on a small machine it would take the cores they reload with.
TABS_GRACE = 1.0


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    quiet: float = 0.15  # debounce: seconds without a new change before rebuilding
    max_wait: float = 1.0
    open_browser: bool = False
    #: the day of each build (the CLI: the clock, when no --today was given); None: the options' day
    clock: Callable[[], date] | None = None


def _stamp() -> str:
    return time.strftime("%H:%M:%S")


class DevServer:
    def __init__(self, build: BuildOptions, serve: ServeOptions, echo: Echo, err: Echo):
        self.workdir = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
        # A private cache: the first build is full, every rebuild after it is incremental, and a
        # `gongkai build` running at the same time never shares files with the preview.
        # The preview is thrown away on exit: flushing every build to disk only costs time.
        self.build_options = replace(
            build, output=self.workdir / "site", fsync=False,
            cache=build.cache or (self.workdir / "cache" if build.incremental else None),
        )
        self.serve_options = serve
        self.echo, self.err = echo, err
        self.builder = BuildProcess()
        self.previewer = PreviewProcess()
        self.state = LiveState(self.build_options, self.builder, self.previewer, serve.clock)
        self.pending = Pending(serve.quiet, serve.max_wait)
        self.roots = roots_for(build.content, build.templates)
        self.observer = None
        self.httpd: PreviewServer | None = None
        self._loop_thread: threading.Thread | None = None
        self._build_thread: threading.Thread | None = None
        self._shown_errors: set[str] = set()  # printed by the latest preview: not again

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, progress: Progress | None = None) -> str:
        """Watch, build once, bind the port; returns the URL. Raises OSError if the port is taken."""
        self.observer = start_watching(self.roots, self.pending)  # before the build: miss nothing
        self.httpd = make_server(self.state, self.serve_options.host, self.serve_options.port)
        self.echo("正在生成预览……")
        snap, diags = self.state.rebuild(progress)
        self._report(snap, diags, changes=[])
        if snap.ok:
            self.state.warm_up()  # the first save can then be previewed at once
        self._loop_thread = threading.Thread(target=self._loop, name="gongkai-rebuild", daemon=True)
        self._loop_thread.start()
        host, port = self.httpd.server_address[:2]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{shown}:{port}/"

    def serve_forever(self) -> None:
        assert self.httpd is not None
        self.httpd.serve_forever(poll_interval=0.2)

    def close(self) -> None:
        self.state.stop()
        if self.httpd is not None:
            self.httpd.server_close()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=2)
        self.builder.cancel()  # nobody will look at the result
        self.builder.close(timeout=10)
        self.previewer.close(timeout=10)
        for thread in (self._loop_thread, self._build_thread):
            if thread is not None:
                thread.join(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)  # nothing writes into it any more

    # -- rebuild loop ------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self.state.stopping:
            if not self.pending.flag.wait(0.25):
                continue
            delay = self.pending.delay()
            if delay is None:
                self.pending.clear_if_empty()
                continue
            if delay > 0:
                time.sleep(min(delay, 0.05))
                continue
            changes = self.pending.take()
            if self.state.stopping:
                break
            self._announce(changes)
            self._stop_build()  # stale now; a preview must not race its swap
            self._report_preview(self.state.preview(changes))
            self.state.wait_for_tabs(TABS_GRACE)  # the edited page shown first, then the full build
            self._start_build()

    def _stop_build(self) -> None:
        thread = self._build_thread
        if thread is not None and thread.is_alive():
            self.builder.cancel()  # ignored if the build is already swapping in its output
            thread.join(timeout=CANCEL_GRACE)
            if thread.is_alive():  # stuck somewhere signals do not reach: end it for good
                self.builder.cancel(force=True)
                thread.join()

    def _start_build(self) -> None:
        self._build_thread = threading.Thread(target=self._build, name="gongkai-build", daemon=True)
        self._build_thread.start()

    def _build(self) -> None:
        try:
            snap, diags = self.state.rebuild()
        except BuildCancelled:
            self._clean_cache_temp()
            return
        self._report(snap, diags, changes=[])

    def _clean_cache_temp(self) -> None:
        """A cancelled build may leave a half-written cache file (`.<name>.<id>.tmp`) behind."""
        cache = self.build_options.cache
        if cache is None or not cache.is_relative_to(self.workdir):
            return  # only our private cache: someone else's build may be writing elsewhere
        for tmp in cache.glob("*/.*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass

    def _announce(self, changes: list[Change]) -> None:
        if changes:
            first = changes[0].path
            more = f"（另有 {len(changes) - 1} 个文件）" if len(changes) > 1 else ""
            self.echo(f"[{_stamp()}] 检测到修改：{_short(first)}{more}")

    def _report_preview(self, report: PreviewReport | None) -> None:
        self._shown_errors = set()
        if report is None or report.status == "skipped" or self.state.stopping:
            return
        if report.status == "shown":
            pages = "、".join(report.pages[:3]) + ("……" if len(report.pages) > 3 else "")
            self.echo(f"[{_stamp()}] 已预览：{pages}（{report.seconds:.2f} 秒）；正在重新生成整个网站……")
            return
        for d in report.errors:
            self.err(d.text())
            self._shown_errors.add(d.text())
        self.err(f"[{_stamp()}] 预览发现 {len(report.errors)} 个错误（也显示在页面顶部）；正在完整检查……")

    def _report(self, snap: Snapshot, diags: Diagnostics, changes: list[Change]) -> None:
        if self.state.stopping:
            return  # a build cut short by Ctrl+C is not news
        self._announce(changes)
        if snap.ok:
            warn = f"，{snap.warnings} 个警告（运行 gongkai check 查看）" if snap.warnings else ""
            verb = "已生成" if snap.build == 1 else "已重新生成"
            self.echo(f"[{_stamp()}] {verb}：{snap.pages} 个页面，用时 {snap.seconds:.2f} 秒{warn}。")
            return
        for d in diags.errors:
            if d.text() not in self._shown_errors:  # the preview printed it a moment ago
                self.err(d.text())
        self._shown_errors = set()
        keep = "浏览器中仍显示上一次成功生成的版本" if snap.build else "还没有可以显示的版本"
        self.err(f"[{_stamp()}] 生成失败：{len(snap.errors)} 个错误，{keep}；错误也显示在页面顶部。")


def _short(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else Path(rel).as_posix()
