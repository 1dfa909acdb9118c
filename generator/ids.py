"""Ids for new items and files, made from their titles in the project's id rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from .file_names import ID_PATTERN
from .values import WINDOWS_DEVICES


def new_id(title: str, taken: Collection[str]) -> str:
    """An id made from `title` (lowercase letters, digits, single hyphens), unlike any in `taken`."""
    words = re.sub(r"[^a-z0-9]+", "-", _ascii(re.sub(r"['’]", "", title)).lower()).strip("-")
    base = words[:60].rstrip("-") or "item"
    if base in WINDOWS_DEVICES:
        base = f"{base}-item"
    assert ID_PATTERN.fullmatch(base)
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _ascii(text: str) -> str:
    """`text` with accents dropped (`protégé` -> `protege`), as ids are plain ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
