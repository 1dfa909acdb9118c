"""Screenshots of every page type of the example playbook, to look at the site without building it by hand.

Builds the example (this repository's playbook.yaml and content/) from a temporary copy, so the
checkout is left as it is, opens each page type in Debian's Chromium at 360 px (as a phone) and
1280 px, in light and dark, and saves a full-page PNG of each:

    OUT/360-light/home.png   OUT/360-dark/home.png   OUT/1280-light/month.png   ...

The page types made for paper (checklist, meeting card and cards, booklet, worksheet) are also printed to
A4 PDF and each printed page is saved as OUT/print/<type>-<page>.png (needs pdftoppm, from
Debian's poppler-utils). With --lens ROLE the pages are shown as that role's reader sees them,
and the folders are named e.g. OUT/360-dark-mentor/. With --language TAG the example is built in
that language (e.g. `ar`, written right to left), and the folders are named e.g. OUT/360-light-ar/
and OUT/print-ar/. With --tree TAG the example is published in English and TAG (`languages: [en, TAG]`,
its content untranslated) and the pages of TAG's tree are shot: the language switcher, and the notice an
untranslated page shows; the folders are named as with --language.

Needs `pip install '.[test]'` and Debian's chromium; Playwright never downloads a browser here.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# The checkout's generator and theme, as under pytest (pythonpath = ["."]), not an older installed copy.
sys.path[:0] = [p for p in (str(REPO), str(TESTS)) if p not in sys.path]

from conftest import CHROMIUM_ARGS, chromium_path
from sitecheck import PAGE_TYPES, PRINTED, SCHEMES, WIDTHS, storage_key, view


def slug(kind: str) -> str:
    """A page type's file name: `meeting card` -> `meeting-card`."""
    return kind.replace(" ", "-")


def page_type(text: str) -> str:
    """A page type named on the command line, with hyphens or spaces."""
    kind = text.replace("-", " ")
    if kind not in PAGE_TYPES:
        raise argparse.ArgumentTypeError(
            f"unknown page type {text!r}; expected one of {', '.join(map(slug, PAGE_TYPES))}"
        )
    return kind


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    types = ", ".join(map(slug, PAGE_TYPES))
    parser = argparse.ArgumentParser(
        prog="python tests/screenshots.py",
        description=__doc__,
        epilog=f"page types: {types}\nprinted: {', '.join(map(slug, PRINTED))}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: a new temporary folder)")
    parser.add_argument("--only", nargs="+", type=page_type, metavar="KIND", help="only these page types")
    parser.add_argument("--lens", metavar="ROLE", help="show the pages through this role's lens, e.g. mentor")
    parser.add_argument("--language", metavar="TAG", help="build the example in this language, e.g. ar")
    parser.add_argument(
        "--tree", metavar="TAG", help="publish the example in English and TAG, and shoot TAG's tree, e.g. fr"
    )
    parser.add_argument("--scale", type=float, default=1, help="device pixels per CSS pixel (default: 1)")
    parser.add_argument("--no-print", action="store_true", help="skip printing to PDF")
    return parser.parse_args(argv)


def build_example(folder: Path, language: str = "", tree: str = "") -> Path:
    """The example site, built from a copy of the example in `folder`, in `language` if given, with a tree in
    the language `tree` if given (then that tree's root); reads the checkout only."""
    from generator.build import build

    project = folder / "project"
    project.mkdir()
    settings = (REPO / "playbook.yaml").read_text(encoding="utf-8")
    if language:
        settings = re.sub(r"^language:.*$", lambda _: f"language: {language}", settings, count=1, flags=re.MULTILINE)
    if tree:
        settings = re.sub(
            r"^language:.*$", lambda m: f"{m[0]}\nlanguages: [en, {tree}]", settings, count=1, flags=re.MULTILINE
        )
    (project / "playbook.yaml").write_text(settings, encoding="utf-8")
    shutil.copytree(REPO / "content", project / "content")
    site = folder / "site"
    build(project, site, cache=False)
    return site / tree.lower() if tree else site


