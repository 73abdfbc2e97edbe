"""`gongkai check --format text|github|json` print exactly what editors, GitHub Actions and tools
parse; `gongkai build` in CI prints plain progress lines and the closing summary."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import doc, make_site

TODAY = "2026-11-26"
LATE_HINT = ("时限依据：事项“shjz-dibao”的公开时限“制定或获取信息之日起10个工作日内，公示7个工作日”；"
             "期限从成文次日起算，节假日按国务院公布的安排。成文或发布日期填错的请更正；事项另有时限的请在目录中填写 deadline")
LATE = "超期公开：成文日期 2026-01-05，公开时限 10个工作日，期限至 2026-01-19，实际发布于 2026-03-05，超期 45 天"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # doc() writes: title(2) attribute(3) item(4) created(5) published(6) kind(7) doc_number(8)
    make_site(tmp_path, {
        "documents/2026/bad.md": doc(title="文号写错的通知", doc_number="永政发[2026]12号"),
        "documents/2026/pct.md": doc(title="文号是百分数的通知", doc_number="50%"),
        "documents/2026/late.md": doc(title="迟发的通知", created="2026-01-05", published="2026-03-05"),
    })
    return tmp_path


def cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=cwd, capture_output=True, text=True, check=False,
                          encoding="utf-8", env=environ, timeout=120)


def test_github_annotations_are_exact(site: Path) -> None:
    proc = cli(site, "check", "--today", TODAY, "--format", "github")
    assert proc.returncode == 1  # the step must still fail
    assert proc.stderr.splitlines() == [
        ("::error file=content/documents/2026/bad.md,line=8,col=13,title=gongkai 错误::"
         "文号“永政发[2026]12号”的年份应使用六角括号〔〕（请改为：永政发〔2026〕12号）"),
        f"::warning file=content/documents/2026/late.md,line=6,col=12,title=gongkai 警告::{LATE}（{LATE_HINT}）",
        # % is escaped as %25 so the runner does not decode it
        ("::error file=content/documents/2026/pct.md,line=8,col=13,title=gongkai 错误::"
         "文号“50%25”格式不正确（应形如：永政发〔2024〕12号；若文号是纯数字，说明填错了字段）"),
        "共 2 个错误，1 个警告。",
    ]


def test_text_format_is_path_line_col(site: Path) -> None:
    proc = cli(site, "check", "--today", TODAY)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[0] == ("content/documents/2026/bad.md:8:13: 错误: 文号“永政发[2026]12号”的年份应使用六角括号〔〕"
                        "（请改为：永政发〔2026〕12号）")
    assert lines[1] == f"content/documents/2026/late.md:6:12: 警告: {LATE}（{LATE_HINT}）"
    assert lines[-1] == "共 2 个错误，1 个警告。"


def test_json_format_structure(site: Path) -> None:
    proc = cli(site, "check", "--today", TODAY, "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)  # JSON alone on stdout: pipe-able into jq
    assert set(data) == {"errors", "warnings", "diagnostics"}
    assert (data["errors"], data["warnings"]) == (2, 1)
    assert data["diagnostics"][0] == {
        "path": "content/documents/2026/bad.md", "line": 8, "col": 13, "severity": "error",
        "message": "文号“永政发[2026]12号”的年份应使用六角括号〔〕", "hint": "请改为：永政发〔2026〕12号",
        "code": "schema.doc_number",
    }
    assert [(d["path"], d["severity"], d["code"]) for d in data["diagnostics"]] == [
        ("content/documents/2026/bad.md", "error", "schema.doc_number"),
        ("content/documents/2026/late.md", "warning", "governance.late"),
        ("content/documents/2026/pct.md", "error", "schema.doc_number"),
    ]
    assert all(set(d) == {"path", "line", "col", "severity", "message", "hint", "code"} for d in data["diagnostics"])


def test_clean_content_in_every_format(tmp_path: Path) -> None:
    make_site(tmp_path)
    assert cli(tmp_path, "check", "--today", TODAY, "--format", "github").stderr == "检查通过：没有发现错误。\n"
    data = json.loads(cli(tmp_path, "check", "--today", TODAY, "--format", "json").stdout)
    assert data == {"errors": 0, "warnings": 0, "diagnostics": []}
    strict = cli(tmp_path, "check", "--today", TODAY, "--strict")
    assert strict.returncode == 0


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    make_site(tmp_path, {"documents/2026/late.md": doc(title="迟发的通知", created="2026-01-05", published="2026-03-05")})
    assert cli(tmp_path, "check", "--today", TODAY).returncode == 0
    assert cli(tmp_path, "check", "--today", TODAY, "--strict").returncode == 1


def test_build_in_ci_prints_one_line_per_stage_and_the_summary(tmp_path: Path) -> None:
    make_site(tmp_path, {f"documents/2026/n{i:03d}.md": doc(title=f"第{i}号通知") for i in range(120)})
    proc = cli(tmp_path, "build", "--today", TODAY, "-j", "1", "--base-url", "https://www.example.org/ys/", CI="true")
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "\x1b[" not in proc.stderr  # no bar redraws in a CI log
    out = proc.stdout
    pages = int(re.search(r"^已生成 site/：(\d+) 个页面(?:（含公示栏打印页 \d+ 个）)?，共 \d+ 个文件。$", out, re.MULTILINE).group(1))
    assert proc.stderr.splitlines() == ["读取内容…", "转换正文：121 份文件…", "检查内容…",
                                        f"生成页面：共 {pages} 个页面…", "写入网站…"]
    assert "文件：主动公开 121，依申请公开 0（仅公开目录信息），不予公开 0（不发布）。" in out
    assert re.search(r"^警告 0 个。用时 \d+\.\d\d 秒（读取 [\d.]+ 秒，正文 [\d.]+ 秒，检查 [\d.]+ 秒，", out, re.MULTILINE), out
    assert (tmp_path / "site" / "index.html").is_file()


def test_build_with_github_format_prints_stage_lines_then_annotations(site: Path) -> None:
    proc = cli(site, "build", "--today", TODAY, "-j", "1", "--format", "github", CI="true")
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    # bodies are converted before the checks (the privacy rule reads them); it failed there:
    # no later stage started
    assert lines[:3] == ["读取内容…", "转换正文：4 份文件…", "检查内容…"]
    assert lines[3].startswith("::error file=content/documents/2026/bad.md,line=8,col=13,")
    assert not (site / "site").exists()


def test_build_with_github_format_still_prints_the_summary(tmp_path: Path) -> None:
    """Issue 21: the annotations… and the summary on stderr, in Chinese stage names."""
    make_site(tmp_path)
    proc = cli(tmp_path, "build", "--today", TODAY, "-j", "1", "--format", "github", "--base-url", "https://www.example.org/ys/",
               CI="true")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^已生成 site/：\d+ 个页面(?:（含公示栏打印页 \d+ 个）)?，共 \d+ 个文件。$", proc.stderr, re.MULTILINE), proc.stderr
    assert re.search(r"^警告 0 个。用时 \d+\.\d\d 秒（读取 [\d.]+ 秒，", proc.stderr, re.MULTILINE), proc.stderr
    assert "已生成" not in proc.stdout


def test_open_without_a_browser_prints_the_path(tmp_path: Path) -> None:
    make_site(tmp_path)
    proc = cli(tmp_path, "build", "--today", TODAY, "-j", "1", "--open", CI="true", BROWSER="false", DISPLAY="",
               WAYLAND_DISPLAY="")
    assert proc.returncode == 0, proc.stderr
    assert f"没有找到可用的浏览器，请手动打开：{(tmp_path / 'site' / 'index.html').resolve()}" in proc.stderr


# --- the ready-to-copy CI files ------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "gongkai-check")
    assert hook["entry"] == "gongkai check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["files"] == "^content/"


def test_github_workflow_runs_check_build_diff_and_uploads() -> None:
    import yaml

    flow = yaml.safe_load((REPO / "docs/ci/github-actions.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["check-build"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "gongkai check --format github" in runs and "gongkai build" in runs
    assert 'gongkai diff "origin/${{ github.base_ref }}" HEAD' in runs and "gh pr comment" in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)
    assert steps[0]["with"]["fetch-depth"] == 0
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == "~/.cache/gongkai"  # the user cache dir: a PR's build is a rebuild
    assert steps.index(cache) < next(i for i, s in enumerate(steps) if "gongkai build" in s.get("run", ""))


def test_gitlab_ci_caches_the_build_cache() -> None:
    import yaml

    ci = yaml.safe_load((REPO / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))
    assert ci["variables"]["XDG_CACHE_HOME"] == "$CI_PROJECT_DIR/.cache"
    assert ".cache/gongkai" in ci["cache"]["paths"]


def test_gitlab_code_quality_conversion_runs(site: Path) -> None:
    """The Python embedded in docs/ci/gitlab-ci.yml turns `check --format json` into a report."""
    import yaml

    ci = yaml.safe_load((REPO / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))
    script = next(line for line in ci["gongkai-check"]["script"] if line.startswith("python - <<'EOF'"))
    (site / "gongkai-check.json").write_text(cli(site, "check", "--today", TODAY, "--format", "json").stdout,
                                             encoding="utf-8")
    proc = subprocess.run(["bash", "-c", script], cwd=site, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    issues = json.loads((site / "gl-code-quality.json").read_text(encoding="utf-8"))
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["severity"]) for i in issues] == [
        ("content/documents/2026/bad.md", 8, "major"), ("content/documents/2026/late.md", 6, "minor"),
        ("content/documents/2026/pct.md", 8, "major"),
    ]
    assert len({i["fingerprint"] for i in issues}) == 3
    assert "gongkai diff \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\" HEAD" in "\n".join(ci["gongkai-diff"]["script"])
