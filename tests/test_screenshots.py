"""The screenshot script makes real pictures of the site that anyone can look at."""

from __future__ import annotations

import io
import shutil
import struct
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from screenshots import main


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its header; fails on anything that is not a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def shots(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The folder and the printed lines of one run of the script for two page types, one of them made for paper.

    Each run builds the example and shoots every page four times, so this module's tests share one.
    """
    out = tmp_path_factory.mktemp("shots")
    said = io.StringIO()
    with redirect_stdout(said):
        assert main(["--out", str(out), "--only", "home", "checklist", "--scale", "2"], browser=browser) == 0
    return out, said.getvalue().splitlines()


def test_the_script_shoots_each_width_and_scheme_and_prints(shots: tuple[Path, list[str]]) -> None:
    out, lines = shots
    assert lines[-3] == "home: 4 screenshots"
    assert lines[-2].startswith("checklist: 4 screenshots")
    assert f"files in {out}" in lines[-1]
    for kind in ("home", "checklist"):
        for width in (360, 1280):
            light, dark = out / f"{width}-light" / f"{kind}.png", out / f"{width}-dark" / f"{kind}.png"
            assert png_size(light)[0] == png_size(dark)[0] == width * 2  # no part of the page wider than the window
            assert png_size(light)[1] > width  # the full page, not just the window
            assert light.read_bytes() != dark.read_bytes()


def test_the_script_prints_the_pages_made_for_paper(shots: tuple[Path, list[str]]) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils); .ci/run installs it")
    out, lines = shots
    printed = sorted((out / "print").glob("checklist-*.png"))
    assert printed and all(png_size(p)[0] < png_size(p)[1] for p in printed)  # A4 pages, upright
    assert lines[-2] == f"checklist: 4 screenshots, {len(printed)} printed page{'s' if len(printed) != 1 else ''}"
    assert not list((out / "print").glob("home-*.png"))  # the home page is not made for paper
