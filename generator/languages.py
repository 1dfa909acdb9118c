"""A playbook published in several languages: each language's tree of pages, and what it knows of the others."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .links import relative_url
from .pages import Kind, Page


@dataclass(frozen=True)
class Language:
    """One language of a playbook published in several: its tag, its name, and its tree of pages."""

    tag: str  # as playbook.yaml spells it: `fr`, `pt-BR`
    name: str  # as its speakers write it: `français`
    tree: str  # where its pages are, from the site root: '' for the main language, else `fr/`


@dataclass(frozen=True)
class Languages:
    """The playbook's languages, as one tree of the site sees them."""

    tree: str = ""  # this tree's folder: '' for the main language, else `fr/`
    listed: tuple[Language, ...] = ()  # every language, the main one first; none for a playbook in one language
    untranslated: frozenset[tuple[str, str]] = field(
        default_factory=frozenset
    )  # (kind, id) of what this tree shows untranslated
    original: str = ""  # the main language's tag, for the `lang` of what is shown untranslated
    original_title: str = ""  # the playbook's title in its main language: what saved ticks are filed under
    # By (worksheet id, field id): a choice's options in the main language, which answers are saved as, so
    # an answer given in one language shows in every other.
    saved_options: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """What every page of the tree shows of the other languages: pages are made again when it changes."""
        listed = [(language.tag, language.tree) for language in self.listed]
        return repr((self.tree, listed, self.original, self.original_title, sorted(self.saved_options.items())))

    def option_values(self, worksheet: str, field_id: str, options: tuple[str, ...]) -> tuple[str, ...]:
        """What each option of a choice is saved as: its text in the main language."""
        saved = self.saved_options.get((worksheet, field_id), ())
        return saved if len(saved) == len(options) else options

    def untranslated_on(self, page: Page) -> bool:
        """Whether the page shows a file that has no translation into this tree's language."""
        if page.kind is Kind.CHANGES:
            return ("changelog", "changelog") in self.untranslated
        for kind in ("program", "guide", "worksheet", "checklist"):
            item = getattr(page, kind)
            if item is not None:
                return (kind, item.id) in self.untranslated
        return False

    def alternates(self, page: Page) -> list[tuple[Language, str]]:
        """The page in each language, with its address from this page."""
        here = self.tree + page.url
        return [(language, relative_url(here, language.tree + page.url)) for language in self.listed]


ONE_LANGUAGE = Languages()  # a playbook in a single language
