"""The offline search index: every part of the playbook as words that point at its page.

The index is a set of scripts the page loads (fetching JSON is blocked from `file://`):

- `search/index.js`: how the rest is split, and the words not indexed;
- `search/terms-N.js`: words grouped by a hash of their first two letters, each with
  the results that contain it and a weight: words in titles count most, then
  headings, checklist items and field labels, then body text;
- `search/docs-N.js`: the results themselves (page, title, where, text for the
  snippet), in chunks, loaded only for the results shown.

So a search loads one small file per word typed and a few chunks, however big the
playbook. Results are grouped by the file they come from ("slots", in a fixed order
of kind and id), so editing one guide changes only that guide's part of the index:
the dev server updates it in place, and gets the same bytes as a fresh build.
The browser side is `themes/default/static/search.js`; the two split words and
pick files the same way.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .links import month_url, page_url
from .memo import Memo
from .models import Checklist, Program, Worksheet
from .parallel import stream_across_cores
from .site import Site

TITLE, HEADING, ITEM, BODY = 10, 5, 4, 1
MAX_WEIGHT = 35  # weights, like sections, are written as one base-36 digit
SECTIONS = 36  # results per slot; a guide with more sections has the rest folded into its last one
REPEATS_COUNTED = 4  # a word said five times is not five times as relevant
SNIPPET_LENGTH = 400  # the text a result's snippet is cut from, around the words found
SLOTS_PER_CHUNK = 20
BYTES_PER_SHARD = 100_000  # about how much of the word list one file holds
STOP_WORDS_EN = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)
TAGS = re.compile(r"<[^>]+>")
SECTION_START = re.compile(r'<h([23]) id="([^"]*)">(.*?)</h\1>', re.DOTALL)
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
WORD = re.compile(r"[^\W_]+")
INDEXED_WORD = re.compile(r"[^\W_]{2,}")  # the same words, less those of one letter: they are not indexed

Slot = tuple[str, str]  # (kind, id) of the file a group of results comes from
SEARCH_VERSION = "4"  # of the index's layout, part of its fingerprint


def words(text: str, pattern: re.Pattern[str] = WORD) -> list[str]:
    """Lowercase words without accents, as the browser splits them too."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = _accents().sub("", unicodedata.normalize("NFKD", lowered))
    return pattern.findall(lowered)


@functools.cache
def _accents() -> re.Pattern[str]:
    """The combining marks (the accents NFKD splits off), as a pattern that finds them."""
    marks = [code for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))]
    ranges: list[tuple[int, int]] = []
    for code in marks:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]")


def shard_of(word: str, shards: int) -> int:
    """Which terms file holds `word`: a hash of its first two letters, as search.js computes it."""
    return (ord(word[0]) * 31 + ord(word[1])) % shards


@dataclass(frozen=True)
class Entry:
    """One search result: a page, or a section of a guide."""

    url: str
    title: str
    where: str  # what it is part of, e.g. the guide or program
    snippet: str
    fields: tuple[tuple[str, int], ...]  # (text, weight)


def build_search_index(site: Site) -> dict[str, bytes]:
    """The search index of the site, as its files (path from the site root -> bytes)."""
    return dict(build_once(site))


