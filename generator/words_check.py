"""What `check` says about the interface's words: a `strings:` entry of playbook.yaml that no page can
show or that would break its message, and how many messages still show in English in another language.

The theme's `locale/messages.pot` says which messages there are; a theme without one is not checked
against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import Diagnostic, closest
from .interface import ThemeMessage, Words, theme_messages
from .names import LOCALE_FOLDER
from .values import Source

NAMED = 3  # messages named in the warning about missing translations
FIELD = re.compile(r"%\((\w+)\)s")
LONE_PERCENT = re.compile(r"%(?!\(\w+\)s|%)")  # a % that starts no field: Python's formatting refuses it


def check_strings(
    theme_folder: Path, language: str, strings: Mapping[str, str], where: Source
) -> tuple[dict[str, str], list[Diagnostic]]:
    """The entries of `strings` (as playbook.yaml, at `where`, gives them) that pages can use, and the
    problems with all of them: an entry with an error is left out, so that planning the pages goes on."""
    if not strings:
        return {}, []  # the theme's list of messages is not even read
    messages = theme_messages(theme_folder)
    found = list(_wrong_fields(strings, messages or {}, where))
    if messages is not None:
        found += _unknown_or_plural(strings, messages, language, where)
    wrong = {message for message, problem in found if problem.is_error}
    return {m: text for m, text in strings.items() if m not in wrong}, [problem for _message, problem in found]


def check_translated(words: Words, theme_folder: Path, where: Source) -> list[Diagnostic]:
    """For a language other than English, one warning naming the theme's messages `words` has no translation for."""
    if _english(words.language):
        return []
    messages = theme_messages(theme_folder)
    return list(_untranslated(words, messages, where)) if messages is not None else []


def _wrong_fields(
    strings: Mapping[str, str], messages: Mapping[str, ThemeMessage], where: Source
) -> Iterator[tuple[str, Diagnostic]]:
    """Texts that name a field (`%(name)s`) their message does not fill in, or that hold a % starting no
    field where the message is filled in: either would stop the page from being made."""
    for message, text in strings.items():
        fields = set(FIELD.findall(message))
        unknown = sorted(set(FIELD.findall(text)) - fields)
        formatted = bool(fields) or (message in messages and messages[message].formatted)
        if unknown:
            named = ", ".join(f"%({name})s" for name in unknown)
            allowed = ", ".join(f"%({name})s" for name in sorted(fields))
            hint = f"the message fills in {allowed}" if fields else "the message fills in no fields: leave them out"
            problem = f"the text for '{message}' uses {named}, which the message does not fill in"
            yield message, _at(where, ("strings", message), problem, hint, severity="error")
        elif formatted and LONE_PERCENT.search(text):
            hint = "write a percent sign as %%" + (", and a field as %(name)s" if fields else "")
            problem = f"the text for '{message}' has a % that starts no field"
            yield message, _at(where, ("strings", message), problem, hint, severity="error")


def _unknown_or_plural(
    strings: Mapping[str, str], messages: Mapping[str, ThemeMessage], language: str, where: Source
) -> Iterator[tuple[str, Diagnostic]]:
    """Entries that are no message of the theme (a warning), or a message with plural forms (an error)."""
    for message in strings:
        if message not in messages:
            match = closest(message, messages)
            hint = (
                f"did you mean '{match}'?" if match else f"the theme's {LOCALE_FOLDER}/messages.pot lists every message"
            )
            yield (
                message,
                _at(where, ("strings", message), f"'{message}' is not a message of the theme", hint, key=True),
            )
        elif plural := messages[message].plural:
            yield (
                message,
                _at(
                    where,
                    ("strings", message),
                    f"'{message}' has a form for one and a form for many ('{plural}'): one text cannot give both",
                    f'put it in {LOCALE_FOLDER}/{language}.po, with msgid_plural "{plural}" and a msgstr[n] for each form',
                    key=True,
                    severity="error",
                ),
            )


def _untranslated(words: Words, messages: Mapping[str, ThemeMessage], where: Source) -> Iterator[Diagnostic]:
    """One warning when some messages have no translation in a language other than English."""
    if _english(words.language):
        return
    missing = [message for message in messages if message not in words.messages]
    if not missing:
        return
    named = ", ".join(f"'{message}'" for message in missing[:NAMED]) + (", …" if len(missing) > NAMED else "")
    have = "has" if len(missing) == 1 else "have"
    text = (
        f"{len(missing)} of {len(messages)} interface strings {have} no {_language_name(words.language)} translation,"
        f" so they show in English: {named}"
    )
    hint = (
        f"add them to {LOCALE_FOLDER}/{words.language}.po (the theme's {LOCALE_FOLDER}/messages.pot lists them all)"
        f" or under strings: in {where.path}"
    )
    yield _at(where, ("language",), text, hint)


def _language_name(tag: str) -> str:
    """`Italian (it)`, or the tag alone (`'xx'`) when it names no language Babel knows."""
    try:
        return f"{Locale.parse(tag.split('-')[0]).english_name} ({tag})"
    except (UnknownLocaleError, ValueError):
        return f"'{tag}'"


def _at(
    where: Source, loc: tuple[str, ...], message: str, hint: str, *, key: bool = False, severity: str = "warning"
) -> Diagnostic:
    """A diagnostic at the value (or key) at `loc` of the settings file; at its top when positions are unknown."""
    line, col = where.positions.position(loc, key=key) if where.positions is not None else (0, 0)
    return Diagnostic(where.path, line, col, message, hint, "error" if severity == "error" else "warning")


def _english(language: str) -> bool:
    """Whether a language tag is English's: the theme's messages are English, so nothing is missing."""
    return language.lower().split("-")[0] == "en"
