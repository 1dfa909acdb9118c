"""The accessibility statement's facts: what this build checked of this site, and what it found.

The statement page (`accessibility.html`) says them in words; these are the numbers and colors behind
them, worked out once the Markdown is rendered. The page is made again only when they change.
"""

from __future__ import annotations

from dataclasses import dataclass

from .contrast import Contrast, accent_contrasts
from .languages import Languages
from .models import Playbook
from .prose import RenderedContent
from .translations import language_name


@dataclass(frozen=True)
class Statement:
    """What the build found that bears on reading this site: colors, images, raw HTML, languages."""

    contrasts: tuple[Contrast, ...] = ()  # the accent against the page, in light and in dark mode
    images: int = 0  # images in the Markdown (guides, changelog, Markdown fields), each text counted once
    described: int = 0  # of them, those with a text alternative
    external_images: int = 0  # of them, those loaded from another site
    raw_html: bool = False  # whether Markdown may hold raw HTML, which the build passes on unchecked
    language: str = ""  # the pages' language, as its speakers name it
    untranslated: int = 0  # files of the playbook this tree shows in the original language

    @property
    def readable(self) -> bool:
        """Whether every accent meets WCAG 2.1 AA as link text."""
        return all(contrast.readable for contrast in self.contrasts)

    @property
    def asks_other_hosts(self) -> bool:
        """Whether some page may load something from another site: an image from there, or raw HTML."""
        return self.external_images > 0 or self.raw_html

    @property
    def digest(self) -> str:
        """Everything the statement says, for the page's fingerprint."""
        return repr(self)


def statement_of(playbook: Playbook, content: RenderedContent, languages: Languages) -> Statement:
    """The statement's facts for one language's tree of the site."""
    settings = playbook.settings
    images = content.images
    return Statement(
        contrasts=accent_contrasts(settings.colors),
        images=len(images),
        described=sum(image.described for image in images),
        external_images=sum(image.external for image in images),
        raw_html=settings.markdown.allow_html,
        language=language_name(settings.language),
        untranslated=len(languages.untranslated),
    )
