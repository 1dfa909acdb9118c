"""The dependency map: a digest of everything each output is made from.

A rebuild renders a page again only when its digest changed: the files it shows,
the templates it is made with (and those they extend, include or import), and
what links in content can point at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jinja2 import Environment, TemplateNotFound, meta

from .loader import Project
from .search import Slot
from .site import Site


@dataclass(frozen=True)
class Fingerprints:
    """Digests of what each page, and each search slot, is made from."""

    pages: Mapping[str, str]  # page URL -> digest
    slots: Mapping[Slot, str]  # search slot -> digest of its file


def template_digests(env: Environment) -> dict[str, str]:
    """For each template: a digest of its text and of every template it uses, however indirectly."""
    texts: dict[str, str] = {}
    uses: dict[str, set[str]] = {}
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        text = _source(env, name)
        texts[name] = text
        uses[name] = {n for n in meta.find_referenced_templates(env.parse(text)) if n} if text else set()
    return {name: _digest(texts.get(used, "") for used in sorted(_closure(name, uses))) for name in texts}


def _source(env: Environment, name: str) -> str:
    try:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except TemplateNotFound:
        return ""
    return source


def _closure(name: str, uses: Mapping[str, set[str]]) -> set[str]:
    seen, todo = {name}, [name]
    while todo:
        for used in uses.get(todo.pop(), ()):
            if used not in seen:
                seen.add(used)
                todo.append(used)
    return seen


def fingerprints(site: Site, project: Project, templates: Mapping[str, str]) -> Fingerprints:
    """The digest of every page of the site, and of every search slot."""
    shared = f"{site.link_context}\0{site.pdf}"
    pages = {
        page.url: _digest(
            [page.url, page.kind, templates.get(page.template, ""), shared, *_sources(page.sources, project)]
        )
        for page in site.pages
    }
    slots: dict[Slot, str] = {(source.kind, source.id): project.digest(source.path) for source in project.files}
    return Fingerprints(pages, slots)


def _sources(paths: Iterable[str], project: Project) -> list[str]:
    return [f"{path}={project.digest(path)}" for path in sorted(paths)]


def _digest(parts: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()
