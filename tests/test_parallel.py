"""Big sites are built by several processes; the result must be the one a single process makes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import generator
from benchmarks.corpus import write_corpus
from conftest import snapshot

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores to run workers")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A playbook big enough (820 guides) that Markdown, pages and search are shared across processes."""
    return write_corpus(820, tmp_path_factory.mktemp("big") / "playbook")


# Run in a fresh interpreter: the suite's browser tests leave a thread running (Playwright's
# child watcher), and Playbook rightly does not fork a process that has other threads.
BUILD = """
import json, sys
from pathlib import Path
import generator.parallel as parallel
from generator.build import build
from generator.errors import PlaybookError
pools = []
real = parallel._forked_pool
parallel._forked_pool = lambda workers: (pools.append(workers), real(workers))[1]
try:
    build(Path(sys.argv[1]), Path(sys.argv[2]), cache=False)
    problems = []
except PlaybookError as error:
    problems = [[d.path, d.line, d.message] for d in error.diagnostics]
print(json.dumps({"pools": pools, "problems": problems}))
"""


def build_apart(project: Path, out: Path, **env: str) -> dict[str, Any]:
    """Build in another Python process; the worker pools it started and the problems it found."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(project), str(out)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def shared(big: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The big playbook built with workers (the default), once for the tests that need a good build of it."""
    out = tmp_path_factory.mktemp("shared") / "site"
    return out, build_apart(big, out)


def test_workers_make_the_same_site_as_one_process(
    big: Path, shared: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    alone = build_apart(big, tmp_path / "alone", PLAYBOOK_WORKERS="1")
    assert alone == {"pools": [], "problems": []}, "PLAYBOOK_WORKERS=1 still started workers"
    shared_out, built = shared
    assert built["problems"] == []
    assert len(built["pools"]) >= 3, "expected Markdown, pages and the search index to use workers"

    one, many = snapshot(tmp_path / "alone"), snapshot(shared_out)
    assert len(one) > 820
    assert sorted(one) == sorted(many)
    different = [name for name in one if one[name] != many[name]]
    assert different == []


def test_a_template_failing_in_a_worker_is_reported_and_the_old_site_kept(
    big: Path, shared: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    shutil.copytree(shared[0], out)  # a good build of it, as the last build left it
    assert shared[1]["problems"] == []
    before = snapshot(out)
    templates = big / "templates"
    templates.mkdir()
    guide = (Path(generator.__file__).parent.parent / "themes/default/templates/guide.html").read_text()
    # Fails only while rendering (not when compiled), for one guide among hundreds.
    broken = guide.replace(
        "{% block content %}", "{% block content %}\n{% if 'g00123' in page.url %}{{ 1 // 0 }}{% endif %}", 1
    )
    assert broken != guide
    (templates / "guide.html").write_text(broken)
    try:
        failed = build_apart(big, out)
    finally:
        (templates / "guide.html").unlink()
        templates.rmdir()
    assert failed["pools"], "the pages were not rendered by workers"
    [(path, line, message)] = failed["problems"]
    assert path == "templates/guide.html"
    assert line == next(n for n, text in enumerate(broken.splitlines(), 1) if "1 // 0" in text)
    assert "ZeroDivisionError" in message and "g00123" in message
    assert snapshot(out) == before
