"""`gongkai bundle`: the built site as one zip for a USB stick or a kiosk (opens from file://)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import (
    add_content_option,
    add_format_option,
    environment_options,
    print_diagnostics,
    today_of,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "bundle", help="把网站打包成 zip（U 盘、公开查阅点电脑离线使用）",
        description="生成网站并打包成一个 zip：解压后双击“打开网站.html”即可离线浏览和搜索，附使用说明.txt。",
    )
    add_content_option(p)
    p.add_argument("--out", type=Path, default=Path("gongkai-site.zip"), metavar="文件", help="zip 文件（默认 gongkai-site.zip）")
    p.add_argument("--site", type=Path, default=Path("site"), metavar="目录", help="网站目录（默认 site）")
    p.add_argument("--no-build", action="store_true", help="不重新生成，直接打包已有的完整网站目录")
    p.add_argument("--templates", type=Path, default=Path("templates"), metavar="目录", help="模板目录（覆盖内置模板）")
    p.add_argument("--base-url", default=None, metavar="网址", help="网站正式地址（二维码和“网上版本”使用）")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数（默认使用全部 CPU 核）")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    add_format_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..reach.bundle import IncompleteSite, write_bundle

    if not args.no_build:
        import os

        from ..build import BuildOptions, build
        from .progress import make_progress

        progress, close = make_progress(quiet=args.quiet or args.format != "text", ci=bool(os.environ.get("CI")))
        options = BuildOptions(
            content=args.content, output=args.site, templates=args.templates, base_url=args.base_url,
            today=today_of(args), jobs=args.jobs, **environment_options(os.environ, args.content),
        )
        try:
            result = build(options, progress)
        finally:
            close()
        if result.diagnostics.items or args.format != "text":
            print_diagnostics(result.diagnostics, args.format)
        if not result.ok:
            sys.stderr.write(f"生成失败，没有打包。{args.site.as_posix()}/ 保持不变。\n")
            return 1
    try:
        facts = write_bundle(args.site, args.out)
    except IncompleteSite:
        sys.stderr.write(
            f"{args.site.as_posix()}/ 不是一次完整生成的网站（缺少生成完成标记 .gongkai-build.json 或首页），"
            "请去掉 --no-build 重新生成后再打包。\n"
        )
        return 1
    if not args.quiet:
        print(f"已打包 {args.out.as_posix()}：{facts['files']} 个文件，{int(facts['size']) / 1048576:.1f} MB（生成日期 {facts['generated']}）。"
              "解压后双击“打开网站.html”即可离线浏览。")
    return 0
