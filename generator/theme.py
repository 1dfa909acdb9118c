"""The theme: where templates are found, the Jinja environment, and static files."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from .dashboard_data import dashboard_data
from .errors import Diagnostic
from .interface import Words, script_messages
from .links import (
    booklet_pdf_url,
    booklet_url,
    calendar_url,
    card_url,
    cards_url,
    cohort_tasks_url,
    cohort_url,
    dashboard_url,
    in_tree,
    lead_calendar_url,
    month_url,
    page_url,
    pair_calendar_url,
    pair_pack_pdf_url,
    pair_pack_url,
    pair_url,
    relative_url,
    relative_urls,
    tasks_csv_url,
)
from .models import Checklist, Guide, Worksheet
from .names import TEMPLATES_FOLDER
from .theme_chain import Theme, find_theme, load_theme  # noqa: F401 - found here, where they were before

STATIC_PREFIX = "static/"
TEMPLATE_EXTENSIONS = ["html", "xml", "txt", "svg"]


def template_loader(theme: Theme) -> BaseLoader:
    """Templates by name along the search path; and each theme's of the chain as `<theme>/<name>`, so that a
    template can extend the one it replaces (`{% extends "default/base.html" %}`)."""
    search = FileSystemLoader([str(d) for d in theme.template_dirs])
    chain = theme.chain
    by_theme: dict[str, BaseLoader] = {
        member.name: FileSystemLoader([str(t.folder / TEMPLATES_FOLDER) for t in chain[index:]])
        for index, member in enumerate(chain)
    }
    return ChoiceLoader([_UnlistedPrefixes(by_theme), search])


class _UnlistedPrefixes(PrefixLoader):
    """Each theme's templates under its name, found but not listed: listed, every template of the chain would
    be checked and digested twice, once by its plain name and once by its prefixed one."""

    def list_templates(self) -> list[str]:
        return []


class CompiledTemplates(BytecodeCache):
    """Templates compiled once in a process, for every environment made after: a session that loads the
    theme again (another build, the dev server after a template changed) compiles only what changed.

    Jinja files each template by its name and file, and reuses it only for the same source text. Every
    environment here is made the same way, so the compiled code of one serves all of them.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.compiled.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def create_environment(theme: Theme) -> Environment:
    """A Jinja environment that escapes everything and fails on any undefined name."""
    env = Environment(
        loader=template_loader(theme),
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=COMPILED,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # `_()` and `ngettext()` in templates: English until `use_words` installs the playbook's language.
    # New-style: the arguments are escaped, and a missing one is an error rather than a silent gap.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    write_numbers_in_messages(env)
    env.globals["script_words"] = {}
    env.globals["relurl"] = relurl
    env.globals["relroot"] = relroot
    env.globals["zip"] = zip
    env.globals["dashboard_data"] = dashboard_data
    # Where each page is, from the site root; `relurl` makes it relative to the page being rendered.
    env.globals.update(
        page_url=page_url,
        month_url=month_url,
        card_url=card_url,
        cards_url=cards_url,
        booklet_url=booklet_url,
        booklet_pdf_url=booklet_pdf_url,
        calendar_url=calendar_url,
        cohort_url=cohort_url,
        cohort_tasks_url=cohort_tasks_url,
        lead_calendar_url=lead_calendar_url,
        tasks_csv_url=tasks_csv_url,
        dashboard_url=dashboard_url,
        pair_url=pair_url,
        pair_pack_url=pair_pack_url,
        pair_pack_pdf_url=pair_pack_pdf_url,
        pair_calendar_url=pair_calendar_url,
    )
    env.filters["relurl"] = relurl
    env.filters["site_html"] = site_html
    env.filters["long_date"] = long_date
    env.filters["month_year"] = month_year
    env.filters["plain_date"] = plain_date
    env.filters["initial"] = initial
    env.filters["clock"] = clock
    env.filters["lens_roles"] = lens_roles
    env.filters["number"] = number
    env.filters["list_of"] = list_of
    return env


def use_words(env: Environment, words: Words, static: Path | Sequence[Path]) -> None:
    """Speak the playbook's language: templates' `_()` and `ngettext()`, and the words the theme's scripts ask for
    (`static`: the folder of the scripts, or each of a chain of themes)."""
    env.install_gettext_translations(words.translations, newstyle=True)  # type: ignore[attr-defined]
    write_numbers_in_messages(env)
    # Reading the scripts for their messages is only worth it when some message reads other than in English.
    folders = [static] if isinstance(static, Path) else static
    asked = tuple(dict.fromkeys(message for folder in folders for message in script_messages(folder)))
    env.globals["script_words"] = words.script_words(asked) if words.messages else {}
    env.globals["plural_tags"] = words.plural_tags


def write_numbers_in_messages(env: Environment) -> None:
    """Make `_()` and `ngettext()` write the numbers they are given as the playbook's language does
    (`%(num)s` of 1234 reads `1 234` in French), as `Words.speak` and the scripts' `P.t` do."""
    gettext: Any = env.globals["gettext"]
    ngettext: Any = env.globals["ngettext"]

    # Called for every message of every page: straight to Jinja's own functions (they take the context
    # first), and numbers written only when there are values.
    @pass_context
    def spoken(context: Any, message: str, **values: Any) -> Any:
        return gettext(context, message, **_numbers_written(context, values)) if values else gettext(context, message)

    @pass_context
    def spoken_n(context: Any, singular: str, plural: str, n: int, **values: Any) -> Any:
        return ngettext(context, singular, plural, n, **_numbers_written(context, {"num": n, **values}))

    env.globals.update(gettext=spoken, ngettext=spoken_n)


def _numbers_written(context: Any, values: dict[str, Any]) -> dict[str, Any]:
    site = context.get("site")
    return site.number_style.values(values) if site is not None else values


def lens_roles(items: Iterable[Worksheet | Checklist | Guide]) -> tuple[str, ...]:
    """The roles a list of these items is for: every role one of them is for, or none (everyone) when one is for all."""
    roles: dict[str, None] = {}
    for item in items:
        owners = item.owners()
        if not owners:
            return ()
        roles.update(dict.fromkeys(owners))
    return tuple(roles)


@pass_context
def relurl(context: Any, target: str) -> str:
    """A URL from the site root, made relative to the page being rendered."""
    tree = context["site"].tree
    if tree:  # a language's tree: its pages are below a folder, the theme's files are not
        return relative_url(tree + context["page"].url, in_tree(target, tree))
    return relative_url(context["page"].url, target)


@pass_context
def relroot(context: Any) -> str:
    """The site root's folder as seen from the page being rendered: '' or `../` once per folder deep."""
    return relative_url(context["page"].url, page_url("home")).removesuffix(page_url("home"))


@pass_context
def site_html(context: Any, html: str) -> Markup:
    """Rendered Markdown with its site links made relative to the page being rendered."""
    return Markup(relative_urls(html, context["page"].url, context["site"].tree))


@pass_context
def long_date(context: Any, day: dt.date) -> str:
    """A date in the playbook's one date style, e.g. `Thursday, January 14, 2027`."""
    return str(context["site"].date_style.date(day))


@pass_context
def plain_date(context: Any, day: dt.date) -> str:
    """A date without its weekday in the playbook's language, e.g. `December 1, 2026`; `1 décembre 2026`."""
    return str(context["site"].date_style.day(day))


def initial(text: str) -> str:
    """The first letter or digit of a text, as a capital (`M` for `« mentoring »`); '' when it has none."""
    first = next((char for char in text if char.isalnum()), "")
    capital = first.upper()
    return capital if len(capital) == 1 else first  # `ß` would become `SS`


@pass_context
def month_year(context: Any, day: dt.date) -> str:
    """A date's month and year in the playbook's language, e.g. `January 2027`."""
    return str(context["site"].date_style.month_year(day))


@pass_context
def clock(context: Any, moment: dt.datetime) -> str:
    """A meeting's start time as the playbook's language writes it, e.g. `10:00 AM`."""
    return str(context["site"].date_style.time(moment))


@pass_context
def number(context: Any, value: float) -> str:
    """A number as the playbook's language writes it, e.g. `1,234`, `1 234` in French."""
    return str(context["site"].number_style.number(value))


@pass_context
def list_of(context: Any, items: Iterable[object]) -> str:
    """Names joined as the playbook's language joins them, e.g. `Mentor and Protégé`; `Mentor et Protégé`."""
    return str(context["site"].number_style.list_of(items))


def check_templates(theme: Theme, env: Environment) -> list[Diagnostic]:
    """Compile every template file once, reporting syntax errors with their file and line."""
    problems = []
    for name in [*env.list_templates(extensions=TEMPLATE_EXTENSIONS), *_hidden(theme, env)]:
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            path = theme.display_path(Path(exc.filename)) if exc.filename else name
            problems.append(Diagnostic(path, exc.lineno or 0, 1, f"template syntax: {exc.message}"))
    return problems


def _hidden(theme: Theme, env: Environment) -> Iterator[str]:
    """The templates of the chain that another of the same name hides (`default/base.html` under a theme's own
    `base.html`), by their prefixed name: the one name that reaches them."""
    assert env.loader is not None
    for member in theme.chain:
        folder = member.folder / TEMPLATES_FOLDER
        for name in FileSystemLoader(str(folder)).list_templates():
            if name.endswith(tuple(f".{extension}" for extension in TEMPLATE_EXTENSIONS)):
                _, found, _ = env.loader.get_source(env, name)
                if Path(found or "") != folder / name:
                    yield f"{member.name}/{name}"


def template_stamps(theme: Theme) -> dict[str, tuple[int, int]]:
    """The time and size of every template file, to tell cheaply whether any changed."""
    stamps = {}
    for folder in theme.template_dirs:
        for rel in _walk(folder):
            info = (folder / rel).stat()
            stamps[f"{folder}/{rel}"] = (info.st_mtime_ns, info.st_size)
    return stamps


def static_files(theme: Theme) -> dict[str, bytes]:
    """The theme's static files (CSS, JavaScript, icons), by their URL in the site: each theme's of the chain,
    the nearest one's winning."""
    found: dict[str, Path] = {}
    for folder in reversed(theme.static_dirs):
        found.update({STATIC_PREFIX + rel: folder / rel for rel in _walk(folder)})
    return {url: found[url].read_bytes() for url in sorted(found)}


def _walk(folder: Path) -> Iterator[str]:
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith("."):
                yield Path(dirpath, name).relative_to(folder).as_posix()
