"""The content cache: what a build reads, validates and renders, kept on disk for the next build.

It lives in `.playbook-cache/` in the project (never in the output), and holds the
files read (with their time stamps), the validated models and the rendered
Markdown, each keyed by the content it was made from. It is pickled, so it is
signed with a key kept in the user's own cache folder: a cache file that is
corrupt, made by another version, or not made on this account (copied in, or
committed to a repository) is ignored and rebuilt, never loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__
from .files import read_regular
from .names import CACHE_FOLDER

log = logging.getLogger(__name__)

CACHE_FILE = "build.pickle"
SIGNATURE_FILE = "build.signature"  # the body's signature, its size and who made it, written after the body
FORMAT = f"playbook-cache 8 {__version__} python {sys.version_info[0]}.{sys.version_info[1]}"
SIGNATURE_LIMIT = 4096  # bytes: a signature file is one short line
KEY_SIZE = 32


@dataclass
class CacheContent:
    """What one build leaves for the next."""

    content: Any  # reuse.ContentReuse: the files read, checked and rendered
    search_runs: Any  # memo.Memo of search index runs
    pdfs: Any = None  # pdf.KeptPdfs: the PDFs made, each with a digest of what it was made from


def cache_path(project_dir: Path) -> Path:
    """Where a project's cache file is."""
    return project_dir / CACHE_FOLDER / CACHE_FILE


def read_cache(project_dir: Path) -> CacheContent | None:
    """The project's cache, or None when there is none or it cannot be trusted."""
    started = time.perf_counter()
    folder = cache_path(project_dir).parent
    found = _read_signed(folder)
    if found is None:
        return None
    signature, made_by, body = found
    key = signing_key()
    if key is None or made_by != FORMAT:
        log.info("the cache was made by another version or account; building without it")
        return None
    if not hmac.compare_digest(signature, _signer(key, body).hexdigest()):
        log.warning("the cache in %s is damaged or was not made here; building without it", folder)
        return None
    try:
        content = pickle.loads(body)
    except Exception:  # noqa: BLE001 - a signed but unreadable cache: from an older layout of these classes
        log.warning("the cache in %s could not be read; building without it", folder)
        return None
    if not isinstance(content, CacheContent):
        return None
    log.info("read the build cache in %s (%.2f s)", folder, time.perf_counter() - started)
    return content


def _read_signed(folder: Path) -> tuple[str, str, bytes] | None:
    """The signature, maker and body of the cache in `folder`, read no further than the signature says it is long.

    Nothing is trusted yet: a link, a pipe or a device in place of a file is never read.
    """
    try:
        line = read_regular(folder / SIGNATURE_FILE, SIGNATURE_LIMIT).decode("utf-8")
        signature, size, made_by = line.split(" ", 2)
        body = read_regular(folder / CACHE_FILE, int(size))
    except (FileNotFoundError, NotADirectoryError):
        log.info("there is no build cache in %s yet: building without it", folder)
        return None
    except (OSError, ValueError) as exc:
        log.warning("the cache in %s cannot be read (%s); building without it", folder, _reason(exc))
        return None
    if len(body) != int(size):
        log.warning("the cache in %s is damaged or was not made here; building without it", folder)
        return None
    return signature, made_by.strip(), body


def _reason(exc: Exception) -> str:
    return exc.strerror or str(exc) if isinstance(exc, OSError) else "not a signature"


class SignedWriter:
    """Writes the cache body to a file while signing it, so the body is never held in memory whole."""

    def __init__(self, stream: BinaryIO, key: bytes) -> None:
        self.stream = stream
        self.signer = _signer(key, b"")
        self.size = 0

    def write(self, data: bytes) -> int:
        self.signer.update(data)
        self.size += len(data)
        return self.stream.write(data)

    def signature(self) -> str:
        """What goes in the signature file once the body is written: the signature, the body's size, the maker."""
        return f"{self.signer.hexdigest()} {self.size} {FORMAT}\n"


def dump_cache(content: CacheContent, writer: SignedWriter) -> None:
    """Write the cache through `writer`."""
    pickle.dump(content, writer, protocol=pickle.HIGHEST_PROTOCOL)


def _signer(key: bytes, body: bytes) -> hmac.HMAC:
    return hmac.new(key, body, hashlib.sha256)


def key_path() -> Path:
    """Where this account's key for signing caches is kept: its own cache folder, outside any project."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "playbook" / "cache-key"


def signing_key() -> bytes | None:
    """This account's key for signing caches, if it has a usable one (an empty or cut key is not)."""
    try:
        key = read_regular(key_path(), 4 * KEY_SIZE)
    except OSError:
        return None
    return key if KEY_SIZE <= len(key) <= 4 * KEY_SIZE else None
