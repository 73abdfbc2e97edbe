"""`gongkai lsp`: the language server for editors (VS Code, Vim, Emacs …), over stdio."""

from __future__ import annotations

import argparse

from .common import clock_of, parse_date


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "lsp", help="编辑器语言服务（在编辑器中边写边检查）",
        description="通过标准输入输出提供 LSP 语言服务：边输入边显示 gongkai check 的错误和警告（含 .md 文件的 YAML 头部），"
                    "补全字段名、可选值、事项 id 和村编号，悬停显示字段说明。由编辑器启动，不要手动运行。",
    )
    p.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD", help="把这一天当作今天（默认今天）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..lsp.server import serve_stdio

    serve_stdio(clock_of(args))
    return 0
