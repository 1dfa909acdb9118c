"""`playbook build --zip FILE`: the built site as one zip file to send a new mentor, who unzips it and opens it from disk.

The zip holds one folder named after the playbook (`mentoring-playbook/index.html`), with a
read-me beside index.html (`READ-ME.html`) in the playbook's language: what the playbook is,
how to open it, and where the ticks and answers go. The read-me is made for the zip only: a
published site has no use for "unzip it first". Every other file is the site's, byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .build import BuildResult, Checked, build
from .errors import Diagnostic, PlaybookError
from .kinds import plan_zip_pages
from .names import OUTPUT_FOLDER
from .output import ZipWritten, output_lock, write_site_zip, zip_path_problem
from .render import render_alone

FOLDER_LENGTH = 40  # characters at most: the folder is deep inside Downloads, and Windows paths are short


def build_zip(
    project_dir: Path,
    zip_path: Path,
    out_dir: Path | None = None,
    *,
    strict: bool = False,
    pdf: bool = False,
    cache: bool = True,
) -> tuple[BuildResult, ZipWritten]:
    """Build the site into `out_dir` as `build` does, then write it as the zip `zip_path` (see `zip_site`).

    A failed build writes no zip and leaves any zip already at `zip_path` as it was.
    """
    out_dir = out_dir if out_dir is not None else project_dir / OUTPUT_FOLDER
    _refuse(zip_path, project_dir, out_dir)  # before the build: a wrong place is known at once
    result = build(project_dir, out_dir, strict=strict, pdf=pdf, cache=cache)
    return result, zip_site(result, zip_path)


def zip_site(built: BuildResult, zip_path: Path) -> ZipWritten:
    """Write the site a build just made as the zip `zip_path`: its files and a read-me in each of its languages."""
    checked = built.checked
    assert checked is not None  # a build that succeeded says what it built
    _refuse(zip_path, checked.theme.project_root, built.out_dir)
    settings = checked.site.playbook.settings
    read_me = read_me_files(checked)
    try:
        with output_lock(built.out_dir):  # no other build replaces the site while it is read
            return write_site_zip(zip_path, built.out_dir, zip_folder(settings.title), read_me, settings.updated)
    except OSError as exc:  # the disk is full, the folder is read-only: the site is built, the zip is not
        where = f": {exc.filename}" if exc.filename else ""
        what = f"the site is built, but the zip was not written: {exc.strerror or exc}{where}"
        raise PlaybookError([Diagnostic(str(zip_path), 0, 0, what)]) from None


def _refuse(zip_path: Path, project_dir: Path, out_dir: Path) -> None:
    problem = zip_path_problem(zip_path, project_dir, out_dir)
    if problem is not None:
        raise PlaybookError([Diagnostic(str(zip_path), 0, 0, *problem)])


def read_me_files(checked: Checked) -> dict[str, bytes]:
    """The read-me of each language's tree of the site, by URL (`READ-ME.html`, `fr/READ-ME.html`)."""
    files = {}
    for tree in checked.trees:
        site = tree.site
        for page in plan_zip_pages(site.playbook, pdf=site.pdf, words=site.words):
            files[site.tree + page.url] = render_alone(page, site, tree.env, checked.theme)
    return files


def zip_folder(title: str) -> str:
    """The folder the zip holds the site in: the playbook's title in plain lowercase letters and digits
    (`Mentoring Playbook` -> `mentoring-playbook`), which every system's unzipping keeps as it is."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return words[:FOLDER_LENGTH].rstrip("-") or "playbook"
