"""Property-based tests (issue 7): any valid project builds, always to the same bytes, with every
internal link working and hostile text shown as text; a damaged file gives diagnostics, never a
traceback, and a build writes nothing outside its output folder.

Examples come from a fixed seed and no example database, so CI runs the same cases every time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, REPO, Run, snapshot, write_files
from generator.build import build
from generator.errors import PlaybookError
from generator.links import Targets, resolve
from generator.markdown import create_markdown, render_markdown
from generator.values import WINDOWS_DEVICES

# Shrinking a failing project takes minutes, which the suite cannot spare: a failure prints the
# whole example. Set PLAYBOOK_SHRINK=1 to have Hypothesis look for the smallest one instead.
PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("PLAYBOOK_SHRINK") else [])
BOUNDED = settings(
    phases=PHASES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- Text -------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éÉüßøçñжЩİığ中文語שלום🙂"
# Prose leaves out `]` and `>`: with them, random words could write a link or autolink to nowhere,
# which is a mistake in the content (reported as such), not a property of every valid project.
PROSE_SIGNS = "'\"<&!?.,;:-*_#()`%@/|{}~^$+="
WORD = st.text(LETTERS, min_size=1, max_size=6)
TITLE_WORD = st.text(LETTERS + PROSE_SIGNS + "]>\\[", min_size=1, max_size=8)
PROSE_WORD = st.text(LETTERS + PROSE_SIGNS, min_size=1, max_size=8)
TITLES = st.lists(TITLE_WORD, min_size=1, max_size=4).map(" ".join)
# Starting with a letter keeps a paragraph from opening a list, heading or quote.
PROSE = st.builds(lambda first, rest: " ".join([first, *rest]), WORD, st.lists(PROSE_WORD, max_size=6))
ID_PART = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=5).filter(
    lambda part: part not in WINDOWS_DEVICES  # refused, as Windows could not write a page by that name
)
IDS = st.lists(ID_PART, min_size=1, max_size=2).map("-".join)
GUIDE_IDS = st.builds(lambda folder, name: folder + name, st.sampled_from(["", "mentor/", "a/b/"]), IDS)
# Heading words whose slug is plain to predict: lowercase letters, joined by hyphens.
SLUG_WORDS = st.lists(st.text("abcdefghijklmnopqrstuvwxyzéüßжщ中文", min_size=1, max_size=6), min_size=1, max_size=3)
WHEN = st.sampled_from(["before", "during", "after", "month 2", "+2 weeks", "-3 days", "-1 week", "+1 day"])

HOSTILE = (
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[x](vbscript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<a href="javascript:alert(1)">x</a>',
)
HOSTILE_TEXT = st.builds(lambda a, payload, b: f"{a} {payload} {b}", WORD, st.sampled_from(HOSTILE), WORD)
# In Markdown, these are links with a scheme that is refused: an error in the content, never a link.
UNSAFE_LINKS = tuple(payload for payload in HOSTILE if payload.startswith(("[", "!", "<javascript")))
HOSTILE_HTML = tuple(payload for payload in HOSTILE if payload not in UNSAFE_LINKS)
HOSTILE_PROSE = st.builds(lambda a, payload, b: f"{a} {payload} {b}", WORD, st.sampled_from(HOSTILE_HTML), WORD)
UNSAFE_PROSE = st.builds(lambda a, payload, b: f"{a} {payload} {b}", WORD, st.sampled_from(UNSAFE_LINKS), WORD)
NO_TARGETS = Targets(pages={}, months={}, assets={})
REFUSED = re.compile(r"(links|images) with '(javascript|vbscript|data):' are not allowed")

# --- Random valid projects --------------------------------------------------------

DOT_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'


@dataclass
class Sample:
    """A generated project: its files, and text that certain pages must show as it was written."""

    files: dict[str, str] = field(default_factory=dict)
    shown: dict[str, list[str]] = field(default_factory=dict)  # page in the site -> texts it shows

    def show(self, page: str, text: str) -> None:
        self.shown.setdefault(page, []).append(text)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def link(source: str, target: str) -> str:
    """How a file at `source` writes a link to the file `target` (both from the project root)."""
    return posixpath.relpath(target, posixpath.dirname(source))


@dataclass(frozen=True)
class Parts:
    """The ids of a generated project, for links and references between its files."""

    roles: list[str]
    worksheets: list[str]
    checklists: list[str]
    guides: dict[str, str]  # guide id -> the slug of its first heading
    programs: dict[str, list[int]]  # program id -> its month numbers

    def guide_path(self, guide: str) -> str:
        return f"content/guides/{guide}.md"


@st.composite
def projects(draw: st.DrawFn, title: st.SearchStrategy[str] = TITLES, prose: st.SearchStrategy[str] = PROSE) -> Sample:
    """A small valid project: 1-2 programs, some worksheets and checklists, guides that link to each other."""
    parts = Parts(
        roles=draw(st.lists(IDS, min_size=1, max_size=3, unique=True)),
        worksheets=draw(st.lists(IDS, max_size=3, unique=True)),
        checklists=draw(st.lists(IDS, max_size=2, unique=True)),
        guides={g: "-".join(draw(SLUG_WORDS)) for g in draw(st.lists(GUIDE_IDS, min_size=1, max_size=4, unique=True))},
        programs={
            p: sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=4)))
            for p in draw(st.lists(IDS, min_size=1, max_size=2, unique=True))
        },
    )
    sample = Sample(files={"content/assets/dot.svg": DOT_SVG})
    _settings(draw, sample, parts, title, prose)
    for worksheet in parts.worksheets:
        _worksheet(draw, sample, parts, worksheet, title, prose)
    for checklist in parts.checklists:
        _checklist(draw, sample, parts, checklist, title, prose)
    for guide in parts.guides:
        _guide(draw, sample, parts, guide, title, prose)
    for program in parts.programs:
        _program(draw, sample, parts, program, title, prose)
    return sample


Text = st.SearchStrategy[str]


def _owner(draw: st.DrawFn, parts: Parts) -> str | list[str]:
    return draw(
        st.one_of(st.sampled_from(parts.roles), st.lists(st.sampled_from(parts.roles), min_size=1, unique=True))
    )


def _settings(draw: st.DrawFn, sample: Sample, parts: Parts, title: Text, prose: Text) -> None:
    settings_data: dict[str, Any] = {
        "title": draw(title),
        "organization": draw(title),
        "description": draw(prose),
        "roles": [{"id": r, "name": draw(title), "summary": draw(prose)} for r in parts.roles],
    }
    if draw(st.booleans()):
        settings_data["start_date"] = draw(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31))).isoformat()
    sample.files["playbook.yaml"] = dump(settings_data)
    sample.show("index.html", settings_data["title"])
    for role in settings_data["roles"]:
        sample.show(f"roles/{role['id']}/index.html", role["name"])


def _prose_link(draw: st.DrawFn, parts: Parts, source: str, prose: Text) -> str:
    """Prose with a link to another file of the project, as a writer would put one."""
    targets = [parts.guide_path(g) for g in parts.guides]
    targets += [f"content/worksheets/{w}.yaml" for w in parts.worksheets]
    targets += [f"content/checklists/{c}.yaml" for c in parts.checklists]
    targets += [f"content/programs/{p}.yaml" for p in parts.programs]
    target = draw(st.sampled_from(targets))
    fragment = ""
    guide = target.removeprefix("content/guides/").removesuffix(".md")
    if guide in parts.guides and draw(st.booleans()):
        fragment = "#" + parts.guides[guide]
    program = target.removeprefix("content/programs/").removesuffix(".yaml")
    if program in parts.programs and draw(st.booleans()):
        fragment = f"#month-{draw(st.sampled_from(parts.programs[program]))}"
    return f"{draw(prose)} [{draw(prose)}]({link(source, target)}{fragment}) {draw(prose)}"


def _field(draw: st.DrawFn, field_id: str, title: Text, prose: Text) -> dict[str, Any]:
    kind = draw(st.sampled_from(["short_text", "long_text", "list", "date", "scale", "choice", "table"]))
    made: dict[str, Any] = {"id": field_id, "label": draw(title), "type": kind}
    if draw(st.booleans()):
        made["hint"] = draw(prose)
    if kind == "long_text":
        made["lines"] = draw(st.integers(1, 40))
    elif kind == "list":
        made["items"] = draw(st.integers(1, 30))
    elif kind == "scale":
        low = draw(st.integers(0, 9))
        made |= {"min": low, "max": draw(st.integers(low + 1, 10)), "min_label": draw(title), "max_label": draw(title)}
    elif kind == "choice":
        made |= {"options": draw(st.lists(title, min_size=2, max_size=4)), "multiple": draw(st.booleans())}
    elif kind == "table":
        made |= {"columns": draw(st.lists(title, min_size=1, max_size=3)), "rows": draw(st.integers(1, 30))}
    return made


def _worksheet(draw: st.DrawFn, sample: Sample, parts: Parts, worksheet: str, title: Text, prose: Text) -> None:
    path = f"content/worksheets/{worksheet}.yaml"
    field_ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    cut = draw(st.integers(1, len(field_ids)))
    sections = [
        {"title": draw(title), "intro": draw(prose), "fields": [_field(draw, f, title, prose) for f in group]}
        for group in (field_ids[:cut], field_ids[cut:])
        if group
    ]
    data = {
        "title": draw(title),
        "summary": draw(prose),
        "owner": _owner(draw, parts),
        "instructions": _prose_link(draw, parts, path, prose),
        "sections": sections,
    }
    sample.files[path] = dump(data)
    page = f"worksheets/{worksheet}/index.html"
    sample.show(page, data["title"])
    for section in sections:
        sample.show(page, section["title"])
        for made in section["fields"]:
            sample.show(page, made["label"])


def _checklist(draw: st.DrawFn, sample: Sample, parts: Parts, checklist: str, title: Text, prose: Text) -> None:
    path = f"content/checklists/{checklist}.yaml"
    item_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    items = []
    for item_id in item_ids:
        item: dict[str, Any] = {"text": draw(prose), "owner": _owner(draw, parts)}
        if draw(st.booleans()):
            item["id"] = item_id
        if draw(st.booleans()):
            item["when"] = draw(WHEN)
        if draw(st.booleans()):
            item["details"] = _prose_link(draw, parts, path, prose)
        items.append(item)
    data = {"title": draw(title), "summary": draw(prose), "description": draw(prose), "items": items}
    sample.files[path] = dump(data)
    sample.show(f"checklists/{checklist}/index.html", data["title"])


def _guide(draw: st.DrawFn, sample: Sample, parts: Parts, guide: str, title: Text, prose: Text) -> None:
    path = parts.guide_path(guide)
    meta: dict[str, Any] = {"title": draw(title), "summary": draw(prose)}
    if draw(st.booleans()):
        meta["roles"] = draw(st.lists(st.sampled_from(parts.roles), min_size=1, unique=True))
    if draw(st.booleans()):
        meta["order"] = draw(st.integers(-5, 5))
    image = f"![{draw(prose)}]({link(path, 'content/assets/dot.svg')})" if draw(st.booleans()) else ""
    body = [
        f"## {parts.guides[guide].replace('-', ' ')}",  # first, so its slug is not taken by another heading
        _prose_link(draw, parts, path, prose),
        f"### {draw(prose)}",
        f"{draw(prose)} {image}",
        _prose_link(draw, parts, path, prose),
        f"- [ ] {draw(prose)}\n- [ ] {draw(prose)}",
        f"::: tip {draw(prose)}\n{draw(prose)}\n:::",
    ]
    sample.files[path] = f"---\n{dump(meta)}---\n\n" + "\n\n".join(body) + "\n"
    sample.show(f"guides/{guide}/index.html", meta["title"])


def _month(draw: st.DrawFn, parts: Parts, path: str, number: int, title: Text, prose: Text) -> dict[str, Any]:
    def per_role() -> dict[str, list[str]]:
        roles = draw(st.lists(st.sampled_from(parts.roles), unique=True))
        return {r: [_prose_link(draw, parts, path, prose) for _ in range(draw(st.integers(1, 2)))] for r in roles}

    agenda = []
    for _ in range(draw(st.integers(1, 3))):
        item: dict[str, Any] = {"topic": draw(title), "owner": _owner(draw, parts)}
        if draw(st.booleans()):
            item["minutes"] = draw(st.integers(1, 480))
        if draw(st.booleans()):
            item["details"] = draw(prose)
        agenda.append(item)
    return {
        "number": number,
        "title": draw(title),
        "goal": draw(prose),
        "prepare": per_role(),
        "agenda": agenda,
        "follow_up": per_role(),
        "outcomes": draw(st.lists(prose, max_size=2)),
        "worksheets": draw(st.lists(st.sampled_from(parts.worksheets), unique=True)) if parts.worksheets else [],
        "checklists": draw(st.lists(st.sampled_from(parts.checklists), unique=True)) if parts.checklists else [],
        "guides": draw(st.lists(st.sampled_from(list(parts.guides)), unique=True)),
        "notes": _prose_link(draw, parts, path, prose),
    }


def _program(draw: st.DrawFn, sample: Sample, parts: Parts, program: str, title: Text, prose: Text) -> None:
    path = f"content/programs/{program}.yaml"
    numbers = parts.programs[program]
    data: dict[str, Any] = {
        "title": draw(title),
        "summary": draw(prose),
        "description": _prose_link(draw, parts, path, prose),
        "cadence": draw(st.sampled_from(["weekly", "fortnightly", "monthly"])),
        "meeting_minutes": draw(st.integers(5, 480)),
        "commitments": {r: [draw(prose)] for r in draw(st.lists(st.sampled_from(parts.roles), unique=True))},
        "months": [_month(draw, parts, path, n, title, prose) for n in numbers],
    }
    if draw(st.booleans()):
        data["phases"] = [{"id": "all", "title": draw(title), "months": numbers}]
    sample.files[path] = dump(data)
    sample.show(f"programs/{program}/index.html", data["title"])
    for month in data["months"]:
        sample.show(f"programs/{program}/month-{month['number']:02d}/index.html", month["title"])


def build_sample(sample: Sample, parent: Path) -> Path:
    """Write the sample as `parent/project`, build it into `parent/site` and return the site folder."""
    project = parent / "project"
    write_files(project, sample.files)
    return build(project, parent / "site", cache=False).out_dir


# --- Reading the built site ---------------------------------------------------------


class Page(HTMLParser):
    """What a browser gets from one page: links and resources, element ids, text, inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.texts: list[str] = []
        self.scripts: list[tuple[dict[str, str], str]] = []  # (attributes, content)
        self.handlers: list[str] = []  # on...= attributes
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        if "id" in named:
            self.ids.add(named["id"])
        self.urls += [named[name] for name in ("href", "src") if name in named]
        self.handlers += [f"<{tag} {name}={value!r}>" for name, value in named.items() if name.startswith("on")]
        if tag == "script":
            self._script, self._script_text = named, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        (self._script_text if self._script is not None else self.texts).append(data)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def broken_links(site: Path) -> list[str]:
    """Every link or resource of every page that does not open, as `page -> url: why`."""
    pages = {p.relative_to(site).as_posix(): read_page(p) for p in sorted(site.rglob("*.html"))}
    problems = []
    for name, page in pages.items():
        for url in page.urls:
            why = _why_broken(site, name, url, pages)
            if why:
                problems.append(f"{name} -> {url}: {why}")
    return problems


