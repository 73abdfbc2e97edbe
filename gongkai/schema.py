"""JSON Schema for every content kind, generated from the pydantic models.

Editors (VS Code + YAML extension / yaml-language-server) use it to complete and check fields
while staff type. The schema is a pure function of the models; a test keeps `schemas/` current.
"""

from __future__ import annotations

import json
from pathlib import Path

from .models import Area, Consultation, Document, Guide, ServiceList, Town, Village

SCHEMAS = {
    "site": (Town, "site.yaml：网站与发布机构"),
    "village": (Village, "villages/*.yaml：村（社区）"),
    "catalog": (Area, "catalog/*.yaml：公开事项目录（一个领域）"),
    "document": (Document, "documents/**/*.md 的 YAML 头部：政府信息文件"),
    "guide": (Guide, "guides/*.yaml：办事指南"),
    "consultation": (Consultation, "consultations/*.md 的 YAML 头部：征求意见"),
    "list": (ServiceList, "lists/*.yaml：权力清单 / 公共服务事项清单"),
}

# Which files each schema applies to, for the VS Code `yaml.schemas` setting.
GLOBS = {
    "site": ["content/site.yaml"],
    "village": ["content/villages/*.yaml"],
    "catalog": ["content/catalog/*.yaml"],
    "guide": ["content/guides/*.yaml"],
    "list": ["content/lists/*.yaml"],
}


def schema_for(name: str) -> dict:  # type: ignore[type-arg]
    model, title = SCHEMAS[name]
    schema = model.model_json_schema(mode="validation")
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


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    settings = {
        "yaml.schemas": {f"./{out.as_posix()}/{name}.schema.json": globs for name, globs in GLOBS.items()}
    }
    (out / "vscode-settings.json").write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(out / "vscode-settings.json")
    return written
