"""Write a built site as one zip file: the same bytes for the same site, whenever and wherever it is made.

What varies from one build to the next and is no part of the site is left out or fixed: the
files go in sorted by name, each with one fixed date, one set of permissions (read and write
for the owner, read for the others, as a Unix system says it), one compression level, no
extra fields and no entries for folders (an unzipping program makes them from the paths).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, PlaybookError
from ..files import read_regular
from ..names import CONTENT_FOLDER, TEMPLATES_FOLDER, THEMES_FOLDER
from .writer import MANIFEST_LIMIT, MARKER, _safe_relative, remove_path

ZIP_SUFFIX = ".zip"
EARLIEST = dt.date(1980, 1, 1)  # the first day a zip can date a file
LATEST = dt.date(2107, 12, 31)  # and the last
UNIX = 3  # the system the permissions below are written for ("made by" in the zip's central directory)
FILE_MODE = 0o100644  # a plain file, read and write for its owner, read for everyone else
LEVEL = 9  # as fast as the default level on a site's small files, and a little smaller
CHANGED = "the built site changed while it was put in the zip, which was not written"


@dataclass(frozen=True)
class ZipWritten:
    """What went into a zip of the site."""

    path: Path
    folder: str  # the one folder at the top of the zip, which holds the site
    size: int  # bytes
    files: int

    @property
    def opens(self) -> str:
        """The page a reader opens once the zip is unzipped: `mentoring-playbook/index.html`."""
        return f"{self.folder}/index.html"

    @property
    def size_text(self) -> str:
        """The zip's size as a reader says it: `840 KB`, `2.3 MB`."""
        if self.size < 1000 * 1000:
            return f"{max(1, round(self.size / 1000))} KB"
        return f"{self.size / 1000 / 1000:.1f} MB"


def zip_path_problem(zip_path: Path, project_root: Path, out_dir: Path) -> tuple[str, str] | None:
    """Why `zip_path` cannot take the zip of the site, with a hint; None when it can."""
    if zip_path.suffix.lower() != ZIP_SUFFIX:
        return f"{zip_path} does not end in .zip", "name it e.g. `mentoring-playbook.zip`, so that computers open it"
    where = zip_path.parent.resolve() / zip_path.name
    out = out_dir.resolve()
    if where == out or out in where.parents:
        return f"{zip_path} is inside the output folder, which the build replaces", "put it beside the output folder"
    root = project_root.resolve()
    for source in (root / CONTENT_FOLDER, root / TEMPLATES_FOLDER, root / THEMES_FOLDER):
        if source in where.parents:
            return f"{zip_path} is inside {source.name}/, which the build reads", "put it outside the project's sources"
    if zip_path.is_dir():
        return f"{zip_path} is a folder", "name a file, e.g. `--zip playbook.zip`"
    if not zip_path.parent.is_dir():
        return f"the folder {zip_path.parent} does not exist", "make it first, or name a file in a folder that exists"
    return None


def zip_date(day: dt.date | None) -> tuple[int, int, int, int, int, int]:
    """The date every file of the zip carries: `day` (the playbook's edition) at midnight, or 1 January 1980."""
    day = min(max(day or EARLIEST, EARLIEST), LATEST)
    return (day.year, day.month, day.day, 0, 0, 0)


def write_site_zip(
    zip_path: Path, out_dir: Path, folder: str, extra: Mapping[str, bytes], day: dt.date | None = None
) -> ZipWritten:
    """Write the site in `out_dir` (the files its last build wrote) and the `extra` files, by URL, into the zip
    `zip_path`, each under `folder`/. The zip is written beside `zip_path`, then put in its place whole."""
    files = dict(extra)
    for url, size in _site_sizes(out_dir).items():
        data = read_regular(out_dir / _safe_relative(url), size)
        if len(data) != size:
            raise PlaybookError([Diagnostic(str(out_dir / url), 0, 0, CHANGED, "build again")])
        files.setdefault(url, data)
    when = zip_date(day)
    partial = zip_path.parent / f".{zip_path.name}.new-{os.getpid()}"
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for url in sorted(files):
                archive.writestr(_entry(f"{folder}/{_safe_relative(url)}", when), files[url], compresslevel=LEVEL)
        os.replace(partial, zip_path)
    finally:
        remove_path(partial)
    return ZipWritten(zip_path, folder, zip_path.stat().st_size, len(files))


def _entry(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, when)
    entry.create_system = UNIX  # else a zip made on Windows would say "made by DOS" and differ
    entry.external_attr = FILE_MODE << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _site_sizes(out_dir: Path) -> dict[str, int]:
    """Every file the build wrote to `out_dir` with its size, from the folder's manifest: the site's own
    files, and not the manifest, nor anything else someone put there."""
    try:
        manifest = json.loads(read_regular(out_dir / MARKER, MANIFEST_LIMIT))
        return {str(url): int(size) for url, size in manifest["sizes"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise PlaybookError([Diagnostic(str(out_dir / MARKER), 0, 0, CHANGED, "build again")]) from None
