"""The search index: words split like the browser splits them, weights that favour titles, stable bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.build import BuildSession, build
from generator.search import SearchIndex
from generator.search_files import shard_of
from generator.search_words import stop_words, words
from generator.stop_words import STOP_WORDS


def read_index(files: dict[str, bytes]) -> dict[str, Any]:
    """The index as one structure again, read from its script files as the browser reads them."""

    def data(name: str) -> Any:
        text = files[f"search/{name}.js"].decode("utf-8")  # window.PlaybookSearch... = <JSON>;
        return json.loads(text[text.index("= ") + 2 : text.rindex(";")])

    meta = data("index")["meta"]
    terms: dict[str, str] = {}
    for shard in range(meta["shards"]):
        part = data(f"terms-{shard}")
        assert all(shard_of(term, meta["shards"]) == shard for term in part["terms"])
        terms.update(zip(part["terms"], part["postings"]))
    slots: list[list[Any]] = []
    chunk = 0
    while f"search/docs-{chunk}.js" in files:
        slots.extend(data(f"docs-{chunk}"))
        chunk += 1
    docs = {
        slot * meta["sections"] + section: doc
        for slot, entries in enumerate(slots)
        for section, doc in enumerate(entries)
    }
    assert len(docs) == meta["docs"]
    return {
        "docs": docs,
        "terms": sorted(terms),
        "postings_of": terms,
        "stop": meta["stop"],
        "sections": meta["sections"],
        "chunk": meta["chunk"],
    }


def decode(index: dict[str, Any], term: str) -> dict[int, int]:
    """Which results hold `term`, with their weights, read back from the compact form."""
    postings = {}
    for block in index["postings_of"][term].split(";"):
        number, _, entries = block.partition(":")
        slot = int(number, 36) * index["chunk"]
        for entry in entries.split(","):
            slot += int(entry[:-2], 36)
            postings[slot * index["sections"] + int(entry[-2], 36)] = int(entry[-1], 36)
    return postings


def built_index(site: Path) -> dict[str, bytes]:
    """The search index's files of a built site, by their path in it."""
    return {f"search/{path.name}": path.read_bytes() for path in (site / "search").iterdir()}


@pytest.fixture
def example_index(example_site: Path) -> dict[str, Any]:
    return read_index(built_index(example_site))


def titles_with(index: dict[str, Any], term: str) -> list[str]:
    return [index["docs"][doc][1] for doc, _ in sorted(decode(index, term).items(), key=lambda item: -item[1])]


def test_words_are_lowercase_without_accents_or_punctuation() -> None:
    assert words("Protégé's 1/5/10-year PLAN, naïve café") == [
        "protege",
        "s",
        "1",
        "5",
        "10",
        "year",
        "plan",
        "naive",
        "cafe",
    ]
    assert words("Привет, мир") == ["привет", "мир"]


def test_every_kind_of_content_is_found(example_index: dict[str, Any]) -> None:
    urls = [doc[0] for doc in example_index["docs"].values()]
    assert "programs/twelve-months/month-06/index.html" in urls
    assert "worksheets/vision/index.html" in urls and "checklists/first-meeting/index.html" in urls
    assert any(url.startswith("guides/protege/why-not-your-manager/index.html#") for url in urls)
    assert "the" not in example_index["terms"] and "the" in example_index["stop"]


def test_titles_weigh_more_than_body_text(example_index: dict[str, Any]) -> None:
    ranked = titles_with(example_index, "manager")
    assert ranked[0] == "Why your manager should not be your mentor"


def test_a_guide_section_points_at_its_heading(example_index: dict[str, Any]) -> None:
    section = next(doc for doc in example_index["docs"].values() if doc[1] == "The conflict of interest")
    assert section[0] == "guides/protege/why-not-your-manager/index.html#the-conflict-of-interest"
    assert section[2] == "Why your manager should not be your mentor"


def test_the_index_is_the_same_every_time(example_project: Path, example_site: Path, tmp_path: Path) -> None:
    again = build(example_project, tmp_path / "again", cache=False).out_dir
    assert built_index(again) == built_index(example_site)


FRENCH_PLAYBOOK = {
    "playbook.yaml": "title: Mentorat\nlanguage: fr-CA\nroles:\n  - {id: mentor, name: Mentor}\n  - {id: protege, name: Protégé}\n",
    "content/guides/welcome.md": "---\ntitle: Bienvenue\n---\nLes rencontres des binômes ont été préparées avec soin.\n\n## How this works\n\nLisez le guide.\n",
}


def test_a_french_playbook_leaves_out_french_little_words(project: Callable[..., Path]) -> None:
    index = read_index(built_index(build(project(FRENCH_PLAYBOOK), cache=False).out_dir))
    assert {"les", "des", "ete", "avec"} <= set(index["stop"])
    assert not {"les", "des", "ete", "avec"} & set(index["terms"])
    assert titles_with(index, "rencontres") == ["Bienvenue"]
    assert "binomes" in index["terms"]


def test_a_language_without_a_list_keeps_every_word(project: Callable[..., Path]) -> None:
    playbook = FRENCH_PLAYBOOK["playbook.yaml"].replace("fr-CA", "pt-BR")
    index = read_index(built_index(build(project({**FRENCH_PLAYBOOK, "playbook.yaml": playbook}), cache=False).out_dir))
    assert index["stop"] == []
    assert "les" in index["terms"]


@pytest.mark.parametrize("language", sorted(STOP_WORDS))
def test_every_stop_word_is_written_as_search_folds_it(language: str) -> None:
    listed = STOP_WORDS[language]
    assert 40 <= len(listed) <= 80
    assert [word for word in sorted(listed) if words(word) != [word]] == []
    if language != "en":  # English's list kept its one-letter words, so that its index stays the same
        assert [word for word in listed if len(word) < 2] == []


def test_a_regional_tag_uses_its_language_s_list() -> None:
    assert stop_words("fr-CA") == stop_words("FR") == STOP_WORDS["fr"]
    assert stop_words("en-GB") == STOP_WORDS["en"]
    assert stop_words("pt-BR") == frozenset()


def test_an_index_updated_after_an_edit_equals_a_fresh_one(project: Callable[..., Path], tmp_path: Path) -> None:
    root = project()
    index = SearchIndex()
    session = BuildSession(root, again=True)
    digests = lambda: {(f.kind, f.id): session.project.digest(f.path) for f in session.project.files}
    index.files(session.check().site, digests())
    guide = root / "content" / "guides" / "welcome.md"
    guide.write_text(guide.read_text() + "\n## Quite new\n\nA zebra arrives.\n", encoding="utf-8")

    updated = index.files(session.check(changed={"content/guides/welcome.md"}).site, digests())

    assert updated == built_index(build(root, tmp_path / "fresh", cache=False).out_dir)
    assert "zebra" in read_index(updated)["terms"]


def test_curly_quotes_and_dashes_split_words_as_straight_ones_do() -> None:
    # Guides get typographic quotes; a reader types straight ones, and both must give the same words.
    assert words("The mentor’s “plan” – don’t wait—ask") == words("The mentor's \"plan\" - don't wait--ask")
