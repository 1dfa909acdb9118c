"""Where a theme's files come from: its own folder, then those of the themes it extends (`Theme`).

A theme folder may hold a `theme.yaml` saying `extends: default` (or another theme of the
project). Whatever template or static file the theme does not have then comes from the theme
it extends, and from that one's parent in turn. The chain is read anew for every build, so an
edit of a theme.yaml counts at once; a parent that does not exist, or themes that extend each
other in a circle, are errors at the line of the `extends:` that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .crosscheck import Problem, locate
from .errors import Diagnostic, did_you_mean
from .files import read_regular
from .models import ThemeManifest
from .names import LOCALE_FOLDER, SETTINGS_FILE, TEMPLATES_FOLDER, THEME_FILE, THEMES_FOLDER
from .reading import SourceFile, read_text
from .resources import builtin_theme
from .validate import validate_model
from .yaml_reader import parse_yaml

MANIFEST_LIMIT = 1 << 20  # bytes: a theme.yaml is a few lines
BUILT_IN = "default"


@dataclass(frozen=True)
class ThemeFolder:
    """One theme of a chain: its name and its folder."""

    name: str
    folder: Path


@dataclass(frozen=True)
class Theme:
    """A theme's templates and static files, with the project's own templates in front, and the themes it
    extends behind: what it does not have comes from them."""

    name: str
    folder: Path
    template_dirs: tuple[Path, ...]  # where templates are looked for, in order: the project's, then each theme's
    project_root: Path
    parents: tuple[ThemeFolder, ...] = ()  # the themes it extends, nearest first

    @property
    def chain(self) -> tuple[ThemeFolder, ...]:
        """This theme and the themes it extends, nearest first."""
        return (ThemeFolder(self.name, self.folder), *self.parents)

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders of this theme and of the themes it extends, nearest first."""
        return tuple(theme.folder for theme in self.chain)

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        """The `static/` folders of the chain, nearest first."""
        return tuple(folder / "static" for folder in self.folders if (folder / "static").is_dir())

    @property
    def words_folder(self) -> Path:
        """The folder of the nearest theme of the chain with a `locale/`: the interface speaks its catalogs."""
        return next((folder for folder in self.folders if (folder / LOCALE_FOLDER).is_dir()), self.folder)

    def display_path(self, path: Path) -> str:
        """A template's path as shown in messages: from the project when it is in it."""
        path = path.resolve()
        if path.is_relative_to(self.project_root):
            return path.relative_to(self.project_root).as_posix()
        theme = next((theme for theme in self.chain if path.is_relative_to(theme.folder)), None)
        if theme is None:
            return path.as_posix()
        return f"<{theme.name} theme>/{path.relative_to(theme.folder).as_posix()}"


def load_theme(project_root: Path, name: str) -> tuple[Theme | None, list[Diagnostic]]:
    """The theme called `name` (the project's `themes/<name>/`, else the built-in one) with the themes it
    extends; None when it cannot be used. Also the problems found in their theme.yaml files."""
    project_root = project_root.resolve()
    chain, problems = theme_chain(project_root, name)
    if chain is None:
        return None, problems
    overrides = project_root / TEMPLATES_FOLDER
    dirs = [overrides] if overrides.is_dir() else []
    dirs += [theme.folder / TEMPLATES_FOLDER for theme in chain if (theme.folder / TEMPLATES_FOLDER).is_dir()]
    return Theme(name, chain[0].folder, tuple(dirs), project_root, chain[1:]), problems


def find_theme(project_root: Path, name: str) -> Theme | None:
    """The theme called `name` with the themes it extends, or None when it cannot be used (`load_theme` says why)."""
    return load_theme(project_root, name)[0]


