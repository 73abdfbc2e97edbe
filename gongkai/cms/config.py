"""`admin/config.yml`: the Decap CMS configuration, a pure function of the models and pickers.

Collections: documents (documents/<year>/*.md), consultations, service guides (new files get an
ASCII slug from the date and time, as `gongkai new` does), catalog areas and villages (edit only:
their file names are ids that documents refer to, so new ones are made with `gongkai new`).
The editorial workflow is on: every change is a branch and a pull request, published by merging.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..models import Area, Consultation, Document, Guide, Village
from .fields import Choice, Pickers, model_fields

BACKENDS = ("github", "gitlab", "gitea")

#: (collection name, Chinese label, model, folder under content/, extension, body?, new-file slug)
COLLECTIONS = [
    ("documents", "政府信息文件", Document, "documents", "md", True, "wenjian-{{month}}{{day}}-{{hour}}{{minute}}{{second}}"),
    ("consultations", "征求意见", Consultation, "consultations", "md", True,
     "zhengqiu-{{year}}{{month}}{{day}}-{{hour}}{{minute}}"),
    ("guides", "办事指南", Guide, "guides", "yaml", False, "zhinan-{{year}}{{month}}{{day}}-{{hour}}{{minute}}"),
    ("catalog", "公开事项目录（领域）", Area, "catalog", "yaml", False, None),
    ("villages", "村（社区）", Village, "villages", "yaml", False, None),
]

SINGULAR = {"documents": "文件", "consultations": "征求意见", "guides": "办事指南",
            "catalog": "领域", "villages": "村（社区）"}

IDENTIFIER = {"catalog": "area", "villages": "name"}


@dataclass(frozen=True)
class CmsOptions:
    """Where the content is and which git host the CMS commits to."""

    repo: str  # owner/name on the git host
    branch: str = "main"
    backend: str = "github"
    content: str = "content"  # the content folder, relative to the repository root
    local_port: int = 8081  # decap-server's port for editing a local checkout
    site_url: str | None = None
    town: str | None = None


def _body() -> dict[str, Any]:
    return {"label": "正文", "name": "body", "widget": "markdown", "hint": "文件正文，支持 Markdown"}


def collection(name: str, label: str, model: type, folder: str, extension: str, body: bool,
               slug: str | None, options: CmsOptions, pickers: Pickers) -> dict[str, Any]:
    fields = model_fields(model, pickers)
    if body:
        fields.append(_body())
    out: dict[str, Any] = {
        "name": name,
        "label": label,
        "label_singular": SINGULAR[name],
        "folder": f"{options.content}/{folder}",
        "extension": extension,
        "format": "frontmatter" if extension == "md" else "yaml",
        "create": slug is not None,
        "delete": False,  # withdrawing a record is a decision: done in git, not by a click
        "identifier_field": IDENTIFIER.get(name, "title"),
    }
    if slug is not None:
        out["slug"] = slug
    if name == "documents":
        out["path"] = "{{year}}/{{slug}}"  # documents/<year>/<slug>.md, as `gongkai new document`
        out["summary"] = "{{title}}（{{attribute}}，{{kind}}）"
    out["fields"] = fields
    return out


def config(options: CmsOptions, pickers: Pickers) -> dict[str, Any]:
    """The whole configuration, as a dict (deterministic: no dates, no paths of this machine)."""
    backend: dict[str, Any] = {
        "name": options.backend, "repo": options.repo, "branch": options.branch,
        "commit_messages": {
            "create": "新建{{collection}}：{{slug}}",
            "update": "修改{{collection}}：{{slug}}",
            "delete": "删除{{collection}}：{{slug}}",
            "uploadMedia": "上传附件：{{path}}",
            "deleteMedia": "删除附件：{{path}}",
            "openAuthoring": "{{message}}",
        },
    }
    out: dict[str, Any] = {
        "locale": "zh_Hans",
        "backend": backend,
        "local_backend": {"url": f"http://localhost:{options.local_port}/api/v1"},
        "publish_mode": "editorial_workflow",
        "omit_empty_optional_fields": True,
        "media_folder": f"{options.content}/attachments",
        "public_folder": "attachments",
    }
    if options.site_url:
        out["site_url"] = options.site_url
        out["display_url"] = options.site_url
    out["collections"] = [collection(*row, options=options, pickers=pickers) for row in COLLECTIONS]
    return out


def config_text(options: CmsOptions, pickers: Pickers) -> str:
    header = ("# Decap CMS 配置：由 gongkai cms 根据内容模型和现有内容生成，请勿手工修改。\n"
              "# 新增公开事项、村（社区）或清单事项后，重新运行 gongkai cms 更新下拉选项。\n")
    return header + yaml.safe_dump(config(options, pickers), allow_unicode=True, sort_keys=False,
                                   default_flow_style=False, width=1000)


def _load(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _records(folder: Path, key: str | None) -> list[tuple[Path, Any]]:
    out: list[tuple[Path, Any]] = []
    for file in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        data = _load(file)
        if not isinstance(data, dict):
            continue
        if key is None:
            out.append((file, data))
        else:
            out += [(file, r) for r in data.get(key) or [] if isinstance(r, dict)]
    return out


def pickers_from(content: Path) -> Pickers:
    """The ids a clerk may pick, read from the content as it is (files that do not parse are left
    out: `gongkai check` reports them)."""
    items = {}
    for _, item in _records(content / "catalog", "items"):
        if isinstance(item.get("id"), str) and item["id"] not in items:
            name = " / ".join(str(item[k]) for k in ("level1", "level2") if isinstance(item.get(k), str))
            items[item["id"]] = Choice(f"{name}（{item['id']}）" if name else item["id"], item["id"])
    villages = [Choice(f"{data.get('name', file.stem)}（{file.stem}）" if isinstance(data.get("name"), str) else file.stem,
                       file.stem)
                for file, data in _records(content / "villages", None)]
    entries = {}
    for _, entry in _records(content / "lists", "entries"):
        if isinstance(entry.get("code"), str) and entry["code"] not in entries:
            name = entry.get("name") if isinstance(entry.get("name"), str) else ""
            entries[entry["code"]] = Choice(f"{name}（{entry['code']}）" if name else entry["code"], entry["code"])
    return Pickers(items=list(items.values()), villages=villages, entries=list(entries.values()))
