"""Where things are published, and where a link written in content points."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urlsplit

from .errors import Suggestions
from .markdown import Link
from .names import FAVICON, ROBOTS

# Rendered Markdown marks a link to a page of the site like this until the page it
# appears on is known; `relative_urls` then makes it relative to that page.
SITE_PREFIX = "pb-site:/"
URL_SAFE = re.compile(r"[A-Za-z0-9._~/-]*")
SITE_LINK = re.compile(r'(href|src)="pb-site:/([^"]*)"')
MONTH_FRAGMENT = re.compile(r"month-0*([1-9][0-9]*)")
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")
IMAGE_SCHEMES = ("http", "https")


def page_url(kind: str, item_id: str = "") -> str:
    """The output path of a page, from the site root: always a file, never a folder."""
    if kind == "home":
        return "index.html"
    if kind in ("changes", "accessibility"):  # one page each, for the whole site
        return f"{kind}.html"
    if kind in ("programs", "guides", "worksheets", "checklists"):
        return f"{kind}/index.html"
    return f"{kind}s/{item_id}/index.html"


def month_url(program_id: str, number: int) -> str:
    """The output path of a month page."""
    return f"programs/{program_id}/month-{number:02d}/index.html"


def card_url(program_id: str, number: int) -> str:
    """The output path of a month's printable meeting card."""
    return f"programs/{program_id}/month-{number:02d}/card/index.html"


def cards_url(program_id: str) -> str:
    """The output path of a program's pack of meeting cards, one month a printed page."""
    return f"programs/{program_id}/cards/index.html"


def booklet_url(program_id: str, role_id: str = "") -> str:
    """The output path of a program's printable booklet, for everyone or for one role."""
    return f"programs/{program_id}/booklet/{role_id + '/' if role_id else ''}index.html"


def booklet_pdf_url(program_id: str, role_id: str = "") -> str:
    """The output path of a program's booklet as a PDF file."""
    return f"programs/{program_id}/booklet{'-' + role_id if role_id else ''}.pdf"


def calendar_url(program_id: str) -> str:
    """The output path of a program's calendar of meetings."""
    return f"programs/{program_id}/calendar.ics"


def cohort_url(cohort_id: str) -> str:
    """The output path of a cohort's page: its roster and timeline."""
    return f"cohorts/{cohort_id}/index.html"


def cohort_tasks_url(cohort_id: str) -> str:
    """The output path of the list of a cohort's dated tasks."""
    return f"cohorts/{cohort_id}/tasks/index.html"


def lead_calendar_url(cohort_id: str) -> str:
    """The output path of a cohort's calendar of tasks."""
    return f"cohorts/{cohort_id}/tasks.ics"


def tasks_csv_url(cohort_id: str) -> str:
    """The output path of a cohort's tasks as a spreadsheet."""
    return f"cohorts/{cohort_id}/tasks.csv"


def dashboard_url(cohort_id: str) -> str:
    """The output path of a cohort's dashboard, where the lead imports the pairs' progress files."""
    return f"cohorts/{cohort_id}/dashboard/index.html"


def pair_url(cohort_id: str, pair_id: str) -> str:
    """The output path of a pair's page: its dated meetings."""
    return f"cohorts/{cohort_id}/pairs/{pair_id}/index.html"


def pair_pack_url(cohort_id: str, pair_id: str) -> str:
    """The output path of a pair's printable pack: its meeting cards with their dates."""
    return f"cohorts/{cohort_id}/pairs/{pair_id}/pack/index.html"


def pair_pack_pdf_url(cohort_id: str, pair_id: str) -> str:
    """The output path of a pair's printable pack as a PDF file."""
    return f"cohorts/{cohort_id}/pairs/{pair_id}/pack.pdf"


def pair_calendar_url(cohort_id: str, pair_id: str) -> str:
    """The output path of a pair's calendar of meetings."""
    return f"cohorts/{cohort_id}/pairs/{pair_id}/calendar.ics"


SHARED_FOLDERS = ("static/", "assets/")  # one copy at the site root, whichever language's tree uses it
SHARED_FILES = (FAVICON, ROBOTS)  # the same: hosts and browsers look for them at the root


def shared_file(url: str) -> bool:
    """Whether a file of the site is one every language's tree uses from the site root."""
    return url.startswith(SHARED_FOLDERS) or url in SHARED_FILES


def in_tree(target: str, tree: str) -> str:
    """A page's address (from a tree's root) from the site root; a shared file's stays as it is."""
    return target if not tree or shared_file(target) else tree + target


def relative_url(from_page: str, target: str) -> str:
    """`target` (a path from the site root, maybe with #fragment) as seen from the page `from_page`."""
    path, hash_sign, fragment = target.partition("#")
    if not path:
        return f"#{fragment}" if hash_sign else ""
    # Both are clean paths from the site root, so counting shared folders is enough (and much
    # faster than posixpath.relpath, which asks the disk for the current folder every time).
    here = from_page.split("/")[:-1]
    there = path.split("/")
    shared = 0
    while shared < len(here) and shared < len(there) - 1 and here[shared] == there[shared]:
        shared += 1
    relative = "../" * (len(here) - shared) + "/".join(there[shared:])
    if not URL_SAFE.fullmatch(relative):
        relative = quote(relative, safe="/")
    return relative + (f"#{fragment}" if hash_sign else "")


