"""The search index: words split like the browser splits them, weights that favour titles, stable bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import REPO
from generator.build import check
from generator.search import build_search_index, shard_of, words


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
    docs = [doc for chunk in range(-(-meta["docs"] // meta["chunk"])) for doc in data(f"docs-{chunk}")]
    assert len(docs) == meta["docs"]
    return {"docs": docs, "terms": sorted(terms), "postings_of": terms, "stop": meta["stop"]}


def decode(index: dict[str, Any], term: str) -> dict[int, int]:
    """Which results hold `term`, with their weights, read back from the compact form."""
    postings, doc = {}, 0
    for pair in index["postings_of"][term].split(","):
        doc += int(pair[:-1], 36)
        postings[doc] = int(pair[-1], 36)
    return postings


def example_index() -> dict[str, Any]:
    return read_index(build_search_index(check(REPO).site))


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


def test_every_kind_of_content_is_found() -> None:
    index = example_index()
    urls = [doc[0] for doc in index["docs"]]
    assert "programs/twelve-months/month-06/index.html" in urls
    assert "worksheets/vision/index.html" in urls and "checklists/first-meeting/index.html" in urls
    assert any(url.startswith("guides/protege/why-not-your-manager/index.html#") for url in urls)
    assert "the" not in index["terms"] and "the" in index["stop"]


def test_titles_weigh_more_than_body_text() -> None:
    index = example_index()
    ranked = titles_with(index, "manager")
    assert ranked[0] == "Why your manager should not be your mentor"


def test_a_guide_section_points_at_its_heading() -> None:
    index = example_index()
    section = next(doc for doc in index["docs"] if doc[1] == "The conflict of interest")
    assert section[0] == "guides/protege/why-not-your-manager/index.html#the-conflict-of-interest"
    assert section[2] == "Why your manager should not be your mentor"


def test_the_index_is_the_same_every_time() -> None:
    assert build_search_index(check(REPO).site) == build_search_index(check(REPO).site)


def test_the_index_of_a_playbook_in_another_language_keeps_every_word(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbook.yaml": "title: Mentorat\nlanguage: fr\nroles:\n  - {id: mentor, name: Mentor}\n  - {id: protege, name: Protégé}\n"
        }
    )
    index = read_index(build_search_index(check(root).site))
    assert index["stop"] == []
