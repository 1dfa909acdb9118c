"""The reuse layer: what a build takes from earlier builds instead of making it again.

The stages are pure functions of their inputs, each doing its work through a small unit it
is handed: reading one file (`load_project(read=)`), checking one file (`validate(check=)`),
rendering Markdown (`plan_site(render=)`), rendering pages (`render_site(pages)`). This layer is
the one place that keeps their results between builds, each keyed by everything it was made
from, so that a rebuild after an edit redoes only what the edit touched and gives the same bytes
as a build from nothing. What it keeps are `Memo`s: values by the inputs they were made from.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from markdown_it import MarkdownIt

from .errors import Diagnostic
from .interface import ENGLISH, Words, load_words
from .kinds import KINDS
from .languages import ONE_LANGUAGE, Languages
from .links import Targets
from .loader import Project, load_project, read_again
from .markdown import RenderedMarkdown
from .memo import Memo
from .models import Playbook, SiteSettings
from .pages import Kind, Page
from .prose import MarkdownText, render_texts
from .reading import FoundFile, LoadedFile, SourceFile, read_file
from .site import Site, plan_site
from .theme import check_templates, create_environment, static_files, template_stamps, use_words
from .theme_chain import Theme, find_theme, load_theme
from .translations import validate_language
from .validate import FileResult, check_file, validate
from .values import Source
from .words_check import check_strings, check_translated

if TYPE_CHECKING:
    from .dependencies import Fingerprints
    from .pdf import KeptPdfs
    from .search import RunResult, SearchIndex

log = logging.getLogger(__name__)


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
            project = load_project(root, partial(read_unless_same, previous, changed))
        self.project = project
        return project

    def validate(self, project: Project) -> tuple[Playbook | None, list[Diagnostic]]:
        """`validate.validate`, checking again only the files that changed."""

        def check(source: SourceFile) -> FileResult:
            return self._checked.get((source.path, project.digest(source.path)), partial(check_file, source))

        return validate(project, check)

    def validate_language(
        self, project: Project, language: str, settings: SiteSettings
    ) -> tuple[Playbook | None, list[Diagnostic]]:
        """`translations.validate_language`, checking again only the files that changed."""

        def check(source: SourceFile) -> FileResult:
            return self._checked.get((source.path, project.digest(source.path)), partial(check_file, source))

        return validate_language(project, language, settings, check)

    def plan_site(
        self,
        playbook: Playbook,
        md: MarkdownIt,
        pages: tuple[Page, ...],
        *,
        pdf: bool = False,
        words: Words = ENGLISH,
        languages: Languages = ONE_LANGUAGE,
    ) -> tuple[Site, list[Diagnostic]]:
        """`site.plan_site`, rendering again only the Markdown that changed, or whose links may go elsewhere."""
        return plan_site(playbook, md, pages, pdf=pdf, render=self._render, words=words, languages=languages)

    def _render(self, md: MarkdownIt, targets: Targets, texts: Sequence[MarkdownText]) -> list[RenderedMarkdown]:
        # HTML depends on the text, the folder it was written in (links are relative to it), where
        # links can point, whether raw HTML is allowed, and the words Markdown adds in the playbook's language.
        context = (targets.digest, bool(md.options["html"]), tuple(sorted(md.options["labels"].items())))
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


def read_unless_same(
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


# ---------------------------------------------------------------------------------------------
# Render: the theme's environment, pages by fingerprint, the search index, the previous output
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteFile:
    """One file of the site as a build hands it to the writer: its bytes, or None to keep the previous output's."""

    url: str
    fingerprint: str  # the digest of what it is made from, recorded in the output's manifest
    data: bytes | None = None
    fresh: bool = False  # made anew by this build (of the search index's files, its page alone counts)


@dataclass
class Rendered:
    """The files of a build as they went by: which were made anew or kept, and the fingerprint of each."""

    files: dict[str, bytes] = field(default_factory=dict)  # their bytes, when the build holds the site in memory
    fresh: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # kept as the previous output has them
    prints: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, files: Iterable[SiteFile], take: Callable[[str, bytes], None] | None = None) -> Rendered:
        """Count the files as they come, handing the bytes of each to `take` (a writer), or holding them in memory."""
        rendered = cls()
        take = take or rendered.files.__setitem__
        for file in files:
            rendered.prints[file.url] = file.fingerprint
            if file.fresh:
                rendered.fresh.append(file.url)
            if file.data is None:
                rendered.kept.append(file.url)
            else:
                take(file.url, file.data)
        return rendered

    @property
    def count(self) -> int:
        """How many files the site has."""
        return len(self.prints)


