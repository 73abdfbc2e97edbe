"""Cross-reference rules: what no single file can know about itself.

Each rule is a small function `(site) -> list[Diagnostic]`, reported at the line of the field
that refers to the missing or conflicting thing.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from ..diagnostics import Diagnostic, error
from ..loading import display_path
from ..models import CHANNEL_FIELDS, Attribute, LegalGround
from ..site import Site
from .attachment_types import attachment_type_problem
from .output_paths import attachment_collisions, item_collisions

Rule = Callable[[Site], list[Diagnostic]]


def _closest(name: str, options: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.6)
    return f"是否想写“{match[0]}”？" if match else ""


def duplicate_item_ids(site: Site) -> list[Diagnostic]:
    seen: dict[str, tuple[str, int]] = {}
    out = []
    for area in site.areas.values():
        for i, item in enumerate(area.model.items):
            line, col = area.marks.locate(("items", i, "id"))
            if item.id in seen:
                first_path, first_line = seen[item.id]
                out.append(error(area.path, line, col, f"事项编号“{item.id}”重复：{first_path} 第 {first_line} 行已使用",
                                 "事项编号在整个目录中必须唯一，请改用另一个编号", "xref.duplicate_item"))
            else:
                seen[item.id] = (area.path, line)
    return out


def duplicate_doc_numbers(site: Site) -> list[Diagnostic]:
    """文号 are compared after NFKC, so full-width digits or brackets do not make a number distinct."""
    seen: dict[str, tuple[str, str]] = {}
    out = []
    for doc in site.documents.values():
        number = doc.model.doc_number
        if not number:
            continue
        key = unicodedata.normalize("NFKC", number)
        if key in seen:
            first_path, first_number = seen[key]
            line, col = doc.marks.locate(("doc_number",))
            same = "重复" if first_number == number else f"的“{first_number}”重复，全角与半角字符视为相同"
            out.append(error(doc.path, line, col, f"文号“{number}”与 {first_path} {same}",
                             "同一文号只能对应一份文件；如是同一文件请删除重复的一份", "xref.duplicate_doc_number"))
        else:
            seen[key] = (doc.path, number)
    return out


def duplicate_index_numbers(site: Site) -> list[Diagnostic]:
    """An explicit `index_number` must not collide with another document's (given or generated)."""
    owners: dict[str, str] = {}
    for doc_id, number in site.index_numbers.items():
        owners.setdefault(number, doc_id)
    out = []
    for doc_id, doc in site.documents.items():
        number = doc.model.index_number
        if number and owners.get(number) != doc_id:
            line, col = doc.at("index_number")
            out.append(error(doc.path, line, col, f"索引号“{number}”与 {site.documents[owners[number]].path} 重复",
                             "索引号必须唯一；删除 index_number 让系统自动生成，或改为另一个编号", "xref.duplicate_index_number"))
    return out


def _unknown_item(site: Site, entry, key: str, item_id: str | None) -> list[Diagnostic]:  # type: ignore[no-untyped-def]
    if not item_id or item_id in site.items:
        return []
    line, col = entry.marks.locate((key,))
    hint = _closest(item_id, site.items) or "请填写 catalog/*.yaml 中某个事项的 id"
    return [error(entry.path, line, col, f"所属公开事项“{item_id}”在目录中不存在", hint, "xref.unknown_item")]


LIST_SEPARATORS = re.compile(r"[、，,；;\s\u3000]+")


def _unknown_villages(site: Site, entry, slugs: list[str]) -> list[Diagnostic]:  # type: ignore[no-untyped-def]
    out = []
    for i, slug in enumerate(slugs):
        if slug not in site.villages:
            line, col = entry.marks.locate(("villages", i))
            parts = [p.strip() for p in LIST_SEPARATORS.split(slug) if p.strip()]
            if len(parts) > 1:  # villages: jingtou、mudao — one string, not a list
                fixed = ", ".join(parts)
                out.append(error(entry.path, line, col, f"“{slug}”是一整段文字，不是村的列表（多个村之间用了“、”“，”或空格）",
                                 f"列表要写成 villages: [{fixed}]（方括号、半角逗号），或每个村一行“- 村编号”", "xref.village_list_syntax"))
                continue
            hint = _closest(slug, site.villages) or f"可用的村：{'、'.join(sorted(site.villages)) or '（没有 villages/*.yaml）'}"
            out.append(error(entry.path, line, col, f"村（社区）“{slug}”不存在", hint + "；村的 slug 是 villages/ 下的文件名", "xref.unknown_village"))
    return out


