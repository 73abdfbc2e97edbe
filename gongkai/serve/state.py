"""What the preview currently shows: the last good build and the errors of the latest attempt.

One `LiveState` is shared by the rebuild loop and the build thread (the writers) and the HTTP
threads (readers). Every finished attempt, good or bad, gets a new `version` — a fast preview
of edited documents (`preview.py`) as well as a full build; open tabs reload when the version
they were served with is no longer current, which shows a new build, shows the error overlay
or removes it. `building` says a full build is running (the page shows a small note).
"""

from __future__ import annotations

import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..build import BuildOptions, BuildResult, Progress, build
from ..diagnostics import Diagnostic, Diagnostics, error
from .builder import BuildCancelled, BuildCrashed
from .changes import Change

if TYPE_CHECKING:
    from .preview import PreviewProcess, PreviewReport


@dataclass(frozen=True)
class Snapshot:
    """An immutable view of the state, safe to hand to request threads."""

    version: str  # changes on every finished attempt; the reload signal
    build: int  # number of the last good build (0 = none yet)
    ok: bool  # did the latest attempt succeed?
    errors: tuple[Diagnostic, ...] = ()
    warnings: int = 0
    warning_items: tuple[Diagnostic, ...] = ()  # shown in the page as a banner that does not block it
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)  # cache hits etc., from the build
    pages: int = 0
    finished_at: float = 0.0
    building: bool = False  # a full build is running (changes no version: no reload)
    preview: tuple[str, ...] = ()  # pages written by a preview since the last full build
    previews: int = 0  # number of previews shown (a preview does not count as a build)
    preview_seconds: float = 0.0
    tabs_back: bool | None = None  # after the latest preview: every open tab reloaded before the full build began

    def as_json(self) -> dict[str, object]:
        return {
            "version": self.version, "build": self.build, "ok": self.ok,
            "errors": [d.as_json() for d in self.errors], "error_count": len(self.errors),
            "warnings": self.warnings, "seconds": self.seconds, "timings": self.timings, "stats": self.stats,
            "pages": self.pages, "finished_at": self.finished_at, "building": self.building,
            "preview": list(self.preview), "previews": self.previews, "preview_seconds": self.preview_seconds,
            "tabs_back": self.tabs_back,
        }

    def event(self) -> dict[str, object]:
        """The small message pushed to tabs over /_gongkai/events."""
        return {"version": self.version, "build": self.build, "ok": self.ok, "errors": len(self.errors),
                "preview": bool(self.preview), "building": self.building}


Builder = Callable[[BuildOptions, "Progress | None"], BuildResult]


