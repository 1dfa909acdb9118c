"""What the search finds in each file of the playbook: its results, and each word's weight in them.

A program gives one result for itself and one per month; a guide one for its introduction and
one per section (each h2 or h3 heading), and so does the changelog; a worksheet or checklist one.
Words in titles count most, then headings, checklist items and field labels, then body text.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .interface import Words
from .links import month_url, page_url
from .models import Checklist, Program, Worksheet
from .search_words import INDEXED_WORD, words
from .site import Site

TITLE, HEADING, ITEM, BODY = 10, 5, 4, 1
MAX_WEIGHT = 35  # weights, like sections, are written as one base-36 digit
SECTIONS = 36  # results per slot; a guide with more sections has the rest folded into its last one
REPEATS_COUNTED = 4  # a word said five times is not five times as relevant
SNIPPET_LENGTH = 400  # the text a result's snippet is cut from, around the words found
TAGS = re.compile(r"<[^>]+>")
SECTION_START = re.compile(r'<h([23]) id="([^"]*)">(.*?)</h\1>', re.DOTALL)
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")

Slot = tuple[str, str]  # (kind, id) of the file a group of results comes from
Doc = list[str]  # a result as the browser shows it: page, title, where, snippet


@dataclass(frozen=True)
class Entry:
    """One search result: a page, or a section of a guide."""

    url: str
    title: str
    where: str  # what it is part of, e.g. the guide or program
    snippet: str
    fields: tuple[tuple[str, int], ...]  # (text, weight)


def slot_results(entries: list[Entry], stop: frozenset[str]) -> tuple[list[Doc], list[dict[str, int]]]:
    """A slot's results as the browser shows them, and each one's words with their weights."""
    folded = _folded(entries)
    return [[e.url, e.title, e.where, e.snippet] for e in folded], [_weights(e, stop) for e in folded]


def slot_makers(site: Site) -> dict[Slot, Callable[[], list[Entry]]]:
    """For every file that has results, how to make them (only called when the file changed)."""
    playbook = site.playbook
    makers: dict[Slot, Callable[[], list[Entry]]] = {}
    spoken = site.words  # what a result says it is, in the playbook's language
    for program in playbook.programs.values():
        makers[("program", program.id)] = functools.partial(_program_entries, spoken, program)
    for guide in playbook.guides.values():
        makers[("guide", guide.id)] = functools.partial(_guide_entries, site, guide.id)
    for worksheet in playbook.worksheets.values():
        makers[("worksheet", worksheet.id)] = functools.partial(_worksheet_entries, spoken, worksheet)
    for checklist in playbook.checklists.values():
        makers[("checklist", checklist.id)] = functools.partial(_checklist_entries, spoken, checklist)
    if site.changes is not None:
        makers[("changelog", "changelog")] = functools.partial(_changelog_entries, site)
    return makers


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


def _folded(entries: list[Entry]) -> list[Entry]:
    """At most SECTIONS results; the text of any beyond is searched as part of the last one."""
    if len(entries) <= SECTIONS:
        return entries
    last, rest = entries[SECTIONS - 1], entries[SECTIONS:]
    extra = tuple((text, weight) for entry in rest for text, weight in entry.fields)
    return [*entries[: SECTIONS - 1], Entry(last.url, last.title, last.where, last.snippet, last.fields + extra)]


def _program_entries(spoken: Words, program: Program) -> list[Entry]:
    text = _plain(program.description)
    fields: tuple[tuple[str, int], ...] = ((program.title, TITLE), (program.summary, HEADING), (text, BODY))
    kind = spoken.speak("Program")
    entries = [
        Entry(page_url("program", program.id), program.title, kind, _snippet(f"{program.summary} {text}"), fields)
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
        title = spoken.speak("Month %(number)s: %(title)s", number=month.number, title=month.title)
        fields = ((title, TITLE), (month.goal, HEADING), (agenda, ITEM), (body, BODY))
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
    url = page_url("guide", guide_id)
    return _sections(url, guide.title, guide.meta.summary, site.words.speak("Guide"), site.guide_html[guide_id].html)


def _changelog_entries(site: Site) -> list[Entry]:
    """The changelog's introduction, then one entry per edition (from each h2 or h3 heading)."""
    html_text = site.changes.html if site.changes else ""
    # Its page is the kind of thing it is: no word for "where" (the playbook's title would be stale in a kept run).
    return _sections(page_url("changes"), site.words.speak("What changed"), "", "", html_text)


def _sections(url: str, title: str, summary: str, kind: str, html_text: str) -> list[Entry]:
    """A Markdown page's introduction, then one entry per section (from each h2 or h3 heading)."""
    starts = list(SECTION_START.finditer(html_text))
    intro = _text(html_text[: starts[0].start()] if starts else html_text)
    fields = ((title, TITLE), (summary, HEADING), (intro, BODY))
    entries = [Entry(url, title, kind, _snippet(f"{summary} {intro}"), fields)]
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(html_text)
        heading, body = _text(start[3]), _text(html_text[start.end() : end])
        entries.append(
            Entry(
                f"{url}#{start[2]}", heading, title, _snippet(body), ((heading, HEADING), (title, BODY), (body, BODY))
            )
        )
    return entries


def _worksheet_entries(spoken: Words, worksheet: Worksheet) -> list[Entry]:
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
    return [Entry(page_url("worksheet", worksheet.id), worksheet.title, spoken.speak("Worksheet"), snippet, fields)]


def _checklist_entries(spoken: Words, checklist: Checklist) -> list[Entry]:
    items = " · ".join(_plain(item.text) for item in checklist.items)
    details = " ".join([_plain(checklist.description), *(_plain(item.details or "") for item in checklist.items)])
    fields = ((checklist.title, TITLE), (checklist.summary, HEADING), (items, ITEM), (details, BODY))
    snippet = _snippet(f"{checklist.summary} · {items}")
    return [Entry(page_url("checklist", checklist.id), checklist.title, spoken.speak("Checklist"), snippet, fields)]


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