def document_references(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    root: Path | None = None
    for doc_id, doc in site.documents.items():
        meta = doc.model
        out += _unknown_item(site, doc, "item", meta.item)
        out += _unknown_villages(site, doc, meta.villages)
        if meta.attribute is Attribute.ACTIVE and not meta.item:
            line, col = doc.at("attribute")
            out.append(error(doc.path, line, col, "主动公开的文件没有关联公开事项",
                             "请添加一行 item: 事项编号，填写 catalog/*.yaml 中某个事项的 id；每份主动公开的文件都应对应目录中的一个事项", "xref.no_item"))
        if meta.interprets:
            target = site.documents.get(meta.interprets)
            line, col = doc.marks.locate(("interprets",))
            if meta.interprets == doc_id:
                out.append(error(doc.path, line, col, "解读文件的 interprets 填的是它自己",
                                 "interprets 应填写被解读的政策文件的 id（documents/ 下的路径，不含 .md）", "xref.unknown_policy"))
            elif target is None:
                hint = _closest(meta.interprets, site.documents) or "填写被解读文件在 documents/ 下的路径（不含 .md），例如 2024/dibao-standard"
                out.append(error(doc.path, line, col, f"被解读的政策“{meta.interprets}”不存在", hint, "xref.unknown_policy"))
            elif target.model.attribute is Attribute.WITHHELD and meta.attribute is not Attribute.WITHHELD:
                out.append(error(doc.path, line, col, f"公开的解读指向了不予公开的文件“{meta.interprets}”",
                                 "不予公开的文件不能被公开解读；请核对公开属性", "xref.policy_withheld"))
        if meta.restates:
            target = site.documents.get(meta.restates)
            line, col = doc.marks.locate(("restates",))
            if target is None:
                out.append(error(doc.path, line, col, f"对应的镇级文件“{meta.restates}”不存在",
                                 _closest(meta.restates, site.documents) or "填写镇级文件在 documents/ 下的路径（不含 .md）", "xref.unknown_restates"))
        out += _document_links(site, doc_id, doc)
        if meta.legal_basis is not None and meta.attribute is not Attribute.WITHHELD:
            line, col = doc.at("legal_basis")
            out.append(error(doc.path, line, col, f"只有不予公开的文件才需要 legal_basis，本文件是{meta.attribute.value}",
                             "删除 legal_basis，或把 attribute 改为 不予公开", "xref.basis_not_withheld"))
        if meta.attachments:
            root = root or site.root.resolve()  # once per build, not per document
            out += attachment_problems(site, doc, root)
    return out


LINK_WORDS = {"repeals": ("废止", "xref.unknown_repeals"), "amends": ("修订", "xref.unknown_amends")}


def _document_links(site: Site, doc_id: str, doc) -> list[Diagnostic]:  # type: ignore[no-untyped-def]
    """`repeals:` / `amends:` name existing, public, other documents, each once and not both."""
    out: list[Diagnostic] = []
    meta = doc.model
    for key, (verb, code) in LINK_WORDS.items():
        targets: list[str] = getattr(meta, key)
        for i, target in enumerate(targets):
            line, col = doc.marks.locate((key, i))
            found = site.documents.get(target)
            if target == doc_id:
                out.append(error(doc.path, line, col, f"{key} 填的是本文件自己（“{target}”）",
                                 f"{key} 应填写被本文件{verb}的其他文件的 id（documents/ 下的路径，不含 .md）", code))
            elif found is None:
                hint = _closest(target, site.documents) or f"填写被{verb}文件在 documents/ 下的路径（不含 .md），例如 2018/gaoling-butie-banfa"
                out.append(error(doc.path, line, col, f"被{verb}的文件“{target}”不存在",
                                 hint + f"；{verb}的文件不在本站的，请在正文中列出其名称和文号，不要写进 {key}", code))
            elif found.model.attribute is Attribute.WITHHELD and meta.attribute is not Attribute.WITHHELD:
                out.append(error(doc.path, line, col, f"公开的文件在 {key} 中指向了不予公开的文件“{target}”",
                                 "不予公开的文件不能在公开页面上链接；请核对公开属性，或从列表中删除", code))
            elif key == "amends" and target in meta.repeals:
                out.append(error(doc.path, line, col, f"文件“{target}”同时写在 repeals 和 amends 中",
                                 "一份文件要么被废止，要么被修订：请从其中一个列表中删除", code))
            elif target in targets[:i]:
                out.append(error(doc.path, line, col, f"{key} 中“{target}”重复出现", "删除重复的一行", code))
    return out


ATTACHMENT_DIR = "attachments"


def case_mismatch(base: Path, parts: Iterable[str], listings: dict[Path, list[str]]) -> str | None:
    """The path as spelled on disk when `parts` names an entry only in another letter case, on
    any system (macOS and Windows disks ignore case, Linux CI and web hosts do not); else None."""
    folder, spelled, differs = base, [], False
    for part in parts:
        if folder not in listings:
            try:
                listings[folder] = os.listdir(folder)
            except OSError:
                return None
        names = listings[folder]
        if part not in names:
            same = [n for n in names if n.casefold() == part.casefold()]
            if len(same) != 1:
                return None
            part, differs = same[0], True
        spelled.append(part)
        folder = folder / part
    return "/".join(spelled) if differs else None


def attachment_problems(site: Site, doc, root: Path | None = None) -> list[Diagnostic]:  # type: ignore[no-untyped-def]
    """An attachment is a regular file inside content/attachments/, within the size limit.

    Copied files keep their path in site/, so anything outside attachments/ could overwrite
    our own assets (assets/site.js) or publish a content file (the source of a 不予公开 document).
    """
    out: list[Diagnostic] = []
    if not doc.model.attachments:
        return out
    root = root or site.root.resolve()
    limit = site.town.model.max_file_kb * 1024
    listings: dict[Path, list[str]] = {}
    for i, att in enumerate(doc.model.attachments):

        def problem(message: str, hint: str, code: str, i: int = i) -> Diagnostic:
            line, col = doc.marks.locate(("attachments", i))  # only when reported: marks load lazily
            return error(doc.path, line, col, message, hint, code)

        rel = att.file.replace("\\", "/")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in rel):
            shown = "".join(f"\\x{ord(ch):02x}" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in att.file)
            out.append(problem(f"附件路径“{shown}”含有控制字符",
                               "请重新输入文件名，只使用文字、数字、空格和 - _ . 等符号", "xref.attachment_name"))
            continue
        if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":") or ".." in Path(rel).parts:
            out.append(problem(f"附件路径“{att.file}”不能是绝对路径或包含“..”",
                               "写相对于 content/ 的路径，例如 attachments/2024/预算表.xlsx", "xref.attachment_outside"))
            continue
        parts = Path(rel).parts
        if len(parts) < 2 or parts[0] != ATTACHMENT_DIR:
            out.append(problem(f"附件“{att.file}”不在 attachments/ 目录中",
                               "把文件放到 content/attachments/ 下，并写成 attachments/2024/预算表.xlsx 这样的路径", "xref.attachment_outside"))
            continue
        path = site.root / rel
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
            out.append(problem(f"附件“{att.file}”是循环的符号链接",
                               "请把文件本身复制到 content/attachments/ 中", "xref.attachment_outside"))
            continue
        try:
            resolved.relative_to(root)
        except ValueError:
            out.append(problem(f"附件“{att.file}”指向 content/ 之外（符号链接）",
                               "请把文件本身复制到 content/attachments/ 中", "xref.attachment_outside"))
            continue
        try:
            resolved.relative_to(root / ATTACHMENT_DIR)
        except ValueError:
            out.append(problem(f"附件“{att.file}”指向 attachments/ 之外（符号链接）",
                               "请把文件本身复制到 content/attachments/ 中", "xref.attachment_outside"))
            continue
        on_disk = case_mismatch(site.root, parts, listings)
        if on_disk is not None:  # a case-insensitive disk finds it; Linux CI and web hosts would not
            out.append(problem(f"附件“{att.file}”与磁盘上的文件“{on_disk}”只有字母大小写不同",
                               f"请把路径改成 {on_disk} 或把文件改名，大小写必须一致", "xref.attachment_case"))
            continue
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError:  # name too long, permission denied ...
            size = None
        if size is None:
            out.append(problem(f"附件“{att.file}”不存在",
                               f"请把文件放到 {display_path(path)}，或修正路径（区分大小写）", "xref.attachment_missing"))
        elif size > limit:
            out.append(problem(f"附件“{att.file}”过大（{size // 1024} KB，上限 {limit // 1024} KB）",
                               "请压缩文件，或在 site.yaml 中调整 max_file_kb", "xref.attachment_too_large"))
        elif (why := attachment_type_problem(path)) is not None:
            out.append(problem(f"附件“{att.file}”不能发布：{why}",
                               "附件只能是 PDF、OFD、Word、Excel、PowerPoint、WPS、CSV、TXT、JPG、PNG、GIF、ZIP；"
                               "网页、SVG、XML、脚本会在本站运行，请转换为 PDF 后再附上", "xref.attachment_type"))
    return out


