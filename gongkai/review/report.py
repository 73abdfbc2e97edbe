"""Render a `ContentDiff`: Markdown for a pull-request comment, or JSON for tools.

The reviewer's questions come first (less disclosure? published records deleted? new errors?),
then the inventory. The default report is for staff: titles and reasons are shown, bodies never are. `public_view`
(`gongkai diff --public`) gives the report anyone may read, rendered with `public_md`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic
from .compare import BODY, Changed, ContentDiff, Doc, field_label

MARKER = "<!-- gongkai-diff -->"  # lets CI find and update its previous comment
LIST_LIMIT = 100
CODE_LABELS = {
    "governance.late": "超期公开", "governance.privacy": "个人信息", "governance.review_overdue": "自查逾期",
    "governance.missing": "缺项", "governance.interpretation_lag": "解读滞后",
    "governance.restates_mismatch": "内容不一致", "governance.calendar_coverage": "工作日历",
}


def md(text: object) -> str:
    """Safe inside a Markdown table cell or list item of a GitHub/GitLab comment."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", " ").replace("\n", " "))


# Characters that would start a mention, an issue reference or an autolink on GitHub/GitLab even
# when backslash-escaped (those filters run on the rendered text): replaced by look-alikes.
_INERT = str.maketrans({"@": "＠", "#": "＃"})
# C0/C1 controls, bidi controls, zero-width and other invisible formatting characters
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_ASCII_PUNCT = re.compile(r"([!\"$%&'()*+,\-./:;<=>?\[\\\]^_`{|}~])")
_AUTOLINK = re.compile(r"(://|(?<![A-Za-z0-9])www\.)", re.IGNORECASE)
PUBLIC_LIMIT = 200


def public_md(text: object) -> str:
    """Inert text for a comment anyone can post content into: every ASCII punctuation character is
    backslash-escaped (CommonMark allows it for all of them), so no link, image, emphasis, table
    cell, code span, heading or raw HTML can form; `@`/`#` become full-width (no mention or issue
    reference); `://` and `www.` are defanged (`[:]//`, `www[.]`) so no autolink forms; invisible
    and bidi control characters are dropped; long strings are cut."""
    value = _INVISIBLE.sub(lambda m: " " if m.group() in "\t\n\r" else "", str(text))
    if len(value) > PUBLIC_LIMIT:
        value = value[:PUBLIC_LIMIT] + "…"
    value = _AUTOLINK.sub(lambda m: "[:]//" if m.group() == "://" else m.group()[:3] + "[.]", value)
    return _ASCII_PUNCT.sub(r"\\\1", value.translate(_INERT))


@dataclass(frozen=True)
class Style:
    """How untrusted strings go into the report: `md` for staff, `public_md` for anyone."""

    public: bool

    def text(self, value: object) -> str:
        return public_md(value) if self.public else md(value)

    def code(self, value: object) -> str:
        return public_md(value) if self.public else f"`{md(value)}`"


INTERNAL = Style(public=False)


def _doc(s: Style, doc: Doc) -> str:
    return f"{s.code(doc.id)}《{s.text(doc.title) or '（无标题）'}》"


def _attr(s: Style, doc: Doc) -> str:
    return doc.attribute.value if doc.attribute else f"（无效：{s.text(doc.get('attribute'))}）"


def _diag(s: Style, d: Diagnostic) -> str:
    label = CODE_LABELS.get(d.code)
    tag = f"**[{label}]** " if label else ""
    hint = f"（{s.text(d.hint)}）" if d.hint else ""
    return f"- {tag}{s.code(f'{d.path}:{d.line}:{d.col}')} {s.text(d.message)}{hint}"


def _limited(lines: list[str], total: int) -> list[str]:
    if total > LIST_LIMIT:
        return lines[:LIST_LIMIT] + [f"- ……另有 {total - LIST_LIMIT} 项（完整列表见 `gongkai diff --format json`）"]
    return lines


