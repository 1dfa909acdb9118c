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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__

log = logging.getLogger(__name__)

CACHE_FOLDER = ".playbook-cache"
CACHE_FILE = "build.pickle"
SIGNATURE_FILE = "build.signature"  # the body's signature and who made it, written after the body
FORMAT = f"playbook-cache 4 {__version__} python {sys.version_info[0]}.{sys.version_info[1]}"


@dataclass
class CacheContent:
    """What one build leaves for the next."""

    project: Any  # loader.Project
    validated: Any  # memo.Memo of validation results
    site: Any  # site.SiteMemo
    search_runs: Any  # memo.Memo of search index runs


def cache_path(project_dir: Path) -> Path:
    """Where a project's cache file is."""
    return project_dir / CACHE_FOLDER / CACHE_FILE


def read_cache(project_dir: Path) -> CacheContent | None:
    """The project's cache, or None when there is none or it cannot be trusted."""
    folder = cache_path(project_dir).parent
    key = signing_key()
    try:
        signature, _, made_by = (folder / SIGNATURE_FILE).read_text(encoding="utf-8").partition(" ")
        body = (folder / CACHE_FILE).read_bytes()
    except (OSError, UnicodeDecodeError):
        return None
    if key is None or made_by.strip() != FORMAT:
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
    return content if isinstance(content, CacheContent) else None


class SignedWriter:
    """Writes the cache body to a file while signing it, so the body is never held in memory whole."""

    def __init__(self, stream: BinaryIO, key: bytes) -> None:
        self.stream = stream
        self.signer = _signer(key, b"")

    def write(self, data: bytes) -> int:
        self.signer.update(data)
        return self.stream.write(data)

    def signature(self) -> str:
        """What goes in the signature file once the body is written."""
        return f"{self.signer.hexdigest()} {FORMAT}\n"


def dump_cache(content: CacheContent, writer: SignedWriter) -> None:
    """Write the cache through `writer`."""
    pickle.dump(content, writer, protocol=pickle.HIGHEST_PROTOCOL)


def _signer(key: bytes, body: bytes) -> hmac.HMAC:
    return hmac.new(key, body, hashlib.sha256)


def key_path() -> Path:
    """Where this account's key for signing caches is kept: its own cache folder, outside any project."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "playbook" / "cache-key"


def signing_key() -> bytes | None:
    """This account's key for signing caches, if it has one yet."""
    try:
        key = key_path().read_bytes()
    except OSError:
        return None
    return key if len(key) >= 32 else None
