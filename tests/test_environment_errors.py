"""Environment errors: a full disk, a read-only or busy output folder are one Chinese line naming
the folder, exit 2, and the old site/ stays as it was — in this process and in render workers."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import make_site

from gongkai import cli
from gongkai.oserrors import environment_message, shown_path
from gongkai.render import parallel

FULL = "site: 错误: 磁盘空间不足，无法写入（请清理磁盘或用 --out 指定空间足够的目录后重试；原有的网站保持不变）\n"
READ_ONLY = ("site: 错误: 所在磁盘是只读的，无法写入"
             "（请用 --out 指定可写的目录，或把磁盘重新挂载为可写后重试；原有的网站保持不变）\n")
DENIED = ("错误: 无法写入，文件或目录正被其他程序占用或没有写入权限"
          "（请关闭正在打开它的程序（资源管理器、浏览器、杀毒软件），或给当前用户该目录及其上级目录的写入权限后重试）")


BUILD = ["build", "-q", "--today", "2026-11-26"]


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def town(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, bytes]]:
    """A built town; returns the project folder and the files of its site/."""
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main([*BUILD, "--cache", str(tmp_path / "cache")]) == 0
    return tmp_path, snapshot(tmp_path / "site")


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int, workers_only: bool = False) -> None:
    """Every write of a page into the build's temp folder fails with `code` (inherited by forks);
    with `workers_only`, only in forked render workers."""
    real = Path.write_bytes
    parent = os.getpid()

    def write_bytes(self: Path, data: bytes) -> int:  # type: ignore[override]
        if workers_only and os.getpid() == parent:
            return real(self, data)
        if ".site.tmp-" in str(self) and self.name.endswith(".html"):
            raise OSError(code, os.strerror(code), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def left_over(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site.tmp-"))


@pytest.mark.parametrize(("code", "line"), [(errno.ENOSPC, FULL), (errno.EDQUOT, FULL), (errno.EROFS, READ_ONLY)])
def test_disk_full_or_read_only_while_writing(town: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], code: int, line: str) -> None:
    root, before = town
    capsys.readouterr()
    fail_writes(monkeypatch, code)
    assert cli.main([*BUILD, "-j", "1", "--cache", str(root / "fresh")]) == 2
    captured = capsys.readouterr()
    assert captured.err == line
    assert snapshot(root / "site") == before
    assert left_over(root) == []


def test_disk_full_in_a_render_worker(town: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Pages rendered by forked workers: the worker's OSError reaches the parent as itself."""
    root, before = town
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 1)
    capsys.readouterr()
    fail_writes(monkeypatch, errno.ENOSPC, workers_only=True)
    assert cli.main([*BUILD, "-j", "2", "--cache", str(root / "fresh")]) == 2
    assert capsys.readouterr().err == FULL
    assert snapshot(root / "site") == before


def test_a_real_read_only_parent_folder(tmp_path: Path) -> None:
    """chmod 555 on the folder holding site/: as root, the process runs without CAP_DAC_OVERRIDE."""
    make_site(tmp_path)
    out = tmp_path / "public" / "site"
    build = [sys.executable, "-m", "gongkai", "build", "-q", "--today", "2026-11-26", "--out", "public/site"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    assert subprocess.run(build, cwd=tmp_path, env=env, check=False, capture_output=True).returncode == 0
    before = snapshot(out)
    prefix: list[str] = []
    if os.geteuid() == 0:  # root ignores mode bits unless it gives up the capability
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                  "--inh-caps", "-dac_override,-dac_read_search", "--"]
    (tmp_path / "public").chmod(0o555)
    again = [*build[:-3], "2026-11-27", *build[-2:]]  # another day: a build with something to write (`stamp.py`)
    try:
        proc = subprocess.run(prefix + again, cwd=tmp_path, env=env, check=False, capture_output=True, text=True,
                              encoding="utf-8")
    finally:
        (tmp_path / "public").chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"public/site: {DENIED}\n"
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("/x/proj/.site.tmp-0123456789ab/documents/2026/a.html", "site"),
        ("/x/proj/public/.site.lock", "public/site"),
        ("/x/proj/.site.old-abcdef012345", "site"),
        ("/x/proj/.site.trash-abcdef012345/index.html", "site"),
        ("/x/proj/site/index.html", "site/index.html"),
        ("/elsewhere/cache/bodies.json", "/elsewhere/cache/bodies.json"),
        (None, "输出目录"),
    ],
)
def test_the_path_named_is_the_output_folder(filename: str | None, shown: str) -> None:
    assert shown_path(filename, Path("/x/proj")) == shown


def test_a_busy_file_on_windows_and_other_errors() -> None:
    busy = OSError(errno.EACCES, "denied", "site/index.html")
    busy.winerror = 32  # type: ignore[attr-defined]
    assert environment_message(busy) == ("site/index.html: 错误: 无法写入，文件或目录正被其他程序占用"
                                         "（请关闭正在打开它的程序（资源管理器、浏览器、杀毒软件）后重试）")
    assert environment_message(OSError(errno.EBUSY, "busy", "site")) is not None
    assert environment_message(OSError(errno.ENOENT, "gone", "x")) is None  # not the machine: a bug, exit 3
    assert environment_message(OSError(errno.EINVAL, "bad", "x")) is None


def test_other_os_errors_stay_internal_errors(town: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = town
    capsys.readouterr()
    fail_writes(monkeypatch, errno.EINVAL)
    assert cli.main([*BUILD, "-j", "1", "--cache", str(root / "fresh")]) == 3
    assert "gongkai 内部错误" in capsys.readouterr().err
