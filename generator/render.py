"""Render the site: every page through its template, plus static files and assets, as bytes."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from .errors import Diagnostic, PlaybookError
from .ics import render_calendar
from .pages import Page
from .pdf import render_booklet_pdf
from .search import build_search_index
from .site import Site
from .theme import Theme, static_files

log = logging.getLogger(__name__)


# Pages made by code rather than a template, after the templated ones (a PDF is made from its HTML page).
PRODUCED = ("search-index", "calendar", "booklet-pdf")


def render_site(site: Site, env: Environment, theme: Theme) -> dict[str, bytes]:
    """Every output file of the site, by its path from the site root, in a stable order."""
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for page in site.pages:
        if page.kind in PRODUCED:
            continue
        try:
            files[page.url] = render_page(page, site, env)
        except Exception as exc:  # noqa: BLE001 - a template can raise anything; report it with its place
            problems.append(_template_problem(exc, page, theme))
    if problems:
        raise PlaybookError(problems)
    files.update(static_files(theme))
    for asset in site.assets:
        files[asset.url] = asset.data
    for page in site.pages:
        if page.kind in PRODUCED:
            files.update(produce(page, site, files))
    return dict(sorted(files.items()))


def render_page(page: Page, site: Site, env: Environment) -> bytes:
    """One templated page as UTF-8 text."""
    template = env.get_template(page.template)
    text = template.render(site=site, page=page, playbook=site.playbook, settings=site.playbook.settings)
    return text.encode("utf-8")


def produce(page: Page, site: Site, files: dict[str, bytes]) -> dict[str, bytes]:
    """Files made by code: the search index, a program's calendar, or a booklet as PDF."""
    if page.kind == "search-index":
        return build_search_index(site)
    assert page.program is not None
    if page.kind == "calendar":
        return {page.url: render_calendar(site, page.program)}
    return {page.url: render_booklet_pdf(page.program.id, page.role.id if page.role else "", files)}


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
