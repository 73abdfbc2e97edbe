"""`gongkai diff BASE [HEAD]`: a review report of a content change, for a pull-request comment."""

from __future__ import annotations

import argparse
import sys

from .common import add_content_option, today_of


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "diff", help="比较两个 git 版本的内容（审核报告）",
        description="比较内容在两个 git 版本之间的变化：新增、修改、删除的文件，公开属性变化（公开程度降低会标出），"
                    "删除已发布文件，新出现的错误和警告（超期公开、个人信息……），受影响的村页面。"
                    "不改动工作区。省略 HEAD 时与工作区（含未提交的修改）比较。",
    )
    p.add_argument("base", metavar="BASE", help="基线版本，例如 origin/main")
    p.add_argument("head", metavar="HEAD", nargs="?", default=None, help="变更后的版本（省略 = 工作区）")
    add_content_option(p)
    p.add_argument("--format", choices=["markdown", "json"], default="markdown", help="输出格式（默认 markdown）")
    audience = p.add_mutually_exclusive_group()
    audience.add_argument("--public", action="store_true",
                          help="公开报告（用于 PR 评论）：不显示不予公开文件的标题、文号和理由，只给件数；"
                               "所有来自内容的文字都转义，不能形成链接、图片、@提及或 HTML")
    audience.add_argument("--internal", action="store_true",
                          help="内部报告（默认）：列出全部文件和理由，只给工作人员看")
    p.add_argument("--output", "-o", default=None, metavar="文件", help="把报告写入文件（默认打印）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..review import GitError, diff_revisions
    from ..review.compare import public_view
    from ..review.report import as_json, markdown

    try:
        diff = diff_revisions(args.content, args.base, args.head, today_of(args))
    except GitError as exc:
        sys.stderr.write(f"gongkai diff：{exc}\n")
        return 2
    if args.public:
        diff = public_view(diff)
    text = as_json(diff) if args.format == "json" else markdown(diff)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    errors = len(diff.head.diagnostics.errors)
    if errors:
        sys.stderr.write(f"变更后的内容有 {errors} 个错误（运行 gongkai check 查看）。\n")
        return 1
    return 0