class SearchIndex:
    """The index in memory between builds; a slot is indexed again only when its file changed."""

    def __init__(self) -> None:
        self._reset((), frozenset())

    def _reset(self, slots: tuple[Slot, ...], stop: frozenset[str]) -> None:
        self._slots = slots
        self._stop = stop
        self._made_from: dict[Slot, str] = {}  # slot -> digest of the file its results were made from
        self._docs: dict[Slot, list[list[str]]] = {}
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
        makers = _slot_makers(site)
        slots = tuple(sorted(makers))
        stop = _stop_words(site)
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
        entries = _folded(entries)
        block = number // SLOTS_PER_CHUNK
        old = self._weights.get(slot, [])
        for section, weights in enumerate(old):
            for word in weights:
                del self._postings[word][block][number * SECTIONS + section]
        new = [_weights(entry, self._stop) for entry in entries]
        for section, weights in enumerate(new):
            for word, weight in weights.items():
                self._postings.setdefault(word, {}).setdefault(block, {})[number * SECTIONS + section] = weight
        self._weights[slot] = new
        self._docs[slot] = [[e.url, e.title, e.where, e.snippet] for e in entries]
        return {(word, block) for weights in (*old, *new) for word in weights}

    def _encode(self, touched: set[tuple[str, int]]) -> set[str]:
        """Encode the blocks that changed, then each word from its blocks; the words touched."""
        for word, block in touched:
            found = self._postings[word].get(block)
            if found:
                self._blocks.setdefault(word, {})[block] = _encode(block, found)
            else:
                self._postings[word].pop(block, None)
                self._blocks.get(word, {}).pop(block, None)
        words_touched = {word for word, _ in touched}
        for word in words_touched:
            before = self._encoded.pop(word, None)
            if before is not None:
                self._size -= len(before) + len(word) + 6
                self._by_shard_remove(word)
            blocks = self._blocks.get(word)
            if blocks:
                self._encoded[word] = ";".join(blocks[block] for block in sorted(blocks))
                self._json[word] = (_json(word), _json(self._encoded[word]))
                self._size += len(self._encoded[word]) + len(word) + 6
            else:
                self._postings.pop(word, None)
                self._blocks.pop(word, None)
                self._json.pop(word, None)
        return words_touched

    def _by_shard_remove(self, word: str) -> None:
        if self._shards:
            self._by_shard.get(shard_of(word, self._shards), set()).discard(word)

    def _write(self, touched: set[str], dirty_chunks: set[int]) -> None:
        shards = _shard_count(self._size)
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
            here = [self._json[word] for word in sorted(self._by_shard.get(shard, ()))]
            self._files.update(_terms_file(shard, here))
        for chunk in sorted(dirty_chunks):
            slots = self._slots[chunk * SLOTS_PER_CHUNK : (chunk + 1) * SLOTS_PER_CHUNK]
            self._files.update(_docs_file(chunk, [self._docs[slot] for slot in slots]))
        total = sum(len(docs) for docs in self._docs.values())
        self._files.update(_meta_file(total, shards, self._stop))


# A run's results as kept between builds: its results as JSON, and "word<TAB>blocks" lines. Two strings
# instead of thousands of small objects: a tenth of the memory, and quick to pickle.
RunResult = tuple[str, str]


