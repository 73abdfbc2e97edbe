"""The JSON Schemas accept what `gongkai check` accepts: a differential property test.

For every content kind, a valid file has one field replaced by a generated YAML value (numbers with
and without leading zeros, phone numbers, `yes`/`on`/`1`, quoted numbers, dates good and bad, enum
values and their variants, text, nulls). `check`'s verdict is the field's schema-level errors
(pydantic's own error types; rules written in gongkai — a 文号 format, the date range, rules
between fields — are `check`'s alone); the editor's verdict is the schema, on the value as a YAML
1.2 editor types it (yaml-language-server: `yes` is text, `07731234567` a number, dates text).

What JSON Schema cannot know is listed in `unknowable` with its reason; everything else must agree.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from enum import StrEnum
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from sitekit import AREA_YAML, SITE_YAML, VILLAGE_YAML, doc

from gongkai.loading.yamltree import parse_yaml
from gongkai.models import Area, Consultation, Document, Guide, Item, Town, Village
from gongkai.models.common import VARIANTS
from gongkai.schema import schema_for


class Core12(yaml.SafeLoader):
    """YAML 1.2 core schema, as yaml-language-server reads plain scalars."""


Core12.yaml_implicit_resolvers = {}
for tag, rx, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]:
    Core12.add_implicit_resolver(tag, re.compile(rx), first)


def _int12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)  # YAML 1.2: a leading zero is not octal


Core12.add_constructor("tag:yaml.org,2002:int", _int12)

DOC_TEXT = doc().split("---\n")[1]
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "site": (Town, SITE_YAML),
    "village": (Village, VILLAGE_YAML.format(name="井头村") + "contact: 0773-4812345\norder: 2\n"),
    "document": (Document, DOC_TEXT),
    "guide": (Guide, ("title: 最低生活保障申请\nentry: QZ-1\ndepartment: 民政办\ntime_limit: 5个工作日\n"
                      "conditions: 本镇户籍\nmaterials: 户口簿\nupdated: 2026-01-05\n")),
    "consultation": (Consultation, ("title: 敬老院改扩建\nscope: 全镇村民\nmethods: 征集意见\nchannels: 电话\n"
                                    "opens: 2026-01-05\ncloses: 2026-02-05\npublished: 2026-01-05\n")),
}
#: The catalog: the fields of its first item (nested: `items.0.<field>`), the rest as it is.
ITEM_BASE = AREA_YAML
NESTED = {"catalog": (Area, Item, ("items", 0), "    ")}

#: Errors that are gongkai's own rules, not a field's type or constraint.
OWN_RULES = {"rule", "date_range", "doc_number", "day_count", "value_error", "assertion_error"}
WORDS = ["yes", "no", "Yes", "NO", "on", "Off", "y", "n", "t", "f", "true", "False", "TRUE", "1", "0", "2"]
TEXT = st.text(alphabet="甲乙永岁镇村abcXYZ-_ 0123456789", min_size=1, max_size=6).map(str.strip).filter(
    lambda t: t and not t.startswith("-"))


def leaf(annotation: Any) -> Any:
    """The scalar type a field holds (through Optional, Annotated and list)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, type(int | None)):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin is list:
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation


def scalar_fields(model: type[BaseModel]) -> list[str]:
    return [n for n, i in model.model_fields.items()
            if leaf(i.annotation) in (str, int, bool, date) or (isinstance(leaf(i.annotation), type)
                                                              and issubclass(leaf(i.annotation), StrEnum))]


def values_for(model: type[BaseModel], name: str) -> st.SearchStrategy[str]:
    kind = leaf(model.model_fields[name].annotation)
    plain = [
        st.integers(-20, 10**12).map(str),
        st.integers(0, 10**11).map(lambda n: f"0{n}"),  # a code or a phone number with a leading zero
        st.builds(lambda a, b: f"0773-{a}{b}", st.integers(100, 999), st.integers(1000, 9999)),
        st.sampled_from(["3.0", "1.5", "1e3", "0x10", "0o7", "1_000", "-0", "+3"]),
        st.sampled_from(WORDS),
        st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(1900, 2200), st.integers(0, 13), st.integers(0, 32)),
        st.sampled_from(["", "~", "null"]),
        TEXT,
    ]
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        plain.append(st.sampled_from([m.value for m in kind] + sorted(VARIANTS)))
    value = st.one_of(plain)
    return st.one_of(value, value.filter(lambda v: v and '"' not in v).map(lambda v: f'"{v}"'))


