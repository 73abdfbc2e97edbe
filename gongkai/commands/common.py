"""Options shared by several commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD") from None


def today_of(args: argparse.Namespace) -> date:
    """The day a command runs for: `--today`, else the calendar's (read here, at the CLI edge)."""
    return args.today or date.today()


def clock_of(args: argparse.Namespace) -> Callable[[], date]:
    """For a command that keeps running (`serve`, `lsp`): `--today` always, else the calendar's
    day at each build or check, so one left running past midnight goes by the new day."""
    fixed = args.today
    return (lambda: fixed) if fixed is not None else date.today


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="目录", help="内容目录（默认 content）")
    parser.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD",
                        help="把这一天当作今天（用于公示期、自查期限；默认今天）")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "github", "json"], default="text",
                        help="输出格式：text（默认）、github（GitHub Actions 注释）、json")
    parser.add_argument("--annotated", type=Path, default=None, metavar="文件",
                        help="--format github：记录已输出的注释，已记录的不再输出（同一工作流中 check 之后的 build "
                             "不重复注释）；在 GitHub Actions 中默认 $RUNNER_TEMP/gongkai-annotations.txt")
    parser.add_argument("--changed-from", default=None, metavar="版本",
                        help="--format github：先输出相对该版本改动过的文件的注释，例如 origin/main；"
                             "在 GitHub Actions 的拉取请求中默认 origin/$GITHUB_BASE_REF")


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


def annotation_options(args: argparse.Namespace, environ: dict[str, str]) -> tuple[Path | None, str | None]:
    """(record file, base revision) for `--format github`: the options, else GitHub Actions'
    own variables (the CLI edge is the only place that reads them)."""
    if getattr(args, "format", "text") != "github":
        return None, None
    record, base = args.annotated, args.changed_from
    if environ.get("GITHUB_ACTIONS") == "true":
        if record is None and environ.get("RUNNER_TEMP"):
            record = Path(environ["RUNNER_TEMP"]) / "gongkai-annotations.txt"
        if base is None and environ.get("GITHUB_BASE_REF"):
            base = f"origin/{environ['GITHUB_BASE_REF']}"
    return record, base


def print_diagnostics(diags, fmt: str = "text", stream=None, args: argparse.Namespace | None = None,  # type: ignore[no-untyped-def]
                      environ: dict[str, str] | None = None) -> None:
    """Every diagnostic and the count. `--format github` with `args`: the changed files' first,
    none already annotated in this workflow (see `gongkai.annotations`)."""
    from ..diagnostics import format_diagnostics, summary_line

    stream = stream or (sys.stdout if fmt == "json" else sys.stderr)
    if fmt != "github" or args is None:
        stream.write(format_diagnostics(diags, fmt) + "\n")
        stream.flush()
        return
    from .. import annotations
    from ..review.git import GitError, changed_files

    record, base = annotation_options(args, dict(os.environ) if environ is None else environ)
    first: set[str] = set()
    if base is not None:
        try:
            first = changed_files(Path.cwd(), base)
        except GitError as exc:
            stream.write(f"注意：无法与 {base} 比较（{exc}），注释按文件顺序输出。\n")
    seen = annotations.read_seen(record) if record is not None else set()
    lines = annotations.new_lines(annotations.ordered(diags.sorted(), first), seen)
    if record is not None:
        annotations.remember(record, lines)
    skipped = len(diags.sorted()) - len(lines)
    tail = f"（另有 {skipped} 条与本工作流之前的步骤相同，不再重复注释）" if skipped else ""
    stream.write("".join(line + "\n" for line in lines) + summary_line(diags) + tail + "\n")
    stream.flush()
