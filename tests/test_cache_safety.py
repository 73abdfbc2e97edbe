"""The build cache runs no code: a planted pickle or compiled template is a miss, never loaded.

Every planted file below would create a marker file when unpickled or executed. The tests assert
that the marker never appears, that the build succeeds, and that its `site/` is byte for byte a
clean build's.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import jinja2.bccache
import pytest
from countykit import build as build_county_site
from countykit import make as make_county_repo
from hypothesis import given, settings
from hypothesis import strategies as st
from sitekit import TODAY, base_files, doc, write_tree

from gongkai.build import BuildOptions, build
from gongkai.cachedir import (
    KEY_FILE,
    content_cache_dir,
    pickle_sealed,
    seal,
    unseal,
    user_cache_base,
)

REPO = Path(__file__).resolve().parent.parent


VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text() | st.binary(max_size=200_000),
                      lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner) | st.tuples(inner, inner),
                      max_leaves=30)


@settings(max_examples=60, deadline=None)
@given(value=VALUES, name=st.text(min_size=1, max_size=20))
def test_a_streamed_pickle_is_sealed_as_one_made_in_memory(value: object, name: str) -> None:
    """`pickle_sealed` writes the cache's large files frame by frame; they must read back (and
    fail to) exactly as `seal` of the whole pickle."""
    key = b"k" * 32
    f = io.BytesIO()
    pickle_sealed(f, key, name, value)
    assert f.getvalue() == seal(key, name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert pickle.loads(unseal(key, name, f.getvalue())) == value  # type: ignore[arg-type]
    assert unseal(key, name + "x", f.getvalue()) is None
    assert unseal(b"j" * 32, name, f.getvalue()) is None


class Evil:
    """Unpickling this creates `marker`."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.marker, "w"))


def evil_bytecode(marker: Path, pickled_checksum: bytes) -> bytes:
    """A file in Jinja's bytecode format whose code creates `marker` when the template loads."""
    code = compile(f"open({str(marker)!r}, 'w')\n", "<planted>", "exec")
    return jinja2.bccache.bc_magic + pickled_checksum + marshal.dumps(code)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def files() -> dict[str, str | bytes | None]:
    return {**base_files(), "documents/2026/a.md": doc("关于低保复核的通知", "正文。\n")}


def run(content: Path, out: Path, cache: Path | None, quick: bool = True):  # type: ignore[no-untyped-def]
    opts = BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY, jobs=1,
                        project=REPO, cache=cache, incremental=cache is not None, quick=quick)
    result = build(opts)
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return result


def clean_tree(tmp: Path, content: Path) -> dict[str, bytes]:
    out = tmp / "clean"
    shutil.rmtree(out, ignore_errors=True)
    run(content, out, None)
    return tree(out)


@pytest.mark.parametrize("quick", [False, True])
def test_planted_files_in_the_cache_run_nothing(tmp_path: Path, quick: bool) -> None:
    content = write_tree(tmp_path, files())
    cache, site, marker = tmp_path / "cache", tmp_path / "site", tmp_path / "MARKER"
    run(content, site, cache, quick)
    key = (cache / KEY_FILE).read_bytes()
    pickles = sorted(cache.rglob("*.pickle"))
    compiled = sorted(cache.rglob("*.jbc"))
    assert pickles and compiled  # the cache was used: there is something to plant over
    stranger = b"k" * 32  # another machine's key: sealed, but not by us
    for n, path in enumerate(pickles):
        evil = pickle.dumps(Evil(marker))
        path.write_bytes(evil if n % 2 else seal(stranger, path.stem, evil))
    for n, path in enumerate(compiled):
        planted = evil_bytecode(marker, pickle.dumps(Evil(marker)))
        path.write_bytes(planted if n % 2 else seal(stranger, path.stem, planted))
    # and a sealed file of the right key under another name is no stand-in either
    real = pickle.dumps(Evil(marker))
    (pickles[0]).write_bytes(seal(key, "not-" + pickles[0].stem, real))
    run(content, site, cache, quick)
    assert not marker.exists()
    assert tree(site) == clean_tree(tmp_path, content)
    run(content, site, cache, quick)  # the cache rewritten by that build is ours again
    assert not marker.exists()
    body = unseal(key, pickles[-1].stem, pickles[-1].read_bytes())
    assert body is not None and pickle.loads(body)[0] == 1


