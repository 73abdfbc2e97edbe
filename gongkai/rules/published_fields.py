"""Privacy scan of every published field of the content kinds other than documents.

site.yaml, villages, catalog areas (item `note` …), guides, consultations and the service lists
are shown on the site field by field, and guides and consultations have a Markdown body. Every
string value is scanned after `visible_text`; a field whose schema says
`json_schema_extra={"contact_number": True}` (an official contact number) is the only exemption.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..diagnostics import Diagnostic, error
from ..loading import decode_text
from ..render.markup import render_markdown
from ..site import Entry, Site
from .privacy import scan_text_window
from .published_text import locate_digits, visible_text

__all__ = ["field_strings", "unmasked_numbers_in_fields"]

Key = tuple[str | int, ...]


def _exempt(model: BaseModel, name: str) -> bool:
    extra = type(model).model_fields[name].json_schema_extra
    return isinstance(extra, dict) and bool(extra.get("contact_number"))


def field_strings(value: Any, key: Key = (), title: str = "") -> Iterator[tuple[Key, str, str]]:
    """(YAML path, field title, text) of every string under `value`, exempt fields left out."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if not _exempt(value, name):
                yield from field_strings(getattr(value, name), (*key, name), info.title or name)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from field_strings(item, (*key, i), title)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from field_strings(item, (*key, str(k)), title)
    elif isinstance(value, str) and not isinstance(value, Enum):
        yield key, title, value


def _lines(site: Site, entry: Entry[Any]) -> list[str]:
    try:
        text, _ = decode_text((site.root.parent / entry.path).read_bytes(), entry.path)
    except OSError:
        return []
    return (text or "").split("\n")


def _entry_findings(site: Site, entry: Entry[Any]) -> list[Diagnostic]:
    texts: list[tuple[Key | None, str, str]] = [
        (key, title, visible_text(text)) for key, title, text in field_strings(entry.model)
    ]
    if entry.body.strip():
        texts.append((None, "正文", visible_text(render_markdown(entry.body), True)))
    out: list[Diagnostic] = []
    lines: list[str] | None = None
    for key, title, text in texts:
        for finding in scan_text_window(text, site.today)[0]:
            lines = _lines(site, entry) if lines is None else lines
            fallback = (entry.body_line, 1) if key is None else entry.marks.locate(key)
            digits = "".join(c for c in finding.found if c.isdigit() or c in "Xx")
            place = (
                locate_digits(lines, digits, fallback[0] - 1)
                or locate_digits(lines, digits[: len(digits) // 2], fallback[0] - 1, whole=False)
                or fallback
            )
            out.append(
                error(
                    entry.path,
                    place[0],
                    place[1],
                    f"个人信息未遮盖：公开内容的{title}中有完整的{finding.kind}，公开时应写作“{finding.masked}”",
                    "公开的内容不得出现完整的身份证号、手机号、银行卡号；请改为遮盖形式。"
                    "机构的办公电话请写在标明为联系电话的字段（如 contacts 的 phone、村的 contact）",
                    "governance.privacy",
                )
            )
    return out


def unmasked_numbers_in_fields(site: Site) -> list[Diagnostic]:
    """Errors for unmasked ID / mobile / bank card numbers in every non-document content file."""
    entries: list[Entry[Any]] = [site.town, *([site.institution] if site.institution else [])]
    for group in (site.villages, site.areas, site.guides, site.consultations, site.lists):
        entries += group.values()
    out: list[Diagnostic] = []
    for entry in entries:
        out += _entry_findings(site, entry)
    return out
