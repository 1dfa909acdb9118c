"""`playbook serve`: build, serve on 127.0.0.1, watch the project, rebuild what changed, reload the browser.

The site is served from memory, so only its own files can ever be served: there is
no folder to list or escape from. Pages get a small script that listens for server
events: after a rebuild they reload (keeping the scroll position); while the content
is broken they show the problems over the last good page, which keeps being served.
A rebuild that fails in any other way (a file gone between listing and reading, a link
to nowhere) is shown the same way, and the next save builds again.

Only requests that name this computer (or the `--host` given) are answered, so a web page
elsewhere cannot reach the site through a name of its own that it points here (DNS rebinding).
"""

from __future__ import annotations

import gc
import ipaddress
import json
import logging
import mimetypes
import os
import posixpath
import socket
import sys
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .build import BuildSession
from .errors import Diagnostic, PlaybookError
from .names import SETTINGS_FILE
from .uptodate import WATCHED

log = logging.getLogger(__name__)

DEV = "/__playbook__/"
QUIET_SECONDS = 0.01  # several saves in a row become one rebuild: wait until they stop for this long
MOST_WAIT_SECONDS = 0.3  # but never longer than this after the first
PING_SECONDS = 15
IDLE_SECONDS = 10  # a connection that sends nothing for this long is closed
QUEUE = 1024  # connections waiting to be accepted; a page load opens several at once
INPUTS = {*WATCHED, SETTINGS_FILE}  # what a build reads; changes elsewhere (its output, its cache) are not watched
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]"}
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