def _why_broken(site: Path, name: str, url: str, pages: dict[str, Page]) -> str:
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//") or url in ("", "#"):
        return ""  # another site, mailto: and the like; or a link that goes nowhere on purpose
    if url.startswith("/"):
        return "starts at the root of the disk, which a site opened from file:// cannot follow"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path))) if parts.path else name
    if target == ".." or target.startswith("../"):
        return "leaves the site"
    if (site / target).is_dir():
        target = posixpath.join(target, "index.html")
    if not (site / target).is_file():
        return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no element with id '{fragment}' in {target}"
    return ""


JS_TYPES = ("", "text/javascript", "module", "application/javascript")
RUNNABLE_URL = re.compile(r"^(?:javascript|vbscript|data:text/html)", re.IGNORECASE)


def injections(html: str) -> list[str]:
    """Script that hostile content would get to run in a reader's browser."""
    page = Page()
    page.feed(html)
    page.close()
    found = [f"<script>alert at {html.lower().index('<script>alert')}"] if "<script>alert" in html.lower() else []
    found += [f"attribute {h}" for h in page.handlers]
    found += [f"link to {url!r}" for url in page.urls if RUNNABLE_URL.match(re.sub(r"[\x00-\x20]", "", url))]
    found += [
        f"inline script {text[:80]!r}"
        for attrs, text in page.scripts
        if "src" not in attrs and attrs.get("type", "").lower() in JS_TYPES and "alert(" in text
    ]
    return found


