"""The floor: every guide's Markdown rendered by markdown-it-py into a minimal page, on every core.

No validation, no links checked, no navigation, no search: the least work any Python
site generator with this Markdown must do. It uses the same Markdown extensions as
Playbook (tables, strikethrough, task lists, footnotes, definition lists, heading
anchors, admonitions), without Playbook's own rules.

    python benchmarks/floor.py CORPUS OUT
"""

from __future__ import annotations

import argparse
import os
from multiprocessing import Pool
from pathlib import Path

from jinja2 import Template
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

PAGE = Template(
    "<!DOCTYPE html><html><head><meta charset=utf-8><title>{{ title }}</title></head><body><main>{{ body }}</main></body></html>\n"
)


def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(tasklists_plugin, enabled=True).use(anchors_plugin, max_level=6)
    for name in ("note", "tip", "important", "warning", "caution"):
        md.use(container_plugin, name=name)
    return md


MD = markdown()


def render(job: tuple[str, str]) -> None:
    source, target = job
    text = Path(source).read_text(encoding="utf-8")
    _, _, body = text.split("---\n", 2) if text.startswith("---\n") else ("", "", text)
    title = next((line[7:] for line in text.splitlines() if line.startswith("title: ")), "")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(PAGE.render(title=title, body=MD.render(body)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    guides = args.corpus / "content" / "guides"
    jobs = [
        (str(path), str(args.out / path.relative_to(guides).with_suffix(".html")))
        for path in sorted(guides.rglob("*.md"))
    ]
    with Pool(os.cpu_count()) as pool:
        pool.map(render, jobs, chunksize=max(1, len(jobs) // ((os.cpu_count() or 1) * 8)))


if __name__ == "__main__":
    main()
