"""What the preview currently shows: the last good build and the errors of the latest attempt.

One `LiveState` is shared by the rebuild loop (the only writer) and the HTTP threads (readers).
Every finished attempt, good or bad, gets a new `version`; open tabs reload when the version
they were served with is no longer current, which shows a new build, shows the error overlay
or removes it.
"""

from __future__ import annotations

import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..build import BuildOptions, BuildResult, Progress, build
from ..diagnostics import Diagnostic, Diagnostics, error
from .builder import BuildCrashed


@dataclass(frozen=True)
class Snapshot:
    """An immutable view of the state, safe to hand to request threads."""

    version: str  # changes on every finished attempt; the reload signal
    build: int  # number of the last good build (0 = none yet)
    ok: bool  # did the latest attempt succeed?
    errors: tuple[Diagnostic, ...] = ()
    warnings: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)  # cache hits etc., from the build
    pages: int = 0
    finished_at: float = 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "version": self.version, "build": self.build, "ok": self.ok,
            "errors": [d.as_json() for d in self.errors], "error_count": len(self.errors),
            "warnings": self.warnings, "seconds": self.seconds, "timings": self.timings, "stats": self.stats,
            "pages": self.pages, "finished_at": self.finished_at,
        }

    def event(self) -> dict[str, object]:
        """The small message pushed to tabs over /_gongkai/events."""
        return {"version": self.version, "build": self.build, "ok": self.ok, "errors": len(self.errors)}


Builder = Callable[[BuildOptions, "Progress | None"], BuildResult]


def in_process(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build in this process (tests of the state alone; the server uses `BuildProcess`)."""
    return build(options, progress) if progress is not None else build(options)


class LiveState:
    def __init__(self, options: BuildOptions, builder: Builder = in_process):
        self.options = options
        self.site_dir = options.output
        self._builder = builder
        self._session = uuid.uuid4().hex[:8]  # a restarted server never matches an old tab
        self._attempts = 0
        self._cond = threading.Condition()
        self._snap = Snapshot(version=f"{self._session}-0", build=0, ok=False)
        self.stopping = False

    @property
    def snapshot(self) -> Snapshot:
        with self._cond:
            return self._snap

    def rebuild(self, progress: Progress | None = None) -> tuple[Snapshot, Diagnostics]:
        """Build once; never raises. On failure the site folder keeps the last good build."""
        started = time.perf_counter()
        try:
            result = self._builder(self.options, progress)
            diags = result.diagnostics
        except Exception as exc:  # noqa: BLE001 — a bug in gongkai must not stop the preview
            if not isinstance(exc, BuildCrashed):  # the worker printed its own traceback
                traceback.print_exc()
            diags = Diagnostics()
            diags.add(error("gongkai", 1, 1, f"内部错误：{type(exc).__name__}: {exc}",
                            "请把终端中的错误信息报告给维护人员", "serve.internal"))
            result = BuildResult(False, diags)
        seconds = round(time.perf_counter() - started, 4)
        with self._cond:
            self._attempts += 1
            prev = self._snap
            snap = replace(
                prev,
                version=f"{self._session}-{self._attempts}",
                ok=result.ok,
                errors=tuple(diags.errors),
                warnings=len(diags.warnings),
                seconds=seconds,
                timings=dict(result.timings),
                stats=dict(getattr(result, "stats", {}) or {}),
                finished_at=time.time(),
            )
            if result.ok:
                snap = replace(snap, build=prev.build + 1, pages=result.pages)
            self._snap = snap
            self._cond.notify_all()
        return snap, diags

    def wait_for_change(self, version: str, timeout: float) -> Snapshot:
        """Block until the version differs from `version` (or timeout / shutdown)."""
        with self._cond:
            self._cond.wait_for(lambda: self._snap.version != version or self.stopping, timeout)
            return self._snap

    def stop(self) -> None:
        with self._cond:
            self.stopping = True
            self._cond.notify_all()

    @property
    def has_site(self) -> bool:
        return self.snapshot.build > 0 and Path(self.site_dir).is_dir()