# --- Valid projects -----------------------------------------------------------------


@settings(BOUNDED, max_examples=20)
@given(projects())
def test_random_valid_content_builds_and_shows_its_text_as_written(sample: Sample) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample(sample, Path(tmp))
        for name, texts in sample.shown.items():
            shown = read_page(site / name).texts
            missing = [text for text in texts if not any(text in chunk for chunk in shown)]
            assert not missing, f"{name} does not show {missing} as text"


@settings(BOUNDED, max_examples=8)
@given(projects())
def test_build_is_byte_for_byte_the_same_from_another_folder_and_process(sample: Sample) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        parent = Path(tmp)
        first = snapshot(build_sample(sample, parent))
        copy = parent / "elsewhere" / "copy"
        shutil.copytree(parent / "project", copy)
        # Another process with another hash seed: the order of sets and dicts of strings changes.
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "generator", "build", str(copy), "-o", str(parent / "again"), "--no-cache"]
        done = subprocess.run(command, check=False, cwd=parent, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        second = snapshot(parent / "again")
        differ = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
        assert not differ, f"these files differ between two builds: {differ}"


@settings(BOUNDED, max_examples=20)
@given(projects())
def test_every_internal_link_resolves(sample: Sample) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample(sample, Path(tmp))
        assert broken_links(site) == []


@settings(BOUNDED, max_examples=15)
@given(projects(title=HOSTILE_TEXT, prose=HOSTILE_PROSE))
def test_hostile_text_never_becomes_script(sample: Sample) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample(sample, Path(tmp))
        found = {
            p.relative_to(site).as_posix(): injections(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")
        }
        assert {name: found for name, found in found.items() if found} == {}


@settings(BOUNDED, max_examples=10)
@given(projects(title=HOSTILE_TEXT, prose=UNSAFE_PROSE))
def test_unsafe_links_in_markdown_are_errors_and_nothing_is_written(sample: Sample) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with pytest.raises(PlaybookError) as failed:
            build_sample(sample, Path(tmp))
        assert [d.message for d in failed.value.errors if not REFUSED.fullmatch(d.message)] == []
        assert not (Path(tmp) / "site").exists()


@pytest.mark.parametrize("payload", UNSAFE_LINKS)
def test_an_unsafe_link_is_reported_and_becomes_text(payload: str) -> None:
    md = create_markdown(allow_html=False)
    rendered = render_markdown(
        md, f"See {payload} here.\n", lambda href, image: resolve(href, "a.md", image, NO_TARGETS)
    )
    assert [p.message for p in rendered.problems if REFUSED.fullmatch(p.message)] != []
    assert injections(rendered.html) == []
    assert "<a " not in rendered.html and "<img " not in rendered.html


# --- Damaged files -----------------------------------------------------------------

MINIMAL_FILES = {p.relative_to(MINIMAL).as_posix(): p.read_bytes() for p in sorted(MINIMAL.rglob("*")) if p.is_file()}
MUTABLE = sorted(name for name in MINIMAL_FILES if name.endswith((".yaml", ".md")))


def _lines(text: bytes) -> list[bytes]:
    return text.split(b"\n")


def _line_edit(text: bytes, at: int, edit: Callable[[bytes], bytes | None]) -> bytes:
    lines = _lines(text)
    index = at % len(lines)
    new = edit(lines[index])
    return b"\n".join([*lines[:index], *([] if new is None else [new]), *lines[index + 1 :]])


def _swap_lines(text: bytes, at: int) -> bytes:
    lines = _lines(text)
    i = at % len(lines)
    j = (i + 1) % len(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _value(line: bytes, value: bytes) -> bytes:
    key, colon, _ = line.partition(b": ")
    if colon:
        return key + b": " + value
    return line + (b" " if line.endswith(b":") else b"") + value


def _key(line: bytes, key: bytes) -> bytes:
    indent = line[: len(line) - len(line.lstrip(b" -"))]
    _, colon, value = line.partition(b":")
    return indent + key + b":" + value if colon else indent + key + b": " + line.lstrip(b" -")


@dataclass(frozen=True)
class Mutation:
    """One change to a file's bytes; positions and line numbers wrap around the file's length."""

    kind: str
    at: int = 0
    data: bytes = b""
    repeat: int = 1

    def apply(self, text: bytes) -> bytes:
        at, data = self.at % (len(text) + 1), self.data * self.repeat
        edits: dict[str, Callable[[], bytes]] = {
            "flip": lambda: (
                text[:at] + bytes([text[at] ^ (1 << self.repeat % 8)]) + text[at + 1 :] if text[at:] else text
            ),
            "insert": lambda: text[:at] + data + text[at:],
            "delete": lambda: text[:at] + text[at + self.repeat :],
            "truncate": lambda: text[:at],
            "duplicate line": lambda: _line_edit(text, self.at, lambda line: line + b"\n" + line),
            "delete line": lambda: _line_edit(text, self.at, lambda line: None),
            "swap lines": lambda: _swap_lines(text, self.at),
            "indent": lambda: _line_edit(text, self.at, lambda line: data + line),
            "dedent": lambda: _line_edit(text, self.at, lambda line: line.lstrip(b" \t")),
            "replace value": lambda: _line_edit(text, self.at, lambda line: _value(line, data)),
            "replace key": lambda: _line_edit(text, self.at, lambda line: _key(line, self.data)),
            "nest": lambda: _line_edit(
                text, self.at, lambda line: _value(line, data + CLOSING[self.data] * self.repeat)
            ),
            "bom": lambda: b"\xef\xbb\xbf" + text,
            "line ends": lambda: text.replace(b"\n", self.data),
        }
        return edits[self.kind]()

    def __repr__(self) -> str:
        shown = self.data if len(self.data) < 60 else self.data[:60] + b"..."
        return f"Mutation({self.kind!r}, at={self.at}, data={shown!r}, repeat={self.repeat})"


SPECIAL = [c.encode() for c in ":-[]{}&*!|>'\"%@`#,?~"] + [
    b": ",
    b"- ",
    b"\t",
    b"\n",
    b"\r",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    "\u0085".encode(),
    "\u2028".encode(),
    "é".encode(),
    b"---\n",
    b"...\n",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"? ",
    b"{{ x }}",
    b"{% x %}",
    b"[x](../nowhere.md)",
    b"[x](javascript:alert(1))",
    b"<script>",
]
VALUES = [
    b"",
    b"~",
    b"[]",
    b"{}",
    b"[a, b]",
    b"{a: 1}",
    b"0",
    b"-1",
    b"1.5",
    b".nan",
    b"1e999",
    b"0x1F",
    b"true",
    b"2027-01-14",
    b"2027-02-30",
    b"!!binary aGk=",
    b"!!python/object/apply:os.system ['echo hi']",
    b"!!set {a}",
    b"!x y",
    b'"\\ud800"',
    b'"\\0"',
    b'"\\x85"',
    b"&a [*a]",
    b"*nowhere",
    b"&a x",
    b"|\n  block",
    b">-",
    b"'unclosed",
    b'"unclosed',
    b"@x",
    b"`x",
    b"%x",
    b"x: y: z",
    b"- x",
    b"#",
    b"mentor",
    b"[mentor, nobody]",
    b"../../outside",
]
KEYS = [b"", b"title", b"id", b"roles", b"months", b"type", b"theme", b"<<", b"? a", b"- x", b"1", b"null", b"~"]
POSITIONS = st.integers(0, 1 << 16)
CLOSING = {b"[": b"]", b"{a: ": b"}"}  # how to close each kind of nesting
NESTING = st.one_of(st.integers(1, 50), st.integers(900, 1_100))  # shallow, or about libyaml's limit of 1,000
MUTATIONS = st.one_of(
    st.builds(Mutation, st.just("flip"), POSITIONS, repeat=st.integers(0, 7)),
    st.builds(Mutation, st.just("insert"), POSITIONS, st.one_of(st.sampled_from(SPECIAL), st.binary(max_size=8))),
    st.builds(
        Mutation,
        st.just("insert"),
        POSITIONS,
        st.sampled_from([b"x", b"a: ", b"- ", b"\xc3\xa9", b"[", b" "]),
        st.integers(1_000, 200_000),
    ),
    st.builds(Mutation, st.just("delete"), POSITIONS, repeat=st.integers(1, 16)),
    st.builds(Mutation, st.just("truncate"), POSITIONS),
    st.builds(Mutation, st.sampled_from(["duplicate line", "delete line", "swap lines", "dedent"]), POSITIONS),
    st.builds(Mutation, st.just("indent"), POSITIONS, st.sampled_from([b" ", b"  ", b"\t", b"    "])),
    st.builds(Mutation, st.just("replace value"), POSITIONS, st.sampled_from(VALUES)),
    st.builds(Mutation, st.just("replace key"), POSITIONS, st.sampled_from(KEYS)),
    st.builds(Mutation, st.just("nest"), POSITIONS, st.sampled_from(sorted(CLOSING)), NESTING),
    st.builds(Mutation, st.just("bom")),
    st.builds(Mutation, st.just("line ends"), data=st.sampled_from([b"\r\n", b"\r"])),
)
DIAGNOSTIC = re.compile(r"^(?P<path>[^:]+):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?:error|warning): .+$")
DEFAULT_RECURSION_LIMIT = 1000  # sys.getrecursionlimit() of a fresh Python
SUMMARY = re.compile(r"^[0-9]+ errors?, [0-9]+ warnings?$")


@contextmanager
def command_line_stack() -> Iterator[None]:
    """As much stack as `python -m generator` has under Python's default recursion limit.

    Hypothesis raises the limit while a test runs, which would hide a recursion a user's run dies of.
    """
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    raised = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + DEFAULT_RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(raised)


def command_line(playbook: Callable[..., Run], *args: str | Path) -> tuple[Run, str]:
    """Run `playbook` as from a shell; the end of the traceback, if it raised, is a failure of its own.

    Failing outside the `except` keeps one failure site, however deep the traceback was.
    """
    try:
        with command_line_stack():
            return playbook(*args), ""
    except Exception as exc:  # noqa: BLE001 - the CLI lets anything but PlaybookError and OSError through
        return Run(-1, "", ""), "".join(traceback.format_exception(exc, limit=-2))


def tree(folder: Path, leave_out: Path) -> dict[str, str]:
    """Every file and folder under `folder` but `leave_out`, with a digest of each file's bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path == leave_out or leave_out in path.parents:
            continue
        name = path.relative_to(folder).as_posix()
        found[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
    return found


def lines_in(data: bytes) -> int:
    """How many lines an editor could count in the file, whatever it takes as a line end."""
    return len(data.decode("utf-8", "replace").splitlines()) + 1


def problems_with(run: Run, project: Path, out: Path) -> Iterable[str]:
    """What is wrong with how the command ended, as a user running it would see."""
    if "Traceback" in run.err:
        yield "a traceback"
    if run.code not in (0, 1):
        yield f"exit status {run.code}"
    lines = [line for line in run.err.splitlines() if line.strip()]
    for line in lines:
        found = DIAGNOSTIC.match(line)
        if not found and not SUMMARY.match(line):
            yield f"a line that is not a diagnostic: {line!r}"
        elif found and not (project / found["path"]).is_file():
            yield f"a diagnostic about a file that does not exist: {line!r}"
        elif found and int(found["line"]) > lines_in((project / found["path"]).read_bytes()):
            yield f"a diagnostic past the end of its file: {line!r}"
    if run.code == 1 and not any(": error: " in line for line in lines):
        yield "exit status 1 without an error"
    if run.code == 1 and out.exists():
        yield "a failed build left an output folder"
    if run.code == 0 and not (out / "index.html").is_file():
        yield "a build that succeeded made no home page"


@settings(
    BOUNDED,
    max_examples=60,
    suppress_health_check=[*BOUNDED.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(name=st.sampled_from(MUTABLE), mutations=st.lists(MUTATIONS, min_size=1, max_size=3))
def test_damaged_file_gives_diagnostics_and_writes_only_the_output(
    playbook: Callable[..., Run], name: str, mutations: list[Mutation]
) -> None:
    # `playbook` is function-scoped but keeps nothing between examples: each run reads out its own output.
    data = functools.reduce(lambda text, mutation: mutation.apply(text), mutations, MINIMAL_FILES[name])
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        parent = Path(tmp)
        patch.setenv("XDG_CACHE_HOME", str(parent / "user-cache"))  # in view, so a write there is seen
        patch.chdir(parent)
        project, out = parent / "project", parent / "site"
        write_files(project, {**MINIMAL_FILES, name: data})
        before = tree(parent, out)
        run, crash = command_line(playbook, "build", project, "-o", out, "--no-cache")
        assert not crash, f"a traceback ending in:\n{crash}"
        assert list(problems_with(run, project, out)) == [], run.err
        assert tree(parent, out) == before
