"""Every word of the theme's templates that a reader sees goes through the message catalog.

Two guards:

* Babel extracts the templates' `_()` and `ngettext()` messages (what `themes/default/locale/messages.pot`
  holds): there are as many as we wrapped, each a literal with new-style `%(name)s` placeholders and no markup.
* The example playbook, built in a made-up language whose catalog writes every message as ⟦message⟧, shows
  no interface word outside the brackets. Each page's text nodes (outside scripts and styles, the `<title>`
  included) and its aria-label, placeholder, title and alt attributes are read; bracketed parts are dropped,
  the rest is cut at wordless separators (" · ", ": ", ", " ...) and numbers, and each piece left must be
  the content's own text (a YAML value, a Markdown file) or have no word at all. Dates are the playbook's
  language's (Babel's), so French month and day names are allowed, and so is the word CLDR's French list
  pattern joins names with ("et"). Covered: every page of the example with a base URL set (home, roles, programs,
  months, meeting cards and packs, booklets, guides, worksheets, checklists, progress, cohorts, their tasks,
  dashboards and pairs, the 404 page). Not covered: what the scripts write (their own P.t / P.nt messages),
  and template branches the example never takes (a value-less `_()` there is still checked by extraction).

Words made in Python and shown by the templates would be listed in PYTHON_SIDE and allowed; none is left
(the last were Markdown's box titles and tables' names, now messages too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from conftest import copy_example
from generator.build import build
from generator.names import LOCALE_FOLDER

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "themes" / "default" / "templates"
METHOD_MAP = [("**.html", "jinja2"), ("**.xml", "jinja2")]
KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2)}
POT = REPO / "themes" / "default" / "locale" / "messages.pot"
ENOUGH = 220  # distinct messages found when the templates were wrapped (233), less a margin
OPEN, CLOSE = "⟦", "⟧"
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
NUMBER = r"\s*\b\d+\b\s*"
HEX_COLOR = r"#(?:[0-9a-fA-F]{3}){1,2}\b"  # a color the accessibility page measured: no word in any language
SKIPPED = ("script", "style", "time")  # a <time> holds a date in the playbook's language, from Babel's CLDR data

# English still made in Python and shown by the templates: (what makes it, a pattern for what it shows).
# Delete a line when its strings move to the catalog; the test then proves they did.
PYTHON_SIDE: tuple[tuple[str, str], ...] = ()
SEPARATORS = r"\s*[·:,;()=&]\s*"  # between a message's or a title's pieces; each piece is then content or wordless


def template_messages() -> list[tuple[str, int, Any]]:
    """(template, line, message) for every `_()` and `ngettext()` in the theme's templates."""
    return [
        (name, line, message)
        for name, line, message, _comments, _context in extract_from_dir(TEMPLATES, METHOD_MAP, keywords=KEYWORDS)
    ]


def python_messages() -> list[tuple[str, int, Any]]:
    """(file, line, message) for every message the generator says in Python (page titles, phrases, calendars)."""
    from generator.interface import PYTHON_KEYWORDS

    package = REPO / "generator"
    return [
        (name, line, message)
        for name, line, message, _comments, _context in extract_from_dir(
            package, [("**.py", "python")], keywords=PYTHON_KEYWORDS
        )
    ]


def message_ids(messages: list[tuple[str, int, Any]]) -> set[str | tuple[str, ...]]:
    return {message if isinstance(message, str) else tuple(message) for _name, _line, message in messages}


def test_the_templates_messages_are_extracted() -> None:
    messages = template_messages()
    ids = message_ids(messages)
    assert len(ids) >= ENOUGH, f"only {len(ids)} messages: were some unwrapped, or did extraction break?"
    problems = []
    for name, line, message in messages:
        texts = [message] if isinstance(message, str) else list(message)
        if any(not isinstance(text, str) for text in texts):
            problems.append(f"{name}:{line}: a message must be a literal string: {message!r}")
            continue
        for text in texts:
            if re.search(r"<\w|&\w+;", text):
                problems.append(f"{name}:{line}: markup belongs outside the message: {text!r}")
            if re.search(r"%(?!\(\w+\)s|%)", text):
                problems.append(f"{name}:{line}: only %(name)s placeholders (and %%): {text!r}")
    assert not problems, "\n".join(problems)


