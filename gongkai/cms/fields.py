"""Decap CMS widgets for the fields of a pydantic content model.

A pure function of the model class and the pickers (choices read from the content): every field
becomes one Decap field with the model's Chinese title as its label and its description as the
hint; enums become selects with exactly the enum's values, dates a date picker writing
YYYY-MM-DD, nested models objects, lists of models lists of objects. `Pickers` turns the fields
that hold an id (catalog item, village, list entry) into selects of the ids in the content.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

#: Fields whose value is long prose: a text area instead of a one-line input.
TEXT_FIELDS = {"apply", "conditions", "feedback", "a", "summary", "description", "note",
               "short_reason", "reason", "review_standard", "content"}

DATE_WIDGET = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
               "time_format": False, "picker_utc": True}


@dataclass(frozen=True)
class Choice:
    label: str
    value: str


@dataclass
class Pickers:
    """Choices read from the content, by the kind of id a field holds."""

    items: list[Choice] = field(default_factory=list)  # catalog item ids
    villages: list[Choice] = field(default_factory=list)  # village slugs
    entries: list[Choice] = field(default_factory=list)  # list entry codes

    def for_field(self, name: str, model: type[BaseModel]) -> list[Choice] | None:
        if name == "item" or (name == "items" and model.__name__ == "Village"):
            return self.items
        if name == "villages":
            return self.villages
        if name == "entry":
            return self.entries
        return None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without `| None`, whether None is allowed)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(annotation))
    return annotation, False


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _options(choices: list[Choice]) -> list[dict[str, str]]:
    return [{"label": c.label, "value": c.value} for c in choices]


def _default(info: FieldInfo) -> Any:
    if info.default is PydanticUndefined or info.default is None:
        return None
    value = info.default
    if isinstance(value, StrEnum):
        return value.value
    return value


def widget(name: str, info: FieldInfo, model: type[BaseModel], pickers: Pickers) -> dict[str, Any]:
    """The Decap field for `model.name`."""
    annotation, nullable = _unwrap(_strip_annotated(info.annotation))
    annotation = _strip_annotated(annotation)
    out: dict[str, Any] = {"label": info.title or name, "name": name}
    if info.description and info.description != info.title:
        out["hint"] = info.description
    has_default = info.default is not PydanticUndefined or info.default_factory is not None
    required = not has_default and not nullable
    if not required:
        out["required"] = False
    is_list = typing.get_origin(annotation) is list
    inner = _strip_annotated(typing.get_args(annotation)[0]) if is_list else annotation
    choices = pickers.for_field(name, model)
    if choices is not None:
        out.update({"widget": "select", "options": _options(choices)})
        if is_list:
            out["multiple"] = True
    elif isinstance(inner, type) and issubclass(inner, StrEnum):
        out.update({"widget": "select", "options": [m.value for m in inner]})
        if is_list:
            out["multiple"] = True
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        sub = model_fields(inner, pickers)
        if is_list:
            out.update({"widget": "list", "fields": sub})
            if name in ("qa", "attachments", "materials", "items", "entries"):
                out["summary"] = "{{fields." + sub[0]["name"] + "}}"
        else:
            out.update({"widget": "object", "collapsed": True, "fields": sub})
    elif is_list:
        out["widget"] = "list"  # a list of strings, one per line
    elif inner is date:
        out.update(DATE_WIDGET)
    elif inner is bool:
        out["widget"] = "boolean"
    elif inner is int:
        out.update({"widget": "number", "value_type": "int"})
        lower = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
        upper = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
        if lower is not None:
            out["min"] = lower
        if upper is not None:
            out["max"] = upper
    elif name == "file":
        out["widget"] = "file"
    else:
        out["widget"] = "text" if name in TEXT_FIELDS else "string"
        pattern = next((m.pattern for m in info.metadata if getattr(m, "pattern", None)), None)
        if pattern:
            out["pattern"] = [pattern, f"格式不正确：{info.description or info.title}"]
    default = _default(info)
    if default is not None and not isinstance(default, list):
        out["default"] = default
    return out


def model_fields(model: type[BaseModel], pickers: Pickers) -> list[dict[str, Any]]:
    """Every field of `model`, in the model's order."""
    return [widget(name, info, model, pickers) for name, info in model.model_fields.items()]
