"""`playbook build --pdf`: booklets as PDF with contents whose page numbers are right, headers and page numbers."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import REPO
from generator.build import build

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test extra: pip install '.[test]'")
TOC_LINE = re.compile(r"^(.+?)\s*\.{3,}\s*(\d+)$")
PROGRAM = "The twelve-month mentoring program"


@pytest.fixture(scope="module")
def pdf_site(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra: pip install '.[pdf]'")
    out = tmp_path_factory.mktemp("pdf") / "site"
    build(example_project, out, pdf=True, cache=False)
    return out


def read(path: Path) -> tuple[list[str], object]:
    reader = pypdf.PdfReader(path)
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages], reader


def test_every_booklet_is_written_as_pdf(pdf_site: Path) -> None:
    folder = pdf_site / "programs" / "twelve-months"
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "booklet-lead.pdf",
        "booklet-mentor.pdf",
        "booklet-protege.pdf",
        "booklet.pdf",
    ]
    assert 'href="booklet.pdf"' in (folder / "index.html").read_text()


def test_the_contents_page_numbers_are_right(pdf_site: Path) -> None:
    pages, _ = read(pdf_site / "programs" / "twelve-months" / "booklet.pdf")
    assert 40 <= len(pages) <= 150
    entries = [TOC_LINE.match(line.strip()) for page in pages[1:4] for line in page.splitlines()]
    listed = [(m[1], int(m[2])) for m in entries if m]
    months = [(title, number) for title, number in listed if title.startswith("Month ")]
    assert [int(title.split()[1].rstrip(":")) for title, _ in months] == list(range(1, 13))
    assert [number for _, number in months] == sorted(number for _, number in months)
    for title, number in listed:
        first_line = pages[number - 1].strip().splitlines()[0]
        assert first_line.startswith(title) or title in pages[number - 1], f"{title!r} is not on page {number}"
    for title, number in months:
        assert pages[number - 1].strip().startswith(title), f"{title!r} does not start page {number}"


def test_pages_have_a_running_header_and_numbers(pdf_site: Path) -> None:
    pages, _ = read(pdf_site / "programs" / "twelve-months" / "booklet.pdf")
    assert PROGRAM in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in text.strip().splitlines()]
        assert PROGRAM in lines, f"page {number} has no running header"
        assert str(number) in lines, f"page {number} has no page number"


def test_the_pdf_has_an_outline_of_the_months(pdf_site: Path) -> None:
    _, reader = read(pdf_site / "programs" / "twelve-months" / "booklet.pdf")
    titles = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item["/Title"])  # type: ignore[index]

    walk(reader.outline)  # type: ignore[attr-defined]
    assert all(f"Month {n}: " in " ".join(titles) for n in range(1, 13))


def test_a_role_booklet_is_shorter_and_only_that_roles(pdf_site: Path) -> None:
    everyone, _ = read(pdf_site / "programs" / "twelve-months" / "booklet.pdf")
    mentor, _ = read(pdf_site / "programs" / "twelve-months" / "booklet-mentor.pdf")
    assert len(mentor) < len(everyone)
    assert "The mentor's booklet" in mentor[0]


def test_without_weasyprint_pdf_says_how_to_install_it(example_project: Path, tmp_path: Path) -> None:
    hide = "import sys; sys.modules['weasyprint'] = None; from generator.cli import main; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", hide, "build", str(example_project), "-o", str(tmp_path / "out"), "--pdf"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert "PDF booklets need WeasyPrint" in result.stderr
    assert "pip install 'mentor-playbook[pdf]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
