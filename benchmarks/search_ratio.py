"""The search index's time against the Markdown pass's, in one process, on a playbook of N guides.

The Markdown pass is every guide and Markdown field rendered (what `plan_site` hands its
`render`); the search index is `build_once` run to its last file. Both run in this process
only (`PLAYBOOK_WORKERS=1`), timed in CPU seconds of this process (steadier than the clock on a
busy machine), so the ratio says how much work each is, not how the cores share it.

    python benchmarks/search_ratio.py [--size 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent))

from benchmarks.corpus import write_corpus


def measure_search_ratio(size: int, repeat: int = 3) -> dict[str, float]:
    """Medians over `repeat` runs: {"markdown_s", "search_s", "ratio"} (search over Markdown), one process."""
    before = os.environ.get("PLAYBOOK_WORKERS")
    os.environ["PLAYBOOK_WORKERS"] = "1"
    try:
        with tempfile.TemporaryDirectory() as folder:
            corpus = write_corpus(size, Path(folder) / "corpus")
            runs = [_one_run(corpus) for _ in range(repeat)]
    finally:
        if before is None:
            del os.environ["PLAYBOOK_WORKERS"]
        else:
            os.environ["PLAYBOOK_WORKERS"] = before
    markdown = statistics.median(m for m, _ in runs)
    search = statistics.median(s for _, s in runs)
    return {"markdown_s": markdown, "search_s": search, "ratio": search / markdown}


def _one_run(corpus: Path) -> tuple[float, float]:
    """The seconds of the Markdown pass and of the search index, for a playbook read and checked afresh."""
    from generator.kinds import plan_pages
    from generator.loader import load_project
    from generator.markdown import create_markdown
    from generator.prose import render_texts
    from generator.search import build_once
    from generator.site import plan_site
    from generator.validate import validate

    playbook, problems = validate(load_project(corpus))
    assert playbook is not None, problems
    md = create_markdown(allow_html=playbook.settings.markdown.allow_html)
    pages = tuple(plan_pages(playbook))
    spent = [0.0]

    def timed_render(md: Any, targets: Any, texts: Sequence[Any]) -> list[Any]:
        start = time.process_time()
        rendered = render_texts(md, targets, texts)
        spent[0] += time.process_time() - start
        return rendered

    site, _ = plan_site(playbook, md, pages, render=timed_render)
    start = time.process_time()
    for _ in build_once(site):
        pass
    return spent[0], time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = measure_search_ratio(args.size, args.repeat)
    print(
        f"N = {args.size:,}, one process, median of {args.repeat}: Markdown {figures['markdown_s']:.2f} s, "
        f"search index {figures['search_s']:.2f} s, ratio {figures['ratio']:.2f}"
    )


if __name__ == "__main__":
    main()
