"""pydantic errors → Chinese diagnostics at the exact line and column of the offending YAML.

None of the SSGs we studied maps schema errors back to YAML positions; this module does, using
the marks kept by the loader and the Chinese `title` of each field.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic, error
from ..loading import RawRecord


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside `X | None`, `list[X]`, `Annotated[X, ...]`, if any."""
    seen = 0
    stack = [annotation]
    while stack and seen < 20:
        seen += 1
        ann = stack.pop()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            stack.append(typing.get_args(ann)[0])
        elif origin in (list, tuple, typing.Union, types.UnionType):
            stack.extend(a for a in typing.get_args(ann) if a is not type(None))
    return None


def field_title(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, str, type[BaseModel]]:
    """(title, description, owning model) of the field at `loc`; ints and tags are skipped."""
    title, desc, owner = "", "", model
    current: type[BaseModel] | None = model
    for part in loc:
        if current is not None and isinstance(part, str) and part not in current.model_fields:
            owner = current  # an unknown key: suggestions come from the model it was written in
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            continue
        info = current.model_fields[part]
        title, desc, owner = info.title or part, info.description or "", current
        current = _unwrap_model(info.annotation)
    return title, desc, owner


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop loc parts that are pydantic tags rather than keys/indices of the data."""
    path: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not isinstance(part, int):
            # missing key: keep it so the caller can name it; the position falls back to the parent
            path.append(part)
            node = None
    return tuple(path)


def _lookup(data: Any, path: tuple[Any, ...]) -> tuple[bool, Any]:
    """(present, value) of `path` in the raw data."""
    node = data
    for part in path:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False, None
    return True, node


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _message(err: dict[str, Any], model: type[BaseModel], path: tuple[Any, ...]) -> tuple[str, str]:
    etype = err["type"]
    loc = tuple(err["loc"])
    title, desc, owner = field_title(model, loc)
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    name = f"“{key}”（{title}）" if title and title != key else f"“{key}”"
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if value is None and (etype.endswith(("_type", "_parsing")) or etype in ("enum", "literal_error")):
        # `key:` with nothing after it reads as null: say it is empty, not that the type is wrong
        if path and isinstance(path[-1], int):
            return f"{name}的第 {path[-1] + 1} 项是空的", "填写这一项，或删除这一行空的“- ”"
        info = owner.model_fields.get(key) if owner else None
        what = f"，{desc}" if desc and desc != title else ""
        if info is not None and not info.is_required():
            return f"{name}没有填写值", f"请在“{key}: ”后面填写{title}{what}；不需要时删除这一行"
        return f"{name}没有填写值", f"请在“{key}: ”后面填写{title or '值'}{what}"
    if etype == "missing":
        return f"缺少必填字段{name}", f"请添加一行 {key}: …；{desc}" if desc and desc != title else f"请添加一行 {key}: …"
    if etype == "extra_forbidden":
        candidates = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(key), candidates, n=1, cutoff=0.6)
        if close:
            other = owner.model_fields[close[0]].title or close[0]
            return f"不认识的字段“{key}”", f"是否想写 {close[0]}（{other}）？"
        shown = "、".join(candidates[:12]) + ("……" if len(candidates) > 12 else "")
        return f"不认识的字段“{key}”", f"可用字段：{shown}"
    if etype == "enum":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        sep = " / " if any("、" in c for c in choices) else "、"
        return f"{name}的值“{_show(value)}”无效", f"可选值：{sep.join(choices)}"
    if etype in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"):
        return f"{name}的值“{_show(value)}”不是有效日期", "日期写成 YYYY-MM-DD，例如 2024-09-27"
    if etype in ("int_parsing", "int_type", "int_from_float"):
        return f"{name}应为整数，读到“{_show(value)}”", "只写阿拉伯数字，例如 3"
    if etype in ("bool_parsing", "bool_type"):
        return f"{name}应为 true 或 false，读到“{_show(value)}”", "写 true（是）或 false（否）"
    if etype == "string_pattern_mismatch":
        return f"{name}的值“{_show(value)}”格式不正确", desc or f"应符合 {ctx.get('pattern')}"
    if etype in ("string_too_short", "too_short"):
        if isinstance(value, list):
            return f"{name}至少需要 {ctx.get('min_length', 1)} 项", f"每项单独一行，以减号加空格“- ”开头；{desc}" if desc else "每项单独一行，以减号加空格“- ”开头"
        if value:
            return f"{name}“{_show(value)}”太短，至少 {ctx.get('min_length', 1)} 个字", f"请填写完整的{title or key}"
        info = owner.model_fields.get(key) if owner else None
        optional = info is not None and not info.is_required()
        return f"{name}不能为空", f"请填写{title}" + (f"，{desc}" if desc and desc != title else "") + ("；不需要时删除这一行" if optional else "")
    if etype in ("greater_than_equal", "greater_than"):
        return f"{name}的值“{_show(value)}”太小", f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if etype in ("less_than_equal", "less_than"):
        return f"{name}的值“{_show(value)}”太大", f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    if etype == "list_type":
        return f"{name}应为列表", f"每项单独一行，以减号加空格“- ”开头，并比“{key}:”多缩进两个空格"
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return f"{name}应为“字段: 值”的形式，读到“{_show(value)}”", "请检查缩进和冒号"
    if etype == "string_unicode":
        return f"{name}含有无效的字符（不成对的代理字符，常见于双引号中的 \\u 转义）", "删除 \\u 转义，直接输入文字或表情"
    if etype == "string_type":
        return f"{name}应为一段文字，读到的是{'列表' if isinstance(value, list) else '多个字段'}", "如果文字中有冒号或以 - 开头，请用引号括起来"
    if etype == "value_error":
        msg = err["msg"].removeprefix("Value error, ")
        return f"{name}：{msg}" if key else msg, ""
    # Our own PydanticCustomError messages are already complete Chinese sentences.
    msg = err["msg"]
    if "（" in msg and msg.endswith("）"):
        msg, _, hint = msg[:-1].rpartition("（")
        return msg, hint
    return msg, ""


def validation_diagnostics(exc: ValidationError, model: type[BaseModel], record: RawRecord) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        if not loc and err["type"] in model.model_fields:
            # model-level rule whose error type names the field it is about
            loc = (err["type"],)
        path = _data_path(record.data, loc)
        message, hint = _message(err, model, path)
        at = (err.get("ctx") or {}).get("at")
        present, value = _lookup(record.data, path)
        if err["type"] == "missing":
            line, col = record.marks.locate(path[:-1])
        elif at and not present:
            # a rule about an absent field: point at the field that made it required
            line, col = record.marks.locate((at,), prefer_key=True)
        else:
            prefer_key = err["type"] == "extra_forbidden" or not loc or value is None
            line, col = record.marks.locate(path, prefer_key=prefer_key)
        diags.append(error(record.path, line, col, message, hint, f"schema.{err['type']}"))
    return diags


def build_model(model: type[BaseModel], record: RawRecord) -> tuple[BaseModel | None, list[Diagnostic]]:
    try:
        return model.model_validate(record.data), []
    except ValidationError as exc:
        return None, validation_diagnostics(exc, model, record)
    except (TypeError, ValueError, RecursionError) as exc:  # defensive: never a traceback
        return None, [error(record.path, 1, 1, f"无法识别的内容：{exc}", "请对照 docs/content-format.md 中的示例检查这个文件", "schema.internal")]
