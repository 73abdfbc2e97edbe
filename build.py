#!/usr/bin/env python3
"""Build the site: exactly `gongkai build` (all its options work here too)."""

import sys

from gongkai.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["build", *sys.argv[1:]]))
