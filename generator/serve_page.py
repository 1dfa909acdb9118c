"""What the dev server adds to the site's pages: the reload script, its problems overlay, and a page for when
there is no site yet.

The script learns of problems as data (`problem_data`): it shows the errors over the last good page,
and reads which ones are errors from their severity, not from their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import Diagnostic

DEV = "/__playbook__/"  # where the dev server's own files and events are, beside the site's


def problem_data(problem: Diagnostic) -> dict[str, Any]:
    """A problem as the reload script reads it: where, how bad, what, what to do, and the line as the terminal shows it."""
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.col,
        "severity": "error" if problem.is_error else "warning",
        "message": problem.message,
        "hint": problem.hint,
        "text": str(problem),
    }


def inject(html: bytes, epoch: int, more: bytes = b"") -> bytes:
    """The page with the live-reload script (and `more`: the editor's link) added at the end of its head."""
    tag = f'<script src="{DEV}live.js?epoch={epoch}" defer></script>'.encode() + more
    at = html.find(b"</head>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


def waiting_page(problems: Sequence[Diagnostic]) -> bytes:
    """The page shown before any build has succeeded: the problems, or that it is building."""
    listed = "".join(f"<li>{_escape(str(p))}</li>" for p in problems) or "<li>Building…</li>"
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Playbook: no site yet</title></head>"
        f"<body><main><h1>The site could not be built yet</h1><ul>{listed}</ul>"
        "<p>Fix the problems above and this page reloads.</p></main></body></html>"
    ).encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
  /* Each problem is {path, line, column, severity, message, hint, text}: the errors are shown, as the terminal says them. */
  function show(problems) {
    var errors = problems.filter(function (problem) { return problem.severity === "error"; });
    if (!errors.length) return;
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
    errors.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem.text;
      item.dataset.severity = problem.severity;
      list.appendChild(item);
    });
    overlay.append(title, list);
  }
  function reload() {
    sessionStorage.setItem(KEY, JSON.stringify({ url: location.href, x: scrollX, y: scrollY }));
    location.reload();
  }
  var events = new EventSource("/__playbook__/events?epoch=" + epoch);
  events.addEventListener("reload", reload);
  events.addEventListener("problems", function (event) { show(JSON.parse(event.data).problems); });
  fetch("/__playbook__/status").then(function (r) { return r.json(); }).then(function (status) { show(status.problems); });
})();
"""
