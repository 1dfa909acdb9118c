"""The site settings: what playbook.yaml says about the whole playbook."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..names import FAVICON
from ..values import FolderSlug, HexColor, Model, Number, Slug, Text
from .looks import Fonts

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


ICON_SUFFIXES = (".svg", ".png")  # what a logo must be for browsers to show it as the site's icon
# An email address (shown as a mailto: link) or a web page with a form.
CONTACT_PATTERN = r"^(?:[^@\s<>\"'/:]+@[^@\s<>\"']+\.[^@\s<>\"']+|https://[^\s<>\"']+)$"
LANGUAGE_PATTERN = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$"
LanguageTag = Annotated[str, Field(pattern=LANGUAGE_PATTERN, description="A BCP 47 language tag, e.g. `fr`.")]


class SiteSettings(Model):
    """The settings in playbook.yaml."""

    title: Text = Field(description="The name of the playbook, shown on every page.")
    organization: str = Field("", description="Who runs the program; shown in the header and footer.")
    description: str = Field("", description="One or two sentences shown on the home page.")
    language: str = Field(
        "en",
        pattern=LANGUAGE_PATTERN,
        description="BCP 47 language tag, e.g. `en-GB`. With `languages`, the main one: it defaults to the first.",
    )
    languages: tuple[LanguageTag, ...] = Field(
        (),
        description="Every language the playbook is published in, the main one first, e.g. `[en, fr]`. "
        "Each other language gets its own tree of pages (`fr/`); translations sit beside the originals "
        "(`vision.fr.yaml`, `getting-started.fr.md`, `playbook.fr.yaml`). Optional.",
    )
    theme: Slug = Field("default", description="Theme name: a folder under `themes/`, or the built-in `default`.")
    base_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s\"'<>]+$",
        description="Where the site will be published, e.g. `https://example.org/mentoring/`. Optional.",
    )
    logo: str | None = Field(None, description="An image under `content/assets/`, e.g. `assets/logo.svg`.")
    contact: str | None = Field(
        None,
        pattern=CONTACT_PATTERN,
        description="Where readers report a problem with the site, such as one with its accessibility: an email "
        "address or an https:// address. Optional; the accessibility page shows it.",
    )
    colors: Colors = Colors()
    extra_css: tuple[str, ...] = Field(
        (),
        description="Stylesheets under `content/assets/` linked on every page after the theme's, so their rules "
        "win, e.g. `[assets/brand.css]`. URLs in them are relative to the file.",
    )
    fonts: Fonts = Fonts()
    start_date: dt.date | None = Field(None, description="When the first meeting happens (YYYY-MM-DD). Optional.")
    public: bool = Field(
        False,
        description="Whether search engines may list the site. Off by default: every page asks not to be "
        "listed (`noindex`) and `robots.txt` turns crawlers away. Pages of cohorts and pairs are never listed.",
    )
    version: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None,
        description='This edition of the playbook, in quotes, e.g. `"2027.1"`: shown in every footer, on '
        "booklet covers and in the PDFs' details. Optional.",
    )
    updated: dt.date | None = Field(
        None,
        description="When this edition was last updated (YYYY-MM-DD), shown beside the version. Optional: "
        "without it, the day of the last git commit that changed the project, when it is in git.",
    )
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

    @model_validator(mode="before")
    @classmethod
    def _main_language(cls, data: Any) -> Any:
        """With `languages` and no `language`, the first of them is the main one."""
        if isinstance(data, dict) and "language" not in data:
            listed = data.get("languages")
            if isinstance(listed, list) and listed and isinstance(listed[0], str):
                return {**data, "language": listed[0]}
        return data

    @field_validator("languages")
    @classmethod
    def _languages_include_the_main_one(cls, value: tuple[str, ...], info: Any) -> tuple[str, ...]:
        folded = [tag.lower() for tag in value]
        repeated = next((tag for index, tag in enumerate(value) if tag.lower() in folded[:index]), None)
        if repeated is not None:
            raise PydanticCustomError("repeated_language", "'{tag}' is listed twice", {"tag": repeated})
        main = info.data.get("language")
        if value and isinstance(main, str) and main.lower() not in folded:
            raise PydanticCustomError(
                "main_language_missing",
                "the main language '{main}' (`language:`) is not in `languages`",
                {"main": main},
            )
        return value

    @property
    def other_languages(self) -> tuple[str, ...]:
        """The languages the playbook is translated into, besides its main one."""
        return tuple(tag for tag in self.languages if tag.lower() != self.language.lower())

    @property
    def icon(self) -> str:
        """The site's icon, as pages link it: the logo when browsers take it as one (SVG or PNG), else the one made."""
        if self.logo is not None and self.logo.lower().endswith(ICON_SUFFIXES):
            return self.logo
        return FAVICON


class RoleTranslation(Model):
    """A role's name and summary in another language."""

    id: FolderSlug = Field(description="The role's id, as playbook.yaml has it: ids are not translated.")
    name: Text = Field(description="How the role is written in this language.")
    summary: str = Field("", description="The role's summary in this language.")


class SettingsTranslation(Model):
    """What `playbook.<lang>.yaml` translates of playbook.yaml: the words readers see, nothing else."""

    title: Text | None = Field(None, description="The playbook's name in this language.")
    organization: str | None = Field(None, description="Who runs the program, in this language.")
    description: str | None = Field(None, description="The home page's sentence or two, in this language.")
    roles: tuple[RoleTranslation, ...] = Field((), description="Role names and summaries in this language, by id.")
    strings: dict[str, Text] = Field(
        default_factory=dict, description="Interface strings to show differently in this language, as in playbook.yaml."
    )

    def applied(self, settings: SiteSettings, language: str) -> SiteSettings:
        """The playbook's settings as they read in `language`."""
        names = {role.id: role for role in self.roles}
        roles = tuple(
            role.model_copy(update={"name": names[role.id].name, "summary": names[role.id].summary or role.summary})
            if role.id in names
            else role
            for role in settings.roles
        )
        texts = {"title": self.title, "organization": self.organization, "description": self.description}
        update = {key: value for key, value in texts.items() if value is not None}
        # playbook.yaml's `strings` are in the main language: this language has its own.
        return settings.model_copy(update={**update, "roles": roles, "language": language, "strings": self.strings})
