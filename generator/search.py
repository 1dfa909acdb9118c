"""The offline search index: every part of the playbook as words that point at its page.

The index is a set of scripts the page loads (fetching JSON is blocked from `file://`), laid
out in `search_files`: an outline, the words (split into files by their first two letters)
and the results (in chunks). So a search loads one small file per word typed and a few
chunks, however big the playbook. Results are grouped by the file they come from ("slots",
in a fixed order of kind and id), so editing one guide changes only that guide's part.

It is built one of two ways, which give the same bytes (the rebuild tests compare them):
`build_once` here, for a build, and `SearchIndex` (in `search_index`), kept in memory by
`playbook serve` and updated in place. Both take a file's results from `search_entries`,
its words from `search_words`, and write with `search_files`. The browser side is
`themes/default/static/search.js`; the two split words and pick files the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping

from .memo import Memo
from .parallel import stream_across_cores
from .search_entries import SECTIONS, Doc, Entry, Slot, slot_makers, slot_results
from .search_files import (
    SEARCH_VERSION,
    SLOTS_PER_CHUNK,
    docs_file,
    encode_postings,
    meta_file,
    shard_count,
    shard_of,
    term_size,
    terms_file,
    to_json,
)
from .search_index import SearchIndex
from .search_words import stop_words
from .site import Site

__all__ = ["SEARCH_VERSION", "RunResult", "SearchIndex", "Slot", "build_once"]

SLOTS_PER_RUN = 5 * SLOTS_PER_CHUNK  # slots a worker indexes at a time: whole blocks, so it can encode them

# A run's results as kept between builds: its results as JSON, and "word<TAB>blocks" lines. Two strings
# instead of thousands of small objects: a tenth of the memory, and quick to pickle.
RunResult = tuple[str, str]


def build_once(
    site: Site, memo: Memo[RunResult] | None = None, digests: Mapping[Slot, str] | None = None
) -> Iterator[tuple[str, bytes]]:
    """The index in one pass, keeping nothing for later, file by file: less memory and time than `SearchIndex`.

    With `memo` and each slot's file `digests`, a run of slots whose files did not change since
    the last build is not indexed again.
    """
    stop = stop_words(site.playbook.settings.language)
    # word -> its encoded blocks so far; one string each, as a list of parts per word costs six times the memory
    encoded: dict[str, str] = {}
    results = 0
    size = 0  # of the terms, as term_size counts it
    for start, slot_docs, run_encoded in _runs(slot_makers(site), stop, memo, digests):
        results += sum(len(d) for d in slot_docs)
        for at in range(0, len(slot_docs), SLOTS_PER_CHUNK):  # a run holds whole chunks
            yield docs_file((start + at) // SLOTS_PER_CHUNK, slot_docs[at : at + SLOTS_PER_CHUNK])
        del slot_docs
        for line in run_encoded.splitlines():  # runs come in order, and a run holds whole blocks
            word, _, blocks = line.partition("\t")
            found = encoded.get(word)
            if found is None:
                encoded[word] = blocks
                size += term_size(word, blocks)
            else:
                encoded[word] = found + ";" + blocks
                size += 1 + len(blocks)
    shards = shard_count(size)
    by_shard: dict[int, list[str]] = {}
    for word in sorted(encoded):
        by_shard.setdefault(shard_of(word, shards), []).append(word)
    for shard in range(shards):
        words_here = by_shard.pop(shard, [])
        yield terms_file(shard, [(to_json(w), to_json(encoded.pop(w))) for w in words_here])
    yield meta_file(results, shards, stop)


def _runs(
    makers: dict[Slot, Callable[[], list[Entry]]],
    stop: frozenset[str],
    memo: Memo[RunResult] | None,
    digests: Mapping[Slot, str] | None,
) -> Iterator[tuple[int, list[list[Doc]], str]]:
    """Each run's first slot number, its results, and its words' postings as lines: kept, or indexed now."""
    slots = sorted(makers)
    runs = [(start, slots[start : start + SLOTS_PER_RUN]) for start in range(0, len(slots), SLOTS_PER_RUN)]
    keys = [_run_key(start, run_slots, stop, digests) for start, run_slots in runs]
    missing = [run for run, key in zip(runs, keys) if key is None or memo is None or key not in memo]
    made = zip(missing, stream_across_cores(_index_run, missing, (makers, stop), smallest=8))
    for (start, _), key in zip(runs, keys):
        if memo is not None and key is not None and key in memo:
            packed_docs, run_encoded = memo.reuse(key)
            slot_docs: list[list[Doc]] = json.loads(packed_docs)
        else:
            run, (slot_docs, words_encoded) = next(made)
            assert run[0] == start
            run_encoded = "\n".join(f"{word}\t{blocks}" for word, blocks in words_encoded.items())
            del words_encoded
            if memo is not None and key is not None:
                memo.put(key, (to_json(slot_docs), run_encoded))
        yield start, slot_docs, run_encoded
        # Let go before the next run comes, so no more than one run's results are held whole at a time.
        del slot_docs, run_encoded


def _run_key(
    start: int, slots: list[Slot], stop: frozenset[str], digests: Mapping[Slot, str] | None
) -> tuple[object, ...] | None:
    """What a run's results are made from; None when a file's digest is not known (nothing to compare)."""
    if digests is None or any(slot not in digests for slot in slots):
        return None
    return (SEARCH_VERSION, start, tuple((slot, digests[slot]) for slot in slots), tuple(sorted(stop)))


def _index_run(
    shared: tuple[dict[Slot, Callable[[], list[Entry]]], frozenset[str]], run: tuple[int, list[Slot]]
) -> tuple[list[list[Doc]], dict[str, str]]:
    """Index a run of slots (whole blocks of them): their results, and each word's encoded blocks."""
    makers, stop = shared
    start, slots = run
    docs: list[list[Doc]] = []
    postings: dict[str, list[int]] = {}  # word -> result number, weight, ... by rising number
    for number, slot in enumerate(slots, start=start):
        slot_docs, weights = slot_results(makers[slot](), stop)
        docs.append(slot_docs)
        for section, found in enumerate(weights):
            ref = number * SECTIONS + section
            for word, weight in found.items():
                known = postings.get(word)
                if known is None:
                    postings[word] = [ref, weight]
                else:
                    known += (ref, weight)
    return docs, {word: encode_postings(flat) for word, flat in postings.items()}