def test_the_template_for_translators_has_every_message() -> None:
    """messages.pot (which the scripts' messages join) lists each template message; regenerate it if not."""
    with POT.open("rb") as file:
        listed = {message.id if isinstance(message.id, str) else tuple(message.id) for message in read_po(file)}
    missing = message_ids(template_messages() + python_messages()) - listed
    assert not missing, f"not in {POT.name} (see locale/README.md to regenerate it): {sorted(map(str, missing))}"


def bracketed_catalog(messages: list[tuple[str, int, Any]]) -> Catalog:
    """A catalog for French that writes each message as ⟦message⟧; a plural's other forms are its plural's."""
    catalog = Catalog(locale="fr")
    for message in message_ids(messages):
        if isinstance(message, str):
            catalog.add(message, OPEN + message + CLOSE)
        else:
            singular, plural = (OPEN + text + CLOSE for text in message[:2])
            catalog.add(message, (singular, *[plural] * (catalog.num_plurals - 1)))
    return catalog


def content_strings(project: Path) -> list[str]:
    """Every text the example's author wrote: YAML values and Markdown files, whitespace collapsed."""
    found: list[str] = []

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    for path in sorted([project / "playbook.yaml", *(project / "content").rglob("*")]):
        if path.suffix in (".yaml", ".yml"):
            found.extend(walk(yaml.safe_load(path.read_text(encoding="utf-8"))))
        elif path.suffix == ".md":
            found.append(path.read_text(encoding="utf-8"))
    return [plain(text) for text in found if text.strip()]


def plain(text: str) -> str:
    """Whitespace collapsed and typographic quotes made straight, as Markdown may have made them curly."""
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())


class ShownText(HTMLParser):
    """A page's text nodes outside scripts and styles, and the attributes a reader (or screen reader) gets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []  # in page order: a message's placeholder may hold elements with text of their own
        self.attributes: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.attributes.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.texts.append(data)


def outside_brackets(text: str) -> str:
    """The text with every ⟦…⟧ (nested ones too) replaced by a break; unbalanced brackets fail."""
    kept, depth = [], 0
    for char in text:
        if char == OPEN:
            depth += 1
            kept.append("\n")
        elif char == CLOSE:
            depth -= 1
            assert depth >= 0, f"a ⟧ without its ⟦ in {text!r}"
        elif depth == 0:
            kept.append(char)
    assert depth == 0, f"a ⟦ without its ⟧ in {text!r}"
    return "".join(kept)


@pytest.fixture(scope="module")
def bracketed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example playbook in French with the bracketing catalog, with a base URL (so 404.html and sitemap.xml)."""
    root = tmp_path_factory.mktemp("words")
    project = copy_example(root, (r"^language: en$", "language: fr"), (r"^# base_url: (\S+).*$", r"base_url: \1"))
    (project / LOCALE_FOLDER).mkdir()
    with (project / LOCALE_FOLDER / "fr.po").open("wb") as file:
        write_po(file, bracketed_catalog(template_messages() + python_messages()))
    return project, build(project, root / "site", cache=False).out_dir


