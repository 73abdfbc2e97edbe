"""gongkai's version, from the installed package's metadata."""

from __future__ import annotations

from importlib import metadata


def version() -> str:
    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:  # a bare checkout on PYTHONPATH, never installed
        return "0+unknown"