def markdown(diff: ContentDiff) -> str:
    s = Style(diff.public)
    head_errors = diff.head.diagnostics.errors
    out = [MARKER, "## 政务公开内容变更报告", "",
           f"基线：{s.text(diff.base.label)} → 变更后：{s.text(diff.head.label)}", ""]
    counts = [len(diff.added), len(diff.changed), len(diff.removed), len(diff.renamed),
              f"{len(diff.attribute_changes)}{' ⚠️' if diff.downgrades else ''}",
              f"{len(diff.new_errors)}{' ❌' if diff.new_errors else ''}", len(diff.new_warnings)]
    out += ["| 新增文件 | 修改文件 | 删除文件 | 移动文件 | 公开属性变化 | 新增错误 | 新增警告 |",
            "|---|---|---|---|---|---|---|", "| " + " | ".join(str(c) for c in counts) + " |", ""]
    attention = _attention(s, diff, len(head_errors))
    if attention:
        out += ["### ⚠️ 需要重点审核", "", *attention, ""]
    if diff.empty:
        out += ["没有内容变化。", ""]
    if diff.added:
        out += [f"### 新增文件（{len(diff.added)}）", "", "| 文件 | 标题 | 公开属性 | 文种 | 发布日期 | 适用村 |", "|---|---|---|---|---|---|"]
        rows = [f"| {s.code(d.id)} | {s.text(d.title)} | {_attr(s, d)} | {s.text(d.get('kind'))} | {s.text(d.published or '—')} "
                f"| {s.text('、'.join(_village_name(diff, v) for v in d.villages) or '全镇')} |" for d in diff.added]
        out += _limited(rows, len(rows)) + [""]
    if diff.changed:
        out += [f"### 修改的文件（{len(diff.changed)}）", "", "| 文件 | 标题 | 修改的内容 |", "|---|---|---|"]
        rows = [f"| {s.code(c.after.id)} | {s.text(c.after.title)} | {s.text('、'.join(_field(s, c, k) for k in c.fields))} |"
                for c in diff.changed]
        out += _limited(rows, len(rows)) + [""]
    if diff.renamed:
        out += [f"### 移动的文件（{len(diff.renamed)}）", "", "网址会改变，原链接将失效；如无必要请保持原文件名。", ""]
        out += [f"- {_doc(s, a)} → {s.code(b.id)}" for a, b in diff.renamed] + [""]
    if diff.removed:
        out += [f"### 删除的文件（{len(diff.removed)}）", ""]
        out += _limited([f"- {_doc(s, d)}（{_attr(s, d)}）" for d in diff.removed], len(diff.removed)) + [""]
    if diff.attribute_changes:
        out += [f"### 公开属性变化（{len(diff.attribute_changes)}）", ""]
        for c in diff.attribute_changes:
            mark = "⚠️ 公开程度降低" if c in diff.downgrades else "公开程度提高"
            reason = c.after.get("reason")
            why = f"；理由：{s.text(reason)}" if reason and not s.public else ""
            out.append(f"- {mark}：{_doc(s, c.after)} {_attr(s, c.before)} → {_attr(s, c.after)}{why}")
        out.append("")
    if diff.new_errors or diff.new_warnings:
        out += [f"### 新出现的问题（错误 {len(diff.new_errors)}，警告 {len(diff.new_warnings)}）", ""]
        lines = [_diag(s, d) for d in diff.new_errors] + [_diag(s, d) for d in diff.new_warnings]
        out += _limited(lines, len(lines)) + [""]
    if diff.withheld or diff.withheld_problems:
        problems = f"，{diff.withheld_problems} 个新问题" if diff.withheld_problems else ""
        out += [f"另有 {diff.withheld} 件不予公开文件变动{problems}，详见内部登记。", ""]
    if diff.fixed:
        out += [f"已解决的问题：{len(diff.fixed)} 个。", ""]
    if diff.villages or diff.town_wide:
        out += ["### 受影响的村务公开页面", ""]
        for slug, why in diff.villages.items():
            out.append(f"- {s.text(_village_name(diff, slug))}（{s.code(f'villages/{slug}.html')}）：{s.text('；'.join(why))}")
        if diff.town_wide:
            out.append("- 全镇性文件有变化：各村页面的“全镇信息”栏可能随之变化")
        out.append("")
    if diff.other or diff.items_added or diff.items_removed:
        out += ["### 其他内容变化", ""]
        out += [f"- {change}{kind}：{s.code(path)}" for change, kind, path in diff.other]
        out += [f"- 新增公开事项 {s.code(i)}（{s.text(name)}，{s.text(path)}）" for i, path, name in diff.items_added]
        out += [f"- ⚠️ 删除公开事项 {s.code(i)}（{s.text(name)}，{s.text(path)}）" for i, path, name in diff.items_removed]
        out.append("")
    footer = "不显示正文和不予公开文件" if s.public else "不显示正文"
    out.append(f"*由 `gongkai diff{' --public' if s.public else ''}` 生成：只比较 content/ 中的内容，{footer}。*")
    return "\n".join(out) + "\n"


