"""GitHub Actions annotations of one workflow: the pull request's files first, none twice.

GitHub shows ten annotations of each kind per step. So the files a pull request changed come
first (`first`: their paths), and a build after a check in the same job does not repeat what the
check annotated: every annotation line printed is appended to a record file (`seen`), and lines
already recorded there are left out. Pure over its inputs; the CLI decides where the record is.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic


def ordered(items: list[Diagnostic], first: set[str]) -> list[Diagnostic]:
    """`items` (already sorted) with the diagnostics of the files in `first` ahead, both parts in
    their own order."""
    return [d for d in items if d.path in first] + [d for d in items if d.path not in first]


def read_seen(record: Path) -> set[str]:
    try:
        return set(record.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return set()


def new_lines(items: list[Diagnostic], seen: set[str]) -> list[str]:
    return [line for line in (d.github() for d in items) if line not in seen]


def remember(record: Path, lines: list[str]) -> None:
    if not lines:
        return
    record.parent.mkdir(parents=True, exist_ok=True)
    with record.open("a", encoding="utf-8", newline="\n") as out:
        out.write("".join(line + "\n" for line in lines))
