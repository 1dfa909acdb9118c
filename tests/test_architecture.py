"""The package keeps the shape generator/ARCHITECTURE.md describes: layers that import only downwards, one
package that writes, one module that prints, and a render that writes nothing."""

from __future__ import annotations

import ast
import builtins
import functools
import io
import os
import pathlib
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import snapshot
from generator.build import BuildSession, build
from generator.names import OUTPUT_MARKER
from generator.parallel import stream_across_cores
from generator.render import render_site

PACKAGE = Path(__file__).parent.parent / "generator"

# The layers of generator/ARCHITECTURE.md, lowest first. A module imports only from its own layer or lower
# ones; inside a layer the order is free (the cycle test below keeps it a tree). A subpackage
# (`models`, `kinds`, `output`) counts as one module; `__init__` is the package's version.
LAYERS: dict[str, tuple[str, ...]] = {
    "foundation": ("__init__", "names", "errors", "files", "values", "recurrence", "memo", "parallel", "resources"),
    "content model": ("models", "dates", "formats", "schedule", "cohort_dates", "contrast"),
    "read": ("yaml_syntax", "yaml_reader", "reading", "file_names", "last_commit", "loader", "interface"),
    "check": (
        *("explain", "crosscheck", "lint", "validate", "words_check", "translations", "theme_chain"),
        *("ids", "yaml_comments", "yaml_edit"),
    ),
    "plan": (
        *("markdown", "links", "guides", "prose", "pages", "languages", "wording", "site"),
        *("collisions", "statement"),
        *(
            "stop_words",
            "search_words",
            "search_entries",
            "search_files",
            "search_index",
            "search",
            "ics",
            "tasks_csv",
            "dashboard_data",
            "pdf",
        ),
        "deploy",
    ),
    "render": ("theme", "kinds", "dependencies", "render"),
    "write": ("output", "cache", "uptodate"),
    "reuse": ("reuse",),
    "recipe": ("build", "site_zip", "edit_check"),
    "front ends": (
        "command_help",
        "scaffold",
        "schema",
        *("edit_problems", "edit_files", "edit_links", "edit_save", "edit_new", "serve_edit"),
        "serve_page",
        "serve_watch",
        "serve_http",
        "serve",
        "cli",
        "__main__",
    ),
}
LAYER = {module: number for number, modules in enumerate(LAYERS.values()) for module in modules}
LAYER_NAME = {module: layer for layer, modules in LAYERS.items() for module in modules}
LONGEST = 350  # lines in one file of the package
# Calls that change the disk: pathlib methods, and os / shutil functions by their full name.
WRITES = {
    "write_bytes",
    "write_text",
    "mkdir",
    "unlink",
    "rmdir",
    "touch",
    "symlink_to",
    "os.replace",
    "os.rename",
    "os.remove",
    "os.makedirs",
    "shutil.rmtree",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
}