def test_no_interface_word_is_outside_the_catalog(bracketed_site: tuple[Path, Path]) -> None:
    project, site = bracketed_site
    content = "\n".join(content_strings(project))
    numberless = re.sub(NUMBER, " ", content)
    french = Locale.parse(
        "fr"
    )  # dates are in the playbook's language: its month and day names are no English left over
    names = [*french.months["format"]["wide"].values(), *french.days["format"]["wide"].values()]
    # Lists of names are joined by the language's CLDR list patterns ("Mentor et Protégé"), not by a message.
    names += sorted(
        {w for p in french.list_patterns["standard"].values() for w in re.findall(r"\w+", p) if not w.isdigit()}
    )
    allowed = re.compile(
        "|".join([*(f"(?:{pattern})" for _what, pattern in PYTHON_SIDE), *(rf"\b{n}\b" for n in names)])
    )
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40 and (site / "404.html").is_file()
    problems: dict[str, str] = {}  # what is left -> the first page and text it is left in
    unbracketed_pages = []
    for page in pages:
        parser = ShownText()
        parser.feed(page.read_text(encoding="utf-8"))
        if not any(OPEN in text for text in parser.texts):
            unbracketed_pages.append(page.relative_to(site).as_posix())
        for text in ("\n".join(parser.texts), *parser.attributes):
            for part in outside_brackets(text).split("\n"):
                part = plain(part)
                if not part or part in content:
                    continue
                for piece in re.split(SEPARATORS, allowed.sub("·", part)):
                    # "Meeting notes 3": a title and a number; "#ffffff": a color
                    piece = re.sub(NUMBER, " ", re.sub(HEX_COLOR, " ", piece)).strip(" .")
                    if re.search(r"[A-Za-z]{3,}", piece) and piece not in numberless:
                        problems.setdefault(piece, f"{page.relative_to(site).as_posix()}: {part!r}")
    assert not unbracketed_pages, f"pages without a single message: {unbracketed_pages}"
    assert not problems, "words outside the catalog and the content:\n" + "\n".join(
        f"{piece!r} ({where})" for piece, where in sorted(problems.items())
    )


# --- The theme's own catalogs ---------------------------------------------------------------------

SHIPPED = ("fr", "de", "es", "ar")
LOCALE = REPO / "themes" / "default" / "locale"


def english_fragments(catalog: Catalog) -> dict[str, str]:
    """For each message translated differently from its English: the English pieces between its fields
    that are long enough to tell (two words or more), each mapped to the message."""
    found: dict[str, str] = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for english in ids:
            if english in strings:
                continue  # the same in both languages
            for piece in re.split(r"%\(\w+\)s", english):
                piece = plain(piece).strip(" .,:;·()")
                if len(re.findall(r"[A-Za-z]+", piece)) >= 2:
                    found[piece] = ids[0]
    return found


@pytest.mark.parametrize("language", SHIPPED)
def test_a_playbook_in_a_shipped_language_shows_no_english_interface(
    language: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with (LOCALE / f"{language}.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy or not all(m.string))]
    assert not untranslated, f"{language}.po leaves {len(untranslated)} messages untranslated: {untranslated[:5]}"
    root = tmp_path_factory.mktemp(f"in-{language}")
    project = copy_example(root, (r"^language: en$", f"language: {language}"))
    site = build(project, root / "site", cache=False).out_dir
    content = "\n".join(content_strings(project))  # the example's own words are English, and stay so
    fragments = {piece: m for piece, m in english_fragments(catalog).items() if piece not in content}
    assert len(fragments) > 150
    left: dict[str, str] = {}
    for page in sorted(site.rglob("*.html")):
        parser = ShownText()
        parser.feed(page.read_text(encoding="utf-8"))
        shown = plain(" ".join([*parser.texts, *parser.attributes]))
        for piece, message in fragments.items():
            if piece in shown:
                left.setdefault(message, page.relative_to(site).as_posix())
    assert not left, f"English from the catalog on {language} pages: {left}"


# Fields a message is given beside those its English names: a role's name as written, for a language
# that capitalizes nouns (the English says it in lower case).
EXTRA_FIELDS = {"role": {"role_name"}, "roles": {"roles_name"}, "role_lower": {"role"}, "names": {"names_written"}}


@pytest.mark.parametrize("language", SHIPPED)
def test_a_shipped_catalog_fills_only_the_fields_its_message_is_given(language: str) -> None:
    with (LOCALE / f"{language}.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    field = re.compile(r"%\((\w+)\)s")
    assert catalog.num_plurals == len(Locale.parse(language).plural_form.tags | {"other"})
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        english = " ".join([message.id] if isinstance(message.id, str) else message.id)
        given = set(field.findall(english))
        given |= {extra for name in given for extra in EXTRA_FIELDS.get(name, ())}
        for text in [message.string] if isinstance(message.string, str) else message.string:
            unknown = set(field.findall(text)) - given
            if unknown or re.search(r"%(?!\(\w+\)s|%)|<\w", text):
                wrong.append(f"{message.id!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)
