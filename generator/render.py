"""Render the site: every page through its template, plus static files and assets, as bytes."""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from .dependencies import Fingerprints
from .errors import Diagnostic, PlaybookError
from .ics import render_calendar
from .links import booklet_url
from .memo import Memo
from .pages import Page
from .parallel import stream_across_cores
from .pdf import render_booklet_pdf
from .search import RunResult, SearchIndex, build_once
from .site import Site
from .theme import Theme, static_files

log = logging.getLogger(__name__)


# Pages made by code rather than a template, after the templated ones (a PDF is made from its HTML page).
PRODUCED = ("search-index", "calendar", "booklet-pdf")


class Sink(Protocol):
    """Where a render hands its files as they are made (the site writer)."""

    def add(self, url: str, data: bytes) -> None:
        """Take one file."""

    def write(self, url: str, data: bytes) -> None:
        """Take one file's bytes, perhaps in a worker process; the render then calls `record` for it."""

    def record(self, url: str, size: int) -> None:
        """Count a file that `write` took, in the process that called the render."""


@dataclass
class RenderMemory:
    """What earlier renders made, for a render that can reuse it: pages by fingerprint, and the search index."""

    pages: dict[str, tuple[str, dict[str, bytes]]] = field(default_factory=dict)  # URL -> (fingerprint, files)
    search: SearchIndex | None = None  # kept and updated by sessions that build again; None: made once
    search_runs: Memo[RunResult] | None = None  # parts of a once-made index, kept for the next build
    keep_pages: bool = False  # whether to keep page bytes for the next build of this session


@dataclass(frozen=True)
class Rendered:
    """The files of the site: bytes made by this build, files kept as the previous build wrote them,
    the fingerprint of each, and which pages were rendered anew."""

    files: dict[str, bytes]  # what was not handed to the sink as it was made
    fresh: tuple[str, ...]
    kept: tuple[str, ...] = ()
    prints: dict[str, str] = field(default_factory=dict)
    sunk: tuple[str, ...] = ()  # files handed to the sink

    @property
    def count(self) -> int:
        """How many files the site has: one handed to the sink and also held in memory (to print a PDF) is one."""
        return len({*self.files, *self.kept, *self.sunk})


def render_site(
    site: Site,
    env: Environment,
    theme: Theme,
    memory: RenderMemory | None = None,
    prints: Fingerprints | None = None,
    previous: Mapping[str, str] | None = None,
    sink: Sink | None = None,
) -> Rendered:
    """Every output file of the site, by its path from the site root, in a stable order.

    A page is not rendered again when its fingerprint is the one it had in `memory` (the
    same session) or in `previous` (the fingerprints of the output a previous build left).
    With `sink`, files are handed to it as they are made instead of being kept in memory.
    """
    memory = memory if memory is not None else RenderMemory()
    previous = previous or {}
    held = {
        booklet_url(p.program.id, p.role.id if p.role else "")
        for p in site.pages
        if p.kind == "booklet-pdf" and p.program
    }
    made = _Made(previous, sink, held | {"static/playbook.css"})
    to_render: list[int] = []
    for number, page in enumerate(site.pages):
        if page.kind in PRODUCED:
            continue
        fingerprint = prints.pages.get(page.url, "") if prints else ""
        kept = memory.pages.get(page.url)
        if fingerprint and kept and kept[0] == fingerprint:
            made.add(page.url, fingerprint, kept[1][page.url])
        elif not made.keep(page.url, fingerprint):
            to_render.append(number)
    problems: list[Diagnostic] = []
    # Workers write the pages they make themselves, unless the bytes are wanted here: the hand-off
    # is then a number, not the page, and the writing is shared across cores too.
    writer = None if sink is None or memory.keep_pages else sink
    shared = (site, env, theme, writer, made.held)
    for number, result in zip(to_render, stream_across_cores(_render_numbered, to_render, shared)):
        if isinstance(result, Diagnostic):
            problems.append(result)
            continue
        url = site.pages[number].url
        fingerprint = prints.pages.get(url, "") if prints else ""
        if isinstance(result, int):
            made.written(url, fingerprint, result)
            continue
        made.add(url, fingerprint, result, fresh=True)
        if memory.keep_pages:
            memory.pages[url] = (fingerprint, {url: result})
    if problems:
        raise PlaybookError(problems)
    for url, data in static_files(theme).items():
        made.add_unless_kept(url, _digest(data), data)
    for asset in site.assets:
        made.add_unless_kept(asset.url, prints.assets.get(asset.url, "") if prints else _digest(asset.data), asset.data)
    for page in site.pages:
        if page.kind in PRODUCED:
            _produce(page, site, env, theme, made, memory, prints)
    _forget_gone(memory, site)
    return Rendered(
        dict(sorted(made.files.items())), tuple(made.fresh), tuple(sorted(made.kept)), made.prints, tuple(made.sunk)
    )


