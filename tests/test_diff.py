"""`gongkai diff` on a temporary git repository: commits that add, edit, downgrade and delete
documents; the report's content, the exit codes, and an untouched working tree."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sitekit import doc, make_site, run_cli, write_tree

TODAY = "2026-11-26"
SECRET_BODY = "这是一段只在正文里出现的内部内容"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, message: str, tag: str) -> None:
    git(repo, "add", "-A", "content")
    git(repo, "commit", "-q", "-m", message)
    git(repo, "tag", tag)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1: five documents. v2: add one (late), edit one, downgrade one, delete a published one.
    v3: an unmasked ID number (an error) in a published body."""
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "user.name", "test")
    git(root, "config", "commit.gpgsign", "false")
    make_site(root, {
        "documents/2026/keep.md": doc(title="保持不变的通知", villages="[jingtou]"),
        "documents/2026/edit.md": doc(title="将要修改的通知", body=SECRET_BODY + "\n"),
        "documents/2026/down.md": doc(title="危房改造补助对象公示", kind="公示", villages="[mudao]"),
        "documents/2026/gone.md": doc(title="将被删除的已发布通知"),
        "documents/2026/secret.md": doc(title="不予公开的会议纪要", attribute="不予公开", kind="纪要",
                                        reason="内部讨论", legal_basis="内部事务信息", published=None,
                                        body=SECRET_BODY + "（不予公开）\n"),
    })
    commit(root, "v1", "v1")
    write_tree(root, {
        "documents/2026/new.md": doc(title="新增的低保名单公示", kind="公示", villages="[jingtou]",
                                     created="2026-01-05", published="2026-03-05"),
        "documents/2026/edit.md": doc(title="已经修改的通知", body=SECRET_BODY + "（修订）\n"),
        "documents/2026/down.md": doc(title="危房改造补助对象公示", kind="公示", villages="[mudao]",
                                      attribute="依申请公开", reason="涉及个人信息", published=None),
        "documents/2026/gone.md": None,
    })
    commit(root, "v2", "v2")
    write_tree(root, {"documents/2026/keep.md": doc(title="保持不变的通知", villages="[jingtou]",
                                                    body="联系人身份证号 450324199001011234\n")})
    commit(root, "v3", "v3")
    return root


