"""gongkai's version, from the installed package's metadata."""

from __future__ import annotations


def version() -> str:
    from importlib import (
        metadata,  # here: importing it costs every command a few hundredths of a second
    )

    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:  # a bare checkout on PYTHONPATH, never installed
        return "0+unknown"
