"""`gongkai diff --public`, the report CI posts as a pull-request comment: no withheld document
is named (only counted), and every string from the content is inert Markdown."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitekit import doc, make_site, run_cli, write_tree

from gongkai.review.report import public_md

TODAY = "2026-11-26"
HOSTILE = ("![x](http://evil.example/p.png) [点我](https://evil.example/a) <img src=x onerror=alert(1)> "
           "@admin #12 www.evil.example **粗** `code` | 表 | ~~删~~ 反转")
SECRET_TITLE = "秘密：某某信访人处理意见"
SECRET_NUMBER = "永政办〔2026〕99号"
SECRET_REASON = "涉及信访人隐私"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, tag: str) -> None:
    git(repo, "add", "-A", "content")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1: three public documents. v2: add a hostile-titled public document and a withheld one,
    downgrade one to 不予公开 and one to 依申请公开 (both with a reason), edit a withheld one."""
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "user.name", "test")
    git(root, "config", "commit.gpgsign", "false")
    withheld: dict[str, str | None] = {"attribute": "不予公开", "kind": "纪要", "reason": "内部讨论",
                                       "legal_basis": "内部事务信息", "published": None}
    make_site(root, {
        "documents/2026/hide.md": doc(title="即将改为不予公开的补助名单", villages="[mudao]"),
        "documents/2026/ask.md": doc(title="即将改为依申请公开的通知"),
        "documents/2026/old-secret.md": doc(title="原有的内部纪要", **withheld),
    })
    commit(root, "v1")
    write_tree(root, {
        "documents/2026/evil.md": doc(title="'" + HOSTILE + "'", villages="[jingtou]"),
        "documents/2026/new-secret.md": doc(title=SECRET_TITLE, doc_number=SECRET_NUMBER, **{
            **withheld, "reason": SECRET_REASON}),
        "documents/2026/hide.md": doc(title="即将改为不予公开的补助名单", villages="[mudao]", attribute="不予公开",
                                      reason=SECRET_REASON, legal_basis="个人隐私", published=None),
        "documents/2026/ask.md": doc(title="即将改为依申请公开的通知", attribute="依申请公开",
                                     reason=SECRET_REASON, published=None),
        "documents/2026/old-secret.md": doc(title="原有的内部纪要（修订）", **withheld),
    })
    commit(root, "v2")
    return root


def test_public_report_counts_withheld_documents_and_names_none(repo: Path) -> None:
    proc = run_cli("diff", "v1", "v2", "--public", "--today", TODAY, cwd=repo)
    assert proc.returncode == 0, proc.stderr
    report = proc.stdout
    for secret in (SECRET_TITLE, SECRET_NUMBER, SECRET_REASON, "new-secret", "old-secret", "原有的内部纪要",
                   "即将改为不予公开的补助名单", "2026/hide", "内部讨论"):
        assert secret not in report
    # added secret, edited secret, the document that became withheld: 3 changes, counted only
    assert "另有 3 件不予公开文件变动，详见内部登记。" in report
    assert "- ⚠️ **公开程度降低**：1 件文件改为不予公开（公开报告不显示其标题，详见内部登记）" in report
    # a downgrade that stays public is named, its reason is not
    assert ("- ⚠️ **公开程度降低**：2026\\/ask《即将改为依申请公开的通知》 主动公开 → 依申请公开（理由见内部登记）"
            in report)
    assert report.rstrip().endswith("*由 `gongkai diff --public` 生成：只比较 content/ 中的内容，不显示正文和不予公开文件。*")


def test_hostile_title_is_inert_in_the_public_report(repo: Path) -> None:
    report = run_cli("diff", "v1", "v2", "--public", "--today", TODAY, cwd=repo).stdout
    row = next(line for line in report.splitlines() if line.startswith("| 2026\\/evil |"))
    assert row == (
        "| 2026\\/evil | \\!\\[x\\]\\(http\\[\\:\\]\\/\\/evil\\.example\\/p\\.png\\) \\[点我\\]\\(https\\[\\:\\]\\/\\/"
        "evil\\.example\\/a\\) \\<img src\\=x onerror\\=alert\\(1\\)\\> ＠admin ＃12 www\\[\\.\\]evil\\.example "
        "\\*\\*粗\\*\\* \\`code\\` \\| 表 \\| \\~\\~删\\~\\~ 反转 | 主动公开 | 通知 | 2026\\-03\\-05 | 井头村 |")
    assert "井头村（villages\\/jingtou\\.html）：新增《\\!\\[x\\]" in report
    for live in ("](", "![", "<img", "@admin", "http://", "https://", "www.evil"):
        assert live not in report.replace("\\<", "")


def test_internal_report_is_the_default_and_still_names_everything(repo: Path) -> None:
    default = run_cli("diff", "v1", "v2", "--today", TODAY, cwd=repo).stdout
    internal = run_cli("diff", "v1", "v2", "--internal", "--today", TODAY, cwd=repo).stdout
    assert default == internal
    assert SECRET_TITLE in internal and SECRET_REASON in internal
    proc = run_cli("diff", "v1", "v2", "--internal", "--public", cwd=repo)
    assert proc.returncode == 2 and "not allowed with argument" in proc.stderr


def test_public_json_has_counts_and_no_withheld_entries(repo: Path) -> None:
    proc = run_cli("diff", "v1", "v2", "--public", "--format", "json", "--today", TODAY, cwd=repo)
    data = json.loads(proc.stdout)
    assert (data["public"], data["withheld"], data["withheld_downgrades"]) == (True, 3, 1)
    assert [d["id"] for d in data["added"]] == ["2026/evil"]
    assert SECRET_TITLE not in proc.stdout and SECRET_REASON not in proc.stdout


UNESCAPED_PUNCT = re.compile(r"(?<!\\)[!\"$%&'()*+,\-./:;<=>?\[\]^_`{|}~]")


@given(st.text())
def test_public_md_leaves_no_active_character(text: str) -> None:
    out = public_md(text)
    assert UNESCAPED_PUNCT.search(out.replace("\\\\", "")) is None
    assert "@" not in out and "#" not in out and "\n" not in out and "\u202e" not in out
    assert "://" not in out.replace("\\", "") and not re.search(r"(?<![a-z0-9])www\.", out.replace("\\", "").lower())
