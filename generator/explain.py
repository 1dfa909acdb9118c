"""Say what a pydantic validation error means, in the words of someone editing YAML."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import inspect
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .errors import closest, did_you_mean, one_of
from .models import FIELD_TYPES, FONT_FAMILY_PATTERN, FONT_WEIGHT_PATTERN, SettingsTranslation, SiteSettings
from .models.settings import CONTACT_PATTERN
from .values import ORDINALS, SLUG_PATTERN, WEEKDAYS

PATTERN_MEANINGS = {
    SLUG_PATTERN: "lowercase letters, digits and hyphens, like 'first-meeting'",
    r"^#(?:[0-9a-fA-F]{3}){1,2}$": "a hex color like '#1d4f91'",
    r"^https?://[^\s\"'<>]+$": "an address starting with http:// or https://",
    r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$": "a language tag like 'en' or 'en-GB'",
    r"^([01][0-9]|2[0-3]):[0-5][0-9]$": 'a 24-hour time like "10:00"',
    CONTACT_PATTERN: "an email address like 'mentoring@example.org', or an address starting with https://",
    FONT_FAMILY_PATTERN: "a font's name of letters, digits, single spaces and hyphens, like 'Source Serif 4'",
    FONT_WEIGHT_PATTERN: "a weight from 1 to 1000 like 700, or a variable font's range like '100 900'",
}


def explain(error: Any, model_class: type[BaseModel]) -> tuple[str, str]:
    """A message and a hint for one entry of `ValidationError.errors()`."""
    kind: str = error["type"]
    loc = tuple(error["loc"])
    name = field_name(loc)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    got = f", got {describe(value)}"
    if kind == "missing":
        return f"missing required key '{name}'", ""
    if kind == "extra_forbidden" and _shared_setting(model_class, loc):
        return f"'{name}' is not translated: every language has playbook.yaml's", "remove it here"
    if kind == "extra_forbidden":
        return f"unknown key '{name}'", did_you_mean(str(name), allowed_keys(model_class, loc))
    if kind == "union_tag_invalid":
        return f"unknown field type '{ctx.get('tag')}'", did_you_mean(str(ctx.get("tag")), FIELD_TYPES) or one_of(
            FIELD_TYPES
        )
    if kind == "union_tag_not_found":
        return "a field needs a 'type'", one_of(FIELD_TYPES)
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"'{name}' must be {_or(options)}{got}", did_you_mean(str(value), options)
    if kind == "string_pattern_mismatch":
        meaning = PATTERN_MEANINGS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
        return f"'{name}' must be {meaning}{got}", ""
    if kind == "string_too_long" and isinstance(value, str):
        return f"'{name}' must be at most {ctx.get('max_length')} characters, got {len(value)}", "shorten it"
    if kind in ("too_short", "string_too_short"):
        return _too_short(name, value, ctx)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _out_of_range(name, value, ctx, model_class, loc)
    if kind == "device_name":
        return f"'{name}' {error['msg']}", f"rename it, e.g. to '{value}-team'"
    if kind == "timing":
        return f"'{name}' {error['msg']}{got}", ""
    if kind == "meeting_day":
        return f"'{name}' {error['msg']}{got}", _meeting_day_hint(value)
    if kind in ("date_parsing", "date_from_datetime_parsing") and isinstance(value, str):
        if _not_a_day(value):
            return f"'{name}' must be a day of the calendar{got}", _not_a_day(value)
        return f"'{name}' must be a date like 2027-01-14{got}", "write the year, month and day in digits: YYYY-MM-DD"
    if kind == "time_zone":
        return str(error["msg"]), ""
    expected = EXPECTED.get(kind)
    if expected:
        hint = "put it in quotes" if expected == "text" and isinstance(value, (int, float, bool, dt.date)) else ""
        if expected == "a list" and isinstance(value, str):
            hint = "write each entry on its own line starting with '- '"
        return f"'{name}' must be {expected}{got}", hint
    return f"'{name}': {error['msg']}", ""


def _shared_setting(model_class: type[BaseModel], loc: tuple[Any, ...]) -> bool:
    """Whether a key of `playbook.<lang>.yaml` is a setting every language shares (`version:`, `start_date:`)."""
    return model_class is SettingsTranslation and len(loc) == 1 and loc[0] in SiteSettings.model_fields


EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date like 2027-01-14",
    "date_parsing": "a date like 2027-01-14",
    "date_from_datetime_parsing": "a date like 2027-01-14",
    "date_from_datetime_inexact": "a date like 2027-01-14, without a time",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping of `key: value` lines",
    "model_type": "a mapping of `key: value` lines",
    "model_attributes_type": "a mapping of `key: value` lines",
}


def _meeting_day_hint(value: Any) -> str:
    """`did you mean 'second thursday'?` for `2nd thursdy`: each word put right, when each is close to one."""
    words = str(value).strip().lower().split()
    if len(words) == 1:
        meant = [_closest_word(words[0], WEEKDAYS)]
    elif len(words) == 2 and words[0] != "day":
        meant = [_closest_word(words[0], tuple(ORDINALS)), _closest_word(words[1], WEEKDAYS)]
    else:
        return ""
    if None in meant or meant == words:
        return ""
    return f"did you mean '{' '.join(w for w in meant if w)}'?"


def _closest_word(word: str, choices: tuple[str, ...]) -> str | None:
    """The choice that starts with `word` (`thurs`), else the one spelt most like it (`thursdy`)."""
    starting = [c for c in choices if len(word) >= 2 and c.startswith(word)]
    return starting[0] if len(starting) == 1 else closest(word, choices)


def _not_a_day(value: str) -> str:
    """Why a date written as YYYY-MM-DD names no day (`February 2027 has 28 days`), or '' when it is not one."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    if match is None:
        return ""
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return "a date is written YYYY-MM-DD, with the month from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days" if not 1 <= day <= days else ""


