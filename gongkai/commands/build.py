"""`gongkai build` (and `python build.py`): validate, render and atomically publish `site/`."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from .common import (
    add_content_option,
    add_format_option,
    environment_options,
    print_diagnostics,
    today_of,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="生成网站到 site/", description="检查内容并生成静态网站；出错时保留原来的 site/ 不变。")
    add_build_options(p)
    add_format_option(p)
    p.add_argument("--open", action="store_true", help="生成后用浏览器打开首页")
    p.add_argument("--ci", action="store_true",
                   help="持续集成日志：每个阶段一行，不重绘进度条（环境变量 CI 已设置时自动开启）")
    p.set_defaults(func=run)


def add_build_options(p: argparse.ArgumentParser) -> None:
    add_content_option(p)
    p.add_argument("--out", type=Path, default=Path("site"), metavar="目录", help="输出目录（默认 site）")
    p.add_argument("--templates", type=Path, default=Path("templates"), metavar="目录", help="模板目录（覆盖内置模板）")
    p.add_argument("--base-url", default=None, metavar="网址", help="网站正式地址，如 https://example.gov.cn/ys/（用于规范链接、站点地图）")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数（默认使用全部 CPU 核）")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    p.add_argument("--portal", type=Path, default=None, metavar="文件",
                   help="栏目模式：作为县政府门户网站的栏目发布，读取门户网站的名称、地址和标识（见 docs/county.md）")
    p.add_argument("--cache", type=Path, default=None, metavar="目录",
                   help="增量生成缓存目录（默认在用户缓存目录中，按内容目录区分；不要放在仓库里）")


def options_from(args: argparse.Namespace):  # type: ignore[no-untyped-def]

    from ..build import BuildOptions

    return BuildOptions(
        content=args.content, output=args.out, templates=args.templates, base_url=args.base_url,
        today=today_of(args), jobs=args.jobs, **environment_options(os.environ, args.content, args.cache),
    )


def run(args: argparse.Namespace) -> int:
    county = county_root(args)
    listings = None
    if county is not None:  # first: the townships' files are looked at while the code below is imported
        from ..county.layout import TOWNS_DIR
        from ..treewalk import Prefetch

        listings = Prefetch(county / TOWNS_DIR)

    from ..build import build
    from .progress import make_progress, print_summary

    frame = portal_frame(args)
    if frame is False:
        return 1
    ci = args.ci or bool(os.environ.get("CI"))  # the CLI edge: the only place that reads CI
    progress, close = make_progress(quiet=args.quiet or args.format == "json", ci=ci)
    try:
        if county is not None:  # county.yaml: every township in one site (gongkai/county/)
            result = build_county_from(args, county, progress, frame.portal if frame else None, listings)
        else:
            result = build(replace(options_from(args), frame=frame), progress)
    finally:
        close()
    if result.diagnostics.items or args.format != "text":
        print_diagnostics(result.diagnostics, args.format, args=args)
    if not result.ok:
        sys.stderr.write(f"生成失败，{args.out.as_posix()}/ 保持不变。\n")
        return 1
    # The summary also under --format github/json: on stderr, so stdout stays machine-readable.
    print_summary(result, args.out, None if args.format == "text" else sys.stderr)
    if getattr(args, "open", False):
        open_in_browser((args.out / "index.html").resolve())
    return 0


def portal_frame(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """`--portal`: the frame of a portal column; None without it; False (reported) if invalid."""
    if getattr(args, "portal", None) is None:
        return None
    from ..county.config import load_portal
    from ..diagnostics import Diagnostics
    from ..frame import Frame

    portal, found = load_portal(args.portal)
    if portal is None or any(d.severity.name == "ERROR" for d in found):
        print_diagnostics(Diagnostics(list(found)), args.format)
        sys.stderr.write("门户网站配置有错误，未生成网站。\n")
        return False
    return Frame(portal=portal)


def county_root(args: argparse.Namespace) -> Path | None:
    """The county repository to build: `--content` holding county.yaml, or the working folder
    holding county.yaml when no content/ folder is there."""
    from ..county.layout import find_county

    found = find_county(args.content)
    if found is None and args.content == Path("content") and not args.content.is_dir():
        found = find_county(Path("."))
    return found


def build_county_from(args: argparse.Namespace, root: Path, progress, portal=None, listings=None):  # type: ignore[no-untyped-def]

    from ..cache import default_root
    from ..county import build_county

    options = options_from(args)
    cache = args.cache or default_root(root, os.environ, Path.home())
    return build_county(root, options, cache, progress, portal, listings)


def open_in_browser(page: Path) -> None:
    """`--open`: a browser where there is one; otherwise say what to open (servers, SSH, CI)."""
    import webbrowser

    try:
        opened = webbrowser.open(page.as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        sys.stderr.write(f"没有找到可用的浏览器，请手动打开：{page}\n")
