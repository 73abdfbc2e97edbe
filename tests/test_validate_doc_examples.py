"""docs/content-format.md stays true: its examples form a valid site, its tables list every field.

Every fenced block introduced by a line “文件 `content/...`：” is written into a temp content
tree; together they must pass `check_content` and, for the YAML kinds, the JSON Schema that
editors use.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from sitekit import TODAY, doc, make_site, write_tree

from gongkai.models import (
    Area,
    Consultation,
    Contact,
    Document,
    Guide,
    Item,
    ListEntry,
    ServiceList,
    Town,
    Village,
)
from gongkai.models.common import VARIANTS
from gongkai.schema import GLOBS, schema_for
from gongkai.validate import check_content

DOC = Path(__file__).resolve().parent.parent / "docs" / "content-format.md"
TEXT = DOC.read_text(encoding="utf-8")
FILE_BLOCK = re.compile(r"^文件 `(content/[^`]+)`：\n```(\w+)\n(.*?)\n```$", re.MULTILINE | re.DOTALL)
FENCE = re.compile(r"^ *```(\w+)\n(.*?)\n *```$", re.MULTILINE | re.DOTALL)


def examples() -> dict[str, str]:
    found = {path: body + "\n" for path, _lang, body in FILE_BLOCK.findall(TEXT)}
    assert found, "no file examples found in docs/content-format.md"
    return found


def test_every_kind_and_attribute_has_an_example() -> None:
    files = examples()
    paths = set(files)
    assert "content/site.yaml" in paths
    for folder in ("villages", "catalog", "documents", "consultations", "guides"):
        assert any(p.startswith(f"content/{folder}/") for p in paths), folder
    assert "content/lists/power.yaml" in paths
    fronts = [yaml.load(t.split("---\n")[1], Loader=yaml.BaseLoader) for p, t in files.items() if p.startswith("content/documents/")]
    attributes = {f["attribute"] for f in fronts}
    assert {"主动公开", "依申请公开", "不予公开"} <= attributes | {"主动公开" if "此件公开发布" in attributes else ""}
    assert any(f.get("legal_basis") and f.get("reason") for f in fronts)
    assert any(f.get("kind") == "解读" and f.get("qa") for f in fronts)


def test_examples_form_a_valid_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes | None] = {p.removeprefix("content/"): t for p, t in examples().items()}
    for text in list(files.values()):
        for attachment in re.findall(r"file: (attachments/\S+)", str(text)):
            files[attachment] = b"%PDF-1.4 example\n"
    monkeypatch.chdir(tmp_path)
    content = write_tree(tmp_path, files)
    site, diags = check_content(content, TODAY)
    assert not diags.errors, "\n".join(d.text() for d in diags.errors)
    assert site is not None
    assert len(site.documents) == sum(1 for p in files if p.startswith("documents/"))


class Loader12(yaml.SafeLoader):
    """Roughly what editors (YAML 1.2) see: numbers and booleans typed, dates kept as text."""


Loader12.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_yaml_examples_validate_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed: editor schema not checked")
    checked = 0
    for path, text in examples().items():
        kind = next((k for k, globs in GLOBS.items() if any(Path(path).match(g) for g in globs)), None)
        if kind is None:
            continue
        validator = jsonschema.Draft202012Validator(schema_for(kind))
        errors = [f"{path} {list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(yaml.load(text, Loader=Loader12))]
        assert not errors, errors
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("model", [Town, Contact, Village, Area, Item, Document, Consultation, Guide, ServiceList, ListEntry])
def test_field_tables_list_every_field(model: type) -> None:
    missing = [name for name in model.model_fields if f"| `{name}` |" not in TEXT]
    assert not missing, f"{model.__name__}: fields not documented in docs/content-format.md: {missing}"


def test_every_accepted_variant_is_documented() -> None:
    table = TEXT[TEXT.index("## 10."):TEXT.index("## 11.")]
    missing = [v for v in VARIANTS if f"`{v}`" not in table]
    assert not missing, missing


def test_vscode_settings_example_matches_generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.schema import write_schemas

    block = next(body for lang, body in FENCE.findall(TEXT) if lang == "json")
    monkeypatch.chdir(tmp_path)
    write_schemas(Path("schemas"))
    generated = json.loads((tmp_path / "schemas" / "vscode-settings.json").read_text(encoding="utf-8"))
    assert json.loads(block) == generated
    comment = re.search(r"# yaml-language-server: \$schema=(\S+)", TEXT)
    assert comment is not None
    assert (Path("content/villages") / comment.group(1)).as_posix().endswith("schemas/village.schema.json")
    resolved = (tmp_path / "content" / "villages" / comment.group(1)).resolve()
    assert resolved == (tmp_path / "schemas" / "village.schema.json").resolve()


def test_sample_output_in_the_introduction_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = make_site(tmp_path, {"documents/2026/dibao.md": doc(attribute="公开")})
    _, diags = check_content(content, TODAY)
    line = diags.errors[0].text()
    assert line in TEXT