def _attention(s: Style, diff: ContentDiff, head_errors: int) -> list[str]:
    out = []
    for c in diff.downgrades:
        reason = c.after.get("reason")
        why = "（理由见内部登记）" if s.public else f"（理由：{s.text(reason)}）" if reason else "（没有填写理由）"
        out.append(f"- ⚠️ **公开程度降低**：{_doc(s, c.after)} {_attr(s, c.before)} → {_attr(s, c.after)}{why}")
    if diff.withheld_downgrades:
        out.append(f"- ⚠️ **公开程度降低**：{diff.withheld_downgrades} 件文件改为不予公开（公开报告不显示其标题，详见内部登记）")
    for d in diff.removed_published:
        out.append(f"- ⚠️ **删除了已发布的文件**：{_doc(s, d)}（主动公开，{s.text(d.published)} 发布）。"
                   "已发布的政府信息应保留并用 valid_until / validity 标注过期或失效，而不是删除")
    if diff.items_removed:
        out.append(f"- ⚠️ **删除了 {len(diff.items_removed)} 个公开事项**：标准目录中的事项一般不应删除")
    if head_errors:
        out.append(f"- ❌ **变更后的内容有 {head_errors} 个错误**，合并前必须修正（运行 `gongkai check` 查看）")
    labelled = [d for d in diff.new_errors + diff.new_warnings if d.code in CODE_LABELS]
    for code, label in CODE_LABELS.items():
        n = sum(1 for d in labelled if d.code == code)
        if n:
            out.append(f"- ⚠️ 新增{label}问题 {n} 个（见下方“新出现的问题”）")
    return out


def _field(s: Style, change: Changed, key: str) -> str:
    if key == "attribute":
        return f"公开属性（{_attr(s, change.before)} → {_attr(s, change.after)}）"
    return BODY if key == BODY else field_label(key)


def _village_name(diff: ContentDiff, slug: str) -> str:
    return diff.head.villages.get(slug) or diff.base.villages.get(slug) or slug


def as_json(diff: ContentDiff) -> str:
    def doc(d: Doc) -> dict[str, Any]:
        return {"id": d.id, "path": d.path, "title": d.title,
                "attribute": d.attribute.value if d.attribute else None, "published": d.published,
                "villages": d.villages}

    data = {
        "base": diff.base.label, "head": diff.head.label,
        "added": [doc(d) for d in diff.added],
        "changed": [{**doc(c.after), "fields": c.fields} for c in diff.changed],
        "removed": [{**doc(d), "was_published": d in diff.removed_published} for d in diff.removed],
        "renamed": [{"from": doc(a), "to": doc(b)} for a, b in diff.renamed],
        "attribute_changes": [
            {"id": c.after.id, "title": c.after.title, "from": _attr(INTERNAL, c.before), "to": _attr(INTERNAL, c.after),
             "less_disclosure": c in diff.downgrades} for c in diff.attribute_changes
        ],
        "new_errors": [d.as_json() for d in diff.new_errors],
        "new_warnings": [d.as_json() for d in diff.new_warnings],
        "fixed": len(diff.fixed),
        "head_errors": len(diff.head.diagnostics.errors),
        "villages": diff.villages, "town_wide": diff.town_wide,
        "other": [{"change": c, "kind": k, "path": p} for c, k, p in diff.other],
        "items_added": [i for i, _, _ in diff.items_added],
        "items_removed": [i for i, _, _ in diff.items_removed],
    }
    if diff.public:
        data |= {"public": True, "withheld": diff.withheld, "withheld_downgrades": diff.withheld_downgrades,
                 "withheld_problems": diff.withheld_problems}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
