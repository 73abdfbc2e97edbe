"""`gongkai digest`: plain text of what was published, ready to paste into a WeChat group."""

from __future__ import annotations

import argparse
import sys

from .common import add_content_option, parse_date, print_diagnostics, today_of


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "digest", help="生成微信群推送文字（最近发布的信息）",
        description="列出最近发布的公开信息（标题、日期、一句话摘要、链接），纯文字，可直接粘贴到村民微信群。",
    )
    add_content_option(p)
    p.add_argument("--village", default=None, metavar="村编号", help="只列本村文件和全镇文件（villages/ 下的文件名，如 jingtou）")
    p.add_argument("--since", type=parse_date, default=None, metavar="YYYY-MM-DD", help="从这一天起发布的（默认最近 7 天）")
    p.add_argument("--base-url", default=None, metavar="网址", help="网站正式地址（默认用 site.yaml 的 base_url），链接写成完整网址")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..loading import load_content
    from ..reach.digest import UnknownVillage, digest
    from ..validate import validate

    site, diags = validate(load_content(args.content), today_of(args))
    if site is None or diags.errors:
        print_diagnostics(diags)
        sys.stderr.write("内容有错误，无法生成推送文字。请先运行 gongkai check 修正。\n")
        return 1
    base_url = args.base_url or site.town.model.base_url
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    try:
        text = digest(site, args.village, args.since, base_url)
    except UnknownVillage as exc:
        known = "、".join(f"{slug}（{v.model.name}）" for slug, v in site.villages.items()) or "（没有村）"
        sys.stderr.write(f"找不到村（社区）“{exc}”。--village 应填 villages/ 下的文件名，可用：{known}\n")
        return 1
    sys.stdout.write(text)
    return 0
