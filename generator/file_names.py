"""What a content file's name may be: an id, a translation of another file, a name every system can write."""

from __future__ import annotations

import re

from .errors import Diagnostic
from .names import SETTINGS_TRANSLATION
from .reading import Kind
from .values import WINDOWS_DEVICES

# Used with fullmatch: `$` would also match before a final newline, and a file name may end in one.
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def translated_into(file_id: str, languages: tuple[str, ...]) -> str:
    """The language a file translates its original into, by its name (`vision.fr`), or ''."""
    _, dot, suffix = file_id.rpartition(".")
    return next((tag for tag in languages if dot and tag.lower() == suffix.lower()), "")


def unpublishable(rel: str, problems: list[Diagnostic]) -> bool:
    """Report an asset whose name could not be written on every system; True when it must be skipped."""
    for part in rel.split("/")[2:]:
        if "\\" in part or any(ord(c) < 32 for c in part):
            why = "its name has a backslash or a control character"
        elif part.endswith((" ", ".")):
            why = "its name ends with a space or a dot"
        elif part.split(".")[0].lower() in WINDOWS_DEVICES:
            why = f"'{part}' is a name Windows keeps for a device"
        else:
            continue
        problems.append(Diagnostic(rel, 1, 1, f"cannot be published: {why}", "rename it"))
        return True
    return False


def check_id(
    rel: str,
    kind: Kind,
    file_id: str,
    known: dict[str, dict[str, str]],
    problems: list[Diagnostic],
    languages: tuple[str, ...] = (),
) -> bool:
    """Report a file whose name cannot be an id; True when the file must be skipped."""
    device = next((part for part in file_id.split("/") if part in WINDOWS_DEVICES), None)
    if device is not None:
        message = f"'{file_id}' cannot be an id: '{device}' is a name Windows keeps for a device"
        problems.append(Diagnostic(rel, 1, 1, message, f"rename it, e.g. to '{device}-notes'"))
        return True
    if not all(ID_PATTERN.fullmatch(part) for part in file_id.split("/")):
        suggestion = re.sub(r"[^a-z0-9]+", "-", file_id.lower()).strip("-") or "name"
        base, _, suffix = file_id.rpartition(".")
        if base and SETTINGS_TRANSLATION.fullmatch(f"playbook.{suffix}.yaml"):
            message = f"a translation into '{suffix}', a language playbook.yaml does not list"
            hint = f"add '{suffix}' to `languages:` in playbook.yaml" + (
                f" (it lists {', '.join(languages)})" if languages else ""
            )
            problems.append(Diagnostic(rel, 1, 1, message, hint))
            return True
        problems.append(
            Diagnostic(
                rel,
                1,
                1,
                f"'{file_id}' cannot be an id: use lowercase letters, digits and hyphens",
                f"rename it to '{suggestion}'",
            )
        )
        return True
    if file_id in known[kind]:
        problems.append(
            Diagnostic(
                rel,
                1,
                1,
                f"'{known[kind][file_id]}' already has the id '{file_id}'",
                "rename or remove one of the two files",
            )
        )
        return True
    return False
