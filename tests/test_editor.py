"""The form editor's server (`playbook serve --edit`): what it writes, what it refuses, and what it never touches.

The example playbook is served with the editor on, from a copy; requests are made as the editor's page
makes them (token header, JSON, its Origin), and then changed one way at a time to be refused.
"""

from __future__ import annotations

import difflib
import hashlib
import http.client
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from generator.cli import main
from generator.serve import DevServer
from generator.serve_http import SiteState

WAIT = 60  # seconds: only reached when what a test waits for never happens
PROGRAM = "content/programs/twelve-months.yaml"
API = "/__playbook__/edit/api/"


class Editing:
    """The example served with the editor on, and requests to it as the editor's page makes them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server = DevServer(root, "127.0.0.1", 0, lambda line: None, edit=True)
        self.port = int(self.server.http.server_address[1])
        assert self.server.editor is not None
        self.token = self.server.editor.token

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        sent = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Playbook-Token": self.token,
            "Origin": f"http://127.0.0.1:{self.port}",
            "Content-Type": "application/json",
            **(headers or {}),
        }
        sent = {name: value for name, value in sent.items() if value}  # "" leaves a header out
        data = json.dumps(body).encode() if body is not None else None
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in {**sent, "Content-Length": str(len(data or b""))}.items():
            connection.putheader(name, value)
        connection.endheaders(data)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        kind = response.getheader("Content-Type") or ""
        return response.status, json.loads(raw) if kind.startswith("application/json") else raw

    def open(self, rel: str) -> dict[str, Any]:
        status, opened = self.request("GET", f"{API}file?path={rel}")
        assert status == 200, opened
        return dict(opened)

    def save(self, opened: dict[str, Any], **headers: str) -> tuple[int, Any]:
        body = {key: opened[key] for key in ("path", "digest", "document", "body") if key in opened}
        return self.request("POST", f"{API}save", body, headers)

    def wait_for(self, condition: Callable[[SiteState], bool]) -> None:
        state = self.server.state
        with state.changed:
            assert state.changed.wait_for(lambda: condition(state), WAIT), state.problems


@pytest.fixture(scope="module")
def editing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editing]:
    root = tmp_path_factory.mktemp("editing")
    shutil.copy2(REPO / "playbook.yaml", root)
    shutil.copytree(REPO / "content", root / "content")
    served = Editing(root)
    served.server.start()
    yield served
    served.server.stop()


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#") or " # " in line]


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_month_edited_in_the_form_changes_only_its_lines_and_the_page_follows(editing: Editing) -> None:
    before = (editing.root / PROGRAM).read_text(encoding="utf-8")
    opened = editing.open(PROGRAM)
    month = opened["document"]["months"][0]
    month["title"] = "Meeting each other"
    month["agenda"][1]["minutes"] = 25
    status, saved = editing.save(opened)
    assert status == 200, saved
    assert saved["changed"] is True
    assert saved["url"] == "/programs/twelve-months/index.html"  # the form gave no place: the file's first page
    after = (editing.root / PROGRAM).read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-    title: Kick-off",
        "+    title: Meeting each other",
        "-        minutes: 10",
        "+        minutes: 25",
    ]
    assert comments(after) == comments(before) and comments(before)
    editing.wait_for(
        lambda state: b"Meeting each other" in state.files.get("programs/twelve-months/month-01/index.html", b"")
    )


def test_a_save_with_an_unknown_worksheet_or_no_owner_is_refused_at_those_fields(editing: Editing) -> None:
    before = (editing.root / PROGRAM).read_bytes()
    opened = editing.open(PROGRAM)
    month = opened["document"]["months"][1]
    month["worksheets"] = [*month.get("worksheets", []), "career-dreams"]
    del month["agenda"][0]["owner"]
    status, refused = editing.save(opened)
    assert status == 422
    found = {tuple(p["path"]): p["message"] for p in refused["problems"]}
    at = len(month["worksheets"]) - 1
    assert found == {
        ("months", 1, "worksheets", at): "unknown worksheet 'career-dreams'",
        ("months", 1, "agenda", 0, "owner"): "This is required: fill it in.",
    }
    assert (editing.root / PROGRAM).read_bytes() == before


@pytest.mark.parametrize("token", ["", "not-the-token"])
def test_a_request_without_the_token_is_refused(editing: Editing, token: str) -> None:
    before = (editing.root / PROGRAM).read_bytes()
    status, answer = editing.request("GET", f"{API}file?path={PROGRAM}", headers={"X-Playbook-Token": token})
    assert status == 403 and "link printed in the terminal" in answer["message"]
    assert editing.request("GET", f"{API}files", headers={"X-Playbook-Token": token})[0] == 403
    opened = editing.open(PROGRAM)
    opened["document"]["title"] = "Taken over"
    assert editing.save(opened, **{"X-Playbook-Token": token})[0] == 403
    assert (editing.root / PROGRAM).read_bytes() == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:1"},
        {"Origin": "", "Sec-Fetch-Site": "cross-site"},
        {"Content-Type": "text/plain"},
    ],
    ids=["foreign-origin", "null-origin", "other-port", "cross-site", "not-json"],
)
def test_a_write_that_is_not_from_the_editors_page_is_refused(editing: Editing, headers: dict[str, str]) -> None:
    before = (editing.root / PROGRAM).read_bytes()
    opened = editing.open(PROGRAM)
    opened["document"]["title"] = "Taken over"
    status, answer = editing.save(opened, **headers)
    assert status == 403, answer
    assert (editing.root / PROGRAM).read_bytes() == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_for_another_host_is_refused(editing: Editing, method: str) -> None:
    before = (editing.root / PROGRAM).read_bytes()
    opened = editing.open(PROGRAM)
    opened["document"]["title"] = "Taken over"
    target = f"{API}file?path={PROGRAM}" if method == "GET" else f"{API}save"
    body = None if method == "GET" else {k: opened[k] for k in ("path", "digest", "document")}
    status, _ = editing.request(method, target, body, {"Host": "evil.example", "Origin": "http://evil.example"})
    assert status == 421
    assert (editing.root / PROGRAM).read_bytes() == before


@pytest.mark.parametrize(
    "rel",
    [
        "../outside.yaml",
        "/etc/hostname",
        "content/../../outside.yaml",
        "playbook.yaml/../../outside.yaml",
        "pyproject.toml",
        "content/assets/notes.yaml",
        "content/checklists/../../outside.yaml",
    ],
)
def test_a_path_outside_content_is_neither_read_nor_written(editing: Editing, rel: str) -> None:
    outside = editing.root.parent / "outside.yaml"
    outside.write_text("title: Not the playbook's\n", encoding="utf-8")
    status, answer = editing.request("GET", f"{API}file?path={rel}")
    assert status == 404, answer
    assert "Not the playbook" not in json.dumps(answer)
    status, answer = editing.request(
        "POST", f"{API}save", {"path": rel, "digest": "0" * 64, "document": {"title": "Written"}}
    )
    assert status in (400, 403), answer
    assert outside.read_text(encoding="utf-8") == "title: Not the playbook's\n"
    assert not (editing.root / "pyproject.toml").exists()


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_link_inside_content_is_not_followed(editing: Editing, tmp_path: Path, linked: str) -> None:
    secret = tmp_path / "elsewhere" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("---\ntitle: Secret\n---\nNot the playbook's.\n", encoding="utf-8")
    if linked == "file":
        link, rel = editing.root / "content" / "guides" / "linked.md", "content/guides/linked.md"
        link.symlink_to(secret)
    else:
        link, rel = editing.root / "content" / "guides" / "linked", "content/guides/linked/secret.md"
        link.symlink_to(secret.parent, target_is_directory=True)
    try:
        status, answer = editing.request("GET", f"{API}file?path={rel}")
        assert status == 404 and "Secret" not in json.dumps(answer)
        digest = hashlib.sha256(secret.read_bytes()).hexdigest()
        body = {"path": rel, "digest": digest, "document": {"title": "Written"}}
        status, answer = editing.request("POST", f"{API}save", body)
        assert status in (400, 403), answer
        assert secret.read_text(encoding="utf-8").startswith("---\ntitle: Secret\n")
    finally:
        link.unlink()


def test_a_file_changed_on_disk_after_the_form_opened_is_not_overwritten(editing: Editing) -> None:
    rel = "content/checklists/first-meeting.yaml"
    opened = editing.open(rel)
    on_disk = (editing.root / rel).read_text(encoding="utf-8").replace("The first meeting", "The very first meeting")
    (editing.root / rel).write_text(on_disk, encoding="utf-8")
    opened["document"]["summary"] = "Changed in the form."
    status, answer = editing.save(opened)
    assert status == 409 and "changed on disk" in answer["message"]
    assert (editing.root / rel).read_text(encoding="utf-8") == on_disk
    again = editing.open(rel)  # what "Reload the file" shows
    assert again["document"]["title"] == "The very first meeting"


def test_each_page_names_the_file_it_is_edited_in(editing: Editing) -> None:
    def target(url: str) -> tuple[str, str]:
        status, page = editing.request("GET", url)
        assert status == 200
        found = re.search(rb'src="/__playbook__/edit/link\.js" data-path="([^"]*)" data-at="([^"]*)"', page)
        assert found, url
        return found[1].decode(), found[2].decode()

    assert target("/programs/twelve-months/month-03/index.html") == (PROGRAM, "/months/2")
    assert target("/worksheets/vision/index.html") == ("content/worksheets/vision.yaml", "")
    assert target("/guides/mentor/running-a-meeting/index.html") == ("content/guides/mentor/running-a-meeting.md", "")
    assert target("/index.html") == ("playbook.yaml", "")


def test_new_months_checklists_worksheets_and_guides_build_at_once(editing: Editing) -> None:
    made = {}
    for kind in ("checklist", "worksheet", "guide", "month"):
        status, answer = editing.request("POST", f"{API}new", {"kind": kind, "title": "Préparer la revue"})
        assert status == 201, answer
        made[kind] = answer
    assert made["checklist"]["path"] == "content/checklists/preparer-la-revue.yaml"
    assert made["guide"]["path"] == "content/guides/preparer-la-revue.md"
    assert made["month"] == {"path": PROGRAM, "at": "/months/12"}
    status, again = editing.request("POST", f"{API}new", {"kind": "checklist", "title": "Préparer la revue"})
    assert status == 201 and again["path"] == "content/checklists/preparer-la-revue-2.yaml"
    editing.wait_for(
        lambda state: (
            "checklists/preparer-la-revue-2/index.html" in state.files
            and "programs/twelve-months/month-13/index.html" in state.files
        )
    )
    assert not [p for p in editing.server.state.problems if p.is_error]
    status, answer = editing.request("POST", f"{API}new", {"kind": "guide", "title": "   "})
    assert status == 422 and answer["problems"][0]["path"] == ["title"]


def test_a_guides_preview_is_rendered_as_its_page_will_be(editing: Editing) -> None:
    status, answer = editing.request(
        "POST",
        f"{API}preview",
        {
            "path": "content/guides/mentor/notes.md",
            "markdown": "## Before you start\n\nOpen [it](../../worksheets/vision.yaml) or [this](nowhere.md).\n\n<b>raw</b>",
        },
    )
    assert status == 200
    assert '<h2 id="before-you-start">' in answer["html"]
    assert 'href="/worksheets/vision/index.html"' in answer["html"]
    assert "<b>" not in answer["html"]  # raw HTML stays text, as on the site
    assert [p["message"] for p in answer["problems"]] == ["broken link: 'nowhere.md' does not exist"]


def test_without_edit_the_server_has_no_editor_and_takes_no_writes(project: Callable[..., Path]) -> None:
    root = project()
    server = DevServer(root, "127.0.0.1", 0, lambda line: None)
    server.start()
    try:
        port = server.http.server_address[1]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        connection.request("GET", "/__playbook__/edit/api/files")
        assert connection.getresponse().status == 404
        connection.request("GET", "/index.html")
        assert b"/__playbook__/edit/" not in connection.getresponse().read()
        connection.request("POST", "/__playbook__/edit/api/save", b"{}", {"Content-Type": "application/json"})
        assert connection.getresponse().status == 405
        connection.close()
    finally:
        server.stop()


def test_edit_is_refused_on_a_network_address(capsys: pytest.CaptureFixture[str], project: Callable[..., Path]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", str(project()), "--edit", "--host", "0.0.0.0"])
    assert stopped.value.code == 2
    assert "--edit works only on this computer" in capsys.readouterr().err


# --- In the browser -------------------------------------------------------------------------------


def violations(page: Any) -> list[str]:
    """What axe-core finds wrong on the open page."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is a test extra")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in axe.Axe().run(page).response["violations"]
    ]


