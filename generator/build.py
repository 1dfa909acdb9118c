"""The build, as a recipe: load, validate, plan the pages, put the site together, render, write.

A `BuildSession` keeps each stage's results, so building again after a change redoes
only what the change touches: files are read again only when they changed, Markdown
is rendered again only for changed text, and a page is rendered again only when its
fingerprint (the digest of everything it is made from) changed. `playbook build` is a
fresh session; `playbook serve` keeps one for as long as it runs. Both go through the
same steps, so a rebuild gives the same bytes as a clean build.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from jinja2 import Environment

from .cache import SIGNATURE_FILE, CacheContent, SignedWriter, cache_path, dump_cache, key_path, read_cache, signing_key
from .errors import Diagnostic, PlaybookError, sort_diagnostics
from .kinds import plan_pages
from .languages import Language, Languages
from .loader import Project
from .markdown import create_markdown
from .memo import Memo
from .models import ChoiceField, Playbook
from .names import OUTPUT_FOLDER
from .output import (
    SiteWriter,
    check_output_folder,
    make_signing_key,
    output_lock,
    read_manifest,
    recover_output,
    remove_cache,
    remove_leftovers,
    remove_partial_cache,
    remove_site,
    write_cache,
    write_record,
)
from .pdf import KeptPdfs, require_weasyprint
from .reuse import ContentReuse, Rendered, RenderReuse, SiteFile
from .site import Site
from .theme_chain import Theme
from .translations import language_name, untranslated_items
from .uptodate import RECORD, input_record, written_files

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tree:
    """One language's tree of the site: its pages, and the theme speaking that language."""

    site: Site
    env: Environment


@dataclass(frozen=True)
class Checked:
    """A project that passed every check, ready to render."""

    site: Site  # in the playbook's main language, at the site root
    theme: Theme
    env: Environment
    warnings: tuple[Diagnostic, ...]
    translations: tuple[Tree, ...] = ()  # the other languages' trees (`fr/`), when it has several

    @property
    def trees(self) -> tuple[Tree, ...]:
        """Every language's tree of the site, the main one first."""
        return (Tree(self.site, self.env), *self.translations)

    @property
    def pages(self) -> int:
        """How many pages (HTML files) the site has, in all its languages."""
        return sum(page.is_html for tree in self.trees for page in tree.site.pages)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    pages: int
    files: int
    warnings: tuple[Diagnostic, ...]
    rendered: int = 0  # pages made anew; the rest were kept from the previous build
    wrote: bool = True  # False when the output already was exactly this site
    checked: Checked | None = None  # what was built: the site, its theme and its languages' trees


