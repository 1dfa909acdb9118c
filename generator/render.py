"""Render the site: each page through its kind's template or its code, as bytes, in a fixed order.

Render is pure: it reads the site and the theme and hands back `(URL, bytes)`; it keeps
nothing between builds and writes nothing (the reuse layer decides what need not be made
again, and `output` writes).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from .errors import Diagnostic, PlaybookError
from .kinds import KINDS, files_used
from .pages import Page
from .parallel import stream_across_cores
from .pdf import PdfJob, print_pdfs
from .site import Site
from .theme import static_files
from .theme_chain import Theme

log = logging.getLogger(__name__)

PrintPdfs = Callable[[Sequence[PdfJob]], list[bytes]]  # the PDF of each job, in order


def render_site(
    site: Site, env: Environment, theme: Theme, pages: Iterable[Page], print_pdf: PrintPdfs = print_pdfs
) -> Iterator[tuple[str, bytes]]:
    """The files of the site, by URL: `pages` (of `site.pages`), the theme's static files and the
    content's assets, then the files made by code, then the PDFs (all at once, through `print_pdf`).
    Templated pages are rendered across the computer's cores; a template that fails anywhere raises
    `PlaybookError` with each place it failed."""
    wanted = list(pages)
    templated = [number for number, page in _numbered(site, wanted) if _templated(page)]
    made = [page for page in wanted if KINDS[page.kind].make is not None]
    printed = [page for page in wanted if KINDS[page.kind].prints is not None]
    files = _SiteFiles(site, env, static_files(theme), needed=_made_from([*made, *printed]))
    problems: list[Diagnostic] = []
    for number, result in zip(templated, stream_across_cores(_render_numbered, templated, (site, env, theme))):
        if isinstance(result, Diagnostic):
            problems.append(result)
            continue
        url = site.pages[number].url
        files.hold(url, result)
        yield url, result
    if problems:
        raise PlaybookError(problems)
    yield from files.static.items()
    for asset in site.assets:
        yield asset.url, asset.data
    for page in made:
        make = KINDS[page.kind].make
        assert make is not None
        yield from make(page, site, files)
    jobs = [_pdf_job(page, site, files) for page in printed]
    yield from zip((job.url for job in jobs), print_pdf(jobs))


def render_page(page: Page, site: Site, env: Environment) -> bytes:
    """One templated page as UTF-8 text."""
    template = env.get_template(KINDS[page.kind].template)
    text = template.render(site=site, page=page, playbook=site.playbook, settings=site.playbook.settings)
    return text.encode("utf-8")


def render_alone(page: Page, site: Site, env: Environment, theme: Theme) -> bytes:
    """A templated page made beside the site rather than in it (the zip's read-me); `PlaybookError` with
    the place its template failed."""
    try:
        return render_page(page, site, env)
    except Exception as exc:  # noqa: BLE001 - a template can raise anything; report it with its place
        raise PlaybookError([_template_problem(exc, page, theme)]) from None


def _templated(page: Page) -> bool:
    kind = KINDS[page.kind]
    return kind.make is None and kind.prints is None


def _pdf_job(page: Page, site: Site, files: _SiteFiles) -> PdfJob:
    """What a PDF is made from: the page it prints and the files it uses (its kind's `made_from`)."""
    kind = KINDS[page.kind]
    assert kind.prints is not None
    used = {url: files.file(url) for url in files_used(page, site, files.static)}
    return PdfJob(page.url, kind.prints(page), used, site.tree)


def _numbered(site: Site, pages: list[Page]) -> list[tuple[int, Page]]:
    """Each page with its number in the site: what a worker is handed (a number, not the page, is cheap to send)."""
    number = {page.url: index for index, page in enumerate(site.pages)}
    return [(number[page.url], page) for page in pages]


def _made_from(pages: Iterable[Page]) -> set[str]:
    found: set[str] = set()
    for page in pages:
        made_from = KINDS[page.kind].made_from
        found.update(made_from(page) if made_from else ())
    return found


class _SiteFiles:
    """The files made so far that files made by code need (a booklet's page, the stylesheet, the assets)."""

    def __init__(self, site: Site, env: Environment, static: Mapping[str, bytes], needed: set[str]) -> None:
        self.site, self.env, self.static, self.needed = site, env, static, needed
        self.held: dict[str, bytes] = {}
        self.assets = {asset.url: asset.data for asset in site.assets}

    def hold(self, url: str, data: bytes) -> None:
        """Keep a page's bytes if a file made by code needs them."""
        if url in self.needed:
            self.held[url] = data

    def file(self, url: str) -> bytes:
        """The bytes of a page or static file; a page this render did not make (the reuse layer had it) is made now."""
        if url in self.held:
            return self.held[url]
        if url in self.static:
            return self.static[url]
        if url in self.assets:
            return self.assets[url]
        page = next(page for page in self.site.pages if page.url == url)
        return render_page(page, self.site, self.env)


def _render_numbered(shared: tuple[Site, Environment, Theme], number: int) -> bytes | Diagnostic:
    """Page `number` of the site: its bytes, or where its template failed (a worker cannot raise that back whole)."""
    site, env, theme = shared
    page = site.pages[number]
    try:
        return render_page(page, site, env)
    except Exception as exc:  # noqa: BLE001 - a template can raise anything; report it with its place
        return _template_problem(exc, page, theme)


def _template_problem(exc: Exception, page: Page, theme: Theme) -> Diagnostic:
    """Name the template and line where rendering failed."""
    template = KINDS[page.kind].template
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
        return Diagnostic(theme.display_path(theme.template_dirs[-1] / template), 0, 0, message)
    frame = frames[-1]
    return Diagnostic(theme.display_path(Path(frame.filename)), frame.lineno or 0, 1, message)
