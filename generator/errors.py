"""Diagnostics: what went wrong, where, and what to do about it."""

from __future__ import annotations

import difflib
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
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
        self.diagnostics = sort_diagnostics(diagnostics)
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
    match = _most_like(word, options)
    if match is None:
        lowered = {c.lower(): c for c in options}
        match = _most_like(word.lower(), list(lowered))
        return lowered[match] if match is not None else None
    return match


def _most_like(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """`difflib.get_close_matches(word, options, n=1)`, weighing each option once rather than twice."""
    matcher = difflib.SequenceMatcher(b=word)
    best: tuple[float, str] | None = None
    for option in options:
        matcher.set_seq1(option)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            score = matcher.ratio()
            if score >= cutoff and (best is None or (score, option) > best):
                best = (score, option)
    return best[1] if best else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice to `word`, or the empty string when none is close."""
    match = closest(word, choices)
    return f"did you mean '{match}'?" if match else ""


SHORTLIST = 10  # how many choices each word is compared with in full
POSTINGS_READ = 1000  # how many index entries each word reads to find them, the rarest first


class Suggestions:
    """Choices for did-you-mean hints, indexed once, so a hint compares the word in full with a few likely choices.

    Comparing every broken link with every page made thousands of broken links take minutes:
    the index (which choices hold each three letters) picks the choices that share the most
    rare letter triples with the word, and only those are compared.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self._given = choices
        self._holding: dict[str, list[int]] | None = None

    @functools.cached_property
    def choices(self) -> tuple[str, ...]:
        """The choices, each once, in order; sorted only when a hint is first asked for."""
        return tuple(sorted(set(self._given)))

    def closest(self, word: str) -> str | None:
        """The choice most like `word`, or None when none is close."""
        return closest(word, self._shortlist(word))

    def did_you_mean(self, word: str) -> str:
        """A hint naming the closest choice to `word`, or the empty string when none is close."""
        match = self.closest(word)
        return f"did you mean '{match}'?" if match else ""

    def one_of(self, limit: int = 8) -> str:
        """A hint listing the choices, shortened when there are many."""
        return _listing(self.choices, limit)

    def _shortlist(self, word: str) -> Sequence[str]:
        if len(self.choices) <= SHORTLIST:
            return self.choices
        if self._holding is None:
            self._holding = {}
            for number, choice in enumerate(self.choices):
                for triple in _triples(choice):
                    self._holding.setdefault(triple, []).append(number)
        holding = self._holding
        found = sorted((len(holding[t]), t) for t in _triples(word) if t in holding)
        shared: Counter[int] = Counter()
        budget = POSTINGS_READ
        for size, triple in found:
            if budget <= 0:
                break
            shared.update(holding[triple][:budget])
            budget -= size
        # Ties keep the order counted in, which the sorted triples make the same on every run.
        return [self.choices[number] for number, _ in shared.most_common(SHORTLIST)]


def _triples(text: str) -> set[str]:
    padded = f"\x02{text.lower()}\x03"  # marks for the start and end, so short words have triples too
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def one_of(choices: Iterable[str], limit: int = 8) -> str:
    """A hint listing the valid choices, shortened when there are many."""
    return _listing(sorted(set(choices)), limit)


def _listing(options: Sequence[str], limit: int) -> str:
    if not options:
        return ""
    shown = ", ".join(f"'{c}'" for c in options[:limit])
    more = f" and {len(options) - limit} more" if len(options) > limit else ""
    return f"expected one of {shown}{more}"
