"""A two-township county for tests: 永岁镇 (content/, copied) and a small generated 青溪镇."""

from __future__ import annotations

import sys
from pathlib import Path

from sitekit import TODAY

from gongkai.build import BuildOptions
from gongkai.county import build_county

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "examples" / "county"))

from make import make_county

GENERATED_DOCS = 40


def county_yaml(extra: str = "") -> str:
    return "name: 全州县\ntitle: 基层政务公开\ntowns: [yongsui, qingxi]\n" + extra


def make(root: Path, extra: str = "") -> Path:
    """`root` with county.yaml (plus `extra` lines) and towns/yongsui, towns/qingxi."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "county.yaml").write_text(county_yaml(extra), encoding="utf-8")
    return make_county(root, GENERATED_DOCS, county_yaml=root / "county.yaml")


def options(out: Path, **kw: object) -> BuildOptions:
    return BuildOptions(output=out, templates=REPO / "templates", today=TODAY, jobs=1, project=REPO,
                        incremental=False, **kw)  # type: ignore[arg-type]


def build(root: Path, out: Path, cache: Path | None = None, **kw: object):  # type: ignore[no-untyped-def]
    return build_county(root, options(out, **kw), cache)
