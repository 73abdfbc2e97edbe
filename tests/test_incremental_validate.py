"""The load and validate caches never change what a build reports or accepts.

A build with the cache (cold, warm, after edits that add or fix a privacy leak, a schema error, a
late publication) must give exactly the diagnostics of a build without it — same text, same
order — and fail exactly when it fails. The load cache may skip reading a file whose stat is
unchanged, but only by git's racy rule; these tests run both with the real margin (freshly
written files are always read) and with no margin after a pause (unchanged files are not read).
"""

from __future__ import annotations

import json
import os
import pickle
import time
from datetime import date
from pathlib import Path

import pytest
from sitekit import TODAY, base_files, doc, run_cli, write_tree

from gongkai.build import BuildOptions, BuildResult, build
from gongkai.cachedir import KEY_FILE, seal, unseal
from gongkai.loading import cached
from gongkai.validate import check_content

REPO = Path(__file__).resolve().parent.parent
ID = "450324198506120032"  # valid check digit
ID_MASKED = "4503**********0032"  # same length: an edit between the two keeps the file size
MOBILE = "13812345678"


def build_once(content: Path, out: Path, cache: Path | None, jobs: int = 1, today: date = TODAY) -> BuildResult:
    # quick=False: these tests are about the load and rule caches of a full build (see test_quick.py)
    opts = BuildOptions(content=content, output=out, templates=REPO / "templates", today=today, jobs=jobs, quick=False,
                        project=REPO, cache=cache, incremental=cache is not None,
                        base_url="https://www.example.org/ys/")  # no print-page QR warning: check's diagnostics only
    return build(opts)


def texts(result: BuildResult) -> list[str]:
    return [d.text() for d in result.diagnostics.items]


class Project:
    def __init__(self, tmp: Path, files: dict[str, str | bytes | None]):
        self.tmp = tmp
        self.content = write_tree(tmp, {**base_files(), **files})
        self.cache = tmp / "cache"

    def change(self, files: dict[str, str | bytes | None]) -> None:
        write_tree(self.tmp, files)

    def cached(self, today: date = TODAY) -> BuildResult:
        return build_once(self.content, self.tmp / "site", self.cache, today=today)

    def assert_like_uncached(self, result: BuildResult, today: date = TODAY) -> None:
        """Same diagnostics, in the same order, and the same verdict as without any cache."""
        plain = build_once(self.content, self.tmp / "plain", None, today=today)
        assert texts(result) == texts(plain)
        assert result.ok == plain.ok
        _, checked = check_content(self.content, today)  # `gongkai check`: the plain loader
        assert texts(result) == [d.text() for d in checked.items]


def settle() -> None:
    """Let the file-system clock move past the files just written (for RACY_MARGIN_NS = 0)."""
    time.sleep(0.05)


@pytest.fixture(params=["margin", "no-margin"])
def margin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """With the real margin every file of these fresh trees is read; without, unchanged ones are not."""
    if request.param == "no-margin":
        monkeypatch.setattr(cached, "RACY_MARGIN_NS", 0)
        return False
    return True


def late(title: str, body: str = "正文。\n") -> str:
    return doc(title, body, created="2026-01-05", published="2026-04-20")


def test_diagnostics_equal_uncached_through_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, margin: bool) -> None:
    monkeypatch.chdir(tmp_path)
    p = Project(tmp_path, {
        "documents/2026/late.md": late("迟到的通知"),
        "documents/2026/card.md": doc("申请须知", f"身份证 {ID_MASKED} 已遮盖。\n", keywords=f"[低保, {ID_MASKED}]"),
        "documents/2025/ok.md": doc("关于临时救助的通知", "第一段。\n", created="2025-05-06", published="2025-05-08"),
    })
    steps: list[dict[str, str | bytes | None]] = [
        {},  # cold
        {},  # warm: nothing changed
        {"documents/2026/leak.md": doc("低保名单", f"张某 联系电话 {MOBILE}\n")},  # a new file with a leak
        {"documents/2026/card.md": doc("申请须知", f"身份证 {ID} 已遮盖。\n", keywords=f"[低保, {ID}]")},  # same size
        {"documents/2026/leak.md": doc("低保名单", "张某 联系电话 138****5678\n")},  # fixed
        {"documents/2026/card.md": doc("申请须知", f"身份证 {ID_MASKED} 已遮盖。\n", keywords=f"[低保, {ID_MASKED}]")},
        {"documents/2025/ok.md": "---\ntitle: [未闭合\n---\n正文\n"},  # a YAML error
        {"documents/2025/ok.md": doc("关于临时救助的通知", "第一段。\n", created="2025-05-06", published="2025-06-30",
                                     attribute="依申请公开")},  # a schema error: no reason
        {"documents/2025/ok.md": None},
    ]
    verdicts = []
    for files in steps:
        p.change(files)
        if not margin:
            settle()
        result = p.cached()
        p.assert_like_uncached(result)
        verdicts.append(result.ok)
        assert result.diagnostics.warnings  # the late publication, every time
    assert verdicts == [True, True, False, False, False, True, False, False, True]


