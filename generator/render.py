"""Render the site: every page through its template, plus static files and assets, as bytes."""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from .dependencies import Fingerprints
from .errors import Diagnostic, PlaybookError
from .ics import render_calendar
from .links import booklet_url
from .pages import Page
from .pdf import render_booklet_pdf
from .search import SearchIndex
from .site import Site
from .theme import Theme, static_files

log = logging.getLogger(__name__)


# Pages made by code rather than a template, after the templated ones (a PDF is made from its HTML page).
PRODUCED = ("search-index", "calendar", "booklet-pdf")


@dataclass
class RenderMemory:
    """What earlier renders made, for a render that can reuse it: pages by fingerprint, and the search index."""

    pages: dict[str, tuple[str, dict[str, bytes]]] = field(default_factory=dict)  # URL -> (fingerprint, files)
    search: SearchIndex = field(default_factory=SearchIndex)


@dataclass(frozen=True)
class Rendered:
    """The files of the site, and which pages were rendered anew (the rest were reused)."""

    files: dict[str, bytes]
    fresh: tuple[str, ...]


def render_site(
    site: Site, env: Environment, theme: Theme, memory: RenderMemory | None = None, prints: Fingerprints | None = None
) -> Rendered:
    """Every output file of the site, by its path from the site root, in a stable order.

    With `memory` and `prints`, a page whose fingerprint is the one it had last time is not rendered again.
    """
    memory = memory if memory is not None else RenderMemory()
    files: dict[str, bytes] = {}
    fresh: list[str] = []
    problems: list[Diagnostic] = []
    for page in site.pages:
        if page.kind in PRODUCED:
            continue
        print_ = prints.pages.get(page.url, "") if prints else ""
        kept = memory.pages.get(page.url)
        if print_ and kept and kept[0] == print_:
            files.update(kept[1])
            continue
        try:
            files[page.url] = render_page(page, site, env)
        except Exception as exc:  # noqa: BLE001 - a template can raise anything; report it with its place
            problems.append(_template_problem(exc, page, theme))
            continue
        memory.pages[page.url] = (print_, {page.url: files[page.url]})
        fresh.append(page.url)
    if problems:
        raise PlaybookError(problems)
    files.update(static_files(theme))
    for asset in site.assets:
        files[asset.url] = asset.data
    for page in site.pages:
        if page.kind in PRODUCED:
            made, is_fresh = _produce(page, site, files, memory, prints)
            files.update(made)
            fresh.extend([page.url] if is_fresh else [])
    _forget_gone(memory, site)
    return Rendered(dict(sorted(files.items())), tuple(fresh))


def render_page(page: Page, site: Site, env: Environment) -> bytes:
    """One templated page as UTF-8 text."""
    template = env.get_template(page.template)
    text = template.render(site=site, page=page, playbook=site.playbook, settings=site.playbook.settings)
    return text.encode("utf-8")


def _produce(
    page: Page, site: Site, files: dict[str, bytes], memory: RenderMemory, prints: Fingerprints | None
) -> tuple[dict[str, bytes], bool]:
    """Files made by code: the search index, a program's calendar, or a booklet as PDF; and whether made anew."""
    if page.kind == "search-index":
        return memory.search.files(site, prints.slots if prints else {}), True
    assert page.program is not None
    if page.kind == "calendar":
        made_from = prints.pages.get(page.url, "") if prints else ""
        return _reuse_or(memory, page.url, made_from, lambda: render_calendar(site, page.program))  # type: ignore[arg-type]
    booklet = booklet_url(page.program.id, page.role.id if page.role else "")
    made_from = hashlib.blake2b(files[booklet] + files["static/playbook.css"], digest_size=16).hexdigest()
    role = page.role.id if page.role else ""
    return _reuse_or(memory, page.url, made_from, lambda: render_booklet_pdf(page.program.id, role, files))  # type: ignore[union-attr]


def _reuse_or(
    memory: RenderMemory, url: str, made_from: str, make: Callable[[], bytes]
) -> tuple[dict[str, bytes], bool]:
    kept = memory.pages.get(url)
    if made_from and kept and kept[0] == made_from:
        return kept[1], False
    made = {url: make()}
    memory.pages[url] = (made_from, made)
    return made, True


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
