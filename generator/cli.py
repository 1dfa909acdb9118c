"""The `playbook` command: new, build, check and schema. The only module that prints or exits."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .command_help import DESCRIPTION, EDIT_HELP, EPILOG, NEW_WRITES, VERBOSE_HELP, ZIP_HELP
from .errors import Diagnostic, PlaybookError
from .names import CACHE_FOLDER, OUTPUT_FOLDER, OUTPUT_MARKER, SETTINGS_FILE

KINDS = ("playbook", "program", "worksheet", "checklist", "guide", "cohort")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    # Other libraries stay at warnings even with -v: markdown-it alone logs a line per rule per text.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Set either way, so that a second run in the same process does not keep the first one's -v.
    logging.getLogger("generator").setLevel(logging.DEBUG if args.verbose else logging.NOTSET)
    if not args.verbose:  # WeasyPrint notes every CSS rule it does not support; only -v wants those
        for noisy in ("weasyprint", "fontTools"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args, parser))
    except PlaybookError as exc:
        _report(exc.diagnostics, failed=True)
        return 1
    except KeyboardInterrupt:
        print(f"playbook: interrupted{_kept(args.command)}", file=sys.stderr)
        return 130
    except OSError as exc:  # the disk is full, a folder is read-only, a file vanished mid-build...
        where = f": {exc.filename}" if exc.filename else ""
        print(f"playbook: {exc.strerror or exc}{where}{_kept(args.command)}", file=sys.stderr)
        return 1


def _kept(command: str) -> str:
    """What a stopped command left: a build swaps its output in whole, so a stopped one left the old site."""
    return "; the previous output was left as it was" if command == "build" else ""


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="playbook", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (_add_new, _add_build, _add_check, _add_serve, _add_clean, _add_schema):
        add(commands)
    return parser


def _add_new(commands: Any) -> None:
    new = _command(commands, "new", _new, "start a playbook project from the example", NEW_WRITES)
    new.formatter_class = argparse.RawDescriptionHelpFormatter  # keep the list of files as it is laid out
    new.add_argument("dir", metavar="DIR", type=Path, help="the folder to create; it must not exist or be empty")


def _add_build(commands: Any) -> None:
    build = _command(
        commands,
        "build",
        _build,
        "build the site",
        "Check the project in DIR and write its site to OUT. A failed build leaves OUT as it was.",
    )
    _project_options(build)
    _verbose_option(build)
    build.add_argument(
        "-o", "--output", metavar="OUT", type=Path, help=f"where to write the site (default: DIR/{OUTPUT_FOLDER})"
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="read, make and write everything afresh, ignoring the content cache and the previous output",
    )
    build.add_argument(
        "--pdf",
        action="store_true",
        help="also write each program's booklets as PDF (needs WeasyPrint: pip install 'mentor-playbook[pdf]', "
        "or pip install '.[pdf]' in a checkout of Playbook)",
    )
    build.add_argument("--zip", metavar="FILE", type=Path, help=ZIP_HELP)


def _add_check(commands: Any) -> None:
    check = _command(
        commands,
        "check",
        _check,
        "find every problem, write nothing",
        "Validate every file of the project in DIR and check every link, without writing anything.",
    )
    _project_options(check)
    _verbose_option(check)


def _add_serve(commands: Any) -> None:
    serve = _command(
        commands,
        "serve",
        _serve,
        "build, serve and rebuild as files change",
        "Build the project in DIR, serve it, and rebuild whatever a change touches; open pages reload by "
        "themselves. While the content has problems, pages show them over the last good build.",
    )
    _project_options(serve, strict=False)
    _verbose_option(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this computer only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000, or the next free one)")
    serve.add_argument("--open", action="store_true", help="open the site in the web browser")
    serve.add_argument("--edit", action="store_true", help=EDIT_HELP)


def _add_clean(commands: Any) -> None:
    clean = _command(
        commands,
        "clean",
        _clean,
        "delete the content cache and the built site",
        f"Delete the content cache (DIR/{CACHE_FOLDER}) and the output folder, if a build made it. "
        "The next build then starts from nothing.",
    )
    _project_options(clean, strict=False)
    clean.add_argument(
        "-o", "--output", metavar="OUT", type=Path, help=f"the output folder (default: DIR/{OUTPUT_FOLDER})"
    )


def _add_schema(commands: Any) -> None:
    schema = _command(
        commands,
        "schema",
        _schema,
        "print the JSON Schema of the YAML files",
        "Print a JSON Schema that editors can use to check and complete the YAML files as you type.",
    )
    schema.add_argument(
        "kind", metavar="KIND", nargs="?", choices=KINDS, help=f"one kind of file: {', '.join(KINDS)} (default: all)"
    )


def _command(commands: Any, name: str, run: Any, summary: str, description: str) -> argparse.ArgumentParser:
    command: argparse.ArgumentParser = commands.add_parser(name, help=summary, description=description)
    command.set_defaults(command=name, run=run)
    return command


def _verbose_option(command: argparse.ArgumentParser) -> None:
    """`-v` after a command that has stages to log (`playbook serve -v`), as well as before it."""
    # Not given here, it leaves the value given before the command.
    command.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP)


def _project_options(command: argparse.ArgumentParser, *, strict: bool = True) -> None:
    command.add_argument(
        "dir",
        metavar="DIR",
        type=Path,
        nargs="?",
        default=Path("."),
        help="the project folder (default: the current folder)",
    )
    if strict:
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")


def _project_dir(path: Path, parser: argparse.ArgumentParser) -> Path:
    if not path.is_dir():
        parser.error(f"{path} is not a folder")
    return path


def _new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .output import write_new_folder
    from .scaffold import example_files

    target: Path = args.dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        parser.error(f"{target} already exists and is not empty; choose a new folder name")
    files = example_files()
    write_new_folder(args.dir, files)
    print(f"Created {args.dir} with the example playbook ({len(files)} files).")
    print(f"Next: playbook build {args.dir}   then open {args.dir / OUTPUT_FOLDER / 'index.html'}")
    print("To publish it: the top of .github/workflows/pages.yml, .gitlab-ci.yml or netlify.toml says how.")
    return 0


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    project = _project_dir(args.dir, parser)
    started = time.perf_counter()
    if args.pdf:
        from .pdf import missing_weasyprint

        problem = missing_weasyprint()
        if problem is not None:
            parser.error(problem)
    out_dir = args.output if args.output is not None else project / OUTPUT_FOLDER
    if not args.no_cache and args.zip is None:  # a zip's read-me is made from the checked project
        from .uptodate import up_to_date  # light: answers before the rest of Playbook is even loaded

        warnings = up_to_date(project, out_dir, {"pdf": args.pdf, "strict": args.strict})
        if warnings is not None:
            for line in warnings:
                print(line, file=sys.stderr)
            if not args.quiet:
                seconds = time.perf_counter() - started
                print(f"The site in {out_dir} is up to date: nothing changed since the last build ({seconds:.2f} s)")
            return 0
    from .build import build
    from .output import zip_path_problem
    from .site_zip import zip_site

    if args.zip is not None and (wrong := zip_path_problem(args.zip, project, out_dir)):
        parser.error(f"--zip: {wrong[0]}; {wrong[1]}")
    if args.pdf and not args.quiet:
        print("Making the site and its PDF booklets; the PDFs take a few seconds each.", flush=True)
    had_site = (out_dir / OUTPUT_MARKER).is_file()
    try:
        result = build(project, args.output, strict=args.strict, pdf=args.pdf, cache=not args.no_cache)
    except PlaybookError as exc:
        _report(exc.diagnostics, failed=True)
        if had_site and not args.quiet:
            print(f"The previous site in {out_dir} was kept as it was.", file=sys.stderr)
        return 1
    _report(result.warnings)
    zipped = zip_site(result, args.zip) if args.zip is not None else None  # its problems: main() reports them
    if not args.quiet:
        seconds = time.perf_counter() - started
        if not result.wrote:
            print(f"The site in {result.out_dir} is up to date ({result.pages} pages), checked in {seconds:.2f} s")
        else:
            kept = f"; {result.pages - result.rendered} unchanged" if result.rendered < result.pages else ""
            print(f"Built {result.pages} pages ({result.files} files{kept}) into {result.out_dir} in {seconds:.2f} s")
        if zipped is not None:
            print(f"Zipped the site into {zipped.path} ({zipped.size_text}); unzipped, {zipped.opens} opens it")
    return 0


def _clean(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .build import clean

    removed = clean(_project_dir(args.dir, parser), args.output)
    print("Deleted " + " and ".join(str(path) for path in removed) if removed else "Nothing to delete.")
    return 0


def _check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .build import check

    checked = check(_project_dir(args.dir, parser), strict=args.strict)
    _report(checked.warnings)
    print(f"No errors: {checked.pages} pages would be built from {args.dir}")
    return 0


def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .serve import DevServer

    project = _project_dir(args.dir, parser)
    if not (project / SETTINGS_FILE).is_file():  # nothing to serve, and nothing to watch for
        message = f"no {SETTINGS_FILE} in {project.resolve()}"
        hint = "is this a playbook project? `playbook new DIR` makes one"
        raise PlaybookError([Diagnostic(SETTINGS_FILE, 0, 0, message, hint)])
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be from 0 to 65535, not {args.port}")
    if args.edit and args.host.lower() not in ("127.0.0.1", "localhost", "::1"):
        parser.error(f"--edit works only on this computer (--host 127.0.0.1, localhost or ::1), not on {args.host}")
    try:
        server = DevServer(project, args.host, args.port, lambda line: print(line, flush=True), edit=args.edit)
    except OSError as exc:
        parser.error(f"cannot listen on {args.host}:{args.port}: {exc}")
    if server.http.server_address[1] != args.port and args.port:
        print(f"Port {args.port} is in use, so the site is on port {server.http.server_address[1]}.")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {args.host}: other computers on the network can see the site.")
    server.start()
    try:  # from before "Serving" is said: a Ctrl-C as soon as it is read stops the server cleanly
        print(f"Serving {project} at {server.url} (press Ctrl-C to stop)", flush=True)
        if server.editor is not None:
            print(f"Editing is on: open {server.edit_url}", flush=True)
            print("  Anyone with this link can change the playbook's files, until the server stops.", flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(server.edit_url or server.url)
        # Woken twice a second: the system may hand a Ctrl-C to another thread, and a wait with no end
        # would then never see it.
        idle = threading.Event()  # never set: Ctrl-C ends the wait
        while not idle.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("\nStopping.")
    finally:
        server.stop()
    return 0


def _schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .schema import json_schema

    print(json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False))
    return 0


def _report(diagnostics: Sequence[Diagnostic], *, failed: bool = False) -> None:
    """Print each problem, then how many there are when they stopped the command."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors:
        print(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}", file=sys.stderr)
    elif failed and warnings:
        print(f"{_count(warnings, 'warning')}, which --strict treats as errors", file=sys.stderr)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