def test_unchanged_files_are_neither_read_nor_rechecked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cached, "RACY_MARGIN_NS", 0)
    p = Project(tmp_path, {"documents/2026/late.md": late("迟到的通知")})
    settle()
    first = p.cached()
    files = first.stats["parsed"]
    assert first.stats["rules_computed"] == 2 and first.stats["unread"] == 0
    second = p.cached()
    assert second.stats["unread"] == files and second.stats["parsed"] == 0 and second.stats["rules_computed"] == 0
    assert texts(second) == texts(first)
    p.change({"documents/2026/late.md": late("迟到的通知", "联系电话 138****5678\n")})
    settle()
    third = p.cached()
    assert (third.stats["unread"], third.stats["parsed"], third.stats["rules_computed"]) == (files - 1, 1, 1)
    p.change({"documents/2026/late.md": late("迟到的通知", f"联系电话 {MOBILE}\n")})
    settle()
    fourth = p.cached()  # a failed build reports no stats; what matters is that it fails
    assert not fourth.ok and any("个人信息未遮盖" in t for t in texts(fourth))
    p.assert_like_uncached(fourth)


def test_fresh_files_are_always_read(tmp_path: Path) -> None:
    """With the real margin, a file written moments before the cache entry is racy: read again."""
    p = Project(tmp_path, {})
    p.cached()
    assert p.cached().stats["unread"] == 0


def test_same_size_edit_with_the_old_mtime_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Size and mtime alone would miss this edit; the ctime (which no tool can set back) does not."""
    monkeypatch.setattr(cached, "RACY_MARGIN_NS", 0)
    p = Project(tmp_path, {"documents/2026/card.md": doc("申请须知", f"身份证 {ID_MASKED}\n")})
    settle()
    assert p.cached().ok
    assert p.cached().stats["parsed"] == 0
    path = p.content / "documents/2026/card.md"
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(ID_MASKED.encode(), ID.encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    settle()
    result = p.cached()
    assert not result.ok  # the leak is seen (a failed build reports no stats)
    p.assert_like_uncached(result)


def test_replaced_file_with_the_old_stat_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor that saves by writing a new file and renaming it over the old one."""
    monkeypatch.setattr(cached, "RACY_MARGIN_NS", 0)
    p = Project(tmp_path, {"documents/2026/card.md": doc("申请须知", f"身份证 {ID_MASKED}\n")})
    settle()
    p.cached()
    path = p.content / "documents/2026/card.md"
    before = path.stat()
    tmp = path.with_name(".card.md.tmp")
    tmp.write_bytes(path.read_bytes().replace(ID_MASKED.encode(), ID.encode()))
    os.utime(tmp, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(tmp, path)
    settle()
    result = p.cached()
    assert not result.ok
    p.assert_like_uncached(result)


def test_racy_rule() -> None:
    stat = (10, 5_000_000_000, 7, 5_000_000_000)  # size, mtime_ns, inode, ctime_ns
    entry = (stat, 8_000_000_000, "key", "document", True, (None, []))
    assert cached._trusted(stat, entry)  # written 3 s after the last change
    assert not cached._trusted((11, *stat[1:]), entry)  # another size
    assert not cached._trusted((10, 5_000_000_000, 8, 5_000_000_000), entry)  # another inode
    assert not cached._trusted((10, 5_000_000_000, 7, 5_000_000_001), entry)  # changed since (ctime)
    racy = (stat, 6_500_000_000, "key", "document", True, (None, []))
    assert not cached._trusted(stat, racy)  # written within the margin of the change: read again
    future = ((10, 9_000_000_000, 7, 5_000_000_000), 8_000_000_000, "key", "document", True, (None, []))
    assert not cached._trusted(future[0], future)  # an mtime after the entry (a clock moved back)
    assert not cached._trusted(stat, (stat, -1, "key", "document", True, (None, [])))  # clock unknown


@pytest.mark.parametrize("leak", [False, True])
def test_a_broken_cache_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leak: bool) -> None:
    monkeypatch.setattr(cached, "RACY_MARGIN_NS", 0)
    body = f"张某 联系电话 {MOBILE}\n" if leak else "张某 联系电话 138****5678\n"
    p = Project(tmp_path, {"documents/2026/late.md": late("迟到的通知", body)})
    settle()
    first = p.cached()
    assert first.ok is not leak and first.diagnostics.warnings
    [pair] = [d for d in p.cache.iterdir() if d.is_dir()]
    files = sorted(pair.glob("load.*.pickle")) + [pair / "rules.pickle"]
    key = (p.cache / KEY_FILE).read_bytes()
    headers = {path: pickle.loads(unseal(key, path.stem, path.read_bytes()) or b"")[:2] for path in files}  # (version, fp)
    for path in files:
        path.write_bytes(b"not a pickle")
    second = p.cached()
    assert texts(second) == texts(first)
    if not leak:  # (a failed build reports no stats)
        assert second.stats["unread"] == 0 and second.stats["rules_computed"] == 2
    # files with the right fingerprint but a payload of another shape count as missing
    for path, (version, fp) in headers.items():
        payload = pickle.dumps((version, fp, ["x"] if path.name == "rules.pickle" else (cached.LAYOUT, "z", [])))
        path.write_bytes(seal(key, path.stem, payload))
    assert texts(p.cached()) == texts(first)


