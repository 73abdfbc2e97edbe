"""The CI proof that gongkai is a product: the wheel alone builds a town's site.

Build the wheel, install it into a fresh virtual environment in a temporary folder with no
source tree and no node_modules in reach, run `gongkai init`, `check`, `build` and `bundle` there,
then open the built site from file:// in headless Chromium: CSS applied, JS running, search works.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(bin folder of the fresh venv, the work folder) with only the wheel installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", REPO, cwd=tmp)
    wheels = list((tmp / "dist").glob("gongkai-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    for packaged in ("gongkai/data/templates/base.html", "gongkai/data/templates/assets/site.css",
                     "gongkai/data/templates/assets/search.js", "gongkai/data/lunr/lunr.min.js",
                     "gongkai/data/lunr/LICENSE", "gongkai/data/decap-cms/decap-cms.js"):
        assert packaged in names
    work = tmp / "work"
    work.mkdir()
    wheel = Path(shutil.copy(wheels[0], work))
    run(sys.executable, "-m", "venv", tmp / "venv", cwd=work)
    bindir = tmp / "venv" / ("Scripts" if os.name == "nt" else "bin")
    run(bindir / "python", "-m", "pip", "install", "-q", wheel, cwd=work)
    return bindir, work


def test_wheel_builds_a_town_site_that_works_in_a_browser(installed: tuple[Path, Path], page) -> None:  # type: ignore[no-untyped-def]
    bindir, work = installed
    where = run(bindir / "python", "-c",
                "import gongkai, gongkai.resources as r; print(gongkai.__file__); print(r.installed())", cwd=work)
    origin, packaged = where.stdout.split()
    assert Path(origin).resolve().is_relative_to(bindir.parent.resolve())  # the venv, not the checkout
    assert packaged == "True"
    gongkai = bindir / "gongkai"
    assert run(gongkai, "--version", cwd=work).stdout.strip() == "gongkai 0.2.0"
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
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it for your town", 1)[1].split("\n## ", 1)[0]
    commands = section.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    version = run(bindir / "gongkai", "--version", cwd=tmp_path).stdout.split()[1]
    assert commands[0] == f"pip install gongkai=={version}"  # the wheel installed above is this release
    assert commands[1:] == ["gongkai init mytown", "cd mytown", "gongkai build"]
    cwd = tmp_path
    for line in commands[1:]:
        name, *args = line.split()
        if name == "cd":
            cwd = cwd / args[0]
            continue
        run(bindir / name, *args, cwd=cwd)
    assert "最低生活保障" in (cwd / "site" / "index.html").read_text(encoding="utf-8")
