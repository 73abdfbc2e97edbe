"""JSON Schema for every content kind, generated from the pydantic models.

Editors (VS Code + YAML extension / yaml-language-server) use it to complete and check fields
while staff type. The schema is a pure function of the models; a test keeps `schemas/` current.
"""

from __future__ import annotations

import json
import os
import re
import types
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, BeforeValidator

from .models import (
    AnnualData,
    Application,
    Area,
    Consultation,
    Document,
    Guide,
    Institution,
    ServiceList,
    Town,
    Village,
)
from .models.common import (
    EARLIEST_DATE,
    LATEST_DATE,
    VARIANTS,
    as_list,
    normalise_attribute,
    normalise_five_public,
    normalise_levels,
    normalise_mode,
    normalise_variant,
)
from .models.county import County, Portal
from .models.document import as_attachment, as_legal_ground, check_period
from .models.services import as_material

LEVELS_PATTERN = r"^\s*[县乡镇村]+级?(\s*[、,，/]\s*[县乡镇村]+级?)*\s*$"
_FIVE = "(决策|执行|管理|服务|结果)(公开)?"
_SEP = r"[、,，/\s]"
#: Separators at either end and an empty string are accepted: the model reads them as no value.
FIVE_PUBLIC_PATTERN = rf"^{_SEP}*({_FIVE}({_SEP}+{_FIVE})*)?{_SEP}*$"

SCHEMAS = {
    "site": (Town, "site.yaml：网站与发布机构"),
    "institution": (Institution, "institution.yaml：机构职能、内设机构、领导（法定主动公开内容）"),
    "village": (Village, "villages/*.yaml：村（社区）"),
    "catalog": (Area, "catalog/*.yaml：公开事项目录（一个领域）"),
    "document": (Document, "documents/**/*.md 的 YAML 头部：政府信息文件"),
    "guide": (Guide, "guides/*.yaml：办事指南"),
    "consultation": (Consultation, "consultations/*.md 的 YAML 头部：征求意见"),
    "list": (ServiceList, "lists/*.yaml：权力清单 / 公共服务事项清单"),
    "application": (Application, "applications/*.yaml：政府信息公开申请登记（内部资料）"),
    "county": (County, "county.yaml：县级基层政务公开专区（docs/county.md）"),
    "portal": (Portal, "portal.yaml：所属门户网站（栏目模式，gongkai build --portal）"),
    "annual": (AnnualData, "annual/<年份>.yaml：年度报告中由本机关台账提供的数字"),
}

# Which files each schema applies to, for the VS Code `yaml.schemas` setting.
GLOBS = {
    "site": ["content/site.yaml"],
    "institution": ["content/institution.yaml"],
    "village": ["content/villages/*.yaml"],
    "catalog": ["content/catalog/*.yaml"],
    "guide": ["content/guides/*.yaml"],
    "list": ["content/lists/*.yaml"],
    "application": ["content/applications/*.yaml"],
    "county": ["county.yaml", "examples/county/county.yaml"],
    "portal": ["portal.yaml"],
    "annual": ["content/annual/*.yaml"],
}


_META = ("title", "description", "default", "examples")


def _widen(prop: dict, extra: list[dict]) -> dict:  # type: ignore[type-arg]
    """`prop` also accepting the `extra` schemas (keeps title/description/default outside)."""
    core = {k: v for k, v in prop.items() if k not in _META}
    branches = core["anyOf"] if list(core) == ["anyOf"] else [core]
    out = {k: prop[k] for k in _META if k in prop}
    out["anyOf"] = branches + [e for e in extra if e not in branches]
    return out


def _variants(func: Any, enum: type[StrEnum]) -> list[str]:
    """The other spellings a normaliser maps onto `enum` (特定群众 → 特定群体, 镇级 → 乡级 ...)."""
    values = {m.value for m in enum}
    mapping = {normalise_variant: VARIANTS, normalise_levels: VARIANTS,
               normalise_mode: {"依申请公开": "依申请", "主动公开": "主动"},
               normalise_attribute: VARIANTS}.get(func, {})
    return sorted(k for k, v in mapping.items() if v in values and k not in values)


def _before(metadata: Any) -> list[Any]:
    return [m.func for m in metadata if isinstance(m, BeforeValidator)]


def _enum_in(annotation: Any) -> type[StrEnum] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, StrEnum):
            return arg
    return None


