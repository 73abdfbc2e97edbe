"""Progress feedback: a bar in a terminal (tqdm), plain lines in CI logs, and a closing summary."""

from __future__ import annotations

import builtins
import functools
import sys
from collections.abc import Callable
from pathlib import Path

#: The build's stage names (`build.py`'s laps) as staff read them.
STAGE_NAMES = {"load": "读取", "validate": "检查", "bodies": "正文", "feeds": "订阅", "reach": "开放数据",
               "render": "生成页面", "index": "搜索索引", "scan": "发布前检查", "write": "写入", "cache": "缓存"}

#: What a stage does, in the progress line shown when it starts.
STAGE_DOING = {"load": "读取内容", "validate": "检查内容", "bodies": "转换正文", "render": "生成页面",
               "write": "写入网站", "cache": "保存缓存"}


def stage_line(stage: str, total: int) -> str:
    """The one line a stage prints when it starts (in CI, and what a terminal shows first)."""
    doing = STAGE_DOING.get(stage, STAGE_NAMES.get(stage, stage))
    if stage == "render" and total:
        return f"{doing}：共 {total} 个页面…"
    if stage == "bodies" and total:
        return f"{doing}：{total} 份文件…"
    return f"{doing}…"


def make_progress(quiet: bool = False, ci: bool = False,
                  stream=None) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:  # type: ignore[no-untyped-def]
    """(update, close) for `build(options, progress)`.

    `build` calls `update(stage, 0, total)` when a stage starts (total 0: no count to show) and
    `update("render", done, total)` while pages are made. In a terminal: the current stage on one
    line that is redrawn, a bar with the count while rendering. In CI (`ci`, or stderr not a
    terminal): one plain line per stage, when it starts, and nothing redrawn.
    """
    if quiet:
        return (lambda stage, done, total: None), (lambda: None)
    out = stream or sys.stderr
    if out.isatty() and not ci:
        from tqdm import tqdm

        bar: dict[str, tqdm] = {}

        def close() -> None:
            for b in bar.values():
                b.close()
            bar.clear()

        def update(stage: str, done: int, total: int) -> None:
            current = bar.get(stage)
            if current is None:
                close()
                if total:
                    current = tqdm(total=total, desc=STAGE_DOING.get(stage, stage), unit="页", leave=False, file=out)
                else:
                    current = tqdm(total=None, desc=stage_line(stage, 0), bar_format="{desc} {elapsed}", leave=False,
                                   file=out)
                bar[stage] = current
            if total:
                current.n = done
            current.refresh()

        return update, close
    started: set[str] = set()

    def lines(stage: str, done: int, total: int) -> None:
        if stage in started:
            return
        started.add(stage)
        out.write(stage_line(stage, total) + "\n")
        out.flush()

    return lines, (lambda: None)


def print_summary(result, out: Path, stream=None) -> None:  # type: ignore[no-untyped-def]
    """The closing lines of a build. With `stream` (e.g. stderr under `--format github`) they go there."""
    attrs = result.attributes
    total = sum(result.timings.values())
    stages = "，".join(f"{STAGE_NAMES.get(k, k)} {v:.2f} 秒" for k, v in result.timings.items())
    print = functools.partial(builtins.print, file=stream or sys.stdout)
    prints = result.stats.get("prints", 0)
    pages = result.pages + prints  # the same count as the progress of 生成页面
    of_which = f"（含公示栏打印页 {prints} 个）" if prints else ""
    print(
        f"已生成 {out.as_posix()}/：{pages} 个页面{of_which}，共 {result.files} 个文件。\n"
        f"文件：主动公开 {attrs.get('主动公开', 0)}，依申请公开 {attrs.get('依申请公开', 0)}（仅公开目录信息），"
        f"不予公开 {attrs.get('不予公开', 0)}（不发布）。\n"
        f"警告 {len(result.diagnostics.warnings)} 个。用时 {total:.2f} 秒（{stages}）。"
    )
    for note in result.fallbacks:
        print(f"注意：{note}")