def test_the_machine_key_is_private(tmp_path: Path) -> None:
    content = write_tree(tmp_path, files())
    run(content, tmp_path / "site", tmp_path / "cache")
    mode = stat.S_IMODE((tmp_path / "cache" / KEY_FILE).stat().st_mode)
    if os.name != "nt":
        assert mode == 0o600


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def cli(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env.update(XDG_CACHE_HOME=str(tmp / "xdg"), HOME=str(tmp / "home"), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "gongkai", "build", "--today", TODAY.isoformat(), "-q", *args],
                          cwd=tmp, capture_output=True, text=True, encoding="utf-8", timeout=300, check=False, env=env)


def test_a_cache_planted_in_the_content_repository_runs_nothing(tmp_path: Path) -> None:
    """A pull request adds `.gongkai-cache/` (where older versions kept it) and asks for it with
    `--cache`: the default cache is elsewhere, and a tracked cache folder is not used at all."""
    content = write_tree(tmp_path, files())
    marker = tmp_path / "MARKER"
    planted = tmp_path / ".gongkai-cache"
    pair = hashlib.sha256(f"{content.resolve()}\0{(tmp_path / 'site').resolve()}".encode()).hexdigest()[:16]
    for name in ["outputs", "rules", "bodies", "snapshot", *(f"load.{n}" for n in range(16))]:
        (planted / pair).mkdir(parents=True, exist_ok=True)
        (planted / pair / f"{name}.pickle").write_bytes(pickle.dumps(Evil(marker)))
    (planted / pair / "jinja").mkdir()
    (planted / pair / "jinja" / "x.jbc").write_bytes(evil_bytecode(marker, pickle.dumps(Evil(marker))))
    (planted / KEY_FILE).write_bytes(b"a key the attacker knows, 32 bytes or more")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "planted")

    default = cli(tmp_path)
    assert default.returncode == 0, default.stderr
    assert not marker.exists()
    # the default cache: the user cache dir, keyed by the content path, with a private key
    base = user_cache_base({"XDG_CACHE_HOME": str(tmp_path / "xdg")}, tmp_path / "home")
    assert base == tmp_path / "xdg" / "gongkai"
    assert list(content_cache_dir(base, content).rglob("*.pickle"))
    assert stat.S_IMODE((base / KEY_FILE).stat().st_mode) == 0o600

    asked = cli(tmp_path, "--cache", ".gongkai-cache")
    assert asked.returncode == 0, asked.stderr
    assert not marker.exists()
    assert ".gongkai-cache:1:1: 警告: 缓存目录已被 git 跟踪，本次不使用缓存" in asked.stdout + asked.stderr
    assert not (planted / pair / "search-texts.sqlite").exists()  # nothing written there either
    expected = clean_tree(tmp_path, content)
    assert tree(tmp_path / "site") == expected


def test_planted_county_pickles_run_nothing(tmp_path: Path) -> None:
    """The county's own cache (each kept township's search records, the county index state) is
    sealed as the township caches are: planted or foreign pickles there are a miss."""
    root = make_county_repo(tmp_path / "repo")
    out, cache, marker = tmp_path / "site", tmp_path / "cache", tmp_path / "MARKER"
    assert build_county_site(root, out, cache, quick=True).ok
    planted = sorted((cache / "county").glob("*.pickle"))
    assert {p.name for p in planted} >= {"records-yongsui.pickle", "records-qingxi.pickle", "search-state.pickle"}
    stranger = b"k" * 32
    for n, path in enumerate(planted):
        evil = pickle.dumps(Evil(marker))
        path.write_bytes(evil if n % 2 else seal(stranger, path.name, evil))
    doc = min((root / "towns" / "qingxi" / "documents").rglob("*.md"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\n县级专区正文改动测试。\n", encoding="utf-8")
    again = build_county_site(root, out, cache, quick=True)
    assert again.ok and not marker.exists()
    assert build_county_site(root, tmp_path / "fresh").ok
    assert tree(out) == tree(tmp_path / "fresh")