def in_process(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build in this process (tests of the state alone; the server uses `BuildProcess`)."""
    return build(options, progress) if progress is not None else build(options)


class LiveState:
    def __init__(self, options: BuildOptions, builder: Builder = in_process, previewer: PreviewProcess | None = None,
                 clock: Callable[[], date] | None = None):
        self.options = options
        self._clock = clock  # a server runs past midnight: each attempt is of its own day
        self.site_dir = options.output
        self._builder = builder
        self._previewer = previewer
        self._session = uuid.uuid4().hex[:8]  # a restarted server never matches an old tab
        self._attempts = 0
        self._cond = threading.Condition()
        self._snap = Snapshot(version=f"{self._session}-0", build=0, ok=False)
        self.stopping = False
        self._streams = 0  # event streams open now (one per tab; a reloading tab's old one may linger)
        self._arrived: dict[str, int] = {}  # version -> streams opened while it was current
        self._awaited: tuple[str, int] | None = None  # the preview's version, the streams open when it came

    def stream_opened(self, version: str) -> None:
        """A tab opened its event stream, having been served `version` (its page's script runs)."""
        with self._cond:
            self._streams += 1
            self._arrived[version] = self._arrived.get(version, 0) + 1
            self._cond.notify_all()

    def stream_closed(self) -> None:
        with self._cond:
            self._streams -= 1

    def wait_for_tabs(self, timeout: float) -> bool:
        """After a preview, until every tab that was open has reloaded and shows it (each opens
        its event stream again on the new version), for at most `timeout` seconds: the full
        build that follows takes every core, and would otherwise slow the tabs' reload. True when
        they all came back in time (or there were none)."""
        with self._cond:
            awaited, self._awaited = self._awaited, None
            if awaited is None:
                return True
            version, tabs = awaited
            came = bool(self._cond.wait_for(lambda: self._arrived.get(version, 0) >= tabs or self.stopping, timeout))
            self._arrived = {}  # only the next preview's arrivals count
            self._snap = replace(self._snap, tabs_back=came)  # same version: no reload for this
            return came

    @property
    def snapshot(self) -> Snapshot:
        with self._cond:
            return self._snap

    def _new_day(self) -> None:
        if self._clock is not None:
            today = self._clock()
            if today != self.options.today:
                self.options = replace(self.options, today=today)

    def _next_version(self) -> str:
        self._attempts += 1
        return f"{self._session}-{self._attempts}"

    def preview(self, changes: list[Change]) -> PreviewReport | None:
        """Show edited documents' pages before the full build; None if not possible or failed."""
        if self._previewer is None or not changes:
            return None
        self._new_day()
        try:
            report = self._previewer.preview(self.options, changes)
        except Exception as exc:  # noqa: BLE001 — the full build follows anyway
            if not isinstance(exc, BuildCrashed):
                traceback.print_exc()
            return None
        if report.status == "skipped":
            return report
        shown = report.status == "shown"
        with self._cond:
            prev = self._snap
            snap = replace(  # a full build always follows a preview: `building` from now on
                prev, version=self._next_version(), ok=shown, errors=report.errors, building=True,
                preview=tuple(sorted({*prev.preview, *report.pages})) if shown else (),
                previews=prev.previews + 1, preview_seconds=report.seconds, finished_at=time.time(),
            )
            self._snap = snap
            self._arrived = {}
            self._awaited = (snap.version, self._streams)
            self._cond.notify_all()
        return report

    def set_building(self, building: bool) -> None:
        """Mark a full build as running or not (same version: tabs do not reload for this)."""
        with self._cond:
            if self._snap.building != building:
                self._snap = replace(self._snap, building=building)
                self._cond.notify_all()

    def rebuild(self, progress: Progress | None = None) -> tuple[Snapshot, Diagnostics]:
        """Build once; never raises but `BuildCancelled`. On failure the site folder keeps the
        last good build (pages a preview wrote are put back)."""
        started = time.perf_counter()
        self._new_day()
        self.set_building(True)
        try:
            result = self._builder(self.options, progress)
            diags = result.diagnostics
        except BuildCancelled:
            raise  # a newer change is on its way; `building` stays set
        except Exception as exc:  # noqa: BLE001 — a bug in gongkai must not stop the preview
            if not isinstance(exc, BuildCrashed):  # the worker printed its own traceback
                traceback.print_exc()
            diags = Diagnostics()
            diags.add(error("gongkai", 1, 1, f"内部错误：{type(exc).__name__}: {exc}",
                            "请把终端中的错误信息报告给维护人员", "serve.internal"))
            result = BuildResult(False, diags)
        seconds = round(time.perf_counter() - started, 4)
        if not result.ok:
            self._tell_previewer("failed")  # restore previewed pages before the tabs reload
        with self._cond:
            prev = self._snap
            snap = replace(
                prev,
                version=self._next_version(),
                ok=result.ok,
                building=False,
                preview=(),
                errors=tuple(diags.errors),
                warnings=len(diags.warnings),
                warning_items=tuple(diags.warnings),
                seconds=seconds,
                timings=dict(result.timings),
                stats=dict(getattr(result, "stats", {}) or {}),
                finished_at=time.time(),
            )
            if result.ok:
                snap = replace(snap, build=prev.build + 1, pages=result.pages)
            self._snap = snap
            self._cond.notify_all()
        if result.ok:
            self._tell_previewer("built")  # it answers at once, then refreshes while idle
        return snap, diags

    def warm_up(self) -> None:
        """Wait for the preview worker to read the site (after the first good build)."""
        if self._previewer is not None:
            try:
                self._previewer.ready()
            except Exception as exc:  # noqa: BLE001 — no previews, but the server runs
                if not isinstance(exc, BuildCrashed):
                    traceback.print_exc()

    def _tell_previewer(self, what: str) -> None:
        if self._previewer is None or (what == "failed" and self._previewer.pid is None):
            return  # nothing was previewed by a worker that is not running
        try:
            if what == "built":
                self._previewer.built(self.options)
            else:
                self._previewer.failed()
        except Exception as exc:  # noqa: BLE001 — previews just stop until the worker is back
            if not isinstance(exc, BuildCrashed):
                traceback.print_exc()

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
