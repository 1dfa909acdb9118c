"""Write a playbook of N guides (with programs, worksheets and checklists in proportion) for benchmarks.

The same N and seed always give the same files. Guides are about 600 words of
realistic Markdown: headings, paragraphs, a list, a table, a task list, an
admonition and links to other guides, worksheets and checklists. Words are drawn
from a made-up vocabulary with a long tail, as in real prose.

    python benchmarks/corpus.py 5000 /tmp/corpus-5000
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
from pathlib import Path

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "to",
    "su",
    "vi",
    "pe",
    "da",
    "lu",
    "mo",
    "ri",
    "sa",
    "te",
    "no",
    "fi",
    "ga",
    "bu",
    "he",
    "ji",
    "ko",
    "la",
    "me",
    "nu",
    "pi",
    "ro",
    "si",
    "tu",
    "ve",
]
COMMON = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "for",
    "is",
    "on",
    "that",
    "with",
    "as",
    "it",
    "be",
    "at",
    "by",
    "this",
    "you",
    "are",
    "from",
    "or",
    "your",
    "can",
    "have",
    "will",
    "an",
    "mentor",
    "protégé",
    "meeting",
    "plan",
    "goal",
    "month",
    "role",
    "year",
    "work",
    "team",
    "manager",
    "career",
    "feedback",
    "review",
    "agenda",
    "notes",
    "action",
    "owner",
    "date",
    "time",
    "week",
    "question",
    "answer",
    "next",
    "first",
    "last",
    "good",
    "clear",
    "help",
    "ask",
]


class Writer:
    """Deterministic text: common words most of the time, a long tail of rarer ones."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        rare = random.Random(seed + 1)
        self.vocabulary = ["".join(rare.choice(SYLLABLES) for _ in range(rare.randint(2, 4))) for _ in range(20000)]
        # Zipf's law, as in real prose: the word of rank r comes up about 1/r as often as the first.
        self.weights = list(itertools.accumulate(1 / rank for rank in range(1, len(self.vocabulary) + 1)))

    def word(self) -> str:
        if self.random.random() < 0.45:
            return self.random.choice(COMMON)
        return self.random.choices(self.vocabulary, cum_weights=self.weights)[0]

    def words(self, count: int) -> str:
        return " ".join(self.word() for _ in range(count))

    def sentence(self) -> str:
        text = self.words(self.random.randint(8, 18))
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.random.randint(3, 5)))


def guide_text(w: Writer, number: int, guides: int, worksheets: int, checklists: int) -> str:
    """About 600 words of Markdown with every feature the generator supports."""
    other = w.random.randrange(guides)
    folder = f"../g{other // 1000}/" if other // 1000 != number // 1000 else ""  # guides live in folders of 1,000
    sections = []
    for section in range(4):
        parts = [f"## {w.words(3).capitalize()} {section + 1}", w.paragraph(), w.paragraph()]
        if section == 0:
            parts.append("\n".join(f"- {w.sentence()}" for _ in range(4)))
        if section == 1:
            rows = "\n".join(f"| {w.words(2)} | {w.words(3)} | {w.random.randint(1, 12)} |" for _ in range(3))
            parts.append(f"| Topic | Notes | Month |\n|---|---|---|\n{rows}")
        if section == 2:
            parts.append("\n".join(f"- [ ] {w.sentence()}" for _ in range(3)))
            parts.append(f"::: tip\n{w.sentence()}\n:::")
        if section == 3:
            parts.append(
                f"See [a related guide]({folder}g{other:05d}.md), the [worksheet](../../worksheets/w{number % worksheets:03d}.yaml) "
                f"and the [checklist](../../checklists/c{number % checklists:03d}.yaml)."
            )
        sections.append("\n\n".join(parts))
    front = f"---\ntitle: {w.words(4).capitalize()}\nsummary: {w.sentence()}\norder: {number}\n---\n\n"
    return front + w.paragraph() + "\n\n" + "\n\n".join(sections) + "\n"


def guide_id(number: int) -> str:
    """Guides live in folders of a thousand: g0/g00000 ... g4/g04999."""
    return f"g{number // 1000}/g{number:05d}"


def worksheet_text(w: Writer) -> str:
    fields = []
    for index, kind in enumerate(["short_text", "long_text", "list", "date", "scale", "choice", "table"] * 2):
        extra = {"choice": "\n        options: [One, Two, Three]", "table": "\n        columns: [Name, Notes]"}.get(
            kind, ""
        )
        fields.append(f"      - id: f{index}\n        label: {w.words(6).capitalize()}?\n        type: {kind}{extra}")
    return (
        f"title: {w.words(3).capitalize()}\nsummary: {w.sentence()}\nowner: protege\nsections:\n  - title: {w.words(2).capitalize()}\n    fields:\n"
        + "\n".join(fields)
        + "\n"
    )


def checklist_text(w: Writer) -> str:
    moments = ["before", "during", "after", "-1 week", "+3 days"]
    items = "\n".join(
        f"  - text: {w.sentence()}\n    owner: {w.random.choice(['mentor', 'protege'])}\n    when: {w.random.choice(moments)}"
        for _ in range(12)
    )
    return f"title: {w.words(3).capitalize()}\nsummary: {w.sentence()}\nitems:\n{items}\n"


def program_text(w: Writer, guides: int, worksheets: int, checklists: int) -> str:
    months = []
    for number in range(1, 13):
        months.append(
            f"  - number: {number}\n    title: {w.words(3).capitalize()}\n    goal: {w.sentence()}\n"
            f"    prepare:\n      mentor: [{w.words(6)}]\n      protege: [{w.words(6)}]\n"
            f"    agenda:\n"
            + "".join(f"      - topic: {w.words(4)}\n        owner: mentor\n        minutes: 10\n" for _ in range(5))
            + f"    worksheets: [w{w.random.randrange(worksheets):03d}]\n    checklists: [c{w.random.randrange(checklists):03d}]\n"
            f"    guides: [{guide_id(w.random.randrange(guides))}]\n"
        )
    return f"title: {w.words(3).capitalize()}\nsummary: {w.sentence()}\nmonths:\n" + "".join(months)


def write_corpus(guides: int, out: Path, seed: int = 1) -> Path:
    """Write the playbook into `out` (replacing it) and return `out`."""
    w = Writer(seed)
    worksheets, checklists, programs = max(4, guides // 50), max(3, guides // 50), max(1, guides // 500)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    out.mkdir(parents=True)
    (out / "playbook.yaml").write_text(
        "title: Benchmark playbook\nroles:\n  - {id: mentor, name: Mentor}\n  - {id: protege, name: Protégé}\n",
        encoding="utf-8",
    )
    for number in range(guides):
        path = content / "guides" / f"{guide_id(number)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(guide_text(w, number, guides, worksheets, checklists), encoding="utf-8")
    for kind, count, make in (("worksheets", worksheets, worksheet_text), ("checklists", checklists, checklist_text)):
        (content / kind).mkdir(parents=True)
        for number in range(count):
            (content / kind / f"{kind[0]}{number:03d}.yaml").write_text(make(w), encoding="utf-8")
    (content / "programs").mkdir()
    for number in range(programs):
        (content / "programs" / f"p{number:02d}.yaml").write_text(
            program_text(w, guides, worksheets, checklists), encoding="utf-8"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("guides", type=int, help="how many guides")
    parser.add_argument("out", type=Path, help="the folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.guides, args.out, args.seed)


if __name__ == "__main__":
    main()
