"""Two things of the site that would be written to the same file."""

from __future__ import annotations

from collections.abc import Iterator

from .errors import Diagnostic
from .names import CONTENT_FOLDER
from .pages import Page
from .values import Asset


def collisions(pages: tuple[Page, ...], assets: tuple[Asset, ...]) -> Iterator[Diagnostic]:
    """Two things that would be written to the same file."""
    owners: dict[str, Page | Asset] = {}
    made: list[tuple[str, Page | Asset]] = [*((p.url, p) for p in pages), *((a.url, a) for a in assets)]
    for url, owner in made:
        key = url.lower()  # a case-insensitive disk would merge these
        if key in owners:
            where = owner.path if isinstance(owner, Asset) else CONTENT_FOLDER
            yield Diagnostic(
                where,
                0,
                0,
                f"{_named(owner)} and {_named(owners[key])} would both be written to {url}",
                "rename one of them",
            )
        owners[key] = owner


def _named(owner: Page | Asset) -> str:
    """How a message names what a file of the site is made from: a page by its kind and title, an asset by its path."""
    return owner.path if isinstance(owner, Asset) else f"the {owner.kind} page '{owner.title}'"
