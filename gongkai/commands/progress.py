"""Progress feedback: a bar in a terminal (tqdm), plain lines in CI logs, and a closing summary."""

from __future__ import annotations

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


def print_summary(result, out: Path) -> None:  # type: ignore[no-untyped-def]
    attrs = result.attributes
    total = sum(result.timings.values())
    stages = "，".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    print(
        f"已生成 {out.as_posix()}/：{result.pages} 个页面，共 {result.files} 个文件。\n"
        f"文件：主动公开 {attrs.get('主动公开', 0)}，依申请公开 {attrs.get('依申请公开', 0)}（仅公开目录信息），"
        f"不予公开 {attrs.get('不予公开', 0)}（不发布）。\n"
        f"警告 {len(result.diagnostics.warnings)} 个。用时 {total:.2f} 秒（{stages}）。"
    )
    for note in result.fallbacks:
        print(f"注意：{note}")
