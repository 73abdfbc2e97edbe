"""Progress feedback: a bar in a terminal (tqdm), plain lines in CI logs, and a closing summary."""

from __future__ import annotations

import builtins
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path


def make_progress(quiet: bool = False) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    if quiet:
        return (lambda stage, done, total: None), (lambda: None)
    if sys.stderr.isatty() and not os.environ.get("CI"):
        from tqdm import tqdm

        bars: dict[str, tqdm] = {}

        def update(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(total=total, desc="生成页面", unit="页", leave=False, file=sys.stderr)
            bar.n = done
            bar.refresh()

        def close() -> None:
            for bar in bars.values():
                bar.close()

        return update, close
    last = {"pct": -1}

    def lines(stage: str, done: int, total: int) -> None:
        pct = done * 100 // max(total, 1)
        if pct // 25 != last["pct"] // 25 or done == total:
            last["pct"] = pct
            sys.stderr.write(f"生成页面：{done}/{total}（{pct}%）\n")

    return lines, (lambda: None)


#: The build's stage names (`build.py`'s laps) as staff read them.
STAGE_NAMES = {"load": "读取", "validate": "检查", "bodies": "正文", "feeds": "订阅", "reach": "开放数据",
               "render": "生成页面", "index": "搜索索引", "scan": "发布前检查", "write": "写入", "cache": "缓存"}


def print_summary(result, out: Path, stream=None) -> None:  # type: ignore[no-untyped-def]
    """The closing lines of a build. With `stream` (e.g. stderr under `--format github`) they go there."""
    attrs = result.attributes
    total = sum(result.timings.values())
    stages = "，".join(f"{STAGE_NAMES.get(k, k)} {v:.2f} 秒" for k, v in result.timings.items())
    print = functools.partial(builtins.print, file=stream or sys.stdout)
    print(
        f"已生成 {out.as_posix()}/：{result.pages} 个页面，共 {result.files} 个文件。\n"
        f"文件：主动公开 {attrs.get('主动公开', 0)}，依申请公开 {attrs.get('依申请公开', 0)}（仅公开目录信息），"
        f"不予公开 {attrs.get('不予公开', 0)}（不发布）。\n"
        f"警告 {len(result.diagnostics.warnings)} 个。用时 {total:.2f} 秒（{stages}）。"
    )
    for note in result.fallbacks:
        print(f"注意：{note}")