def _relax(prop: dict, annotation: Any, funcs: list[Any]) -> dict:  # type: ignore[type-arg]
    """Accept in the schema what the model's normalisers accept, so editors agree with `check`."""
    enum = _enum_in(annotation)
    extra: list[dict] = []  # type: ignore[type-arg]
    for func in funcs:
        if enum is not None and func is not normalise_levels and _variants(func, enum):
            extra.append({"enum": _variants(func, enum), "description": "可接受的写法，检查时自动规范为标准值"})
        if func is as_legal_ground:
            extra.append({"type": "string", "pattern": "第十[四五六]条", "description": "可带条款号，例如：第十五条 个人隐私"})
        if func in (as_attachment, as_material):
            extra.append({"type": "string", "description": "只写一个值时可省略字段名"})
        if func is normalise_levels:
            extra.append({"type": "string", "pattern": LEVELS_PATTERN, "description": "可写一个层级，或“乡、村级”"})
        if func is normalise_five_public:
            extra.append({"type": "string", "pattern": FIVE_PUBLIC_PATTERN, "description": "可写一项，或“执行、结果”"})
    return _widen(prop, extra) if extra else prop


def _accept_input_forms(schema: dict, root: type[BaseModel]) -> None:  # type: ignore[type-arg]
    """Patch every model's properties in `schema` (root and `$defs`) with the accepted forms."""
    models = [root]
    for model in models:
        props = (schema if model is root else schema.get("$defs", {}).get(model.__name__, {})).get("properties", {})
        for name, info in model.model_fields.items():
            if name not in props:
                continue
            prop, ann = props[name], info.annotation
            if typing.get_origin(ann) in (typing.Union, types.UnionType):
                ann = next(a for a in typing.get_args(ann) if a is not type(None))
            inner = typing.get_args(ann)[0] if typing.get_origin(ann) is list else None
            if inner is not None:
                inner_type = typing.get_args(inner)[0] if typing.get_origin(inner) is typing.Annotated else inner
                inner_funcs = _before(typing.get_args(inner)[1:]) if inner is not inner_type else []
                if isinstance(inner_type, type) and issubclass(inner_type, BaseModel) and inner_type not in models:
                    models.append(inner_type)
                prop["items"] = _relax(prop["items"], inner_type, inner_funcs)
                funcs = _before(info.metadata)
                if normalise_levels in funcs:
                    prop["items"] = _relax(prop["items"], inner_type, [normalise_variant])
                if normalise_five_public in funcs:
                    prop["items"] = _widen(prop["items"], [{"type": "string", "pattern": f"^{_FIVE}$"}])
                    prop = _widen(prop, [{"type": "null"}, {"const": ""}])  # left empty, or '': none of the five
                if as_list in funcs or normalise_levels in funcs:
                    single = {k: v for k, v in prop["items"].items()}
                    # `villages:` left empty is no village (unless at least one is required)
                    empty = [{"type": "null"}] if as_list in funcs and not prop.get("minItems") else []
                    prop = _widen(prop, [single, *empty])
                props[name] = _relax(prop, ann, [f for f in funcs if f in (normalise_levels, normalise_five_public)])
                continue
            if isinstance(ann, type) and issubclass(ann, BaseModel) and ann not in models:
                models.append(ann)
            props[name] = _relax(prop, ann, _before(info.metadata))


#: The words pydantic reads as a boolean (any letter case), as `check` reads a YAML value.
BOOL_WORDS = ("0", "off", "f", "false", "n", "no", "1", "on", "t", "true", "y", "yes")
#: A quoted whole number as pydantic reads it: `"3"`, `" 3 "`, `"+3"`, `"1_000"`, `"3.0"`.
INT_TEXT = r"^\s*[+-]?\d+(_\d+)*(\.0*)?\s*$"


def _digit_lengths(pattern: str) -> list[int]:
    """Lengths k for which `pattern` accepts k-digit numbers (tried on a few of each length)."""
    rx = re.compile(pattern)
    return [k for k in range(1, 21) if all(rx.search(t) for t in ("1" * k, "9" * k, "1" + "0" * (k - 1)))]


