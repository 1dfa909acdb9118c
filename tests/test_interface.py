"""The interface's words: catalogs read with Babel for the playbook's language, a project's own strings
winning over the theme's, English without a catalog, and pages made again when a catalog changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run
from generator.build import build
from generator.interface import load_words, theme_messages
from generator.theme import create_environment, find_theme, use_words

FRENCH = """msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"

msgid "Home"
msgstr "Accueil"

msgid "%(num)s pair"
msgid_plural "%(num)s pairs"
msgstr[0] "%(num)s binôme"
msgstr[1] "%(num)s de binômes"
msgstr[2] "%(num)s binômes"
"""


def catalog(folder: Path, language: str, text: str) -> None:
    (folder / "locale").mkdir(parents=True, exist_ok=True)
    (folder / "locale" / f"{language}.po").write_text(text, encoding="utf-8")


def test_a_project_catalog_translates_templates_with_plurals(tmp_path: Path) -> None:
    catalog(tmp_path, "fr", FRENCH)
    theme = find_theme(tmp_path, "default")
    assert theme is not None
    env = create_environment(theme)
    template = env.from_string(
        '{{ _("Home") }} · {{ ngettext("%(num)s pair", "%(num)s pairs", n) }} · {{ _("Other") }}'
    )
    assert template.render(n=4) == "Home · 4 pairs · Other"  # English until the language is spoken

    words = load_words(theme.folder, tmp_path, "fr-CA")  # the tag's base language when it has no catalog of its own
    use_words(env, words, theme.folder / "static")
    assert template.render(n=1) == "Accueil · 1 binôme · Other"  # a missing string reads in English
    assert template.render(n=4) == "Accueil · 4 binômes · Other"
    assert words.plural_tags == ("one", "many", "other")
    assert words.script_words(["Home", "Other", ("%(num)s pair", "%(num)s pairs")]) == {
        "Home": "Accueil",
        "%(num)s pair": {"one": "%(num)s binôme", "many": "%(num)s de binômes", "other": "%(num)s binômes"},
    }


def test_a_value_in_a_message_is_escaped(tmp_path: Path) -> None:
    theme = find_theme(tmp_path, "default")
    assert theme is not None
    env = create_environment(theme)
    rendered = env.from_string('{{ _("Hello %(name)s", name=who) }}').render(who="<script>x</script>")
    assert rendered == "Hello &lt;script&gt;x&lt;/script&gt;"


def test_the_project_wins_over_the_theme_and_a_damaged_catalog_is_reported(tmp_path: Path) -> None:
    theme_folder = tmp_path / "theme"
    catalog(theme_folder, "fr", FRENCH)
    project = tmp_path / "project"
    catalog(project, "fr", FRENCH.replace('msgstr "Accueil"', 'msgstr "Page d’accueil"'))
    assert load_words(theme_folder, project, "fr").gettext("Home") == "Page d’accueil"

    for damaged in ('msgid "Home"\n', "\udcff"):  # a message without its translation; bytes that are not UTF-8
        (project / "locale" / "fr.po").write_bytes(damaged.encode("utf-8", "surrogateescape"))
        words = load_words(theme_folder, project, "fr")
        assert [(p.path, p.severity) for p in words.problems] == [("locale/fr.po", "error")]
        assert words.gettext("Home") == "Accueil"  # the theme's catalog still speaks

    english = load_words(theme_folder, project, "de")  # no catalog at all: English
    assert english.gettext("Home") == "Home" and english.digest == ""


def test_changing_a_catalog_makes_the_pages_again(project: Callable[..., Path]) -> None:
    root = project({"locale/fr.po": FRENCH})
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "language: fr\n", encoding="utf-8")
    first = build(root)
    again = build(root)
    assert first.rendered > 0 and again.rendered == 0
    (root / "locale" / "fr.po").write_text(FRENCH.replace("Accueil", "Début"), encoding="utf-8")
    changed = build(root)
    assert changed.rendered == first.rendered  # every page says something in the language


def test_phrases_built_from_content_read_as_the_models_english_ones_and_name_weekdays_in_the_language() -> None:
    from pydantic import TypeAdapter

    from generator.interface import ENGLISH, Words
    from generator.models import Program
    from generator.recurrence import Recurrence
    from generator.values import When
    from generator.wording import repeat_label, rule_label, timing_label

    month = {"number": 1, "title": "a", "goal": "g", "agenda": [{"topic": "x", "owner": "mentor"}]}
    schedules = [{"every": "month", "on": on} for on in ("second thursday", "last friday", "day 14", "thursday")]
    for schedule in [*schedules, {"every": "week"}, {"every": "fortnight", "on": "monday"}]:
        program = Program.model_validate({"title": "t", "summary": "s", "months": [month], "schedule": schedule})
        assert rule_label(ENGLISH, program) == program.rule_label
    for text in ("before", "during", "after", "month 3", "+2 weeks", "-3 days", "+1 day", "+10 days"):
        timing = TypeAdapter(When).validate_python(text)
        assert timing_label(ENGLISH, timing) == timing.label
    for text in ("after-each-meeting", "every 60 days", "every 60 days from day 30", "every 8 weeks", "day 30"):
        rule = TypeAdapter(Recurrence).validate_python(text)
        assert repeat_label(ENGLISH, rule) == rule.label

    french = Words("fr", ENGLISH.translations)
    program = Program.model_validate({"title": "t", "summary": "s", "months": [month], "schedule": schedules[0]})
    assert rule_label(french, program) == "every month on the second jeudi"  # Babel's weekday; the rest awaits fr.po


def settings_with(root: Path, extra: str) -> None:
    """Add `extra` (YAML lines) to the project's playbook.yaml."""
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_strings_in_the_settings_win_over_every_catalog_and_reach_the_browser(tmp_path: Path) -> None:
    theme_folder = tmp_path / "theme"
    catalog(theme_folder, "fr", FRENCH)
    project = tmp_path / "project"
    catalog(project, "fr", FRENCH.replace('msgstr "Accueil"', 'msgstr "Page d’accueil"'))
    catalogs_only = load_words(theme_folder, project, "fr")
    words = load_words(theme_folder, project, "fr", {"Home": "Sommaire", "Other": "Autre"})
    assert (words.gettext("Home"), words.gettext("Other")) == ("Sommaire", "Autre")
    assert words.ngettext("%(num)s pair", "%(num)s pairs", 4) == "%(num)s binômes"  # the catalogs' plurals stay
    assert words.script_words(["Home", "Other"]) == {"Home": "Sommaire", "Other": "Autre"}
    assert words.digest != catalogs_only.digest  # pages are made again when a string changes
    assert load_words(theme_folder, project, "fr", {"Home": "Début"}).digest != words.digest

    english = load_words(theme_folder, project, "en", {"Home": "Start"})  # no catalog: the strings alone
    assert english.gettext("Home") == "Start" and english.gettext("Other") == "Other"


