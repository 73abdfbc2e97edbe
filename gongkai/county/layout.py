"""Where a county repository keeps what: `county.yaml` and `towns/<slug>/` (standard library
only: `gongkai build` finds a county before it imports the code that builds one)."""

from __future__ import annotations

from pathlib import Path

COUNTY_FILE = "county.yaml"
TOWNS_DIR = "towns"


def find_county(folder: Path) -> Path | None:
    """The county root if `folder` holds a `county.yaml`."""
    return folder if (folder / COUNTY_FILE).is_file() else None
