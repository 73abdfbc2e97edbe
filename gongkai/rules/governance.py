"""Governance rules of the Regulations (timeliness, self-review, privacy, completeness ...).

Each rule is `(site) -> list[Diagnostic]`; `check_governance` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Diagnostic
from ..site import Site

Rule = Callable[[Site], list[Diagnostic]]
RULES: list[Rule] = []


def check_governance(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in RULES:
        out += rule(site)
    return out
