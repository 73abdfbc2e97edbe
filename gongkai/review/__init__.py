"""`gongkai diff`: what a change does to the public record, as a pull-request comment.

`diff_revisions` reads the content folder at two git revisions (or one revision and the
working tree) into temp folders, loads and validates each side exactly as `gongkai check`
does, and compares them (`compare.py`); `report.py` renders the result.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from ..loading import load_content
from ..validate import validate
from .compare import ContentDiff, Side, compare, side_from
from .git import GitError, export, repo_root, resolve


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    """Load with the repository root as working directory, so messages say `content/...`."""
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _load(root: Path, prefix: str, label: str, today: date) -> Side:
    with _cwd(root):
        raw = load_content(Path(prefix))
        _, diags = validate(raw, today)
    return side_from(label, raw, diags)


def diff_revisions(content: Path, base: str, head: str | None, today: date) -> ContentDiff:
    """Raises GitError for usage problems (not a repository, unknown revision, path outside)."""
    start = content if content.is_dir() else Path(".")
    root = repo_root(start.resolve() if start.exists() else Path("."))
    prefix = Path(os.path.relpath(content.resolve(), root)).as_posix()
    if prefix == ".." or prefix.startswith("../"):
        raise GitError(f"内容目录 {content.as_posix()} 不在 git 仓库 {root.as_posix()} 中")
    base_commit = resolve(root, base)
    head_commit = resolve(root, head) if head else None
    with tempfile.TemporaryDirectory(prefix="gongkai-diff-") as tmp:
        sides = []
        for name, rev, commit in (("base", base, base_commit), ("head", head, head_commit)):
            if commit is None:
                sides.append(_load(root, prefix, "工作区（未提交的修改）", today))
                continue
            dest = Path(tmp) / name
            dest.mkdir()
            label = f"{rev}（{commit[:8]}）"
            if export(root, commit, prefix, dest) == 0 and name == "base":
                (dest / prefix).mkdir(parents=True, exist_ok=True)  # content did not exist yet
                sides.append(_empty(label))
                continue
            sides.append(_load(dest, prefix, label, today))
    return compare(sides[0], sides[1])


def _empty(label: str) -> Side:
    from ..diagnostics import Diagnostics

    return Side(label, {}, {}, {}, {}, Diagnostics())


__all__ = ["ContentDiff", "GitError", "diff_revisions"]
