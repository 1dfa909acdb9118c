"""One configured Markdown parser, and a link rule that asks the site where each link goes."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from html import escape
from html.entities import html5
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink as markdown_it_accepts
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify, unique_slug
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .errors import Severity
from .interface import ENGLISH, N_, Words

ADMONITIONS = ("note", "tip", "important", "warning", "caution")
# The words Markdown adds itself: a box's title when it has none of its own, a table's name for screen readers.
LABELS = {
    "note": N_("Note"),
    "tip": N_("Tip"),
    "important": N_("Important"),
    "warning": N_("Warning"),
    "caution": N_("Caution"),
    "table": N_("Table: %(columns)s"),
}
TITLE_PARTS = ("text", "text_special", "code_inline")  # what a heading's id is made from


@dataclass(frozen=True)
class Heading:
    """A heading of a Markdown document, with the id it can be linked by."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Link:
    """Where a link should point, or why it cannot."""

    href: str | None
    message: str = ""
    hint: str = ""
    severity: Severity = "error"
    anchor_in: str = ""  # a file whose headings must include `anchor`, checked once all are known
    anchor: str = ""


@dataclass(frozen=True)
class LinkProblem:
    """A link that could not be resolved, at a line (from 0) and column (from 1) of the text."""

    line: int
    col: int
    href: str  # as written in the text, e.g. with its entities, so it can be found in the file
    message: str
    hint: str
    severity: Severity


@dataclass(frozen=True)
class AnchorCheck:
    """A link to a heading of another file, at a line (from 0) and column (from 1) of the text."""

    line: int
    col: int
    target: str
    anchor: str


@dataclass(frozen=True)
class Image:
    """An image the Markdown shows: whether it comes from another site, and whether it has a text alternative."""

    external: bool
    described: bool


@dataclass(frozen=True)
class RenderedMarkdown:
    """HTML made from Markdown, with what the site needs to know about it."""

    html: str
    headings: tuple[Heading, ...]
    problems: tuple[LinkProblem, ...]
    anchor_checks: tuple[AnchorCheck, ...] = ()
    images: tuple[Image, ...] = ()


Resolver = Callable[[str, bool], Link]  # (href as written, is an image) -> Link


class _EveryLink(MarkdownIt):
    """markdown-it that keeps every link, so the link rule can report an unsafe one where it is.

    markdown-it's own check would turn `javascript:` links into plain text without a word;
    `_rewrite` applies that same check to what it emits, so nothing unsafe gets through.
    """

    def validateLink(self, url: str) -> bool:
        return True


def create_markdown(*, allow_html: bool, words: Words = ENGLISH) -> MarkdownIt:
    """The Markdown parser every page uses: CommonMark plus the playbook's extensions; the words it adds in
    the language of `words`."""
    labels = {name: words.gettext(label) for name, label in LABELS.items()}
    md = _EveryLink("commonmark", {"html": allow_html, "typographer": True, "labels": labels})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(deflist_plugin)
    md.use(tasklists_plugin, enabled=True)
    # Ids come from a heading's words as typed, before quotes and dashes turn typographic,
    # so `#a-heading` links stay what they were before typography was turned on.
    md.core.ruler.before("replacements", "heading_ids", _heading_ids)
    for name in ADMONITIONS:
        md.use(container_plugin, name=name, render=_render_admonition)
    md.core.ruler.push("task_labels", _label_tasks)
    md.add_render_rule("table_open", _open_table_box)
    md.add_render_rule("table_close", _close_table_box)
    md.core.ruler.push("resolve_links", _resolve_links)
    return md


def render_markdown(md: MarkdownIt, text: str, resolve: Resolver, *, inline: bool = False) -> RenderedMarkdown:
    """Render `text`, sending every link and image through `resolve`."""
    env: dict[str, Any] = {"resolve": resolve, "problems": [], "anchors": [], "images": [], "lines": text.split("\n")}
    tokens = md.parseInline(text, env) if inline else md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    if inline and html.startswith("<p>") and html.endswith("</p>\n"):
        html = html[3:-5]
    return RenderedMarkdown(
        html, _headings(tokens), tuple(env["problems"]), tuple(env["anchors"]), tuple(env["images"])
    )


def _headings(tokens: Sequence[Token]) -> tuple[Heading, ...]:
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))
            found.append(Heading(int(token.tag[1]), str(token.attrGet("id") or ""), text))
    return tuple(found)


def _heading_ids(state: StateCore) -> None:
    """Give each heading an id made from its words, unique in the document, as GitHub does."""
    taken: set[str] = set()
    for i, token in enumerate(state.tokens):
        if token.type == "heading_open":
            words = (c.content for c in state.tokens[i + 1].children or () if c.type in TITLE_PARTS)
            token.attrSet("id", unique_slug(slugify("".join(words)), taken))


