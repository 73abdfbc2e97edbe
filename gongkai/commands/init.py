"""`gongkai init DIR`: a ready town repository (content, CI, pre-commit, editor settings)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help="新建一个镇的网站仓库（示例内容、CI、提交前检查、编辑器设置）")
    p.add_argument("dir", type=Path, metavar="目录", help="新仓库的目录（不存在则创建）")
    p.add_argument("--force", action="store_true", help="目录不为空时也写入（覆盖同名文件）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..schema import write_schemas
    from ..starter import town_files
    from ..version import version

    target: Path = args.dir
    if target.exists() and not target.is_dir():
        sys.stderr.write(f"{target.as_posix()}: 错误: 不是目录（请换一个目录名）\n")
        return 2
    if target.is_dir() and any(target.iterdir()) and not args.force:
        sys.stderr.write(f"{target.as_posix()}: 错误: 目录不为空（请换一个空目录，或加 --force 覆盖同名文件）\n")
        return 2
    today = date.today()
    files = town_files(version(), (today - timedelta(days=3)).isoformat(), (today - timedelta(days=1)).isoformat())
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    schemas = write_schemas(target / "schemas")
    (target / "schemas" / "vscode-settings.json").unlink()  # .vscode/settings.json links them
    print(f"已在 {target.as_posix()} 新建网站仓库（{len(files) + len(schemas) - 1} 个文件）。下一步：")
    print(f"  cd {target.as_posix()}")
    print("  gongkai check")
    print("  gongkai build")
    return 0
