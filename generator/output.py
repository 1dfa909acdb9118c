"""The only module that writes a site to disk: build beside, then swap into place."""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .cache import KEY_SIZE
from .errors import Diagnostic, PlaybookError
from .files import read_regular
from .names import CONTENT_FOLDER, OUTPUT_MARKER, TEMPLATES_FOLDER, THEMES_FOLDER

log = logging.getLogger(__name__)

# Every folder this writer makes holds this file; a folder without it is never replaced. It also lists
# each file's fingerprint and size, so the next build can carry over the files that did not change.
MARKER = OUTPUT_MARKER
MADE_BY = "playbook build; the whole folder is replaced by the next build"
AT_FDCWD, RENAME_EXCHANGE = -100, 2  # from Linux's <fcntl.h> and <linux/fs.h>
MANIFEST_LIMIT = 1 << 28  # bytes: a manifest gives each file a line; this is millions of files


def check_output_folder(out_dir: Path, project_root: Path) -> list[Diagnostic]:
    """Reasons not to use `out_dir` for the site: it would overwrite the project or someone's files."""
    out, root = out_dir.resolve(), project_root.resolve()
    shown = str(out_dir)
    if out == root or out in root.parents:
        return [
            Diagnostic(
                shown,
                0,
                0,
                "the output folder would contain the whole project, and a build replaces it",
                "choose a new folder, e.g. `-o _site`",
            )
        ]
    for source in (root / CONTENT_FOLDER, root / TEMPLATES_FOLDER, root / THEMES_FOLDER):
        if out == source or source in out.parents:
            return [
                Diagnostic(
                    shown,
                    0,
                    0,
                    f"the output folder is inside {source.name}/, which the build reads",
                    "choose a folder outside it, e.g. `-o _site`",
                )
            ]
    if out.exists() and not out.is_dir():
        return [Diagnostic(shown, 0, 0, "the output path is a file, not a folder", "choose a folder")]
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        return [
            Diagnostic(
                shown,
                0,
                0,
                "the output folder has files that a build did not make, so it will not be replaced",
                "empty it, or choose another folder",
            )
        ]
    return []


