"""Builds run in a separate, single-threaded worker process, never in the server process.

Why: `build()` forks render and load workers, and the server process has threads (HTTP
requests, event streams, the file watcher). Forking a process with threads copies locks that
other threads hold at that instant; a worker can then wait forever on a lock nobody will release
(we saw exactly this hang on the 10,000-document corpus). The worker is started with
`subprocess` (fork + exec, safe with threads), has only one thread, and so may fork freely. It
also keeps its imports warm between rebuilds. Requests and results are pickled over its
stdin/stdout; progress of a build comes back as messages. If the worker dies, the build is
reported as an internal error and the next rebuild starts a fresh worker.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any

from ..build import BuildOptions, BuildResult, Progress

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)


class BuildCrashed(RuntimeError):
    """The build worker failed or died; the message says how."""


class BuildProcess:
    """Callable like `build(options, progress)`, but runs the build in the worker process."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        code = "from gongkai.serve.builder import main; main()"
        return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

    def __call__(self, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            proc = self._proc
            assert proc.stdin is not None and proc.stdout is not None
            try:
                pickle.dump(("build", options, progress is not None), proc.stdin)
                proc.stdin.flush()
                while True:
                    kind, *payload = pickle.load(proc.stdout)
                    if kind == "progress" and progress is not None:
                        progress(*payload)
                    elif kind == "result":
                        return payload[0]  # type: ignore[no-any-return]
                    elif kind == "error":
                        raise BuildCrashed(payload[0])
            except (EOFError, OSError, pickle.UnpicklingError) as exc:
                self._kill()
                raise BuildCrashed(f"生成进程意外退出（{type(exc).__name__}）") from None

    def _kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def close(self, timeout: float = 10.0) -> None:
        """Let a running build finish (up to `timeout`), then stop the worker for good."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()  # EOF: the worker exits after its current build
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


def _send(out: IO[bytes], message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message)  # whole or nothing: a pickling error must not corrupt the stream
    out.write(data)
    out.flush()


def main() -> None:
    """The worker: read build requests from stdin until EOF, answer on the original stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by mistake goes to the terminal, not into the protocol
    sys.stdout = sys.stderr
    from ..build import build

    while True:
        try:
            _, options, with_progress = pickle.load(sys.stdin.buffer)
        except EOFError:
            return

        def progress(stage: str, done: int, total: int) -> None:
            _send(out, ("progress", stage, done, total))

        try:
            result = build(options, progress) if with_progress else build(options)
            _send(out, ("result", result))
        except (BrokenPipeError, KeyboardInterrupt):
            return
        except Exception as exc:  # noqa: BLE001 — reported to the server, which keeps running
            traceback.print_exc()
            _send(out, ("error", f"{type(exc).__name__}: {exc}"))

