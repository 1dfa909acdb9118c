"""The bad input gallery (tests/bad/): each broken project gets its exact messages, exit 1 and no traceback.

Cases that are hostile but not wrong (`~~~ expect build`) must build, with the hostile part made harmless.
Cases that are probably a mistake (`~~~ expect strict`) get warnings, and fail only under `--strict`.
The format is described in tests/bad/README.md.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, Run, snapshot, write_files

GALLERY = Path(__file__).parent / "bad"
CASES = sorted(GALLERY.glob("*.txt"))
MARK = "~~~ "


@dataclass(frozen=True)
class SiteCheck:
    """One `contains PATH TEXT` or `lacks PATH TEXT` line: what a page of the built site must (not) hold."""

    present: bool
    page: str
    text: str


@dataclass
class Case:
    """A broken project: the files it writes over the minimal project and what must happen to it."""

    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    pipes: list[str] = field(default_factory=list)  # named pipes (FIFOs): a build that opens one waits for ever
    expected: list[str] = field(default_factory=list)
    site: list[SiteCheck] | None = None  # None: `check` and `build` must fail with `expected`
    strict: bool = False  # `expected` are warnings: they fail `check` and `build` only with `--strict`


def split_sections(text: str) -> list[tuple[str, list[str], list[str]]]:
    """The `~~~ NAME (options)` sections of a case file as (name, options, body lines)."""
    sections: list[tuple[str, list[str], list[str]]] = []
    for line in text.splitlines():
        if line.startswith(MARK):
            name, options = line[len(MARK) :], ""
            if name.endswith(")") and " (" in name:
                name, _, options = name[:-1].rpartition(" (")
            sections.append((name, [o.strip() for o in options.split(",") if o.strip()], []))
        elif sections:
            sections[-1][2].append(line)
    return sections


def file_bytes(body: list[str], options: list[str]) -> bytes:
    """A file's bytes from its section: `\\t` is a tab, `crlf` ends lines with CR LF, any other option is an encoding."""
    ending = "\r\n" if "crlf" in options else "\n"
    text = "".join(line + ending for line in body).replace("\\t", "\t")
    encodings = [o for o in options if o != "crlf"]
    return text.encode(encodings[0] if encodings else "utf-8")


def file_name(path: str) -> str:
    """A path from a section header: `\\n` and `\\t` stand for a newline and a tab, which a file name may hold."""
    return path.replace("\\n", "\n").replace("\\t", "\t")


def site_check(line: str) -> SiteCheck:
    verb, page, text = line.split(" ", 2)
    if verb not in ("contains", "lacks"):
        raise ValueError(f"a site check starts with 'contains' or 'lacks', not {verb!r}: {line!r}")
    return SiteCheck(verb == "contains", page, text)


def read_case(path: Path) -> Case:
    case = Case()
    for name, options, body in split_sections(path.read_text(encoding="utf-8")):
        if name in ("expect", "expect strict"):
            case.expected = [line for line in body if line]
            case.strict = name == "expect strict"
        elif name == "expect build":
            case.site = [site_check(line) for line in body if line]
        elif options == ["symlink"]:
            case.links[file_name(name)] = body[0]
        elif options == ["fifo"]:
            case.pipes.append(file_name(name))
        else:
            case.files[file_name(name)] = file_bytes(body, options)
    return case


def make_project(root: Path, case: Case) -> Path:
    shutil.copytree(MINIMAL, root, ignore=shutil.ignore_patterns("_site", ".playbook-cache"))
    write_files(root, case.files)
    for rel, target in case.links.items():
        link = root / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # a whole folder of the minimal project becomes a link
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    for rel in case.pipes:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
    return root


ISSUE_7_CASES = {  # every failure issue 7 names must have its case here
    "yaml-tab-indent",
    "yaml-unclosed-bracket",
    "yaml-bad-indentation",
    "yaml-duplicate-key",
    "wrong-type",
    "unknown-key-did-you-mean",
    "missing-required-field",
    "empty-file",
    "duplicate-id",
    "duplicate-month-number",
    "unknown-worksheet",
    "unknown-checklist",
    "unknown-guide",
    "unknown-month",
    "broken-markdown-link",
    "not-utf8",
    "bom-yaml",
    "crlf-yaml",
    "front-matter-not-mapping",
    "python-tag",
    "alias-bomb",
    "symlink-outside",
    "script-in-field",
    "javascript-link",
    "three-problems",
}


