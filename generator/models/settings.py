"""The site settings: what playbook.yaml says about the whole playbook."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ..values import FolderSlug, HexColor, Model, Number, Slug, Text

# --- Site settings (playbook.yaml) --------------------------------------------


class Role(Model):
    """A part people play in the program, e.g. mentor or protégé."""

    id: FolderSlug
    name: Text = Field(description="How the role is written on pages, e.g. `Protégé`.")
    summary: str = Field("", description="One sentence on what this role is for.")


class Colors(Model):
    """Brand colors; each sets a CSS custom property of the theme."""

    accent: HexColor | None = Field(None, description="Links, buttons and highlights in light mode.")
    accent_dark: HexColor | None = Field(None, description="The same in dark mode; keep it light enough to read.")


class PrintSettings(Model):
    """How printed pages and booklets are laid out."""

    page_size: Literal["A4", "Letter"] = Field("A4", description="Paper size for printing.")


class MarkdownSettings(Model):
    """How Markdown is turned into HTML."""

    allow_html: bool = Field(
        False,
        description="Pass raw HTML in Markdown through. Off by default: HTML is shown as text.",
    )


DEFAULT_MAX_FILE_MB = 10


class LimitSettings(Model):
    """Bounds on what a build will read, so one wrong file cannot stall it or exhaust memory."""

    max_file_mb: Number = Field(
        DEFAULT_MAX_FILE_MB,
        gt=0,
        le=1024,
        description="The largest file (content or asset) a build reads, in megabytes. Larger files are errors.",
    )


class SiteSettings(Model):
    """The settings in playbook.yaml."""

    title: Text = Field(description="The name of the playbook, shown on every page.")
    organization: str = Field("", description="Who runs the program; shown in the header and footer.")
    description: str = Field("", description="One or two sentences shown on the home page.")
    language: str = Field(
        "en", pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", description="BCP 47 language tag, e.g. `en-GB`."
    )
    theme: Slug = Field("default", description="Theme name: a folder under `themes/`, or the built-in `default`.")
    base_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s\"'<>]+$",
        description="Where the site will be published, e.g. `https://example.org/mentoring/`. Optional.",
    )
    logo: str | None = Field(None, description="An image under `content/assets/`, e.g. `assets/logo.svg`.")
    colors: Colors = Colors()
    start_date: dt.date | None = Field(None, description="When the first meeting happens (YYYY-MM-DD). Optional.")
    print: PrintSettings = PrintSettings()
    markdown: MarkdownSettings = MarkdownSettings()
    limits: LimitSettings = LimitSettings()
    roles: tuple[Role, ...] = Field(min_length=1, description="The roles of the program, in the order to show them.")
    strings: dict[str, Text] = Field(
        default_factory=dict,
        description="Interface strings to show differently: the English message (as the theme's "
        "`locale/messages.pot` writes it) -> the text to show instead, in the playbook's language. "
        "Wins over the theme's catalog and the project's `locale/<lang>.po`. A message with plural forms "
        "goes in `locale/<lang>.po`.",
    )
