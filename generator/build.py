"""The build, as a recipe: load, validate, plan the site, render, write."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from .errors import Diagnostic, PlaybookError, sort_diagnostics
from .loader import load_project
from .markdown import create_markdown
from .output import check_output_folder, write_site
from .pdf import load_weasyprint
from .render import render_site
from .site import Site, plan_site
from .theme import Theme, check_templates, create_environment, find_theme
from .validate import validate

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


def check(project_dir: Path, *, strict: bool = False, pdf: bool = False) -> Checked:
    """Validate everything and plan the site; raise `PlaybookError` with every problem found."""
    if pdf:
        load_weasyprint()  # fail before any work when PDFs cannot be made
    project = load_project(project_dir)
    playbook, problems = validate(project)
    site = theme = env = None
    if playbook is not None:
        md = create_markdown(allow_html=playbook.settings.markdown.allow_html)
        site, link_problems = plan_site(playbook, project, md, pdf=pdf)
        problems += link_problems
        theme = find_theme(project.root, playbook.settings.theme)
        if theme is None:
            problems.append(
                Diagnostic(
                    "playbook.yaml",
                    0,
                    0,
                    f"no theme '{playbook.settings.theme}'",
                    "use `default`, or add themes/<name>/templates/",
                )
            )
        else:
            env = create_environment(theme)
            problems += check_templates(theme, env)
    if any(p.is_error or strict for p in problems) or site is None or theme is None or env is None:
        raise PlaybookError(problems)
    return Checked(site, theme, env, sort_diagnostics(problems))


def build(project_dir: Path, out_dir: Path | None = None, *, strict: bool = False, pdf: bool = False) -> BuildResult:
    """Build the site of the project into `out_dir` (default: `_site` in the project); `pdf` adds PDF booklets."""
    out_dir = out_dir if out_dir is not None else project_dir / "_site"
    folder_problems = check_output_folder(out_dir, project_dir)
    if folder_problems:
        raise PlaybookError(folder_problems)
    checked = check(project_dir, strict=strict, pdf=pdf)
    files = render_site(checked.site, checked.env, checked.theme)
    write_site(out_dir, files, project_dir)
    return BuildResult(out_dir, sum(p.is_html for p in checked.site.pages), len(files), checked.warnings)
