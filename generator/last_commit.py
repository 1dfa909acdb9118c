"""The day a project last changed in git: the date its pages show when playbook.yaml has no `updated:`.

Git is asked when a build reads the whole project (and when `playbook build` looks whether anything
changed since the last build), in the project's folder, about the commits that touched that folder:
a playbook kept inside a larger repository is dated by its own changes, not the repository's.
Anything that keeps git from answering (git not installed, a folder not in git, no commit yet,
a repository git will not read, an answer too slow) means no date, never a failed build.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

TIMEOUT = 3.0  # seconds: a path-limited log of a huge history can be slow, and a build must not hang on it
# `%cs`: the committer's date as YYYY-MM-DD, the same for the same commit wherever it is built.
# The options keep a repository's own settings from running anything: no signature checks (gpg),
# no file-system monitor.
COMMAND = ("git", "-c", "core.fsmonitor=false", "log", "-1", "--no-show-signature", "--format=%cs", "--", ".")


def last_commit_day(folder: Path) -> dt.date | None:
    """The day of the last commit that changed `folder`, or None when git cannot say."""
    try:
        done = subprocess.run(
            COMMAND,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        log.warning(
            "git took over %g s to say when %s last changed, so its pages show no date; "
            "set `updated:` in playbook.yaml to date them",
            TIMEOUT,
            folder,
        )
        return None
    except OSError:  # git is not installed, or cannot be run
        return None
    if done.returncode != 0:  # not in git, or a repository git will not read: the usual case, not worth a line
        return None
    try:
        return dt.date.fromisoformat(done.stdout.decode("ascii", "replace").strip())
    except ValueError:  # no commit touched the folder yet (nothing printed), or a git too old for `%cs`
        return None