def open_form(page: Any, editing: Editing, rel: str, at: str = "") -> None:
    query = f"path={rel}" + (f"&at={at}" if at else "")
    page.goto(f"http://127.0.0.1:{editing.port}/__playbook__/edit/?{query}&edit={editing.token}")
    page.wait_for_selector("#save:not([hidden])")


def test_in_the_browser_month_1_is_edited_saved_and_its_page_reloads_with_it(
    editing: Editing, page: Any, context: Any
) -> None:
    site = f"http://127.0.0.1:{editing.port}"
    month = f"{site}/programs/twelve-months/month-01/index.html"
    before = (editing.root / PROGRAM).read_text(encoding="utf-8")
    page.goto(f"{month}?edit={editing.token}")
    assert "edit=" not in page.url  # the secret leaves the address bar (and the history) at once
    reader = context.new_page()  # a second tab on the month, as a lead keeps the page open beside the form
    reader_errors: list[str] = []
    reader.on("pageerror", lambda error: reader_errors.append(str(error)))
    reader.goto(month)
    reader.wait_for_function("t => localStorage.getItem('playbook-edit-token') === t", arg=editing.token)
    page.click("#playbook-edit-page")
    page.wait_for_selector("#save:not([hidden])")
    assert page.title().startswith("Edit")
    minutes = page.locator("#f-months-0-agenda-2-minutes")
    new_minutes = str(int(minutes.input_value()) + 5)
    page.fill("#f-months-0-title", "First steps together")
    minutes.fill(new_minutes)
    page.click("#save")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Saved')")
    after = (editing.root / PROGRAM).read_text(encoding="utf-8")
    changed = changed_lines(before, after)
    assert len(changed) == 4, changed
    assert changed[1] == "+    title: First steps together" and changed[3] == f"+        minutes: {new_minutes}"
    assert comments(after) == comments(before)
    # The reader's tab reloads by itself once the site is rebuilt.
    reader.wait_for_function("document.querySelector('h1').textContent.includes('First steps together')")
    assert page.locator("#view-page").get_attribute("href") == "/programs/twelve-months/month-01/index.html"
    assert not page.errors and not reader_errors


