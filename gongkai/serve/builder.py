"""Builds run in a separate, single-threaded worker process, never in the server process.

Why: `build()` forks render and load workers, and the server process has threads (HTTP
requests, event streams, the file watcher). Forking a process with threads copies locks that
other threads hold at that instant; a worker can then wait forever on a lock nobody will release
(we saw exactly this hang on the 10,000-document corpus). The worker is started with
`subprocess` (fork + exec, safe with threads), has only one thread, and so may fork freely. It
also keeps its imports warm between rebuilds. Requests and results are pickled over its
stdin/stdout; progress of a build comes back as messages. If the worker dies, the build is
reported as an internal error and the next rebuild starts a fresh worker.

A running build can be cancelled (a newer save makes it stale): the server sends SIGTERM and
the worker kills its render workers and unwinds the build at once (`Cancelled`: the atomic
writer removes its temp folder; a worker killed harder leaves `site/` exactly as it was too,
and the next build clears the temp folder), then exits. One refinement: once the new tree is
being swapped in, the signal is ignored and the build finishes (a second or less), so the
output cache is always saved with the site it describes. The next request starts a fresh
worker.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from ..build import BuildOptions, BuildResult, Progress

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)


class BuildCrashed(RuntimeError):
    """The build worker failed or died; the message says how."""


class BuildCancelled(Exception):
    """The build was stopped by `BuildProcess.cancel()` before it finished."""


class WorkerProcess:
    """A helper process running `<module>.main()`, one pickled request at a time."""

    module = "gongkai.serve.builder"
    what = "生成进程"  # for messages

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()  # one request at a time
        self._state = threading.Lock()  # guards _busy / _cancelling against cancel()
        self._busy = False
        self._cancelling = False

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def _start(self) -> subprocess.Popen[bytes]:
        # The same gongkai as this process's, first on the path (a source checkout included).
        code = f"import sys; sys.path.insert(0, {PACKAGE_PARENT!r}); from {self.module} import main; main()"
        return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def request(self, message: tuple[Any, ...], on_message: Callable[[str, list[Any]], None] | None = None) -> Any:
        """Send one request; pass other messages to `on_message` until the result comes."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            proc = self._proc
            assert proc.stdin is not None and proc.stdout is not None
            with self._state:
                self._busy, self._cancelling = True, False
            try:
                pickle.dump(message, proc.stdin)
                proc.stdin.flush()
                while True:
                    kind, *payload = pickle.load(proc.stdout)
                    if kind == "result":
                        return payload[0]
                    if kind == "error":
                        raise BuildCrashed(payload[0])
                    if on_message is not None:
                        on_message(kind, payload)
            except (EOFError, OSError, pickle.UnpicklingError) as exc:
                self._kill()
                if self._cancelling:
                    raise BuildCancelled from None
                raise BuildCrashed(f"{self.what}意外退出（{type(exc).__name__}）") from None
            finally:
                with self._state:
                    self._busy = False

    def cancel(self, force: bool = False) -> bool:
        """Stop the request in progress (True if one was running and was told to stop).

        SIGTERM lets the worker finish a build that is already swapping in its output (see
        `_on_terminate`); `force` kills it whatever it is doing.
        """
        with self._state:
            proc = self._proc
            if not self._busy or proc is None or proc.poll() is not None:
                return False
            self._cancelling = True
            if force:
                proc.kill()
            else:
                proc.terminate()
            return True

    def _kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def close(self, timeout: float = 10.0) -> None:
        """Let a running request finish (up to `timeout`), then stop the worker for good."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()  # EOF: the worker exits after its current request
        except OSError:
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()  # its own render workers die with it (PR_SET_PDEATHSIG)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class BuildProcess(WorkerProcess):
    """Callable like `build(options, progress)`, but runs the build in the worker process."""

    def __call__(self, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
        def on_message(kind: str, payload: list[Any]) -> None:
            if kind == "progress" and progress is not None:
                progress(*payload)

        return self.request(("build", options, progress is not None), on_message)  # type: ignore[no-any-return]


def _send(out: IO[bytes], message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message)  # whole or nothing: a pickling error must not corrupt the stream
    out.write(data)
    out.flush()


def serve_requests(handle: Callable[[tuple[Any, ...], Callable[[tuple[Any, ...]], None]], Any],
                   idle: Callable[[], None] | None = None) -> None:
    """The worker side: read requests from stdin until EOF, answer on the original stdout.

    `handle(request, send)` returns the result; `send` passes other messages (progress) first.
    `idle()` runs after each answer, before the next request is read (work nobody waits for).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by mistake goes to the terminal, not into the protocol
    sys.stdout = sys.stderr

    def send(message: tuple[Any, ...]) -> None:
        _send(out, message)

    while True:
        try:
            request = pickle.load(sys.stdin.buffer)
        except EOFError:
            return
        try:
            send(("result", handle(request, send)))
        except (BrokenPipeError, KeyboardInterrupt):
            return
        except Exception as exc:  # noqa: BLE001 — reported to the server, which keeps running
            traceback.print_exc()
            send(("error", f"{type(exc).__name__}: {exc}"))
        if idle is not None:
            idle()


_WORKER: dict[str, Any] = {"pid": 0, "building": False}


def _committing(frame: Any) -> bool:
    """Is the build swapping its new tree into place, or past that point?"""
    from ..build import build
    from ..cache import BuildCache
    from ..output import SiteWriter

    critical = {SiteWriter.commit.__code__, BuildCache.save_outputs.__code__}
    while frame is not None:
        if frame.f_code in critical:
            return True
        if frame.f_code is build.__code__:
            writer = frame.f_locals.get("writer")
            return bool(getattr(writer, "committed", False))
        frame = frame.f_back
    return False


def _on_terminate(signum: int, frame: Any) -> None:
    """SIGTERM = cancel: end the build now, unless it is already swapping in its output."""
    if os.getpid() != _WORKER["pid"]:  # a forked render worker: just die, as the pool expects
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if not _WORKER["building"] or _committing(frame):
        return  # idle (EOF ends us), or a second from done: let it finish
    import multiprocessing

    for child in multiprocessing.active_children():  # pool workers without a death signal
        child.kill()
    raise Cancelled  # unwinds the build: the writer removes its temp folder; `main` then exits


class Cancelled(BaseException):
    """Raised in the build worker by SIGTERM: not an `Exception`, so nothing on the way catches it."""


def main() -> None:
    """The build worker."""
    from ..build import build

    _WORKER["pid"] = os.getpid()
    signal.signal(signal.SIGTERM, _on_terminate)

    def handle(request: tuple[Any, ...], send: Callable[[tuple[Any, ...]], None]) -> BuildResult:
        _, options, with_progress = request

        def progress(stage: str, done: int, total: int) -> None:
            send(("progress", stage, done, total))

        _WORKER["building"] = True
        try:
            return build(options, progress) if with_progress else build(options)
        finally:
            _WORKER["building"] = False

    try:
        serve_requests(handle)
    except Cancelled:
        sys.exit(3)  # the server reads EOF: the build was cancelled (`BuildCancelled`)
