"""Diagnostics: every problem of a run, with file, line, column, message and fix.

All stages report through `Diagnostic` so the CLI, the dev server overlay, CI annotations and
tests see one shape. Messages are Chinese (the staff's language); positions are 1-based.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # path relative to the project (e.g. content/documents/2024/a.md), "/" separators
    line: int
    col: int
    severity: Severity
    message: str
    hint: str = ""
    code: str = field(default="", compare=False)  # stable machine id, e.g. "yaml.tab"

    def text(self) -> str:
        hint = f"（{self.hint}）" if self.hint else ""
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}{hint}"

    def github(self) -> str:
        kind = "error" if self.severity is Severity.ERROR else "warning"
        msg = (self.message + (f"（{self.hint}）" if self.hint else "")).replace("%", "%25")
        msg = msg.replace("\r", "%0D").replace("\n", "%0A")
        title = "gongkai " + self.severity.value
        return f"::{kind} file={_gh_property(self.path)},line={self.line},col={self.col},title={title}::{msg}"

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = "error" if self.severity is Severity.ERROR else "warning"
        return data


def _gh_property(value: str) -> str:
    """Escape a workflow-command property (a path may contain `,` or `:`)."""
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def error(path: str, line: int, col: int, message: str, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(path, max(line, 1), max(col, 1), Severity.ERROR, message, hint, code)


def warning(path: str, line: int, col: int, message: str, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(path, max(line, 1), max(col, 1), Severity.WARNING, message, hint, code)


@dataclass
class Diagnostics:
    """An ordered, de-duplicated collection of the problems found by a run."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diag: Diagnostic) -> None:
        self.items.append(diag)

    def extend(self, diags: list[Diagnostic] | Diagnostics) -> None:
        self.items.extend(diags.items if isinstance(diags, Diagnostics) else diags)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def __bool__(self) -> bool:
        return bool(self.items)


def format_diagnostics(diags: Diagnostics, fmt: str = "text") -> str:
    """Render diagnostics for the terminal (`text`), GitHub Actions (`github`) or tools (`json`)."""
    items = diags.sorted()
    if fmt == "json":
        return json.dumps(
            {
                "errors": len(diags.errors),
                "warnings": len(diags.warnings),
                "diagnostics": [d.as_json() for d in items],
            },
            ensure_ascii=False,
            indent=2,
        )
    lines = [d.github() if fmt == "github" else d.text() for d in items]
    lines.append(summary_line(diags))
    return "\n".join(lines)


def summary_line(diags: Diagnostics) -> str:
    n_err, n_warn = len(diags.errors), len(diags.warnings)
    if not n_err and not n_warn:
        return "检查通过：没有发现错误。"
    return f"共 {n_err} 个错误，{n_warn} 个警告。"
