"""The dev server: build into a temp folder, serve it, rebuild when content or templates change.

Three threads, one job each: watchdog records changes (`watch.py`), the rebuild loop here
debounces and calls `LiveState.rebuild()`, and the HTTP server (`http.py`) serves whatever the
last good build is. A failed build changes only the errors shown, never the files served.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..build import BuildOptions, Progress
from ..diagnostics import Diagnostics
from .builder import BuildProcess
from .changes import Change
from .http import PreviewServer, make_server
from .state import LiveState, Snapshot
from .watch import Pending, roots_for, start_watching

Echo = Callable[[str], None]


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    quiet: float = 0.15  # debounce: seconds without a new change before rebuilding
    max_wait: float = 1.0
    open_browser: bool = False


def _stamp() -> str:
    return time.strftime("%H:%M:%S")


class DevServer:
    def __init__(self, build: BuildOptions, serve: ServeOptions, echo: Echo, err: Echo):
        self.workdir = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
        # A private cache: the first build is full, every rebuild after it is incremental, and a
        # `gongkai build` running at the same time never shares files with the preview.
        no_cache = bool(os.environ.get("GONGKAI_NO_CACHE"))
        # The preview is thrown away on exit: flushing every build to disk only costs time.
        os.environ.setdefault("GONGKAI_NO_FSYNC", "1")
        self.build_options = replace(
            build, output=self.workdir / "site", cache=build.cache or (None if no_cache else self.workdir / "cache")
        )
        self.serve_options = serve
        self.echo, self.err = echo, err
        self.builder = BuildProcess()
        self.state = LiveState(self.build_options, self.builder)
        self.pending = Pending(serve.quiet, serve.max_wait)
        self.roots = roots_for(build.content, build.templates)
        self.observer = None
        self.httpd: PreviewServer | None = None
        self._loop_thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, progress: Progress | None = None) -> str:
        """Watch, build once, bind the port; returns the URL. Raises OSError if the port is taken."""
        self.observer = start_watching(self.roots, self.pending)  # before the build: miss nothing
        self.httpd = make_server(self.state, self.serve_options.host, self.serve_options.port)
        self.echo("正在生成预览……")
        self._report(*self.state.rebuild(progress), changes=[])
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
        self.builder.close(timeout=10)  # a running build may finish; then the worker is gone
        if self._loop_thread is not None:
            self._loop_thread.join(timeout=10)
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
            self._report(*self.state.rebuild(), changes=changes)

    def _report(self, snap: Snapshot, diags: Diagnostics, changes: list[Change]) -> None:
        if self.state.stopping:
            return  # a build cut short by Ctrl+C is not news
        if changes:
            first = changes[0].path
            more = f"（另有 {len(changes) - 1} 个文件）" if len(changes) > 1 else ""
            self.echo(f"[{_stamp()}] 检测到修改：{_short(first)}{more}")
        if snap.ok:
            warn = f"，{snap.warnings} 个警告（运行 gongkai check 查看）" if snap.warnings else ""
            verb = "已生成" if snap.build == 1 else "已重新生成"
            self.echo(f"[{_stamp()}] {verb}：{snap.pages} 个页面，用时 {snap.seconds:.2f} 秒{warn}。")
            return
        for d in diags.errors:
            self.err(d.text())
        keep = "浏览器中仍显示上一次成功生成的版本" if snap.build else "还没有可以显示的版本"
        self.err(f"[{_stamp()}] 生成失败：{len(snap.errors)} 个错误，{keep}；错误也显示在页面顶部。")


def _short(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else Path(rel).as_posix()
