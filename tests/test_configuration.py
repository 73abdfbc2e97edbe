"""Configuration travels as arguments: the environment is read at the CLI edge only, and the
build's day (`--today`) is the day every rule uses.

- No module under `gongkai/` other than the CLI (`cli.py`, `commands/`) reads `os.environ` or
  `os.getenv` (parsed, so a read inside a function counts too).
- A build told where to write its timings writes them there, and one that is not told writes
  nothing even when `$GONGKAI_TIMINGS` is set (only the CLI turns that variable into an option);
  the same for `$GONGKAI_NO_QUICK`.
- The personal-data scan judges an ID number's birth date against `--today`, not the clock.
- No module forks by hand or ends a process with `os._exit` (the worker pool does both, through
  `multiprocessing`).
- Only the CLI reads the calendar (`date.today`, `datetime.now` …): a build, a check, the language
  server and `gongkai serve` are told their day; a long-running command is given the clock.
"""

from __future__ import annotations

import ast
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sitekit import TODAY, doc, make_site, run_cli

from gongkai.build import BuildOptions, build
from gongkai.rules.privacy import id_check_char

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "gongkai"
#: Modules that may read the environment, and why.
EDGE = {"cli.py", "commands"}


def uses(attrs: set[str], owners: set[str], skip: tuple[str, ...] | set[str] = ()) -> list[str]:
    """Every `owner.attr` in gongkai's modules (parsed: inside functions too) outside `skip`
    (top-level files or folders of the package), as `gongkai/<file>:<line>: owner.attr`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.split("/")[0] in skip:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in attrs \
                    and isinstance(node.value, ast.Name) and node.value.id in owners:
                found.append(f"gongkai/{rel}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_only_the_cli_edge_reads_the_environment() -> None:
    found = uses({"environ", "getenv", "environb"}, {"os"}, EDGE)
    assert found == [], "read the environment in cli.py or commands/ and pass it down as an option"


def test_no_module_ends_the_process_with_os_exit() -> None:
    """A forked helper returns its value and lets `multiprocessing` end it (`pool.Forked`); nothing
    in gongkai cuts a process short past its `finally` blocks and exit handlers."""
    assert uses({"_exit", "fork", "forkpty"}, {"os"}) == []


#: Where the calendar may be read, and why: the CLI, and `BuildOptions`' default for a library
#: caller that gives no day (the day the options are made, which then travels with them).
CLOCK_EDGE = {"cli.py", "commands", "options.py"}


def test_only_the_cli_edge_reads_the_calendar() -> None:
    found = uses({"today", "now", "utcnow"}, {"date", "datetime"}, CLOCK_EDGE)
    assert found == [], "take the day as an argument (--today, resolved in commands/)"


def test_a_server_running_past_midnight_builds_for_the_new_day() -> None:
    from gongkai.build import BuildResult
    from gongkai.diagnostics import Diagnostics
    from gongkai.serve.state import LiveState

    days = iter([date(2026, 11, 26), date(2026, 11, 27)])
    seen: list[date] = []

    def builder(opts: BuildOptions, progress: object = None) -> BuildResult:
        seen.append(opts.today)
        return BuildResult(True, Diagnostics())

    live = LiveState(BuildOptions(today=date(2026, 11, 25)), builder, clock=lambda: next(days))  # type: ignore[arg-type]
    live.rebuild()
    live.rebuild()
    assert seen == [date(2026, 11, 26), date(2026, 11, 27)]
    fixed = LiveState(BuildOptions(today=date(2026, 11, 25)), builder)  # type: ignore[arg-type]  # --today given
    fixed.rebuild()
    assert seen[-1] == date(2026, 11, 25)


def options(content: Path, out: Path, **kw: object) -> BuildOptions:
    return BuildOptions(content=content, output=out, templates=REPO / "templates", today=kw.pop("today", TODAY),  # type: ignore[arg-type]
                        jobs=1, project=REPO, base_url=kw.pop("base_url", "https://www.example.org/ys/"),  # type: ignore[arg-type]
                        **kw)  # type: ignore[arg-type]  # base_url: no print-page QR warning


def test_timings_go_where_the_options_say_and_the_variable_is_not_read_below_the_cli(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_site(tmp_path)
    stray = tmp_path / "from-env.json"
    monkeypatch.setenv("GONGKAI_TIMINGS", str(stray))
    monkeypatch.setenv("GONGKAI_NO_QUICK", "1")
    cache = tmp_path / "cache"
    assert build(options(content, tmp_path / "site", cache=cache, fsync=False)).ok
    target = tmp_path / "timings.json"
    again = build(options(content, tmp_path / "site", cache=cache, timings=target))
    assert again.ok and again.stats.get("quick") == 1  # $GONGKAI_NO_QUICK is the CLI's to read
    assert not stray.exists()
    assert json.loads(target.read_text(encoding="utf-8"))["stats"]["quick"] == 1


def test_the_cli_turns_the_variables_into_options(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    content = make_site(tmp_path)
    env = dict(os.environ, GONGKAI_TIMINGS=str(tmp_path / "t.json"), GONGKAI_CACHE_DIR=str(tmp_path / "cache"),
               GONGKAI_NO_QUICK="1", PYTHONPATH=str(REPO))
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "gongkai", "build", "--content", str(content), "--out", str(tmp_path / "site"),
                               "--today", TODAY.isoformat(), "-q", "--templates", str(REPO / "templates")],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
    stats = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["stats"]
    assert "quick" not in stats and stats["reused"] > 0  # a full rebuild from the cache, never a quick one


def test_the_personal_data_scan_judges_birth_dates_by_the_build_day(tmp_path: Path) -> None:
    head = "450324" + "20900101" + "123"  # born 2090: an ID number only from that day on
    number = head + id_check_char(head)
    content = make_site(tmp_path, {"documents/2026/dibao.md": doc(body=f"申请人身份证号 {number}。\n")})
    today = build(options(content, tmp_path / "a", incremental=False))
    assert today.ok and not today.diagnostics.items
    later = build(options(content, tmp_path / "b", incremental=False, today=date(2099, 1, 1)))
    [error] = later.diagnostics.errors
    place, message = error.text().split(": ", 1)
    assert place.endswith("documents/2026/dibao.md:9:9")
    assert message.startswith(f"错误: 个人信息未遮盖：主动公开文件的正文中有完整的身份证号，公开时应写作“{number[:4]}**********{number[-4:]}”（")


def test_the_scan_of_what_is_published_judges_by_the_build_day_too(tmp_path: Path) -> None:
    """Born the day after `--today`: not an ID number on the build's day, for the rules, for the
    scan of the attachments and for the last look at the built files alike (the clock, a week
    later, would call it one and fail the build)."""
    born = TODAY + timedelta(days=1)
    assert born < date.today()  # the clock is past it: this is what the build must not go by
    head = "450324" + born.strftime("%Y%m%d") + "123"
    number = head + id_check_char(head)
    files = {"documents/2026/dibao.md": doc(body=f"申请人身份证号 {number}。\n",
                                            attachments="\n  - file: attachments/2026/mingdan.txt\n    title: 名单"),
             "attachments/2026/mingdan.txt": f"名单：{number}\n"}
    content = make_site(tmp_path, files)
    cache = tmp_path / "cache"
    for _ in range(2):  # the second from the cache: its files found clean on this day
        result = build(options(content, tmp_path / "site", cache=cache, today=TODAY))
        assert result.ok and not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
    assert number in (tmp_path / "site" / "documents" / "2026" / "dibao.html").read_text(encoding="utf-8")
    later = build(options(content, tmp_path / "later", cache=cache, today=born))
    assert not later.ok and {d.code for d in later.diagnostics.errors} == {"governance.privacy"}


def test_the_cli_passes_the_day_to_the_scan(tmp_path: Path) -> None:
    head = "450324" + "20900101" + "123"
    content = make_site(tmp_path, {"documents/2026/dibao.md": doc(body=f"申请人身份证号 {head + id_check_char(head)}。\n")})
    proc = run_cli("check", "--content", str(content), "--today", "2099-01-01", cwd=tmp_path)
    assert proc.returncode == 1 and "个人信息未遮盖" in proc.stdout + proc.stderr