def _scalar_forms(node: dict) -> dict:  # type: ignore[type-arg]
    """One leaf of the schema widened to what `check` accepts of a YAML scalar.

    `check` reads every scalar as text (YAML 1.1 and 1.2 agree there) and pydantic converts it;
    an editor types plain scalars the YAML 1.2 way (`07731234567` and `2024` are numbers, `true`
    a boolean, `yes` text). So a text field also takes numbers and booleans (a code: only the
    numbers of its digit lengths), a number field quoted numbers, a yes/no field the words."""
    kind = node.get("type")
    if "enum" in node or "const" in node or "$ref" in node or kind not in ("string", "integer", "boolean"):
        return node
    meta = {k: node[k] for k in _META if k in node}
    core = {k: v for k, v in node.items() if k not in _META}
    if kind == "string" and core.get("format") == "date":
        core["pattern"] = DATE_PATTERN
        return node | core
    if kind == "string":
        text = {**core, "minLength": max(int(core.get("minLength", 1)), 1)}
        if "pattern" in core:
            branches = [text] + [{"type": "integer", "minimum": 10 ** (k - 1) if k > 1 else 0, "maximum": 10 ** k - 1}
                                 for k in _digit_lengths(core["pattern"]) if k > 1 or re.search(core["pattern"], "0")]
        else:
            text["pattern"] = r"\S"  # blank is as good as missing (`check` strips)
            shortest = text["minLength"]
            # a number is as long as its spelling: only a one-digit number is shorter than 2
            number = {"type": "number"} if shortest <= 1 else {
                "type": "number", "not": {"type": "integer", "minimum": -(10 ** (shortest - 2)) + 1, "maximum": 10 ** (shortest - 1) - 1}}
            branches = [text, number, {"type": "boolean"}]
    elif kind == "integer":
        branches = [core, {"type": "string", "pattern": INT_TEXT}]
    else:
        words = sorted({w for b in BOOL_WORDS for w in (b, b.upper(), b.capitalize())})
        branches = [core, {"enum": words}, {"enum": [0, 1]}]
    return {**meta, "anyOf": branches}


def _scalars_everywhere(node: Any) -> Any:
    """`_scalar_forms` on every leaf of a schema (properties, items, anyOf branches, `$defs`)."""
    if isinstance(node, list):
        return [_scalars_everywhere(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: (_scalars_everywhere(v) if k in ("properties", "$defs") and isinstance(v, dict) else v)
           for k, v in node.items()}
    for k in ("properties", "$defs"):
        if k in out:
            out[k] = {name: _scalars_everywhere(sub) for name, sub in node[k].items()}
    for k in ("items", "additionalProperties"):
        if isinstance(out.get(k), dict):
            out[k] = _scalars_everywhere(out[k])
    if "anyOf" in out:
        out["anyOf"] = _flatten([_scalars_everywhere(b) for b in out["anyOf"]])
    return _scalar_forms(out)


def _flatten(branches: list[Any]) -> list[Any]:
    """Inline a branch that is itself only an `anyOf` (no title of its own), dropping repeats."""
    flat: list[Any] = []
    for b in branches:
        inner = b["anyOf"] if isinstance(b, dict) and set(b) - set(_META) == {"anyOf"} else [b]
        flat += [i for i in inner if i not in flat]
    return flat


DATE_PATTERN = r"^\s*(19[4-9]\d|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\s*$"


#: The years `check_period` accepts (1949–2099), as a pattern for the first four digits.
PERIOD_YEAR = r"(19(49|[5-9]\d)|20\d\d)"


def _period_years(schema: dict, model: type[BaseModel]) -> None:  # type: ignore[type-arg]
    """A `period` checked by `check_period` takes only years it accepts: the text branch's year
    digits and the number branch's range (`period: 2024` unquoted) narrowed to them."""
    assert (EARLIEST_DATE.year, LATEST_DATE.year) == (1949, 2099), "PERIOD_YEAR spells these years"
    for name, info in model.model_fields.items():
        if not any(getattr(m, "func", None) is check_period for m in info.metadata):
            continue
        for branch in schema.get("properties", {}).get(name, {}).get("anyOf", []):
            if branch.get("type") == "string" and str(branch.get("pattern", "")).startswith(r"^\d{4}"):
                branch["pattern"] = "^" + PERIOD_YEAR + branch["pattern"][len(r"^\d{4}"):]
            elif branch.get("type") == "integer":
                branch["minimum"], branch["maximum"] = EARLIEST_DATE.year, LATEST_DATE.year


def schema_for(name: str) -> dict:  # type: ignore[type-arg]
    model, title = SCHEMAS[name]
    schema = model.model_json_schema(mode="validation")
    _accept_input_forms(schema, model)
    schema = _scalars_everywhere(schema)
    _period_years(schema, model)
    schema["title"] = title
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"gongkai/{name}.schema.json"
    return schema


def schema_files() -> dict[str, str]:
    """File name → JSON text, deterministic."""
    return {
        f"{name}.schema.json": json.dumps(schema_for(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for name in SCHEMAS
    }


def _workspace_path(out: Path) -> str:
    """`out` as VS Code wants it in `yaml.schemas`: relative to the workspace (the cwd)."""
    try:
        rel = Path(os.path.relpath(out)).as_posix()
    except ValueError:  # another drive on Windows
        return out.resolve().as_uri()
    return rel if rel.startswith("../") else f"./{rel}"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    settings = {"yaml.schemas": {f"{_workspace_path(out)}/{name}.schema.json": globs for name, globs in GLOBS.items()}}
    (out / "vscode-settings.json").write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(out / "vscode-settings.json")
    return written
