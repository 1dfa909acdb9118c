"""The interface's words in the playbook's language: the theme's gettext catalogs, a project's own.

Every string a reader sees that is not content (headings such as "This month", buttons, the
calendar's and the spreadsheet's texts) is an English message id, looked up here. A theme ships
`locale/<lang>.po` for each language it speaks; a project may override single strings in its own
`locale/<lang>.po`. A language without a catalog reads English. The browser gets the messages its
scripts use, translated, as data in the page (`script_words`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

from .errors import Diagnostic
from .formats import number_style
from .names import LOCALE_FOLDER

SCRIPT_KEYWORDS = {"t": (1,), "nt": (1, 2)}  # P.t("message"), P.nt("singular", "plural", n) in the theme's scripts
TEMPLATE_CATALOG = "messages.pot"  # every message of a theme, untranslated: what catalogs are made from
PLURAL_TAGS = ("zero", "one", "two", "few", "many", "other")  # CLDR's, in the order gettext numbers forms


@dataclass(frozen=True)
class Words:
    """The interface's messages in one language, with what the build depends on and what the browser needs."""

    language: str
    translations: NullTranslations
    digest: str = ""  # of every catalog read: a page is made again when one changes
    problems: tuple[Diagnostic, ...] = ()
    plural_tags: tuple[str, ...] = ("one", "other")  # the CLDR category of each gettext plural form
    messages: Mapping[str, Any] = field(default_factory=dict)  # message id -> translation(s), for the browser

    def gettext(self, message: str) -> str:
        """The message in the playbook's language."""
        return str(self.translations.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The message for `n` things in the playbook's language."""
        return str(self.translations.ngettext(singular, plural, n))

    def speak(self, message: str, **values: object) -> str:
        """The message in the playbook's language, with its `%(name)s` fields filled in; numbers as the language
        writes them (`1 234` in French)."""
        text = self.gettext(message)
        return text % number_style(self.language).values(values) if values else text

    def speak_n(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The message for `n` things, with `%(n)s` and the other fields filled in; numbers as the language writes them."""
        return self.ngettext(singular, plural, n) % number_style(self.language).values({"n": n, **values})

    def script_words(self, ids: Iterable[str | tuple[str, str]]) -> dict[str, Any]:
        """The translated messages among `ids` (a script's P.t and P.nt messages), keyed by their English id;
        a plural's forms keyed by CLDR category, as `Intl.PluralRules` names them."""
        found: dict[str, Any] = {}
        for message in ids:
            key = message if isinstance(message, str) else message[0]
            value = self.messages.get(key)
            if value is not None and value != key:
                found[key] = value
        return found


ENGLISH = Words("en", NullTranslations())  # the messages as they are written: the interface's own language

PYTHON_KEYWORDS = {
    "speak": (1,),
    "speak_n": (1, 2),
    "N_": (1,),
}  # words.speak("message"), words.speak_n(...), N_("message")


def N_(message: str) -> str:
    """Mark a message for the catalog where it is written; it is translated (`Words.speak`) where it is shown."""
    return message


def load_words(
    theme_folder: Path, project_root: Path, language: str, strings: Mapping[str, str] | None = None
) -> Words:
    """The interface's words for `language` (a BCP 47 tag): the theme's catalog, then the project's, then
    `strings` (English message id -> the text to show instead, from playbook.yaml), each winning over the one before."""
    catalogs = [
        path
        for folder in (theme_folder / LOCALE_FOLDER, project_root / LOCALE_FOLDER)
        if (path := _catalog_file(folder, language)) is not None
    ]
    if not catalogs and not strings:
        return Words(language, NullTranslations())
    # Imported here: a playbook in English (the theme has no catalog for it) never reads one.
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import PoFileError, read_po

    translations: Translations | None = None
    messages: dict[str, Any] = {}
    hasher = hashlib.blake2b(digest_size=16)
    problems: list[Diagnostic] = []
    tags: tuple[str, ...] = ("one", "other")
    for path in catalogs:
        data = path.read_bytes()
        hasher.update(data)
        try:
            catalog = read_po(io.BytesIO(data), locale=_babel_tag(language), abort_invalid=True)
        except (PoFileError, UnicodeDecodeError, ValueError) as exc:
            line = getattr(exc, "lineno", 0) or 1
            hint = "it is left out; fix it with a .po editor, or compare it with the theme's locale/messages.pot"
            problems.append(Diagnostic(_shown(path, project_root), line, 1, f"cannot read the catalog: {exc}", hint))
            continue
        tags = _plural_tags(language, catalog.num_plurals)
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            if isinstance(message.id, (tuple, list)):
                messages[str(message.id[0])] = dict(zip(tags, message.string))
            else:
                messages[str(message.id)] = message.string
        translations = _merged(translations, _compiled(catalog))  # the project's strings win over the theme's
    if strings:
        # A message with plural forms cannot take one text: `check` reports it, and it is left out here.
        plain = {key: text for key, text in strings.items() if not isinstance(messages.get(key), dict)}
        hasher.update(json.dumps(sorted(strings.items())).encode("utf-8"))
        messages.update(plain)
        translations = _merged(translations, _compiled(Catalog(), plain))
    return Words(language, translations or NullTranslations(), hasher.hexdigest(), tuple(problems), tags, messages)


@dataclass(frozen=True)
class ThemeMessage:
    """What a message of the theme is, beyond its English id."""

    plural: str = ""  # its English plural, for a message with forms for one and for many
    formatted: bool = False  # filled in with `%` wherever it is shown (a template's, or one with fields)


def theme_messages(theme_folder: Path) -> Mapping[str, ThemeMessage] | None:
    """Every message the theme's pages may show, as its `locale/messages.pot` lists them, by English id.
    None for a theme without that file."""
    path = theme_folder / LOCALE_FOLDER / TEMPLATE_CATALOG
    if not path.is_file():
        return None
    return _template_messages(path.read_bytes())


def script_messages(static_folder: Path) -> tuple[str | tuple[str, str], ...]:
    """The messages the theme's scripts ask for with P.t and P.nt, in the order they appear."""
    from babel.messages.extract import extract

    found: dict[str | tuple[str, str], None] = {}
    for path in sorted(static_folder.glob("*.js")):
        # Babel's extract() keeps only the message arguments of each call: P.t("...", { values }) is the message,
        # P.nt("...", "...", n, { values }) the singular and the plural.
        for _line, message, _comments, _context in extract(
            "javascript", io.BytesIO(path.read_bytes()), SCRIPT_KEYWORDS
        ):
            if isinstance(message, str):
                found[message] = None
            elif isinstance(message, tuple) and len(message) == 2 and all(isinstance(part, str) for part in message):
                found[(message[0], message[1])] = None
    return tuple(found)


def _compiled(catalog: Catalog, extra: Mapping[str, str] | None = None) -> Translations:
    """The catalog (with `extra` messages added) as translations to look messages up in."""
    from babel.messages.mofile import write_mo

    for message, text in (extra or {}).items():
        catalog.add(message, text)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def _merged(earlier: Translations | None, later: Translations) -> Translations:
    """The two together, `later`'s messages winning."""
    if earlier is None:
        return later
    earlier.merge(later)
    return earlier


@lru_cache(maxsize=4)
def _template_messages(data: bytes) -> Mapping[str, ThemeMessage]:
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.BytesIO(data))
    except (PoFileError, UnicodeDecodeError, ValueError):
        return MappingProxyType({})
    found: dict[str, ThemeMessage] = {}
    for message in catalog:
        if not message.id:
            continue
        # Jinja's new-style gettext fills in every template message, even one without fields.
        formatted = message.python_format or any(path.endswith(".html") for path, _line in message.locations)
        if isinstance(message.id, (tuple, list)):
            found[str(message.id[0])] = ThemeMessage(str(message.id[1]), formatted)
        else:
            found[str(message.id)] = ThemeMessage("", formatted)
    return MappingProxyType(found)


def _catalog_file(folder: Path, language: str) -> Path | None:
    """The catalog for the tag (`fr-CA.po`), else for its language (`fr.po`)."""
    for name in dict.fromkeys((language, language.split("-")[0])):
        path = folder / f"{name}.po"
        if path.is_file():
            return path
    return None


def _babel_tag(language: str) -> str | None:
    try:
        return str(Locale.parse(language, sep="-"))
    except (UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=16)
def _plural_tags(language: str, count: int) -> tuple[str, ...]:
    """The CLDR category of each gettext plural form: Babel numbers the forms of a language's rule in
    CLDR's order of categories. A catalog with another number of forms is read as English's two."""
    tag = _babel_tag(language)
    used = Locale.parse(tag).plural_form.tags | {"other"} if tag else {"one", "other"}
    tags = tuple(t for t in PLURAL_TAGS if t in used)
    return tags if len(tags) == count else ("one", "other")


def _shown(path: Path, project_root: Path) -> str:
    path = path.resolve()
    return (
        path.relative_to(project_root.resolve()).as_posix()
        if path.is_relative_to(project_root.resolve())
        else path.name
    )
