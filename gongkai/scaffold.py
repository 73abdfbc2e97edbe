"""`gongkai new`: ready-to-fill content files, each field explained in Chinese.

Pure functions build the text (`document`, `village`, `guide`, `consultation`, `item_snippet`)
from values the command has already looked up; small readers scan existing content for what a
suggestion needs (文号 in use, catalog ids, list entries). A required value the clerk must
supply is written as an empty `key:` so `gongkai check` reports it at its own line until filled;
`Scaffold.todo` lists those lines so the command can say what is left to do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from .models import Attribute, DocKind, LegalGround
from .models.document import DOC_NUMBER
from .rules.consultations import MIN_COMMENT_DAYS

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SLUG_HINT = "只能使用小写字母、数字和连字符，例如 dibao-gongshi-2026-11"
KIND_SLUGS = {
    "通知": "tongzhi", "公告": "gonggao", "公示": "gongshi", "通告": "tonggao", "方案": "fangan",
    "意见": "yijian", "决定": "jueding", "办法": "banfa", "规定": "guiding", "报告": "baogao",
    "解读": "jiedu", "预算": "yusuan", "决算": "juesuan", "计划": "jihua", "总结": "zongjie",
    "纪要": "jiyao", "名单": "mingdan", "其他": "wenjian",
}
_NEEDS_QUOTES = re.compile(r"(^[-?:,\[\]{}#&*!|>'\"%@`\s])|(: )|( #)|(\s$)|^$")
_DOC_NUMBER_LINE = re.compile(r"^doc_number:\s*[\"']?([^\"'#\n]+?)[\"']?\s*(#.*)?$", re.MULTILINE)
_NUMBER_PARTS = re.compile(r"^(.+)〔(\d{4})〕(\d+)号$")
_INDEX_LINE = re.compile(r"^index_number:\s*[\"']?([^\"'#\n]+?)[\"']?\s*(#.*)?$", re.MULTILINE)
_WITHHELD_LINE = re.compile(r"^attribute:\s*[\"']?(不予公开|此件不公开)", re.MULTILINE)


@dataclass
class Line:
    """One front-matter field with the comment that explains it."""

    key: str
    value: str | None  # YAML text; None = leave empty for the clerk to fill
    comment: str
    required: bool = False  # an empty required value is reported by `gongkai check`
    active: bool = True  # False = written commented out, as an optional example


@dataclass
class Scaffold:
    path: Path
    text: str
    todo: list[tuple[int, str, str]] = field(default_factory=list)  # (line, key, label)
    notes: list[str] = field(default_factory=list)
    snippet: str = ""  # for an appended item: just the new lines


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as the same string under BaseLoader."""
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if _NEEDS_QUOTES.search(text) else text


