"""What the language server knows, as pure functions of the content tree and the editor's text.

`gongkai lsp` publishes exactly `gongkai check`'s diagnostics (same loader, schema and rules,
same Chinese text), run on the content tree with the unsaved text of open files laid over the
files on disk. Completion and hover come from the pydantic models' JSON Schema (the titles and
descriptions editors already see for the YAML files) and from the ids the content defines.
Positions: gongkai counts lines and columns from 1 in characters; LSP counts from 0 in UTF-16
code units. The conversion is here and nowhere else.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..contentfiles import FOLDERS, INSTITUTION_FILE
from ..diagnostics import Diagnostic, Severity
from ..loading import RawContent, load_content
from ..schema import schema_for
from ..validate import validate

# record kind (loading) → schema name (gongkai schema)
SCHEMA_OF_KIND = {"town": "site", "institution": "institution", "application": "application", "annual": "annual", "village": "village", "area": "catalog", "document": "document",
                  "guide": "guide", "consultation": "consultation", "list": "list"}
# front-matter keys whose values are ids defined elsewhere in the content
ID_FIELDS = {"item": "items", "villages": "villages", "interprets": "documents", "restates": "documents",
             "repeals": "documents", "amends": "documents", "policy": "documents"}
FRONT_MATTER_KINDS = {kind for kind, _, front_matter in FOLDERS.values() if front_matter}
_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")
_PARTIAL_KEY = re.compile(r"^([A-Za-z_]*)$")
_LIST_ITEM = re.compile(r"^\s+-\s*")


def abspath(path: str | Path) -> Path:
    """Absolute without resolving symlinks: the form editors' URIs and display paths share."""
    return Path(os.path.abspath(path))


def content_root_of(file: Path) -> Path | None:
    """The content folder a file belongs to: the nearest parent holding site.yaml."""
    for parent in abspath(file).parents:
        if (parent / "site.yaml").is_file() or (parent / "site.yml").is_file():
            return parent
    return None


def kind_of(root: Path, file: Path) -> str | None:
    """The record kind of a file under `root` (town, document, …), or None if it is no content file."""
    rel = abspath(file).relative_to(root).parts
    if rel in (("site.yaml",), ("site.yml",)):
        return "town"
    if rel == (INSTITUTION_FILE,):
        return "institution"
    if len(rel) >= 2 and rel[0] in FOLDERS:
        kind, suffixes, _ = FOLDERS[rel[0]]
        return kind if rel[-1].lower().endswith(suffixes) else None
    return None


@dataclass
class Known:
    """Ids the content defines, for completion: catalog items, villages, documents."""

    items: dict[str, str] = field(default_factory=dict)  # id → 一级/二级
    villages: dict[str, str] = field(default_factory=dict)  # slug → name
    documents: dict[str, str] = field(default_factory=dict)  # id → title


def known_ids(raw: RawContent) -> Known:
    """Read from the raw records, so completion works even while some file has errors."""
    known = Known()
    for record in raw.records:
        data = record.data if isinstance(record.data, dict) else {}
        if record.kind == "area":
            for item in data.get("items") or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    known.items[item["id"]] = "/".join(str(item.get(k) or "") for k in ("level1", "level2")).strip("/")
        elif record.kind == "village":
            known.villages[record.id] = str(data.get("name") or "")
        elif record.kind == "document":
            known.documents[record.id] = str(data.get("title") or "")
    return known


def check(root: Path, overlay: Mapping[Path, bytes], today: date) -> tuple[dict[Path, list[Diagnostic]], Known]:
    """`gongkai check` on the tree with `overlay`, as of `today`; diagnostics by absolute file path."""
    raw = load_content(root, overlay=overlay)
    _, diags = validate(raw, today)
    by_file: dict[Path, list[Diagnostic]] = {}
    for diag in diags.sorted():
        by_file.setdefault(abspath(diag.path), []).append(diag)
    return by_file, known_ids(raw)