@dataclass
class SiteState:
    """What the server shows: the last good build, the current problems, and a count of rebuilds."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    epoch: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, files: dict[str, bytes] | None, problems: list[str]) -> None:
        """Publish a rebuild (files None: it failed, keep the last good ones) and wake every listener."""
        with self.changed:
            if files is not None:
                self.files = files
            self.problems = problems
            self.epoch += 1
            self.changed.notify_all()


class DevServer:
    """A build session, a watcher and an HTTP server, tied together."""

    def __init__(self, project_dir: Path, host: str, port: int, report: Callable[[str], None]) -> None:
        self.root = project_dir.resolve()
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
            problems = [str(d) for d in exc.diagnostics]
            self.state.update(None, problems)
            count = len(exc.errors)
            self.report(f"{what}: {count} problem{'s' if count != 1 else ''}; {self._still_serving()}")
            for line in problems:
                self.report(f"  {line}")
            return
        except Exception as exc:  # noqa: BLE001 - whatever stopped it, the server must go on and build again
            self._failed(what, exc)
            return
        seconds = time.perf_counter() - started
        self.state.update(rendered.files, [str(w) for w in checked.warnings])
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
        problem = str(failure(exc, self.root))
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


def allowed_hosts(host: str) -> frozenset[str]:
    """The names a request's Host header may give (without the port): this computer's, and the one served on."""
    names = set(LOOPBACK_NAMES)
    given = host.lower()
    if given in ("", "0.0.0.0", "::"):  # every address of this computer: it may be asked for by its name
        name = socket.gethostname().lower()
        names.update({name, f"{name}.local"})
    else:
        names.add(f"[{given}]" if ":" in given else given)
    return frozenset(names)


def host_allowed(header: str | None, allowed: Collection[str]) -> bool:
    """Whether a request's Host header names this server: an allowed name or an address, with a port or not.

    Any other name may be someone else's that was pointed at this computer to read the site (DNS rebinding);
    an address cannot be. A request without the header comes from no web page, so it is answered.
    """
    if header is None:
        return True
    name, port = header.strip().lower(), ""
    if name.startswith("["):
        end = name.find("]")
        name, port = (name[: end + 1], name[end + 1 :]) if end > 0 else ("", "")
        address = name[1:-1]
    elif name.count(":") == 1:
        name, port = name.split(":")
        port = ":" + port
        address = name
    else:
        address = name
    if port and not (port.startswith(":") and port[1:].isdigit() and port[1:].isascii()):
        return False
    if name in allowed or name.endswith(".localhost"):  # browsers keep *.localhost on this computer
        return True
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


class DevHTTPServer(ThreadingHTTPServer):
    """The threaded HTTP server, with a long queue and no tracebacks for clients that go away."""

    request_queue_size = QUEUE
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):  # the browser closed the tab, or stopped reading
            log.debug("%s went away: %s", client_address, exc)
            return
        log.error("could not answer a request from %s: %s: %s", client_address[0], type(exc).__name__, exc)
        log.debug("the request failed", exc_info=exc)


def bind(host: str, port: int, server: DevServer) -> ThreadingHTTPServer:
    """An HTTP server on `host`, on `port` or, when it is taken, the next free one (up to 20 further)."""
    handler = type("Handler", (SiteHandler,), {"dev": server})
    last_error: OSError | None = None
    for candidate in range(port, port + 20 if port else port + 1):
        try:
            return DevHTTPServer((host, candidate), handler)
        except OSError as exc:  # taken, most likely; try the next one
            last_error = exc
            continue
    raise OSError(f"no free port from {port} to {port + 19} on {host}: {last_error}")


class SiteHandler(BaseHTTPRequestHandler):
    """Serves the site from memory, the reload script, and the events that drive it."""

    dev: DevServer
    server_version = "Playbook"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(IDLE_SECONDS)  # a client that sends nothing does not hold a thread for ever

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        host = self.headers.get("Host")
        if not host_allowed(host, self.dev.hosts):
            self._refuse(str(host), send_body)
            return
        parts = urlsplit(self.path)
        if parts.path.startswith(DEV):
            self._dev(parts.path[len(DEV) :], parse_qs(parts.query), send_body)
            return
        path = _site_path(parts.path)
        if path is None:
            self._send(403, "text/plain; charset=utf-8", b"Not allowed.\n", send_body)
            return
        state = self.dev.state
        files = state.files
        if not files:
            self._send(503, "text/html; charset=utf-8", _inject(_waiting_page(state.problems), state.epoch), send_body)
            return
        if path not in files and f"{path}/index.html" in files:
            self._redirect(f"/{path}/index.html")
            return
        found = files.get(path)
        status = 200
        if found is None:
            status, path = 404, "404.html"
            found = files.get(path, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>")
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind == "text/html":
            found = _inject(found, state.epoch)
        self._send(status, _with_charset(kind), found, send_body)

    def _dev(self, name: str, query: dict[str, list[str]], send_body: bool) -> None:
        state = self.dev.state
        if name == "live.js":
            self._send(200, "text/javascript; charset=utf-8", LIVE_SCRIPT.encode("utf-8"), send_body)
        elif name == "status":
            body = json.dumps({"epoch": state.epoch, "problems": state.problems}).encode("utf-8")
            self._send(200, "application/json", body, send_body)
        elif name == "events":
            try:
                seen = int((query.get("epoch") or ["0"])[0] or 0)
            except ValueError:
                self._send(400, "text/plain; charset=utf-8", b"The epoch must be a whole number.\n", send_body)
                return
            self._events(seen)
        else:
            self._send(404, "text/plain; charset=utf-8", b"Not found.\n", send_body)

    def _events(self, seen: int) -> None:
        """Server-sent events: `reload` after a good rebuild, `problems` after a failed one."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.dev.state
        try:
            while not self.dev.stopping.is_set():
                with state.changed:
                    state.changed.wait_for(partial(self._news, seen), PING_SECONDS)
                    epoch, problems = state.epoch, list(state.problems)
                if epoch == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    seen = epoch
                    errors = [p for p in problems if ": error: " in p]
                    event = "problems" if errors else "reload"
                    self.wfile.write(
                        f"event: {event}\ndata: {json.dumps({'epoch': epoch, 'problems': errors})}\n\n".encode()
                    )
                self.wfile.flush()
        except OSError:  # the page was closed or went away, or stopped reading (a time-out)
            return

    def _news(self, seen: int) -> bool:
        return self.dev.state.epoch != seen or self.dev.stopping.is_set()

    def _refuse(self, host: str, send_body: bool) -> None:
        shown = host[:100]
        refused = self.dev.refused
        if shown not in refused and len(refused) < 100:
            refused.add(shown)
            log.warning(
                "refused a request for the host %r: open %s, or start with `--host` that name", shown, self.dev.url
            )
        body = f"This Playbook dev server answers only to {self.dev.url} and this computer's names, not to '{shown}'.\n"
        self._send(421, "text/plain; charset=utf-8", body.encode("utf-8"), send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, kind: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


def _site_path(raw: str) -> str | None:
    """The site file a request path names, or None when it tries to leave the site."""
    path = unquote(raw)
    if "\0" in path or "\\" in path or any(part == ".." for part in path.split("/")):
        return None
    cleaned = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
    if cleaned in ("", "."):
        return "index.html"
    return cleaned + "/index.html" if path.endswith("/") else cleaned


def _with_charset(kind: str) -> str:
    textual = kind.startswith("text/") or kind in (
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "application/xml",
    )
    return f"{kind}; charset=utf-8" if textual else kind


def _inject(html: bytes, epoch: int) -> bytes:
    """The page with the live-reload script added at the end of its head."""
    tag = f'<script src="{DEV}live.js?epoch={epoch}" defer></script>'.encode()
    at = html.find(b"</head>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


def _waiting_page(problems: list[str]) -> bytes:
    listed = "".join(f"<li>{_escape(p)}</li>" for p in problems) or "<li>Building…</li>"
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Playbook: no site yet</title></head>"
        f"<body><main><h1>The site could not be built yet</h1><ul>{listed}</ul>"
        "<p>Fix the problems above and this page reloads.</p></main></body></html>"
    ).encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
                relevant = [rel for rel in (_relative(root, os.fsdecode(p)) for p in paths if p) if rel is not None]
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


def _relative(root: Path, path: str) -> str | None:
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
    if parts[0] not in INPUTS or any(part in IGNORED_FOLDERS for part in parts) or rel.endswith(IGNORED_SUFFIXES):
        return None
    if parts[-1].startswith(".#") or parts[-1] == "4913":  # an Emacs lock file; a file vim writes to test a folder
        return None
    return rel


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (for tests and tools)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


LIVE_SCRIPT = r"""/* Playbook dev server: reload after a rebuild, keeping the place; show problems while the content is broken. */
(function () {
  "use strict";
  var KEY = "playbook-dev-scroll";
  var me = document.currentScript && document.currentScript.src;
  var epoch = Number((/[?&]epoch=(\d+)/.exec(me || "") || [0, 0])[1]);
  var kept = sessionStorage.getItem(KEY);
  if (kept) {
    sessionStorage.removeItem(KEY);
    var at = JSON.parse(kept);
    if (at.url === location.href) addEventListener("load", function () { scrollTo(at.x, at.y); });
  }
  var overlay = null;
  function show(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "playbook-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#3a0d0d;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #f66";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var title = document.createElement("strong");
    title.textContent = "The playbook has problems; this is the last good build. Fix them and the page reloads.";
    var list = document.createElement("ul");
    problems.forEach(function (line) { var item = document.createElement("li"); item.textContent = line; list.appendChild(item); });
    overlay.append(title, list);
  }
  function reload() {
    sessionStorage.setItem(KEY, JSON.stringify({ url: location.href, x: scrollX, y: scrollY }));
    location.reload();
  }
  var events = new EventSource("/__playbook__/events?epoch=" + epoch);
  events.addEventListener("reload", reload);
  events.addEventListener("problems", function (event) { show(JSON.parse(event.data).problems); });
  fetch("/__playbook__/status").then(function (r) { return r.json(); }).then(function (status) {
    var errors = status.problems.filter(function (p) { return p.indexOf(": error: ") >= 0; });
    if (errors.length) show(errors);
  });
})();
"""
