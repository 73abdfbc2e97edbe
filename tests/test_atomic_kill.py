"""Kill `python build.py` with SIGKILL at random moments: site/ is always the old complete site or
the new complete site, never a mix, never missing; stray temp folders go with the next build.

The campaign alternates between two versions of a 1,000-document town (1,500 and more kills
in benchmarks/reliability.py) so that "old" and "new"
are different trees with known hashes; kill times are stratified over the whole build (start-up,
load, validate, parallel render, feeds, index, copy, swap, clean-up), seeded. Half the kills hit
the whole process group (as CI cancelling a job does), half only the main process (as `kill -9`
or the OOM killer does), leaving the render workers to notice on their own.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sitekit import base_files, doc, write_tree
from test_atomic_writer import strays, tree_digest, verify_complete

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not hasattr(os, "killpg"), reason="POSIX only")


def version_files(n_docs: int, version: str) -> dict[str, str | None]:
    """A town with `n_docs` documents; versions differ in every body and in one file each."""
    files: dict[str, str | None] = dict(base_files())
    for i in range(n_docs):
        files[f"documents/{2025 + i % 2}/d{i:04d}.md"] = doc(
            f"关于第{i}批低保对象的公示", kind="公示" if i % 50 == 0 else "通知",
            body=f"# 第 {i} 批\n\n版本 {version}：本批共 {i % 17 + 1} 户。\n\n| 户主 | 金额 |\n|---|---|\n| 张{i} | {300 + i} |\n",
        )
    files["documents/2026/only-a.md"] = doc("只在甲版本中的通知") if version == "A" else None
    files["documents/2026/only-b.md"] = doc("只在乙版本中的通知") if version == "B" else None
    return files


def snapshot_code(work: Path) -> Path:
    """A frozen copy of gongkai, its templates and build.py: edits to the working tree during the
    campaign must not make two builds of the same content differ."""
    snap = work / "code"
    shutil.copytree(REPO / "gongkai", snap / "gongkai", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", snap / "templates")
    shutil.copy2(REPO / "build.py", snap / "build.py")
    if (REPO / "node_modules").is_dir():
        os.symlink(REPO / "node_modules", snap / "node_modules", target_is_directory=True)
    return snap / "build.py"


def build_cmd(work: Path, out: str = "site") -> list[str]:
    return [sys.executable, str(work / "code" / "build.py"), "--today", TODAY, "-q", "--out", out]


def run_build(project: Path, out: str = "site") -> float:
    start = time.monotonic()
    done = subprocess.run(build_cmd(project, out), cwd=project, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - start


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


@dataclass
class Campaign:
    kills: int = 0  # builds interrupted by SIGKILL while running
    finished_first: int = 0  # builds that ended before their kill time (not counted as kills)
    survived: int = 0  # kills after which site/ was a complete old or new tree
    became_new: int = 0
    stayed_old: int = 0
    stray_seen: int = 0  # kills that left a temp folder behind
    missing_samples: int = 0  # watcher samples that found site/ without its marker
    watcher_samples: int = 0
    phases: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    build_seconds: float = 0.0


class Watcher(threading.Thread):
    """Polls site/ all through the campaign: it must always exist with its completion marker."""

    def __init__(self, site: Path, result: Campaign):
        super().__init__(daemon=True)
        self.site, self.result, self.stop = site, result, threading.Event()

    def run(self) -> None:
        marker = self.site / ".gongkai-build.json"
        while not self.stop.is_set():
            self.result.watcher_samples += 1
            if not marker.is_file():
                self.result.missing_samples += 1
            time.sleep(0.01)


TRIGGERS = ["time"] * 8 + ["render"] * 6 + ["swap"] * 3 + ["clean-up"] * 3


def wait_for_trigger(proc: subprocess.Popen, work: Path, trigger: str, at: float, before: set[str], inode: int) -> bool:  # type: ignore[type-arg]
    """Wait until the moment to kill; False if the build ended first.

    time: `at` seconds after start. render: `at` seconds after the new temp folder appears.
    swap: as soon as the new tree's completion marker exists (fsync, exchange, clean-up follow).
    clean-up: as soon as site/ is the new folder (the old tree is being deleted).
    """
    start = time.monotonic()
    seen: float | None = None
    while proc.poll() is None:
        now = time.monotonic()
        if trigger == "time" and now - start >= at:
            return True
        fresh = [p for p in work.glob(".site.tmp-*") if p.name not in before]
        if trigger == "render" and fresh:
            seen = seen or now
            if now - seen >= at:
                return True
        if trigger == "swap" and any((p / ".gongkai-build.json").exists() for p in fresh):
            return True
        if trigger == "clean-up":
            try:
                if (work / "site").stat().st_ino != inode:
                    return True
            except FileNotFoundError:
                return True  # would be a failure: killed right away, then reported
        time.sleep(0.001)
    return False


def kill_campaign(work: Path, n_docs: int = 1500, kills: int = 20, seed: int = 20261126) -> Campaign:
    """Run the campaign in `work` (emptied first); returns the figures, failures included."""
    rng = random.Random(seed)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result = Campaign()
    snapshot_code(work)
    versions = {v: version_files(n_docs, v) for v in "AB"}
    write_tree(work, versions["B"])
    seconds = run_build(work, "ref-b")
    digest = {"B": tree_digest(work / "ref-b")}
    shutil.rmtree(work / "ref-b")
    write_tree(work, versions["A"])
    result.build_seconds = min(seconds, run_build(work))
    digest["A"] = tree_digest(work / "site")
    assert digest["A"] != digest["B"]
    current = "A"
    site = work / "site"
    schedule = [TRIGGERS[i * len(TRIGGERS) // kills] for i in range(kills)]
    rng.shuffle(schedule)
    watcher = Watcher(site, result)
    watcher.start()
    try:
        attempts = 0
        while result.kills < kills and attempts < kills * 3:
            attempts += 1
            trigger = schedule[result.kills]
            target = "B" if current == "A" else "A"
            write_tree(work, versions[target])
            at = rng.uniform(0, result.build_seconds) if trigger == "time" else rng.uniform(0, 0.6 * result.build_seconds)
            whole_group = rng.random() < 0.5
            before = {p.name for p in work.glob(".site.tmp-*")}
            inode = site.stat().st_ino
            started = time.monotonic()
            proc = subprocess.Popen(build_cmd(work), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
            if wait_for_trigger(proc, work, trigger, at, before, inode):
                if whole_group:
                    os.killpg(proc.pid, signal.SIGKILL)
                else:
                    proc.send_signal(signal.SIGKILL)
                proc.wait()
            if proc.returncode == 0:
                result.finished_first += 1  # ended before the kill: must be the new site
                result.build_seconds = 0.5 * result.build_seconds + 0.5 * (time.monotonic() - started)
            else:
                result.kills += 1
                label = trigger if trigger != "time" else f"time {'early' if at < result.build_seconds / 2 else 'late'}"
                result.phases[label] = result.phases.get(label, 0) + 1
            deadline = time.monotonic() + 30
            while group_alive(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.05)  # orphaned render workers exit on their own (broken pipe)
            if group_alive(proc.pid):
                result.failures.append(f"{trigger} kill: render workers still alive after 30 s")
                os.killpg(proc.pid, signal.SIGKILL)
            problems = verify_complete(site)
            now = tree_digest(site) if not problems else ""
            if problems or now not in (digest[current], digest[target]):
                result.failures.append(f"{trigger} kill ({at:.2f}s): {problems or 'neither the old nor the new site'}")
                break
            if proc.returncode == 0:
                if now != digest[target]:
                    result.failures.append("a finished build did not publish the new site")
                current = target
                continue
            result.survived += 1
            if now == digest[target]:
                result.became_new += 1
                current = target
            else:
                result.stayed_old += 1
            result.stray_seen += bool(strays(work))
        write_tree(work, versions["B" if current == "A" else "A"])
        run_build(work)  # a normal build afterwards: publishes, and cleans up after the killed ones
        if strays(work):
            result.failures.append(f"stray folders after a normal build: {strays(work)}")
        if verify_complete(site):
            result.failures.append(f"final build incomplete: {verify_complete(site)}")
    finally:
        watcher.stop.set()
        watcher.join()
    return result


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_mixed_or_missing_site(tmp_path: Path) -> None:
    result = kill_campaign(tmp_path / "town", n_docs=1000, kills=20, seed=9)
    print(result)
    assert result.failures == []
    assert result.kills >= 20 and result.survived == result.kills
    assert result.missing_samples == 0 and result.watcher_samples > 500
    assert result.stayed_old > 0, "no kill landed before the swap"
    assert result.became_new > 0, "no kill landed after the swap"
    assert result.stray_seen > 0, "no kill left a temp folder, so clean-up was not exercised"
    assert {"render", "swap", "clean-up"} <= set(result.phases), result.phases