class RenderReuse:
    """What rendering reuses: within a session, the theme's environment, the pages it made and the search
    index; in any build, the files of the previous output that were made from the same inputs."""

    def __init__(
        self, *, again: bool = False, search_runs: Memo[RunResult] | None = None, pdfs: KeptPdfs | None = None
    ) -> None:
        """`again`: the session will build again (the dev server), so it keeps every page it makes, and the search
        index, in memory. `search_runs`, `pdfs`: parts of the search index and PDFs the content cache keeps."""
        self.again = again
        self.pages: Memo[bytes] = Memo()  # by (URL, fingerprint); filled only when building again
        self.search: SearchIndex | None = None
        self.search_runs = search_runs
        self.pdfs = pdfs
        self._theme: tuple[Theme, Environment] | None = None
        self._template_stamps: dict[str, tuple[int, int]] = {}
        self._words = ""  # the language and catalogs the environment speaks, by their digest
        self._template_digests: dict[str, str] | None = None

    def words(
        self,
        root: Path,
        theme_name: str,
        language: str,
        problems: list[Diagnostic],
        strings: Mapping[str, str],
        where: Source,
    ) -> Words:
        """The interface's words in `language`: the theme's catalog, the project's, then `strings` (as the
        settings file `where` gives them); English without a theme."""
        theme = find_theme(root, theme_name)  # a missing theme is reported when it is loaded
        if theme is None:
            return ENGLISH
        usable, wrong = check_strings(theme.words_folder, language, strings, where)
        words = load_words(theme.words_folder, root, language, usable)
        problems += [*wrong, *words.problems, *check_translated(words, theme.words_folder, where)]
        return words

    def theme(
        self, root: Path, name: str, problems: list[Diagnostic], words: Words
    ) -> tuple[Theme, Environment] | None:
        """The theme and its Jinja environment, speaking `language`: kept between builds, checked again
        when a template or a catalog changes."""
        theme, found = load_theme(root, name)
        problems += found
        if theme is None:
            return None
        stamps = template_stamps(theme)
        spoken = f"{words.language}:{words.digest}"
        if self._theme is not None and self._theme[0] == theme and self._template_stamps == stamps:
            if spoken != self._words:
                use_words(self._theme[1], words, theme.static_dirs)
                self._words, self._template_digests = spoken, None
            return self._theme
        env = create_environment(theme)
        use_words(env, words, theme.static_dirs)
        template_problems = check_templates(theme, env)
        problems += template_problems
        if template_problems:
            return None
        self._theme, self._template_stamps, self._template_digests = (theme, env), stamps, None
        self._words = spoken
        return theme, env

    def render(self, site: Site, env: Environment, theme: Theme, previous: Mapping[str, str]) -> Iterator[SiteFile]:
        """Every file of the site: rendered, or reused when its fingerprint is the one it had before
        (`previous`: the fingerprints of the files an earlier build left in the output)."""
        # Imported here, not at the top: `playbook check` never renders, and need not load what rendering uses.
        from .dependencies import fingerprints, template_digests

        if self._template_digests is None:
            # Every template says something in the playbook's language: a changed catalog changes them all.
            self._template_digests = {name: digest + self._words for name, digest in template_digests(env).items()}
        prints = fingerprints(site, self._template_digests, static_files(theme))
        wanted: list[Page] = []
        search: Page | None = None
        for page in site.pages:
            fingerprint = prints.pages[page.url]
            kept = _kept(page, fingerprint, previous)
            if kept:
                yield from (SiteFile(url, fingerprint) for url in kept)
            elif self.again and (page.url, fingerprint) in self.pages:
                yield SiteFile(page.url, fingerprint, self.pages.reuse((page.url, fingerprint)))
            elif page.kind is Kind.SEARCH_INDEX and (self.again or self.search_runs is not None):
                search = page  # made below, from the parts of it that did not change
            else:
                wanted.append(page)
        yield from self._made(site, env, theme, wanted, prints, previous)
        if search is not None:
            yield from self._search_index(search, site, prints)
        self.pages.finish()

    def _made(
        self,
        site: Site,
        env: Environment,
        theme: Theme,
        pages: list[Page],
        prints: Fingerprints,
        previous: Mapping[str, str],
    ) -> Iterator[SiteFile]:
        """The files render makes for `pages` (and the static files and assets, kept when they are the same)."""
        from .pdf import print_pdfs
        from .render import render_site

        made = {page.url for page in pages}
        folders = {KINDS[p.kind].folder: prints.pages[p.url] for p in pages if KINDS[p.kind].folder}
        for url, data in render_site(site, env, theme, pages, partial(print_pdfs, kept=self.pdfs)):
            fingerprint = _fingerprint(url, prints, folders)
            if url not in made and previous.get(url) == fingerprint:
                yield SiteFile(url, fingerprint)  # a static file or asset as the previous output has it
                continue
            if self.again and url in made:
                self.pages.put((url, fingerprint), data)
            yield SiteFile(url, fingerprint, data, fresh=url in made)

    def _search_index(self, page: Page, site: Site, prints: Fingerprints) -> Iterator[SiteFile]:
        """The search index, indexing again only the files that changed since the session's (or the cache's) last."""
        from .search import SearchIndex, build_once

        fingerprint = prints.pages[page.url]
        if self.again:
            self.search = self.search or SearchIndex()
            files: Iterable[tuple[str, bytes]] = self.search.files(site, prints.slots).items()
        else:
            files = build_once(site, self.search_runs, prints.slots)
        for url, data in files:
            yield SiteFile(url, fingerprint, data, fresh=url == page.url)


def _kept(page: Page, fingerprint: str, previous: Mapping[str, str]) -> list[str]:
    """The previous output's files of `page` if they were made from the same inputs, else none."""
    if previous.get(page.url) != fingerprint:
        return []
    folder = KINDS[page.kind].folder
    if not folder:
        return [page.url]
    return [url for url, old in previous.items() if old == fingerprint and url.startswith(folder)]


def _fingerprint(url: str, prints: Fingerprints, folders: Mapping[str, str]) -> str:
    """A file's fingerprint: a page's, a static file's or asset's, or that of the page whose folder it is in."""
    found = prints.pages.get(url) or prints.files.get(url)
    if found:
        return found
    for folder, fingerprint in folders.items():
        if url.startswith(folder):
            return fingerprint
    raise ValueError(f"no page made {url}")
