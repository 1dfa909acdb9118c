"""The site's own sections: the home page, a page for each role, the lists, progress, what changed, the
accessibility statement, the sitemap and 404, and the files at the site's root that hosts and browsers look
for: robots.txt and the site's icon."""

from __future__ import annotations

from collections.abc import Iterator

from ..interface import N_
from ..links import page_url
from ..names import FAVICON, ROBOTS
from ..pages import Kind, Page
from .kind import PageKind, Plan

READ_ME_URL = "READ-ME.html"  # beside index.html in the zip, in capitals as a read-me is, to stand out there


def _home(plan: Plan) -> Iterator[Page]:
    yield Page(plan.home.url, Kind.HOME, plan.playbook.settings.title, plan.everything)


def _roles(plan: Plan) -> Iterator[Page]:
    for role in plan.roles:
        title = plan.words.speak("Start here: %(role)s", role=role.name)
        yield Page(page_url("role", role.id), Kind.ROLE, title, plan.everything, role=role, trail=(plan.home,))


def _list_of(kind: Kind, listed: str, title: str) -> PageKind[Plan]:
    """The page listing every item of a kind (guides, worksheets, checklists)."""

    def plan_list(plan: Plan) -> Iterator[Page]:
        found = plan.playbook.sources.files[listed].values()
        # A list shows a guide's title and summary, not its body.
        files = frozenset([*plan.shared, *(s.listed if listed == "guide" else s.whole for s in found)])
        yield Page(page_url(kind), kind, plan.words.speak(title), files, trail=(plan.home,))

    return PageKind(kind, plan_list, f"{kind}.html")


def _progress(plan: Plan) -> Iterator[Page]:
    title = plan.words.speak("My progress")
    yield Page("progress/index.html", Kind.PROGRESS, title, plan.everything, trail=(plan.home,))


def _changes(plan: Plan) -> Iterator[Page]:
    found = plan.playbook.sources.files.get("changelog", {})
    if plan.playbook.changelog is not None and "changelog" in found:
        own = (found["changelog"].whole,)
        title = plan.words.speak("What changed")
        yield Page(page_url("changes"), Kind.CHANGES, title, plan.shared, own, trail=(plan.home,))


def _accessibility(plan: Plan) -> Iterator[Page]:
    # What it says of the content (images, languages) is known once the Markdown is rendered: `shows` below.
    title = plan.words.speak("Accessibility")
    yield Page(page_url("accessibility"), Kind.ACCESSIBILITY, title, plan.shared, trail=(plan.home,))


def _sitemap(plan: Plan) -> Iterator[Page]:
    if plan.playbook.settings.base_url:  # a sitemap lists full addresses
        yield Page("sitemap.xml", Kind.SITEMAP, "Sitemap", plan.everything)


def _not_found(plan: Plan) -> Iterator[Page]:
    if plan.playbook.settings.base_url:  # shown at any address, its links start from the base path
        yield Page("404.html", Kind.NOT_FOUND, plan.words.speak("Page not found"), plan.shared)


def _read_me(plan: Plan) -> Iterator[Page]:
    yield Page(READ_ME_URL, Kind.READ_ME, plan.words.speak("Read me first"), plan.shared)


def _robots(plan: Plan) -> Iterator[Page]:
    # Only the playbook's settings: whether it is public, and where its sitemap is.
    yield Page(ROBOTS, Kind.ROBOTS, "robots.txt", frozenset([plan.playbook.sources.settings.whole]))


def _favicon(plan: Plan) -> Iterator[Page]:
    settings = plan.playbook.settings
    if settings.icon == FAVICON:  # no logo a browser can show as the icon: one in the accent colour
        yield Page(FAVICON, Kind.FAVICON, "Icon", frozenset([plan.playbook.sources.settings.whole]))


# The home page names the newest edition of the changelog (its first heading), not the rest of it.
HOME_PAGE = PageKind(Kind.HOME, _home, "home.html", shows=lambda site: site.newest_edition)
ROLE = PageKind(Kind.ROLE, _roles, "role.html")
GUIDES = _list_of(Kind.GUIDES, "guide", N_("Guides"))
WORKSHEETS = _list_of(Kind.WORKSHEETS, "worksheet", N_("Worksheets"))
CHECKLISTS = _list_of(Kind.CHECKLISTS, "checklist", N_("Checklists"))
PROGRESS = PageKind(Kind.PROGRESS, _progress, "progress.html")
CHANGES = PageKind(Kind.CHANGES, _changes, "changes.html")
ACCESSIBILITY = PageKind(
    Kind.ACCESSIBILITY, _accessibility, "accessibility.html", shows=lambda site: site.statement.digest
)
SITEMAP = PageKind(Kind.SITEMAP, _sitemap, "sitemap.xml")
NOT_FOUND = PageKind(Kind.NOT_FOUND, _not_found, "404.html")
READ_ME = PageKind(Kind.READ_ME, _read_me, "read-me.html")
ROBOTS_TXT = PageKind(Kind.ROBOTS, _robots, "robots.txt")
ICON = PageKind(Kind.FAVICON, _favicon, "favicon.svg")