def flow(values: list[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def render(lines: list[Line], indent: str = "", first_line: int = 1) -> tuple[str, list[tuple[int, str, str]]]:
    """Fields as commented YAML; returns the text and the (line, key, label) of empty required ones."""
    out: list[str] = []
    todo: list[tuple[int, str, str]] = []
    for ln in lines:
        for part in ln.comment.split("\n"):
            out.append(f"{indent}# {part}")
        value = "" if ln.value is None else f" {ln.value}"
        if ln.active:
            out.append(f"{indent}{ln.key}:{value}")
            if ln.value is None and ln.required:
                todo.append((first_line + len(out) - 1, ln.key, ln.comment.split("：")[0].split("（")[0]))
        else:
            out.append(f"{indent}# {ln.key}:{value}")
    return "\n".join(out) + "\n", todo


# ---------------------------------------------------------------------------------------------
# Readers: what suggestions need from existing content (tolerant: broken files are skipped).


def front_matters(content: Path) -> list[str]:
    """The front matter text of every documents/**/*.md, in path order (unreadable files skipped)."""
    out = []
    base = content / "documents"
    for file in sorted(base.rglob("*.md")) if base.is_dir() else []:
        try:
            text = file.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        out.append(text.split("\n---", 2)[0] if text.startswith("---") else "")
    return out


def scan_doc_numbers(content: Path) -> list[str]:
    """Every doc_number written in documents/**/*.md front matter."""
    return [m.group(1).strip() for head in front_matters(content) for m in _DOC_NUMBER_LINE.finditer(head)]


def scan_index_numbers(content: Path) -> list[str]:
    """Every 索引号 written in the front matter of a document that is not 不予公开."""
    return [m.group(1).strip() for head in front_matters(content) if not _WITHHELD_LINE.search(head)
            for m in _INDEX_LINE.finditer(head)]


def index_settings(content: Path) -> tuple[str, str] | None:
    """(index_number_format, org_code) from site.yaml, or None when site.yaml has no org_code."""
    data = _load_yaml(content / "site.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("org_code"), str):
        return None
    fmt = data.get("index_number_format")
    return (fmt if isinstance(fmt, str) and fmt else "{org_code}/{year}-{seq:05d}"), data["org_code"]


def next_doc_number(numbers: list[str], prefix: str, year: int) -> tuple[str, int]:
    """The next 文号 for an issuer prefix and year, and the highest number already used (0 = none)."""
    used = 0
    for number in numbers:
        m = _NUMBER_PARTS.match(number)
        if m and m.group(1) == prefix and int(m.group(2)) == year:
            used = max(used, int(m.group(3)))
    return f"{prefix}〔{year}〕{used + 1}号", used


def prefixes(numbers: list[str]) -> list[str]:
    found = {m.group(1) for n in numbers if DOC_NUMBER.match(n) and (m := _NUMBER_PARTS.match(n))}
    return sorted(found)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def catalog_items(content: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Item id → (area slug, raw item) over catalog/*.yaml."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    base = content / "catalog"
    for file in sorted(base.glob("*.y*ml")) if base.is_dir() else []:
        data = _load_yaml(file)
        for item in (data or {}).get("items") or [] if isinstance(data, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.setdefault(item["id"], (file.stem, item))
    return out


def list_entries(content: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    base = content / "lists"
    for file in sorted(base.glob("*.y*ml")) if base.is_dir() else []:
        data = _load_yaml(file)
        for entry in (data or {}).get("entries") or [] if isinstance(data, dict) else []:
            if isinstance(entry, dict) and isinstance(entry.get("code"), str):
                out.setdefault(entry["code"], entry)
    return out


def town_name(content: Path) -> str | None:
    data = _load_yaml(content / "site.yaml")
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """`stem.suffix`, or `stem-2.suffix`, `stem-3.suffix` … if taken (only for generated slugs)."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


# ---------------------------------------------------------------------------------------------
# Content kinds.


def document(path: Path, *, title: str, kind: DocKind, attribute: Attribute, today: date,
             item: str | None = None, villages: list[str] | None = None,
             doc_number: str | None = None, number_note: str = "", index_number: str | None = None,
             index_note: str = "") -> Scaffold:
    kinds = "、".join(k.value for k in DocKind)
    lines = [
        Line("title", scalar(title), "标题（必填）：文件的完整标题", True),
        Line("doc_number", scalar(doc_number) if doc_number else None,
             "发文字号：形如 永政发〔2026〕12号" + (f"；{number_note}" if number_note else "")
             + "\n没有文号的公示、名单可删除这一行", False, active=bool(doc_number)),
        Line("attribute", scalar(attribute.value), "公开属性（必填）：主动公开 / 依申请公开 / 不予公开", True),
        Line("index_number", scalar(index_number) if index_number else None,
             "索引号：新建时分配，之后不再改变（改文件名、移动文件都保留）" + (f"；{index_note}" if index_note else ""),
             False, active=bool(index_number)),
        Line("item", scalar(item) if item else None,
             "所属公开事项：catalog/*.yaml 中事项的 id，例如 shjz-dibao-shenhe"
             + ("（主动公开的文件必须填写）" if attribute is Attribute.ACTIVE else ""),
             attribute is Attribute.ACTIVE),
        Line("kind", scalar(kind.value), f"文种（必填）：{kinds}", True),
        Line("created", today.isoformat(), "成文日期（必填）：YYYY-MM-DD", True),
    ]
    if attribute is Attribute.ACTIVE:
        lines.append(Line("published", today.isoformat(), "发布日期（主动公开必填）：YYYY-MM-DD，不能早于成文日期", True))
    else:
        what = "依申请公开" if attribute is Attribute.ON_REQUEST else "不予公开"
        lines.append(Line("reason", None, f"理由（{what}必填）：写明为什么不主动公开", True))
        lines.append(Line("reviewed", today.isoformat(), "最近自查日期：不主动公开的信息要定期自查是否可以公开", False))
    if attribute is Attribute.WITHHELD:
        grounds = " / ".join(g.value for g in LegalGround)
        lines.append(Line("legal_basis", None, f"不予公开依据（必填）：《政府信息公开条例》第十四、十五、十六条规定的情形之一：\n{grounds}", True))
    if kind is DocKind.INTERPRETATION:
        lines.append(Line("interprets", None, "解读的政策（必填）：被解读文件在 documents/ 下的路径，不含 .md，例如 2026/dibao-xize", True))
        lines.append(Line("form", "文字解读", "解读形式：简明问答、图表图解、案例说明、音频视频、文字解读", False))
    lines.append(Line("villages", flow(villages or []), "适用村（社区）：villages/ 下的文件名（不含 .yaml）；全镇适用时写 []", False,
                      active=bool(villages)))
    if kind is DocKind.PUBLIC_NOTICE:
        lines.append(Line("valid_until", (today + timedelta(days=7)).isoformat(),
                          "公示截止日期：公示期最后一天（请按事项规定的公示期核对）", False))
    lines += [
        Line("period", scalar(str(today.year)), "所属期间：周期性事项填写，例如 2026、2026-Q3、2026-07", False, active=False),
        Line("summary", None, "摘要：一句话概括，用于列表、订阅和微信摘要", False, active=False),
        Line("keywords", "[]", "主题词，例如 [低保, 公示]", False, active=False),
    ]
    front, todo = render(lines, first_line=2)
    body = ("\n<!-- 在下面写正文（Markdown 格式）。这行说明不会显示在网站上，可以删除。\n"
            "     注意：公示名单不要写身份证号、银行卡号、手机号和详细住址。 -->\n\n")
    if attribute is Attribute.WITHHELD:
        body = "\n<!-- 不予公开的文件不会发布，正文只用于内部存档。 -->\n\n"
    return Scaffold(path, "---\n" + front + "---\n" + body, todo)


def village(path: Path, *, name: str, kind: str, order: int, village_items: list[str]) -> Scaffold:
    committee = name + ("居民委员会" if kind == "社区" else "村民委员会")
    shown = "、".join(village_items[:6]) + ("……" if len(village_items) > 6 else "")
    lines = [
        Line("name", scalar(name), "村（社区）名称（必填）", True),
        Line("kind", kind, "类型：行政村 或 社区", True),
        Line("committee", scalar(committee), "村（居）民委员会全称（必填）", True),
        Line("contact", None, "联系电话，例如 0773-4800201", False, active=False),
        Line("contact_person", None, "联系人（公开职务即可，不写个人手机号）", False, active=False),
        Line("notice_board", None, "公示栏位置，例如：村委会办公楼前", False, active=False),
        Line("order", str(order), "排序：在村（社区）列表中的位置", False),
        Line("items", "[]", "本村公开事项：目录中村级事项的 id 列表；不填则使用全部村级事项"
             + (f"\n可选：{shown}" if shown else ""), False, active=False),
        Line("description", None, "简介", False, active=False),
    ]
    text, todo = render(lines)
    return Scaffold(path, text, todo)


def guide(path: Path, *, title: str, today: date, entry: str | None, listed: dict[str, Any] | None) -> Scaffold:
    lines = [
        Line("title", scalar(title), "事项名称（必填），例如：最低生活保障申请", True),
        Line("entry", scalar(entry) if entry else None, "清单事项编码（必填）：lists/ 中权力清单或公共服务事项清单的编码", True),
        Line("department", scalar(listed["department"]) if listed and listed.get("department") else None,
             "办理部门（必填）：必须与清单一致", True),
        Line("time_limit", scalar(listed["time_limit"]) if listed and listed.get("time_limit") else None,
             "办理时限（必填）：必须与清单一致，例如 5个工作日", True),
        Line("conditions", None, "办理条件（必填），可写多行：在冒号后写 | 然后换行缩进", True),
        Line("materials", None, "申请材料（必填，至少一项）：每项一行，例如\n  - 身份证\n  - 户口簿", True),
        Line("process", "[]", "办理流程：按顺序列出步骤，例如 [申请, 受理, 审核, 办结]", False, active=False),
        Line("location", None, "办理地点", False, active=False),
        Line("hours", None, "办理时间，例如：工作日 8:00-12:00，15:00-18:00", False, active=False),
        Line("phone", None, "咨询电话", False, active=False),
        Line("fee", "不收费", "收费标准", False),
        Line("updated", today.isoformat(), "更新日期（必填）：YYYY-MM-DD", True),
    ]
    text, todo = render(lines)
    return Scaffold(path, text, todo)


def consultation(path: Path, *, title: str, today: date, days: int, item: str | None) -> Scaffold:
    lines = [
        Line("title", scalar(title), "决策事项名称（必填）", True),
        Line("item", scalar(item) if item else None, "所属公开事项：目录事项 id（可不填）", False, active=bool(item)),
        Line("scope", None, "参与范围（必填），例如：全镇村民、相关利益方", True),
        Line("methods", "[征集意见]", "参与方式（必填）：听证座谈、实地走访、征集意见、社会调查，可写多个", True),
        Line("channels", None, "意见提交渠道（必填），例如 [电话 0773-4800000, 镇政府意见箱]", True),
        Line("opens", today.isoformat(), "征求意见开始日期（必填）", True),
        Line("closes", (today + timedelta(days=days)).isoformat(), "征求意见截止日期（必填）", True),
        Line("short_reason", None, "期限缩短的理由（征求意见期限少于30日时必填，《重大行政决策程序暂行条例》第十五条）：\n"
             "例如情况紧急的原因，会在页面上公开", True, active=days < MIN_COMMENT_DAYS),
        Line("published", today.isoformat(), "发布日期（必填）", True),
        Line("villages", "[]", "涉及村（社区）：villages/ 下的文件名", False, active=False),
        Line("feedback", None, "意见采纳情况：截止后填写收到多少意见、采纳情况及理由", False, active=False),
    ]
    front, todo = render(lines, first_line=2)
    body = "\n<!-- 在下面写决策草案或说明（Markdown 格式）。这行说明不会显示在网站上。 -->\n\n"
    return Scaffold(path, "---\n" + front + "---\n" + body, todo)


def item_lines(*, item_id: str, level1: str | None, level2: str | None, subject: str | None) -> list[Line]:
    return [
        Line("level1", scalar(level1) if level1 else None, "一级事项（必填），例如：最低生活保障", True),
        Line("level2", scalar(level2) if level2 else None, "二级事项，例如：审核信息", False, active=bool(level2)),
        Line("content", None, "公开内容（要素）（必填），例如：初审对象名单及相关信息", True),
        Line("basis", "[]", "公开依据：法律法规名称，例如 [《社会救助暂行办法》]", False, active=False),
        Line("time_limit", None, "公开时限（必填），例如：信息形成或变更之日起20个工作日内", True),
        Line("subject", scalar(subject) if subject else None, "公开主体（必填），例如：永岁镇人民政府", True),
        Line("channels", "[政府网站]", "公开渠道（必填）：政府网站、公开查阅点、政务服务中心、便民服务站、\n"
             "社区/企事业单位/村公示栏（电子屏）等，可写多个", True),
        Line("audience", "全社会", "公开对象：全社会 或 特定群体", False),
        Line("mode", "主动", "公开方式：主动 或 依申请", False),
        Line("level", "[乡级]", "公开层级：县级 / 乡级 / 村级，可写多个", True),
        Line("key_area", None, "村务重点领域（村级事项填写）：乡村振兴、村级财务、惠农政策、养老服务、社会救助、义务教育", False, active=False),
    ]


def item_append(area_file: Path, *, item_id: str, today: date, lines: list[Line]) -> tuple[Scaffold, str | None]:
    """Append a commented item to the end of the area's `items:` list, leaving the rest as is.

    Returns the scaffold (whole new file text) and None, or the scaffold of the bare snippet and
    the reason appending is unsafe (then nothing should be written to the file).
    """
    text = area_file.read_text(encoding="utf-8-sig")
    reason, dash = _append_point(text)
    indent = " " * (dash if reason is None else 2)
    base = text if text.endswith("\n") or not text else text + "\n"
    head = (f"{indent}# ---- 新增事项（gongkai new item，{today.isoformat()}）：请填写空白的必填项 ----\n"
            f"{indent}- id: {scalar(item_id)}\n")
    first = (base.count("\n") + 3) if reason is None else 3
    body, todo = render(lines, indent=indent + "  ", first_line=first)
    if reason is not None:
        return Scaffold(area_file, head + body, todo), reason
    new = base + head + body
    try:
        data = yaml.load(new, Loader=yaml.BaseLoader)
        ok = isinstance(data, dict) and data.get("items", [None])[-1].get("id") == item_id
    except (yaml.YAMLError, AttributeError, IndexError, TypeError):
        ok = False
    if not ok:
        return Scaffold(area_file, head + body, [(n - base.count("\n"), k, lb) for n, k, lb in todo]), \
            "追加后文件无法按原样解析"
    return Scaffold(area_file, new, todo, snippet=head + body), None


def _append_point(text: str) -> tuple[str | None, int]:
    """(None, column of the items' dashes) if text appended at the end lands in `items:`."""
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        return f"文件有 YAML 错误（{exc.__class__.__name__}），请先运行 gongkai check 修正", 2
    if not isinstance(root, yaml.MappingNode) or not root.value:
        return "文件不是“字段: 值”的形式", 2
    key, value = root.value[-1]
    if key.value != "items":
        return "items: 不是文件中的最后一个字段，追加到末尾会落在其他字段里", 2
    if not isinstance(value, yaml.SequenceNode) or value.flow_style or not value.value:
        return "items: 不是逐行书写的列表（“- id: …”形式）", 2
    return None, value.start_mark.column
