"""Lints: what a playbook may hold but is probably a mistake. Warnings; `--strict` makes them fail the check.

- a gap in a program's months (1, 2, 4);
- a month in which a role the program expects to be busy every month has nothing to do;
- a pair that still meets after its cohort's `end_date`;
- two pairs of a cohort with the same people;
- an accent color too faint to read as link text (below 4.5:1 against the page, in light or dark mode);

One more lint needs every link resolved, so the plan stage makes it: a guide nobody is sent to
(`guides.unlinked_guides`).
"""

from __future__ import annotations

from collections.abc import Iterator

from .cohort_dates import cohort_dates
from .contrast import TEXT_CONTRAST, accent_contrasts
from .crosscheck import Problem, locate
from .errors import Diagnostic
from .loader import Project
from .models import Cohort, Colors, Playbook, Program
from .names import SETTINGS_FILE


def lint(playbook: Playbook, project: Project) -> Iterator[Diagnostic]:
    """The warnings about the playbook's programs and cohorts, each at its line."""
    files = {source.path: source for source in project.files}
    settings = files.get(SETTINGS_FILE)
    if settings is not None:
        yield from (locate(settings, problem) for problem in _colors(playbook.settings.colors))
    for kind, items in (("program", playbook.programs), ("cohort", playbook.cohorts)):
        for item_id, item in items.items():
            source = files.get(playbook.sources.of(kind, item_id).path)
            problems = _program(item) if isinstance(item, Program) else _cohort(item, playbook)
            yield from (locate(source, problem) for problem in problems if source is not None)


def _warning(loc: tuple[str | int, ...], message: str, hint: str) -> Problem:
    return Problem(loc, message, hint, severity="warning")


def _program(program: Program) -> Iterator[Problem]:
    yield from _missing_months(program)
    yield from _idle_roles(program)


def _missing_months(program: Program) -> Iterator[Problem]:
    """A gap in the month numbers, reported at the month after it."""
    expected = 1
    for index, month in sorted(enumerate(program.months), key=lambda pair: pair[1].number):
        if month.number > expected:
            gap = (
                f"month {expected} is missing"
                if month.number == expected + 1
                else f"months {expected} to {month.number - 1} are missing"
            )
            after = f"month {month.number} follows month {expected - 1}" if expected > 1 else "the program starts here"
            yield _warning(
                ("months", index, "number"),
                f"{gap}: {after}",
                f"add month {expected}, or number the months one after another",
            )
        expected = max(expected, month.number + 1)


def _idle_roles(program: Program) -> Iterator[Problem]:
    """A month that gives a role the program expects every month nothing to prepare, lead or follow up."""
    for index, month in enumerate(program.months):
        busy = month.roles_with_items()
        for role in program.expected_roles:
            if role not in busy:
                yield _warning(
                    ("months", index, "number"),
                    f"month {month.number} has nothing for the role '{role}' to do",
                    f"give '{role}' an agenda item, `prepare:` or `follow_up:` this month, "
                    "or leave it out of the program's `expect_each_month`",
                )


def _colors(colors: Colors) -> Iterator[Problem]:
    """An accent from playbook.yaml that links would be hard to read in, at its line."""
    for contrast in accent_contrasts(colors):
        if not contrast.setting or contrast.readable:
            continue
        mode = "in dark mode, " if contrast.scheme == "dark" else ""
        message = (
            f"{mode}the accent {contrast.color} has a contrast of {contrast.shown_ratio}:1 with the page "
            f"({contrast.background}); link text needs {TEXT_CONTRAST}:1 (WCAG 2.1 AA)"
        )
        if contrast.scheme == "dark" and contrast.setting == "accent":
            hint = "add `accent_dark:` under `colors:`, a lighter color for dark mode, e.g. '#8cb8f0'"
        else:
            hint = f"pick a {'darker' if contrast.scheme == 'light' else 'lighter'} color"
        yield _warning(("colors", contrast.setting), message, hint)


def _cohort(cohort: Cohort, playbook: Playbook) -> Iterator[Problem]:
    yield from _after_the_end(cohort, playbook)
    yield from _same_people(cohort)


def _after_the_end(cohort: Cohort, playbook: Playbook) -> Iterator[Problem]:
    """A pair whose meetings go on after the cohort's `end_date`."""
    end = cohort.end_date
    if end is None:
        return
    for index, pair in enumerate(cohort_dates(playbook, cohort).pairs):
        late = [meeting for meeting in pair.meetings if meeting.day > end]
        if late:
            when = (
                f"meets on {late[0].day},"
                if len(late) == 1
                else f"has {len(late)} meetings, the last on {late[-1].day},"
            )
            yield _warning(
                ("pairs", index),
                f"pair '{pair.pair.id}' {when} after the cohort ends ({end})",
                f"move the cohort's `end_date` to {late[-1].day} or later, or give the pair an earlier `start_date`",
            )


def _same_people(cohort: Cohort) -> Iterator[Problem]:
    """Two pairs with the same person in each role: one pair written twice, most likely."""
    seen: dict[frozenset[tuple[str, str]], str] = {}
    for index, pair in enumerate(cohort.pairs):
        people = frozenset((role, " ".join(name.split()).casefold()) for role, name in pair.names.items())
        if people in seen:
            yield _warning(
                ("pairs", index),
                f"pair '{pair.id}' has the same people as pair '{seen[people]}'",
                "remove one of the two pairs",
            )
        seen.setdefault(people, pair.id)