def _or(options: list[str]) -> str:
    quoted = [f"'{o}'" for o in options]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _too_short(name: str | int, value: Any, ctx: dict[str, Any]) -> tuple[str, str]:
    if isinstance(value, str):
        return f"'{name}' must not be empty", ""
    least = ctx.get("min_length", 1)
    entries = "entry" if least == 1 else "entries"
    return f"'{name}' needs at least {least} {entries}", ""


def _out_of_range(
    name: str | int, value: Any, ctx: dict[str, Any], model_class: type[BaseModel], loc: tuple[Any, ...]
) -> tuple[str, str]:
    low, high = _bounds(model_class, loc)
    if low is not None and high is not None:
        return f"'{name}' must be a number from {low} to {high}, got {describe(value)}", ""
    if "ge" in ctx:
        return f"'{name}' must be at least {ctx['ge']}, got {describe(value)}", ""
    if "le" in ctx:
        return f"'{name}' must be at most {ctx['le']}, got {describe(value)}", ""
    bound = ctx.get("gt", ctx.get("lt"))
    side = "more" if "gt" in ctx else "less"
    return f"'{name}' must be {side} than {bound}, got {describe(value)}", ""


def _bounds(model_class: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Any, Any]:
    owner = _type_at(model_class, loc[:-1])
    name = loc[-1]
    if not (inspect.isclass(owner) and issubclass(owner, BaseModel)) or name not in owner.model_fields:
        return None, None
    low = high = None
    for constraint in owner.model_fields[name].metadata:
        low = getattr(constraint, "ge", low)
        high = getattr(constraint, "le", high)
    return low, high


def field_name(loc: tuple[Any, ...]) -> str | int:
    """The last key named in a location, skipping list positions and union tags."""
    for part in reversed(loc):
        if isinstance(part, str) and part != "[key]":
            return part
    return loc[-1] if loc else "value"


def describe(value: Any) -> str:
    """A short description of a YAML value for a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"'{short}'"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def allowed_keys(model_class: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at the parent of `loc` accepts."""
    owner = _type_at(model_class, loc[:-1])
    if inspect.isclass(owner) and issubclass(owner, BaseModel):
        return _writable_keys(owner)
    return []


@functools.cache
def _writable_keys(model: type[BaseModel]) -> list[str]:
    # The schema leaves out fields the generator fills in, such as ids from file names.
    return list(model.model_json_schema()["properties"])


def _type_at(root: Any, loc: tuple[Any, ...]) -> Any:
    """Follow a location through the model's type annotations."""
    current = root
    for part in loc:
        current = _step(_unwrap(current), part)
        if current is None:
            return None
    return _unwrap(current)


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _step(tp: Any, part: Any) -> Any:
    origin = get_origin(tp)
    if inspect.isclass(tp) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field else None
    if origin in (tuple, list):
        return get_args(tp)[0] if isinstance(part, int) else None
    if origin is dict:
        return get_args(tp)[1]
    if origin in (Union, types.UnionType):
        return _union_member(tp, part)
    return None


def _union_member(tp: Any, part: Any) -> Any:
    """The member of a union a location goes through: the tagged variant, or the only model."""
    members = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
    for member in members:
        if inspect.isclass(member) and issubclass(member, BaseModel) and "type" in member.model_fields:
            tag = get_args(member.model_fields["type"].annotation)
            if get_origin(member.model_fields["type"].annotation) is Literal and part in tag:
                return member
    models = [m for m in members if inspect.isclass(m) and issubclass(m, BaseModel)]
    if len(models) == 1:
        return _step(models[0], part)
    return None
