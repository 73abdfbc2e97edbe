"""What the operating system offers the writer and the worker pool, and what a build does without it.

Linux has everything; Windows lacks `fork`, `renameat2` and `fcntl`; macOS lacks `renameat2`;
some file systems (FAT USB sticks, network shares) lack hard links or locks. Each missing piece
has a fallback that keeps the promise it serves, and the build says which one it took:

| capability | used for | fallback |
|---|---|---|
| `exchange` | swap the new site with the old in one step (renameat2) | move the old site aside, move the new one in; an interrupted swap is undone by the next build (`output.recover`) |
| `fork` | render on every core | render in this process |
| `locks` | concurrent builds of one output take turns (fcntl, msvcrt on Windows) | no lock: do not run two builds of one folder at once |
| `hardlinks` | reuse unchanged files of the previous build without copying | copy them |

`detect()` looks at this machine; tests pass a `Capabilities` with some of them off to run the
fallbacks on Linux (an argument, never an environment variable read deep inside).
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from dataclasses import dataclass
from importlib.util import find_spec

NOTES = {
    "exchange": "系统不支持原子交换目录（renameat2），改为先移开旧网站、再放入新网站（若在两步之间中断，下次构建会自动恢复）",
    "fork": "系统不支持 fork，页面在单个进程中生成（较慢，结果相同）",
    "locks": "系统或磁盘不支持文件锁，请勿同时对同一个输出目录运行两个构建",
    "hardlinks": "磁盘不支持硬链接，未变化的文件改为复制（较慢，结果相同）",
}


@dataclass(frozen=True)
class Capabilities:
    exchange: bool = True
    fork: bool = True
    locks: bool = True
    hardlinks: bool = True

    @classmethod
    def detect(cls) -> Capabilities:
        return cls(
            exchange=sys.platform.startswith("linux"),
            fork="fork" in mp.get_all_start_methods(),
            locks=find_spec("fcntl") is not None or find_spec("msvcrt") is not None,
            hardlinks=True,  # known only when a link is tried: the writer reports a failure
        )


def fallback_notes(taken: set[str]) -> list[str]:
    """The Chinese lines the build summary prints, in a fixed order."""
    return [NOTES[name] for name in NOTES if name in taken]
