"""File watching: watchdog events → a pending set of changes, and nothing more.

The handler runs on watchdog's thread and only records what changed and sets a flag (STYLE
point 11); deciding when to rebuild is the loop's job.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .changes import Change, Coalescer, Roots, classify


class Pending:
    """Thread-safe holder of changes not yet rebuilt."""

    def __init__(self, quiet: float, max_wait: float):
        self._lock = threading.Lock()
        self._coalescer = Coalescer(quiet, max_wait)
        self.flag = threading.Event()

    def add(self, changes: list[Change]) -> None:
        if not changes:
            return
        with self._lock:
            self._coalescer.add(changes, time.monotonic())
            self.flag.set()

    def delay(self) -> float | None:
        with self._lock:
            return self._coalescer.delay(time.monotonic())

    def clear_if_empty(self) -> None:
        with self._lock:
            if self._coalescer.delay(time.monotonic()) is None:
                self.flag.clear()

    def take(self) -> list[Change]:
        with self._lock:
            self.flag.clear()
            return self._coalescer.take()


class _Handler(FileSystemEventHandler):
    def __init__(self, roots: Roots, pending: Pending):
        self.roots = roots
        self.pending = pending

    def on_any_event(self, event: FileSystemEvent) -> None:
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(event.dest_path) if getattr(event, "dest_path", "") else None
        self.pending.add(classify(event.event_type, src, dest, event.is_directory, self.roots))


def roots_for(content: Path, templates: Path | None) -> Roots:
    """Absolute roots (watchdog reports absolute paths); templates only if the folder exists."""
    tpl = PurePath(os.path.abspath(templates)) if templates is not None and templates.is_dir() else None
    return Roots(PurePath(os.path.abspath(content)), tpl)


def start_watching(roots: Roots, pending: Pending) -> Observer:  # type: ignore[valid-type]
    observer = Observer()
    handler = _Handler(roots, pending)
    for root in (roots.content, roots.templates):
        if root is not None:
            observer.schedule(handler, str(root), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
