"""The dependency map: a digest of everything each output is made from.

A rebuild renders a page again only when its digest changed: the files it shows,
the template its kind renders it with (and those it extends, includes or imports),
and what links in content can point at. A file made from other files of the site
(a booklet's PDF) has the digest of theirs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jinja2 import Environment, TemplateNotFound, meta

from .kinds import KINDS, files_used
from .pages import Kind
from .search import SEARCH_VERSION, Slot
from .site import Site
from .values import Input


@dataclass(frozen=True)
class Fingerprints:
    """Digests of what each file of the site, and each search slot, is made from."""

    pages: Mapping[str, str]  # page URL -> digest
    files: Mapping[str, str]  # a static file's or an asset's URL -> digest of its bytes
    slots: Mapping[Slot, str]  # search slot -> digest of its file


def template_digests(env: Environment) -> dict[str, str]:
    """For each template: a digest of its text and of every template it uses, however indirectly (a template
    that is not listed, such as `default/base.html` which a theme's `base.html` extends, included)."""
    texts: dict[str, str] = {}
    uses: dict[str, set[str]] = {}
    listed = env.list_templates(extensions=["html", "xml", "txt", "svg"])
    todo = list(listed)
    while todo:
        name = todo.pop()
        if name in texts:
            continue
        text = _source(env, name)
        texts[name] = text
        uses[name] = {n for n in meta.find_referenced_templates(env.parse(text)) if n} if text else set()
        todo.extend(uses[name])
    return {name: _digest(texts.get(used, "") for used in sorted(_closure(name, uses))) for name in listed}


def _source(env: Environment, name: str) -> str:
    if env.loader is None:  # an environment without templates
        return ""
    try:
        source, _, _ = env.loader.get_source(env, name)
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


def fingerprints(site: Site, templates: Mapping[str, str], static: Mapping[str, bytes]) -> Fingerprints:
    """The digest of every file of the site (`static`: the theme's static files), and of every search slot."""
    context = _digest([site.link_context, str(site.pdf), site.words.language, site.words.digest, site.languages.digest])
    by_set: dict[frozenset[Input], str] = {}  # one digest for each set of sources, however many pages share it
    by_object: dict[int, str] = {}  # the same, by the set object's id (the pages hold the objects meanwhile)
    read = site.playbook.sources
    # A result also says what it is ("Worksheet", "Month 3: ...") in the playbook's language.
    spoken = f"{site.words.language}:{site.words.digest}"
    slots: dict[Slot, str] = {("playbook", "playbook"): f"{read.settings.digest}:{spoken}"}
    slots.update(
        ((kind, item_id), f"{source.digest}:{spoken}")
        for kind, files in read.files.items()
        for item_id, source in files.items()
    )
    search = _digest([SEARCH_VERSION, read.settings.digest, *(f"{k}:{i}={d}" for (k, i), d in sorted(slots.items()))])
    pages = {}
    for page in site.pages:
        if page.kind is Kind.SEARCH_INDEX:  # made from each file's text, slot by slot
            pages[page.url] = search
            continue
        # By the set object first: two equal sets that are not one object (the guides' list and every
        # guide show the same files) would be compared element by element on every look-up.
        sources = by_object.get(id(page.sources))
        if sources is None:
            sources = by_set.get(page.sources)
            if sources is None:
                sources = by_set[page.sources] = _digest(_sources(page.sources))
            by_object[id(page.sources)] = sources
        kind = KINDS[page.kind]
        own = "".join(page.own) + (_digest([kind.shows(site)]) if kind.shows else "")
        # Joined, not hashed again: a fingerprint only needs to compare equal, and pages are many.
        pages[page.url] = f"{templates.get(kind.template, '')}{context}{sources}{own}"
    files = {url: _bytes_digest(data) for url, data in static.items()}
    files.update({asset.url: asset.digest for asset in site.assets})
    for page in site.pages:
        made_from = KINDS[page.kind].made_from
        if made_from is not None:
            known = ":".join(str(pages.get(url, files.get(url))) for url in files_used(page, site, static))
            pages[page.url] = _bytes_digest(known.encode())
    return Fingerprints(pages, files, slots)


def _sources(parts: Iterable[Input]) -> list[str]:
    return sorted(parts)


def _bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _digest(parts: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()
