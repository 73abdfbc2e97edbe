"""索引号 issued once: the next number of a year, read from the numbers already given.

A 索引号 is assigned when a document is created (`gongkai new document` writes it into the front
matter) and never changes afterwards: renaming or moving the file keeps it, because it lives in
the file. The sequence of a year is the highest `seq` among the numbers of that year in the
site's format, plus one. 不予公开 documents get no number and are ignored by the allocation: a
public sequence with holes where withheld documents sit would tell the public they exist.

Pure: the numbers come in as strings, the format and the organisation code from `site.yaml`.
"""

from __future__ import annotations

import re
from string import Formatter


def number_pattern(fmt: str, org_code: str, year: int) -> re.Pattern[str]:
    """A regex matching the numbers of `year` in `fmt`, with the sequence as group `seq`."""
    parts = []
    for literal, name, _spec, _conv in Formatter().parse(fmt):
        parts.append(re.escape(literal))
        if name == "org_code":
            parts.append(re.escape(org_code))
        elif name == "year":
            parts.append(str(year))
        elif name == "seq":
            parts.append(r"(?P<seq>\d+)")
        elif name is not None:
            parts.append(r".*?")
    return re.compile("^" + "".join(parts) + "$")


def next_index_number(numbers: list[str], fmt: str, org_code: str, year: int) -> tuple[str, int]:
    """The next 索引号 of `year` and the highest sequence already used (0: none yet)."""
    pattern = number_pattern(fmt, org_code, year)
    used = 0
    for number in numbers:
        match = pattern.match(number.strip())
        if match:
            used = max(used, int(match.group("seq")))
    return fmt.format(org_code=org_code, year=year, seq=used + 1), used


__all__ = ["next_index_number", "number_pattern"]
