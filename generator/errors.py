"""Diagnostics: what went wrong, where, and what to do about it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a project, pointing at a file, line and column (from 1)."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        hint = f"; {self.hint}" if self.hint else ""
        return _one_line(f"{where}: {self.severity}: {self.message}{hint}")

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"


def _one_line(text: str) -> str:
    """The text with each control character written as an escape, as `\\n`: a file name may hold one."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class PlaybookError(Exception):
    """A build or check stopped because of problems in the project."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics), key=_reading_order))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """Only the diagnostics that are errors."""
        return tuple(d for d in self.diagnostics if d.is_error)


def _reading_order(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.col, d.message)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Diagnostics without repeats, by file, then line, then column."""
    return tuple(sorted(set(diagnostics), key=_reading_order))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, or None when none is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        close = [lowered[c] for c in difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)]
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice to `word`, or the empty string when none is close."""
    match = closest(word, choices)
    return f"did you mean '{match}'?" if match else ""


def one_of(choices: Iterable[str], limit: int = 8) -> str:
    """A hint listing the valid choices, shortened when there are many."""
    options = sorted(set(choices))
    if not options:
        return ""
    shown = ", ".join(f"'{c}'" for c in options[:limit])
    more = f" and {len(options) - limit} more" if len(options) > limit else ""
    return f"expected one of {shown}{more}"
