"""Is the site already built from exactly these files? Answered from time stamps, without loading anything else.

After a build, the input files' times and sizes, the theme's, the build's options, the
tool's version, and the output's own files are recorded beside the content cache. A
build whose inputs all match, and whose output is still exactly as it was left, has
nothing to do, as `make` would say; this module imports nothing heavy so the answer
comes at once.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import __version__

RECORD = ".playbook-cache/inputs.json"
WATCHED = ("content", "templates", "themes")  # besides playbook.yaml


def input_record(
    project_dir: Path, out_dir: Path, theme_folder: Path | None, options: dict[str, Any]
) -> dict[str, Any]:
    """What a build was made from, to compare with the next one."""
    root = project_dir.resolve()
    stamps = _stamps(root, [root / name for name in WATCHED] + ([theme_folder] if theme_folder else []))
    stamps.update(_stamps(root, [root / "playbook.yaml"]))
    return {
        "version": __version__,
        "options": options,
        "out": str(out_dir.resolve()),
        "theme": str(theme_folder) if theme_folder else "",
        "marker": _marker_digest(out_dir),
        "stamps": stamps,
        "output": _stamps(root, [out_dir.resolve()]),  # a file changed by hand in the output is noticed too
    }


def up_to_date(project_dir: Path, out_dir: Path, options: dict[str, Any]) -> list[str] | None:
    """The last build's warnings, if it recorded exactly these inputs and left `out_dir` as it is now; else None."""
    try:
        recorded = json.loads((project_dir / RECORD).read_text(encoding="utf-8"))
        theme = Path(recorded["theme"]) if recorded["theme"] else None
        warnings = [str(line) for line in recorded.pop("warnings")]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if recorded.get("version") != __version__ or recorded.get("options") != options:
        return None
    return warnings if recorded == input_record(project_dir, out_dir, theme, options) else None


def _stamps(root: Path, folders: list[Path]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for folder in folders:
        if folder.is_file():
            info = folder.stat()
            found[str(folder)] = [info.st_mtime_ns, info.st_size]
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found[path] = [info.st_mtime_ns, info.st_size]
    return found


def _marker_digest(out_dir: Path) -> str:
    try:
        return hashlib.blake2b((out_dir / ".playbook-site").read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return ""
