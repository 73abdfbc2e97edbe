"""Options shared by several commands."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


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


def print_diagnostics(diags, fmt: str = "text", stream=None) -> None:  # type: ignore[no-untyped-def]
    from ..diagnostics import format_diagnostics

    stream = stream or (sys.stdout if fmt == "json" else sys.stderr)
    stream.write(format_diagnostics(diags, fmt) + "\n")
    stream.flush()
