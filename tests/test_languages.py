"""A playbook in two languages: a tree of pages for each, pages that lead to each other, search in each.

The project is tests/fixtures/bilingual: English first, French beside it. Its guide `mentor/listening` and its
worksheet `reflection` have no French translation, so their French pages show the English with a notice.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import TESTS, Run
from generator.build import BuildSession, build
from sitecheck import broken_links

BILINGUAL = TESTS / "fixtures" / "bilingual"
SWITCHER = re.compile(r'<nav class="languages"[^>]*>(.*?)</nav>', re.DOTALL)
LINK = re.compile(r'<a href="([^"]+)" lang="([^"]+)"')


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bilingual") / "project"
    shutil.copytree(BILINGUAL, root)
    return build(root).out_dir


def pages_of(site: Path) -> set[str]:
    """The HTML pages of the main tree, from its root."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "fr"}


def test_each_language_has_its_tree_with_the_same_pages(bilingual_site: Path) -> None:
    english = pages_of(bilingual_site)
    french = {p.relative_to(bilingual_site / "fr").as_posix() for p in (bilingual_site / "fr").rglob("*.html")}
    assert english == french
    assert len(english) > 15
    assert not (bilingual_site / "fr" / "static").exists(), "the theme's files are shared, at the site root"
    assert broken_links(bilingual_site) == []


def test_each_pages_switcher_leads_to_the_same_page_in_the_other_language(bilingual_site: Path) -> None:
    for page in sorted(pages_of(bilingual_site)):
        for here in (page, f"fr/{page}"):
            text = (bilingual_site / here).read_text(encoding="utf-8")
            switcher = SWITCHER.search(text)
            assert switcher, f"{here} has no language switcher"
            links = {lang: href for href, lang in LINK.findall(switcher[1])}
            assert set(links) == {"en", "fr"}, here
            for lang, href in links.items():
                target = posixpath.normpath(posixpath.join(posixpath.dirname(here), href))
                assert target == (page if lang == "en" else f"fr/{page}"), f"{here}: {lang} leads to {target}"


def test_the_french_tree_reads_in_french(bilingual_site: Path) -> None:
    home = (bilingual_site / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home
    assert "Mentoré·e" in home  # the role's name from playbook.fr.yaml
    assert "Passer au contenu" in home or "Aller au contenu" in home  # the interface's words in French
    guide = (bilingual_site / "fr" / "guides" / "getting-started" / "index.html").read_text(encoding="utf-8")
    assert "bienveillance" in guide
    assert "kindness" not in guide
    assert "untranslated" not in guide
    english = (bilingual_site / "guides" / "getting-started" / "index.html").read_text(encoding="utf-8")
    assert "kindness" in english
    assert "bienveillance" not in english


def test_a_page_not_yet_translated_shows_the_original_with_a_notice(bilingual_site: Path) -> None:
    listening = (bilingual_site / "fr" / "guides" / "mentor" / "listening" / "index.html").read_text(encoding="utf-8")
    main = re.search(r"<main [^>]*>", listening)
    assert main and 'lang="en"' in main[0], "screen readers read the English text as English"
    notice = re.search(r'<p class="notice untranslated" lang="fr">([^<]+)</p>', listening)
    assert notice and "traduit" in notice[1]
    english = (bilingual_site / "guides" / "mentor" / "listening" / "index.html").read_text(encoding="utf-8")
    assert "untranslated" not in english


def test_ticks_are_kept_under_one_name_in_every_language(bilingual_site: Path) -> None:
    def key(page: Path) -> str:
        found = re.search(r'data-site="([^"]+)"', page.read_text(encoding="utf-8"))
        assert found
        return found[1]

    assert key(bilingual_site / "index.html") == key(bilingual_site / "fr" / "index.html")


def test_pages_name_their_counterparts_for_search_engines(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BILINGUAL, root)
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text("utf-8") + "base_url: https://example.org/guide/\n", "utf-8")
    site = build(root).out_dir
    month = "programs/first-quarter/month-02/index.html"
    head = (site / "fr" / month).read_text("utf-8").split("<body", 1)[0]
    assert f'<link rel="alternate" hreflang="en" href="https://example.org/guide/{month}">' in head
    assert f'<link rel="alternate" hreflang="fr" href="https://example.org/guide/fr/{month}">' in head
    assert f'<link rel="canonical" href="https://example.org/guide/fr/{month}">' in head
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert f'<loc>https://example.org/guide/{month}</loc><xhtml:link rel="alternate" hreflang="en"' in sitemap
    assert f'hreflang="fr" href="https://example.org/guide/fr/{month}"/>' in sitemap


