"""How a playbook looks beyond its theme's defaults: a theme's own theme.yaml, and fonts from the project."""

from __future__ import annotations

import posixpath
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from ..values import Model, Slug

FONT_FAMILY_PATTERN = r"^[A-Za-z0-9]+([ -][A-Za-z0-9]+)*$"
FONT_WEIGHT_PATTERN = r"^(1000|[1-9][0-9]{0,2})( (1000|[1-9][0-9]{0,2}))?$"  # 1 to 1000, or a range
# What `@font-face`'s `format()` calls each kind of font file.
FONT_FORMATS = {".woff2": "woff2", ".woff": "woff", ".ttf": "truetype", ".otf": "opentype"}


class ThemeManifest(Model):
    """What `themes/<name>/theme.yaml` says about a theme: its name, what it is for, and the theme it builds on."""

    name: str = Field("", description="The theme's name as people say it, e.g. `Northwind`. Optional.")
    description: str = Field("", description="What the theme is for, in a sentence. Optional.")
    extends: Slug | None = Field(
        None,
        description="The theme this one builds on: `default`, or another theme under `themes/`. Every template "
        "and static file this theme does not have comes from it, and its templates can be extended as "
        "`<name>/<template>`, e.g. `default/base.html`.",
    )


FontFamily = Annotated[
    str,
    Field(
        pattern=FONT_FAMILY_PATTERN,
        description="The name pages know the font by, e.g. `Inter`: letters, digits, single spaces and hyphens.",
    ),
]


def _number_as_text(value: Any) -> Any:
    """`weight: 700` as YAML reads it (a number) is the text `700`; a range (`100 900`) is text already."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


WEIGHT_HELP = (
    "The weight the file holds, e.g. `700`, or a variable font's range, e.g. `100 900`. "
    "Without it, the file is the regular weight and browsers make bold from it."
)
FontWeight = Annotated[
    str,
    Field(pattern=FONT_WEIGHT_PATTERN),
    BeforeValidator(_number_as_text),
    # What editors check: a number, or a range as text (YAML reads `100 900` as text, `700` as a number).
    WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": FONT_WEIGHT_PATTERN}], "description": WEIGHT_HELP}
    ),
]


class Font(Model):
    """One font file from the project, and the name pages use for it."""

    file: str = Field(
        description="A font file under `content/assets/`: `.woff2`, `.woff`, `.ttf` or `.otf`, "
        "e.g. `assets/fonts/Inter.woff2`. A variable font holds every weight in one file (see `weight`)."
    )
    family: FontFamily
    weight: FontWeight | None = None

    @property
    def format(self) -> str:
        """The file's format as `@font-face` names it, e.g. `woff2`."""
        return FONT_FORMATS.get(posixpath.splitext(self.file)[1].lower(), "")


class Fonts(Model):
    """The fonts of the pages (and the booklets), from files in the project; the system's fonts stand in for any
    that is not set, and while a font loads."""

    body: Font | None = Field(None, description="The font of the text.")
    headings: Font | None = Field(None, description="The font of headings; the body's when not set.")

    @property
    def faces(self) -> tuple[Font, ...]:
        """Each font to declare with `@font-face`, once."""
        return tuple({(f.file, f.family, f.weight): f for f in (self.body, self.headings) if f is not None}.values())