@functools.cache
def files() -> dict[Path, ast.Module]:
    """Every file of the package, parsed (once for all the tests here)."""
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def module_of(path: Path) -> str:
    """The module a file belongs to: `render`, `__init__`, or the subpackage it is in (`kinds`)."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def modules() -> dict[str, list[ast.Module]]:
    """Each module with the syntax trees of its files."""
    found: dict[str, list[ast.Module]] = {}
    for path, tree in files().items():
        found.setdefault(module_of(path), []).append(tree)
    return found


def imports() -> dict[str, set[str]]:
    """For each module, the package's other modules it imports, anywhere in it (in a function too)."""
    found: dict[str, set[str]] = {}
    for path, tree in files().items():
        here = path.relative_to(PACKAGE).parent.parts  # the package a relative import starts from
        name = module_of(path)
        found.setdefault(name, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base, module = list(here[: len(here) - node.level + 1]), node.module
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE.name:
                base, module = [], (node.module or "").partition(".")[2]
            elif isinstance(node, ast.Import):
                inside = [alias.name.split(".")[1:] for alias in node.names if alias.name.startswith(PACKAGE.name)]
                found[name].update(_module(parts) for parts in inside)
                continue
            else:
                continue
            targets = [module] if module else [alias.name for alias in node.names]
            found[name].update(_module([*base, *target.split(".")]) for target in targets)
        found[name].discard(name)
    return found


def _module(parts: list[str]) -> str:
    """The module a dotted name inside the package is in; a name of the package itself is `__init__`'s."""
    if parts and ((PACKAGE / parts[0]).is_dir() or (PACKAGE / f"{parts[0]}.py").is_file()):
        return parts[0]
    return "__init__"


def calls(trees: list[ast.Module]) -> set[str]:
    """Names of the functions a module calls: `print`, `write_text`, `os.replace`..."""
    names = set()
    for node in (node for tree in trees for node in ast.walk(tree)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
                if isinstance(func.value, ast.Name):
                    names.add(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Name):
                names.add(func.id)
            if getattr(func, "id", "") == "open" and any(
                isinstance(a, ast.Constant) and set(str(a.value)) & set("wax+") for a in node.args[1:]
            ):
                names.add("write_text")
    return names


# --- Layers ----------------------------------------------------------------------------------


def test_every_module_has_a_layer_and_every_listed_module_exists() -> None:
    assert sorted(modules()) == sorted(LAYER)


def test_a_module_imports_only_from_its_own_layer_or_lower_ones() -> None:
    upwards = {
        name: sorted(f"{other} ({LAYER_NAME[other]})" for other in found if LAYER[other] > LAYER[name])
        for name, found in imports().items()
    }
    assert {name: found for name, found in upwards.items() if found} == {}


def test_no_modules_import_each_other_round_a_cycle() -> None:
    graph = imports()
    done: set[str] = set()

    def cycle_from(name: str, path: tuple[str, ...]) -> tuple[str, ...]:
        if name in path:
            return (*path[path.index(name) :], name)
        if name in done:
            return ()
        for other in sorted(graph[name]):
            found = cycle_from(other, (*path, name))
            if found:
                return found
        done.add(name)
        return ()

    first = next((cycle for name in sorted(graph) if (cycle := cycle_from(name, ()))), ())
    assert first == ()


def test_errors_names_and_values_import_nothing_from_the_package_and_models_only_values_and_names() -> None:
    found = imports()
    assert {name: found[name] for name in ("errors", "names", "values") if found[name]} == {}
    assert found["models"] <= {"values", "recurrence", "names"}


def test_nothing_after_validation_reads_the_files_again() -> None:
    """Plan, render and write take what they know of the files (paths, digests) from the validated model."""
    after = [name for layer in ("plan", "render", "write") for name in LAYERS[layer]]
    found = imports()
    assert {name: found[name] & {"loader", "reading"} for name in after if found[name] & {"loader", "reading"}} == {}


# --- One writer, one printer, small modules --------------------------------------------------


def test_only_output_writes_to_disk() -> None:
    writers = {name for name, trees in modules().items() if calls(trees) & WRITES and name != "output"}
    assert writers == set()


def test_only_cli_prints() -> None:
    printers = {name for name, trees in modules().items() if "print" in calls(trees)}
    assert printers == {"cli"}


def test_no_file_of_the_package_is_over_350_lines() -> None:
    lengths = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines()) for path in files()
    }
    assert {path: length for path, length in lengths.items() if length > LONGEST} == {}


# --- Render writes nothing ------------------------------------------------------------------


