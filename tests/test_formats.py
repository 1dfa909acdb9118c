"""Numbers and lists read the same in the playbook's language whether the build wrote them (Babel's CLDR
data, generator/formats.py) or a script did (`Intl`, through store.js's P.number and P.list), in a real
Chromium; and a French playbook shows them the French way on its pages and in what its scripts write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_dashboard import DASHBOARD, backup, import_files, open_dashboard, write

from conftest import REPO, copy_example
from generator.build import build
from generator.formats import number_style
from generator.interface import Words, load_words

STORE_JS = REPO / "themes" / "default" / "static" / "store.js"
LANGUAGES = ("en", "fr", "de", "es", "ar", "fr-CA")
NUMBERS = (0, 7, 12, 1234, 12345, 1234567, 0.5, 1.5)
NAMES = (("Mentor",), ("Mentor", "Protégé"), ("Mentor", "Protégé", "Program lead"))


@pytest.mark.parametrize(
    ("language", "number", "written"),
    [
        ("en", 1234567, "1,234,567"),
        ("fr", 1234, "1\u202f234"),  # a narrow no-break space between the groups
        ("fr-CA", 1234, "1\u00a0234"),  # Canada's French uses the wider no-break space
        ("de", 1234, "1.234"),
        ("es", 1234, "1234"),  # CLDR's Spanish groups only from five digits
        ("es", 12345, "12.345"),
        ("es-MX", 1234, "1,234"),  # ...but Latin American Spanish groups from four
        ("ar", 1234.5, "1,234.5"),
        ("ar-EG", 1234, "1,234"),  # Latin digits, as the dates on the pages have them
        ("xx-unknown", 1234, "1,234"),  # a language Babel does not know reads as English
    ],
)
def test_numbers_read_as_the_language_writes_them(language: str, number: float, written: str) -> None:
    assert number_style(language).number(number) == written


def test_lists_use_the_languages_own_pattern() -> None:
    names = NAMES[2]
    assert number_style("en").list_of(names) == "Mentor, Protégé, and Program lead"
    assert number_style("en-GB").list_of(names) == "Mentor, Protégé and Program lead"
    assert number_style("fr").list_of(names[:2]) == "Mentor et Protégé"
    assert number_style("de").list_of(names) == "Mentor, Protégé und Program lead"
    assert number_style("es").list_of(names[:1]) == "Mentor"


def test_a_message_writes_its_numbers_in_the_language() -> None:
    french = load_words(REPO / "themes" / "default", REPO, "fr")
    assert french.speak("Month %(number)s: %(title)s", number=1234, title="Bilan") == "Mois 1\u202f234\u00a0: Bilan"
    assert "1\u202f234" in french.speak_n("%(n)s day", "%(n)s days", 1234)
    assert Words("en", french.translations).speak("%(n)s", n=True) == "True"  # a yes/no is not a number


def browser_formats(page: Any, language: str) -> dict[str, Any]:
    """What store.js's P.number and P.list write in a page of `language`."""
    page.set_content(f'<!doctype html><html lang="{language}"><head></head><body></body></html>')
    page.add_script_tag(path=str(STORE_JS))
    found: dict[str, Any] = page.evaluate(
        "([numbers, names]) => ({numbers: numbers.map(n => Playbook.number(n)), lists: names.map(l => Playbook.list(l)),"
        " message: Playbook.nt('%(n)s day', '%(n)s days', 1234)})",
        [list(NUMBERS), [list(n) for n in NAMES]],
    )
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_browser_writes_what_the_build_writes(page: Any, language: str) -> None:
    style = number_style(language)
    found = browser_formats(page, language)
    assert found["numbers"] == [style.number(n) for n in NUMBERS]
    assert found["lists"] == [style.list_of(names) for names in NAMES]
    assert found["message"] == f"{style.number(1234)} days"  # P.nt writes its number the same way
    assert not page.errors


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example playbook with `language: fr`."""
    root = tmp_path_factory.mktemp("french")
    project = copy_example(root, (r"^language: en$", "language: fr"))
    return build(project, root / "site", cache=False).out_dir


def test_a_french_page_joins_names_the_french_way(french_site: Path) -> None:
    page = (french_site / "guides/lead/mentoring-agreement/index.html").read_text(encoding="utf-8")
    assert number_style("fr").list_of(["Program lead", "Mentor", "Protégé"]) == "Program lead, Mentor et Protégé"
    assert "Program lead, Mentor et Protégé" in page
    booklet = (french_site / "programs/twelve-months/booklet/index.html").read_text(encoding="utf-8")
    assert "Utilisée aux mois 1, 7 et 12." in booklet


def test_the_french_dashboard_lists_imported_pairs_the_french_way(page: Any, french_site: Path, tmp_path: Path) -> None:
    pairs = {"amara-and-jon": "Amara Osei & Jon Whitaker", "beatriz-and-lena": "Beatriz Núñez & Lena Fischer"}
    files = [write(tmp_path, f"{pair}.json", backup(french_site, {"pair:spring-2027": pair})) for pair in pairs]
    assert (french_site / DASHBOARD).is_file()
    open_dashboard(page, french_site)
    report = import_files(page, files)
    names = number_style("fr").list_of(pairs.values())
    assert names == "Amara Osei & Jon Whitaker et Beatriz Núñez & Lena Fischer"
    assert report == f"Fichiers importés\u00a0: 2 sur 2 ({names})."
    assert not page.errors
