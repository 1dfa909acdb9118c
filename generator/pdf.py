"""Booklets as PDF files, made with WeasyPrint from the booklet pages the build has just rendered.

WeasyPrint is an optional extra (`pip install 'mentor-playbook[pdf]'`). It reads the
page and its stylesheet from the build in memory, never from disk or the network.
A PDF takes seconds to make, so the PDFs of a build are made on every core, and a PDF
made before from the very same bytes (page, stylesheet, WeasyPrint, fonts) is reused.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import mimetypes
import os
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import Diagnostic, PlaybookError
from .parallel import map_across_cores

log = logging.getLogger(__name__)

SITE_ROOT = "https://playbook.invalid/"  # a made-up origin: every address under it is a file of the build
INSTALL_HINT = "install it with: pip install 'mentor-playbook[pdf]' (in a checkout of Playbook: pip install '.[pdf]')"
PDF_VERSION = "1"  # changes when the way Playbook asks WeasyPrint for a PDF changes


def load_weasyprint() -> Any:
    """The WeasyPrint module, or a `PlaybookError` that says how to install it."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # the optional extra, or the system libraries it needs, missing
        message = f"PDF booklets need WeasyPrint, which cannot be loaded ({exc})"
        raise PlaybookError([Diagnostic("--pdf", 0, 0, message, INSTALL_HINT)]) from exc
    return weasyprint


def require_weasyprint() -> None:
    """Raise `PlaybookError` when WeasyPrint is not installed, without loading it (that takes a second,
    and a build whose PDFs are all kept from before never needs it)."""
    problem = missing_weasyprint()
    if problem is not None:
        message = "PDF booklets need WeasyPrint, which is not installed"
        raise PlaybookError([Diagnostic("--pdf", 0, 0, message, INSTALL_HINT)])


def missing_weasyprint() -> str | None:
    """Why PDF booklets cannot be made on this computer, with how to fix it; None when they can
    (as far as can be told without loading WeasyPrint: missing system libraries show when a PDF is made)."""
    try:
        found = importlib.util.find_spec("weasyprint") is not None
    except (ImportError, ValueError):
        found = False
    return None if found else f"--pdf: PDF booklets need WeasyPrint, which is not installed; {INSTALL_HINT}"


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: its URL, the page of the site it prints, and the files of the site it may use."""

    url: str
    page: str
    files: Mapping[str, bytes]
    tree: str = ""  # the language's tree it is in (`fr/`), "" for the main one

    def key(self, engine: str) -> str:
        """A digest of everything the PDF is made from: its files' bytes and `engine` (WeasyPrint and the fonts)."""
        hasher = hashlib.blake2b(digest_size=20)
        for part in (engine.encode(), self.page.encode()):
            hasher.update(part + b"\0")
        for url in sorted(self.files):
            data = self.files[url]
            hasher.update(f"{url}\0{len(data)}\0".encode())
            hasher.update(data)
        return hasher.hexdigest()


class KeptPdfs:
    """The PDFs of earlier builds, each by its URL with the digest of what it was made from."""

    def __init__(self) -> None:
        self._by_url: dict[str, tuple[str, bytes]] = {}
        self.changed = False  # since it was last saved

    def get(self, url: str, key: str) -> bytes | None:
        """The PDF kept for `url` if it was made from the same inputs (`key`), else None."""
        found = self._by_url.get(url)
        return found[1] if found is not None and found[0] == key else None

    def put(self, url: str, key: str, data: bytes) -> None:
        """Keep the PDF made for `url` from `key`, in place of the one kept before."""
        self._by_url[url] = (key, data)
        self.changed = True

    def keep_only(self, urls: Collection[str]) -> None:
        """Forget the PDFs of URLs the site no longer has (`urls`: those it has, PDFs or not)."""
        gone = set(self._by_url) - set(urls)
        for url in gone:
            del self._by_url[url]
        self.changed = self.changed or bool(gone)