def lens_roles(site: Path) -> list[str]:
    """The roles the site's lens offers, from the home page's <select id="lens">."""
    home = (site / "index.html").read_text(encoding="utf-8")
    select = re.search(r'<select id="lens">(.*?)</select>', home, re.DOTALL)
    return re.findall(r'<option value="([^"]+)"', select.group(1)) if select else []


def print_to_pngs(page: Any, kind: str, folder: Path, printed: Path) -> int:
    """Print the open page to an A4 PDF and save each of its pages as PNG; how many pages it printed."""
    pdf = folder / f"{slug(kind)}.pdf"
    page.pdf(path=str(pdf), format="A4")
    printed.mkdir(parents=True, exist_ok=True)
    for old in printed.glob(f"{slug(kind)}-[0-9]*.png"):  # a longer earlier print would leave pages behind
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(printed / slug(kind))], check=True)
    return len(list(printed.glob(f"{slug(kind)}-[0-9]*.png")))


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, which never downloads a browser of its own here."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise SystemExit("Chromium is not installed: apt-get install chromium (or set PLAYBOOK_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def take(
    browser: Any,
    site: Path,
    out: Path,
    kinds: Sequence[str],
    *,
    lens: str = "",
    language: str = "",
    scale: float = 1,
    printing: bool = True,
) -> int:
    """Screenshots of `kinds` of the built `site` into `out`, one progress line per kind; how many files."""
    if printing and shutil.which("pdftoppm") is None:
        print("pdftoppm is missing (apt-get install poppler-utils): printed pages are skipped")
        printing = False
    suffix = "".join(f"-{name}" for name in (language, lens) if name)
    printed = out / f"print-{language}" if language else out / "print"
    lens_key = json.dumps(f"playbook:{storage_key(site)}:lens")
    contexts = {
        (width, scheme): browser.new_context(**view(width, scheme, scale)) for width in WIDTHS for scheme in SCHEMES
    }
    errors: list[str] = []
    made = 0
    try:
        tabs: dict[tuple[int, str], Any] = {}
        for (width, scheme), context in contexts.items():
            if lens:  # before the page's own first script reads it, as for a reader who chose it earlier
                context.add_init_script(f"try{{localStorage.setItem({lens_key},{json.dumps(lens)})}}catch(e){{}}")
            tab = tabs[width, scheme] = context.new_page()
            tab.on("pageerror", lambda error, w=width, s=scheme: errors.append(f"{w}-{s}: {error}"))
            (out / f"{width}-{scheme}{suffix}").mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="playbook-shots-pdf-") as pdfs:
            for kind in kinds:
                url = f"{site.as_uri()}/{PAGE_TYPES[kind]}"
                errors.clear()
                for (width, scheme), tab in tabs.items():
                    tab.goto(url)
                    tab.screenshot(path=str(out / f"{width}-{scheme}{suffix}" / f"{slug(kind)}.png"), full_page=True)
                line = f"{kind}: {len(tabs)} screenshots"
                made += len(tabs)
                if printing and kind in PRINTED:
                    pages = print_to_pngs(tabs[max(WIDTHS), "light"], kind, Path(pdfs), printed)
                    made += pages
                    line += f", {pages} printed page{'s' if pages != 1 else ''}"
                print(line + "".join(f"\n  script error at {error}" for error in errors), flush=True)
    finally:
        for context in contexts.values():
            context.close()
    return made


def main(argv: Sequence[str] | None = None, *, browser: Any = None) -> int:
    """The command line; `browser` is one already running (the tests'), else Chromium is started for the run."""
    args = parse(argv)
    out: Path = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="playbook-shots-"))
    kinds = list(dict.fromkeys(args.only or PAGE_TYPES))
    with tempfile.TemporaryDirectory(prefix="playbook-example-") as work:
        site = build_example(Path(work), args.language or "", args.tree or "")
        if args.lens and args.lens not in lens_roles(site):
            print(f"unknown role {args.lens!r}; expected one of {', '.join(lens_roles(site))}", file=sys.stderr)
            return 2
        with chromium() if browser is None else nullcontext(browser) as running:
            made = take(
                running,
                site,
                out,
                kinds,
                lens=args.lens or "",
                language=args.language or args.tree or "",
                scale=args.scale,
                printing=not args.no_print,
            )
    print(f"{made} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
