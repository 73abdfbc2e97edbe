"""Where the system lacks `fork`, `renameat2`, file locks or hard links (Windows, macOS, FAT
sticks, network shares), the build falls back, gives the same site, and says which fallback it
took (issue 15). The fallbacks are forced on Linux through `BuildOptions.capabilities`."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from sitekit import TODAY, base_files, doc, write_tree
from test_incremental import differences

from gongkai.build import BuildOptions, BuildResult, build
from gongkai.capabilities import NOTES, Capabilities
from gongkai.commands.progress import print_summary

REPO = Path(__file__).resolve().parent.parent
NOTHING = Capabilities(exchange=False, fork=False, locks=False, hardlinks=False)


def run(content: Path, out: Path, cache: Path | None, caps: Capabilities | None) -> BuildResult:
    result = build(BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY, jobs=2,
                                project=REPO, cache=cache, incremental=cache is not None, capabilities=caps))
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return result


def test_every_fallback_gives_the_same_site_and_is_named(tmp_path: Path) -> None:
    files = base_files()
    files.update({f"documents/2026/n{i}.md": doc(title=f"第{i}号通知文件", body=f"正文{i}。\n") for i in range(30)})
    content = write_tree(tmp_path / "src", files)
    clean = tmp_path / "clean"
    assert run(content, clean, None, Capabilities()).fallbacks == []

    out = tmp_path / "site"
    first = run(content, out, tmp_path / "cache", NOTHING)  # no site yet: nothing to swap
    assert first.fallbacks == [NOTES["fork"], NOTES["locks"]]
    assert differences(out, clean) == []

    (content / "documents/2026/n3.md").write_text(doc(title="第3号通知文件", body="改过的正文。\n"), encoding="utf-8")
    second = run(content, out, tmp_path / "cache", NOTHING)  # unchanged pages reused by copying, old site moved aside
    assert second.fallbacks == [NOTES["exchange"], NOTES["fork"], NOTES["locks"], NOTES["hardlinks"]]
    run(content, clean, None, Capabilities())
    assert differences(out, clean) == []
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # no temp or old folder left
    assert not any(p.stat().st_nlink > 1 for p in out.rglob("*") if p.is_file())  # copies, not links


def test_the_summary_says_which_fallback_was_taken(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "src", base_files())
    out = tmp_path / "site"
    run(content, out, None, NOTHING)
    result = run(content, out, None, Capabilities(exchange=False))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        print_summary(result, out)
    assert printed.getvalue().splitlines()[-1] == (
        "注意：系统不支持原子交换目录（renameat2），改为先移开旧网站、再放入新网站（若在两步之间中断，下次构建会自动恢复）"
    )


def test_detect_matches_this_linux_machine() -> None:
    caps = Capabilities.detect()
    assert caps == Capabilities(exchange=True, fork=True, locks=True, hardlinks=True)
