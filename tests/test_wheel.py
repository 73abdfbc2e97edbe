"""The CI proof that gongkai is a product: the wheel alone builds a town's site.

Cut the release with `scripts/release.py` on a PATH without Node.js (sdist, then the wheel from
the sdist), install it with the README's own `pip install` line into a fresh virtual environment in a
temporary folder with no source tree and no node_modules in reach, run `gongkai init`, `check`, `build` and `bundle` there,
then open the built site from file:// in headless Chromium: CSS applied, JS running, search works.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
pytestmark = [pytest.mark.slow, pytest.mark.browser]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONUTF8"] = "1"
    return env


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=900, check=False)
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done


def readme_town_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it for your town", 1)[1].split("\n## ", 1)[0]
    return section.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ as `scripts/release.py` makes it, on a PATH without npm or node.

    The release builds the sdist, then the wheel from the sdist (as pip does for a source
    install), so this proves a Python-only machine makes the complete wheel: decap-cms comes from
    the npm registry tarball that package-lock.json pins, checked against its sha512.
    """
    tmp = tmp_path_factory.mktemp("release")
    python_only = str(Path(sys.executable).resolve().parent)
    assert shutil.which("npm", path=python_only) is None and shutil.which("node", path=python_only) is None
    env = {**clean_env(), "PATH": python_only}
    done = subprocess.run([sys.executable, REPO / "scripts" / "release.py", "--dist", tmp / "dist"],
                          cwd=tmp, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=900, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert f"release: gongkai-{VERSION}.tar.gz, gongkai-{VERSION}-py3-none-any.whl ok" in done.stdout
    return tmp / "dist"


@pytest.fixture(scope="module")
def installed(released: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(bin folder of the fresh venv, the work folder) with gongkai installed by the README's command."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheels = list(released.glob("gongkai-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    for packaged in ("gongkai/data/templates/base.html", "gongkai/data/templates/assets/site.css",
                     "gongkai/data/templates/assets/search.js", "gongkai/data/decap-cms/decap-cms.js"):
        assert packaged in names
    assert not [name for name in names if "lunr" in name]  # no page loads lunr.js; the build needs none
    work = tmp / "work"
    work.mkdir()
    run(sys.executable, "-m", "venv", tmp / "venv", cwd=work)
    bindir = tmp / "venv" / ("Scripts" if os.name == "nt" else "bin")
    install = readme_town_commands()[0].split()
    assert install[:2] == ["pip", "install"]
    # The README's command exactly, with the release folder standing in for PyPI's copy.
    done = subprocess.run([str(bindir / install[0]), *install[1:], "-q"], cwd=work,
                          env={**clean_env(), "PIP_FIND_LINKS": str(released)},
                          capture_output=True, text=True, encoding="utf-8", timeout=900, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    return bindir, work


def test_wheel_builds_a_town_site_that_works_in_a_browser(installed: tuple[Path, Path], page) -> None:  # type: ignore[no-untyped-def]
    bindir, work = installed
    where = run(bindir / "python", "-c",
                "import gongkai, gongkai.resources as r; print(gongkai.__file__); print(r.installed())", cwd=work)
    origin, packaged = where.stdout.split()
    assert Path(origin).resolve().is_relative_to(bindir.parent.resolve())  # the venv, not the checkout
    assert packaged == "True"
    gongkai = bindir / "gongkai"
    assert run(gongkai, "--version", cwd=work).stdout.strip() == f"gongkai {VERSION}"
    run(gongkai, "init", "town", cwd=work)
    town = work / "town"
    for parent in (town, *town.parents):
        assert not (parent / "node_modules").exists()
        assert not (parent / "templates").exists()
    run(gongkai, "check", cwd=town)
    built = run(gongkai, "build", cwd=town)
    assert "主动公开 1" in built.stdout
    run(gongkai, "bundle", "-q", cwd=town)
    assert zipfile.ZipFile(town / "gongkai-site.zip").testzip() is None
    run(gongkai, "cms", "--repo", "yongsui/town", cwd=town)  # decap-cms comes from the wheel
    assert (town / "admin" / "decap-cms.js").stat().st_size > 1_000_000
    assert "publish_mode: editorial_workflow" in (town / "admin" / "config.yml").read_text(encoding="utf-8")

    site = town / "site"
    page.goto((site / "index.html").as_uri())
    assert page.evaluate("getComputedStyle(document.body).lineHeight") == "31.5px"  # site.css: 18px × 1.75
    page.click('button[data-font="1"]')  # site.js: reading settings
    assert page.evaluate("document.documentElement.getAttribute('data-font')") == "1"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "22px"

    page.goto((site / "search.html").as_uri() + "?q=最低生活保障")
    page.wait_for_function(
        """() => { const c = document.getElementById('search-results');
                   return c && c.dataset.state === 'done'; }""",
        timeout=15_000,
    )
    titles = page.locator(".search-result-title a").all_inner_texts()
    assert "关于做好最低生活保障审核工作的通知" in titles
    assert all("入户调查" not in t for t in titles)


def test_readme_town_commands_work_as_written(installed: tuple[Path, Path], tmp_path: Path) -> None:
    bindir, _ = installed
    commands = readme_town_commands()
    version = run(bindir / "gongkai", "--version", cwd=tmp_path).stdout.split()[1]
    assert commands[0] == f"pip install gongkai=={version}"  # installed by the fixture, as written
    assert commands[1:] == ["gongkai init mytown", "cd mytown", "gongkai build"]
    cwd = tmp_path
    for line in commands[1:]:
        name, *args = line.split()
        if name == "cd":
            cwd = cwd / args[0]
            continue
        run(bindir / name, *args, cwd=cwd)
    assert "最低生活保障" in (cwd / "site" / "index.html").read_text(encoding="utf-8")


def test_serve_and_report_work_in_the_town_repository(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """`serve` (the preview) and `report` run from the wheel in an `init` town, like check and build."""
    bindir, _ = installed
    run(bindir / "gongkai", "init", "town", cwd=tmp_path)
    town = tmp_path / "town"
    reported = run(bindir / "gongkai", "report", "register", cwd=town)
    assert "已写入 reports/register.html" in reported.stdout
    assert "关于做好最低生活保障审核工作的通知" in (town / "reports" / "register.html").read_text(encoding="utf-8")
    proc = subprocess.Popen([str(bindir / "gongkai"), "serve", "--port", "0"], cwd=town, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        assert proc.stdout is not None
        url = ""
        seen = []
        for line in proc.stdout:  # the preview prints its address once the first build is up
            seen.append(line)
            if line.startswith("预览地址："):
                url = line.split("：", 1)[1].strip()
                break
        assert url, "".join(seen)
        with urllib.request.urlopen(url, timeout=30) as response:
            home = response.read().decode("utf-8")
        assert "关于做好最低生活保障审核工作的通知" in home
        with urllib.request.urlopen(url.rstrip("/") + "/assets/site.css", timeout=30) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
