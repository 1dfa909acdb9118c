"""The build, as a recipe: load, validate, plan the site, render, write.

A `BuildSession` keeps each stage's results, so building again after a change redoes
only what the change touches: files are read again only when they changed, Markdown
is rendered again only for changed text, and a page is rendered again only when its
fingerprint (the digest of everything it is made from) changed. `playbook build` is a
fresh session; `playbook serve` keeps one for as long as it runs. Both go through the
same steps, so a rebuild gives the same bytes as a clean build.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from .dependencies import fingerprints, template_digests
from .errors import Diagnostic, PlaybookError, sort_diagnostics
from .loader import Project, load_project
from .markdown import create_markdown
from .memo import Memo
from .output import check_output_folder, write_site
from .pdf import load_weasyprint
from .render import Rendered, RenderMemory, render_site
from .site import Site, SiteMemo, plan_site
from .theme import Theme, check_templates, create_environment, find_theme, template_stamps
from .validate import FileResult, validate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checked:
    """A project that passed every check, ready to render."""

    site: Site
    theme: Theme
    env: Environment
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    pages: int
    files: int
    warnings: tuple[Diagnostic, ...]


class BuildSession:
    """A project built, and built again as its files change, reusing whatever did not change."""

    def __init__(self, project_dir: Path, *, strict: bool = False, pdf: bool = False) -> None:
        self.root = project_dir
        self.strict = strict
        self.pdf = pdf
        self.project: Project | None = None
        self._validated: Memo[FileResult] = Memo()
        self._site_memo = SiteMemo()
        self._rendered = RenderMemory()
        self._theme: tuple[Theme, Environment, dict[str, str]] | None = None
        self._template_stamps: dict[str, tuple[int, int]] = {}

    def check(self, changed: Collection[str] = ()) -> Checked:
        """Validate everything and plan the site; raise `PlaybookError` with every problem found.

        `changed` names files (relative to the project) to read again whatever their time stamps say.
        """
        if self.pdf:
            load_weasyprint()  # fail before any work when PDFs cannot be made
        self.project = project = load_project(self.root, self.project, changed)
        playbook, problems = validate(project, self._validated)
        site = theme = env = None
        if playbook is not None:
            md = create_markdown(allow_html=playbook.settings.markdown.allow_html)
            site, link_problems = plan_site(playbook, project, md, pdf=self.pdf, memo=self._site_memo)
            problems += link_problems
            loaded = self._load_theme(playbook.settings.theme, changed, problems)
            theme, env = loaded if loaded else (None, None)
        if any(p.is_error or self.strict for p in problems) or site is None or theme is None or env is None:
            raise PlaybookError(problems)
        self._validated.finish()
        self._site_memo.finish()
        return Checked(site, theme, env, sort_diagnostics(problems))

    def build(self, changed: Collection[str] = ()) -> tuple[Checked, Rendered]:
        """Check, then render every file of the site, reusing pages whose inputs did not change."""
        checked = self.check(changed)
        assert self.project is not None and self._theme is not None
        prints = fingerprints(checked.site, self.project, self._theme[2])
        return checked, render_site(checked.site, checked.env, checked.theme, self._rendered, prints)

    def _load_theme(
        self, name: str, changed: Collection[str], problems: list[Diagnostic]
    ) -> tuple[Theme, Environment] | None:
        """The theme and its Jinja environment: kept between builds, checked again when a template changes."""
        theme = find_theme(self.root, name)
        if theme is None:
            hint = "use `default`, or add themes/<name>/templates/"
            problems.append(Diagnostic("playbook.yaml", 0, 0, f"no theme '{name}'", hint))
            return None
        kept = self._theme
        if kept is None or kept[0] != theme:
            env = create_environment(theme)
        else:
            env = kept[1]
        stamps = template_stamps(theme)
        digests = (
            kept[2]
            if kept is not None and kept[0] == theme and self._template_stamps == stamps
            else template_digests(env)
        )
        self._template_stamps = stamps
        if kept is None or kept[0] != theme or kept[2] != digests:
            template_problems = check_templates(theme, env)
            problems += template_problems
            if template_problems:
                return None
        self._theme = (theme, env, digests)
        return theme, env


def check(project_dir: Path, *, strict: bool = False, pdf: bool = False) -> Checked:
    """Validate everything and plan the site; raise `PlaybookError` with every problem found."""
    return BuildSession(project_dir, strict=strict, pdf=pdf).check()


def build(project_dir: Path, out_dir: Path | None = None, *, strict: bool = False, pdf: bool = False) -> BuildResult:
    """Build the site of the project into `out_dir` (default: `_site` in the project); `pdf` adds PDF booklets."""
    out_dir = out_dir if out_dir is not None else project_dir / "_site"
    folder_problems = check_output_folder(out_dir, project_dir)
    if folder_problems:
        raise PlaybookError(folder_problems)
    checked, rendered = BuildSession(project_dir, strict=strict, pdf=pdf).build()
    write_site(out_dir, rendered.files, project_dir)
    pages = sum(p.is_html for p in checked.site.pages)
    return BuildResult(out_dir, pages, len(rendered.files), checked.warnings)
