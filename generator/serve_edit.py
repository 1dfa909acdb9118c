"""The dev server's form editor (`playbook serve --edit`): its pages, and the requests that read and write files.

Safe by construction. The server listens on this computer only (the command line refuses `--edit`
with another `--host`), and the HTTP side already refuses a Host header that names another site.
Every request for data carries the run's secret token (`X-Playbook-Token`), which only the link
printed in the terminal gives; a write must also come from the editor's own page (its Origin, and the
browser's Sec-Fetch-Site, when sent, say so) as JSON. Files are written only under content/ and
playbook.yaml, whole or not at all (`output.replace_source`), and never over a change made on disk
since the form was opened.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from .build import Checked
from .edit_files import NotAForm, file_list, form_data, open_file, preview
from .edit_links import Target, edit_targets
from .edit_new import add_new
from .edit_save import Outcome, refused, save, unchanged_problems
from .errors import Diagnostic
from .loader import Project

EDITOR_FILES = Path(__file__).resolve().parent / "editor"
STATIC = {
    "": ("editor.html", "text/html; charset=utf-8"),
    "editor.js": ("editor.js", "text/javascript; charset=utf-8"),
    "editor.css": ("editor.css", "text/css; charset=utf-8"),
    "link.js": ("link.js", "text/javascript; charset=utf-8"),
}
TOKEN_HEADER = "X-Playbook-Token"
MOST_BYTES = 1 << 24  # a request body larger than any content file is refused unread
NO_TOKEN = (
    "This request has no valid editor token. Open the editor with the link printed in the terminal "
    "where `playbook serve --edit` runs; a new run prints a new link."
)


class Editor:
    """What the editor knows of the site (from the dev server's last build) and the requests it answers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.token = secrets.token_urlsafe(32)
        self._saving = threading.Lock()  # one save at a time: each checks the project as the last one left it
        self._checked: Checked | None = None
        self._project: Project | None = None
        self._broken: frozenset[str] = frozenset()
        self._targets: dict[str, Target] = {}

    def built(self, checked: Checked | None, project: Project | None, problems: tuple[Diagnostic, ...]) -> None:
        """Called after each build: what it made (None when it failed) and the problems it found."""
        self._project = project
        self._broken = unchanged_problems(problems)
        if checked is not None:
            self._checked = checked
            self._targets = edit_targets(checked, project)

    def link_tag(self, url: str) -> bytes:
        """The script that adds "Edit this page" to the page at `url` of the site, naming its file."""
        rel, at = self._targets.get(url, ("", ""))
        return (
            f'<script src="/__playbook__/edit/link.js" data-path="{escape(rel)}" data-at="{escape(at)}" defer></script>'
        ).encode()

    def answer(self, method: str, name: str, query: Mapping[str, list[str]], headers: Any, body: bytes) -> Outcome:
        """The answer to a request for `/__playbook__/edit/<name>` (the static files are `static_file`'s)."""
        if not hmac.compare_digest(str(headers.get(TOKEN_HEADER) or "").encode(), self.token.encode()):
            return refused(403, NO_TOKEN)
        if method == "POST":
            problem = _not_from_the_editor(headers)
            if problem:
                return refused(403, problem)
            try:
                payload = json.loads(body.decode("utf-8")) if body else {}
            except (UnicodeDecodeError, json.JSONDecodeError):
                return refused(400, "The request is not JSON.")
            if not isinstance(payload, dict):
                return refused(400, "The request is not a JSON object.")
            return self._post(name, payload)
        if method == "GET" and name == "api/files":
            return Outcome(200, file_list(self._project, self._checked))
        if method == "GET" and name == "api/file":
            return self._open((query.get("path") or [""])[0])
        return refused(404, f"The editor has no '{name}'.")

    def _open(self, rel: str) -> Outcome:
        try:
            return Outcome(200, form_data(open_file(self.root, rel), self._checked))
        except NotAForm as exc:
            return refused(404, str(exc))

    def _post(self, name: str, payload: dict[str, Any]) -> Outcome:
        rel = str(payload.get("path") or "")
        if name == "api/preview":
            return Outcome(200, preview(str(payload.get("markdown") or ""), rel, self._checked))
        with self._saving:
            if name == "api/save":
                outcome = save(
                    self.root,
                    rel,
                    str(payload.get("digest") or ""),
                    payload.get("document"),
                    payload.get("body"),
                    earlier=self._project,
                    broken=self._broken,
                )
                if outcome.status == 200:
                    outcome.data["url"] = self.page_of(rel, str(payload.get("at") or ""))
                return outcome
            if name == "api/new":
                roles = tuple(r.id for r in self._checked.site.playbook.settings.roles) if self._checked else ()
                kind, title = str(payload.get("kind") or ""), str(payload.get("title") or "")
                return add_new(self.root, kind, title, roles, self._project, str(payload.get("program") or ""))
        return refused(404, f"The editor has no '{name}'.")

    def page_of(self, rel: str, at: str) -> str | None:
        """The site URL of the page showing the file `rel` (at `at`), to view after a save: the first in the
        site's order (a month's own page before its card)."""
        return next((f"/{url}" for url, target in self._targets.items() if target == (rel, at)), None)


def static_file(name: str) -> tuple[bytes, str] | None:
    """One of the editor's own files (its page, script and style), which hold no data: no token needed."""
    found = STATIC.get(name)
    if found is None or not (EDITOR_FILES / found[0]).is_file():
        return None
    return (EDITOR_FILES / found[0]).read_bytes(), found[1]


def _not_from_the_editor(headers: Any) -> str:
    """Why a write cannot have come from the editor's page, or '' when it may have."""
    host = str(headers.get("Host") or "")
    origin = headers.get("Origin")
    if origin is not None and origin != f"http://{host}":
        return f"Refused: the request came from {origin[:100]!r}, not from this editor's page."
    if str(headers.get("Sec-Fetch-Site") or "same-origin") not in ("same-origin", "none"):
        return "Refused: the request came from another site."
    if not str(headers.get("Content-Type") or "").startswith("application/json"):
        return "Refused: the editor sends JSON (Content-Type: application/json)."
    return ""
