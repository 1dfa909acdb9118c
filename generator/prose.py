"""The playbook's Markdown as HTML: guide bodies and the Markdown fields of YAML files, their links checked."""

from __future__ import annotations

import functools
import posixpath
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Union, get_args, get_origin

from markdown_it import MarkdownIt
from pydantic import BaseModel

from .errors import Diagnostic, Suggestions
from .links import Targets, month_url, page_url, resolve, site_links
from .markdown import Image, Link, RenderedMarkdown, render_markdown
from .models import Checklist, Playbook, Program, Worksheet
from .parallel import map_across_cores
from .values import Prose, Source

Loc = tuple[str | int, ...]
MarkdownText = tuple[str, str, bool]  # (Markdown, the path of the file it is written in, whether it is one line)
ProseField = tuple[Loc, str, bool]  # (where in its model, Markdown, whether it is one line)
ProseKey = tuple[str, bool, str]  # (folder of the file it is written in, whether it is one line, Markdown)
# Where a Markdown field is: the id() of the model in the playbook that holds it, the field's name, then
# the place in the field (an index or a key). The site holds the playbook, so these ids stay true while it lives.
ProsePlace = tuple[Any, ...]
RenderTexts = Callable[[MarkdownIt, Targets, Sequence[MarkdownText]], list[RenderedMarkdown]]


@dataclass(frozen=True)
class RenderedContent:
    """The playbook's Markdown as HTML, and the problems of its links."""

    guides: dict[str, RenderedMarkdown]  # by guide id
    prose: dict[ProsePlace, str]  # the HTML of each Markdown field of a YAML file by where it is, site links unresolved
    problems: list[Diagnostic]
    changelog: RenderedMarkdown | None = None  # content/CHANGELOG.md, when there is one
    images: tuple[Image, ...] = ()  # every image the Markdown shows (a text said twice in one folder, once)


def render_texts(md: MarkdownIt, targets: Targets, texts: Sequence[MarkdownText]) -> list[RenderedMarkdown]:
    """Markdown texts as HTML, in order, across the computer's cores when there are many."""
    return map_across_cores(_render_text, texts, (md, targets))


def _render_text(shared: tuple[MarkdownIt, Targets], text: MarkdownText) -> RenderedMarkdown:
    md, targets = shared
    markdown, path, inline = text
    return render_markdown(md, markdown, partial(_resolve_from, path, targets), inline=inline)


def _resolve_from(source: str, targets: Targets, href: str, is_image: bool) -> Link:
    return resolve(href, source, is_image, targets)


def link_targets(playbook: Playbook) -> Targets:
    """What links in content can point at: every file found (a link to a file with errors is not broken)."""
    files = playbook.sources.files
    # A translation's links may name the original file or the translation: both lead to its page in the same tree.
    pages = {
        path: page_url(kind, item_id)
        for kind in ("program", "worksheet", "checklist", "guide")
        for item_id, source in files[kind].items()
        for path in _paths(source)
    }
    months = {
        path: {m.number: month_url(p.id, m.number) for m in p.months}
        for p in playbook.programs.values()
        for path in _paths(files["program"][p.id])
    }
    assets = {a.path: a.url for a in playbook.sources.assets}
    # The changelog's page, when there is one: so its presence is part of the digest every page is made from,
    # as every page's footer links to it.
    pages.update(
        {path: page_url("changes") for source in files.get("changelog", {}).values() for path in _paths(source)}
    )
    guides = {path: guide_id for guide_id, source in files["guide"].items() for path in _paths(source)}
    return Targets(pages, months, assets, guides)


def _paths(source: Source) -> tuple[str, ...]:
    """The paths a link may name a file by: its own, and its original's when it is a translation."""
    return (source.path, source.original) if source.original else (source.path,)


@dataclass(frozen=True)
class _Place:
    """Where a Markdown field was first met: its file, and where in the file's model."""

    source: Source
    loc: Loc


