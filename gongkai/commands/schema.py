"""`gongkai schema`: write JSON Schema files for editors."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("schema", help="生成 JSON Schema（编辑器自动补全和检查）")
    p.add_argument("--out", type=Path, default=Path("schemas"), metavar="目录", help="输出目录（默认 schemas）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..schema import write_schemas

    for path in write_schemas(args.out):
        print(f"已写入 {path.as_posix()}")
    return 0
