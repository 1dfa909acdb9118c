"""The offline search index: every part of the playbook as words that point at its page.

The index is a set of scripts the page loads (fetching JSON is blocked from `file://`):

- `search/index.js`: how the rest is split, and the words not indexed;
- `search/terms-N.js`: words that start with the same two letters (by a hash of
  them), each with the results that contain it and a weight: words in titles
  count most, then headings, checklist items and field labels, then body text;
- `search/docs-N.js`: the results themselves (page, title, where, text for the
  snippet), in chunks, loaded only for the results shown.

So a search loads one small file per word typed and a few chunks, however big the
playbook. The browser side is `themes/default/static/search.js`; the two split
words and pick files the same way.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .links import month_url, page_url
from .models import Checklist, Month, Program, Worksheet
from .site import Site

TITLE, HEADING, ITEM, BODY = 10, 5, 4, 1
SNIPPET_LENGTH = 400  # the text a result's snippet is cut from, around the words found
MAX_WEIGHT = 35  # weights are written as one base-36 digit
DOCS_PER_CHUNK = 100
BYTES_PER_SHARD = 100_000  # about how much of the word list one file holds
REPEATS_COUNTED = 4  # a word said five times is not five times as relevant
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


def words(text: str) -> list[str]:
    """Lowercase words without accents, as the browser splits them too."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", folded)


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
    stop = STOP_WORDS_EN if site.playbook.settings.language.lower().startswith("en") else frozenset()
    docs: list[list[str]] = []
    postings: dict[str, dict[int, int]] = {}
    for number, entry in enumerate(_entries(site)):
        docs.append([entry.url, entry.title, entry.where, entry.snippet])
        for word, weight in _weights(entry, stop).items():
            postings.setdefault(word, {})[number] = weight
    encoded = {word: _encode(found) for word, found in postings.items()}
    size = sum(len(word) + len(text) + 6 for word, text in encoded.items())
    shards = max(1, min(256, size // BYTES_PER_SHARD + 1))
    grouped: dict[int, dict[str, str]] = {}
    for word in sorted(encoded):
        grouped.setdefault(shard_of(word, shards), {})[word] = encoded[word]
    meta = {"version": 2, "docs": len(docs), "chunk": DOCS_PER_CHUNK, "shards": shards, "stop": sorted(stop)}
    files = {"search/index.js": _script("window.PlaybookSearch = %s;", {"meta": meta, "terms": {}, "docs": {}})}
    for shard in range(shards):
        words_here = grouped.get(shard, {})
        part = {"terms": list(words_here), "postings": list(words_here.values())}
        files[f"search/terms-{shard}.js"] = _script(f"window.PlaybookSearch.terms[{shard}] = %s;", part)
    for chunk in range(0, max(1, len(docs)), DOCS_PER_CHUNK):
        files[f"search/docs-{chunk // DOCS_PER_CHUNK}.js"] = _script(
            f"window.PlaybookSearch.docs[{chunk // DOCS_PER_CHUNK}] = %s;", docs[chunk : chunk + DOCS_PER_CHUNK]
        )
    return files


def shard_of(word: str, shards: int) -> int:
    """Which terms file holds `word`: a hash of its first two letters, as search.js computes it."""
    return (ord(word[0]) * 31 + ord(word[1])) % shards


def _script(template: str, data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # U+2028 and U+2029 end a line in JavaScript before ES2019, even inside a string.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (template % text + "\n").encode("utf-8")


def _weights(entry: Entry, stop: frozenset[str]) -> dict[str, int]:
    """Each word's weight in one result: its best field decides; repeats add a little, up to a point."""
    best: dict[str, int] = {}
    count: dict[str, int] = {}
    for text, weight in entry.fields:
        for word in words(text):
            if len(word) > 1 and word not in stop:
                best[word] = max(best.get(word, 0), weight)
                count[word] = count.get(word, 0) + 1
    return {word: min(MAX_WEIGHT, best[word] + min(count[word], REPEATS_COUNTED) - 1) for word in best}


def _encode(found: dict[int, int]) -> str:
    """Results of one word as `<gap><weight>` pairs in base 36, the gap from the previous result."""
    parts, previous = [], 0
    for number in sorted(found):
        parts.append(_base36(number - previous) + _base36(found[number]))
        previous = number
    return ",".join(parts)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _entries(site: Site) -> Iterator[Entry]:
    playbook = site.playbook
    for program in playbook.programs.values():
        yield _program_entry(program)
        for month in program.months_in_order:
            yield _month_entry(program, month)
    for guide in playbook.guides.values():
        yield from _guide_entries(site, guide.id, guide.title, guide.meta.summary)
    for worksheet in playbook.worksheets.values():
        yield _worksheet_entry(worksheet)
    for checklist in playbook.checklists.values():
        yield _checklist_entry(checklist)


def _program_entry(program: Program) -> Entry:
    text = _plain(program.description)
    return Entry(
        page_url("program", program.id),
        program.title,
        "Program",
        _snippet(program.summary),
        ((program.title, TITLE), (program.summary, HEADING), (text, BODY)),
    )


def _month_entry(program: Program, month: Month) -> Entry:
    items = [
        *(i for items in month.prepare.values() for i in items),
        *(i for items in month.follow_up.values() for i in items),
        *month.outcomes,
    ]
    body = " ".join(
        [*(_plain(i) for i in items), *(_plain(a.details or "") for a in month.agenda), _plain(month.notes)]
    )
    fields = (
        (f"Month {month.number} {month.title}", TITLE),
        (month.goal, HEADING),
        (" ".join(a.topic for a in month.agenda), ITEM),
        (body, BODY),
    )
    return Entry(
        month_url(program.id, month.number),
        f"Month {month.number}: {month.title}",
        program.title,
        _snippet(month.goal),
        fields,
    )


def _guide_entries(site: Site, guide_id: str, title: str, summary: str) -> Iterator[Entry]:
    """A guide's introduction, then one entry per section (from each h2 or h3 heading)."""
    url = page_url("guide", guide_id)
    html_text = site.guide_html[guide_id].html
    starts = list(SECTION_START.finditer(html_text))
    intro = _text(html_text[: starts[0].start()] if starts else html_text)
    yield Entry(
        url, title, "Guide", _snippet(f"{summary} {intro}"), ((title, TITLE), (summary, HEADING), (intro, BODY))
    )
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(html_text)
        heading = _text(start[3])
        body = _text(html_text[start.end() : end])
        yield Entry(
            f"{url}#{start[2]}", heading, title, _snippet(body), ((heading, HEADING), (title, BODY), (body, BODY))
        )


def _worksheet_entry(worksheet: Worksheet) -> Entry:
    labels = " ".join([*(s.title for s in worksheet.sections), *(f.label for f in worksheet.fields)])
    hints = " ".join(
        [
            _plain(worksheet.instructions),
            *(f.hint for f in worksheet.fields),
            *(_plain(s.intro) for s in worksheet.sections),
        ]
    )
    fields = ((worksheet.title, TITLE), (worksheet.summary, HEADING), (labels, ITEM), (hints, BODY))
    snippet = _snippet(f"{worksheet.summary} {' · '.join(f.label for f in worksheet.fields)}")
    return Entry(page_url("worksheet", worksheet.id), worksheet.title, "Worksheet", snippet, fields)


def _checklist_entry(checklist: Checklist) -> Entry:
    items = " · ".join(_plain(item.text) for item in checklist.items)
    details = " ".join([_plain(checklist.description), *(_plain(item.details or "") for item in checklist.items)])
    fields = ((checklist.title, TITLE), (checklist.summary, HEADING), (items, ITEM), (details, BODY))
    snippet = _snippet(f"{checklist.summary} · {items}")
    return Entry(page_url("checklist", checklist.id), checklist.title, "Checklist", snippet, fields)


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