def theme_chain(project_root: Path, name: str) -> tuple[tuple[ThemeFolder, ...] | None, list[Diagnostic]]:
    """The theme called `name` and every theme it extends, nearest first; None when one cannot be used.
    Also the problems found in their theme.yaml files."""
    root = project_root.resolve()
    chain: list[ThemeFolder] = []
    problems: list[Diagnostic] = []
    named_by: SourceFile | None = None  # the theme.yaml whose `extends:` names the theme looked for
    while True:
        folder = theme_folder(root, name)
        if folder is None:
            return None, [*problems, _unknown(root, name, named_by)]
        if any(theme.name == name for theme in chain):
            return None, [*problems, _circle(chain, name, named_by)]
        manifest, source, found = _manifest(root, name, folder)
        problems += found
        if manifest is None or any(problem.is_error for problem in found):
            return None, problems
        chain.append(ThemeFolder(name, folder))
        if manifest.extends is None:
            return tuple(chain), problems
        name, named_by = manifest.extends, source


def theme_folder(project_root: Path, name: str) -> Path | None:
    """The folder of the theme called `name`: the project's `themes/<name>/`, else the built-in one."""
    local = project_root / THEMES_FOLDER / name
    if (local / TEMPLATES_FOLDER).is_dir() or (local / THEME_FILE).is_file():
        return local.resolve()
    found = builtin_theme(name)
    return found.resolve() if found is not None else None


def _manifest(root: Path, name: str, folder: Path) -> tuple[ThemeManifest | None, SourceFile | None, list[Diagnostic]]:
    """What the theme's theme.yaml says (all defaults when it has none), the file, and its problems."""
    path = folder / THEME_FILE
    if not path.is_file():
        return ThemeManifest(), None, []
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else f"<{name} theme>/{THEME_FILE}"
    try:
        data = read_regular(path, MANIFEST_LIMIT, follow_links=True)
    except OSError as exc:
        return None, None, [Diagnostic(rel, 0, 0, f"the file cannot be read: {exc.strerror or exc}")]
    if len(data) > MANIFEST_LIMIT:
        return None, None, [Diagnostic(rel, 1, 1, "the file is over 1 MB; a theme.yaml holds a few lines")]
    text = read_text(data, rel)
    if isinstance(text, Diagnostic):
        return None, None, [text]
    document, problems = parse_yaml(text, rel, empty_ok=True)
    if document is None:
        return None, None, problems
    source = SourceFile(rel, "playbook", name, document)
    model, found = validate_model(source, ThemeManifest)
    return (model if isinstance(model, ThemeManifest) else None), source, [*problems, *found]


def _unknown(root: Path, name: str, named_by: SourceFile | None) -> Diagnostic:
    """No theme by that name: in playbook.yaml's `theme:`, or in a theme.yaml's `extends:`."""
    if named_by is None:
        hint = "use `default`, or add themes/<name>/ with templates/, or with a theme.yaml that extends a theme"
        return Diagnostic(SETTINGS_FILE, 0, 0, f"no theme '{name}'", hint)
    folder = root / THEMES_FOLDER
    known = sorted({BUILT_IN, *(p.name for p in folder.iterdir() if p.is_dir())} if folder.is_dir() else {BUILT_IN})
    hint = did_you_mean(name, known) or f"extend `{BUILT_IN}`, or a theme under {THEMES_FOLDER}/"
    return locate(named_by, Problem(("extends",), f"no theme '{name}' to extend", hint))


def _circle(chain: list[ThemeFolder], name: str, named_by: SourceFile | None) -> Diagnostic:
    """Themes that extend each other in a circle, said at the `extends:` that closes it."""
    assert named_by is not None  # the first theme is named by playbook.yaml, so a repeat comes from a theme.yaml
    names = [theme.name for theme in chain[next(i for i, t in enumerate(chain) if t.name == name) :]]
    circle = " -> ".join([*names, name])
    hint = f"one of them must extend `{BUILT_IN}`, or nothing, for the chain to end"
    if name == BUILT_IN:  # the project's own `default` hides the built-in one
        hint = f"a theme of the project named `{BUILT_IN}` takes the built-in one's place; give it another name"
    return locate(named_by, Problem(("extends",), f"themes extend each other in a circle: {circle}", hint))