def test_in_the_browser_a_missing_owner_is_refused_next_to_its_field(editing: Editing, page: Any) -> None:
    before = (editing.root / PROGRAM).read_bytes()
    open_form(page, editing, PROGRAM, "/months/1")
    for box in page.locator("#f-months-1-agenda-0-owner input[type=checkbox]").all():
        box.uncheck()
    page.click("#save")
    message = page.locator("#f-months-1-agenda-0-owner-error")
    message.wait_for()
    assert "This is required: fill it in." in message.text_content()
    assert page.locator(
        "#f-months-1-agenda-0-owner [aria-invalid=true], #f-months-1-agenda-0-owner[aria-invalid=true]"
    ).count()
    assert "owner: This is required" in page.locator("#problems").text_content().replace("Owner", "owner")
    assert (editing.root / PROGRAM).read_bytes() == before
    assert violations(page) == []


def test_in_the_browser_a_change_on_disk_is_not_overwritten(editing: Editing, page: Any) -> None:
    rel = "content/checklists/monthly-meeting.yaml"
    open_form(page, editing, rel)
    on_disk = (editing.root / rel).read_text(encoding="utf-8") + "# A comment added in a text editor.\n"
    (editing.root / rel).write_text(on_disk, encoding="utf-8")
    page.fill("#f-summary", "Changed in the form.")
    page.click("#save")
    page.locator("#reload-file").wait_for()
    assert "changed on disk" in page.locator("main").text_content()
    assert (editing.root / rel).read_text(encoding="utf-8") == on_disk