def test_an_id_number_born_tomorrow_becomes_a_finding_tomorrow(tmp_path: Path) -> None:
    """The privacy scan depends on the build's day (`--today`); its cached result holds only for
    the days it is valid."""
    from gongkai.rules.privacy import id_check_char

    body17 = "45032420270101001"
    future_id = body17 + id_check_char(body17)  # born 2027-01-01
    eve, day = date(2026, 12, 31), date(2027, 1, 1)
    p = Project(tmp_path, {"documents/2026/future.md": doc("名单", f"证件 {future_id}\n")})
    assert p.cached(eve).ok
    assert p.cached(eve).stats["rules_computed"] == 0  # same day: from the cache
    result = p.cached(day)
    assert not result.ok  # the cached "no finding" of yesterday is not reused
    p.assert_like_uncached(result, day)


def test_cli_build_reports_what_check_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`gongkai build` twice with the cache (and after edits) prints `gongkai check`'s diagnostics."""
    content = write_tree(tmp_path, {**base_files(), "documents/2026/late.md": late("迟到的通知")})
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))

    def cli(*args: str) -> object:
        done = run_cli(*args, "--content", str(content), "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
        return json.loads(done.stdout)

    edits: list[dict[str, str | bytes | None]] = [
        {}, {}, {"documents/2026/late.md": late("迟到的通知", f"联系电话 {MOBILE}\n")}, {},
        {"documents/2026/late.md": late("迟到的通知")},
    ]
    for edit in edits:
        write_tree(tmp_path, edit)
        # --base-url: the print pages' QR-code warning is the build's own (check makes no pages)
        assert cli("build", "--out", str(tmp_path / "site"), "--templates", str(REPO / "templates"),
                   "--base-url", "https://www.example.org/ys/") == cli("check")


def test_workers_send_marks_as_bytes_and_messages_stay_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files parsed by forked workers come back with undecoded marks; a schema error still points
    at its line, as without the cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cached, "PARALLEL_MIN_FILES", 0)
    files: dict[str, str | bytes | None] = {f"documents/2026/n{i}.md": doc(f"第{i}号通知", "正文。\n") for i in range(6)}
    files["documents/2026/n3.md"] = doc("第3号通知", "正文。\n", attribute="不予公开")  # no reason, no legal_basis
    files["documents/2026/n4.md"] = doc("第4号通知", f"电话 {MOBILE}\n", published="2026-02-30")
    p = Project(tmp_path, files)
    for _ in range(2):
        result = build_once(p.content, tmp_path / "site", p.cache, jobs=2)
        assert not result.ok and len(result.diagnostics.errors) >= 3
        p.assert_like_uncached(result)


def test_the_clock_probe_leaves_nothing_behind(tmp_path: Path) -> None:
    p = Project(tmp_path, {})
    p.cached()
    p.cached()
    assert not [f for f in p.cache.rglob(".clock*")]


def test_a_stale_rule_memo_scans_the_cached_conversions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the rules run again (another gongkai, a day past a finding's window) but the bodies
    cache holds every conversion, the privacy scan reads those: no body is converted again one by
    one inside validate (35 s at 50,000 documents), and the findings are the same."""
    from gongkai.rules import personal_data

    monkeypatch.setattr(cached, "RACY_MARGIN_NS", 0)
    p = Project(tmp_path, {"documents/2026/late.md": late("迟到的通知", "联系电话 138****5678\n"),
                           "documents/2026/other.md": doc("另一个通知", "**加粗**的正文。\n")})
    settle()
    first = p.cached()
    assert first.ok and first.stats["rules_computed"] >= 2
    [pair] = [d for d in p.cache.iterdir() if d.is_dir()]
    (pair / "rules.pickle").unlink()  # the rule memo of another gongkai: gone
    converted: list[str] = []
    real = personal_data.render_markdown
    monkeypatch.setattr(personal_data, "render_markdown", lambda text: converted.append(text) or real(text))
    second = p.cached()
    assert second.stats["rules_computed"] == first.stats["rules_computed"]
    assert converted == []  # every body's HTML came from the bodies cache
    assert texts(second) == texts(first)
    p.assert_like_uncached(second)
