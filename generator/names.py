"""The names of a project's files and folders, said once for every module that reads or writes them."""

from __future__ import annotations

SETTINGS_FILE = "playbook.yaml"  # the playbook's settings, at the project's root
CONTENT_FOLDER = "content"  # everything the playbook is made of
# The folders under content/, each holding one kind of file.
PROGRAMS_FOLDER = "programs"
WORKSHEETS_FOLDER = "worksheets"
CHECKLISTS_FOLDER = "checklists"
GUIDES_FOLDER = "guides"
COHORTS_FOLDER = "cohorts"
ASSETS_FOLDER = "assets"
LOCALE_FOLDER = "locale"  # a theme's catalogs of interface words, and a project's own (<lang>.po)
TEMPLATES_FOLDER = "templates"  # a project's own templates, and a theme's
THEMES_FOLDER = "themes"  # a project's own themes, beside the built-in ones
OUTPUT_FOLDER = "_site"  # where a build writes the site unless told where
OUTPUT_MARKER = ".playbook-site"  # the file that marks a folder as one a build made
CACHE_FOLDER = ".playbook-cache"  # the build's cache, in the project and never in the output