def diff(repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("diff", *args, "--today", TODAY, cwd=repo)


def test_report_of_add_edit_downgrade_delete(repo: Path) -> None:
    status_before = git(repo, "status", "--porcelain")
    head_before = git(repo, "rev-parse", "HEAD")
    keep_before = (repo / "content/documents/2026/keep.md").read_bytes()
    proc = diff(repo, "v1", "v2")
    assert proc.returncode == 0, proc.stderr
    report = proc.stdout
    assert report.startswith("<!-- gongkai-diff -->\n## 政务公开内容变更报告")
    assert "基线：v1（" in report and "变更后：v2（" in report
    # summary: 1 added, 2 changed, 1 removed, 0 moved, 1 attribute change (a downgrade), 0 errors
    assert "| 1 | 2 | 1 | 0 | 1 ⚠️ | 0 |" in report
    attention = report.split("### ⚠️ 需要重点审核", 1)[1].split("\n### ", 1)[0]
    assert ("- ⚠️ **公开程度降低**：`2026/down`《危房改造补助对象公示》 主动公开 → 依申请公开（理由：涉及个人信息）"
            in attention)
    assert "- ⚠️ **删除了已发布的文件**：`2026/gone`《将被删除的已发布通知》（主动公开，2026-03-05 发布）" in attention
    assert "valid_until" in attention
    assert "- ⚠️ 新增超期公开问题 1 个" in attention
    assert "| `2026/new` | 新增的低保名单公示 | 主动公开 | 公示 | 2026-03-05 | 井头村 |" in report
    assert "| `2026/edit` | 已经修改的通知 | title（标题）、正文 |" in report
    assert "| `2026/down` | 危房改造补助对象公示 | 公开属性（主动公开 → 依申请公开）、reason" in report
    assert "### 删除的文件（1）\n\n- `2026/gone`《将被删除的已发布通知》（主动公开）" in report
    assert "**[超期公开]** `content/documents/2026/new.md:" in report
    assert "- 井头村（`villages/jingtou.html`）：新增《新增的低保名单公示》" in report
    assert "- 慕道村（`villages/mudao.html`）：修改《危房改造补助对象公示》" in report
    assert "keep" not in report  # unchanged documents are not listed
    assert SECRET_BODY not in report  # bodies are never printed
    # the working tree, index and HEAD are untouched
    assert git(repo, "status", "--porcelain") == status_before
    assert git(repo, "rev-parse", "HEAD") == head_before
    assert (repo / "content/documents/2026/keep.md").read_bytes() == keep_before


def test_new_errors_in_head_exit_1_and_are_listed(repo: Path) -> None:
    proc = diff(repo, "v2", "v3")
    assert proc.returncode == 1
    assert "变更后的内容有 1 个错误" in proc.stderr
    assert "❌ **变更后的内容有 1 个错误**" in proc.stdout
    assert "**[个人信息]** `content/documents/2026/keep.md:" in proc.stdout
    assert "450324199001011234" not in proc.stdout  # the message masks it; the body is not shown
    assert "| `2026/keep` | 保持不变的通知 | 正文 |" in proc.stdout


def test_fixed_problems_are_counted(repo: Path) -> None:
    proc = diff(repo, "v3", "v2")
    assert proc.returncode == 0
    assert "已解决的问题：1 个。" in proc.stdout


def test_json_format(repo: Path) -> None:
    proc = diff(repo, "v1", "v2", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [d["id"] for d in data["added"]] == ["2026/new"]
    assert {d["id"]: d["fields"] for d in data["changed"]} == {
        "2026/down": ["attribute", "reason", "published"], "2026/edit": ["title", "正文"],
    }
    assert data["removed"] == [{"id": "2026/gone", "path": "content/documents/2026/gone.md", "title": "将被删除的已发布通知",
                                "attribute": "主动公开", "published": "2026-03-05", "villages": [], "was_published": True}]
    assert data["attribute_changes"] == [{"id": "2026/down", "title": "危房改造补助对象公示", "from": "主动公开",
                                          "to": "依申请公开", "less_disclosure": True}]
    assert [w["code"] for w in data["new_warnings"]] == ["governance.late"]
    assert data["new_errors"] == [] and data["head_errors"] == 0
    assert set(data["villages"]) == {"jingtou", "mudao"}


def test_working_tree_when_head_is_omitted(repo: Path) -> None:
    path = repo / "content/documents/2026/new.md"
    original = path.read_bytes()
    try:
        path.write_text(doc(title="新增的低保名单公示", kind="公示", villages="[jingtou]", attribute="不予公开",
                            reason="涉及隐私", legal_basis="个人隐私", published=None,
                            created="2026-01-05"), encoding="utf-8")
        proc = diff(repo, "v3")
        assert proc.returncode == 1  # v3's ID-number error is still there
        assert "变更后：工作区（未提交的修改）" in proc.stdout
        assert "⚠️ **公开程度降低**：`2026/new`《新增的低保名单公示》 主动公开 → 不予公开（理由：涉及隐私）" in proc.stdout
        assert "- 井头村（`villages/jingtou.html`）：不再公开《新增的低保名单公示》" in proc.stdout
    finally:
        path.write_bytes(original)


def test_no_change_and_usage_errors(repo: Path, tmp_path: Path) -> None:
    same = diff(repo, "v2", "v2")
    assert same.returncode == 0 and "没有内容变化。" in same.stdout
    bad = diff(repo, "v9")
    assert bad.returncode == 2 and "找不到版本“v9”" in bad.stderr and "Traceback" not in bad.stderr
    outside = run_cli("diff", "HEAD", cwd=tmp_path)
    assert outside.returncode == 2 and "不在 git 仓库中" in outside.stderr


def test_content_that_did_not_exist_at_base(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    (tmp_path / "README").write_text("x")
    git(tmp_path, "add", "README")
    git(tmp_path, "commit", "-q", "-m", "empty")
    make_site(tmp_path)
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "content")
    proc = diff(tmp_path, "HEAD~1", "HEAD")
    assert proc.returncode == 0, proc.stderr
    assert "### 新增文件（1）" in proc.stdout and "新增村（社区）：`content/villages/jingtou.yaml`" in proc.stdout
    assert "新增公开事项 `shjz-dibao`" in proc.stdout
