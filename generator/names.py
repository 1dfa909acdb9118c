"""The names of a project's files and folders, said once for every module that reads or writes them."""

from __future__ import annotations

import re

SETTINGS_FILE = "playbook.yaml"  # the playbook's settings, at the project's root
# A playbook in several languages: `playbook.fr.yaml` beside it translates its title and roles.
SETTINGS_TRANSLATION = re.compile(r"playbook\.([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)\.yaml")
CONTENT_FOLDER = "content"  # everything the playbook is made of
# The folders under content/, each holding one kind of file.
PROGRAMS_FOLDER = "programs"
WORKSHEETS_FOLDER = "worksheets"
CHECKLISTS_FOLDER = "checklists"
GUIDES_FOLDER = "guides"
COHORTS_FOLDER = "cohorts"
ASSETS_FOLDER = "assets"
CHANGELOG_FILE = "CHANGELOG.md"  # in content/: what changed from one edition to the next, a page of its own
LOCALE_FOLDER = "locale"  # a theme's catalogs of interface words, and a project's own (<lang>.po)
TEMPLATES_FOLDER = "templates"  # a project's own templates, and a theme's
THEMES_FOLDER = "themes"  # a project's own themes, beside the built-in ones
THEME_FILE = "theme.yaml"  # in a theme's folder: its name, and the theme it extends
OUTPUT_FOLDER = "_site"  # where a build writes the site unless told where
OUTPUT_MARKER = ".playbook-site"  # the file that marks a folder as one a build made
CACHE_FOLDER = ".playbook-cache"  # the build's cache, in the project and never in the output
FAVICON = "favicon.svg"  # the site's icon, at the root of the site, made when the logo cannot be one
ROBOTS = "robots.txt"  # what crawlers may do, at the root of the site


def settings_translation(language: str) -> str:
    """The file that translates playbook.yaml into `language`: `playbook.fr.yaml`."""
    return f"playbook.{language}.yaml"


def is_settings_file(name: str) -> bool:
    """Whether a file at the project's root is playbook.yaml or a translation of it."""
    return name == SETTINGS_FILE or SETTINGS_TRANSLATION.fullmatch(name) is not None
