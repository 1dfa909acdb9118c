"""Around the writer: one build of a folder at a time, setting right what killed builds left behind,
and the files a build keeps beside the site (the content cache, the key that signs it, the record of the build)."""

from __future__ import annotations

import errno
import logging
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..cache import KEY_SIZE
from ..files import read_regular
from .writer import MARKER, remove_path

log = logging.getLogger(__name__)


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Let one build at a time write `out_dir`: a second build of it waits until the first is done,
    so that each reads the output the other left, and the last one's site is the one in place.

    The lock is on the folder that holds `out_dir` (no lock file is left behind), and is let go
    when the process ends, however it ends. Where the system has no `flock`, builds do not wait.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("waiting for another build of %s to finish", out_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def recover_output(out_dir: Path) -> None:
    """Set right what a build that was killed left beside `out_dir`, whatever its process: put the previous
    site back if it was moved aside and not replaced, and delete half-made and retired copies.

    Call it only while holding `output_lock`, so that no other build is writing them.
    """
    out = out_dir.resolve()
    left = _leftovers(out)
    retired = [path for path in left if ".old-" in path.name and (path / MARKER).is_file()]
    if retired and not out.exists() and not out.is_symlink():
        newest = max(retired, key=lambda path: path.stat().st_mtime_ns)
        os.replace(newest, out)
        log.warning("put back the site that an interrupted build had moved aside: %s", out)
    remove_leftovers(out)


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Delete the copies of the site that killed builds left beside `out_dir`; which they were."""
    left = _leftovers(out_dir.resolve())
    for path in left:
        remove_path(path)
    return left


def _leftovers(out: Path) -> list[Path]:
    """The half-made (`.NAME.new-PID`) and retired (`.NAME.old-PID`) copies of the site beside `out`."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(new|old)-[0-9]+")
    try:
        return sorted(path for path in out.parent.iterdir() if pattern.fullmatch(path.name))
    except OSError:
        return []


def write_cache(path: Path, signature_path: Path, write_body: Callable[[BinaryIO], str]) -> None:
    """Write the build cache (beside the output, never in it): the body that `write_body` streams,
    then the signature it returns. A reader that sees a new body with an old signature rejects it."""
    if path.parent.exists() and not path.parent.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "a file is where the cache folder goes", str(path.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with partial.open("wb") as stream:
            signature = write_body(stream)
        os.replace(partial, path)
        write_record(signature_path, signature)  # replaced, never written into: it may be a pipe, which would block
    finally:
        remove_path(partial)
    log.info("saved the build cache in %s (%.2f s)", path.parent, time.perf_counter() - started)


def remove_cache(folder: Path) -> bool:
    """Delete the build cache folder; whether there was one."""
    if not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True


def remove_partial_cache(folder: Path) -> None:
    """Delete what a killed build left half-written in the cache folder (`.build.pickle.PID`, ...),
    unless the process that is writing it is still running (a build of the same project to another folder)."""
    pattern = re.compile(r"\.[\w.-]+\.([0-9]+)")
    try:
        found = [(path, match) for path in folder.iterdir() if (match := pattern.fullmatch(path.name))]
    except OSError:
        return
    for path, match in found:
        if not _running(int(match.group(1))):
            remove_path(path)


def _running(pid: int) -> bool:
    """Whether a process with this id runs now; where that cannot be asked without harm (Windows), assume not."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would end the process there
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another account's
    except (OSError, OverflowError):  # no such process, or no such id
        return False
    return True


def make_signing_key(path: Path) -> bytes:
    """Make this account's key for signing caches (readable by it alone), or replace one that is empty or
    cut short; OSError if there is nowhere to keep it."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder is where the key for signing caches goes", str(path))
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(KEY_SIZE)
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(key)
        try:
            os.link(partial, path)  # only if there is none yet: two first builds at once agree on one key
            return key
        except FileExistsError:
            existing = _read_key(path)
            if existing is not None:
                return existing  # another build made it meanwhile
            log.warning("the key for signing build caches, %s, is empty or damaged; replacing it", path)
        except OSError:
            pass  # a file system without hard links
        os.replace(partial, path)
        return key
    finally:
        remove_path(partial)


def _read_key(path: Path) -> bytes | None:
    try:
        key = read_regular(path, 4 * KEY_SIZE)
    except OSError:
        return None
    return key if KEY_SIZE <= len(key) <= 4 * KEY_SIZE else None


def write_record(path: Path, text: str) -> None:
    """Write the record of what the last build was made from (beside the content cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
