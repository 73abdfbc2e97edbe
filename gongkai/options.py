"""`BuildOptions` and `BuildResult`: what a build is asked to do and what it reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .capabilities import Capabilities
from .diagnostics import Diagnostics
from .frame import Frame


@dataclass
class BuildOptions:
    content: Path = Path("content")
    output: Path = Path("site")
    templates: Path | None = Path("templates")
    base_url: str | None = None
    #: the build's day (公示期, 逾期, an ID number's birth date): the CLI passes --today or the day it
    #: runs; `gongkai serve` a fresh one for each build. Never read from the clock below here.
    today: date = field(default_factory=date.today)
    jobs: int = 0  # 0 = all cores
    project: Path = Path(".")  # where node_modules/ lives
    cache: Path | None = None  # None: the user cache dir (the CLI passes $GONGKAI_CACHE_DIR, cache.default_root)
    cache_key: Path | None = None  # the machine key file; None: machine.key in the cache folder
    incremental: bool = True  # False (the CLI: $GONGKAI_NO_CACHE): no cache, every page rendered
    quick: bool = True  # False (the CLI: $GONGKAI_NO_QUICK): never a quick rebuild (gongkai/quick/)
    fsync: bool = True  # False (the CLI: $GONGKAI_NO_FSYNC; the dev server's throwaway preview): no fsync
    timings: Path | None = None  # a JSON file to receive the stage timings and cache stats (the CLI: $GONGKAI_TIMINGS)
    capabilities: Capabilities | None = None  # None: what this machine offers (capabilities.detect)
    frame: Frame | None = None  # a section of a county area / a column of the county portal (frame.py)
    #: called with (site, catalogue) once a full build has rendered (the county collects its search records)
    on_site: Callable[[object, object], None] | None = None


@dataclass
class BuildResult:
    ok: bool
    diagnostics: Diagnostics
    pages: int = 0
    files: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    attributes: dict[str, int] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)  # cache hits, index seconds (overlaps render)
    fallbacks: list[str] = field(default_factory=list)  # what the build did without (capabilities.NOTES)


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def report_timings(target: Path | None, timings: dict[str, float], stats: dict[str, float]) -> None:
    """For benchmarks: `target` (`BuildOptions.timings`) receives the stage timings and cache stats."""
    if target is not None:
        try:
            Path(target).write_text(json.dumps({"timings": timings, "stats": stats}, indent=1), encoding="utf-8")
        except OSError:
            pass
