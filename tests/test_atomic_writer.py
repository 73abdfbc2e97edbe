"""The atomic writer in-process: failed builds change nothing, interrupted swaps recover,
concurrent builds take turns, and the new tree is flushed before it becomes visible.

`tree_digest` and `verify_complete` are shared with the kill test and the reliability benchmark.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitekit import doc

from gongkai import output
from gongkai.output import MARKER, SiteWriter, recover

REPO = Path(__file__).resolve().parent.parent


def file_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def tree_digest(root: Path) -> str:
    """One hash over every file's path and bytes (marker included)."""
    h = hashlib.sha256()
    for rel, digest in file_digests(root).items():
        h.update(f"{rel}\0{digest}\n".encode())
    return h.hexdigest()


def verify_complete(site: Path) -> list[str]:
    """Problems with `site` as a complete build: marker present, manifest matches every file."""
    marker = site / MARKER
    if not site.is_dir():
        return [f"{site} is missing"]
    if not marker.is_file():
        return [f"{marker} is missing (incomplete tree)"]
    info = json.loads(marker.read_text(encoding="utf-8"))
    files = file_digests(site)
    files.pop(MARKER)
    digest = hashlib.sha256(json.dumps(dict(sorted(files.items())), sort_keys=True).encode()).hexdigest()
    problems = []
    if info["files"] != len(files):
        problems.append(f"marker lists {info['files']} files, tree has {len(files)}")
    if info["manifest_sha256"] != digest:
        problems.append("manifest hash does not match the files")
    return problems


def strays(parent: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((f".{name}.tmp-", f".{name}.old-")))


# ---- failed builds ------------------------------------------------------------------------------


def test_every_build_leaves_a_complete_verifiable_tree(built) -> None:
    site, result = built()
    assert result.ok
    assert verify_complete(site) == []
    assert strays(site.parent) == []


def test_content_error_leaves_site_byte_identical(built) -> None:
    site, result = built()
    assert result.ok
    before, inode = file_digests(site), site.stat().st_ino
    _, result = built({"documents/2026/bad.md": doc("坏文件", attribute="不予公开"),  # no reason/legal_basis
                       "documents/2026/gbk.md": doc("编码").encode("gbk")})
    assert not result.ok
    assert file_digests(site) == before and site.stat().st_ino == inode
    assert strays(site.parent) == []


def test_crash_while_rendering_leaves_site_byte_identical(built, monkeypatch: pytest.MonkeyPatch) -> None:
    site, result = built()
    assert result.ok
    before = file_digests(site)

    def boom(*args: object) -> None:
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr("gongkai.build.copy_static", boom)
    with pytest.raises(RuntimeError):
        built({"documents/2026/new.md": doc("新文件")})
    assert file_digests(site) == before
    assert strays(site.parent) == []


# ---- the swap -------------------------------------------------------------------------------------


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("A"), (b / "x").write_text("B")
    if not output._exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here")
    assert (a / "x").read_text() == "B" and (b / "x").read_text() == "A"


def test_exchange_failure_raises_instead_of_falling_back(tmp_path: Path) -> None:
    """A vanished temp folder must not make the writer move site/ aside with nothing to put back."""
    site = tmp_path / "site"
    site.mkdir()
    if output._libc() is None or not hasattr(output._libc(), "renameat2"):
        pytest.skip("Linux only")
    with pytest.raises(OSError) as info:
        output._exchange(tmp_path / ".site.tmp-gone", site)
    assert info.value.errno == errno.ENOENT
    assert site.is_dir()


