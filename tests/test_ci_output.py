"""Issue 21: honest progress and annotations that do not crowd out the pull request's own.

- `build` reports each stage as it starts, loading first, and the page count of 生成页面 is the
  summary's count (notice-board prints included in both);
- in a terminal the first line shows at once; under CI (`CI` set, or `--ci`) one plain line per
  stage, nothing redrawn;
- `--format github`: a build after a check in the same workflow does not repeat the check's
  annotations (`--annotated FILE`, by default `$RUNNER_TEMP/gongkai-annotations.txt` in GitHub
  Actions), and the files the pull request changed are annotated first (`--changed-from REF`, by
  default `origin/$GITHUB_BASE_REF`).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from sitekit import doc, make_site
from test_check_formats import cli

from gongkai.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"
BASE = ("--base-url", "https://www.example.org/yongsui/")  # builds: no print-page QR warning, only the tests' own
SUMMARY = re.compile(r"^已生成 site/：(\d+) 个页面(?:（含公示栏打印页 (\d+) 个）)?，共 \d+ 个文件。$", re.MULTILINE)


def late(title: str) -> str:
    """A document published after its deadline: one 超期公开 warning."""
    return doc(title=title, created="2026-01-05", published="2026-03-05")


def test_stages_are_reported_as_they_start_and_the_page_count_is_the_summarys(tmp_path: Path) -> None:
    from datetime import date

    content = make_site(tmp_path, {f"documents/2026/n{i}.md": doc(title=f"第{i}号通知") for i in range(5)})
    events: list[tuple[str, int, int]] = []
    result = build(BuildOptions(content=content, output=tmp_path / "site", templates=REPO / "templates",
                                today=date(2026, 11, 26), jobs=1, project=REPO),
                   lambda stage, done, total: events.append((stage, done, total)))
    assert result.ok
    starts = [e for e in events if e[1] == 0]
    # the bodies are converted (on every core) before validation: the privacy scan reads them
    assert [s[0] for s in starts] == ["load", "bodies", "validate", "render", "write"]
    assert events[0] == ("load", 0, 0)  # before a file is read
    assert starts[1] == ("bodies", 0, 6)
    renders = [e for e in events if e[0] == "render"]
    assert renders[-1][1] == renders[-1][2] == result.pages + result.stats["prints"]
    assert result.stats["prints"] > 0  # the count covers the prints, as the summary does


def test_in_a_terminal_the_first_stage_shows_at_once(tmp_path: Path) -> None:
    make_site(tmp_path, {f"documents/2026/n{i}.md": doc(title=f"第{i}号通知") for i in range(40)})
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a real terminal has a size
    proc = subprocess.Popen([sys.executable, "-m", "gongkai", "build", "--today", TODAY, "-j", "1"], cwd=tmp_path,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=child, env=env)
    os.close(child)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert text.lstrip("\r").startswith("读取内容…"), text[:200]  # the very first thing on the terminal
    assert "检查内容…" in text and "生成页面" in text
    assert "\r" in text  # redrawn in place, not one line per update


def test_ci_option_prints_plain_lines_without_the_ci_variable(tmp_path: Path) -> None:
    make_site(tmp_path)
    proc = cli(tmp_path, "build", "--today", TODAY, *BASE, "-j", "1", "--ci")
    assert proc.returncode == 0, proc.stderr
    pages = SUMMARY.search(proc.stdout).group(1)
    assert proc.stderr.splitlines() == ["读取内容…", "转换正文：1 份文件…", "检查内容…", f"生成页面：共 {pages} 个页面…",
                                        "写入网站…"]


def annotations(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("::")]


def test_a_build_after_a_check_does_not_repeat_its_annotations(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/late.md": late("迟发的通知")})
    record = tmp_path.parent / f"{tmp_path.name}-annotations.txt"
    checked = cli(tmp_path, "check", "--today", TODAY, "--format", "github", "--annotated", str(record))
    assert len(annotations(checked.stderr)) == 1
    assert annotations(checked.stderr)[0].startswith("::warning file=content/documents/2026/late.md,line=6,")
    assert checked.stderr.splitlines()[-1] == "共 0 个错误，1 个警告。"
    built = cli(tmp_path, "build", "--today", TODAY, *BASE, "-j", "1", "--format", "github", "--annotated", str(record), CI="true")
    assert built.returncode == 0, built.stderr
    assert annotations(built.stderr) == []
    assert "共 0 个错误，1 个警告。（另有 1 条与本工作流之前的步骤相同，不再重复注释）" in built.stderr.splitlines()
    assert SUMMARY.search(built.stderr), built.stderr  # the build's own summary, still
    assert record.read_text(encoding="utf-8").splitlines() == annotations(checked.stderr)


def test_github_actions_variables_give_the_record_and_the_base(tmp_path: Path) -> None:
    content = {"documents/2026/a-old.md": late("旧的迟发通知")}
    make_site(tmp_path, content)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")  # what actions/checkout fetches
    git(tmp_path, "switch", "-q", "-c", "pr")
    make_site(tmp_path, {**content, "documents/2026/z-new.md": late("新的迟发通知")})
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "pull request")
    runner = tmp_path.parent / f"{tmp_path.name}-runner"
    runner.mkdir()
    actions = {"GITHUB_ACTIONS": "true", "RUNNER_TEMP": str(runner), "GITHUB_BASE_REF": "main", "CI": "true"}
    checked = cli(tmp_path, "check", "--today", TODAY, "--format", "github", **actions)
    paths = [re.search(r"file=([^,]+),", a).group(1) for a in annotations(checked.stderr)]
    assert paths == ["content/documents/2026/z-new.md", "content/documents/2026/a-old.md"]  # the PR's file first
    built = cli(tmp_path, "build", "--today", TODAY, *BASE, "-j", "1", "--format", "github", **actions)
    assert built.returncode == 0 and annotations(built.stderr) == []
    assert (runner / "gongkai-annotations.txt").is_file()


def test_changed_files_come_first_and_an_unknown_base_says_so(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/a.md": late("甲通知")})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    make_site(tmp_path, {"documents/2026/a.md": late("甲通知"), "documents/2026/b.md": late("乙通知")})
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "second")
    first = cli(tmp_path, "check", "--today", TODAY, "--format", "github", "--changed-from", "HEAD~1")
    assert [a.split(",")[0] for a in annotations(first.stderr)] == [
        "::warning file=content/documents/2026/b.md", "::warning file=content/documents/2026/a.md"]
    unknown = cli(tmp_path, "check", "--today", TODAY, "--format", "github", "--changed-from", "origin/nope")
    assert unknown.stderr.splitlines()[0] == (
        "注意：无法与 origin/nope 比较（找不到版本“origin/nope”（可以是分支名、标签或提交号，例如 origin/main、HEAD~1）），"
        "注释按文件顺序输出。")
    assert [a.split(",")[0] for a in annotations(unknown.stderr)] == [
        "::warning file=content/documents/2026/a.md", "::warning file=content/documents/2026/b.md"]


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_record_and_base_only_apply_to_github_format(tmp_path: Path, fmt: str) -> None:
    make_site(tmp_path, {"documents/2026/late.md": late("迟发的通知")})
    record = tmp_path.parent / f"{tmp_path.name}-{fmt}.txt"
    for _ in range(2):
        proc = cli(tmp_path, "check", "--today", TODAY, "--format", fmt, "--annotated", str(record))
        assert "超期公开" in proc.stdout + proc.stderr
    assert not record.exists()