@pytest.mark.parametrize(
    ("rel", "at"),
    [
        ("", ""),
        (PROGRAM, "/months/0"),
        ("content/worksheets/one-year-goals.yaml", ""),
        ("content/guides/mentor/running-a-meeting.md", ""),
        ("playbook.yaml", ""),
    ],
    ids=["home", "month", "worksheet", "guide", "settings"],
)
def test_the_editors_pages_pass_axe(editing: Editing, page: Any, rel: str, at: str) -> None:
    if rel:
        open_form(page, editing, rel, at)
    else:
        page.goto(f"http://127.0.0.1:{editing.port}/__playbook__/edit/?edit={editing.token}")
        page.locator("#new-checklist").wait_for()
    if rel.endswith(".md"):
        page.wait_for_function("document.getElementById('preview').textContent.trim().length > 0")
    assert violations(page) == []
    page.emulate_media(color_scheme="dark")
    assert violations(page) == []
    assert not page.errors


def test_a_new_item_gets_an_id_from_its_words_unlike_the_others(editing: Editing) -> None:
    rel = "content/checklists/mid-point-check.yaml"
    opened = editing.open(rel)
    items = opened["document"]["items"]
    assert all(item.get("id") for item in items)  # the example's items have ids: a new one needs its own
    copied = {key: value for key, value in items[0].items() if key != "id"}
    items.append({**copied, "text": "Book the room for the review"})
    items.append({**copied, "text": "Book the room for the review", "id": ""})
    status, answer = editing.save(opened)
    assert status == 200, answer
    reopened = editing.open(rel)["document"]["items"]
    assert [item["id"] for item in reopened[-2:]] == ["book-the-room-for-the-review", "book-the-room-for-the-review-2"]
    assert len({item["id"] for item in reopened}) == len(reopened)


def test_a_file_of_aliases_that_would_expand_for_ever_is_not_opened(project: Callable[..., Path]) -> None:
    from generator.edit_files import NotAForm, open_file

    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]"
        for n in range(8)
    ]
    root = project({"content/checklists/laughs.yaml": "\n".join(laughs) + "\n"})
    with pytest.raises(NotAForm, match="cannot be read as data"):
        open_file(root, "content/checklists/laughs.yaml")