class _Made:
    """The files of a render as they come: new bytes, or kept from the previous build, each with its fingerprint."""

    def __init__(self, previous: Mapping[str, str], sink: Sink | None, held: set[str]) -> None:
        self.previous = previous
        self.sink = sink
        self.held = held  # files needed again later in the render (to print a PDF): kept in memory even with a sink
        self.files: dict[str, bytes] = {}
        self.kept: set[str] = set()
        self.prints: dict[str, str] = {}
        self.fresh: list[str] = []
        self.sunk: list[str] = []

    def keep(self, url: str, fingerprint: str) -> bool:
        """Keep the previous build's file if it was made from the same inputs; whether it was."""
        if not fingerprint or self.previous.get(url) != fingerprint:
            return False
        self.kept.add(url)
        self.prints[url] = fingerprint
        return True

    def written(self, url: str, fingerprint: str, size: int) -> None:
        """A new file a worker has handed to the sink itself."""
        assert self.sink is not None
        self.sink.record(url, size)
        self.sunk.append(url)
        self.prints[url] = fingerprint
        self.fresh.append(url)

    def add(self, url: str, fingerprint: str, data: bytes, fresh: bool = False) -> None:
        if self.sink is not None:
            self.sink.add(url, data)
            self.sunk.append(url)
            if url in self.held:
                self.files[url] = data
        else:
            self.files[url] = data
        self.prints[url] = fingerprint
        if fresh:
            self.fresh.append(url)

    def add_unless_kept(self, url: str, fingerprint: str, data: bytes) -> None:
        if not self.keep(url, fingerprint):
            self.add(url, fingerprint, data)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _render_numbered(
    shared: tuple[Site, Environment, Theme, Sink | None, set[str]], number: int
) -> bytes | int | Diagnostic:
    """Page `number` of the site: its bytes, or their size once handed to the sink, or where its
    template failed (a worker cannot raise that back whole)."""
    site, env, theme, sink, held = shared
    page = site.pages[number]
    try:
        data = render_page(page, site, env)
    except Exception as exc:  # noqa: BLE001 - a template can raise anything; report it with its place
        return _template_problem(exc, page, theme)
    if sink is None or page.url in held:
        return data
    sink.write(page.url, data)
    return len(data)


def render_page(page: Page, site: Site, env: Environment) -> bytes:
    """One templated page as UTF-8 text."""
    template = env.get_template(page.template)
    text = template.render(site=site, page=page, playbook=site.playbook, settings=site.playbook.settings)
    return text.encode("utf-8")


def _produce(
    page: Page,
    site: Site,
    env: Environment,
    theme: Theme,
    made: _Made,
    memory: RenderMemory,
    prints: Fingerprints | None,
) -> None:
    """Files made by code: the search index, a program's calendar, or a booklet as PDF."""
    if page.kind == "search-index":
        fingerprint = prints.search if prints else ""
        earlier = [url for url, old in made.previous.items() if url.startswith("search/") and old == fingerprint]
        if fingerprint and "search/index.js" in earlier:
            for url in earlier:
                made.keep(url, fingerprint)
            return
        if memory.search is not None:
            index: Iterable[tuple[str, bytes]] = memory.search.files(site, prints.slots if prints else {}).items()
        else:
            index = build_once(site, memory.search_runs, prints.slots if prints else None)
        for url, data in index:
            made.add(url, fingerprint, data, fresh=url == "search/index.js")
        return
    assert page.program is not None
    program = page.program
    if page.kind == "calendar":
        fingerprint = prints.pages.get(page.url, "") if prints else ""
        _reuse_or(made, memory, page.url, fingerprint, lambda: render_calendar(site, program))
        return
    role = page.role.id if page.role else ""
    booklet = booklet_url(program.id, role)
    fingerprint = _digest(f"{made.prints.get(booklet)}:{made.prints.get('static/playbook.css')}".encode())

    def make_pdf() -> bytes:
        html = made.files.get(booklet)
        if html is None:  # the booklet page itself was kept: render it again to print it
            html = render_page(next(p for p in site.pages if p.url == booklet), site, env)
        css = made.files.get("static/playbook.css") or static_files(theme)["static/playbook.css"]
        return render_booklet_pdf(program.id, role, {**made.files, booklet: html, "static/playbook.css": css})

    _reuse_or(made, memory, page.url, fingerprint, make_pdf)


def _reuse_or(made: _Made, memory: RenderMemory, url: str, fingerprint: str, make: Callable[[], bytes]) -> None:
    kept = memory.pages.get(url)
    if fingerprint and kept and kept[0] == fingerprint:
        made.add(url, fingerprint, kept[1][url])
    elif not made.keep(url, fingerprint):
        data = make()
        if memory.keep_pages:
            memory.pages[url] = (fingerprint, {url: data})
        made.add(url, fingerprint, data, fresh=True)


def _forget_gone(memory: RenderMemory, site: Site) -> None:
    """Drop what was kept for pages the site no longer has."""
    urls = {page.url for page in site.pages}
    for url in [url for url in memory.pages if url not in urls]:
        del memory.pages[url]


def _template_problem(exc: Exception, page: Page, theme: Theme) -> Diagnostic:
    """Name the template and line where rendering failed."""
    if isinstance(exc, TemplateNotFound):
        return Diagnostic(
            theme.display_path(theme.template_dirs[-1]),
            0,
            0,
            f"no template '{exc.name}' for the {page.kind} page {page.url}",
        )
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return Diagnostic(theme.display_path(Path(exc.filename)), exc.lineno or 0, 1, f"template syntax: {exc.message}")
    template_dirs = [str(d) for d in theme.template_dirs]
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if any(f.filename.startswith(d) for d in template_dirs)
    ]
    what = exc.message if isinstance(exc, TemplateError) and exc.message else f"{type(exc).__name__}: {exc}"
    message = f"rendering {page.url} failed: {what}"
    if not frames:
        return Diagnostic(theme.display_path(theme.template_dirs[-1] / page.template), 0, 0, message)
    frame = frames[-1]
    return Diagnostic(theme.display_path(Path(frame.filename)), frame.lineno or 0, 1, message)
