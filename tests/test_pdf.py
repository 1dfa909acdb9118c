"""`playbook build --pdf`: booklets as PDF with contents whose page numbers are right, headers and page numbers."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO
from generator.build import build
from generator.pdf import make_pdf
from generator.site_zip import build_zip

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test extra: pip install '.[test]'")
TOC_LINE = re.compile(r"^(.+?)\s*\.{3,}\s*(\d+)$")
PROGRAM = "The twelve-month mentoring program"


@pytest.fixture(scope="module")
def pdf_site(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra: pip install '.[pdf]'")
    out = tmp_path_factory.mktemp("pdf") / "site"
    build_zip(example_project, out.with_name("site.zip"), out, pdf=True, cache=False)  # `build --pdf --zip`
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


def test_the_zip_of_the_site_holds_its_pdfs(pdf_site: Path) -> None:
    with zipfile.ZipFile(pdf_site.with_name("site.zip")) as opened:
        zipped = {name.removeprefix("mentoring-playbook/"): opened.read(name) for name in opened.namelist()}
    pdfs = {p.relative_to(pdf_site).as_posix(): p.read_bytes() for p in pdf_site.rglob("*.pdf")}
    assert len(pdfs) > 4
    assert {name: data for name, data in zipped.items() if name.endswith(".pdf")} == pdfs


def test_the_pdfs_details_give_the_edition_and_the_day_it_was_updated(pdf_site: Path) -> None:
    """What a PDF reader's "Properties" shows: the version as the subject, `updated` as the modification date."""
    for pdf in ("programs/twelve-months/booklet.pdf", "cohorts/spring-2027/pairs/amara-and-jon/pack.pdf"):
        details = pypdf.PdfReader(pdf_site / pdf).metadata
        assert details is not None
        assert details.subject == "Edition 2027.1 · updated December 1, 2026"
        assert str(details.get("/ModDate", "")).startswith("D:20261201")
    title = pypdf.PdfReader(pdf_site / "programs/twelve-months/booklet.pdf").metadata.title  # type: ignore[union-attr]
    assert title == f"{PROGRAM}: booklet · Mentoring Playbook"


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
    assert PROGRAM in " ".join(pages[0].split())  # the cover's title may run to two lines
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in text.strip().splitlines()]
        assert PROGRAM in lines, f"page {number} has no running header"
        assert f"{number} / {len(pages)}" in lines, f"page {number} has no page number"


def font_families(reader: object) -> set[str]:
    """The font families a PDF uses: "DejaVu-Sans" for ABCDEF+DejaVu-Sans-BoldOblique."""
    names = {
        str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
        for page in reader.pages  # type: ignore[attr-defined]
        for font in page["/Resources"].get("/Font", {}).values()
    }
    return {re.sub(r"(-(Bold|Oblique|Italic|Regular|Book|Medium))+$", "", name) for name in names}


def test_the_pdf_uses_one_font_family_for_text_header_and_page_numbers(pdf_site: Path) -> None:
    pages, reader = read(pdf_site / "programs" / "twelve-months" / "booklet.pdf")
    assert PROGRAM in pages[1] and f"2 / {len(pages)}" in pages[1]  # the running header and the page number
    assert len(font_families(reader)) == 1, font_families(reader)


def test_checkboxes_in_the_pdf_are_square_beside_items_of_two_lines(pdf_site: Path) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    booklet = pdf_site / "programs" / "twelve-months" / "booklet" / "lead" / "index.html"
    document = weasyprint.HTML(filename=booklet, media_type="print").render()
    sizes = []
    for page in document.pages:
        # WeasyPrint has no public API for its layout; its page box is what its own tests read.
        items = [box for box in page._page_box.descendants() if _classes(box) == {"check"}]
        for item in items:
            for box in item.descendants():
                if box.element_tag == "input" or "box" in _classes(box):
                    sizes.append((box.border_width(), box.border_height(), item.border_height()))
    assert len(sizes) > 20
    assert all(abs(width - height) < 0.5 for width, height, _ in sizes), sizes
    assert any(item > 2.5 * height for _, height, item in sizes)  # some items run to two lines or more


def _classes(box: object) -> set[str]:
    element = getattr(box, "element", None)
    return set(element.get("class", "").split()) if element is not None and box.element_tag else set()  # type: ignore[attr-defined]


