"""Read the content folder as it was at a git revision, without touching the working tree.

`git ls-tree` lists the blobs under the content path and one `git cat-file --batch` process
streams them into a temp folder. Unlike `git archive`, this ignores `export-ignore` and
`export-subst` attributes, so what is compared is exactly what was committed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath


class GitError(Exception):
    """A usage problem (not a repository, unknown revision …), reported with exit code 2."""


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("找不到 git 命令，请先安装 Git") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return proc.stdout


def repo_root(start: Path) -> Path:
    try:
        out = _git(start, "rev-parse", "--show-toplevel")
    except GitError:
        raise GitError(f"{start.resolve().as_posix()} 不在 git 仓库中（gongkai diff 比较的是两个 git 版本）") from None
    return Path(out.decode("utf-8").strip())


def resolve(root: Path, rev: str) -> str:
    """The full commit id of `rev`, or a GitError that names the revision."""
    if rev.startswith("-"):
        raise GitError(f"版本“{rev}”无效")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"找不到版本“{rev}”（可以是分支名、标签或提交号，例如 origin/main、HEAD~1）") from None


def export(root: Path, commit: str, prefix: str, dest: Path) -> int:
    """Write the files under `prefix` at `commit` to `dest/<prefix>/…`; returns how many."""
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix)
    entries: list[tuple[str, str, str]] = []
    for raw in listing.split(b"\0"):
        if not raw:
            continue
        meta, _, path = raw.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        rel = os.fsdecode(path)
        parts = PurePosixPath(rel).parts
        if kind != "blob" or ".." in parts or rel.startswith("/"):
            continue  # submodules, and paths git would never produce
        entries.append((mode, sha, rel))
    if not entries:
        return 0
    blobs = _git(root, "cat-file", "--batch", data="".join(f"{sha}\n" for _, sha, _ in entries).encode())
    pos = 0
    for mode, sha, rel in entries:
        header_end = blobs.index(b"\n", pos)
        _, _, size = blobs[pos:header_end].decode().split()
        start = header_end + 1
        body = blobs[start : start + int(size)]
        pos = start + int(size) + 1
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":  # a committed symlink stays a symlink: the loader reports it
            try:
                os.symlink(os.fsdecode(body), target)
            except OSError:
                pass
            continue
        target.write_bytes(body)
    return len(entries)


def changed_files(cwd: Path, base: str) -> set[str]:
    """Files that differ between `base` and HEAD, relative to `cwd` with `/` (what a pull request
    changed). Three-dot (since the merge base) where the history allows it, else two-dot (a
    shallow clone with the base branch fetched). A GitError names the revision otherwise."""
    root = repo_root(cwd)
    resolve(root, base)
    try:
        out = _git(cwd, "diff", "--name-only", "--relative", "-z", f"{base}...HEAD")
    except GitError:
        out = _git(cwd, "diff", "--name-only", "--relative", "-z", base, "HEAD")
    return {os.fsdecode(p) for p in out.split(b"\0") if p}