class BuildSession:
    """A project built, and built again as its files change, reusing whatever did not change."""

    def __init__(
        self, project_dir: Path, *, strict: bool = False, pdf: bool = False, again: bool = False, cache: bool = False
    ) -> None:
        """`again`: the session will build again after changes (the dev server), so it keeps what a rebuild reuses.
        `cache`: start from the content cache a previous build left on disk, and leave one for the next.
        """
        self.root = project_dir
        self.strict = strict
        self.pdf = pdf
        self.content = ContentReuse()
        self.cache = cache
        self.again = again
        # Parts of the search index are kept only for a cache: otherwise no later build will ask for them.
        pdfs = KeptPdfs() if cache or again else None
        self._render = RenderReuse(again=again, search_runs=Memo() if cache else None, pdfs=pdfs)
        self._translated: dict[str, RenderReuse] = {}  # the other languages' trees', by folder
        if cache:
            self._start_from(read_cache(project_dir))

    def check(self, changed: Collection[str] = ()) -> Checked:
        """Validate everything and plan the site; raise `PlaybookError` with every problem found.

        `changed` names files (relative to the project) to read again whatever their time stamps say.
        """
        if self.pdf:
            require_weasyprint()  # fail before any work when PDFs cannot be made
        # A session that builds again is told every change by its watcher, so it need not look at the rest.
        stage = _Stages()
        earlier = self.project.loaded if self.project else {}
        project = self.content.load(self.root, changed, only_changed=self.again)
        anew = sum(earlier.get(path) is not file for path, file in project.loaded.items())
        stage.done("read %d of the %d files of %s anew", anew, len(project.loaded), self.root)
        playbook, problems = self.content.validate(project)
        stage.done("validated them: %d problems", len(problems))
        trees: list[Tree] = []
        theme: Theme | None = None
        wanted = 0
        if playbook is not None:
            for translated, languages in self._languages(project, playbook, problems):
                wanted += 1
                planned = self._plan(translated, languages, problems)
                if planned is not None:
                    theme = planned[0]
                    trees.append(planned[1])
        problems = list(dict.fromkeys(problems))  # a language's tree repeats what its untranslated files say
        if any(p.is_error or self.strict for p in problems) or theme is None or len(trees) < wanted:
            raise PlaybookError(problems)
        self.content.finish()
        main, *others = trees
        return Checked(main.site, theme, main.env, sort_diagnostics(problems), tuple(others))

    def _languages(
        self, project: Project, playbook: Playbook, problems: list[Diagnostic]
    ) -> Iterator[tuple[Playbook, Languages]]:
        """The playbook in each of its languages, the main one first, with what each tree knows of the others."""
        settings = playbook.settings
        if not settings.other_languages:
            yield playbook, Languages()
            return
        main = settings.language.lower()
        listed = tuple(
            Language(tag, language_name(tag), "" if tag.lower() == main else f"{tag.lower()}/")
            for tag in sorted(settings.languages, key=lambda tag: tag.lower() != main)
        )
        main_tree = Languages("", listed, frozenset(), settings.language, settings.title)
        yield playbook, main_tree
        options = {
            (worksheet.id, field.id): field.options
            for worksheet in playbook.worksheets.values()
            for section in worksheet.sections
            for field in section.fields
            if isinstance(field, ChoiceField)
        }
        for tag in settings.other_languages:
            translated, found = self.content.validate_language(project, tag, settings)
            problems += found
            untranslated = untranslated_items(project, tag)
            if translated is not None:
                yield (
                    translated,
                    replace(main_tree, tree=f"{tag.lower()}/", untranslated=untranslated, saved_options=options),
                )

    def _plan(self, playbook: Playbook, languages: Languages, problems: list[Diagnostic]) -> tuple[Theme, Tree] | None:
        """One language's tree of the site: its pages planned, its Markdown rendered, its links checked."""
        stage = _Stages()
        reuse = self._reuse(languages.tree)
        settings = playbook.settings
        where = playbook.sources.settings  # playbook.yaml, or its translation in a language's tree
        words = reuse.words(self.root, settings.theme, settings.language, problems, settings.strings, where)
        pages = tuple(plan_pages(playbook, pdf=self.pdf, words=words))
        md = create_markdown(allow_html=settings.markdown.allow_html, words=words)
        site, link_problems = self.content.plan_site(
            playbook, md, pages, pdf=self.pdf, words=words, languages=languages
        )
        problems += link_problems
        html = sum(p.is_html for p in site.pages)
        tree = f" in {languages.tree}" if languages.tree else ""
        stage.done("planned %d pages%s and checked their links: %d problems", html, tree, len(link_problems))
        loaded = reuse.theme(self.root, settings.theme, problems, words)
        stage.done("loaded the theme '%s' in '%s'", settings.theme, settings.language)
        return None if loaded is None else (loaded[0], Tree(site, loaded[1]))

    def _reuse(self, tree: str) -> RenderReuse:
        """What rendering a language's tree reuses: its own environment and pages, the search index's parts shared."""
        if not tree:
            return self._render
        if tree not in self._translated:
            shared = self._render
            self._translated[tree] = RenderReuse(again=self.again, search_runs=shared.search_runs, pdfs=shared.pdfs)
        return self._translated[tree]

    def render(self, checked: Checked, previous: Mapping[str, str] | None = None) -> Iterator[SiteFile]:
        """Every file of the checked site, reusing what this session made, and what the previous output
        holds (`previous`: its files' fingerprints), when it was made from the same inputs."""
        previous = previous or {}
        yield from self._render.render(checked.site, checked.env, checked.theme, previous)
        for tree in checked.translations:
            folder = tree.site.tree
            theirs = {
                url.removeprefix(folder): made_from for url, made_from in previous.items() if url.startswith(folder)
            }
            for file in self._reuse(folder).render(tree.site, tree.env, checked.theme, theirs):
                if not tree.site.shared(file.url):  # the main tree has them, at the site root
                    yield replace(file, url=folder + file.url)
        if self.pdf and self._render.pdfs is not None:  # forget the PDFs of pages the site no longer has
            self._render.pdfs.keep_only([t.site.tree + p.url for t in checked.trees for p in t.site.pages])

    def build(self, changed: Collection[str] = ()) -> tuple[Checked, Rendered]:
        """Check, then render every file of the site into memory (the dev server serves them from there)."""
        checked = self.check(changed)
        stage = _Stages()
        rendered = Rendered.of(self.render(checked))
        stage.done("made the site's %d files, %d of them rendered anew", rendered.count, len(rendered.fresh))
        return checked, rendered

    @property
    def project(self) -> Project | None:
        """The files the last build read."""
        return self.content.project

    def _start_from(self, cached: CacheContent | None) -> None:
        if cached is None or not isinstance(cached.content, ContentReuse) or cached.content.project is None:
            return
        if cached.content.project.root != self.root.resolve():
            return
        self.content = cached.content
        self._render = RenderReuse(again=self.again, search_runs=cached.search_runs, pdfs=cached.pdfs or KeptPdfs())
        self._translated = {}

    def save_cache(self) -> None:
        """Leave what this session read and made for the next build, if anything changed since it was loaded.

        Raises `OSError` when it cannot be written: the disk is full, the folder is read-only.
        """
        search_runs, pdfs = self._render.search_runs, self._render.pdfs
        if not self.cache or self.project is None or search_runs is None or pdfs is None:
            return
        if not self.content.changed and not search_runs.changed and not pdfs.changed:
            log.info("left the build cache as it was: nothing in it changed")
            return
        key = signing_key() or make_signing_key(key_path())
        self.content.saved()
        search_runs.changed = pdfs.changed = False
        search_runs.finish()
        content = CacheContent(self.content, search_runs, pdfs)

        def write_body(stream: BinaryIO) -> str:
            writer = SignedWriter(stream, key)
            dump_cache(content, writer)
            return writer.signature()

        path = cache_path(self.root)
        write_cache(path, path.with_name(SIGNATURE_FILE), write_body)