def test_a_month_points_to_the_page_of_a_checklist_printed_once(pdf_site: Path) -> None:
    pages, _ = read(pdf_site / "programs" / "twelve-months" / "booklet.pdf")
    text = "\n".join(pages)
    references = re.findall(r"“Every monthly meeting” at the end of the booklet, page (\d+)", text.replace("\n", " "))
    assert len(references) == 12 and len(set(references)) == 1
    assert "Checklist: Every monthly meeting" in pages[int(references[0]) - 1]


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
    assert result.returncode == 2  # wrong use: --pdf asks for what this installation cannot do
    assert "PDF booklets need WeasyPrint" in result.stderr
    assert "pip install 'mentor-playbook[pdf]'" in result.stderr and "pip install '.[pdf]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_pairs_pack_is_a_pdf_of_its_dated_cards_one_a_page(pdf_site: Path) -> None:
    folder = pdf_site / "cohorts" / "spring-2027" / "pairs" / "beatriz-and-lena"
    pages, _ = read(folder / "pack.pdf")
    titles = [re.findall(r"^Month (\d+): ", page, re.MULTILINE) for page in pages]
    assert titles == [[str(n)] for n in range(1, 13)]  # one card a page, in order, none spilling over
    assert "Tuesday, January 26, 2027" in pages[0] and "Tuesday, December 28, 2027" in pages[11]
    assert 'href="pack.pdf"' in (folder / "index.html").read_text()


def pdfs_of(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*.pdf"))}


def made_and_reused(caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    """How many PDFs the last build made, and how many it reused though their pages' fingerprints changed."""
    text = " ".join(r.getMessage() for r in caplog.records if r.name == "generator.pdf")
    made = re.search(r"made (\d+) PDFs \((\d+) pages, [\d.]+ pages/s", text)
    reused = re.search(r"reused (\d+) PDFs", text)
    caplog.clear()
    return int(made[1]) if made else 0, int(reused[1]) if reused else 0


def test_a_pdf_is_made_again_only_when_the_page_it_prints_changes(
    project: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra: pip install '.[pdf]'")
    # The minimal playbook: its three booklets (everyone's, the mentor's, the protégé's) are quick to print.
    root = project()
    caplog.set_level(logging.INFO, logger="generator.pdf")
    build(root, pdf=True)
    assert made_and_reused(caplog) == (3, 0)
    first = pdfs_of(root / "_site")
    assert sorted(first) == [f"programs/year/booklet{role}.pdf" for role in ("-mentor", "-protege", "")]

    # When the dashboard flags a pair is in no booklet: the booklets' fingerprints change (their program's file
    # did), their pages' bytes do not.
    program = root / "content" / "programs" / "year.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "follow_up_after_days: 60\n", encoding="utf-8")
    build(root, pdf=True)
    assert made_and_reused(caplog) == (0, 3)
    assert pdfs_of(root / "_site") == first

    # A checklist item only the mentor does is in the booklet for everyone and the mentor's.
    checklist = root / "content" / "checklists" / "first-meeting.yaml"
    checklist.write_text(checklist.read_text().replace("Agree the next date.", "Agree the date of the next meeting."))
    build(root, pdf=True)
    assert made_and_reused(caplog) == (2, 1)
    after = pdfs_of(root / "_site")
    changed = sorted(name for name in after if after[name] != first[name])
    assert changed == ["programs/year/booklet-mentor.pdf", "programs/year/booklet.pdf"]
    pages, _ = read(root / "_site" / changed[0])
    assert "Agree the date of the next meeting." in " ".join(" ".join(page.split()) for page in pages)
    build(root, tmp_path / "clean", pdf=True, cache=False)  # what was kept is what a clean build makes
    assert pdfs_of(tmp_path / "clean") == after


PRINT_IN_WORKERS = """
import sys
from pathlib import Path
from generator.pdf import PdfJob, print_pdfs
site, out = Path(sys.argv[1]), Path(sys.argv[2])
jobs = [PdfJob(f"{n}.pdf", page, {u: (site / u).read_bytes() for u in (page, "static/playbook.css")})
        for n, page in enumerate(sys.argv[3:])]
for job, data in zip(jobs, print_pdfs(jobs)):
    (out / job.url).write_bytes(data)
"""


def test_pdfs_made_in_parallel_equal_those_made_in_one_process(pdf_site: Path, tmp_path: Path) -> None:
    pages = [
        "programs/twelve-months/booklet/lead/index.html",
        "cohorts/spring-2027/pairs/amara-and-jon/pack/index.html",
    ]
    # In a process of its own, which forks its workers (a test runner's worker may run threads, so it would not).
    command = [sys.executable, "-c", PRINT_IN_WORKERS, str(pdf_site), str(tmp_path), *pages]
    subprocess.run(command, check=True, cwd=REPO, env={**os.environ, "PLAYBOOK_WORKERS": "2"})
    for number, page in enumerate(pages):
        files = {url: (pdf_site / url).read_bytes() for url in (page, "static/playbook.css")}
        data, count = make_pdf(page, files)  # here, in this process
        assert (tmp_path / f"{number}.pdf").read_bytes() == data
        assert count == len(pypdf.PdfReader(tmp_path / f"{number}.pdf").pages) > 1
    assert (tmp_path / "0.pdf").read_bytes() == (
        pdf_site / "programs" / "twelve-months" / "booklet-lead.pdf"
    ).read_bytes()
