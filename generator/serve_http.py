"""The dev server's HTTP side: the site from memory, the reload script, and the events that drive it.

The site is served from memory, so only its own files can ever be served: there is no folder
to list or escape from. Only requests that name this computer (or the `--host` given) are
answered, so a web page elsewhere cannot reach the site through a name of its own that it
points here (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import mimetypes
import posixpath
import socket
import sys
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import Diagnostic
from .serve_edit import MOST_BYTES, Editor, static_file
from .serve_page import DEV, LIVE_SCRIPT, inject, problem_data, waiting_page

log = logging.getLogger(__name__)

PING_SECONDS = 15
IDLE_SECONDS = 10  # a connection that sends nothing for this long is closed
QUEUE = 1024  # connections waiting to be accepted; a page load opens several at once
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]"}


@dataclass
class SiteState:
    """What the server shows: the last good build, the current problems, and a count of rebuilds."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: tuple[Diagnostic, ...] = ()
    epoch: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, files: dict[str, bytes] | None, problems: Sequence[Diagnostic]) -> None:
        """Publish a rebuild (files None: it failed, keep the last good ones) and wake every listener."""
        with self.changed:
            if files is not None:
                self.files = files
            self.problems = tuple(problems)
            self.epoch += 1
            self.changed.notify_all()

    def news(self) -> bytes:
        """The event for the last rebuild: `problems` when it found errors (with every problem), else `reload`."""
        event = "problems" if any(p.is_error for p in self.problems) else "reload"
        data = {"epoch": self.epoch, "problems": [problem_data(p) for p in self.problems]}
        return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()

    def status(self) -> bytes:
        """The rebuild count and its problems, as the reload script asks for them when a page opens."""
        return json.dumps({"epoch": self.epoch, "problems": [problem_data(p) for p in self.problems]}).encode()


class Served(Protocol):
    """What the HTTP side needs of the dev server."""

    state: SiteState
    hosts: frozenset[str]  # names a request may ask for
    refused: set[str]  # Host headers refused so far: each is told once
    stopping: threading.Event
    editor: Editor | None  # with `--edit`: the form editor; without it, the server writes nothing

    @property
    def url(self) -> str:
        """Where the site is served."""


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


def bind(host: str, port: int, served: Served) -> ThreadingHTTPServer:
    """An HTTP server on `host`, on `port` or, when it is taken, the next free one (up to 20 further)."""
    handler = type("Handler", (SiteHandler,), {"dev": served})
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

    dev: Served
    server_version = "Playbook"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(IDLE_SECONDS)  # a client that sends nothing does not hold a thread for ever

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_POST(self) -> None:
        """Only the editor takes POST requests (`--edit`); without it, nothing is ever written."""
        if self._refused_host(send_body=True):
            return
        parts = urlsplit(self.path)
        editor = self.dev.editor
        if editor is None or not parts.path.startswith(f"{DEV}edit/"):
            self._send(
                405, "text/plain; charset=utf-8", b"This server takes no changes: it only serves the site.\n", True
            )
            return
        try:
            size = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            size = -1
        if not 0 <= size <= MOST_BYTES:
            self._send(413, "text/plain; charset=utf-8", b"The request is too large.\n", True)
            return
        body = self.rfile.read(size)
        self._edit(editor, "POST", parts.path[len(DEV) + len("edit/") :], {}, body, True)

    def _edit(
        self, editor: Editor, method: str, name: str, query: dict[str, list[str]], body: bytes, send_body: bool
    ) -> None:
        """The editor's own files, or its answer to a request for data."""
        found = static_file(name) if method != "POST" else None
        if found is not None:
            self._send(200, found[1], found[0], send_body)
            return
        outcome = editor.answer(method, name, query, self.headers, body)
        self._send(outcome.status, "application/json", json.dumps(outcome.data).encode("utf-8"), send_body)

    def _answer(self, send_body: bool) -> None:
        if self._refused_host(send_body):
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
            self._send(503, "text/html; charset=utf-8", inject(waiting_page(state.problems), state.epoch), send_body)
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
            editor = self.dev.editor
            found = inject(found, state.epoch, editor.link_tag(path) if editor is not None else b"")
        self._send(status, _with_charset(kind), found, send_body)

    def _dev(self, name: str, query: dict[str, list[str]], send_body: bool) -> None:
        if name.startswith("edit/") and self.dev.editor is not None:
            self._edit(self.dev.editor, "GET", name.removeprefix("edit/"), query, b"", send_body)
        elif name == "live.js":
            self._send(200, "text/javascript; charset=utf-8", LIVE_SCRIPT.encode("utf-8"), send_body)
        elif name == "status":
            with self.dev.state.changed:
                body = self.dev.state.status()
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
                    epoch = state.epoch
                    news = state.news() if epoch != seen else b": still here\n\n"
                seen = epoch
                self.wfile.write(news)
                self.wfile.flush()
        except OSError:  # the page was closed or went away, or stopped reading (a time-out)
            return

    def _news(self, seen: int) -> bool:
        return self.dev.state.epoch != seen or self.dev.stopping.is_set()

    def _refused_host(self, send_body: bool) -> bool:
        """Whether the request names another host, and was refused (DNS rebinding)."""
        host = self.headers.get("Host")
        if host_allowed(host, self.dev.hosts):
            return False
        self._refuse(str(host), send_body)
        return True

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
