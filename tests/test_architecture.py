"""The package keeps its shape: data flows one way, one module writes, one module prints."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "generator"

# Each module may import only the modules before it.
ORDER = [
    "names",
    "errors",
    "files",
    "memo",
    "parallel",
    "values",
    "models",
    "dates",
    "schedule",
    "resources",
    "uptodate",
    "yaml_syntax",
    "yaml_reader",
    "reading",
    "loader",
    "explain",
    "crosscheck",
    "validate",
    "markdown",
    "links",
    "prose",
    "guides",
    "pages",
    "site",
    "search_words",
    "search_entries",
    "search_files",
    "search_index",
    "search",
    "ics",
    "pdf",
    "theme",
    "kinds.kind",
    "kinds.sections",
    "kinds.programs",
    "kinds.materials",
    "kinds.made",
    "kinds",
    "dependencies",
    "cache",
    "render",
    "reuse",
    "output.writer",
    "output.upkeep",
    "output",
    "scaffold",
    "schema",
    "reuse",
    "build",
    "serve_page",
    "serve_watch",
    "serve_http",
    "serve",
    "cli",
    "__main__",
    "__init__",
]
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


def module_name(path: Path) -> str:
    """A module's name in ORDER: `render`, `kinds.made`; a subpackage is named by its folder (`kinds`)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if len(parts) > 1 and parts[-1] == "__init__" else parts)


def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def package_imports(name: str, tree: ast.Module) -> set[str]:
    """The package's modules that module `name` imports (`from . import __version__` is the package itself)."""
    is_package = (PACKAGE / name.replace(".", "/") / "__init__.py").is_file()
    here = name.split(".") if is_package else name.split(".")[:-1]  # what `from .` means in it
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            base = here[: len(here) - node.level + 1]
            if node.module:
                found.add(_in_order([*base, *node.module.split(".")]))
            else:
                found.update(_in_order([*base, alias.name]) for alias in node.names)
    return found - {"", name}


def _in_order(parts: list[str]) -> str:
    """The longest name in ORDER that `parts` starts with; '' for the package itself or a name in it."""
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in ORDER:
            return ".".join(parts[:end])
    return ""


def calls(tree: ast.Module) -> set[str]:
    """Names of the functions a module calls: `print`, `write_text`, `os.replace`..."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
                if isinstance(func.value, ast.Name):
                    names.add(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Name):
                names.add(func.id)
            if getattr(func, "id", "") == "open" and any(
                isinstance(a, ast.Constant) and set(str(a.value)) & set("wax") for a in node.args[1:]
            ):
                names.add("write_text")
    return names


def test_every_module_has_a_place_in_the_order() -> None:
    assert sorted(modules()) == sorted(ORDER)


def test_no_module_imports_a_later_stage() -> None:
    later = {}
    for name, tree in modules().items():
        wrong = package_imports(name, tree) - set(ORDER[: ORDER.index(name)])
        if wrong:
            later[name] = sorted(wrong)
    assert later == {}


def test_errors_and_the_content_model_import_nothing_else_from_the_package() -> None:
    trees = modules()
    assert package_imports("errors", trees["errors"]) == set()
    assert package_imports("values", trees["values"]) == set()
    assert package_imports("models", trees["models"]) == {"values"}


def test_the_stages_after_validation_take_what_they_know_of_the_files_from_the_model() -> None:
    trees = modules()
    above = {"reuse", "build", "serve", "cli", "__main__", "__init__"}  # the recipe, and what wraps or runs it
    after = [name for name in ORDER[ORDER.index("validate") + 1 :] if name not in above]
    readers = {name for name in after if package_imports(trees[name]) & {"loader", "reading"}}
    assert readers == set()


def test_only_output_writes_to_disk() -> None:
    writers = {name for name, tree in modules().items() if calls(tree) & WRITES and name.split(".")[0] != "output"}
    assert writers == set()


def test_only_cli_prints() -> None:
    printers = {name for name, tree in modules().items() if "print" in calls(tree)}
    assert printers == {"cli"}
