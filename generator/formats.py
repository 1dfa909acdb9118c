"""How numbers and lists read in the playbook's language, from Babel's CLDR data.

The browser writes them with `Intl.NumberFormat` and `Intl.ListFormat` (`P.number`, `P.list` in store.js),
which read the same CLDR data; where Babel leaves a CLDR rule out, it is kept here, so that a count the
build wrote and one a script wrote read exactly alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel.core import get_global
from babel.lists import format_list
from babel.numbers import format_decimal

from .dates import babel_locale

# Latin digits in every language, as in the browser (store.js asks Intl for `latn` too): the dates on the
# pages (Babel's patterns, calendar.js) are written with them, and CLDR's `ar` counts with them as well,
# while a regional tag such as `ar-EG` would get Arabic-Indic digits from Chromium's ICU by default.
DIGITS = "latn"

# CLDR's `minimumGroupingDigits` where it is 2: 1234 stays whole and 12 345 is grouped ("1234", "12.345" in
# Spanish). Babel does not read that setting; Intl does. Looked up along the locale's CLDR parents, so
# `es-MX` (under `es_419`, which groups from 1 000) differs from `es`.
GROUPING_FROM = {
    "bg": 2,
    "es": 2,
    "es_419": 1,
    "et": 2,
    "hu": 2,
    "it": 2,
    "lv": 2,
    "pl": 2,
    "pt_AO": 1,
    "pt_PT": 2,
    "ru_UA": 2,
    "sl": 2,
}


@dataclass(frozen=True)
class NumberStyle:
    """How one language writes numbers and joins a list of names."""

    locale: str
    grouping_from: int = 1  # how many digits the highest group needs before a separator is written

    def number(self, value: float) -> str:
        """A number as the language writes it, e.g. `1,234` in English, `1 234` in French, `1234` in Spanish."""
        if type(value) is int and 0 <= value < 1000:
            return str(value)  # no separator and no sign, in Latin digits: the same in every language
        return self._formatted(value)

    @lru_cache(maxsize=1024, typed=True)  # noqa: B019 - a style lives as long as the process; numbers repeat
    def _formatted(self, value: float) -> str:
        grouped = self.grouping_from < 2 or abs(value) >= 10 ** (3 + self.grouping_from - 1)
        return str(format_decimal(value, locale=self.locale, group_separator=grouped, numbering_system=DIGITS))

    def list_of(self, items: Iterable[object]) -> str:
        """Names joined as the language joins them, e.g. `Mentor, Protégé, and Program lead`."""
        return self._joined(tuple(str(item) for item in items))

    @lru_cache(maxsize=256)  # noqa: B019 - the same few role names are joined on page after page
    def _joined(self, names: tuple[str, ...]) -> str:
        return str(format_list(list(names), style="standard", locale=self.locale))

    def values(self, values: Mapping[str, object]) -> dict[str, object]:
        """A message's values with each number written as the language writes it; the rest as they are."""
        return {
            name: self.number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
            for name, v in values.items()
        }


@lru_cache(maxsize=8)
def number_style(language: str) -> NumberStyle:
    """The number style of a BCP 47 language tag; its base language, or English, when Babel does not know it."""
    locale = babel_locale(language)
    return NumberStyle(str(locale), _grouping_from(str(locale)))


def _grouping_from(locale: str) -> int:
    """CLDR's minimum grouping digits of a locale, from the nearest of its parents that sets it."""
    parents = get_global("parent_exceptions")
    while locale and locale != "root":
        if locale in GROUPING_FROM:
            return GROUPING_FROM[locale]
        locale = parents.get(locale) or locale.rpartition("_")[0]
    return 1
