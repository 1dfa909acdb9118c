"""Reuse: what earlier builds made, handed back when what it was made from is the same.

The stages are pure: each takes its inputs and returns its result, doing its work through a small
unit it is handed: reading one file (`load_project(read=)`), checking one file
(`validate(check=)`), rendering Markdown (`plan_site(render=)`). This layer is the one place
that keeps their results between builds, each keyed by everything it was made from, so that a
rebuild after an edit redoes only what the edit touched, and gives the same bytes as a build
from nothing.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Sequence
from functools import partial
from pathlib import Path

from markdown_it import MarkdownIt

from .errors import Diagnostic
from .links import Targets
from .loader import Project, load_project, read_again
from .markdown import RenderedMarkdown
from .memo import Memo
from .models import Playbook
from .prose import MarkdownText, render_texts
from .reading import FoundFile, LoadedFile, SourceFile, read_file
from .site import Site, plan_site
from .validate import FileResult, check_file, validate

# --- Reading, checking and planning the site ----------------------------------


class ContentReuse:
    """What reading, checking and planning a project can reuse: files read, files checked, Markdown rendered."""

    def __init__(self) -> None:
        self.project: Project | None = None  # what the last build read
        self._checked: Memo[FileResult] = Memo()  # by (path, digest of the file)
        self._markdown: Memo[RenderedMarkdown] = Memo()  # by (folder, is inline, text, where links can point)
        self._saved: tuple[LoadedFile, ...] = ()  # the files read, as the cache on disk holds them

    def load(self, root: Path, changed: Collection[str] = (), *, only_changed: bool = False) -> Project:
        """Read the project; a file read before is reused while its stamp is the same and it is not in `changed`.

        With `only_changed` (the caller watches the files and names every change), no other file is
        even looked at, as long as the changes are edits of files read before.
        """
        previous = self.project
        project = read_again(root, previous, changed) if only_changed and previous is not None else None
        if project is None:
            project = load_project(root, partial(_read_unless_same, previous, changed))
        self.project = project
        return project

    def validate(self, project: Project) -> tuple[Playbook | None, list[Diagnostic]]:
        """`validate.validate`, checking again only the files that changed."""

        def check(source: SourceFile) -> FileResult:
            return self._checked.get((source.path, project.digest(source.path)), partial(check_file, source))

        return validate(project, check)

    def plan_site(self, playbook: Playbook, md: MarkdownIt, *, pdf: bool = False) -> tuple[Site, list[Diagnostic]]:
        """`site.plan_site`, rendering again only the Markdown that changed, or whose links may go elsewhere."""
        return plan_site(playbook, md, pdf=pdf, render=self._render)

    def _render(self, md: MarkdownIt, targets: Targets, texts: Sequence[MarkdownText]) -> list[RenderedMarkdown]:
        # HTML depends on the text, the folder it was written in (links are relative to it), where
        # links can point, and whether raw HTML is allowed.
        context = (targets.digest, bool(md.options["html"]))
        keys = [(posixpath.dirname(path), inline, text, context) for text, path, inline in texts]
        missing = {key: text for key, text in zip(keys, texts) if key not in self._markdown}
        for key, rendered in zip(missing, render_texts(md, targets, list(missing.values()))):
            self._markdown.put(key, rendered)
        return [self._markdown.reuse(key) for key in keys]

    def finish(self) -> None:
        """End a build whose checks passed: keep what it used, forget the rest."""
        for memo in self._memos:
            memo.finish()

    @property
    def changed(self) -> bool:
        """Whether anything was read, checked or rendered anew since the cache on disk was made."""
        files = tuple(self.project.loaded.values()) if self.project is not None else ()
        return files != self._saved or any(memo.changed for memo in self._memos)

    def saved(self) -> None:
        """Note that the cache on disk now holds what is kept."""
        self._saved = tuple(self.project.loaded.values()) if self.project is not None else ()
        for memo in self._memos:
            memo.changed = False

    @property
    def _memos(self) -> tuple[Memo[FileResult], Memo[RenderedMarkdown]]:
        return (self._checked, self._markdown)


def _read_unless_same(
    previous: Project | None, changed: Collection[str], root: Path, found: FoundFile, limit: int
) -> LoadedFile:
    """What an earlier build read of the file, while its stamp is the same; else the file read now."""
    earlier = previous.loaded.get(found.path) if previous is not None else None
    if (
        earlier is not None
        and earlier.stamp == found.stamp
        and found.path not in changed
        and not earlier.too_big  # the size limit may have changed since
        and found.stamp[1] <= limit
    ):
        return earlier
    return read_file(root, found, limit)