class WriteRefused(AssertionError):
    """A write to disk under `writes_refused`."""


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@contextmanager
def writes_refused() -> Iterator[list[str]]:
    """Every way to change the disk raises `WriteRefused`, and is listed in what this yields; reading still works.

    Forked workers inherit the patched functions, so a write there raises too (render reports a
    template that raised as a `PlaybookError`, and a `make` function's error propagates)."""
    tried: list[str] = []
    real_open, real_os_open = io.open, os.open

    def refuse(what: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            tried.append(f"{what}{args!r}")
            raise WriteRefused(f"{what}{args!r}: render must not write")

        return refused

    def open_to_read(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if set(mode) & set("wax+"):
            refuse("open")(file, mode)
        return real_open(file, mode, *args, **kwargs)

    def os_open_to_read(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & WRITE_FLAGS:
            refuse("os.open")(path, flags)
        return real_os_open(path, flags, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", open_to_read)
        patch.setattr(io, "open", open_to_read)
        patch.setattr(os, "open", os_open_to_read)
        for name in ("replace", "rename", "mkdir", "makedirs", "unlink", "remove", "rmdir", "symlink", "link"):
            patch.setattr(os, name, refuse(f"os.{name}"))
        for name in ("rmtree", "copyfile", "copy", "copy2", "copytree", "move"):
            patch.setattr(shutil, name, refuse(f"shutil.{name}"))
        for name in (
            "write_bytes",
            "write_text",
            "mkdir",
            "unlink",
            "rmdir",
            "touch",
            "rename",
            "replace",
            "symlink_to",
        ):
            patch.setattr(pathlib.Path, name, refuse(f"Path.{name}"))
        yield tried


SMALL_PLAYBOOK = {
    # A start date gives the program a calendar, and a base URL the sitemap and 404 page:
    # every kind of file but the PDF booklets (those need WeasyPrint).
    "playbook.yaml": """\
title: Minimal Playbook
base_url: https://example.org/playbook/
start_date: 2027-01-14
roles:
  - id: mentor
    name: Mentor
  - id: protege
    name: Protégé
""",
}


def test_render_makes_the_whole_site_and_writes_nothing(project: Callable[..., Path], tmp_path: Path) -> None:
    root = project(SMALL_PLAYBOOK)
    out = tmp_path / "site"
    build(root, out, cache=False)
    built = snapshot(out)
    del built[OUTPUT_MARKER]  # the writer's, not the site's
    checked = BuildSession(root).check()
    with writes_refused() as tried:
        rendered = dict(render_site(checked.site, checked.env, checked.theme, checked.site.pages))
    assert tried == []
    assert {"sitemap.xml", "404.html", "programs/year/calendar.ics", "search/index.js"} <= set(rendered)
    assert rendered == built


@pytest.mark.parametrize(
    "write",
    [
        lambda folder: open(folder / "page.html", "w"),  # noqa: SIM115
        lambda folder: open(folder / "page.html", "ab"),  # noqa: SIM115
        lambda folder: io.open(folder / "page.html", "r+"),  # noqa: SIM115, UP020
        lambda folder: os.open(folder / "page.html", os.O_WRONLY | os.O_CREAT),
        lambda folder: (folder / "page.html").write_bytes(b"x"),
        lambda folder: (folder / "page.html").write_text("x"),
        lambda folder: (folder / "new").mkdir(),
        lambda folder: (folder / "page.html").touch(),
        lambda folder: os.replace(folder / "old.html", folder / "page.html"),
        lambda folder: os.unlink(folder / "old.html"),
        lambda folder: shutil.rmtree(folder),
    ],
)
def test_the_guard_refuses_every_way_to_write(write: Callable[[Path], Any], tmp_path: Path) -> None:
    (tmp_path / "old.html").write_text("kept")
    with writes_refused() as tried, pytest.raises(WriteRefused):
        write(tmp_path)
    assert len(tried) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html"]


def _write_in(folder: Path, name: str) -> None:
    (folder / name).write_bytes(b"x")


def test_the_guard_holds_in_forked_workers_and_their_failure_reaches_the_build(tmp_path: Path) -> None:
    """Render shares its work with forked workers: they inherit the guard, and what they raise comes back."""
    with writes_refused(), pytest.raises(WriteRefused):
        list(stream_across_cores(_write_in, [f"page-{n}.html" for n in range(8)], tmp_path, smallest=1))
    assert list(tmp_path.iterdir()) == []


def test_the_guard_lets_files_be_read(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("kept")
    with writes_refused() as tried:
        with open(tmp_path / "page.html", "rb") as stream:
            assert stream.read() == b"kept"
        assert (tmp_path / "page.html").read_text() == "kept"
    assert tried == []
