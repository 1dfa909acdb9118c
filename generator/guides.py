"""Guides: the order each role reads them in, when a guide needs a list of its sections, and which
guides no page sends a reader to.

A guide counts as sent to when a month lists it under `guides:`, when Markdown in another file links to
it, or when a role's "Start here" page lists it (the first guide, and every guide with `roles:`). The
list of all guides does not count: a guide only there is one no page points a reader to.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

from .errors import Diagnostic
from .markdown import Heading
from .models import FIRST_GUIDE, Guide, Playbook

GETTING_STARTED = "getting-started"  # the guide every reading order begins with
CONTENTS_SECTIONS = 3  # a guide with this many sections gets an "On this page" box...
CONTENTS_WORDS = 600  # ...and so does one longer than this, with two sections


def reading_order(guides: Iterable[Guide], role_id: str = "") -> tuple[Guide, ...]:
    """The guides a reader goes through, in order: `getting-started` first, then the others as listed.

    For a role, only the guides for that role or for everyone; for everyone ('') every guide.
    """
    chosen = [g for g in guides if not role_id or not g.meta.roles or role_id in g.meta.roles]
    return tuple(sorted(chosen, key=lambda guide: guide.id != GETTING_STARTED))  # stable: the rest keep their order


def neighbours(order: Sequence[Guide], role_id: str) -> list[tuple[Guide | None, Guide | None]]:
    """For each guide of everyone's `order`: the nearest guides before and after it in the role's reading order.

    A role's order keeps the order of everyone's, so a guide for other roles still gets
    the role's guides around the place it has in everyone's order.
    """
    wanted = {guide.id for guide in reading_order(order, role_id)}
    before: list[Guide | None] = []
    last: Guide | None = None
    for guide in order:
        before.append(last)
        last = guide if guide.id in wanted else last
    after: list[Guide | None] = []
    last = None
    for guide in reversed(order):
        after.append(last)
        last = guide if guide.id in wanted else last
    return list(zip(before, reversed(after)))


def guide_contents(body: str, headings: Iterable[Heading]) -> tuple[Heading, ...]:
    """The sections an "On this page" box lists: a guide's h2 headings, when the guide is long enough."""
    sections = tuple(h for h in headings if h.level == 2)
    long = len(sections) >= 2 and len(body.split()) > CONTENTS_WORDS
    return sections if len(sections) >= CONTENTS_SECTIONS or long else ()


def unlinked_guides(playbook: Playbook, linked: Collection[str]) -> Iterator[Diagnostic]:
    """Guides no month lists, no other file links to (`linked`: ids) and no role's page lists."""
    listed = {guide_id for kind, guide_id in playbook.uses if kind == "guide"}
    for guide in playbook.guides.values():
        if guide.id in listed or guide.id in linked or guide.id == FIRST_GUIDE or guide.meta.roles:
            continue
        yield Diagnostic(
            playbook.sources.of("guide", guide.id).path,
            1,
            1,
            f"guide '{guide.id}' is not linked from any page",
            "list it under a month's `guides:`, give it `roles:` so the role pages list it, "
            "or link to it from another guide",
            "warning",
        )