def test_the_gallery_has_a_case_for_every_failure_of_issue_7() -> None:
    assert ISSUE_7_CASES <= {c.stem for c in CASES}


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_every_case_says_what_must_happen(path: Path) -> None:
    case = read_case(path)
    assert case.files or case.links or case.pipes
    assert case.expected or case.site, "a case needs `~~~ expect` lines or `~~~ expect build` checks"
    assert not (case.expected and case.site is not None), "a case is either an error case or a build case"
    if case.strict:
        assert all(": warning: " in line for line in case.expected), "a strict case expects warnings only"


ERROR_CASES = [c for c in CASES if read_case(c).site is None]
BUILD_CASES = [c for c in CASES if read_case(c).site is not None]


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unbroken minimal project, built once; each test copies it as "the site from yesterday"."""
    from generator.build import build

    folder = tmp_path_factory.mktemp("good")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(folder / "user-cache"))
        build(make_project(folder / "project", Case()), folder / "site")
    return folder / "site"


def strict(case: Case) -> tuple[str, ...]:
    """The option that makes a case's warnings fail the command."""
    return ("--strict",) if case.strict else ()


@pytest.mark.parametrize("path", ERROR_CASES, ids=[c.stem for c in ERROR_CASES])
def test_check_prints_exactly_the_expected_messages(path: Path, tmp_path: Path, playbook: Callable[..., Run]) -> None:
    case = read_case(path)
    root = make_project(tmp_path / "project", case)

    if case.strict:  # warnings: a plain check passes and says them, a strict one fails on them
        warned = playbook("check", root)
        assert (warned.code, warned.diagnostics) == (0, case.expected)
    run = playbook("check", root, *strict(case))

    assert run.diagnostics == case.expected
    assert run.code == 1
    assert "Traceback" not in run.err
    assert not (root / "_site").exists()


@pytest.mark.parametrize("path", ERROR_CASES, ids=[c.stem for c in ERROR_CASES])
def test_a_failed_build_keeps_the_previous_site(
    path: Path, tmp_path: Path, good_site: Path, playbook: Callable[..., Run]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    before = snapshot(site)
    case = read_case(path)
    root = make_project(tmp_path / "project", case)

    run = playbook("build", root, "-o", site, *strict(case))

    assert run.code == 1
    assert "Traceback" not in run.err
    assert snapshot(site) == before
    assert not (root / "_site").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no half-written site left beside it


@pytest.mark.parametrize("path", BUILD_CASES, ids=[c.stem for c in BUILD_CASES])
def test_hostile_but_valid_input_builds_safely(path: Path, tmp_path: Path, playbook: Callable[..., Run]) -> None:
    case = read_case(path)
    root = make_project(tmp_path / "project", case)

    checked = playbook("check", root)
    built = playbook("build", root)

    assert (checked.code, checked.diagnostics) == (0, [])
    assert (built.code, built.diagnostics) == (0, [])
    assert "Traceback" not in checked.err + built.err
    for check in case.site or []:
        page = root / "_site" / check.page
        assert page.is_file(), f"{check.page} was not built"
        assert (check.text in page.read_text(encoding="utf-8")) == check.present, check


def sized(line: str) -> str:
    """A message with its file sizes blurred: the README shows a realistic size, the gallery a small one."""
    return re.sub(r"\d+(\.\d+)? (KB|MB)", "SIZE", line)


def test_the_readme_troubleshooting_shows_messages_the_gallery_checks() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Troubleshooting\n", 1)[1].split("\n## ", 1)[0]
    shown = [line for block in re.findall(r"```text\n(.*?)```", section, re.DOTALL) for line in block.splitlines()]
    diagnostics = [line for line in shown if ": error: " in line or ": warning: " in line]
    checked = {sized(line) for path in ERROR_CASES for line in read_case(path).expected}
    assert len(diagnostics) > 40
    assert [line for line in diagnostics if sized(line) not in checked] == []