def utf16_units(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def char_index(line_text: str, units: int) -> int:
    """The character index of a UTF-16 offset within a line."""
    count = 0
    for index, ch in enumerate(line_text):
        if count >= units:
            return index
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(line_text)


def lsp_range(text: str, line: int, col: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """gongkai's 1-based (line, column) → an LSP range: from the column to the end of the line's text."""
    lines = text.split("\n")
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    line_text = lines[row].rstrip("\r") if lines else ""
    start = min(max(col - 1, 0), len(line_text))
    end = len(line_text.rstrip())
    if end <= start:
        end = min(start + 1, len(line_text)) if start < len(line_text) else start
    return (row, utf16_units(line_text[:start])), (row, utf16_units(line_text[:end]))


def diagnostic_message(diag: Diagnostic) -> str:
    """The text `gongkai check` prints after `path:line:col: 错误: `."""
    return diag.message + (f"（{diag.hint}）" if diag.hint else "")


def is_error(diag: Diagnostic) -> bool:
    return diag.severity is Severity.ERROR


# ---------------------------------------------------------------------------
# Completion and hover


@dataclass(frozen=True)
class Suggestion:
    label: str
    detail: str
    documentation: str
    insert: str
    is_key: bool


def _resolve(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return schema["$defs"][ref.removeprefix("#/$defs/")]
    return prop


def enum_values(schema: dict[str, Any], prop: dict[str, Any]) -> list[str]:
    """The canonical choices of a field (its own enum, a referenced enum, or a list's items')."""
    seen: list[dict[str, Any]] = [prop]
    while seen:
        current = _resolve(schema, seen.pop(0))
        if isinstance(current.get("enum"), list):
            return [str(v) for v in current["enum"]]
        for key in ("anyOf", "oneOf", "allOf"):
            seen.extend(current.get(key) or [])
        if isinstance(current.get("items"), dict):
            seen.append(current["items"])
    return []


def fields_of(kind: str) -> dict[str, dict[str, Any]]:
    return schema_for(SCHEMA_OF_KIND[kind]).get("properties", {})


def field_doc(kind: str, name: str) -> str | None:
    """Hover text for a top-level key: its Chinese title, description and choices."""
    schema = schema_for(SCHEMA_OF_KIND[kind])
    prop = schema.get("properties", {}).get(name)
    if prop is None:
        return None
    text = f"**{prop.get('title', name)}**（`{name}`）"
    if prop.get("description") and prop.get("description") != prop.get("title"):
        text += f"\n\n{prop['description']}"
    choices = enum_values(schema, prop)
    if choices:
        text += "\n\n可选值：" + "、".join(choices)
    return text


def front_matter_rows(lines: list[str], kind: str) -> range | None:
    """Rows (0-based) that hold YAML: all of a .yaml file, the front matter of a .md file."""
    if kind in FRONT_MATTER_KINDS:
        if not lines or lines[0].strip().lstrip("\ufeff") != "---":
            return None
        for row in range(1, len(lines)):
            if lines[row].strip() == "---":
                return range(1, row)
        return range(1, len(lines))
    return range(len(lines))


def owning_key(lines: list[str], row: int) -> str | None:
    """The top-level key a list item or continuation line belongs to."""
    for r in range(row, -1, -1):
        match = _KEY_LINE.match(lines[r])
        if match and not lines[r].startswith((" ", "\t")):
            return match.group(1)
    return None


def value_suggestions(kind: str, key: str, known: Known) -> list[Suggestion]:
    schema = schema_for(SCHEMA_OF_KIND[kind])
    prop = schema.get("properties", {}).get(key)
    if prop is None:
        return []
    title = prop.get("title", key)
    if kind in ("document", "consultation") and key in ID_FIELDS:
        pool: dict[str, str] = getattr(known, ID_FIELDS[key])
        return [Suggestion(ident, label, f"{title}：{label}", ident, False) for ident, label in sorted(pool.items())]
    return [Suggestion(value, title, f"{title}：{value}", value, False) for value in enum_values(schema, prop)]


def completions(kind: str, text: str, row: int, units: int, known: Known) -> list[Suggestion]:
    """What to offer at (row, UTF-16 column) of a file of `kind`."""
    lines = text.split("\n")
    rows = front_matter_rows(lines, kind)
    if rows is None or row not in rows or row >= len(lines):
        return []
    line = lines[row].rstrip("\r")
    before = line[: char_index(line, units)]
    if _PARTIAL_KEY.match(before):  # a new top-level key
        present = {m.group(1) for r in rows if (m := _KEY_LINE.match(lines[r])) and not lines[r].startswith(" ")}
        out = []
        for name, prop in fields_of(kind).items():
            if name in present:
                continue
            out.append(Suggestion(name, str(prop.get("title", name)), field_doc(kind, name) or "", f"{name}: ", True))
        return out
    match = _KEY_LINE.match(before)
    if match:
        return value_suggestions(kind, match.group(1), known)
    if _LIST_ITEM.match(before):
        key = owning_key(lines, row)
        return value_suggestions(kind, key, known) if key else []
    return []


def hover(kind: str, text: str, row: int) -> str | None:
    lines = text.split("\n")
    rows = front_matter_rows(lines, kind)
    if rows is None or row not in rows or row >= len(lines):
        return None
    match = _KEY_LINE.match(lines[row])
    key = match.group(1) if match and not lines[row].startswith(" ") else owning_key(lines, row)
    return field_doc(kind, key) if key else None
