"""Every word the theme's scripts write for a reader is a message (P.t / P.nt), in the playbook's language."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_javascript
from babel.messages.pofile import read_po, write_po

from conftest import REPO
from generator.interface import SCRIPT_KEYWORDS, script_messages

STATIC = REPO / "themes" / "default" / "static"
SCRIPTS = sorted(STATIC.glob("*.js"))

# Literals a reader may meet that are not the interface's words: key names, and the calendar file's product id.
NOT_WORDS = {"use strict", "ArrowDown", "ArrowUp", "Enter", "Escape", "PRODID:-//Playbook//Mentoring playbook//EN"}


def test_babel_finds_the_scripts_messages() -> None:
    found = [
        (path.name, message)
        for path in SCRIPTS
        for _line, function, message, _comments in extract_javascript(
            io.BytesIO(path.read_bytes()), SCRIPT_KEYWORDS, [], {}
        )
    ]
    plurals = [
        message
        for _name, message in found
        if isinstance(message, tuple) and len(message) >= 2 and isinstance(message[1], str)
    ]
    assert len(found) >= 130 and len(plurals) >= 15
    assert {name for name, _message in found} >= {
        "store.js",
        "progress.js",
        "worksheets.js",
        "checklists.js",
        "calendar.js",
        "search.js",
        "guides.js",
        "cohort.js",
        "dashboard.js",
        "pair.js",
    }  # lens.js writes no words
    # What the build sends the browser: each message once, a P.t("...", { values }) by its text alone.
    messages = script_messages(STATIC)
    assert len(messages) >= 120
    assert "Not started" in messages and "Now in month %(month)s of %(count)s." in messages
    assert ("%(n)s of %(total)s ticked", "%(n)s of %(total)s ticked") in messages
    assert ("%(n)s result for “%(query)s”", "%(n)s results for “%(query)s”") in messages


def test_the_theme_catalog_template_has_every_script_message() -> None:
    with (REPO / "themes" / "default" / "locale" / "messages.pot").open("rb") as file:
        template = read_po(file)
    for message in script_messages(STATIC):
        key = message if isinstance(message, str) else message[0]
        assert key in template, key
        if not isinstance(message, str):
            assert template[key].id == message


# --- No word left outside P.t / P.nt -------------------------------------------

REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"", "return", "typeof"}
SINK_CALLS = {"say", "confirm", "alert", "Error", "append", "prepend", "replaceChildren"}
TEXT_ARGUMENT = {"element": 1, "link": 1}  # element(tag, text, class), link(url, text)
SELECTOR_CALLS = {"querySelector", "querySelectorAll", "closest", "matches", "getElementById"}
SHOWN_ATTRIBUTES = {"aria-label", "aria-description", "title", "alt", "placeholder"}
ASSIGNED = re.compile(r"\.(textContent|innerText|title|placeholder|ariaLabel|alt)\s*\+?=[^;]*$")


def literals(source: str) -> list[tuple[int, str, list[tuple[str | None, int, list[str]]]]]:
    """Every string literal of a script as (offset, text, calls): each call it is in, innermost last, as
    (name, which argument, the literals before it in the call). Comments and regular expressions are skipped."""
    found: list[tuple[int, str, list[tuple[str | None, int, list[str]]]]] = []
    stack: list[list[Any]] = []  # [name or None for a bracket, argument number, literals so far]
    i, last = 0, ""
    while i < len(source):
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i) % (len(source) + 1)
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "\"'`":
            j = i + 1
            while source[j] != c:
                j += 2 if source[j] == "\\" else 1
            text = source[i + 1 : j]
            found.append((i, text, [(frame[0], frame[1], list(frame[2])) for frame in stack if frame[0] != "["]))
            if stack:
                stack[-1][2].append(text)
            i, last = j + 1, "string"
        elif c == "/" and last in REGEX_AFTER:
            j, in_class = i + 1, False
            while in_class or source[j] != "/":
                j += 1 if source[j] == "\\" else 0
                in_class = (in_class or source[j] == "[") and source[j] != "]"
                j += 1
            i, last = j + 1, "regex"
            while source[i].isalpha():
                i += 1
        elif c.isalpha() or c in "_$":
            word = re.compile(r"[\w$]+").match(source, i)
            assert word is not None
            last, i = word.group(), word.end()
        else:
            if c == "(":
                stack.append([last if re.fullmatch(r"[A-Za-z_$][\w$]*", last) else None, 0, []])
            elif c in "[{":
                stack.append(["[", 0, []])
            elif c in ")]}":
                stack.pop()
            elif c == "," and stack:
                stack[-1][1] += 1
            if not c.isspace():
                last = c
            i += 1
    return found


def unwrapped(source: str) -> list[str]:
    """The literals of a script a reader would see that no P.t / P.nt call holds."""
    left = []
    for offset, text, calls in literals(source):
        name, argument, before = calls[-1] if calls else (None, 0, [])
        if name in ("t", "nt") or name in SELECTOR_CALLS or text in NOT_WORDS or not re.search(r"[A-Za-z]{2}", text):
            continue
        ahead, behind = source[offset + len(text) + 2 :], source[:offset]
        if re.match(r"\s*[=!]==", ahead) or re.search(r"[=!]==\s*$", behind):
            continue  # compared with: a value, not a text
        if re.match(r"\s*:", ahead) and re.search(r"[{,]\s*$", behind):
            continue  # an object's key
        prose = re.search(r"\b[A-Za-z][a-z]* [a-z]+\b", text) and not re.search(r"--|__", text)
        capitalized = re.fullmatch(r"[A-Z][a-z]+[.:]?", text)
        shown = (
            name in SINK_CALLS
            or TEXT_ARGUMENT.get(name or "") == argument
            or (name == "setAttribute" and argument == 1 and before[:1] and before[0] in SHOWN_ATTRIBUTES)
            or ASSIGNED.search(source[max(0, offset - 300) : offset])
        )
        if prose or capitalized or shown:
            left.append(f"line {source.count(chr(10), 0, offset) + 1}: {text!r}")
    return left


def test_the_word_guard_finds_words_outside_messages() -> None:
    source = """
      status.textContent = "Saved.";
      say(kept ? "Kept" : t("Not kept"));
      button.setAttribute("aria-label", "Close");
      list.append(element("li", "none yet", "empty"), link(url, t("See all")));
      const header = ["pair id", "month"];
      status.textContent = t("Saved %(name)s.", { name: "Notes" }) + " " + P.nt("%(n)s pair", "%(n)s pairs", n);
      const pattern = /["\\/]it's "quoted"/g; // "a comment"
      tag.className = "tag tag--in-progress";
      label.textContent = side === "previous" ? t("Previous") : { "in-progress": t("In progress") }[side];
      row.querySelector("tbody tr").textContent = t("Next");
    """
    assert unwrapped(source) == [
        "line 2: 'Saved.'",
        "line 3: 'Kept'",
        "line 4: 'Close'",
        "line 5: 'none yet'",
        "line 6: 'pair id'",
    ]


@pytest.mark.parametrize("script", SCRIPTS, ids=[path.name for path in SCRIPTS])
def test_no_word_a_reader_sees_is_left_outside_a_message(script: Path) -> None:
    assert unwrapped(script.read_text(encoding="utf-8")) == []


def test_the_word_guard_reads_every_script_whole() -> None:
    # The scanner's stack of calls ends empty in every file: no regular expression or string was misread.
    for script in SCRIPTS:
        source = script.read_text(encoding="utf-8")
        texts = [text for _offset, text, _calls in literals(source)]
        assert "use strict" in texts, script.name
        assert all("\n" not in text for text in texts), script.name


# --- The words reach the scripts, with the language's plural forms -----------

FR_CHECKLIST = "checklists/first-meeting/index.html"


def french_catalog() -> bytes:
    """A project's locale/fr.po as Babel writes one for French: three plural forms (one, many, other)."""
    catalog = Catalog(locale="fr")
    catalog.add("Not started", "Pas commencé")
    catalog.add("In progress", "En cours")
    catalog.add("Next", "Suivant")
    catalog.add(
        ("%(n)s of %(total)s ticked", "%(n)s of %(total)s ticked"),
        ("%(n)s sur %(total)s cochée", "%(n)s sur %(total)s cochées (beaucoup)", "%(n)s sur %(total)s cochées"),
    )
    catalog.add(
        ("%(answered)s of %(n)s question answered", "%(answered)s of %(n)s questions answered"),
        (
            "%(answered)s sur %(n)s question répondue",
            "%(answered)s sur %(n)s questions répondues (beaucoup)",
            "%(answered)s sur %(n)s questions répondues",
        ),
    )
    out = io.BytesIO()
    write_po(out, catalog)
    return out.getvalue()


@pytest.fixture(scope="module")
def french_site(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.build import build

    root = tmp_path_factory.mktemp("french") / "project"
    shutil.copytree(example_project, root, ignore=shutil.ignore_patterns("_site"))
    config = root / "playbook.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    config.write_text(text.replace("\nlanguage: en\n", "\nlanguage: fr\n"), encoding="utf-8")
    (root / "locale").mkdir()
    (root / "locale" / "fr.po").write_bytes(french_catalog())
    out = tmp_path_factory.mktemp("french-site") / "site"
    build(root, out, cache=False)
    return out


def test_the_french_catalog_has_three_plural_forms() -> None:
    catalog = read_po(io.BytesIO(french_catalog()), locale="fr")
    assert catalog.num_plurals == 3 and "nplurals=3" in catalog.plural_forms


def test_a_checklist_counts_in_french_with_the_right_plural_form(page: Any, french_site: Path) -> None:
    page.goto(f"{french_site.as_uri()}/{FR_CHECKLIST}")
    assert page.evaluate("document.documentElement.lang") == "fr"
    boxes = page.locator("form.checklist input[type=checkbox]")
    total = boxes.count()
    progress = page.locator(".toolbar .progress")
    # French reads 0 and 1 as "one", 2 as "other".
    assert progress.inner_text().lower() == f"pas commencé 0 sur {total} cochée"
    boxes.nth(0).check()
    assert progress.inner_text().lower() == f"en cours 1 sur {total} cochée"
    boxes.nth(2).check()
    assert progress.inner_text().lower() == f"en cours 2 sur {total} cochées"
    assert page.errors == []


def test_the_progress_page_speaks_french(page: Any, french_site: Path) -> None:
    page.goto(f"{french_site.as_uri()}/worksheets/vision/index.html")
    page.fill("#vision-current-role", "Cheffe de produit")
    page.goto(f"{french_site.as_uri()}/progress/index.html")
    vision = page.locator("[data-answers$=':vision']").first
    assert re.fullmatch(r"1 sur \d+ questions répondues", vision.inner_text())  # "other": French's "one" is 0 and 1
    others = page.locator("[data-answers]").all_inner_texts()
    assert "Pas commencé" in others and "Not started" not in others
    assert page.errors == []


def test_a_guide_pager_speaks_french(page: Any, french_site: Path) -> None:
    page.goto(f"{french_site.as_uri()}/guides/protege/why-not-your-manager/index.html")
    assert "Suivant" in page.locator("[data-guide-pager]").inner_text()
    assert page.errors == []


def test_english_pages_carry_no_words_for_the_scripts(example_site: Path) -> None:
    # English is the messages' own language: nothing to send, and the scripts use the text they hold.
    assert 'id="interface-words"' not in (example_site / FR_CHECKLIST).read_text(encoding="utf-8")
