"""The screenshot script makes real pictures of the site that anyone can look at."""

from __future__ import annotations

import shutil
import struct
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


def test_the_script_shoots_each_width_and_scheme_and_prints(
    browser: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--out", str(tmp_path), "--only", "home", "checklist", "--scale", "2"], browser=browser) == 0

    output = capsys.readouterr().out
    assert output.splitlines()[0] == "home: 4 screenshots"
    assert f"files in {tmp_path}" in output.splitlines()[-1]
    for kind in ("home", "checklist"):
        for width in (360, 1280):
            light, dark = tmp_path / f"{width}-light" / f"{kind}.png", tmp_path / f"{width}-dark" / f"{kind}.png"
            assert png_size(light)[0] == png_size(dark)[0] == width * 2  # no part of the page wider than the window
            assert png_size(light)[1] > width  # the full page, not just the window
            assert light.read_bytes() != dark.read_bytes()


def test_the_script_prints_the_pages_made_for_paper(browser: Any, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils); .ci/run installs it")
    assert main(["--out", str(tmp_path), "--only", "home", "checklist"], browser=browser) == 0
    printed = sorted((tmp_path / "print").glob("checklist-*.png"))
    assert printed and all(png_size(p)[0] < png_size(p)[1] for p in printed)  # A4 pages, upright
    assert not list((tmp_path / "print").glob("home-*.png"))  # the home page is not made for paper
