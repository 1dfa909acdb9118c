"""The search index kept in memory by `playbook serve`: a slot is indexed again only when its file changed.

Editing one guide changes only that guide's part of the index, and only the files holding it
are written again; the bytes are the same as a fresh build's (`search.build_once`).
"""

from __future__ import annotations

from collections.abc import Mapping

from .search_entries import SECTIONS, Doc, Entry, Slot, slot_makers, slot_results
from .search_files import (
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
from .search_words import stop_words
from .site import Site


class SearchIndex:
    """The index in memory between builds; a slot is indexed again only when its file changed."""

    def __init__(self) -> None:
        self._reset((), frozenset())

    def _reset(self, slots: tuple[Slot, ...], stop: frozenset[str]) -> None:
        self._slots = slots
        self._stop = stop
        self._made_from: dict[Slot, str] = {}  # slot -> digest of the file its results were made from
        self._docs: dict[Slot, list[Doc]] = {}
        self._weights: dict[Slot, list[dict[str, int]]] = {}
        # word -> block -> result number -> weight; a block is SLOTS_PER_CHUNK slots, encoded on its own
        self._postings: dict[str, dict[int, dict[int, int]]] = {}
        self._blocks: dict[str, dict[int, str]] = {}  # word -> block -> its encoded postings
        self._encoded: dict[str, str] = {}  # word -> all its blocks, in order
        self._json: dict[str, tuple[str, str]] = {}  # word -> (the word, its postings) as JSON strings
        self._by_shard: dict[int, set[str]] = {}
        self._size = 0
        self._shards = 0
        self._files: dict[str, bytes] = {}

    def files(self, site: Site, digests: Mapping[Slot, str]) -> dict[str, bytes]:
        """The index's files for `site`; slots whose digest is given and unchanged are not indexed again."""
        makers = slot_makers(site)
        slots = tuple(sorted(makers))
        stop = stop_words(site.playbook.settings.language)
        if slots != self._slots or stop != self._stop:
            self._reset(slots, stop)  # a file added or removed renumbers every slot after it
        position = {slot: number for number, slot in enumerate(slots)}
        touched: set[tuple[str, int]] = set()
        dirty_chunks: set[int] = set()
        for slot in slots:
            digest = digests.get(slot)
            if digest is not None and self._made_from.get(slot) == digest:
                continue
            touched |= self._index(slot, position[slot], makers[slot]())
            self._made_from[slot] = digest or ""
            dirty_chunks.add(position[slot] // SLOTS_PER_CHUNK)
        words_touched = self._encode(touched)
        self._write(words_touched, dirty_chunks)
        return dict(self._files)

    def _index(self, slot: Slot, number: int, entries: list[Entry]) -> set[tuple[str, int]]:
        """Replace a slot's results; the (word, block) pairs whose postings changed."""
        block = number // SLOTS_PER_CHUNK
        old = self._weights.get(slot, [])
        for section, weights in enumerate(old):
            for word in weights:
                del self._postings[word][block][number * SECTIONS + section]
        self._docs[slot], new = slot_results(entries, self._stop)
        for section, weights in enumerate(new):
            for word, weight in weights.items():
                self._postings.setdefault(word, {}).setdefault(block, {})[number * SECTIONS + section] = weight
        self._weights[slot] = new
        return {(word, block) for weights in (*old, *new) for word in weights}

    def _encode(self, touched: set[tuple[str, int]]) -> set[str]:
        """Encode the blocks that changed, then each word from its blocks; the words touched."""
        for word, block in touched:
            found = self._postings[word].get(block)
            if found:
                flat = [part for number in sorted(found) for part in (number, found[number])]
                self._blocks.setdefault(word, {})[block] = encode_postings(flat)
            else:
                self._postings[word].pop(block, None)
                self._blocks.get(word, {}).pop(block, None)
        words_touched = {word for word, _ in touched}
        for word in words_touched:
            before = self._encoded.pop(word, None)
            if before is not None:
                self._size -= term_size(word, before)
                if self._shards:
                    self._by_shard.get(shard_of(word, self._shards), set()).discard(word)
            blocks = self._blocks.get(word)
            if blocks:
                self._encoded[word] = ";".join(blocks[block] for block in sorted(blocks))
                self._json[word] = (to_json(word), to_json(self._encoded[word]))
                self._size += term_size(word, self._encoded[word])
            else:
                self._postings.pop(word, None)
                self._blocks.pop(word, None)
                self._json.pop(word, None)
        return words_touched

    def _write(self, touched: set[str], dirty_chunks: set[int]) -> None:
        shards = shard_count(self._size)
        if shards != self._shards:
            self._files = {name: data for name, data in self._files.items() if not name.startswith("search/terms-")}
            self._shards = shards
            self._by_shard = {}
            for word in self._encoded:
                self._by_shard.setdefault(shard_of(word, shards), set()).add(word)
            dirty_shards = set(range(shards))
        else:
            for word in touched:
                if word in self._encoded:
                    self._by_shard.setdefault(shard_of(word, shards), set()).add(word)
            dirty_shards = {shard_of(word, shards) for word in touched}
        for shard in sorted(dirty_shards):
            # Assembled from each word's JSON, kept since it was encoded: re-serialising every word of a
            # file for each edit would cost more than the edit.
            name, data = terms_file(shard, [self._json[word] for word in sorted(self._by_shard.get(shard, ()))])
            self._files[name] = data
        for chunk in sorted(dirty_chunks):
            slots = self._slots[chunk * SLOTS_PER_CHUNK : (chunk + 1) * SLOTS_PER_CHUNK]
            name, data = docs_file(chunk, [self._docs[slot] for slot in slots])
            self._files[name] = data
        name, data = meta_file(sum(len(docs) for docs in self._docs.values()), shards, self._stop)
        self._files[name] = data
