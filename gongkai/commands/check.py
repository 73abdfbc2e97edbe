"""`gongkai check`: load + validate + cross-references + governance rules; writes nothing."""

from __future__ import annotations

import argparse

from .common import add_content_option, add_format_option, print_diagnostics, today_of


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check", help="检查内容（不生成网站）", description="检查 content/ 中的所有文件，列出全部错误和警告。")
    add_content_option(p)
    add_format_option(p)
    p.add_argument("--strict", action="store_true", help="把警告也当作错误（退出码 1）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..validate import check_content
    from .build import county_root

    county = county_root(args)
    if county is not None:  # county.yaml: the county and every township, all at once
        from ..county.config import check_county

        diags = check_county(county, today_of(args))
    else:
        _, diags = check_content(args.content, today_of(args))
    print_diagnostics(diags, args.format, args=args)
    if diags.errors or (args.strict and diags.warnings):
        return 1
    return 0