def other_references(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for entry in site.consultations.values():
        out += _unknown_item(site, entry, "item", entry.model.item)
        out += _unknown_villages(site, entry, entry.model.villages)
    for entry in site.guides.values():
        out += _unknown_item(site, entry, "item", entry.model.item)
        out += _unknown_villages(site, entry, entry.model.villages)
    for entry in site.villages.values():
        for i, item_id in enumerate(entry.model.items):
            if item_id not in site.items:
                line, col = entry.marks.locate(("items", i))
                out.append(error(entry.path, line, col, f"本村公开事项“{item_id}”在目录中不存在",
                                 _closest(item_id, site.items) or "填写 catalog/*.yaml 中村级事项的 id", "xref.unknown_item"))
    if site.institution is not None:
        out += statutory_references(site, site.institution)
    out += channel_contacts(site)
    out += application_references(site)
    for slug, entry in site.annual.items():
        if slug != str(entry.model.year):
            line, col = entry.marks.locate(("year",))
            out.append(error(entry.path, line, col, f"年度 {entry.model.year} 与文件名 {slug}.yaml 不一致",
                             f"把文件改名为 annual/{entry.model.year}.yaml，或改正 year", "xref.annual_year"))
    return out


def application_references(site: Site) -> list[Diagnostic]:
    """applications/*.yaml: known documents, one file per internal reference."""
    out: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for entry in site.applications.values():
        app = entry.model
        if app.reference in seen:
            line, col = entry.marks.locate(("reference",))
            out.append(error(entry.path, line, col, f"内部编号“{app.reference}”重复（{seen[app.reference]} 已使用）",
                             "每件申请用一个不同的内部编号", "xref.duplicate_reference"))
        seen.setdefault(app.reference, entry.path)
        for i, doc_id in enumerate(app.documents):
            if doc_id not in site.documents:
                line, col = entry.marks.locate(("documents", i))
                out.append(error(entry.path, line, col, f"申请涉及的文件“{doc_id}”不存在",
                                 _closest(doc_id, site.documents) or "请填写 documents/ 下的文件路径（不含 .md）",
                                 "xref.unknown_document"))
    return out


CHANNEL_FIELD_TITLES = {"email": "电子邮箱 email", "form_url": "在线申请地址 form_url", "fax": "传真 fax", "address": "办公地址 address"}


def channel_contacts(site: Site) -> list[Diagnostic]:
    """A channel named in disclosure.channels needs its contact in disclosure.office (条例第二十九条)."""
    guide = site.town.model.disclosure
    if guide is None:
        return []
    out: list[Diagnostic] = []
    for i, channel in enumerate(guide.channels):
        name = CHANNEL_FIELDS[channel]
        if not getattr(guide.office, name):
            line, col = site.town.marks.locate(("disclosure", "channels", i))
            out.append(error(site.town.path, line, col,
                             f"申请渠道“{channel.value}”没有联系方式：disclosure.office 中没有填写{CHANNEL_FIELD_TITLES[name]}",
                             f"在 disclosure.office 中填写 {name}，或从 channels 中删除“{channel.value}”", "xref.channel_contact"))
    return out


def statutory_references(site: Site, entry) -> list[Diagnostic]:  # type: ignore[no-untyped-def]
    """institution.yaml → statutory: known catalog items, each category mapped once."""
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for n, mapping in enumerate(entry.model.statutory):
        category = mapping.category.value
        if category in seen:
            line, col = entry.marks.locate(("statutory", n, "category"))
            first, _ = entry.marks.locate(("statutory", seen[category], "category"))
            out.append(error(entry.path, line, col, f"法定主动公开类别“{category}”重复（第 {first} 行已列出）",
                             "把两处的 items 和 kinds 合并到同一个类别下", "xref.duplicate_statutory"))
        seen.setdefault(category, n)
        for i, item_id in enumerate(mapping.items):
            if item_id not in site.items:
                line, col = entry.marks.locate(("statutory", n, "items", i))
                out.append(error(entry.path, line, col, f"法定主动公开类别“{category}”的目录事项“{item_id}”在目录中不存在",
                                 _closest(item_id, site.items) or "请填写 catalog/*.yaml 中某个事项的 id", "xref.unknown_item"))
        for i, doc_id in enumerate(mapping.documents):
            if doc_id not in site.public_documents:
                line, col = entry.marks.locate(("statutory", n, "documents", i))
                what = "是不予公开的文件，不能列入公开栏目" if doc_id in site.documents else "不存在"
                hint = ("请删除这一行" if doc_id in site.documents
                        else _closest(doc_id, site.public_documents) or "请填写 documents/ 下的文件路径（不含 .md），例如 2026/yusuan-2026")
                out.append(error(entry.path, line, col, f"法定主动公开类别“{category}”的文件“{doc_id}”{what}",
                                 hint, "xref.unknown_document"))
    return out


def guide_list_agreement(site: Site) -> list[Diagnostic]:
    """信息同源: a guide must match its power-list / service-list entry (seed §四(三)1)."""
    out: list[Diagnostic] = []
    for guide in site.guides.values():
        g = guide.model
        found = site.list_entries.get(g.entry)
        if found is None:
            line, col = guide.marks.locate(("entry",))
            codes = [code for code in site.list_entries]
            out.append(error(guide.path, line, col, f"清单事项编码“{g.entry}”在权力清单和公共服务事项清单中都不存在",
                             _closest(g.entry, codes) or "办事指南必须对应 lists/ 中清单的一个事项", "xref.unknown_entry"))
            continue
        list_slug, entry = found
        for key, label in (("department", "办理部门"), ("time_limit", "办理时限")):
            mine, theirs = getattr(g, key), getattr(entry, key)
            if mine != theirs:
                line, col = guide.marks.locate((key,))
                out.append(error(guide.path, line, col, f"{label}“{mine}”与清单（lists/{list_slug}）中的“{theirs}”不一致",
                                 f"办事指南须与清单信息同源，请统一为“{theirs}”或先修改清单", "xref.guide_mismatch"))
    return out


RULES: list[Rule] = [duplicate_item_ids, item_collisions, duplicate_doc_numbers, duplicate_index_numbers, document_references,
                     attachment_collisions, other_references, guide_list_agreement]


def check_references(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in RULES:
        out += rule(site)
    return out


__all__ = ["RULES", "LegalGround", "check_references"]