def with_field(base: str, name: str, value: str, indent: str = "") -> str:
    """`base` with `name: value` (at `indent`: the first item's field, put right after its `- id:`)."""
    if not indent:
        lines = [ln for ln in base.splitlines() if not ln.startswith(f"{name}:")]
        return "\n".join([*lines, f"{name}: {value}"]) + "\n"
    lines = base.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.startswith("  - "))
    end = next((i for i in range(first + 1, len(lines)) if lines[i].startswith("  - ")), len(lines))
    if name == "id":
        item = [f"  - id: {value}", *lines[first + 1:end]]
    else:
        item = [lines[first], f"{indent}{name}: {value}", *(ln for ln in lines[first + 1:end] if not ln.startswith(f"{indent}{name}:"))]
    return "\n".join([*lines[:first], *item, *lines[end:]]) + "\n"


def check_verdict(model: type[BaseModel], text: str, name: str, at: tuple[Any, ...] = ()) -> bool | None:
    """True/False: `check` accepts/rejects the field (under `at`); None: not a schema-level question."""
    parsed, problems = parse_yaml(text, "x.yaml")
    if parsed is None or any(p.severity.value == "错误" for p in problems):
        return None
    try:
        model.model_validate(parsed.data)
    except ValidationError as exc:
        mine = [e for e in exc.errors() if tuple(e["loc"][:len(at) + 1]) == (*at, name)]
        if any(e["type"] in OWN_RULES for e in mine):
            return None
        if any(e["type"] not in OWN_RULES for e in exc.errors() if e not in mine):
            return None  # another field broke (the base is valid: cannot happen)
        return not mine
    return True


def unknowable(model: type[BaseModel], name: str, value: str) -> str | None:
    """Why JSON Schema cannot decide this value as `check` does, or None."""
    info = model.model_fields[name]
    kind = leaf(info.annotation)
    quoted = value.startswith('"')
    raw = value.strip('"')
    typed = yaml.load(f"x: {value}", Loader=Core12)["x"]
    has_pattern = any(getattr(m, "pattern", None) for m in info.metadata)
    bounded = any(getattr(m, a, None) is not None for m in info.metadata for a in ("ge", "le", "gt", "lt"))
    if not quoted and isinstance(typed, int | float) and not isinstance(typed, bool):
        if kind is int and re.fullmatch(r"[-+]?(0x|0o).*|.*[eE].*", raw):
            return "YAML 1.2 reads 0x10/0o7/1e3 as numbers; pydantic reads their text"
        lost = str(typed) != raw or (isinstance(typed, float) and typed.is_integer())  # JSON Schema: 3.0 is 3
        if kind is str and has_pattern and lost:
            return "a number's spelling (leading zero, +, .0) is lost to the editor; quote such codes"
        if kind is str and lost and any(getattr(m, "min_length", None) for m in info.metadata):
            return "a number's spelling is lost: its length is not the text's"
        if kind is bool and lost:
            return "a number's spelling (-0, 00) is lost to the editor: it sees 0, check reads the text"
    if not quoted and isinstance(typed, bool) and kind is str and has_pattern:
        return "a YAML 1.2 boolean's spelling (true, True, TRUE) is lost to the editor; quote such codes"
    if kind is int and bounded and isinstance(typed, str):
        return "a quoted number's range: JSON Schema bounds apply to numbers only"
    if kind is date and isinstance(typed, str):
        try:
            date.fromisoformat(raw.strip())
        except ValueError:
            if re.fullmatch(r"\s*(19[4-9]\d|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\s*", raw):
                return "a day the calendar lacks (02-30): a pattern cannot count days"
    return None


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_bases_are_valid_for_both(kind: str) -> None:
    model, base = KINDS[kind]
    model.model_validate(parse_yaml(base, "x.yaml")[0].data)  # type: ignore[union-attr]
    assert list(jsonschema.Draft202012Validator(schema_for(kind)).iter_errors(yaml.load(base, Loader=Core12))) == []


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_schema_accepts_exactly_what_check_accepts(kind: str, data: st.DataObject) -> None:
    model, base = KINDS[kind]
    name = data.draw(st.sampled_from(scalar_fields(model)), label="field")
    value = data.draw(values_for(model, name), label="value")
    text = with_field(base, name, value)
    verdict = check_verdict(model, text, name)
    assume(verdict is not None and unknowable(model, name, value) is None)
    loaded = yaml.load(text, Loader=Core12)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema_for(kind)).iter_errors(loaded)]
    assert (not errors) is verdict, (f"{kind}.{name}: {value!r}", "check " + ("accepts" if verdict else "rejects"),
                                     errors[:3])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_catalog_item_fields_too(data: st.DataObject) -> None:
    model, item, at, indent = NESTED["catalog"]
    name = data.draw(st.sampled_from(scalar_fields(item)), label="field")
    value = data.draw(values_for(item, name), label="value")
    text = with_field(ITEM_BASE, name, value, indent)
    verdict = check_verdict(model, text, name, at)
    assume(verdict is not None and unknowable(item, name, value) is None)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema_for("catalog")).iter_errors(yaml.load(text, Loader=Core12))]
    assert (not errors) is verdict, (f"catalog item.{name}: {value!r}", "check " + ("accepts" if verdict else "rejects"),
                                     errors[:3])


