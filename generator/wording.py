"""Phrases the interface builds from content, in the playbook's language: how often a pair meets,
when a checklist item is due, how often a worksheet repeats.

The models keep English labels for messages in the terminal; pages use these, through the
`Site`, so that a translator can reorder each phrase. Weekday names come from Babel's CLDR data.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

from .interface import N_, Words
from .models import Program
from .recurrence import Occurs
from .values import Timing

OFTEN = {"week": N_("every week"), "fortnight": N_("every other week"), "month": N_("every month")}
NTH = {
    1: N_("the first %(weekday)s"),
    2: N_("the second %(weekday)s"),
    3: N_("the third %(weekday)s"),
    4: N_("the fourth %(weekday)s"),
    -1: N_("the last %(weekday)s"),
}
MOMENTS = {"before": N_("Before the meeting"), "during": N_("During the meeting"), "after": N_("After the meeting")}


@lru_cache(maxsize=64)
def weekday_name(language: str, weekday: int) -> str:
    """The weekday's name (0 is Monday) as the language writes it inside a sentence."""
    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return str(locale.days["format"]["wide"][weekday])


def rule_label(words: Words, program: Program) -> str:
    """How often and on which day the pair meets, e.g. `every month on the second Thursday`."""
    often = words.speak(OFTEN[program.step])
    on = program.schedule.on
    if on is None:
        return often
    if on.day is not None:
        return words.speak("%(often)s on day %(day)s", often=often, day=on.day)
    weekday = weekday_name(words.language, on.weekday or 0)
    day = weekday if on.nth is None else words.speak(NTH[on.nth], weekday=weekday)
    return words.speak("%(often)s on %(day)s", often=often, day=day)


def timing_label(words: Words, when: Timing | None) -> str:
    """When a checklist item is due, e.g. `2 weeks after the meeting`."""
    if when is None:
        return words.speak("Any time")
    if when.month is not None:
        return words.speak("Month %(number)s", number=when.month)
    if when.offset_days:
        days = abs(when.offset_days)
        amount = (
            words.speak_n("%(n)s week", "%(n)s weeks", days // 7)
            if days % 7 == 0
            else words.speak_n("%(n)s day", "%(n)s days", days)
        )
        if when.offset_days < 0:
            return words.speak("%(amount)s before the meeting", amount=amount)
        return words.speak("%(amount)s after the meeting", amount=amount)
    return words.speak(MOMENTS[when.moment or "during"])


def repeat_label(words: Words, rule: Occurs) -> str:
    """How often a worksheet repeats, e.g. `every 60 days from day 30`."""
    if rule.each_meeting:
        return words.speak("after each meeting")
    if rule.month is not None:
        return words.speak("at the month %(number)s meeting", number=rule.month)
    if rule.every_days is not None:
        every = rule.every_days
        amount = (
            words.speak_n("%(n)s week", "%(n)s weeks", every // 7)
            if every % 7 == 0
            else words.speak_n("%(n)s day", "%(n)s days", every)
        )
        if rule.first_day != every:
            return words.speak("every %(amount)s from day %(day)s", amount=amount, day=rule.first_day)
        return words.speak("every %(amount)s", amount=amount)
    return words.speak("on day %(day)s", day=rule.first_day)
