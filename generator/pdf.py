"""Booklets as PDF files, made with WeasyPrint from the booklet pages the build has just rendered.

WeasyPrint is an optional extra (`pip install 'mentor-playbook[pdf]'`). It reads the
page and its stylesheet from the build in memory, never from disk or the network.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from typing import Any

from .errors import Diagnostic, PlaybookError
from .links import booklet_url

log = logging.getLogger(__name__)

SITE_ROOT = "https://playbook.invalid/"  # a made-up origin: every address under it is a file of the build
INSTALL_HINT = "install it with: pip install 'mentor-playbook[pdf]' (in a checkout of Playbook: pip install '.[pdf]')"


def load_weasyprint() -> Any:
    """The WeasyPrint module, or a `PlaybookError` that says how to install it."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # the optional extra, or the system libraries it needs, missing
        message = f"PDF booklets need WeasyPrint, which cannot be loaded ({exc})"
        raise PlaybookError([Diagnostic("--pdf", 0, 0, message, INSTALL_HINT)]) from exc
    return weasyprint


def missing_weasyprint() -> str | None:
    """Why PDF booklets cannot be made on this computer, with how to fix it; None when they can."""
    try:
        load_weasyprint()
    except PlaybookError as exc:
        problem = exc.diagnostics[0]
        return f"--pdf: {problem.message}; {problem.hint}"
    return None


def render_booklet_pdf(program_id: str, role_id: str, files: Mapping[str, bytes]) -> bytes:
    """The booklet of a program (for everyone, or one role) as PDF bytes."""
    return render_pdf(booklet_url(program_id, role_id), files)


def render_pdf(page: str, files: Mapping[str, bytes]) -> bytes:
    """A printable page of the site (a booklet, a pair's pack) as PDF bytes, with `files` the site's files it uses."""
    weasyprint = load_weasyprint()
    log.info("making the PDF of %s", page)
    try:
        document = weasyprint.HTML(
            string=files[page].decode("utf-8"),
            base_url=SITE_ROOT + page,
            url_fetcher=_site_fetcher(weasyprint, files),
            media_type="print",
        )
        return bytes(document.write_pdf())
    except Exception as exc:
        raise PlaybookError([Diagnostic(page, 0, 0, f"making the PDF failed: {type(exc).__name__}: {exc}")]) from exc


def _site_fetcher(weasyprint: Any, files: Mapping[str, bytes]) -> Any:
    """A WeasyPrint URL fetcher that serves the build's own files, and nothing else."""
    urls = weasyprint.urls
    if not hasattr(urls, "URLFetcherResponse"):  # WeasyPrint before 70 takes a function returning a dict
        return lambda url: {"string": _file(url, files), "mime_type": _mime(url), "redirected_url": url}

    class SiteFetcher(urls.URLFetcher):  # type: ignore[misc,name-defined]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return urls.URLFetcherResponse(url, body=_file(url, files), headers={"Content-Type": _mime(url)})

    return SiteFetcher(fail_on_errors=True)


def _file(url: str, files: Mapping[str, bytes]) -> bytes:
    path = url.removeprefix(SITE_ROOT).split("#")[0].split("?")[0]
    if not url.startswith(SITE_ROOT) or path not in files:
        raise ValueError(f"the booklet may only use files of the site, not {url}")
    return files[path]


def _mime(url: str) -> str:
    mime, _ = mimetypes.guess_type(url.split("#")[0].split("?")[0])
    return mime or "application/octet-stream"