def build_once(
    site: Site, memo: Memo[RunResult] | None = None, digests: Mapping[Slot, str] | None = None
) -> Iterator[tuple[str, bytes]]:
    """The index in one pass, keeping nothing for later, file by file: less memory and time than `SearchIndex`.

    With `memo` and each slot's file `digests`, a run of slots whose files did not change since
    the last build is not indexed again. The bytes are the same as `SearchIndex` makes (the
    rebuild tests compare the two).
    """
    makers = _slot_makers(site)
    stop = _stop_words(site)
    slots = sorted(makers)
    runs = [(start, slots[start : start + SLOTS_PER_RUN]) for start in range(0, len(slots), SLOTS_PER_RUN)]
    keys = [_run_key(start, run_slots, stop, digests) for start, run_slots in runs]
    missing = [run for run, key in zip(runs, keys) if key is None or memo is None or key not in memo]
    made = zip(missing, stream_across_cores(_index_run, missing, (makers, stop), smallest=8))
    # word -> its encoded blocks so far; one string each, as a list of parts per word costs six times the memory
    encoded: dict[str, str] = {}
    results = 0
    size = 0  # of the terms, as _shard_count measures it
    for (start, _), key in zip(runs, keys):
        # Folded in as each run arrives, so no more than one run's results are held whole at a time.
        if memo is not None and key is not None and key in memo:
            packed_docs, run_encoded = memo.reuse(key)
            slot_docs: list[list[list[str]]] = json.loads(packed_docs)
        else:
            run, (slot_docs, words_encoded) = next(made)
            assert run[0] == start
            run_encoded = "\n".join(f"{word}\t{blocks}" for word, blocks in words_encoded.items())
            del words_encoded
            if memo is not None and key is not None:
                memo.put(key, (_json(slot_docs), run_encoded))
        results += sum(len(d) for d in slot_docs)
        for at in range(0, len(slot_docs), SLOTS_PER_CHUNK):  # a run holds whole chunks
            yield from _docs_file((start + at) // SLOTS_PER_CHUNK, slot_docs[at : at + SLOTS_PER_CHUNK]).items()
        del slot_docs
        for line in run_encoded.splitlines():  # runs come in order, and a run holds whole blocks
            word, _, blocks = line.partition("\t")
            found = encoded.get(word)
            if found is None:
                encoded[word] = blocks
                size += len(word) + 6 + len(blocks)
            else:
                encoded[word] = found + ";" + blocks
                size += 1 + len(blocks)
    shards = _shard_count(size)
    by_shard: dict[int, list[str]] = {}
    for word in sorted(encoded):
        by_shard.setdefault(shard_of(word, shards), []).append(word)
    for shard in range(shards):
        words_here = by_shard.pop(shard, [])
        yield from _terms_file(shard, [(_json(w), _json(encoded.pop(w))) for w in words_here]).items()
    yield from _meta_file(results, shards, stop).items()


SLOTS_PER_RUN = 5 * SLOTS_PER_CHUNK  # slots a worker indexes at a time: whole blocks, so it can encode them


def _run_key(
    start: int, slots: list[Slot], stop: frozenset[str], digests: Mapping[Slot, str] | None
) -> tuple[object, ...] | None:
    """What a run's results are made from; None when a file's digest is not known (nothing to compare)."""
    if digests is None or any(slot not in digests for slot in slots):
        return None
    return (SEARCH_VERSION, start, tuple((slot, digests[slot]) for slot in slots), tuple(sorted(stop)))


def _index_run(
    shared: tuple[dict[Slot, Callable[[], list[Entry]]], frozenset[str]], run: tuple[int, list[Slot]]
) -> tuple[list[list[list[str]]], dict[str, str]]:
    """Index a run of slots (whole blocks of them): their results, and each word's encoded blocks."""
    makers, stop = shared
    start, slots = run
    docs: list[list[list[str]]] = []
    postings: dict[str, list[int]] = {}
    for number, slot in enumerate(slots, start=start):
        entries = _folded(makers[slot]())
        docs.append([[e.url, e.title, e.where, e.snippet] for e in entries])
        for section, entry in enumerate(entries):
            ref = number * SECTIONS + section
            for word, weight in _weights(entry, stop).items():
                found = postings.get(word)
                if found is None:
                    postings[word] = [ref, weight]
                else:
                    found += (ref, weight)
    return docs, {word: _encode_flat(flat) for word, flat in postings.items()}


def _encode_flat(flat: list[int]) -> str:
    """A word's results (result number, weight, ... in rising order) as its blocks, as `_encode` writes them."""
    small, pair = _SMALL_BASE36, _SECTION_AND_WEIGHT
    blocks: list[str] = []
    parts: list[str] = []
    block = previous = end = -1
    for at in range(0, len(flat), 2):
        number = flat[at]
        slot = number // SECTIONS
        if slot >= end:  # the first result of the next block this word is in
            if parts:
                blocks.append((small[block] if block < len(small) else _base36(block)) + ":" + ",".join(parts))
                parts = []
            block = slot // SLOTS_PER_CHUNK
            previous = block * SLOTS_PER_CHUNK
            end = previous + SLOTS_PER_CHUNK
        parts.append(small[slot - previous] + pair[(number - slot * SECTIONS) * 36 + flat[at + 1]])
        previous = slot
    if parts:
        blocks.append((small[block] if block < len(small) else _base36(block)) + ":" + ",".join(parts))
    return ";".join(blocks)


def _stop_words(site: Site) -> frozenset[str]:
    return STOP_WORDS_EN if site.playbook.settings.language.lower().startswith("en") else frozenset()


def _shard_count(size: int) -> int:
    return max(1, min(256, size // BYTES_PER_SHARD + 1))


def _terms_file(shard: int, words: list[tuple[str, str]]) -> dict[str, bytes]:
    """A terms file from (word, postings) already written as JSON strings."""
    terms = ",".join(word for word, _ in words)
    postings = ",".join(found for _, found in words)
    text = f'window.PlaybookSearch.terms[{shard}] = {{"terms":[{terms}],"postings":[{postings}]}};\n'
    return {f"search/terms-{shard}.js": text.encode("utf-8")}


def _docs_file(chunk: int, data: list[list[list[str]]]) -> dict[str, bytes]:
    return {f"search/docs-{chunk}.js": _script(f"window.PlaybookSearch.docs[{chunk}] = %s;", data)}


def _meta_file(total: int, shards: int, stop: frozenset[str]) -> dict[str, bytes]:
    meta = {
        "version": 4,
        "docs": total,
        "sections": SECTIONS,
        "chunk": SLOTS_PER_CHUNK,
        "shards": shards,
        "stop": sorted(stop),
    }
    return {"search/index.js": _script("window.PlaybookSearch = %s;", {"meta": meta, "terms": {}, "docs": {}})}


def _json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # U+2028 and U+2029 end a line in JavaScript before ES2019, even inside a string.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(template: str, data: object) -> bytes:
    return (template % _json(data) + "\n").encode("utf-8")


def _weights(entry: Entry, stop: frozenset[str]) -> dict[str, int]:
    """Each word's weight in one result: its best field decides; repeats add a little, up to a point."""
    # Counted with C-level calls on whole word lists (this runs for every result of a big playbook).
    by_weight: dict[int, list[str]] = {}
    for text, weight in entry.fields:
        by_weight.setdefault(weight, []).extend(words(text, INDEXED_WORD))
    count: Counter[str] = Counter()
    best: dict[str, int] = {}
    for weight in sorted(by_weight):
        found = by_weight[weight]
        count.update(found)
        best.update(dict.fromkeys(found, weight))
    for word in stop.intersection(best):
        del best[word]
    extra, most = _REPEAT_BONUS, REPEATS_COUNTED - 1
    return {
        word: weight + (extra[n] if (n := count[word]) < REPEATS_COUNTED else most) for word, weight in best.items()
    }


_REPEAT_BONUS = [0, *range(REPEATS_COUNTED)]  # by times a word is said (below REPEATS_COUNTED): weight added
assert TITLE + REPEATS_COUNTED - 1 <= MAX_WEIGHT, "a weight must fit one base-36 digit"


def _encode(block: int, found: dict[int, int]) -> str:
    """One block of a word's results: `<block>:` then `<slot gap><section><weight>` in base 36,
    each gap from the previous slot, the first from the block's first slot."""
    small = _SMALL_BASE36
    previous = block * SLOTS_PER_CHUNK
    parts = []
    for number in sorted(found):
        slot, section = divmod(number, SECTIONS)
        gap = slot - previous
        parts.append((small[gap] if gap < len(small) else _base36(gap)) + small[section] + small[found[number]])
        previous = slot
    return _base36(block) + ":" + ",".join(parts)


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


def _folded(entries: list[Entry]) -> list[Entry]:
    """At most SECTIONS results; the text of any beyond is searched as part of the last one."""
    if len(entries) <= SECTIONS:
        return entries
    last, rest = entries[SECTIONS - 1], entries[SECTIONS:]
    extra = tuple((text, weight) for entry in rest for text, weight in entry.fields)
    return [*entries[: SECTIONS - 1], Entry(last.url, last.title, last.where, last.snippet, last.fields + extra)]


def _slot_makers(site: Site) -> dict[Slot, Callable[[], list[Entry]]]:
    """For every file that has results, how to make them (only called when the file changed)."""
    playbook = site.playbook
    makers: dict[Slot, Callable[[], list[Entry]]] = {}
    for program in playbook.programs.values():
        makers[("program", program.id)] = functools.partial(_program_entries, program)
    for guide in playbook.guides.values():
        makers[("guide", guide.id)] = functools.partial(_guide_entries, site, guide.id)
    for worksheet in playbook.worksheets.values():
        makers[("worksheet", worksheet.id)] = functools.partial(_worksheet_entries, worksheet)
    for checklist in playbook.checklists.values():
        makers[("checklist", checklist.id)] = functools.partial(_checklist_entries, checklist)
    return makers


def _program_entries(program: Program) -> list[Entry]:
    text = _plain(program.description)
    fields: tuple[tuple[str, int], ...] = ((program.title, TITLE), (program.summary, HEADING), (text, BODY))
    entries = [
        Entry(page_url("program", program.id), program.title, "Program", _snippet(f"{program.summary} {text}"), fields)
    ]
    for month in program.months_in_order:
        items = [
            *(i for items in month.prepare.values() for i in items),
            *(i for items in month.follow_up.values() for i in items),
            *month.outcomes,
        ]
        body = " ".join(
            [*(_plain(i) for i in items), *(_plain(a.details or "") for a in month.agenda), _plain(month.notes)]
        )
        agenda = " · ".join(a.topic for a in month.agenda)
        fields = ((f"Month {month.number} {month.title}", TITLE), (month.goal, HEADING), (agenda, ITEM), (body, BODY))
        title = f"Month {month.number}: {month.title}"
        entries.append(
            Entry(
                month_url(program.id, month.number),
                title,
                program.title,
                _snippet(f"{month.goal} {agenda} {body}"),
                fields,
            )
        )
    return entries


def _guide_entries(site: Site, guide_id: str) -> list[Entry]:
    """A guide's introduction, then one entry per section (from each h2 or h3 heading)."""
    guide = site.playbook.guides[guide_id]
    title, summary = guide.title, guide.meta.summary
    url = page_url("guide", guide_id)
    html_text = site.guide_html[guide_id].html
    starts = list(SECTION_START.finditer(html_text))
    intro = _text(html_text[: starts[0].start()] if starts else html_text)
    fields = ((title, TITLE), (summary, HEADING), (intro, BODY))
    entries = [Entry(url, title, "Guide", _snippet(f"{summary} {intro}"), fields)]
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(html_text)
        heading, body = _text(start[3]), _text(html_text[start.end() : end])
        entries.append(
            Entry(
                f"{url}#{start[2]}", heading, title, _snippet(body), ((heading, HEADING), (title, BODY), (body, BODY))
            )
        )
    return entries


def _worksheet_entries(worksheet: Worksheet) -> list[Entry]:
    labels = " · ".join([*(s.title for s in worksheet.sections), *(f.label for f in worksheet.fields)])
    hints = " ".join(
        [
            _plain(worksheet.instructions),
            *(f.hint for f in worksheet.fields),
            *(_plain(s.intro) for s in worksheet.sections),
        ]
    )
    fields = ((worksheet.title, TITLE), (worksheet.summary, HEADING), (labels, ITEM), (hints, BODY))
    snippet = _snippet(f"{worksheet.summary} · {labels}")
    return [Entry(page_url("worksheet", worksheet.id), worksheet.title, "Worksheet", snippet, fields)]


def _checklist_entries(checklist: Checklist) -> list[Entry]:
    items = " · ".join(_plain(item.text) for item in checklist.items)
    details = " ".join([_plain(checklist.description), *(_plain(item.details or "") for item in checklist.items)])
    fields = ((checklist.title, TITLE), (checklist.summary, HEADING), (items, ITEM), (details, BODY))
    snippet = _snippet(f"{checklist.summary} · {items}")
    return [Entry(page_url("checklist", checklist.id), checklist.title, "Checklist", snippet, fields)]


def _plain(markdown: str) -> str:
    """Markdown as words to search: link text kept, addresses and markup dropped."""
    return re.sub(r"[*_`#>|~]+", " ", LINK.sub(r"\1", markdown))


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", fragment)).split())


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET_LENGTH:
        return text
    return text[:SNIPPET_LENGTH].rsplit(" ", 1)[0] + "…"