def _render_admonition(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</div>\n"
    name, _, title = token.info.strip().partition(" ")
    label = title.strip() or options.get("labels", {}).get(name) or name.capitalize()
    return f'<div class="admonition {escape(name)}" role="note">\n<p class="admonition-title">{escape(label)}</p>\n'


def _open_table_box(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A table scrolls sideways in its own box on a narrow screen; the box can be reached by keyboard to scroll it."""
    named = options.get("labels", {}).get("table", LABELS["table"])
    label = escape(named % {"columns": ", ".join(_column_names(tokens, idx))})
    box = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">\n'
    return box + str(self.renderToken(tokens, idx, options, env))


def _close_table_box(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return str(self.renderToken(tokens, idx, options, env)) + "</div>\n"


def _column_names(tokens: Sequence[Token], table_open: int) -> list[str]:
    """The text of a table's header cells, which names the table's box for screen readers."""
    names = []
    for token in tokens[table_open:]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            names.append("".join(c.content for c in token.children or () if c.type in ("text", "code_inline")))
    return names


def _label_tasks(state: StateCore) -> None:
    """Wrap each task-list checkbox and its text in a label, so it has an accessible name."""
    for token in state.tokens:
        children = token.children or []
        if token.type != "inline" or not children or children[0].type != "html_inline":
            continue
        if 'class="task-list-item-checkbox"' not in children[0].content:
            continue
        opening = Token("html_inline", "", 0, content="<label>")
        closing = Token("html_inline", "", 0, content="</label>")
        token.children = [opening, *children, closing]


def _resolve_links(state: StateCore) -> None:
    env = state.env
    resolve: Resolver = env["resolve"]
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        # Where to look for the next link: links come in the order they are written.
        lines = range(token.map[0], token.map[1]) if token.map else range(1)
        cursor = [lines.start, 0]
        kept: list[Token] = []
        opened: list[bool] = []  # for each link open here: is it kept?
        for child in token.children:
            if child.type == "link_open":
                opened.append(_rewrite(child, "href", False, resolve, (cursor, lines), env))
                if not opened[-1]:
                    continue
            elif child.type == "link_close" and opened and not opened.pop():
                continue
            elif child.type == "image":
                written = unquote(str(child.attrGet("src") or ""))
                if _rewrite(child, "src", True, resolve, (cursor, lines), env):
                    _note_image(child, written, (cursor, lines), env)
                else:
                    child = Token("text", "", 0, content=child.content)
            kept.append(child)
        token.children = kept


def _note_image(token: Token, src: str, where: tuple[list[int], range], env: MutableMapping[str, Any]) -> None:
    """Count an image the page shows, and warn about one that a screen reader cannot describe."""
    described = bool(token.content.strip())
    shown = str(token.attrGet("src") or "").lower()
    env["images"].append(Image(shown.startswith(("http:", "https:")), described))
    if not described:
        line, col, written = _place(env["lines"], where, src)
        message = "an image with no text alternative: a screen reader can only say that an image is there"
        hint = f"say what it shows between the brackets: ![what it shows]({written})"
        env["problems"].append(LinkProblem(line, col, written, message, hint, "warning"))


def _rewrite(
    token: Token,
    attr: str,
    is_image: bool,
    resolve: Resolver,
    where: tuple[list[int], range],
    env: MutableMapping[str, Any],
) -> bool:
    """Point the link where `resolve` says; False when it goes nowhere safe and must become plain text."""
    href = str(token.attrGet(attr) or "")
    if href.startswith("#fn"):  # footnote references made by the footnote plugin
        return True
    link = resolve(unquote(href), is_image)
    if link.message or link.anchor:
        line, col, written = _place(env["lines"], where, unquote(href))
        if link.message:
            env["problems"].append(LinkProblem(line, col, written, link.message, link.hint, link.severity))
        if link.anchor:
            env["anchors"].append(AnchorCheck(line, col, link.anchor_in, link.anchor))
    if link.href is None:
        return False
    token.attrSet(attr, link.href)
    # markdown-it's own safety check, on what would be written, whatever the resolver says.
    return markdown_it_accepts(link.href)


def _place(text_lines: list[str], where: tuple[list[int], range], href: str) -> tuple[int, int, str]:
    """The line (from 0), column (from 1) and text where `href` is written, from `where`'s cursor on."""
    cursor, lines = where
    pattern = _as_written(href)
    for after in (cursor, [lines.start, 0]):  # an image inside a link comes after it, but is written before
        for line in range(after[0], max(lines.stop, after[0] + 1)):
            text = text_lines[line] if line < len(text_lines) else ""
            found = pattern.search(text, after[1] if line == after[0] else 0)
            if found:
                cursor[:] = [line, found.end()]
                return line, found.start() + 1, found[0]
    return lines.start, 1, href


@functools.cache
def _spellings() -> dict[str, list[str]]:
    """The named character references of each character, e.g. ':' -> ['&colon;']."""
    names: dict[str, list[str]] = {}
    for name, char in html5.items():
        if name.endswith(";"):
            names.setdefault(char, []).append("&" + name)
    return names


def _as_written(href: str) -> re.Pattern[str]:
    """A pattern that finds `href` as it may be written: each character as itself, escaped or as a reference."""
    parts = []
    for char in href:
        code = ord(char)
        ways = [re.escape(char), f"(?i:&#0*{code};|&#x0*{code:x};)"]
        ways += [re.escape(name) for name in _spellings().get(char, ())]
        ways.append("(?i:" + "".join(f"%{byte:02x}" for byte in char.encode()) + ")")
        if char.isascii() and not char.isalnum():
            ways.append(re.escape("\\" + char))
        parts.append("(?:" + "|".join(ways) + ")")
    return re.compile("".join(parts))
