"""`gongkai cms`: the Decap CMS configuration follows the models field by field (labels, selects
of exactly the enum values, required as the model requires), the pickers list the content's own
items and villages, every change goes through the editorial workflow, and bad invocations get a
Chinese message and exit 1."""

from __future__ import annotations

import shutil
import typing
from enum import StrEnum
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from sitekit import run_cli

from gongkai.cms.config import COLLECTIONS, CmsOptions, config, config_text, pickers_from
from gongkai.models import Area, Consultation, Document, Guide, Village

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


@pytest.fixture(scope="module")
def generated() -> dict:  # type: ignore[type-arg]
    return config(CmsOptions(repo="yongsui/town"), pickers_from(CONTENT))


def collection(cfg: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(c for c in cfg["collections"] if c["name"] == name)


def enum_of(annotation: object) -> type[StrEnum] | None:
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return annotation
    for arg in typing.get_args(annotation):
        found = enum_of(arg)
        if found:
            return found
    return None


def model_of(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_of(arg)
        if found:
            return found
    return None


PICKED = {"item", "villages", "entry"}


def assert_follows(model: type[BaseModel], fields: list[dict], where: str) -> None:  # type: ignore[type-arg]
    """Every field of `model`, in order, with its title, requiredness and enum choices."""
    assert [f["name"] for f in fields] == list(model.model_fields), where
    for f, (name, info) in zip(fields, model.model_fields.items(), strict=True):
        assert f["label"] == info.title, f"{where}.{name}"
        optional = info.default is not PydanticUndefined or info.default_factory is not None or (
            type(None) in typing.get_args(info.annotation))
        assert f.get("required", True) is not optional, f"{where}.{name}"
        enum = enum_of(info.annotation)
        if enum is not None and name not in PICKED:
            assert f["widget"] == "select" and f["options"] == [m.value for m in enum], f"{where}.{name}"
        sub = model_of(info.annotation)
        if sub is not None:
            assert f["widget"] in ("list", "object"), f"{where}.{name}"
            assert_follows(sub, f["fields"], f"{where}.{name}")


@pytest.mark.parametrize(("name", "model"), [(r[0], r[2]) for r in COLLECTIONS])
def test_every_collection_follows_its_model(generated, name, model) -> None:  # type: ignore[no-untyped-def]
    fields = collection(generated, name)["fields"]
    body = [f for f in fields if f["name"] == "body"]
    assert_follows(model, [f for f in fields if f["name"] != "body"], name)
    assert (body == [{"label": "正文", "name": "body", "widget": "markdown", "hint": "文件正文，支持 Markdown"}]) is (
        model in (Document, Consultation))


def test_the_five_collections_and_the_editorial_workflow(generated) -> None:  # type: ignore[no-untyped-def]
    assert [(c["name"], c["label"], c["folder"], c["create"]) for c in generated["collections"]] == [
        ("documents", "政府信息文件", "content/documents", True),
        ("consultations", "征求意见", "content/consultations", True),
        ("guides", "办事指南", "content/guides", True),
        ("catalog", "公开事项目录（领域）", "content/catalog", False),
        ("villages", "村（社区）", "content/villages", False),
    ]
    assert generated["publish_mode"] == "editorial_workflow"
    assert generated["locale"] == "zh_Hans"
    assert generated["backend"]["name"] == "github" and generated["backend"]["repo"] == "yongsui/town"
    assert all(c["delete"] is False for c in generated["collections"])
    documents = collection(generated, "documents")
    assert documents["path"] == "{{year}}/{{slug}}" and documents["format"] == "frontmatter"
    assert documents["slug"].startswith("wenjian-")  # ASCII file names, like `gongkai new document`


def test_pickers_list_the_content_ids_by_name(generated) -> None:  # type: ignore[no-untyped-def]
    fields = {f["name"]: f for f in collection(generated, "documents")["fields"]}
    villages = sorted(p.stem for p in (CONTENT / "villages").glob("*.yaml"))
    assert [o["value"] for o in fields["villages"]["options"]] == villages
    assert fields["villages"]["multiple"] is True
    jingtou = next(o for o in fields["villages"]["options"] if o["value"] == "jingtou")
    assert jingtou["label"] == "井头村（jingtou）"
    items = [i["id"] for p in sorted((CONTENT / "catalog").glob("*.yaml"))
             for i in yaml.safe_load(p.read_text(encoding="utf-8"))["items"]]
    assert [o["value"] for o in fields["item"]["options"]] == items
    assert {"label": "最低生活保障 / 审核信息（shjz-dibao-shenhe）", "value": "shjz-dibao-shenhe"} in fields["item"]["options"]
    guide = {f["name"]: f for f in collection(generated, "guides")["fields"]}
    assert guide["entry"]["widget"] == "select" and len(guide["entry"]["options"]) == 10
    village_items = {f["name"]: f for f in collection(generated, "villages")["fields"]}["items"]
    assert village_items["multiple"] is True and [o["value"] for o in village_items["options"]] == items


def test_dates_are_written_as_yyyy_mm_dd(generated) -> None:  # type: ignore[no-untyped-def]
    created = next(f for f in collection(generated, "documents")["fields"] if f["name"] == "created")
    assert (created["widget"], created["format"], created["time_format"]) == ("datetime", "YYYY-MM-DD", False)


def test_config_is_deterministic_and_reparses() -> None:
    options = CmsOptions(repo="yongsui/town", local_port=18081)
    text = config_text(options, pickers_from(CONTENT))
    assert text == config_text(options, pickers_from(CONTENT))
    assert yaml.safe_load(text) == config(options, pickers_from(CONTENT))
    assert "http://localhost:18081/api/v1" in text
    assert str(REPO) not in text


def town(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path


def test_cms_writes_admin_and_ignores_the_copied_decap(tmp_path: Path) -> None:
    done = run_cli("cms", "--repo", "yongsui/town", cwd=town(tmp_path))
    assert done.returncode == 0, done.stderr
    admin = tmp_path / "admin"
    assert "已写入 admin/config.yml" in done.stdout
    assert "下拉选项：39 个公开事项，7 个村（社区），10 个清单事项。" in done.stdout
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<title>永岁镇 · 内容管理</title>" in page
    assert '<script src="decap-cms.js"></script>' in page
    ignored = (admin / ".gitignore").read_text(encoding="utf-8").splitlines()[1:]
    copied = sorted(p.name for p in admin.iterdir() if p.name not in ("index.html", "config.yml", ".gitignore"))
    assert sorted(line.lstrip("/") for line in ignored) == copied
    assert "decap-cms.js" in copied and any(n.endswith(".decap-cms.js") for n in copied)
    assert not any(n.endswith(".map") for n in copied)


def test_cms_without_a_repo_says_how_to_name_it(tmp_path: Path) -> None:
    done = run_cli("cms", cwd=town(tmp_path))
    assert done.returncode == 1
    assert done.stderr == ("错误: 不知道内容仓库（请用 --repo 指定，例如 --repo yongsui/gongkai-content；"
                           "或在有 git remote origin 的仓库中运行）\n")
    assert not (tmp_path / "admin").exists()


def test_cms_reads_the_repo_from_the_origin_remote(tmp_path: Path) -> None:
    import subprocess

    root = town(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:yongsui/zhengwu.git"], cwd=root, check=True)
    assert run_cli("cms", cwd=root).returncode == 0
    assert yaml.safe_load((root / "admin" / "config.yml").read_text(encoding="utf-8"))["backend"]["repo"] == "yongsui/zhengwu"


def test_cms_reports_every_problem_at_once(tmp_path: Path) -> None:
    done = run_cli("cms", "--repo", "not a repo", "--content", "missing", "--local-port", "0", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "missing: 错误: 内容目录不存在（请在站点仓库的根目录运行，或用 --content 指定内容目录）",
        "错误: --repo “not a repo”格式不正确（应为 所有者/仓库，例如 yongsui/gongkai-content）",
        "错误: --local-port 0 不是有效端口（1 到 65535）",
    ]


def test_models_used_are_the_content_models() -> None:
    assert [r[2] for r in COLLECTIONS] == [Document, Consultation, Guide, Area, Village]
