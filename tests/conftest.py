"""Shared fixtures: a headless Chromium (Debian's, via Playwright), a local HTTP server, and
the example town built once per session."""

from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

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
#: Each test's measured seconds (setup, call and teardown), written by `--record-durations`; a test
#: that took `SLOW_SECONDS` or more is `slow`. Tests below `KEPT_SECONDS` are not written down.
DURATIONS = Path(__file__).with_name("durations.json")
SLOW_SECONDS = 1.0
KEPT_SECONDS = 0.3


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--record-durations", action="store_true",
                     help=f"write each test's seconds into {DURATIONS.name} (tests of {SLOW_SECONDS} s or more are `slow`)")


def recorded_durations() -> dict[str, float]:
    try:
        data = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tiers automatically, so no test can be forgotten: `browser` for every test that uses a
    browser fixture, `slow` for the files above and for every test that took a second or more
    when the durations were last recorded. `pytest -m "not slow and not browser"` is the fast
    tier; CI runs everything (`-n auto`)."""
    durations = recorded_durations()
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW_FILES or durations.get(item.nodeid, 0.0) >= SLOW_SECONDS:
            item.add_marker(pytest.mark.slow)


_measured: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _measured[report.nodeid] = _measured.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With `--record-durations`, in the controlling process (under xdist the reports of every
    worker come to it): the tests that ran replace their entries, the others keep theirs."""
    config = session.config
    if not config.getoption("--record-durations") or hasattr(config, "workerinput") or not _measured:
        return
    durations = recorded_durations()
    for nodeid, seconds in _measured.items():
        durations.pop(nodeid, None)
        if seconds >= KEPT_SECONDS:
            durations[nodeid] = round(seconds, 2)
    DURATIONS.write_text(json.dumps(dict(sorted(durations.items())), ensure_ascii=False, indent=0) + "\n",
                         encoding="utf-8")
