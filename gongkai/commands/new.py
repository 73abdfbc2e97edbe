"""`gongkai new document|item|village|guide|consultation|index-numbers`: write a ready-to-fill content file
(`index-numbers` writes the 索引号 each public document shows into its front matter).

Never overwrites: an existing file is an error (exit 1). Looks values up in the existing
content (catalog ids, villages, list entries, 文号 in use) so that suggestions are right and a
mistyped id is caught now rather than at the next `gongkai check`.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from .common import parse_date, today_of

KINDS = ["document", "item", "village", "guide", "consultation", "index-numbers"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from ..models import Attribute, DocKind

    p = sub.add_parser("new", help="新建内容文件（文件、事项、村、办事指南、征求意见）",
                       description="按模板新建一个内容文件，字段都带中文说明；不会覆盖已有文件。")
    kinds = p.add_subparsers(dest="what", metavar="类型", parser_class=type(p))

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--content", type=Path, default=Path("content"), metavar="目录", help="内容目录（默认 content）")
        q.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD", help="把这一天当作今天（默认今天）")
        q.add_argument("--stdout", action="store_true", help="只把内容打印出来，不写文件")
        q.set_defaults(func=run)

    d = kinds.add_parser("document", help="新建一份文件 documents/<年>/<slug>.md")
    d.add_argument("--title", required=True, help="文件标题")
    d.add_argument("--kind", default="通知", choices=[k.value for k in DocKind], metavar="文种", help="文种（默认 通知）")
    d.add_argument("--attribute", default="主动公开", choices=[a.value for a in Attribute], metavar="公开属性",
                   help="主动公开（默认）/ 依申请公开 / 不予公开")
    d.add_argument("--item", default=None, metavar="事项id", help="所属公开事项（catalog/*.yaml 中的 id）")
    d.add_argument("--village", action="append", default=[], metavar="slug", help="适用村（可写多次）")
    d.add_argument("--prefix", default=None, metavar="发文机关代字", help="如 永政发：自动建议本年下一个文号")
    d.add_argument("--slug", default=None, help="文件名（小写字母、数字、连字符）；默认按文种和日期生成")
    common(d)

    i = kinds.add_parser("item", help="在 catalog/<领域>.yaml 末尾追加一个公开事项")
    i.add_argument("--area", required=True, metavar="领域", help="领域文件名，如 shjz（catalog/shjz.yaml）")
    i.add_argument("--id", required=True, dest="item_id", metavar="事项id", help="新事项的 id，如 shjz-linshi-jiuzhu")
    i.add_argument("--level1", default=None, metavar="一级事项")
    i.add_argument("--level2", default=None, metavar="二级事项")
    common(i)

    v = kinds.add_parser("village", help="新建一个村（社区） villages/<slug>.yaml")
    v.add_argument("--slug", required=True, help="文件名（拼音），如 jingtou")
    v.add_argument("--name", required=True, help="村（社区）名称，如 井头村")
    v.add_argument("--type", dest="village_kind", default=None, choices=["行政村", "社区"], metavar="类型",
                   help="行政村 / 社区（默认按名称判断）")
    common(v)

    g = kinds.add_parser("guide", help="新建办事指南 guides/<slug>.yaml")
    g.add_argument("--slug", required=True)
    g.add_argument("--title", required=True, help="事项名称")
    g.add_argument("--entry", default=None, metavar="编码", help="清单事项编码；填写后自动带出办理部门和时限")
    common(g)

    c = kinds.add_parser("consultation", help="新建征求意见 consultations/<slug>.md")
    c.add_argument("--slug", required=True)
    c.add_argument("--title", required=True, help="决策事项名称")
    c.add_argument("--item", default=None, metavar="事项id")
    c.add_argument("--days", type=int, default=30, metavar="天数", help="征求意见天数（默认 30）")
    common(c)
    n = kinds.add_parser("index-numbers", help="为所有公开文件写入索引号（保持网页上现有的编号）",
                         description="把每份未写入索引号的公开文件当前显示的索引号写进它的头部，此后改名、移动都不再变化。")
    common(n)
    p.set_defaults(func=lambda args: _no_kind(p))


def _no_kind(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return 2


class UsageError(Exception):
    pass


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return 1


def _closest(value: str, options: list[str]) -> str:
    match = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.5)
    return f"，是否想写“{match[0]}”？" if match else ""


def _check_slug(slug: str) -> None:
    from ..scaffold import SLUG, SLUG_HINT

    if not SLUG.match(slug):
        raise UsageError(f"文件名“{slug}”不可用：{SLUG_HINT}")


def run(args: argparse.Namespace) -> int:
    today = today_of(args)
    content: Path = args.content
    if not content.is_dir():
        return _fail(f"内容目录 {content.as_posix()} 不存在（用 --content 指定）。")
    if args.what == "index-numbers":
        return _write_index_numbers(content, today, args.stdout)
    try:
        made, unsafe = _make(args, content, today)
    except UsageError as exc:
        sys.stderr.write(f"gongkai new：{exc}\n")
        return 2
    except FileExistsError as exc:
        return _fail(f"文件 {Path(str(exc)).as_posix()} 已存在，没有覆盖。请换一个 --slug，或直接编辑这个文件。")
    if args.stdout or unsafe:
        if unsafe:
            sys.stderr.write(f"没有修改 {made.path.as_posix()}：{unsafe}。\n"
                             "请把下面的内容复制到该文件 items: 列表的末尾：\n")
        sys.stdout.write(made.snippet or made.text)
        return 0
    _write_new(made.path, made.text, replace=args.what == "item")
    verb = "已在" if args.what == "item" else "已创建"
    print(f"{verb} {made.path.as_posix()}" + (" 末尾追加事项" if args.what == "item" else ""))
    for note in made.notes:
        print(note)
    if made.todo:
        print("请填写以下必填项，然后运行 gongkai check：")
        for line, key, label in made.todo:
            print(f"  {made.path.as_posix()}:{line}  {key}（{label}）")
    else:
        print("运行 gongkai check 检查，或 gongkai serve 预览。")
    return 0


def _write_index_numbers(content: Path, today: date, dry_run: bool) -> int:
    """Fix the 索引号 of every public document that has none, at the number it shows now."""
    import re

    from ..scaffold import scalar
    from ..validate import check_content
    from .common import print_diagnostics

    site, diags = check_content(content, today)
    if site is None:
        print_diagnostics(diags)
        return _fail("内容有错误，没有写入索引号；请先修正（运行 gongkai check 查看）。")
    missing = [i for i, d in site.public_documents.items() if not d.model.index_number]
    for doc_id in missing:
        entry = site.documents[doc_id]
        number = site.index_numbers[doc_id]
        path = site.root / "documents" / f"{doc_id}.md"
        text = path.read_text(encoding="utf-8")
        head, sep, rest = text.partition("\n---")
        line = f"index_number: {scalar(number)}"
        anchor = re.search(r"^attribute:.*$", head, flags=re.MULTILINE)
        head = (head[: anchor.end()] + "\n" + line + head[anchor.end():]) if anchor else head + "\n" + line
        print(f"{entry.path}  {line}")
        if not dry_run:
            _write_new(path, head + sep + rest, replace=True)
    verb = "将写入" if dry_run else "已写入"
    print(f"{verb} {len(missing)} 份文件的索引号；此后改名、移动文件都不会改变。" if missing else "所有公开文件都已写入索引号。")
    return 0


def _write_new(path: Path, text: str, replace: bool) -> None:
    """Write atomically; `os.link` refuses an existing target, so a new file never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # raises FileExistsError if someone created it meanwhile
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _make(args: argparse.Namespace, content: Path, today: date):  # type: ignore[no-untyped-def]
    from .. import scaffold
    from ..models import Attribute, DocKind

    kind = args.what
    if kind == "document":
        items = scaffold.catalog_items(content)
        if args.item and items and args.item not in items:
            raise UsageError(f"公开事项“{args.item}”在 catalog/ 中不存在{_closest(args.item, list(items))}")
        villages = sorted(p.stem for p in (content / "villages").glob("*.y*ml"))
        for slug in args.village:
            if slug not in villages:
                raise UsageError(f"村“{slug}”不存在{_closest(slug, villages)}（村的 slug 是 villages/ 下的文件名）")
        folder = content / "documents" / str(today.year)
        if args.slug:
            _check_slug(args.slug)
            path = folder / f"{args.slug}.md"
        else:
            path = scaffold.free_path(folder, f"{scaffold.KIND_SLUGS[args.kind]}-{today:%m%d}", ".md")
        numbers = scaffold.scan_doc_numbers(content)
        number, note, notes = None, "", []
        if args.prefix:
            number, used = scaffold.next_doc_number(numbers, args.prefix, today.year)
            used_text = f"{args.prefix}〔{today.year}〕已用到 {used} 号" if used else f"本年还没有 {args.prefix} 文号"
            note = f"建议的下一个文号（{used_text}），请与发文登记簿核对"
            notes.append(f"建议文号：{number}（{used_text}，请与发文登记簿核对）")
        else:
            known = [scaffold.next_doc_number(numbers, p, today.year)[0] for p in scaffold.prefixes(numbers)]
            if known:
                note = "本年可用的下一个文号：" + "、".join(known)
        index, index_note = None, ""
        settings = scaffold.index_settings(content)
        if settings is not None and Attribute(args.attribute) is not Attribute.WITHHELD:
            from ..index_numbers import next_index_number

            index, used = next_index_number(scaffold.scan_index_numbers(content), *settings, today.year)
            index_note = f"本年已分配到第 {used} 号" if used else "本年第一个"
            notes.append(f"索引号：{index}（{index_note}；此后不再改变）")
        made = scaffold.document(
            path, title=args.title, kind=DocKind(args.kind), attribute=Attribute(args.attribute), today=today,
            item=args.item, villages=args.village, doc_number=number, number_note=note,
            index_number=index, index_note=index_note,
        )
        made.notes = notes
    elif kind == "village":
        _check_slug(args.slug)
        path = content / "villages" / f"{args.slug}.yaml"
        vkind = args.village_kind or ("社区" if args.name.endswith("社区") else "行政村")
        existing = list((content / "villages").glob("*.y*ml"))
        village_items = [i for i, (_, raw) in scaffold.catalog_items(content).items() if "村" in str(raw.get("level", ""))]
        made = scaffold.village(path, name=args.name, kind=vkind, order=len(existing) + 1, village_items=village_items)
    elif kind == "guide":
        _check_slug(args.slug)
        path = content / "guides" / f"{args.slug}.yaml"
        entries = scaffold.list_entries(content)
        if args.entry and args.entry not in entries:
            raise UsageError(f"清单事项编码“{args.entry}”在 lists/ 中不存在{_closest(args.entry, list(entries))}")
        made = scaffold.guide(path, title=args.title, today=today, entry=args.entry,
                              listed=entries.get(args.entry) if args.entry else None)
    elif kind == "consultation":
        _check_slug(args.slug)
        if args.days < 1:
            raise UsageError("--days 至少为 1")
        path = content / "consultations" / f"{args.slug}.md"
        made = scaffold.consultation(path, title=args.title, today=today, days=args.days, item=args.item)
    else:  # item
        return _make_item(args, content, today)
    if path.exists() and not args.stdout:
        raise FileExistsError(str(path))
    return made, None


def _make_item(args: argparse.Namespace, content: Path, today: date):  # type: ignore[no-untyped-def]
    from .. import scaffold

    area_file = content / "catalog" / f"{args.area}.yaml"
    areas = sorted(p.stem for p in (content / "catalog").glob("*.yaml"))
    if not area_file.is_file():
        raise UsageError(f"领域文件 catalog/{args.area}.yaml 不存在{_closest(args.area, areas)}"
                         + (f"（已有：{'、'.join(areas)}）" if areas else ""))
    _check_slug(args.item_id)
    items = scaffold.catalog_items(content)
    if args.item_id in items:
        raise UsageError(f"事项编号“{args.item_id}”已在 catalog/{items[args.item_id][0]}.yaml 中使用，事项编号必须唯一")
    lines = scaffold.item_lines(item_id=args.item_id, level1=args.level1, level2=args.level2,
                                subject=scaffold.town_name(content))
    return scaffold.item_append(area_file, item_id=args.item_id, today=today, lines=lines)