def render_content(
    playbook: Playbook,
    md: MarkdownIt,
    targets: Targets,
    render: RenderTexts = render_texts,
) -> RenderedContent:
    """Render every guide and every Markdown field once, and check every link in them.

    `render` renders Markdown: a reuse layer may hand back an earlier build's results instead.
    """
    sources = playbook.sources
    guides = list(playbook.guides.values())
    places, shown = _markdown_fields(playbook)
    changelog = playbook.changelog
    texts = [
        *((guide.body, sources.of("guide", guide.id).path, False) for guide in guides),
        *((text, place.source.path, inline) for (_, inline, text), place in places.items()),
        *(((changelog.body, sources.of("changelog", "changelog").path, False),) if changelog else ()),
    ]
    rendered = render(md, targets, texts)
    guide_html = dict(zip((guide.id for guide in guides), rendered))
    prose = dict(zip(places, rendered[len(guides) : len(guides) + len(places)]))
    bodies = [*((g.body_line, sources.of("guide", g.id).path, guide_html[g.id]) for g in guides)]
    if changelog:
        bodies.append((changelog.body_line, sources.of("changelog", "changelog").path, rendered[-1]))
    problems: list[Diagnostic] = []
    for first_line, path, markdown in bodies:
        for p in markdown.problems:
            problems.append(Diagnostic(path, first_line + p.line, p.col, p.message, p.hint, p.severity))
    for key, place in places.items():
        for p in prose[key].problems:
            line, col = _position(place, p.line, p.href)
            problems.append(Diagnostic(place.source.path, line, col, p.message, p.hint, p.severity))
    problems.extend(_check_anchors(bodies, prose, places, guide_html, targets))
    html = {place: prose[key].html for place, key in shown}
    images = tuple(image for markdown in rendered for image in markdown.images)
    return RenderedContent(guide_html, html, problems, rendered[-1] if changelog else None, images)


def guides_linked(playbook: Playbook, content: RenderedContent) -> set[str]:
    """The guides (by id) that Markdown links to from another file: a guide's link to itself sends nobody there."""
    guide_at = {page_url("guide", guide_id): guide_id for guide_id in playbook.guides}
    found: set[str] = set()
    for guide_id, rendered in content.guides.items():
        found.update(guide_at[url] for url in _links_in(rendered.html) if guide_at.get(url, guide_id) != guide_id)
    for html in (*content.prose.values(), *((content.changelog.html,) if content.changelog else ())):
        found.update(guide_at[url] for url in _links_in(html) if url in guide_at)
    return found


@functools.lru_cache(maxsize=1 << 15)
def _links_in(html: str) -> frozenset[str]:
    """`site_links`, kept for each text: the dev server asks again after every edit, for texts mostly unchanged
    (the same string objects, whose hash Python keeps, so looking one up does not read it again)."""
    return frozenset(site_links(html))


def _markdown_fields(playbook: Playbook) -> tuple[dict[ProseKey, _Place], list[tuple[ProsePlace, ProseKey]]]:
    """Each Markdown text of the programs, worksheets and checklists, where it is first met; and each field's text."""
    places: dict[ProseKey, _Place] = {}
    shown: list[tuple[ProsePlace, ProseKey]] = []
    items: list[tuple[str, Program | Worksheet | Checklist]] = [
        *(("program", m) for m in playbook.programs.values()),
        *(("worksheet", m) for m in playbook.worksheets.values()),
        *(("checklist", m) for m in playbook.checklists.values()),
    ]
    for kind, model in items:
        source = playbook.sources.of(kind, model.id)
        for loc, text, inline in iter_prose(model):
            # The same text in the same folder renders the same: once, its problems reported where first met.
            key = (posixpath.dirname(source.path), inline, text)
            places.setdefault(key, _Place(source, loc))
            shown.append((_field_place(model, loc), key))
    return places, shown


def _field_place(model: BaseModel, loc: Loc) -> ProsePlace:
    """Where the field at `loc` in `model` is: the innermost model that holds it, then the path from there."""
    holder, start, value = model, 0, model
    for index, step in enumerate(loc):
        if isinstance(value, BaseModel):
            holder, start = value, index
            value = getattr(value, str(step))
        else:
            value = value[step]
    return (id(holder), *loc[start:])


def _position(place: _Place, line: int, needle: str) -> tuple[int, int]:
    """Where `needle`, on line `line` (from 0) of the Markdown field at `place`, is in its file."""
    positions = place.source.positions
    return positions.text_position(place.loc, line, needle) if positions is not None else (1, 1)


