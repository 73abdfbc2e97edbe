"""`gongkai report register|review|annual|applications|catalog|villages`: internal reports, never part of the site.

Reports are built from the validated site; content with errors gets the same diagnostics as
`gongkai check` and exit 1. The output folder (default `reports/`) may not lie inside the site
output or the content folder, because the register lists 不予公开 documents: a report that a
build or a deploy could pick up would publish exactly what the register exists to withhold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import add_content_option, print_diagnostics, today_of

KINDS = {
    "register": (
        "公文公开属性登记（HTML、CSV、XLSX；内部资料）",
        "所有文件的公开属性、理由、依据、日期和下次自查日期。",
    ),
    "review": (
        "自查清单（Markdown、HTML、CSV；内部资料）",
        "已逾期和 90 天内到期需要自查的不予公开、依申请公开文件。",
    ),
    "annual": (
        "年度报告数据（Markdown、XLSX）",
        "政府信息公开工作年度报告（2021 年格式）中可由内容统计的数字。",
    ),
    "applications": (
        "政府信息公开申请登记（HTML、XLSX；内部资料）",
        "每件申请的渠道、申请人类型、办理步骤、答复期限和结果，以及年度报告表三（按申请人类型统计的办理结果）。",
    ),
    "catalog": (
        "标准目录导出（XLSX 或 CSV）",
        "按标准目录的栏目顺序导出公开事项目录，每个领域一张表。",
    ),
    "supervision": (
        "县级督查报告（HTML、XLSX；县级专区，内部资料）",
        "各乡镇的缺项、超期公开、自查逾期、无信息的领域、更新情况和村务公开滞后的村；--content 指向含 county.yaml 的目录。",
    ),
    "villages": (
        "村务公开进度（Markdown、HTML、CSV）",
        "各村（社区）定期公开事项的公开情况，列出未按期公开的村和缺少的期间（村民委员会组织法第三十条）。",
    ),
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="生成内部报告（公开属性登记、自查清单、年度报告数据、目录导出、村务公开进度）",
        description="生成工作人员使用的报告，写入 reports/，不属于网站内容。",
    )
    kinds = p.add_subparsers(dest="report", metavar="报告", parser_class=type(p), required=True)
    for name, (help_text, description) in KINDS.items():
        q = kinds.add_parser(name, help=help_text, description=description)
        add_content_option(q)
        q.add_argument(
            "--out",
            type=Path,
            default=Path("reports"),
            metavar="目录",
            help="报告输出目录（默认 reports）",
        )
        q.add_argument(
            "--site",
            type=Path,
            default=Path("site"),
            metavar="目录",
            help="网站输出目录（默认 site）；报告不得写入其中",
        )
        if name == "annual":
            q.add_argument(
                "--year", type=int, default=None, metavar="年份", help="统计年度（默认上一年）"
            )
        if name == "applications":
            q.add_argument(
                "--year", type=int, default=None, metavar="年份", help="表三的统计年度（默认今年）"
            )
        if name == "catalog":
            q.add_argument(
                "--format",
                choices=["xlsx", "csv"],
                default="xlsx",
                help="xlsx（默认，一个领域一张表）或 csv（一个领域一个文件）",
            )
        q.set_defaults(func=run)


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def out_problem(out: Path, site_dir: Path, content: Path) -> str | None:
    """Why `out` may not receive reports, or None. Checked before anything is read or written."""
    for folder in (site_dir, content.parent / "site"):
        if _inside(out, folder):
            return (
                f"报告目录 {out.as_posix()} 位于网站输出目录 {folder.as_posix()} 之内。"
                "报告含不予公开信息，不能放进网站；请用 --out 指定网站之外的目录（默认 reports）"
            )
    if _inside(out, content):
        return (
            f"报告目录 {out.as_posix()} 位于内容目录 {content.as_posix()} 之内。"
            "请用 --out 指定内容目录之外的目录（默认 reports）"
        )
    if out.exists() and not out.is_dir():
        return f"报告目录 {out.as_posix()} 已存在但不是目录"
    return None


def usage_error(message: str) -> int:
    sys.stderr.write(f"gongkai: 用法错误：{message}\n")
    return 2


def run(args: argparse.Namespace) -> int:

    from ..reports import (
        annual_files,
        applications_files,
        catalog_files,
        register_files,
        review_files,
        village_files,
        write_files,
    )
    from ..validate import check_content

    problem = out_problem(args.out, args.site, args.content)
    if problem:
        return usage_error(problem)
    year = getattr(args, "year", None)
    if year is not None and not 1949 <= year <= 9998:
        return usage_error(f"年份 {year} 不正确，例如 --year 2025")
    if args.report == "supervision":
        return run_supervision(args)
    site, diags = check_content(args.content, today_of(args))
    if site is None or diags.errors:
        print_diagnostics(diags)
        sys.stderr.write("内容有错误，未生成报告；请先修正（运行 gongkai check 查看）。\n")
        return 1
    if diags.warnings:
        sys.stderr.write(f"（内容有 {len(diags.warnings)} 个警告，运行 gongkai check 查看）\n")
    if args.report == "register":
        files = register_files(site)
    elif args.report == "review":
        files = review_files(site)
    elif args.report == "annual":
        files = annual_files(site, year if year is not None else site.today.year - 1)
    elif args.report == "villages":
        files = village_files(site)
    elif args.report == "applications":
        files = applications_files(site, year if year is not None else site.today.year)
    else:
        files = catalog_files(site, args.format)
    for path in write_files(args.out, files):
        print(f"已写入 {path.as_posix()}")
    return 0


def run_supervision(args: argparse.Namespace) -> int:
    """The county's report: every township checked as `gongkai check` does."""

    from ..county import find_county, load_county
    from ..county.supervision import collect, supervision_files
    from ..diagnostics import Diagnostics
    from ..reports import write_files

    root = find_county(args.content)
    if root is None and args.content == Path("content") and not args.content.is_dir():
        root = find_county(Path("."))
    if root is None:
        return usage_error(f"{args.content.as_posix()} 中没有 county.yaml：督查报告用于县级专区，请用 --content 指定含 county.yaml 的目录")
    config, found = load_county(root)
    if config is None:
        print_diagnostics(Diagnostics(list(found)))
        sys.stderr.write("county.yaml 有错误，未生成报告。\n")
        return 1
    if any(_inside(args.out, config.town_dir(slug)) for slug in config.towns):
        return usage_error(f"报告目录 {args.out.as_posix()} 位于乡镇内容目录之内，请用 --out 指定其他目录")
    today = today_of(args)
    statuses = collect(config, today)
    for path in write_files(args.out, supervision_files(config, statuses, today)):
        print(f"已写入 {path.as_posix()}")
    return 0
