"""The deploy recipes `playbook new` writes: one pair of build commands, and each host's file made from them.

Every recipe installs the Playbook version that `requirements.txt` pins and runs the same build, so a
site published from GitHub, GitLab or Netlify is the one `playbook build --strict` makes on the lead's
own computer. The version is written in `requirements.txt` only; the recipes name the file.
"""

from __future__ import annotations

from . import __version__
from .names import OUTPUT_FOLDER

DISTRIBUTION = "mentor-playbook"  # Playbook's name on PyPI
PYTHON_VERSION = "3.12"  # the Python every host builds with
REQUIREMENTS_FILE = "requirements.txt"
INSTALL = f"pip install -r {REQUIREMENTS_FILE}"
BUILD = "playbook build --strict"  # a warning stops the deploy, so a broken link never goes live
BUILD_COMMANDS = (INSTALL, BUILD)

GITHUB_WORKFLOW = ".github/workflows/pages.yml"
GITLAB_CI = ".gitlab-ci.yml"
NETLIFY = "netlify.toml"


def requirements() -> str:
    """`requirements.txt`: the one place that says which Playbook builds the site."""
    return f"""\
# The Playbook version this site is built with. The deploy recipes ({GITHUB_WORKFLOW},
# {GITLAB_CI} and {NETLIFY}) install exactly this one; so does
# `{INSTALL}` on your own computer.
# To upgrade: write the new version below, run `{INSTALL}`
# and `{BUILD}`, look at the site, and commit. The next deploy uses it.
{DISTRIBUTION}=={__version__}
"""


def github_workflow() -> str:
    """`.github/workflows/pages.yml`: build on GitHub Actions and publish on GitHub Pages."""
    steps = "".join(f"      - name: {name}\n        run: {command}\n" for name, command in _named_commands())
    return f"""\
# Publishes this playbook on GitHub Pages whenever the default branch changes, and when you
# run it by hand (Actions > Publish the playbook > Run workflow). It installs the Playbook
# version pinned in {REQUIREMENTS_FILE}, builds the site and publishes the {OUTPUT_FOLDER} folder.
# Switch it on once: Settings > Pages > Build and deployment > Source: GitHub Actions.
name: Publish the playbook

on: [push, workflow_dispatch]

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:  # one deployment at a time; a newer one waits for the one before to finish
  group: pages
  cancel-in-progress: false

jobs:
  publish:
    # Every push starts the workflow, but only the default branch is published.
    if: github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-python@v6
        with:
          python-version: "{PYTHON_VERSION}"
{steps}\
      - uses: actions/configure-pages@v6
      - uses: actions/upload-pages-artifact@v5
        with:
          path: {OUTPUT_FOLDER}
      - id: deployment
        uses: actions/deploy-pages@v5
"""


def gitlab_ci() -> str:
    """`.gitlab-ci.yml`: a `pages` job that builds the site and publishes it on GitLab Pages."""
    script = "".join(f"    - {command}\n" for command in BUILD_COMMANDS)
    return f"""\
# Publishes this playbook on GitLab Pages whenever the default branch changes. It installs the
# Playbook version pinned in {REQUIREMENTS_FILE}, builds the site and publishes the {OUTPUT_FOLDER} folder.
# Nothing to switch on: once the first pipeline has passed, Deploy > Pages shows the address.
# `pages: publish:` lets GitLab publish {OUTPUT_FOLDER} as Playbook writes it, with the same commands
# as on other hosts; it needs GitLab 17.9 or later (GitLab.com has it). On an older GitLab, end
# the script with `- mv {OUTPUT_FOLDER} public`, delete the two lines `pages:` and `publish:` inside
# the job, and list `public` instead of `{OUTPUT_FOLDER}` under `artifacts: paths:`.
pages:
  image: python:{PYTHON_VERSION}-slim
  script:
{script}\
  pages:
    publish: {OUTPUT_FOLDER}
  artifacts:
    paths:
      - {OUTPUT_FOLDER}
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""


def netlify() -> str:
    """`netlify.toml`: Netlify's build settings, read from the repository."""
    return f"""\
# Publishes this playbook on Netlify whenever the branch Netlify watches changes. It installs
# the Playbook version pinned in {REQUIREMENTS_FILE}, builds the site and publishes the {OUTPUT_FOLDER} folder.
# Switch it on once: Add new project > Import an existing project, and pick this repository;
# Netlify reads the settings below, so leave its build fields as they are.
# (Netlify installs {REQUIREMENTS_FILE} by itself too; doing it again takes a moment and keeps
# the commands the same as on other hosts.)
[build]
command = "{" && ".join(BUILD_COMMANDS)}"
publish = "{OUTPUT_FOLDER}"

[build.environment]
PYTHON_VERSION = "{PYTHON_VERSION}"  # the Python Netlify builds with
"""


def deploy_files() -> dict[str, str]:
    """Every file of the deploy recipes, by its path in the project."""
    return {
        REQUIREMENTS_FILE: requirements(),
        GITHUB_WORKFLOW: github_workflow(),
        GITLAB_CI: gitlab_ci(),
        NETLIFY: netlify(),
    }


def _named_commands() -> list[tuple[str, str]]:
    """Each build command with the name a CI log shows for it."""
    names = {INSTALL: f"Install Playbook as {REQUIREMENTS_FILE} pins it", BUILD: "Build the site"}
    return [(names[command], command) for command in BUILD_COMMANDS]