def test_strings_show_on_pages_and_in_the_scripts(project: Callable[..., Path]) -> None:
    root = project()
    settings_with(root, "strings:\n  Home: Start page\n  Nothing found for “%(query)s”: No page has “%(query)s”\n")
    site = build(root).out_dir
    program = (site / "programs/year/index.html").read_text(encoding="utf-8")
    assert "Start page" in program and ">Home<" not in program
    assert "No page has" in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["fr", "de-CH", "es", "ar", "en-GB"])
def test_a_language_the_theme_speaks_in_full_gets_no_warning(
    project: Callable[..., Path], playbook: Callable[..., Run], language: str
) -> None:
    root = project()
    settings_with(root, f"language: {language}\n")
    run = playbook("check", "--strict", root)
    assert (run.code, run.diagnostics) == (0, [])


def test_check_counts_the_strings_that_show_in_english_once(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    total = len(theme_messages(REPO / "themes" / "default") or {})
    root = project({"locale/it.po": 'msgid ""\nmsgstr ""\n"Language: it\\n"\n\nmsgid "Home"\nmsgstr "Inizio"\n'})
    settings_with(root, "language: it\nstrings:\n  Search the playbook: Cerca\n")
    run = playbook("check", root)
    assert run.code == 0
    [warning] = run.diagnostics
    assert warning.startswith(
        f"playbook.yaml:7:11: warning: {total - 2} of {total} interface strings have no Italian (it) translation,"
        " so they show in English: '%(cohort)s: tasks', "
    )
    assert warning.endswith(
        ", …; add them to locale/it.po (the theme's locale/messages.pot lists them all) or under strings: in playbook.yaml"
    )
    assert playbook("check", "--strict", root).code == 1

    settings_with(root, "  Agenda: Ordine del giorno\n")  # one more: one fewer in English
    assert f" {total - 3} of {total} " in playbook("check", root).diagnostics[0]
    (root / "locale" / "it.po").unlink()
    settings = root / "playbook.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "strings:\n  Search the playbook: Cerca\n  Agenda: Ordine del giorno\n", ""
        ),
        encoding="utf-8",
    )
    assert f" {total} of {total} " in playbook("check", root).diagnostics[0]  # no catalog at all