def test_fallback_swap_interrupted_between_renames_is_recovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without RENAME_EXCHANGE (macOS, Windows) the swap is two renames; a crash in between is
    repaired by the next build, which puts the old complete site back first."""
    out = tmp_path / "site"
    with SiteWriter(out) as w:
        w.write("index.html", b"old")
        w.commit()
    old = file_digests(out)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith(".site.tmp-"):
            raise KeyboardInterrupt("killed between the two renames (simulated)")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt), SiteWriter(out) as w:
        w.write("index.html", b"new")
        w.commit()
    monkeypatch.setattr(Path, "rename", real_rename)
    assert not out.exists()  # the window the fallback cannot avoid ...
    assert any(n.startswith(".site.old-") for n in strays(tmp_path))
    recover(out)  # ... closed by the next build before anything else
    assert file_digests(out) == old
    assert strays(tmp_path) == []


def test_fallback_swap_completes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    for text in (b"one", b"two"):
        with SiteWriter(out) as w:
            w.write("index.html", text)
            w.commit()
    assert (out / "index.html").read_bytes() == b"two"
    assert verify_complete(out) == [] and strays(tmp_path) == []


def test_next_build_removes_stray_temp_folders(built, tmp_path: Path) -> None:
    site, result = built()
    for name in (".site.tmp-0123456789ab", ".site.old-ba9876543210"):
        (tmp_path / name / "documents").mkdir(parents=True)
        (tmp_path / name / "documents" / "half.html").write_text("<p>半")
    _, result = built()
    assert result.ok
    assert strays(tmp_path) == []
    assert verify_complete(site) == []


def test_new_tree_is_flushed_before_it_becomes_visible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    monkeypatch.delenv("GONGKAI_NO_FSYNC", raising=False)
    real_syncfs, real_exchange = output._syncfs, output._exchange

    def syncfs(path: Path) -> bool:
        events.append("flush " + ("tmp" if path.name.startswith(".site.tmp-") else path.name))
        assert (path / MARKER).is_file(), "flushed before the marker was written"
        return real_syncfs(path)

    def exchange(a: Path, b: Path) -> bool:
        events.append("swap")
        return real_exchange(a, b)

    monkeypatch.setattr(output, "_syncfs", syncfs)
    monkeypatch.setattr(output, "_exchange", exchange)
    out = tmp_path / "site"
    for _ in range(2):
        with SiteWriter(out) as w:
            w.write("index.html", b"x")
            w.commit()
    assert events == ["flush tmp", "flush tmp", "swap"]


def test_without_syncfs_every_file_is_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GONGKAI_NO_FSYNC", raising=False)
    monkeypatch.setattr(output, "_syncfs", lambda path: False)
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    with SiteWriter(tmp_path / "site") as w:
        for i in range(5):
            w.write(f"d/{i}.html", b"x")
        w.commit()
    assert len(synced) >= 5 + 1 + 2  # files, marker, directories


# ---- concurrent builds ----------------------------------------------------------------------------

HOLDER = """
import sys, time
from pathlib import Path
from gongkai.output import SiteWriter
w = SiteWriter(Path(sys.argv[1]))
w.write("index.html", b"first")
print("locked", flush=True)
time.sleep(1.0)
w.commit()
print("committed", flush=True)
"""


def test_concurrent_builds_take_turns(tmp_path: Path) -> None:
    """A second build waits for the first instead of deleting its temp folder (it used to: the
    first build then crashed with FileNotFoundError, or left no site/ at all)."""
    out = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    start = time.monotonic()
    with SiteWriter(out) as w:  # blocks until the holder has published
        waited = time.monotonic() - start
        assert (out / "index.html").read_bytes() == b"first"
        w.write("index.html", b"second")
        w.commit()
    assert holder.wait(timeout=30) == 0
    assert holder.stdout.read().strip() == "committed"
    assert waited > 0.5
    assert (out / "index.html").read_bytes() == b"second"
    assert verify_complete(out) == [] and strays(tmp_path) == []


def test_lock_is_released_when_a_build_is_killed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=30)
    start = time.monotonic()
    with SiteWriter(out) as w:
        assert time.monotonic() - start < 5
        w.write("index.html", b"after")
        w.commit()
    assert (out / "index.html").read_bytes() == b"after" and strays(tmp_path) == []
