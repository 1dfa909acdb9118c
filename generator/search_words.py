"""Words as the search finds them: lowercase, without accents, split as the browser splits them too.

The browser side is `words` in `themes/default/static/search.js`; both must give the same words
for the same text, or a reader's query would miss what the index holds.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .stop_words import STOP_WORDS

WORD = re.compile(r"[^\W_]+")
INDEXED_WORD = re.compile(r"[^\W_]{2,}")  # the same words, less those of one letter: they are not indexed


def words(text: str, pattern: re.Pattern[str] = WORD) -> list[str]:
    """Lowercase words without accents, as the browser splits them too."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = _accents().sub("", unicodedata.normalize("NFKD", lowered))
    return pattern.findall(lowered)


def stop_words(language: str) -> frozenset[str]:
    """The words not indexed in a playbook written in `language` (a BCP 47 tag: `fr-CA` uses French's);
    none for a language without a list."""
    return STOP_WORDS.get(language.lower().split("-")[0], frozenset())


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
