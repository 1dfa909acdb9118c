"""`playbook serve`: build, serve on 127.0.0.1, watch the project, rebuild what changed, reload the browser.

The watcher (`serve_watch`) reports changed files; a burst of saves becomes one rebuild, which
is published to the HTTP side (`serve_http`). Pages get a small script (`serve_page`) that
listens for server events: after a rebuild they reload (keeping the scroll position); while
the content is broken they show the problems over the last good page, which keeps being
served. A rebuild that fails in any other way (a file gone between listing and reading, a
link to nowhere) is shown the same way, and the next save builds again.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from .build import BuildSession
from .errors import Diagnostic, PlaybookError
from .serve_edit import Editor
from .serve_http import SiteState, allowed_hosts, bind
from .serve_watch import watch

log = logging.getLogger(__name__)

QUIET_SECONDS = 0.01  # several saves in a row become one rebuild: wait until they stop for this long
MOST_WAIT_SECONDS = 0.3  # but never longer than this after the first


class DevServer:
    """A build session, a watcher and an HTTP server, tied together."""

    def __init__(
        self, project_dir: Path, host: str, port: int, report: Callable[[str], None], *, edit: bool = False
    ) -> None:
        self.root = project_dir.resolve()
        self.editor = Editor(self.root) if edit else None
        self.report = report
        self.hosts = allowed_hosts(host)
        self.refused: set[str] = set()  # Host headers refused so far: each is told once on the terminal
        self.session = BuildSession(self.root, again=True)
        self.state = SiteState()
        self.http = bind(host, port, self)
        self._pending: set[str] = set()
        self._first_pending = 0.0
        self._last_event = 0.0
        self._wake = threading.Condition()
        self.stopping = threading.Event()
        self._observer: Any = None

    @property
    def url(self) -> str:
        """Where the site is served."""
        host, port = str(self.http.server_address[0]), int(self.http.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    @property
    def edit_url(self) -> str:
        """The link that opens the site with the editor's token (`--edit`), or '' without the editor."""
        return f"{self.url}?edit={self.editor.token}" if self.editor is not None else ""

    def start(self) -> None:
        """Build once, then watch and serve in background threads."""
        self.rebuild(())
        self._observer = watch(self.root, self.changed)
        threading.Thread(target=self._rebuild_loop, name="playbook-rebuild", daemon=True).start()
        threading.Thread(target=self.http.serve_forever, name="playbook-http", daemon=True).start()

    def stop(self) -> None:
        """Stop watching and serving."""
        self.stopping.set()
        with self._wake:
            self._wake.notify_all()
        if self._observer is not None:
            self._observer.stop()
        self.http.shutdown()
        self.http.server_close()
        with self.state.changed:
            self.state.changed.notify_all()

    def changed(self, paths: Collection[str]) -> None:
        """Called by the watcher with files that changed (relative to the project)."""
        now = time.monotonic()
        with self._wake:
            if not self._pending:
                self._first_pending = now
            self._pending.update(paths)
            self._last_event = now
            self._wake.notify_all()

    def _rebuild_loop(self) -> None:
        while not self.stopping.is_set():
            with self._wake:
                while not self._pending and not self.stopping.is_set():
                    self._wake.wait()
                while not self.stopping.is_set():  # let a burst of saves settle
                    now = time.monotonic()
                    quiet_until = self._last_event + QUIET_SECONDS
                    latest = self._first_pending + MOST_WAIT_SECONDS
                    if now >= min(quiet_until, latest):
                        break
                    self._wake.wait(min(quiet_until, latest) - now)
                changed, self._pending = self._pending, set()
            if changed and not self.stopping.is_set():
                self.rebuild(changed)

    def rebuild(self, changed: Collection[str]) -> None:
        """Build again after `changed`; on problems, keep serving the last good site and show them."""
        started = time.perf_counter()
        what = "Built the site"
        try:
            known = self.session.project.loaded if self.session.project else {}
            what = _describe([p for p in changed if p in known or os.path.lexists(self.root / p)])
            checked, rendered = self.session.build(changed)
        except PlaybookError as exc:
            if self.editor is not None:
                self.editor.built(None, self.session.project, exc.diagnostics)
            self.state.update(None, exc.diagnostics)
            count = len(exc.errors)
            self.report(f"{what}: {count} problem{'s' if count != 1 else ''}; {self._still_serving()}")
            for problem in exc.diagnostics:
                self.report(f"  {problem}")
            return
        except Exception as exc:  # noqa: BLE001 - whatever stopped it, the server must go on and build again
            self._failed(what, exc)
            return
        seconds = time.perf_counter() - started
        if self.editor is not None:  # before the pages reload, so their edit links name the new files
            self.editor.built(checked, self.session.project, checked.warnings)
        self.state.update(rendered.files, checked.warnings)
        # What the session keeps lives as long as the server: leave it out of later garbage collections,
        # which would otherwise walk all of it and add pauses to rebuilds.
        gc.collect()
        gc.freeze()
        pages = sum(1 for url in rendered.fresh if url.endswith(".html"))
        self.report(f"{what}: rendered {pages} page{'s' if pages != 1 else ''} in {seconds * 1000:.0f} ms")

    def _still_serving(self) -> str:
        """What readers see meanwhile: the last good build, or, before there was one, the problems alone."""
        return "still serving the last good build" if self.state.files else "no site to show until they are fixed"

    def _failed(self, what: str, exc: Exception) -> None:
        """A rebuild stopped by something other than the content's problems: show it like one."""
        log.debug("the rebuild failed", exc_info=exc)
        problem = failure(exc, self.root)
        self.state.update(None, [problem])
        self.report(f"{what}: the rebuild failed; {self._still_serving()}")
        self.report(f"  {problem}")
        # What the session kept may be half updated: the next build starts afresh and reads everything.
        self.session = BuildSession(self.root, again=True)


def failure(exc: Exception, root: Path) -> Diagnostic:
    """An unexpected exception as a problem at the file it concerns (from the project), if it names one."""
    hint = "the next save builds again; `playbook serve -v` shows where it failed"
    shown = str(exc).replace(f"{root}{os.sep}", "")
    if isinstance(exc, OSError) and exc.filename:
        where = str(exc.filename)
        if where.startswith(f"{root}{os.sep}"):
            where = Path(where).relative_to(root).as_posix()
        return Diagnostic(where, 0, 0, f"could not be read: {exc.strerror or shown}", hint)
    return Diagnostic("playbook serve", 0, 0, f"the rebuild failed: {type(exc).__name__}: {shown}", hint)


def _describe(changed: Collection[str]) -> str:
    if not changed:
        return "Built the site"  # or only a temporary file came and went
    names = sorted(changed)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{shown} changed"
