"""Reading a built site the way a browser opening it from disk would."""

from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageLinks(HTMLParser):
    """The links, resources and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src") or (tag == "link" and name == "href"):
                self.urls.append(value)


def read_page(path: Path) -> PageLinks:
    """Parse one page of the site."""
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every link or resource in the site that would not open from `file://`, as `page -> url: why`."""
    pages = {p.relative_to(site).as_posix(): read_page(p) for p in site.rglob("*.html")}
    problems = []
    for page, links in sorted(pages.items()):
        for url in links.urls:
            why = _why_broken(page, url, pages, site)
            if why:
                problems.append(f"{page} -> {url}: {why}")
    return problems


def _why_broken(page: str, url: str, pages: dict[str, PageLinks], site: Path) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel"):
        return ""
    if parts.scheme or url.startswith("//"):
        return "points at another host"
    if url.startswith("/"):
        return "starts at the root, which breaks file:// and sub-paths"
    target = (
        page if not parts.path else posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    )
    if target.startswith(".."):
        return "leaves the site"
    if parts.path.endswith("/") or (site / target).is_dir():
        return "points at a folder, which file:// shows as a listing"
    if not (site / target).is_file():
        return "no such file"
    if parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
        return f"no element with id '{parts.fragment}'"
    return ""


class FormControls(HTMLParser):
    """Form controls of a page and whether each has a label a screen reader can read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[tuple[str, bool]] = []  # (name or id, has a label of its own)
        self.label_for: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.label_for.add(str(attributes["for"]))
        elif tag in ("input", "textarea", "select") and attributes.get("type") != "hidden":
            named = bool(attributes.get("aria-label") or attributes.get("aria-labelledby")) or self.open_labels > 0
            self.controls.append((str(attributes.get("id") or attributes.get("name")), named))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


def _controls(path: Path) -> FormControls:
    parser = FormControls()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def unlabelled_controls(path: Path) -> list[str]:
    """Form controls on the page that no label names."""
    parser = _controls(path)
    return [name for name, named in parser.controls if not named and name not in parser.label_for]


def count_controls(path: Path) -> int:
    """How many form controls the page has."""
    return len(_controls(path).controls)


# --- The page types, and the windows they are looked at in --------------------------------------

PAGE_TYPES = {
    "home": "index.html",
    "start here": "roles/protege/index.html",
    "program": "programs/twelve-months/index.html",
    "month": "programs/twelve-months/month-06/index.html",
    "meeting card": "programs/twelve-months/month-06/card/index.html",
    "meeting cards": "programs/twelve-months/cards/index.html",
    "booklet": "programs/twelve-months/booklet/index.html",
    "role booklet": "programs/twelve-months/booklet/mentor/index.html",
    "guide": "guides/protege/why-not-your-manager/index.html",
    "worksheet": "worksheets/role-and-compensation/index.html",
    "repeating worksheet": "worksheets/pulse-check/index.html",
    "checklist": "checklists/monthly-meeting/index.html",
    "guides": "guides/index.html",
    "worksheets": "worksheets/index.html",
    "checklists": "checklists/index.html",
    "my progress": "progress/index.html",
    "dashboard": "cohorts/spring-2027/dashboard/index.html",
    "cohort": "cohorts/spring-2027/index.html",
    "cohort tasks": "cohorts/spring-2027/tasks/index.html",
    "pair": "cohorts/spring-2027/pairs/beatriz-and-lena/index.html",
    "pair pack": "cohorts/spring-2027/pairs/beatriz-and-lena/pack/index.html",
    "what changed": "changes.html",
    "accessibility": "accessibility.html",
}
"""One page of each kind in the example playbook, by the name tests and screenshots give it."""

PRINTED = (
    "checklist",
    "meeting card",
    "meeting cards",
    "booklet",
    "worksheet",
    "repeating worksheet",
    "cohort",
    "cohort tasks",
    "pair",
    "pair pack",
)
"""The page types made to be printed."""

WIDTHS = (360, 1280)
"""A phone and a laptop, in CSS pixels."""

SCHEMES = ("light", "dark")


def view(width: int, scheme: str, scale: float = 1) -> dict[str, object]:
    """Playwright's `new_context` options for a window `width` px wide in `scheme`: a phone below 600 px."""
    phone = width < 600
    return {
        "viewport": {"width": width, "height": 740 if phone else 800},
        "is_mobile": phone,
        "has_touch": phone,
        "device_scale_factor": scale,
        "color_scheme": scheme,
    }


def storage_key(site: Path) -> str:
    """The key a built site files the reader's data under: `data-site` of its home page's <html>."""
    found = re.search(r'<html[^>]*\sdata-site="([^"]*)"', (site / "index.html").read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{site / 'index.html'} has no data-site attribute")
    return html.unescape(found.group(1))
