"""The dependency map: a digest of everything each output is made from.

A rebuild renders a page again only when its digest changed: the files it shows,
the templates it is made with (and those they extend, include or import), and
what links in content can point at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jinja2 import Environment, TemplateNotFound, meta

from .search import SEARCH_VERSION, Slot
from .site import Site
from .values import Input


@dataclass(frozen=True)
class Fingerprints:
    """Digests of what each page, and each search slot, is made from."""

    pages: Mapping[str, str]  # page URL -> digest
    slots: Mapping[Slot, str]  # search slot -> digest of its file
    search: str = ""  # digest of everything the search index is made from
    assets: Mapping[str, str] = field(default_factory=dict)  # asset URL -> digest of its bytes


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


def fingerprints(site: Site, templates: Mapping[str, str]) -> Fingerprints:
    """The digest of every page of the site, and of every search slot."""
    context = _digest([site.link_context, str(site.pdf)])
    by_set: dict[frozenset[Input], str] = {}  # one digest for each set of sources, however many pages share it
    pages = {}
    for page in site.pages:
        sources = by_set.get(page.sources)
        if sources is None:
            sources = by_set[page.sources] = _digest(_sources(page.sources))
        own = "".join(part.digest for part in page.own)
        # Joined, not hashed again: a fingerprint only needs to compare equal, and pages are many.
        pages[page.url] = f"{templates.get(page.template, '')}{context}{sources}{own}"
    read = site.playbook.sources
    slots: dict[Slot, str] = {("playbook", "playbook"): read.settings.digest}
    slots.update(
        ((kind, item_id), source.digest) for kind, files in read.files.items() for item_id, source in files.items()
    )
    search = _digest([SEARCH_VERSION, read.settings.digest, *(f"{k}:{i}={d}" for (k, i), d in sorted(slots.items()))])
    assets = {asset.url: asset.digest for asset in site.assets}
    return Fingerprints(pages, slots, search, assets)


def _sources(parts: Iterable[Input]) -> list[str]:
    return [f"{name}={digest}" for name, digest in sorted(parts)]


def _digest(parts: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()