def test_check_lists_untranslated_files_and_translations_that_differ(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project(base=BILINGUAL)
    checklist = root / "content" / "checklists" / "first-meeting.fr.yaml"
    lines = checklist.read_text("utf-8").splitlines()
    changed = next(n for n, line in enumerate(lines) if re.match(r"\s+owner: ", line))
    lines[changed] = re.sub(r"owner: .*", "owner: mentor-x", lines[changed])
    checklist.write_text("\n".join(lines) + "\n", "utf-8")
    result = playbook("check", root)
    said = result.diagnostics
    assert any(
        line.startswith("content/guides/mentor/listening.md: warning: not translated into français (fr)")
        for line in said
    ), said
    assert any(line.startswith("content/worksheets/reflection.yaml: warning: not translated") for line in said)
    assert not any("getting-started" in line for line in said), "a translated file is not listed"
    differs = [line for line in said if line.startswith(f"content/checklists/first-meeting.fr.yaml:{changed + 1}:")]
    assert differs and "'mentor-x' here" in differs[0], said


def test_a_translation_into_a_language_not_listed_is_an_error_that_says_how_to_list_it(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project(base=BILINGUAL)
    shutil.copy(root / "content" / "worksheets" / "goals.fr.yaml", root / "content" / "worksheets" / "goals.de.yaml")
    orphan = root / "content" / "worksheets" / "missing.fr.yaml"
    orphan.write_text("title: Rien\n", "utf-8")
    said = playbook("check", root).diagnostics
    assert any(
        line.startswith("content/worksheets/goals.de.yaml:1:1: error: a translation into 'de'") and "languages:" in line
        for line in said
    ), said
    assert any(
        line.startswith("content/worksheets/missing.fr.yaml:1:1: error: a translation into 'fr'") for line in said
    )


@pytest.mark.parametrize(
    ("translation", "said"),
    [
        (
            "title: Le guide\nbase_url: https://example.org/\n",
            "playbook.fr.yaml:2:1: error: 'base_url' is not translated: every language has playbook.yaml's",
        ),
        ("title: Le guide\ncolour: blue\n", "playbook.fr.yaml:2:1: error: unknown key 'colour'"),
        ("roles:\n  - id: coach\n    name: Coach\n", "playbook.fr.yaml:2:9: error: no role 'coach' in playbook.yaml"),
    ],
)
def test_the_settings_translation_may_only_translate_words(
    project: Callable[..., Path], playbook: Callable[..., Run], translation: str, said: str
) -> None:
    root = project(base=BILINGUAL)
    (root / "playbook.fr.yaml").write_text(translation, "utf-8")
    found = playbook("check", root).diagnostics
    assert any(line.startswith(said) for line in found), found


def search_titles(page: Any, words: str) -> list[str]:
    page.fill("#search-input", words)
    page.wait_for_function("words => document.querySelector('#search-status').textContent.includes(words)", arg=words)
    return page.locator(".search__list .search__title").all_inner_texts()


def test_search_from_disk_finds_french_words_in_the_french_tree_only(page: Any, bilingual_site: Path) -> None:
    page.goto((bilingual_site / "fr" / "index.html").as_uri())
    assert search_titles(page, "bienveillance"), "the French index has the French guide's words"
    first = page.locator(".search__list a").first
    first.click()
    page.wait_for_url("**/fr/guides/getting-started/index.html*")
    assert "bienveillance" in page.locator("main").inner_text().lower()
    page.goto((bilingual_site / "fr" / "index.html").as_uri())
    assert search_titles(page, "kindness") == []
    assert "Les objectifs de l'année" in search_titles(page, "objectifs")
    kinds = page.locator(".search__list .search__where").all_inner_texts()
    assert "Fiche de travail" in kinds, "a result says what it is in French"
    page.goto((bilingual_site / "index.html").as_uri())
    assert search_titles(page, "bienveillance") == []
    assert search_titles(page, "kindness")
    assert page.errors == []


def test_editing_a_translation_renders_again_its_pages_in_that_language_only(
    project: Callable[..., Path],
) -> None:
    root = project(base=BILINGUAL)
    session = BuildSession(root, again=True)
    session.build()
    guide = root / "content" / "guides" / "getting-started.fr.md"
    guide.write_text(guide.read_text("utf-8").replace("bienveillance", "gentillesse", 1), "utf-8")
    _, first = session.build(["content/guides/getting-started.fr.md"])
    assert "fr/guides/getting-started/index.html" in first.fresh
    english = [url for url in first.fresh if url.endswith(".html") and not url.startswith("fr/")]
    assert english == [], "no English page shows the French guide"
    assert b"gentillesse" in first.files["fr/guides/getting-started/index.html"]

    settings = root / "playbook.fr.yaml"
    settings.write_text(settings.read_text("utf-8").replace("title:", "title: Nouveau ·", 1), "utf-8")
    _, second = session.build(["playbook.fr.yaml"])  # its title is on every French page
    assert b"Nouveau \xc2\xb7" in second.files["fr/index.html"]
    assert "fr/worksheets/goals/index.html" in second.fresh
    assert "index.html" not in second.fresh
    assert second.files == BuildSession(root).build()[1].files


def test_a_choice_made_in_french_shows_on_the_english_worksheet(page: Any, bilingual_site: Path) -> None:
    page.goto((bilingual_site / "fr" / "worksheets" / "goals" / "index.html").as_uri())
    page.get_by_label("Relations avec la direction").check()
    page.wait_for_function("() => Object.keys(localStorage).some(k => localStorage.getItem(k).includes('Executive'))")
    page.goto((bilingual_site / "worksheets" / "goals" / "index.html").as_uri())
    assert page.get_by_label("Executive relationships").is_checked()
    page.goto((bilingual_site / "fr" / "worksheets" / "goals" / "index.html").as_uri())
    assert page.get_by_label("Relations avec la direction").is_checked()
    assert page.errors == []
