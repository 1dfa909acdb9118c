"""A theme that extends another, extra stylesheets and fonts from the project: on every page, in the
browser, in the PDF booklet, and built again when one of their files changes.

(What is wrong in a theme.yaml, `extra_css` or `fonts` is in the bad input gallery, tests/bad/.)
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import MINIMAL, REPO, Run, write_files
from generator.build import BuildSession, build

SETTINGS = (MINIMAL / "playbook.yaml").read_text(encoding="utf-8")
BANNER = '<p class="banner">Pilot edition</p>'
BRAND_CSS = ":root { --accent: #8a1538; }\n.site-header { border-bottom: 7px solid rgb(224, 165, 38); }\n"
LOOKS = "extra_css: [assets/brand.css]\nfonts:\n  body: {file: assets/fonts/Boxy.woff2, family: Boxy Sans}\n"
LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
FONT_URL = re.compile(r'@font-face \{ font-family: "Boxy Sans"; src: url\("([^"]+)"\) format\("woff2"\);')


def boxy_font(family: str = "Boxy Sans") -> bytes:
    """A tiny WOFF2 font named `family`, whose every letter is a box: easy to tell from any font of the system."""
    fontbuilder = pytest.importorskip("fontTools.fontBuilder", reason="fontTools comes with WeasyPrint, a test extra")
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    characters = [chr(code) for code in range(32, 127)] + list("éèàçôüöäßÉ’“”«»…–—·")
    names = [".notdef", *(f"u{ord(c):04x}" for c in characters)]
    pen = TTGlyphPen(None)
    pen.moveTo((60, 0))
    pen.lineTo((60, 700))
    pen.lineTo((540, 700))
    pen.lineTo((540, 0))
    pen.closePath()
    box = pen.glyph()
    builder = fontbuilder.FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04x}" for c in characters})
    builder.setupGlyf({name: box if name != "u0020" else TTGlyphPen(None).glyph() for name in names})
    builder.setupHorizontalMetrics({name: (600, 60) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.font.flavor = "woff2"
    data = io.BytesIO()
    builder.save(data)
    return data.getvalue()


@pytest.fixture
def branded(project: Callable[..., Path]) -> Path:
    """The minimal project with a brand stylesheet, a body font and a logo."""
    return project(
        {
            "playbook.yaml": SETTINGS + LOOKS + "logo: assets/dot.svg\n",
            "content/assets/brand.css": BRAND_CSS,
            "content/assets/fonts/Boxy.woff2": boxy_font(),
        }
    )


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a relative URL on `page` leads to."""
    return site / posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), href))


# --- A theme that extends the default one ----------------------------------------------------


def test_a_theme_of_one_template_that_extends_default_builds_the_whole_site(project: Callable[..., Path]) -> None:
    root = project()
    plain = BuildSession(root).build()[1].files
    write_files(
        root,
        {
            "playbook.yaml": SETTINGS + "theme: pilot\n",
            "themes/pilot/theme.yaml": "name: Pilot\ndescription: The default look, with a banner.\nextends: default\n",
            "themes/pilot/templates/base.html": '{% extends "default/base.html" %}\n'
            "{% block banner %}" + BANNER + "{% endblock %}\n",
        },
    )

    files = BuildSession(root).build()[1].files

    assert sorted(files) == sorted(plain)  # every page and file the default theme makes
    pages = [url for url in files if url.endswith(".html")]
    assert len(pages) > 15
    for url in pages:
        html = files[url].decode()
        assert html.count(BANNER) == 1, url
        html = html.replace(BANNER, "")
        if url == "accessibility.html":  # the statement says the site has a theme of its own, and what that means
            html, said = re.subn(r"<p>This site uses its own theme, “pilot”\..*?</p>\n", "", html)
            assert said == 1
        assert html == plain[url].decode(), f"{url} differs by more than the banner"
    static = [url for url in plain if url.startswith("static/")]
    assert "static/playbook.css" in static and all(files[url] == plain[url] for url in static)


def test_a_chain_of_themes_takes_each_file_from_the_nearest_theme_that_has_it(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbook.yaml": SETTINGS + "theme: team\n",
            "themes/team/theme.yaml": "extends: guild\n",  # no templates/ of its own
            "themes/team/static/lens.js": "// the team's own\n",
            "themes/guild/theme.yaml": "extends: default\n",
            "themes/guild/templates/base.html": '{% extends "default/base.html" %}{% block banner %}Guild{% endblock %}'
            '{% block stylesheets %}<link rel="stylesheet" href="{{ relurl(\'static/guild.css\') }}">{% endblock %}',
            "themes/guild/templates/guide.html": '{% extends "default/guide.html" %}{% block content %}'
            "<p>Read with care.</p>{{ super() }}{% endblock %}\n",
            "themes/guild/static/guild.css": "main { max-width: 40rem; }\n",
        }
    )

    files = BuildSession(root).build()[1].files

    guide = files["guides/welcome/index.html"].decode()
    assert "Guild" in guide and "<p>Read with care.</p>" in guide and "<h1>Welcome</h1>" in guide
    assert "Guild" in files["index.html"].decode()
    assert LINK.findall(guide) == ["../../static/playbook.css", "../../static/guild.css"]
    assert files["static/lens.js"] == b"// the team's own\n"
    assert files["static/guild.css"] == b"main { max-width: 40rem; }\n"
    assert files["static/playbook.css"] == (REPO / "themes/default/static/playbook.css").read_bytes()


