"""What `playbook check` would say of the project if one file held other bytes: the editor asks before it saves.

The same checks as `playbook check` (read, validate, cross-check, plan every page and check every
link), on the project as it is on disk except for that one file, which is never written for it.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from .build import BuildSession
from .errors import Diagnostic, PlaybookError
from .loader import Project, load_project
from .reading import FoundFile, LoadedFile, read_data
from .reuse import ContentReuse, read_unless_same


class _WithOneFileChanged(ContentReuse):
    """Content read from disk, but for one file, whose bytes are given; files an earlier build read are reused."""

    def __init__(self, rel: str, data: bytes, earlier: Project | None) -> None:
        super().__init__()
        self._rel, self._data, self._earlier = rel, data, earlier

    def load(self, root: Path, changed: Collection[str] = (), *, only_changed: bool = False) -> Project:
        def read(root: Path, found: FoundFile, limit: int) -> LoadedFile:
            if found.path == self._rel:
                return read_data(found, self._data)
            return read_unless_same(self._earlier, (), root, found, limit)

        self.project = load_project(root, read)
        return self.project


def check_with(root: Path, rel: str, data: bytes, earlier: Project | None = None) -> tuple[Diagnostic, ...]:
    """Every problem (errors and warnings) `playbook check` would find if the file `rel` held `data`.

    `earlier`: what a build read before; its files are reused while their time stamps are the same.
    """
    session = BuildSession(root)
    session.content = _WithOneFileChanged(rel, data, earlier)
    try:
        return session.check().warnings
    except PlaybookError as exc:
        return exc.diagnostics
