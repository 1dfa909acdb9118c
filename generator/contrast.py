"""How readable the accent colors are: WCAG 2.1 contrast ratios against the default theme's page background.

The accent is the color of links, so it is text: WCAG 2.1 AA asks 4.5:1 of it against the page. In light
mode the header shows white text on it too, at the same ratio, since the page is white. The colors below
are the default theme's (`themes/default/static/playbook.css`; a test keeps them the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .models import Colors

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#15191d"
DEFAULT_ACCENT = "#1d4f91"
DEFAULT_ACCENT_DARK = "#8cb8f0"
TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, for text of normal size

Scheme = Literal["light", "dark"]


@dataclass(frozen=True)
class Contrast:
    """The accent of one color scheme against that scheme's page background."""

    scheme: Scheme
    color: str  # as a CSS hex color, the way playbook.yaml or the theme gives it
    background: str
    setting: str  # the key of playbook.yaml's `colors:` it comes from, or '' for the theme's default

    @property
    def ratio(self) -> float:
        """The WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
        return contrast_ratio(self.color, self.background)

    @property
    def shown_ratio(self) -> float:
        """The ratio cut (never rounded up) to two decimals, as pages and messages write it."""
        return int(self.ratio * 100) / 100

    @property
    def readable(self) -> bool:
        """Whether text in this color meets WCAG 2.1 AA on the page."""
        return self.ratio >= TEXT_CONTRAST


def accent_contrasts(colors: Colors) -> tuple[Contrast, Contrast]:
    """The accent the pages show in light and in dark mode, each against its page.

    A light `accent` without an `accent_dark` is shown in dark mode too (base.html sets it for both).
    """
    light = Contrast("light", colors.accent or DEFAULT_ACCENT, LIGHT_BACKGROUND, "accent" if colors.accent else "")
    if colors.accent_dark:
        dark = Contrast("dark", colors.accent_dark, DARK_BACKGROUND, "accent_dark")
    elif colors.accent:
        dark = Contrast("dark", colors.accent, DARK_BACKGROUND, "accent")
    else:
        dark = Contrast("dark", DEFAULT_ACCENT_DARK, DARK_BACKGROUND, "")
    return light, dark


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two CSS hex colors (`#abc` or `#aabbcc`)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    """WCAG 2.1's relative luminance of a CSS hex color."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (_linear(int(digits[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
