"""The dev server's watcher: which files of the project changed, leaving out what a build does not read."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from .names import is_settings_file
from .uptodate import WATCHED

log = logging.getLogger(__name__)

IGNORED_FOLDERS = {
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    "node_modules",
    ".venv",
    "venv",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
}
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swpx", ".tmp", ".part", ".crdownload", ".pyc")


def watch(root: Path, on_change: Callable[[Collection[str]], None]) -> Any:
    """Watch the project with watchdog; report changed files (relative paths), ignoring output and tool folders."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    observer = Observer()
    watched: dict[str, Any] = {}

    def watch_folder(name: str) -> None:
        # Only the input folders are watched inside: a watch in the output would see a build beside the
        # server swap its folders, which watchdog cannot follow (its bookkeeping fails and the watcher stops).
        there = (root / name).is_dir() and not (root / name).is_symlink()
        if name in watched and not there:  # removed: a folder made again by that name gets a new watch
            observer.unschedule(watched.pop(name))
        elif name not in watched and there and name in WATCHED:
            watched[name] = observer.schedule(changes, str(root / name), recursive=True)

    class Changes(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            try:
                paths = [event.src_path, getattr(event, "dest_path", "")]
                relevant = [rel for rel in (input_path(root, os.fsdecode(p)) for p in paths if p) if rel is not None]
                for rel in relevant:  # an input folder made after the server started
                    watch_folder(rel.split("/")[0])
                if relevant and not (event.is_directory and event.event_type == "modified"):
                    on_change(relevant)
            except Exception as exc:  # raised here, it would stop the watcher, and every later rebuild
                log.warning("a change was missed: %s: %s: %s", event.src_path, type(exc).__name__, exc)
                log.debug("the watcher failed", exc_info=exc)

    changes = Changes()
    observer.schedule(changes, str(root), recursive=False)  # playbook.yaml, and input folders made or removed
    for name in WATCHED:
        watch_folder(name)
    observer.daemon = True
    observer.start()
    return observer


def input_path(root: Path, path: str) -> str | None:
    """The path relative to the project, or None for what a rebuild need not see.

    Only the build's inputs count: not its output, the staging folders a build writes beside it
    (`._site.new-*`, `._site.old-*`), or its cache, so a `playbook build` next to the server reloads no page.
    Links are not followed: the path is the one that changed, wherever it leads.
    """
    prefix = f"{root}{os.sep}"
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix) :].replace(os.sep, "/")
    parts = rel.split("/")
    # What a build reads: playbook.yaml (and its translations) and the input folders; not its output or cache.
    read = parts[0] in WATCHED if len(parts) > 1 else parts[0] in WATCHED or is_settings_file(parts[0])
    if not read or any(part in IGNORED_FOLDERS for part in parts) or rel.endswith(IGNORED_SUFFIXES):
        return None
    if parts[-1].startswith(".#") or parts[-1] == "4913":  # an Emacs lock file; a file vim writes to test a folder
        return None
    return rel