def test_an_error_in_a_template_a_theme_replaces_is_still_reported_at_its_line(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project(
        {
            "playbook.yaml": SETTINGS + "theme: team\n",
            "themes/team/theme.yaml": "extends: guild\n",
            "themes/team/templates/guide.html": '{% extends "guild/guide.html" %}\n',  # hides guild's from its name
            "themes/guild/theme.yaml": "extends: default\n",
            "themes/guild/templates/guide.html": '{% extends "default/guide.html" %}\n{% block content %}\n{% endblok %}\n',
        }
    )

    run = playbook("check", root)

    (problem,) = run.diagnostics
    assert problem.startswith("themes/guild/templates/guide.html:3:1: error: template syntax: Encountered unknown tag")


# --- Extra CSS and fonts on every page ---------------------------------------------------------


def test_the_extra_stylesheet_is_linked_after_the_themes_on_every_page(branded: Path) -> None:
    build(branded, cache=False)
    site = branded / "_site"
    pages = html_pages(site)
    assert site / "programs/year/booklet/index.html" in pages

    for page in pages:
        links = LINK.findall(page.read_text(encoding="utf-8"))
        assert [resolve(site, page, href).relative_to(site).as_posix() for href in links] == [
            "static/playbook.css",
            "assets/brand.css",
        ], page
        assert resolve(site, page, links[1]).read_text(encoding="utf-8") == BRAND_CSS


def test_the_font_is_declared_with_a_url_that_leads_to_it_from_any_depth(branded: Path) -> None:
    build(branded, cache=False)
    site = branded / "_site"
    font = (branded / "content/assets/fonts/Boxy.woff2").read_bytes()

    for page in (site / "index.html", site / "guides/welcome/index.html", site / "programs/year/month-01/index.html"):
        html = page.read_text(encoding="utf-8")
        (url,) = FONT_URL.findall(html)
        assert resolve(site, page, url).read_bytes() == font
        assert ':root { --font-body: "Boxy Sans", var(--font); }' in html


def test_the_browser_applies_the_extra_stylesheet_and_loads_the_font(branded: Path, page: Any) -> None:
    build(branded, cache=False)
    page.goto((branded / "_site/guides/welcome/index.html").as_uri())

    faces = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.status]))"
    )
    style = page.evaluate(
        "(() => { const h = getComputedStyle(document.querySelector('.site-header'));"
        " return [h.borderBottomWidth, h.borderBottomColor, getComputedStyle(document.body).fontFamily,"
        " getComputedStyle(document.querySelector('h1')).fontFamily] })()"
    )

    assert faces == [["Boxy Sans", "loaded"]]
    assert style[:2] == ["7px", "rgb(224, 165, 38)"]  # brand.css wins over the theme's border
    assert style[2].startswith('"Boxy Sans", system-ui')  # the system's fonts stand behind it
    assert style[3] == style[2]  # headings follow the body's font when no `headings:` is set
    assert page.errors == []


def test_the_booklet_pdf_embeds_the_font_and_shows_the_logo(branded: Path) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is a test extra")
    pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra: pip install '.[pdf]'")

    build(branded, pdf=True, cache=False)  # the logo and the font: files the PDF could not fetch before

    reader = pypdf.PdfReader(branded / "_site/programs/year/booklet.pdf")
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert "Boxy-Sans" in fonts, fonts


# --- Built again when their files change ---------------------------------------------------------


def test_editing_the_extended_themes_template_renders_every_page_again(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbook.yaml": SETTINGS + "theme: team\n",
            "themes/team/theme.yaml": "extends: guild\n",
            "themes/guild/theme.yaml": "extends: default\n",
            "themes/guild/templates/base.html": '{% extends "default/base.html" %}{% block banner %}Spring{% endblock %}',
        }
    )
    session = BuildSession(root, again=True)  # as the dev server keeps it
    _, first = session.build()
    parent = root / "themes/guild/templates/base.html"
    parent.write_text(parent.read_text().replace("Spring", "Autumn"))

    _, again = session.build(["themes/guild/templates/base.html"])

    pages = sorted(url for url in first.files if url.endswith(".html"))
    assert sorted(url for url in again.fresh if url.endswith(".html")) == pages
    assert all(b"Autumn" in again.files[url] and b"Spring" not in again.files[url] for url in pages)
    assert again.files == BuildSession(root).build()[1].files


def test_a_build_after_the_extended_theme_changed_is_not_taken_as_up_to_date(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbook.yaml": SETTINGS + "theme: team\n",
            "themes/team/theme.yaml": "extends: guild\n",
            "themes/guild/theme.yaml": "extends: default\n",
            "themes/guild/static/guild.css": "main { color: black; }\n",
        }
    )
    build(root)
    (root / "themes/guild/static/guild.css").write_text("main { color: navy; }\n")

    build(root)

    assert (root / "_site/static/guild.css").read_text() == "main { color: navy; }\n"


def test_editing_the_extra_stylesheet_changes_the_site_and_the_booklets_pdf(branded: Path) -> None:
    from generator.dependencies import fingerprints, template_digests
    from generator.theme import static_files

    def booklet_pdf_print() -> str:
        checked = BuildSession(branded, pdf=True).check()
        prints = fingerprints(checked.site, template_digests(checked.env), static_files(checked.theme))
        return prints.pages["programs/year/booklet.pdf"]

    session = BuildSession(branded, again=True)
    session.build()
    before = booklet_pdf_print()
    (branded / "content/assets/brand.css").write_text(":root { --accent: #0b6e4f; }\n")

    _, again = session.build(["content/assets/brand.css"])

    assert again.files["assets/brand.css"] == b":root { --accent: #0b6e4f; }\n"
    assert again.files == BuildSession(branded).build()[1].files
    assert booklet_pdf_print() != before  # the PDF prints with it, so it is made again
