"""Is the site already built from exactly these files? Answered from time stamps, without loading anything else.

After a build, the input files' times, sizes and inodes, the theme's, the build's options, the
tool's version, the day of the project's last git commit (pages show it), and the output's own
files are recorded beside the content cache. A
build whose inputs all match, and whose output is still exactly as it was left, has
nothing to do, as `make` would say; this module imports nothing heavy so the answer
comes at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .files import read_regular
from .last_commit import last_commit_day
from .names import (
    CACHE_FOLDER,
    CONTENT_FOLDER,
    LOCALE_FOLDER,
    OUTPUT_MARKER,
    TEMPLATES_FOLDER,
    THEMES_FOLDER,
    is_settings_file,
)

log = logging.getLogger(__name__)

RECORD = f"{CACHE_FOLDER}/inputs.json"
WATCHED = (CONTENT_FOLDER, TEMPLATES_FOLDER, THEMES_FOLDER, LOCALE_FOLDER)  # besides playbook.yaml
RECORD_LIMIT = 1 << 28  # bytes read at most from the record or the output's manifest: a line per file


def input_record(
    project_dir: Path, out_dir: Path, theme_folders: Sequence[Path], options: dict[str, Any]
) -> dict[str, Any]:
    """What a build was made from, to compare with the next one (`theme_folders`: the theme's, and those of
    the themes it extends)."""
    root = project_dir.resolve()
    stamps = _stamps([root / name for name in WATCHED] + list(theme_folders))
    stamps.update(_stamps([root / name for name in sorted(os.listdir(root)) if is_settings_file(name)]))
    return {
        "version": __version__,
        "options": options,
        "out": str(out_dir.resolve()),
        "theme": [str(folder) for folder in theme_folders],
        "marker": _marker_digest(out_dir),
        "stamps": stamps,
        # A commit changes no file of the project, but may change the day its pages show.
        "committed": str(last_commit_day(root) or ""),
        "output": _stamps([out_dir.resolve()]),  # a file changed by hand in the output is noticed too
    }


def up_to_date(project_dir: Path, out_dir: Path, options: dict[str, Any]) -> list[str] | None:
    """The last build's warnings, if it recorded exactly these inputs and left `out_dir` as it is now; else None."""
    started = time.perf_counter()
    warnings, found = _compare(project_dir, out_dir, options)
    log.info("compared the files with the last build's record: %s (%.2f s)", found, time.perf_counter() - started)
    return warnings


def _compare(project_dir: Path, out_dir: Path, options: dict[str, Any]) -> tuple[list[str] | None, str]:
    """The last build's warnings if nothing changed since it (else None), and what the comparison found."""
    try:
        recorded = json.loads(read_regular(project_dir / RECORD, RECORD_LIMIT))
        themes = [Path(folder) for folder in recorded["theme"]] if isinstance(recorded["theme"], list) else []
        warnings = [str(line) for line in recorded.pop("warnings")]
    except (OSError, ValueError, KeyError, TypeError):
        return None, "there is no usable record"
    if recorded.get("version") != __version__ or recorded.get("options") != options:
        return None, "it was made by another version or with other options"
    if recorded != input_record(project_dir, out_dir, themes, options):
        return None, "something changed"
    return warnings, "nothing changed"


def written_files(project_dir: Path, out_dir: Path) -> dict[str, list[int]]:
    """What the last build found of each file it left in `out_dir`, by absolute path: [time in ns, size, inode].

    Kept here, beside the content cache, and not in the site's own manifest, so that the site
    stays the same bytes for the same input; {} when the last build wrote elsewhere.
    """
    try:
        recorded = json.loads(read_regular(project_dir / RECORD, RECORD_LIMIT))
        if recorded["out"] != str(out_dir.resolve()):
            return {}
        return {str(path): list(stamp) for path, stamp in recorded["output"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _stamps(folders: list[Path]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for folder in folders:
        if folder.is_file():
            info = folder.stat()
            found[str(folder)] = [info.st_mtime_ns, info.st_size, info.st_ino]
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found[path] = [info.st_mtime_ns, info.st_size, info.st_ino]
    return found


def _marker_digest(out_dir: Path) -> str:
    try:
        return hashlib.blake2b(read_regular(out_dir / OUTPUT_MARKER, RECORD_LIMIT), digest_size=16).hexdigest()
    except OSError:
        return ""