@pytest.mark.parametrize("value", ["", "''", "' '", "执行、", "、结果", "执行、结果 ", "执行、、结果", "决策公开"], ids=repr)
def test_five_public_forms_agree(value: str) -> None:
    """Found by the property test above: `five_public: ''` is no value to check, an error to the schema."""
    model, _item, at, indent = NESTED["catalog"]
    text = with_field(ITEM_BASE, "five_public", value, indent)
    verdict = check_verdict(model, text, "five_public", at)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema_for("catalog")).iter_errors(yaml.load(text, Loader=Core12))]
    assert verdict is True and not errors, (value, verdict, errors[:3])


@pytest.mark.parametrize(("kind", "name", "value"), [("village", "sample", "-0"), ("village", "sample", "00"),
                                                    ("catalog", "id", "true"), ("catalog", "id", "False")], ids=repr)
def test_what_the_editor_cannot_know_is_named(kind: str, name: str, value: str) -> None:
    """Found by the property tests above: `sample: -0` is 0 to a YAML 1.2 editor (check reads the
    text "-0", no boolean), `id: true` a boolean (check reads the text "true", a valid id, and
    refuses "False"): the spelling is lost, so the test may not ask the schema to decide them."""
    model = NESTED["catalog"][1] if kind == "catalog" else KINDS[kind][0]
    assert unknowable(model, name, value) is not None


@pytest.mark.parametrize("value", ['"0100"', '"1948"', '"1949"', '"2099-Q3"', '"2100-07"', "2024", "1000", "9999",
                                   '"2024-H2"'], ids=repr)
def test_period_years_agree(value: str) -> None:
    """Found by the property test above: `period: "0100"` matched the schema's pattern, while
    `check` refuses a year before 1949 or after 2099."""
    model, base = KINDS["document"]
    text = with_field(base, "period", value)
    verdict = check_verdict(model, text, "period")
    errors = [e.message for e in jsonschema.Draft202012Validator(schema_for("document")).iter_errors(yaml.load(text, Loader=Core12))]
    assert verdict is not None and (not errors) is verdict, (value, verdict, errors[:3])
    assert verdict is (value.strip('"')[:4] not in ("0100", "1948", "2100", "1000", "9999"))
