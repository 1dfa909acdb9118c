"""What `playbook --help` and each command's `--help` say, beyond one line per option."""

from __future__ import annotations

from .names import CACHE_FOLDER, OUTPUT_FOLDER

DESCRIPTION = """\
Turn a mentoring program kept as plain files (YAML programs, worksheets and
checklists, Markdown guides) into a website you can host anywhere or open
from disk."""

EPILOG = """\
examples:
  playbook new my-playbook          start a project from the example
  playbook build my-playbook        write the site to my-playbook/_site
  playbook check                    find every problem, write nothing
  playbook serve --open             see the site as you edit it
  playbook schema program > program.schema.json

exit status: 0 done, 1 problems in the content, 2 wrong use of the command"""

ZIP_HELP = "also write the site as one zip file (e.g. playbook.zip) for a new mentor to unzip and open from disk"
VERBOSE_HELP = "log each stage as it ends, with the time it took"

NEW_WRITES = f"""\
Create DIR with a playbook project copied from the example:
  playbook.yaml, content/       the settings and the example playbook
  requirements.txt              the Playbook version the site is built with
  .github/workflows/pages.yml,  recipes that publish the site on GitHub Pages, GitLab Pages
  .gitlab-ci.yml, netlify.toml  or Netlify; each says at its top what to switch on there
  schemas/, .vscode/            let editors check the YAML as you type (VS Code: the YAML extension)
  .gitignore                    keeps {OUTPUT_FOLDER}/ and {CACHE_FOLDER}/ out of git"""

EDIT_HELP = (
    "edit the playbook in the browser: each page gets an 'Edit this page' link to a form that writes its "
    "file back (comments kept) after the same checks as `playbook check`; the terminal prints the link "
    "with this run's secret token. Only on this computer (127.0.0.1)"
)
