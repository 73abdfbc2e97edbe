"""`gongkai schema`: JSON Schema for editors, current in the repo, agreeing with `gongkai check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from sitekit import run_cli

from gongkai.schema import GLOBS, SCHEMAS, schema_files, schema_for

REPO = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


class Loader12(yaml.SafeLoader):
    """Roughly what editors (YAML 1.2) see: numbers and booleans typed, dates kept as text."""


Loader12.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_cli_writes_one_schema_per_kind_with_chinese_titles(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted([f"{name}.schema.json" for name in SCHEMAS] + ["vscode-settings.json"])
    for name in SCHEMAS:
        schema = json.loads((tmp_path / "out" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert CJK.search(schema["title"]), name
        assert schema["additionalProperties"] is False
        for key, prop in schema["properties"].items():
            assert CJK.search(prop.get("title", "")), f"{name}.{key} has no Chinese title"
    settings = json.loads((tmp_path / "out" / "vscode-settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./out/village.schema.json"] == ["content/villages/*.yaml"]
    assert "已写入 out/site.schema.json" in result.stdout


def test_nested_models_carry_chinese_titles_too() -> None:
    defs = schema_for("catalog")["$defs"]
    assert defs["Item"]["properties"]["channels"]["title"] == "公开渠道和载体"
    assert set(defs["Channel"]["enum"]) >= {"政府网站", "社区/企事业单位/村公示栏（电子屏）"}


def test_repo_schemas_are_current() -> None:
    """Regenerate with `python -m gongkai schema` after changing a model."""
    folder = REPO / "schemas"
    for name, text in schema_files().items():
        path = folder / name
        assert path.is_file(), f"schemas/{name} missing: run python -m gongkai schema"
        assert path.read_text(encoding="utf-8") == text, f"schemas/{name} is stale: run python -m gongkai schema"
    settings = json.loads((folder / "vscode-settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": {f"./schemas/{name}.schema.json": globs for name, globs in GLOBS.items()}}


def test_schema_is_deterministic() -> None:
    assert schema_files() == schema_files()


def test_example_content_validates_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed: editor schema not checked")
    content = REPO / "content"
    checked = 0
    for kind, globs in GLOBS.items():
        validator = jsonschema.Draft202012Validator(schema_for(kind))
        for pattern in globs:
            for file in sorted(REPO.glob(pattern)):
                data = yaml.load(file.read_text(encoding="utf-8-sig"), Loader=Loader12)
                problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
                assert not problems, (file.relative_to(content).as_posix(), problems)
                checked += 1
    assert checked >= 3


@pytest.mark.parametrize(("kind", "text"), [
    ("catalog", ("area: 甲\nitems:\n  - {id: a, level1: 乙, content: 丙, time_limit: 20个工作日内, subject: 镇政府,"
                " channels: 村公示栏, level: 乡、村级, audience: 特定群众, mode: 依申请公开}\n")),
    ("catalog", ("area: 甲\nitems:\n  - {id: a, level1: 乙, content: 丙, time_limit: 20个工作日内, subject: 镇政府,"
                " channels: [政府网站, 入户], level: 镇级}\n")),
    ("guide", "title: 甲\nentry: QZ-1\ndepartment: 乙\ntime_limit: 5个工作日\nconditions: 丙\nmaterials: 户口簿\nupdated: 2026-01-05\n"),
    ("document", ("title: 甲乙\nattribute: 此件不公开\nreason: 丙\nlegal_basis: 第十六条 过程性信息\ncreated: 2026-01-05\n"
                 "kind: 纪要\nattachments: attachments/a.pdf\n")),
])
def test_schema_accepts_what_check_accepts(kind: str, text: str) -> None:
    """Variants that `check` normalises must not be red in the editor."""
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed")
    errors = [e.message for e in jsonschema.Draft202012Validator(schema_for(kind)).iter_errors(yaml.load(text, Loader=Loader12))]
    assert errors == []


@pytest.mark.parametrize(("kind", "text"), [
    ("village", "name: 甲\ncommittee: 乙\ntitel: 丙\n"),
    ("village", "name: 甲\n"),
    ("catalog", "area: 甲\nitems:\n  - {id: a, level1: 乙, content: 丙, time_limit: x, subject: y, channels: 微博, level: 乡级}\n"),
    ("document", "title: 甲乙\nattribute: 公开\ncreated: 2026-01-05\nkind: 通知\n"),
])
def test_schema_still_rejects_mistakes(kind: str, text: str) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed")
    assert list(jsonschema.Draft202012Validator(schema_for(kind)).iter_errors(yaml.load(text, Loader=Loader12)))
