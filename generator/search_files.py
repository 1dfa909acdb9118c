"""The search index's files, as the browser reads them: one way to write them, whichever way the index was built.

- `search/index.js`: how the rest is split, and the words not indexed;
- `search/terms-N.js`: words grouped by a hash of their first two letters, each with its postings:
  the results that contain it, with a weight;
- `search/docs-N.js`: the results themselves (page, title, where, text for the snippet), in chunks
  of SLOTS_PER_CHUNK slots, loaded only for the results shown.

A result's number is its slot times SECTIONS plus its section. A word's postings are blocks
`<block>:<entries>` joined by ";", a block per chunk of slots it is found in, and each entry is
`<slot gap><section><weight>` in base 36, each gap from the previous slot, the first from the
block's first slot. `themes/default/static/search.js` reads them back.
"""

from __future__ import annotations

import json

from .search_entries import SECTIONS, Doc

SEARCH_VERSION = "4"  # of the index's layout, part of its fingerprint
SLOTS_PER_CHUNK = 20
BYTES_PER_SHARD = 100_000  # about how much of the word list one file holds


def shard_of(word: str, shards: int) -> int:
    """Which terms file holds `word`: a hash of its first two letters, as search.js computes it."""
    return (ord(word[0]) * 31 + ord(word[1])) % shards


def shard_count(size: int) -> int:
    """How many terms files the words take, from their size as `term_size` counts it."""
    return max(1, min(256, size // BYTES_PER_SHARD + 1))


def term_size(word: str, postings: str) -> int:
    """What a word and its postings add to the terms files: both, quoted, each with a comma."""
    return len(word) + len(postings) + 6


def encode_postings(flat: list[int]) -> str:
    """A word's results (result number, weight, result number, weight... by rising number) as its postings."""
    small, pair = _SMALL_BASE36, _SECTION_AND_WEIGHT
    blocks: list[str] = []
    parts: list[str] = []
    block = previous = end = -1
    for at in range(0, len(flat), 2):
        number = flat[at]
        slot = number // SECTIONS
        if slot >= end:  # the first result of the next block this word is in
            if parts:
                blocks.append(_block_number(block) + ":" + ",".join(parts))
                parts = []
            block = slot // SLOTS_PER_CHUNK
            previous = block * SLOTS_PER_CHUNK
            end = previous + SLOTS_PER_CHUNK
        parts.append(small[slot - previous] + pair[(number - slot * SECTIONS) * 36 + flat[at + 1]])
        previous = slot
    if parts:
        blocks.append(_block_number(block) + ":" + ",".join(parts))
    return ";".join(blocks)


def terms_file(shard: int, words: list[tuple[str, str]]) -> tuple[str, bytes]:
    """A terms file from (word, postings) pairs already written as JSON strings, in the order given."""
    terms = ",".join(word for word, _ in words)
    postings = ",".join(found for _, found in words)
    text = f'window.PlaybookSearch.terms[{shard}] = {{"terms":[{terms}],"postings":[{postings}]}};\n'
    return f"search/terms-{shard}.js", text.encode("utf-8")


def docs_file(chunk: int, docs: list[list[Doc]]) -> tuple[str, bytes]:
    """A chunk's results, slot by slot."""
    return f"search/docs-{chunk}.js", _script(f"window.PlaybookSearch.docs[{chunk}] = %s;", docs)


def meta_file(results: int, shards: int, stop: frozenset[str]) -> tuple[str, bytes]:
    """The outline the browser loads first: how many results and terms files, and the words not indexed."""
    meta = {
        "version": int(SEARCH_VERSION),
        "docs": results,
        "sections": SECTIONS,
        "chunk": SLOTS_PER_CHUNK,
        "shards": shards,
        "stop": sorted(stop),
    }
    return "search/index.js", _script("window.PlaybookSearch = %s;", {"meta": meta, "terms": {}, "docs": {}})


def to_json(data: object) -> str:
    """Compact JSON that a script may hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # U+2028 and U+2029 end a line in JavaScript before ES2019, even inside a string.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(template: str, data: object) -> bytes:
    return (template % to_json(data) + "\n").encode("utf-8")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


_SMALL_BASE36 = [_base36(n) for n in range(36 * 36)]
_SECTION_AND_WEIGHT = [_base36(section) + _base36(weight) for section in range(36) for weight in range(36)]


def _block_number(block: int) -> str:
    return _SMALL_BASE36[block] if block < len(_SMALL_BASE36) else _base36(block)
