"""What `--pdf` costs: the example playbook built with and without PDFs, side by side.

- cold: `playbook build --no-cache` into an empty folder, with and without `--pdf`;
- edit: one guide's text edited, then `playbook build` with the cache and the previous output,
  with and without `--pdf` (each in its own copy of the example, built once before).

The runs with and without `--pdf` alternate, so that both see the same load on a shared machine;
each figure is the median of `repeat` runs, and the ratios are of those medians.

    python benchmarks/pdf_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EDITED_GUIDE = Path("content/guides/protege/focus-areas.md")
MADE = re.compile(r"made \d+ PDFs \((\d+) pages, ([\d.]+) pages/s")


def copy_example(folder: Path) -> Path:
    """A copy of this repository's example playbook in `folder`."""
    folder.mkdir(parents=True)
    shutil.copy2(REPO / "playbook.yaml", folder)
    shutil.copytree(REPO / "content", folder / "content")
    return folder


def build(project: Path, out: Path, *options: str) -> tuple[float, str]:
    """Seconds one `playbook -v build` takes, and what it logged."""
    command = [sys.executable, "-m", "generator", "-v", "build", str(project), "-o", str(out), "-q", *options]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
    return time.perf_counter() - started, done.stderr


def edit_guide(project: Path, run: int) -> None:
    """Add a sentence to a guide (one no booklet prints), as a writer saving their work would."""
    with (project / EDITED_GUIDE).open("a", encoding="utf-8") as guide:
        guide.write(f"\nA sentence added by edit {run} of the benchmark.\n")


def measure_pdf(repeat: int = 3) -> dict[str, float]:
    """Cold and after-an-edit builds of the example, with and without `--pdf`: seconds (medians) and ratios."""
    with tempfile.TemporaryDirectory(prefix="playbook-pdf-speed-") as temp:
        folder = Path(temp)
        project = copy_example(folder / "cold")
        cold: dict[str, list[float]] = {"plain": [], "pdf": []}
        rates: list[float] = []
        for _ in range(repeat):
            for name, options in (("plain", ()), ("pdf", ("--pdf",))):
                out = folder / f"cold-{name}"
                shutil.rmtree(out, ignore_errors=True)
                seconds, log = build(project, out, "--no-cache", *options)
                cold[name].append(seconds)
                rates += [float(found[2]) for found in MADE.finditer(log)]
        edit: dict[str, list[float]] = {"plain": [], "pdf": []}
        projects = {name: copy_example(folder / f"edit-{name}") for name in edit}
        options_of = {"plain": (), "pdf": ("--pdf",)}
        for name, project in projects.items():
            build(project, project / "_site", *options_of[name])  # leaves the cache and the output
        for run in range(repeat):
            for name, project in projects.items():
                edit_guide(project, run)
                edit[name].append(build(project, project / "_site", *options_of[name])[0])
    figures = {f"cold_{name}_s": statistics.median(times) for name, times in cold.items()}
    figures.update({f"edit_{name}_s": statistics.median(times) for name, times in edit.items()})
    figures["cold_ratio"] = figures["cold_pdf_s"] / figures["cold_plain_s"]
    figures["edit_ratio"] = figures["edit_pdf_s"] / figures["edit_plain_s"]
    if rates:
        figures["pages_per_s"] = statistics.median(rates)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = measure_pdf(args.repeat)
    print(
        f"example, cold (--no-cache):  {figures['cold_plain_s']:6.2f} s, with --pdf {figures['cold_pdf_s']:6.2f} s",
        end="",
    )
    print(f"   {figures['cold_ratio']:.1f}x (target <= 5x)")
    print(
        f"example, one guide edited:   {figures['edit_plain_s']:6.2f} s, with --pdf {figures['edit_pdf_s']:6.2f} s",
        end="",
    )
    print(f"   {figures['edit_ratio']:.2f}x (target <= 1.2x)")
    if "pages_per_s" in figures:
        print(f"PDF pages made per second (cold): {figures['pages_per_s']:.1f}")


if __name__ == "__main__":
    main()
