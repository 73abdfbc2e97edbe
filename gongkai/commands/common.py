"""Options shared by several commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD") from None


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="目录", help="内容目录（默认 content）")
    parser.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD",
                        help="把这一天当作今天（用于公示期、自查期限；默认今天）")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "github", "json"], default="text",
                        help="输出格式：text（默认）、github（GitHub Actions 注释）、json")


def environment_options(environ: Mapping[str, str], content: Path, cache: Path | None = None) -> dict[str, Any]:
    """What the environment asks of a build, as `BuildOptions` fields: read here, at the CLI edge,
    and nowhere below it. `$GONGKAI_CACHE_DIR` / `$GONGKAI_NO_CACHE` (the cache folder, unless
    `--cache` gave one), `$GONGKAI_NO_QUICK` (never a quick rebuild), `$GONGKAI_NO_FSYNC` (no
    fsync: throwaway output), `$GONGKAI_TIMINGS` (a file for the stage timings, for benchmarks)."""
    from ..cache import default_root
    from ..cachedir import KEY_FILE, user_cache_base

    home = Path.home()
    root = cache or default_root(content, environ, home)
    timings = environ.get("GONGKAI_TIMINGS")
    return {"cache": root, "incremental": root is not None, "cache_key": user_cache_base(environ, home) / KEY_FILE,
            "quick": not environ.get("GONGKAI_NO_QUICK"), "fsync": not environ.get("GONGKAI_NO_FSYNC"),
            "timings": Path(timings) if timings else None}


def print_diagnostics(diags, fmt: str = "text", stream=None) -> None:  # type: ignore[no-untyped-def]
    from ..diagnostics import format_diagnostics

    stream = stream or (sys.stdout if fmt == "json" else sys.stderr)
    stream.write(format_diagnostics(diags, fmt) + "\n")
    stream.flush()
