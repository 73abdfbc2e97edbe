"""Shared fixtures: a headless Chromium (Debian's, via Playwright), a local HTTP server, and
the example town built once per session."""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

#: Bytecode caches are written during the test run even where the environment asks Python not
#: to (`PYTHONDONTWRITEBYTECODE`, which some CI images set): otherwise every worker compiles every
#: test module again (pytest's assertion rewriting, ~4 s a worker), and every `python -m gongkai`
#: a test starts compiles gongkai's modules from source before it does anything.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

#: Property tests draw the same examples on every run, so that CI cannot go red by chance;
#: `pytest --hypothesis-profile=explore` draws new ones, to look for cases no run has tried.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")

from sitekit import TODAY

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium. Missing Chromium is a failure, never a silent skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup.sh --test` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1:<free port>; returns the base URL (ending in /)."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example town (content/) built once into a temp folder; returns the site folder."""
    from gongkai.build import BuildOptions, build

    out = tmp_path_factory.mktemp("example") / "site"
    result = build(BuildOptions(content=REPO / "content", output=out, templates=REPO / "templates",
                                today=TODAY, jobs=1, project=REPO))
    if not result.ok:
        pytest.fail("example content does not build:\n" + "\n".join(d.text() for d in result.diagnostics.errors))
    return out


@pytest.fixture
def built(tmp_path: Path) -> Callable[..., tuple[Path, object]]:
    """Build a tiny site from `sitekit` files; returns (site dir, BuildResult)."""
    from sitekit import make_site

    from gongkai.build import BuildOptions, build

    def run(extra: dict | None = None, **options: object) -> tuple[Path, object]:  # type: ignore[type-arg]
        content = make_site(tmp_path, extra)
        out = tmp_path / "site"
        opts = BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY,
                            jobs=1, project=REPO)
        for key, value in options.items():
            setattr(opts, key, value)
        return out, build(opts)

    return run


# --- test tiers ------------------------------------------------------------------------------
#: Files whose tests are slow as a whole: kill campaigns, fuzzed whole builds, the wheel in a venv,
#: the differential edit sequences, axe on every page.
SLOW_FILES = {"test_atomic_kill.py", "test_fuzz_build.py", "test_wheel.py", "test_reflow.py", "test_axe.py",
              "test_differential.py"}
BROWSER_FIXTURES = {"browser", "page", "firefox_factory"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tiers automatically, so no test can be forgotten: `browser` for every test that uses a
    browser fixture, `slow` for the files above. `pytest -m "not slow and not browser"` is the fast
    tier; CI runs everything (`-n auto`)."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