def relative_urls(html: str, from_page: str, tree: str = "") -> str:
    """Replace every site link in rendered HTML by one relative to `from_page` (in the language tree `tree`)."""
    if SITE_PREFIX not in html:
        return html
    if tree:
        here = tree + from_page
        return SITE_LINK.sub(lambda m: f'{m[1]}="{relative_url(here, in_tree(m[2], tree))}"', html)
    return SITE_LINK.sub(lambda m: f'{m[1]}="{relative_url(from_page, m[2])}"', html)


def site_links(html: str) -> set[str]:
    """The pages of the site that rendered HTML links to, from the site root, without their #fragments."""
    if SITE_PREFIX not in html:
        return set()
    return {target.partition("#")[0] for attribute, target in SITE_LINK.findall(html) if attribute == "href"}


@dataclass(frozen=True)
class Targets:
    """What a link in content may point at: source files and where each is published."""

    pages: Mapping[str, str]  # source path -> page URL
    months: Mapping[str, Mapping[int, str]]  # program source path -> month number -> URL
    assets: Mapping[str, str]  # source path -> URL
    guides: Mapping[str, str] = field(default_factory=dict)  # source path -> guide id

    @cached_property
    def digest(self) -> str:
        """A digest of where every link can point: HTML made from Markdown depends on it."""
        hasher = hashlib.blake2b(digest_size=16)
        for mapping in (self.pages, self.assets, self.guides):
            for key in sorted(mapping):
                hasher.update(f"{key}\0{mapping[key]}\0".encode())
        for program in sorted(self.months):
            hasher.update(f"{program}:{sorted(self.months[program])}".encode())
        return hasher.hexdigest()

    @cached_property
    def link_suggestions(self) -> Suggestions:
        """What a broken link may have meant: any page or asset."""
        return Suggestions([*self.pages, *self.assets])

    @cached_property
    def image_suggestions(self) -> Suggestions:
        """What a broken image may have meant: an asset."""
        return Suggestions(self.assets)


def resolve(href: str, source: str, is_image: bool, targets: Targets) -> Link:
    """Where a link written in the file `source` goes, or why it cannot go anywhere."""
    if not href:
        return Link(None, "a link with no target", "write the path of the file it should open")
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        return _external(href, parts.scheme, is_image)
    if href.startswith("#"):
        if source in targets.guides and len(href) > 1:  # a heading of this same guide
            return Link(href, anchor_in=source, anchor=href[1:])
        return Link(href)
    if href.startswith("/"):
        return Link(
            None,
            f"'{href}' starts at the root of the disk",
            "write the path from this file, e.g. '../worksheets/vision.yaml'",
        )
    path, _, fragment = href.partition("#")
    path = path.partition("?")[0]
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if target == ".." or target.startswith("../"):
        return Link(None, f"'{href}' points outside the project", "link only to files in content/")
    if target in targets.assets:
        return Link(SITE_PREFIX + targets.assets[target] + (f"#{fragment}" if fragment else ""))
    if is_image:
        hint = _suggest(target, source, targets.image_suggestions) or "put images in content/assets/"
        return Link(None, f"broken image: '{href}' is not a file in content/assets/", hint)
    if target in targets.pages:
        return _page_link(href, target, fragment, targets)
    return Link(
        None,
        f"broken link: '{href}' does not exist",
        _suggest(target, source, targets.link_suggestions) or _advice(target),
    )


def _external(href: str, scheme: str, is_image: bool) -> Link:
    allowed = IMAGE_SCHEMES if is_image else EXTERNAL_SCHEMES
    if not scheme:
        return Link(None, f"'{href}' has no scheme", "write the whole address, starting with https://")
    if scheme.lower() not in allowed:
        if is_image:
            return Link(
                None,
                f"images with '{scheme}:' are not allowed",
                "save the image in content/assets/ and link to it there",
            )
        if scheme.lower() == "file":
            return Link(
                None, "links with 'file:' are not allowed", "copy the file into content/assets/ and link to it there"
            )
        return Link(None, f"links with '{scheme}:' are not allowed", "use http, https, mailto or tel")
    if is_image:
        return Link(
            href,
            "the image is loaded from another site, which readers offline cannot see",
            "save it in content/assets/ and link to it there",
            "warning",
        )
    return Link(href)


def _page_link(href: str, target: str, fragment: str, targets: Targets) -> Link:
    url = targets.pages[target]
    if target in targets.months and fragment:
        month = MONTH_FRAGMENT.fullmatch(fragment)
        if month:
            number = int(month[1])
            if number not in targets.months[target]:
                return Link(None, f"'{href}': the program has no month {number}", "")
            return Link(SITE_PREFIX + targets.months[target][number])
    if fragment and target in targets.guides:
        return Link(SITE_PREFIX + url + f"#{fragment}", anchor_in=target, anchor=fragment)
    return Link(SITE_PREFIX + url + (f"#{fragment}" if fragment else ""))


def _suggest(target: str, source: str, candidates: Suggestions) -> str:
    """A did-you-mean hint, written as a path from `source` like the link itself."""
    match = candidates.closest(target)
    if match is None:
        return ""
    return f"did you mean '{posixpath.relpath(match, posixpath.dirname(source))}'?"


def _advice(target: str) -> str:
    if target.endswith(".html"):
        return "link to the source file (.md or .yaml), not to the page it becomes"
    return "link to a guide (.md), a program, worksheet or checklist (.yaml), or a file in content/assets/"