class _Stages:
    """Logs each stage of a build as it ends, with the time it took, for `playbook -v`."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def done(self, message: str, *args: object) -> None:
        now = time.perf_counter()
        log.info(message + " (%.2f s)", *args, now - self.started)
        self.started = now


def check(project_dir: Path, *, strict: bool = False, pdf: bool = False) -> Checked:
    """Validate everything and plan the site; raise `PlaybookError` with every problem found."""
    return BuildSession(project_dir, strict=strict, pdf=pdf).check()


def build(
    project_dir: Path, out_dir: Path | None = None, *, strict: bool = False, pdf: bool = False, cache: bool = True
) -> BuildResult:
    """Build the site of the project into `out_dir` (default: `_site` in the project); `pdf` adds PDF booklets.

    With `cache`, unchanged content comes from the content cache and unchanged files are kept from
    the previous output; without it, everything is read, made and written afresh.
    """
    out_dir = out_dir if out_dir is not None else project_dir / OUTPUT_FOLDER
    folder_problems = check_output_folder(out_dir, project_dir)
    if folder_problems:
        raise PlaybookError(folder_problems)
    session = BuildSession(project_dir, strict=strict, pdf=pdf, cache=cache)
    with output_lock(out_dir):
        recover_output(out_dir)
        remove_partial_cache(cache_path(project_dir).parent)
        previous = read_manifest(out_dir, written_files(project_dir, out_dir)) if cache else None
        with SiteWriter(out_dir, project_dir) as writer:  # files go to disk as they are made
            checked = session.check()
            stage = _Stages()
            rendered = Rendered.of(session.render(checked, previous), writer.add)
            stage.done("made and wrote the site's %d files, %d of them anew", rendered.count, len(rendered.fresh))
            wrote = writer.finish(rendered.kept, rendered.prints)
        if cache:
            _leave_cache(session, out_dir, checked, {"pdf": pdf, "strict": strict})
    made = sum(1 for url in rendered.fresh if url.endswith(".html"))
    return BuildResult(out_dir, checked.pages, rendered.count, checked.warnings, made, wrote, checked)


def _leave_cache(session: BuildSession, out_dir: Path, checked: Checked, options: dict[str, Any]) -> None:
    """Save the content cache and the record of this build; the site is written, so a failure here is a warning."""
    try:
        session.save_cache()
        record = input_record(session.root, out_dir, checked.theme.folders, options)
        record["warnings"] = [str(w) for w in checked.warnings]
        write_record(session.root / RECORD, json.dumps(record, sort_keys=True))
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        log.warning(
            "the site is built, but the build cache was not saved (%s%s); the next build may take longer",
            exc.strerror or exc,
            where,
        )


def clean(project_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Delete the content cache, the output folder (only if a build made it) and what killed builds left
    beside it; what was deleted."""
    out_dir = out_dir if out_dir is not None else project_dir / OUTPUT_FOLDER
    removed = []
    if remove_cache(cache_path(project_dir).parent):
        removed.append(cache_path(project_dir).parent)
    with output_lock(out_dir):
        if remove_site(out_dir, project_dir):
            removed.append(out_dir)
        removed += remove_leftovers(out_dir)
    return removed