def _check_anchors(
    bodies: Sequence[tuple[int, str, RenderedMarkdown]],
    prose: Mapping[ProseKey, RenderedMarkdown],
    places: Mapping[ProseKey, _Place],
    guide_html: Mapping[str, RenderedMarkdown],
    targets: Targets,
) -> Iterator[Diagnostic]:
    """Links to a heading of a guide must name a heading that exists. `bodies`: the guides' and the changelog's
    Markdown, each with its first line and its file."""
    found: list[tuple[RenderedMarkdown, str, int, _Place | None]] = []
    for first_line, path, rendered in bodies:
        found.append((rendered, path, first_line, None))
    for key, rendered in prose.items():
        found.append((rendered, places[key].source.path, 0, places[key]))
    headings: dict[str, tuple[frozenset[str], Suggestions]] = {}  # each guide's once, however many links name it
    for rendered, path, first_line, place in found:
        for check in rendered.anchor_checks:
            target = guide_html.get(targets.guides[check.target])
            if target is None:
                continue  # the guide itself has errors, already reported
            if check.target not in headings:
                ids = [h.id for h in target.headings]
                headings[check.target] = (frozenset(ids), Suggestions(ids))
            ids_there, suggestions = headings[check.target]
            if check.anchor in ids_there:
                continue
            line, col = (
                (first_line + check.line, check.col) if place is None else _position(place, check.line, check.anchor)
            )
            hint = suggestions.did_you_mean(check.anchor) or "link to the guide without #, or to one of its headings"
            yield Diagnostic(
                path, line, col, f"'{check.target.removeprefix('content/')}' has no heading '#{check.anchor}'", hint
            )


def iter_prose(model: BaseModel, at: Loc = ()) -> Iterator[ProseField]:
    """(location, Markdown text, is inline) of every Markdown field of a model, nested ones too."""
    for name, where in _plan(type(model)):
        yield from _prose_in(getattr(model, name), where, (*at, name))


@dataclass(frozen=True)
class _Where:
    """Where Markdown can be in a value of one annotated type, worked out once for each model class."""

    inline: bool | None = None  # a Markdown text, on one line or not; None: a text here is not Markdown
    entries: _Where | None = None  # in each entry of a tuple
    values: _Where | None = None  # in each value of a mapping
    members: tuple[tuple[type | None, _Where | None], ...] | None = None  # a union: the first type the value is


@functools.cache
def _plan(model_class: type[BaseModel]) -> tuple[tuple[str, _Where], ...]:
    """The fields of a model class that can hold Markdown, in order, with where in them it can be."""
    found = ((name, _where(info.annotation, list(info.metadata))) for name, info in model_class.model_fields.items())
    return tuple((name, where) for name, where in found if where is not None)


def _where(annotation: Any, marks: list[Any]) -> _Where | None:
    """Where Markdown can be in a value of `annotation`; None when nowhere."""
    while get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        marks = [*marks, *extra]
    if get_origin(annotation) in (Union, types.UnionType):
        members = tuple((_type_of(member), _where(member, [])) for member in get_args(annotation))
        return _Where(members=members) if any(where for _, where in members) else None
    prose = next((m for m in marks if isinstance(m, Prose)), None)
    if annotation is str:
        return _Where(inline=prose.inline) if prose is not None else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Where() if _plan(annotation) else None
    if get_origin(annotation) is tuple:
        entries = _where(get_args(annotation)[0], [])
        return _Where(entries=entries) if entries else None
    if get_origin(annotation) is dict:
        values = _where(get_args(annotation)[1], [])
        return _Where(values=values) if values else None
    return None


def _type_of(annotation: Any) -> type | None:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation) or annotation
    return origin if isinstance(origin, type) else None


def _prose_in(value: Any, where: _Where, at: Loc) -> Iterator[ProseField]:
    if value is None:
        return
    if where.members is not None:
        member = next((w for kind, w in where.members if kind is not None and isinstance(value, kind)), None)
        if member is not None:
            yield from _prose_in(value, member, at)
    elif isinstance(value, str):
        if where.inline is not None and value:
            yield at, value, where.inline
    elif isinstance(value, BaseModel):
        yield from iter_prose(value, at)
    elif isinstance(value, tuple) and where.entries is not None:
        for index, entry in enumerate(value):
            yield from _prose_in(entry, where.entries, (*at, index))
    elif isinstance(value, dict) and where.values is not None:
        for key, entry in value.items():
            yield from _prose_in(entry, where.values, (*at, key))