def read_manifest(out_dir: Path, written: Mapping[str, list[int]]) -> dict[str, str]:
    """Fingerprints of the files a previous build wrote to `out_dir` that are still as it wrote them.

    `written` holds what that build found of each file it left (by absolute path): its modification
    time, size and inode. A file counts as unchanged only if it is still that very file, so an edit
    that keeps the size, or a folder and manifest copied in from elsewhere (a repository, an
    archive), does not pass, and such files are written again.
    """
    try:
        manifest = json.loads(read_regular(out_dir / MARKER, MANIFEST_LIMIT))
        prints, sizes = dict(manifest["fingerprints"]), dict(manifest["sizes"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    folder = out_dir.resolve()
    intact = {}
    for url, fingerprint in prints.items():
        try:
            path = folder / _safe_relative(url)
            info = os.lstat(path)
        except (OSError, ValueError):
            continue
        stamp = [info.st_mtime_ns, info.st_size, info.st_ino]
        if stat.S_ISREG(info.st_mode) and info.st_size == sizes.get(url) and written.get(str(path)) == stamp:
            intact[url] = fingerprint
    return intact


def write_site(
    out_dir: Path,
    files: Mapping[str, bytes],
    project_root: Path,
    kept: Collection[str] = (),
    prints: Mapping[str, str] | None = None,
) -> bool:
    """Write the site as the folder `out_dir`, all or nothing; False when it was already exactly that.

    `files` are new bytes by path from the site root; `kept` names files to carry over unchanged
    from the previous build in `out_dir` (as hard links, so they cost no copying).
    """
    with SiteWriter(out_dir, project_root) as writer:
        for url, data in files.items():
            writer.add(url, data)
        return writer.finish(kept, prints or {})


class SiteWriter:
    """Writes a site into a hidden folder beside `out_dir` as its files arrive, then swaps it into place.

    Files can come while they are being made, so a big site is never held in memory whole; if
    anything goes wrong before `finish`, the hidden folder is deleted and `out_dir` is as it was.
    """

    def __init__(self, out_dir: Path, project_root: Path) -> None:
        problems = check_output_folder(out_dir, project_root)
        if problems:
            raise PlaybookError(problems)
        self.out = out_dir.resolve()
        self.staging = self.out.parent / f".{self.out.name}.new-{os.getpid()}"
        self.sizes: dict[str, int] = {}
        self._folders: set[Path] = set()

    def __enter__(self) -> SiteWriter:  # noqa: PYI034 - typing.Self needs Python 3.11
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove(self.staging)
        self.staging.mkdir()
        return self

    def __exit__(self, *exc_info: object) -> None:
        _remove(self.staging)  # moved into place by finish(), or abandoned

    def add(self, url: str, data: bytes) -> None:
        """Write one file of the new site."""
        self.write(url, data)
        self.record(url, len(data))

    def write(self, url: str, data: bytes) -> None:
        """Write one file's bytes. A forked worker may call this; the parent then calls `record`."""
        path = self.staging / _safe_relative(url)
        if path.parent not in self._folders:  # once per folder, not once per file
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        path.write_bytes(data)

    def record(self, url: str, size: int) -> None:
        """Count a file written by `write` as part of the new site."""
        self.sizes[url] = size

    def finish(self, kept: Collection[str], prints: Mapping[str, str]) -> bool:
        """Carry over `kept` files, write the marker and swap; False when the site was already exactly this."""
        started = time.perf_counter()
        sizes = dict(self.sizes)
        sizes.update({url: (self.out / _safe_relative(url)).stat().st_size for url in kept})
        manifest = {
            "made by": MADE_BY,
            "fingerprints": dict(sorted(prints.items())),
            "sizes": dict(sorted(sizes.items())),
        }
        marker = (json.dumps(manifest, indent=0, ensure_ascii=False) + "\n").encode("utf-8")
        if not self.sizes and _read(self.out / MARKER) == marker:
            log.info("left the site in %s as it was: every file already was as made", self.out)
            return False
        for url in kept:
            _carry(self.out / _safe_relative(url), self.staging / _safe_relative(url))
        (self.staging / MARKER).write_bytes(marker)
        _swap(self.staging, self.out)
        seconds = time.perf_counter() - started
        made = f"{len(self.sizes)} files written as they were made, {len(kept)} kept from the last build"
        log.info("put the new site in place in %s: %s (%.2f s)", self.out, made, seconds)
        return True


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


def _read(path: Path) -> bytes:
    try:
        return read_regular(path, MANIFEST_LIMIT)
    except OSError:
        return b""


def _carry(old: Path, new: Path) -> None:
    """Put a file of the previous build into the new one: a hard link, or a copy where links are not possible."""
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def write_new_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Create `target` holding `files`; it must not exist yet, or be an empty folder."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PlaybookError(
            [Diagnostic(str(target), 0, 0, "already exists and is not empty", "choose a new folder name")]
        )
    out = target.resolve()
    with _staged(out, files) as staging:
        if out.is_dir():
            out.rmdir()
        os.replace(staging, out)


@contextmanager
def _staged(out: Path, files: Mapping[str, bytes]) -> Iterator[Path]:
    """A hidden folder beside `out` holding `files`; removed if it is not moved into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    _remove(staging)
    try:
        staging.mkdir()
        for rel, data in files.items():
            path = staging / _safe_relative(rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield staging
    finally:
        _remove(staging)


def _safe_relative(rel: str) -> PurePosixPath:
    """`rel` as a path that cannot leave the output folder."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel or not path.parts or rel.startswith("~"):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return path


def _swap(staging: Path, out: Path) -> None:
    """Put the finished build in place of the old one; the old one is removed only after.

    Where the system can exchange two folders in one step, `out` is never missing, not even for
    a moment, and a build stopped at any point leaves a whole site in `out`. Elsewhere it takes
    two renames, and a build stopped between them is set right by the next one (`recover_output`).
    """
    if not out.exists():
        os.replace(staging, out)
        return
    if _exchange(staging, out):
        _remove(staging)  # it now holds the old site
        return
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    _remove(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired, out)
        raise
    _remove(retired)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux: renameat2 with RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: only a build that replaces a site needs it

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc before 2.28, musl)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    failure = ctypes.get_errno()
    if failure in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # an old kernel, or a file system without it
        return False
    raise OSError(failure, os.strerror(failure), str(second))


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
        _remove(path)
    return left


def _leftovers(out: Path) -> list[Path]:
    """The half-made (`.NAME.new-PID`) and retired (`.NAME.old-PID`) copies of the site beside `out`."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(new|old)-[0-9]+")
    try:
        return sorted(path for path in out.parent.iterdir() if pattern.fullmatch(path.name))
    except OSError:
        return []


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


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
        _remove(partial)
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
            _remove(path)


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
        _remove(partial)


def _read_key(path: Path) -> bytes | None:
    try:
        key = read_regular(path, 4 * KEY_SIZE)
    except OSError:
        return None
    return key if KEY_SIZE <= len(key) <= 4 * KEY_SIZE else None


def remove_site(out_dir: Path, project_root: Path) -> bool:
    """Delete an output folder a build made (it holds the marker); whether there was one."""
    if not out_dir.is_dir() or not (out_dir / MARKER).is_file() or check_output_folder(out_dir, project_root):
        return False
    shutil.rmtree(out_dir)
    return True


def write_record(path: Path, text: str) -> None:
    """Write the record of what the last build was made from (beside the content cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
