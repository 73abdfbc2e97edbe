"""County platform: every township of a county in one disclosure area (docs/county.md).

A county repository holds `county.yaml` and `towns/<slug>/` (each a complete content tree).
`config` reads and checks the county; `sections` builds each township into `<slug>/` with the
ordinary township build; `pages` renders the county's own pages; `search` the county-wide index;
`supervision` the 政务公开办's report. The township build knows nothing of counties: it is given
a `Frame` (a bar linking back to the county home) and a callback that hands over its site.
`layout` (where the files are) is standard library only, and the names below are imported
when first used: `gongkai build` looks for county.yaml before it loads the code that builds.
"""

from __future__ import annotations

from typing import Any

from .layout import COUNTY_FILE, TOWNS_DIR, find_county


def __getattr__(name: str) -> Any:
    if name == "build_county":
        from .build import build_county

        return build_county
    if name in ("CountyConfig", "load_county"):
        from . import config

        return getattr(config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COUNTY_FILE", "TOWNS_DIR", "CountyConfig", "build_county", "find_county", "load_county"]
