"""`gongkai init`: a new town repository that checks, builds, bundles, diffs and reports as is."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from tests.sitekit import run_cli

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init")
    done = run_cli("init", "town", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "gongkai build" in done.stdout
    return root / "town"


def site_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(site.rglob("*")) if p.is_file())


def test_town_repository_checks_and_builds(town: Path) -> None:
    checked = run_cli("check", cwd=town)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_cli("build", cwd=town)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "主动公开 1，依申请公开 1（仅公开目录信息），不予公开 1（不发布）" in built.stdout
    html = site_text(town / "site")
    assert "关于做好最低生活保障审核工作的通知" in html
    assert "这是一份主动公开的示例文件" in html
    assert "最低生活保障申请家庭入户调查记录" not in html  # 不予公开: nothing reaches site/
    assert "任何内容都不会出现在网站上" not in html
    assert "正文不公开" not in html  # 依申请公开: the body stays out
    assert (town / "site" / "assets" / "search.js").stat().st_size > 10_000
    assert not (town / "site" / "assets" / "lunr.js").exists()  # no page loads it
    assert (town / "site" / "assets" / "site.css").is_file()


def test_a_checkout_without_npm_packages_builds(town: Path, tmp_path: Path) -> None:
    """gongkai's code and templates alone build the town: no node_modules/ in reach, no wheel data
    (the build used to stop with 找不到 lunr.js, which no page loads any more)."""
    code = tmp_path / "code"
    shutil.copytree(REPO / "gongkai", code / "gongkai", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copytree(REPO / "templates", code / "templates")
    project = tmp_path / "town"
    shutil.copytree(town, project, ignore=shutil.ignore_patterns("site", "reports", "*.zip"))
    for parent in (code, project, *tmp_path.parents):
        assert not (parent / "node_modules").exists()
    env = {**os.environ, "PYTHONPATH": str(code)}
    where = subprocess.run([sys.executable, "-c", "import gongkai; print(gongkai.__file__)"], cwd=project, env=env,
                           capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(code)
    built = subprocess.run([sys.executable, "-m", "gongkai", "build", "--cache", str(tmp_path / "cache")], cwd=project, env=env,
                           capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "lunr" not in built.stdout + built.stderr
    assert (project / "site" / "assets" / "search.js").is_file()
    assert "关于做好最低生活保障审核工作的通知" in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_bundle_report_and_diff_work_there(town: Path) -> None:
    assert run_cli("bundle", "-q", cwd=town).returncode == 0
    assert (town / "gongkai-site.zip").stat().st_size > 0
    reported = run_cli("report", "register", cwd=town)
    assert reported.returncode == 0, reported.stderr
    assert (town / "reports" / "register.html").is_file()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=town, check=True)
    subprocess.run([*git, "add", "-A"], cwd=town, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=town, check=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=town, capture_output=True, text=True, check=True)
    assert status.stdout == ""  # .gitignore keeps site/, caches, reports/ and the zip out
    tracked = subprocess.run(["git", "ls-files"], cwd=town, capture_output=True, text=True, check=True).stdout
    assert "site/" not in tracked and "reports/" not in tracked and ".gongkai-cache" not in tracked
    diffed = run_cli("diff", "HEAD", cwd=town)
    assert diffed.returncode == 0, diffed.stderr
    assert "政务公开内容变更报告" in diffed.stdout


def test_every_site_field_is_explained(town: Path) -> None:
    lines = (town / "content" / "site.yaml").read_text(encoding="utf-8").splitlines()
    keys = [i for i, line in enumerate(lines) if re.match(r"^#? ?[a-z_]+:", line) and not line.startswith("# 本镇")]
    assert len(keys) >= 12
    for i in keys:
        assert lines[i - 1].startswith("#"), f"no comment above: {lines[i]}"
    data = yaml.safe_load("\n".join(lines))
    from gongkai.models.town import Town

    commented = {m.group(1) for line in lines if (m := re.match(r"^# ?([a-z_]+):", line))}
    # every field of the model is shown, set or (where no value may be invented) commented out
    assert set(data) | commented == set(Town.model_fields)


def test_tooling_pins_this_version(town: Path) -> None:
    version = metadata.version("gongkai")
    workflow = (town / ".github" / "workflows" / "gongkai.yml").read_text(encoding="utf-8")
    assert f"pip install gongkai=={version}" in workflow
    assert yaml.safe_load(workflow)["jobs"]["site"]["steps"][3]["with"]["key"] == "gongkai-${{ runner.os }}-${{ github.sha }}"
    assert f'"gongkai=={version}"' in (town / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    settings = yaml.safe_load((town / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (town / schema).is_file()
    assert run_cli("--version", cwd=town).stdout.strip() == f"gongkai {version}"


def test_town_templates_override_file_by_file(tmp_path: Path) -> None:
    assert run_cli("init", "t", cwd=tmp_path).returncode == 0
    town = tmp_path / "t"
    (town / "templates").mkdir()
    (town / "templates" / "404.html").write_text("<p>本镇自己的找不到页面</p>\n", encoding="utf-8")
    built = run_cli("build", cwd=town)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (town / "site" / "404.html").read_text(encoding="utf-8") == "<p>本镇自己的找不到页面</p>\n"
    assert "<!doctype html>" in (town / "site" / "index.html").read_text(encoding="utf-8").lower()


def test_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "town").mkdir()
    (tmp_path / "town" / "notes.txt").write_text("keep", encoding="utf-8")
    refused = run_cli("init", "town", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == "town: 错误: 目录不为空（请换一个空目录，或加 --force 覆盖同名文件）"
    assert not (tmp_path / "town" / "content").exists()
    forced = run_cli("init", "town", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "town" / "content" / "site.yaml").is_file()
    assert (tmp_path / "town" / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_a_busy_output_folder_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    from gongkai import cli, output

    assert run_cli("init", "t", cwd=tmp_path).returncode == 0
    monkeypatch.chdir(tmp_path / "t")
    (tmp_path / "t" / "site").mkdir()
    (tmp_path / "t" / "site" / "keep.txt").write_text("old", encoding="utf-8")

    def busy(new: Path, old: Path) -> bool:  # as Windows does while Explorer shows site/
        raise PermissionError(13, "Access is denied", str(old))

    monkeypatch.setattr(output, "_exchange", busy)
    code = cli.main(["build", "-q"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "内部错误" not in err
    assert err.startswith("site: 错误: 无法写入，文件或目录正被其他程序占用或没有写入权限")
    assert (tmp_path / "t" / "site" / "keep.txt").read_text(encoding="utf-8") == "old"
    assert os.path.isdir(tmp_path / "t" / "site")