def print_pdfs(jobs: Sequence[PdfJob], kept: KeptPdfs | None = None) -> list[bytes]:
    """The PDF of each job, in order: kept from an earlier build when made from the same bytes (`kept`),
    else made now, on every core."""
    if not jobs:
        return []
    engine = engine_stamp()
    keys = [job.key(engine) for job in jobs]
    found = [kept.get(job.tree + job.url, key) if kept is not None else None for job, key in zip(jobs, keys)]
    missing = [index for index, data in enumerate(found) if data is None]
    for index, data in zip(missing, _make_all([jobs[index] for index in missing])):
        found[index] = data
        if kept is not None:
            kept.put(jobs[index].tree + jobs[index].url, keys[index], data)
    if len(missing) < len(jobs):
        log.info("reused %d PDFs made before from the same pages", len(jobs) - len(missing))
    return [data for data in found if data is not None]


def _make_all(jobs: Sequence[PdfJob]) -> list[bytes]:
    """Make the PDFs, the longest first, each in a worker process when there are cores to spare."""
    if not jobs:
        return []
    load_weasyprint()  # here, before the workers are forked, so that each need not load it again
    started = time.perf_counter()
    longest_first = sorted(range(len(jobs)), key=lambda index: -len(jobs[index].files[jobs[index].page]))
    made = map_across_cores(_make_one, longest_first, jobs, smallest=2)
    problems = [result for result in made if isinstance(result, Diagnostic)]
    if problems:
        raise PlaybookError(problems)
    results: list[bytes] = [b""] * len(jobs)
    pages = 0
    for index, result in zip(longest_first, made):
        assert not isinstance(result, Diagnostic)
        results[index], count = result
        pages += count
    seconds = time.perf_counter() - started
    log.info("made %d PDFs (%d pages, %.1f pages/s, %.2f s)", len(jobs), pages, pages / max(seconds, 1e-6), seconds)
    return results


def _make_one(jobs: Sequence[PdfJob], index: int) -> tuple[bytes, int] | Diagnostic:
    """One job's PDF and its number of pages, or what went wrong (a worker hands back a value, not an error)."""
    job = jobs[index]
    try:
        return make_pdf(job.page, job.files)
    except PlaybookError as exc:
        return exc.diagnostics[0]


def engine_stamp() -> str:
    """What, besides its files, a PDF is made from: WeasyPrint's version, its PDF writer's, and the fonts."""
    versions = []
    for package in ("weasyprint", "pydyf"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} none")
    return f"playbook-pdf {PDF_VERSION}; {'; '.join(versions)}; fonts {_fonts_stamp()}"


def _fonts_stamp() -> str:
    """A digest of fontconfig's cache files (names, sizes, times): it changes when fonts are installed or removed."""
    hasher = hashlib.blake2b(digest_size=12)
    user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    for path in (Path("/var/cache/fontconfig"), user_cache / "fontconfig", Path.home() / ".fontconfig"):
        try:
            entries = sorted(os.scandir(path), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            try:
                stat = entry.stat()
            except OSError:
                continue
            hasher.update(f"{path}/{entry.name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def make_pdf(page: str, files: Mapping[str, bytes]) -> tuple[bytes, int]:
    """A printable page of the site as PDF bytes, and how many pages the PDF has."""
    weasyprint = load_weasyprint()
    log.debug("making the PDF of %s", page)
    try:
        document = weasyprint.HTML(
            string=files[page].decode("utf-8"),
            base_url=SITE_ROOT + page,
            url_fetcher=_site_fetcher(weasyprint, files),
            media_type="print",
        ).render()
        return bytes(document.write_pdf()), len(document.pages)
    # WeasyPrint stops at a file it cannot fetch with an error that is not an `Exception`: not caught, it would
    # end a worker process without a word, and the build would wait for it for ever.
    except (Exception, getattr(weasyprint.urls, "FatalURLFetchingError", Exception)) as exc:
        reason = exc.__cause__ or exc  # what the fetcher said, rather than "Error fetching"
        message = f"making the PDF failed: {type(reason).__name__}: {reason}"
        raise PlaybookError([Diagnostic(page, 0, 0, message)]) from exc


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
