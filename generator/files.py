"""Reading a file that someone else may have put in place: only a plain file, and never more than a limit.

A cache, a manifest or a content file can be a link to `/dev/zero`, a named pipe that
blocks whoever opens it, or a device. Read whole, the first grows without end and the
second hangs the build. These readers open without waiting, look at what they opened,
and read no more than they were told they may.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a named pipe, a device, a socket, a folder or (where links are refused) a link."""


def read_regular(path: Path, limit: int, *, follow_links: bool = False) -> bytes:
    """The bytes of the plain file at `path`, at most `limit` + 1 of them: more than `limit` means it is too big.

    Raises `NotRegularFile` for anything but a plain file (a link too, unless `follow_links`),
    and `OSError` when it cannot be opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:  # O_NOFOLLOW met a link
            raise NotRegularFile(errno.ELOOP, "a link, not a plain file", str(path)) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a plain file (a folder, pipe, device or socket)", str(path))
        if not follow_links and os.path.islink(path):  # where the system has no O_NOFOLLOW
            raise NotRegularFile(errno.ELOOP, "a link, not a plain file", str(path))
        chunks, wanted = [], limit + 1
        while wanted > 0:
            chunk = os.read(handle, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)
