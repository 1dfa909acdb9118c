"""The dev server: serves the site, rebuilds on change, signals reloads, shows problems, refuses to leave the site."""

from __future__ import annotations

import http.client
import json
import logging
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from generator import serve, serve_http, serve_watch
from generator.build import BuildSession, build
from generator.serve import DevServer
from generator.serve_http import SiteState

WAIT = 60  # seconds: only ever reached when what a test waits for never happens
DEV_STATUS = "/__playbook__/status"


class Events:
    """The server's event stream, read in the background."""

    def __init__(self, port: int, epoch: int) -> None:
        self.received: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request("GET", f"/__playbook__/events?epoch={epoch}")
        self.response = self.connection.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        event = ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    self.received.put((event, json.loads(line[6:])))
        except (OSError, ValueError):
            return

    def next(self, timeout: float = WAIT) -> tuple[str, dict[str, Any]]:
        return self.received.get(timeout=timeout)

    def of_epoch(self, epoch: int) -> str:
        """The event sent for the rebuild that made `epoch` (skipping those before it)."""
        while True:
            event, data = self.next()
            if data["epoch"] >= epoch:
                assert data["epoch"] == epoch
                return event


class Said(list[str]):
    """The lines the server reports, as it reports them (after it publishes a rebuild, so tests wait for them)."""

    def __init__(self) -> None:
        super().__init__()
        self.added = threading.Condition()

    def __call__(self, line: str) -> None:
        with self.added:
            self.append(line)
            self.added.notify_all()

    def wait_for(self, condition: Callable[[str], bool]) -> str:
        """The first line (from the start) that meets `condition`, once it is reported."""
        with self.added:
            assert self.added.wait_for(lambda: any(condition(line) for line in self), WAIT), list(self)
            return next(line for line in self if condition(line))


@pytest.fixture
def served(project: Callable[..., Path]) -> Iterator[tuple[DevServer, Path, Said]]:
    root = project()
    said = Said()
    server = DevServer(root, "127.0.0.1", 0, said)
    server.start()
    yield server, root, said
    server.stop()


def wait_for(server: DevServer, condition: Callable[[SiteState], bool]) -> None:
    """Wait until a rebuild leaves the server's state as `condition` wants it (it is told of every one)."""
    state = server.state
    with state.changed:
        assert state.changed.wait_for(lambda: condition(state), WAIT), f"still {state.epoch}: {state.problems}"


def page_has(url: str, text: bytes) -> Callable[[SiteState], bool]:
    return lambda state: text in state.files.get(url, b"")


def save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside it, then move it over the old one (one change)."""
    partial = path.with_name(path.name + ".tmp")  # the watcher ignores .tmp files
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def get(server: DevServer, path: str, host: str | None = None) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.http.server_address[1], timeout=WAIT)
    if host is None:
        connection.request("GET", path)  # sent as written: http.client does not tidy the path
    else:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type") or "", body


def without_script(page: bytes) -> bytes:
    """The page as built, without the reload script the server adds (whose epoch changes)."""
    return re.sub(rb'<script src="/__playbook__/live\.js\?epoch=\d+" defer></script>', b"", page)


def port_of(server: DevServer) -> int:
    return int(server.http.server_address[1])


def test_it_serves_the_site_with_the_reload_script(served: tuple[DevServer, Path, Said]) -> None:
    server, _, said = served
    status, kind, body = get(server, "/")
    assert status == 200 and kind == "text/html; charset=utf-8"
    assert b'<script src="/__playbook__/live.js?epoch=1" defer></script></head>' in body
    assert get(server, "/static/playbook.css")[1] == "text/css; charset=utf-8"
    assert get(server, "/guides/welcome/index.html")[0] == 200
    assert server.url.startswith("http://127.0.0.1:")
    assert said[0].startswith("Built the site: rendered ")


def test_a_change_is_rebuilt_and_signalled(served: tuple[DevServer, Path, Said]) -> None:
    server, root, said = served
    events = Events(port_of(server), server.state.epoch)
    guide = root / "content" / "guides" / "welcome.md"
    # Written in place, as some editors save: on a busy machine a rebuild may see it half written, then again.
    guide.write_text(guide.read_text() + "\nA sentence about zebras.\n", encoding="utf-8")

    wait_for(server, page_has("guides/welcome/index.html", b"A sentence about zebras."))

    assert events.of_epoch(server.state.epoch) == "reload"
    assert b"A sentence about zebras." in get(server, "/guides/welcome/index.html")[2]
    said.wait_for(lambda line: line.startswith("content/guides/welcome.md changed: rendered 1 page in "))


def test_quick_saves_become_one_rebuild(served: tuple[DevServer, Path, Said], monkeypatch: pytest.MonkeyPatch) -> None:
    server, root, _ = served
    # Saves count as one burst while each comes within the quiet time of the one before: long enough here
    # that a busy machine pausing this test between two saves does not split the burst.
    monkeypatch.setattr(serve, "QUIET_SECONDS", 2.0)
    monkeypatch.setattr(serve, "MOST_WAIT_SECONDS", WAIT)
    guide = root / "content" / "guides" / "welcome.md"
    for n in range(5):
        save(guide, guide.read_text() + f"\nSave {n}.\n")

    wait_for(server, lambda state: state.epoch > 1)
    assert server.state.epoch == 2
    assert b"Save 4." in get(server, "/guides/welcome/index.html")[2]

    # Any change the watcher still held from the burst would be rebuilt before this last save.
    monkeypatch.setattr(serve, "QUIET_SECONDS", 0.01)
    save(guide, guide.read_text() + "\nAfterwards.\n")
    wait_for(server, lambda state: state.epoch > 2)
    assert server.state.epoch == 3
    assert b"Afterwards." in get(server, "/guides/welcome/index.html")[2]


def test_broken_content_shows_problems_and_keeps_the_last_good_site(served: tuple[DevServer, Path, Said]) -> None:
    server, root, said = served
    before = get(server, "/index.html")[2]
    events = Events(port_of(server), server.state.epoch)
    settings = root / "playbook.yaml"
    good = settings.read_text()
    save(settings, good + "title: [broken\n")

    event, data = events.next()
    assert event == "problems"
    first = data["problems"][0]
    assert (first["path"], first["severity"]) == ("playbook.yaml", "error") and first["line"] > 0
    assert first["text"].startswith(f"playbook.yaml:{first['line']}:{first['column']}: error: {first['message']}")
    assert without_script(get(server, "/index.html")[2]) == without_script(before)  # the last good build, still served
    status = json.loads(get(server, "/__playbook__/status")[2])
    assert status["problems"] == data["problems"]
    said.wait_for(lambda line: "still serving the last good build" in line)

    save(settings, good)
    event, _ = events.next()
    assert event == "reload"
    assert json.loads(get(server, "/__playbook__/status")[2])["problems"] == []


def test_a_warning_alone_reloads_pages_and_is_sent_as_a_warning(served: tuple[DevServer, Path, Said]) -> None:
    server, root, _ = served
    events = Events(port_of(server), server.state.epoch)
    save(root / "content" / "notes.txt", "Not part of the playbook.\n")

    event, data = events.next()
    assert event == "reload"
    assert [(p["path"], p["severity"]) for p in data["problems"]] == [("content/notes.txt", "warning")]
    assert data["problems"][0]["text"].startswith("content/notes.txt:1:1: warning: not part of the playbook")
    assert json.loads(get(server, DEV_STATUS)[2])["problems"] == data["problems"]


def test_a_project_broken_from_the_start_does_not_speak_of_a_last_good_build(project: Callable[..., Path]) -> None:
    root = project({"content/programs/year.yaml": "title: [unclosed\n"})
    said = Said()
    server = DevServer(root, "127.0.0.1", 0, said)
    server.start()
    try:
        line = said.wait_for(lambda line: "problem" in line)
        assert line.endswith("no site to show until they are fixed") and "last good build" not in line
        assert b"could not be built yet" in get(server, "/index.html")[2]
    finally:
        server.stop()


def test_the_rebuilt_site_equals_a_clean_build(served: tuple[DevServer, Path, Said]) -> None:
    server, root, _ = served
    save(root / "content" / "guides" / "extra.md", "---\ntitle: Extra\n---\nNew.\n")
    wait_for(server, page_has("guides/extra/index.html", b"New."))
    assert server.state.files == BuildSession(root).build()[1].files


@pytest.mark.parametrize(
    "path",
    [
        "/../playbook.yaml",
        "/..%2fplaybook.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/guides/..%5c..%5cplaybook.yaml",
        "/content/guides/welcome.md",
        "/%00index.html",
    ],
)
def test_nothing_outside_the_site_is_served(served: tuple[DevServer, Path, Said], path: str) -> None:
    server, _, _ = served
    status, _, body = get(server, path)
    assert status in (403, 404)
    assert b"title: Minimal Playbook" not in body and b"root:" not in body


def test_a_folder_is_never_listed(served: tuple[DevServer, Path, Said]) -> None:
    server, _, _ = served
    status, _, _ = get(server, "/guides/mentor/")
    assert status == 404  # the folder has no page of its own
    assert get(server, "/guides")[0] == 302


def test_a_taken_port_gives_the_next_one(project: Callable[..., Path]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = DevServer(project(), "127.0.0.1", port, lambda line: None)
        try:
            assert port < port_of(server) <= port + 19
        finally:
            server.http.server_close()


def test_the_command_serves_and_stops_cleanly_on_ctrl_c(project: Callable[..., Path]) -> None:
    root = project()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        line = ""
        while "Serving" not in line:
            line = process.stdout.readline()  # type: ignore[union-attr]
            assert line, process.stderr.read()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}/" in line
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        connection.request("GET", "/index.html")
        assert connection.getresponse().status == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Stopping." in out
    assert "Traceback" not in err


def test_in_the_browser_pages_reload_and_show_problems(served: tuple[DevServer, Path, Said], page: Any) -> None:
    server, root, _ = served
    page.set_viewport_size({"width": 800, "height": 400})
    page.goto(server.url + "guides/welcome/index.html")
    page.evaluate("window.scrollTo(0, 200); window.stayedHere = true")
    guide = root / "content" / "guides" / "welcome.md"
    with page.expect_navigation():
        save(guide, guide.read_text() + "\n" + "Long text. " * 400 + "\n\nThe end of zebras.\n")
    assert page.evaluate("window.stayedHere") is None  # the page really reloaded
    assert page.locator("text=The end of zebras.").count() == 1
    page.wait_for_function("window.scrollY > 100")

    with page.expect_navigation():  # a warning alone: the page reloads, and shows no problems
        save(root / "content" / "notes.txt", "Not part of the playbook.\n")
    assert page.locator("#playbook-problems").count() == 0

    settings = root / "playbook.yaml"
    good = settings.read_text()
    save(settings, good + "colors: {accent: blue}\n")
    overlay = page.locator("#playbook-problems")
    overlay.wait_for()
    assert "'accent' must be a hex color" in overlay.inner_text()
    sent = json.loads(get(server, DEV_STATUS)[2])["problems"]
    assert ("content/notes.txt", "warning") in [(p["path"], p["severity"]) for p in sent]
    assert "content/notes.txt" not in overlay.inner_text()  # only the errors are shown
    with page.expect_navigation():
        save(settings, good)
    assert page.locator("#playbook-problems").count() == 0


def problem_about(path: str) -> Callable[[SiteState], bool]:
    return lambda state: any(p.path == path and p.is_error for p in state.problems)


def errors_in(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The problems the dev server sends that are errors, by their severity."""
    return [p for p in problems if p["severity"] == "error"]


def test_a_link_to_nowhere_is_a_problem_and_later_saves_still_rebuild(
    served: tuple[DevServer, Path, Said],
) -> None:
    server, root, said = served
    events = Events(port_of(server), server.state.epoch)
    link = root / "content" / "guides" / "broken.md"
    link.symlink_to("nothere.md")

    wait_for(server, problem_about("content/guides/broken.md"))
    event, data = events.next()
    assert event == "problems"  # what pages show over the last good build
    assert any(p["path"] == "content/guides/broken.md" for p in errors_in(data["problems"]))
    status = json.loads(get(server, DEV_STATUS)[2])
    assert any(p["path"] == "content/guides/broken.md" for p in errors_in(status["problems"]))
    said.wait_for(lambda line: line.strip().startswith("content/guides/broken.md: error: "))
    assert "content/guides/broken.md changed: the rebuild failed; still serving the last good build" in said or any(
        line.startswith("content/guides/broken.md changed: 1 problem") for line in said
    )
    assert b"Welcome" in get(server, "/guides/welcome/index.html")[2]

    link.unlink()
    wait_for(server, lambda state: not state.problems)
    guide = root / "content" / "guides" / "welcome.md"
    save(guide, guide.read_text() + "\nWritten after the link was gone.\n")
    wait_for(server, page_has("guides/welcome/index.html", b"Written after the link was gone."))


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("templates/page.html", "missing.html"),  # a template listed, then not there to read: an OSError
        ("content/guides/loop.md", "loop.md"),  # a link to itself: a RuntimeError where Python resolves it
    ],
)
def test_a_rebuild_that_fails_unexpectedly_is_reported_and_the_next_save_rebuilds(
    served: tuple[DevServer, Path, Said], path: str, target: str
) -> None:
    server, root, said = served
    link = root / path
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(target)

    wait_for(server, lambda state: any(path in str(p) and p.is_error for p in state.problems))
    assert any(path in p["text"] for p in errors_in(json.loads(get(server, DEV_STATUS)[2])["problems"]))
    said.wait_for(lambda line: "the rebuild failed; still serving the last good build" in line)
    assert get(server, "/index.html")[0] == 200  # the last good build

    link.unlink()
    guide = root / "content" / "guides" / "welcome.md"
    save(guide, guide.read_text() + "\nSaved after the failure.\n")
    wait_for(server, page_has("guides/welcome/index.html", b"Saved after the failure."))
    assert json.loads(get(server, DEV_STATUS)[2])["problems"] == []
    assert server.state.files == BuildSession(root).build()[1].files


def test_a_burst_of_clients_is_all_answered(served: tuple[DevServer, Path, Said]) -> None:
    server, _, _ = served
    clients = 150
    start = threading.Barrier(clients)
    answers: list[int | str] = []

    def client() -> None:
        start.wait()
        try:
            answers.append(get(server, "/index.html")[0])
        except OSError as exc:
            answers.append(repr(exc))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * clients


@pytest.mark.parametrize("host", ["localhost:{port}", "localhost", "127.0.0.1:{port}", "[::1]:{port}", "LOCALHOST"])
def test_requests_for_this_computer_are_answered(served: tuple[DevServer, Path, Said], host: str) -> None:
    server, _, _ = served
    assert get(server, "/index.html", host.format(port=port_of(server)))[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost.evil.example", "localhost:x"])
def test_requests_for_other_names_are_refused(
    served: tuple[DevServer, Path, Said], caplog: pytest.LogCaptureFixture, host: str
) -> None:
    server, _, _ = served
    status, kind, body = get(server, "/index.html", host.format(port=port_of(server)))
    assert status == 421 and kind.startswith("text/plain")
    assert b"answers only to http://127.0.0.1:" in body and b"Minimal Playbook" not in body
    assert get(server, "/__playbook__/status", host.format(port=port_of(server)))[0] == 421
    refused = [r.getMessage() for r in caplog.records if "refused a request for the host" in r.getMessage()]
    assert len(refused) == 1  # told once, however many requests


def test_the_host_given_is_answered(project: Callable[..., Path]) -> None:
    server = DevServer(project(), "localhost", 0, lambda line: None)
    try:
        server.start()
        assert get(server, "/index.html", f"localhost:{port_of(server)}")[0] == 200
        assert get(server, "/index.html", "example.org")[0] == 421
    finally:
        server.stop()


def test_a_bad_epoch_is_refused_without_a_traceback(
    served: tuple[DevServer, Path, Said], capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    server, _, _ = served
    status, _, body = get(server, "/__playbook__/events?epoch=abc")
    assert status == 400 and b"whole number" in body
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_client_that_hangs_up_leaves_no_traceback(
    project: Callable[..., Path], capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    big = bytes(range(256)) * (9 * 4096)  # 9 MB: more than the sockets hold, so the server is still writing
    server = DevServer(project({"content/assets/big.bin": big}), "127.0.0.1", 0, lambda line: None)
    server.start()
    try:
        before = set(threading.enumerate())
        with socket.create_connection(("127.0.0.1", port_of(server)), timeout=WAIT) as client:
            client.sendall(b"GET /assets/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert client.recv(1024).startswith(b"HTTP/1.0 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close: a reset
        for thread in set(threading.enumerate()) - before:  # the request's thread, done with the reset
            thread.join(WAIT)
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_idle_connection_is_closed(served: tuple[DevServer, Path, Said], monkeypatch: pytest.MonkeyPatch) -> None:
    server, _, _ = served
    monkeypatch.setattr(serve_http, "IDLE_SECONDS", 0.5)
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=WAIT) as client:
        client.sendall(b"GET /index.html HTTP/1.1\r\n")  # and never the rest
        assert client.recv(1024) == b""  # closed by the server


def test_a_build_beside_the_server_reloads_no_page(served: tuple[DevServer, Path, Said]) -> None:
    server, root, said = served
    epoch = server.state.epoch
    build(root)  # the site, its staging folder beside it, the content cache and its temporary files
    build(root, cache=False)  # a whole new site: the old one is moved aside, then deleted
    assert (root / "_site" / "index.html").is_file() and (root / ".playbook-cache").is_dir()

    # The watcher reports changes in the order they happened: whatever the builds did came before this save.
    guide = root / "content" / "guides" / "welcome.md"
    save(guide, guide.read_text() + "\nAfter the builds.\n")
    wait_for(server, page_has("guides/welcome/index.html", b"After the builds."))
    said.wait_for(lambda line: line.startswith("content/guides/welcome.md changed: "))
    assert server.state.epoch == epoch + 1
    assert [line for line in said if "changed" in line] == [said[-1]]  # one rebuild since the first, for the save


def test_an_input_folder_made_while_serving_is_watched(served: tuple[DevServer, Path, Said]) -> None:
    server, root, _ = served
    assert not (root / "templates").exists()
    theme = REPO / "themes" / "default" / "templates" / "guide.html"
    (root / "templates").mkdir()
    wait_for(server, lambda state: state.epoch >= 1)  # the folder alone changes nothing, but may rebuild
    save(root / "templates" / "guide.html", theme.read_text().replace("<h1>", "<h1>Our own: "))
    wait_for(server, page_has("guides/welcome/index.html", b"Our own: "))


@pytest.mark.parametrize(
    ("path", "seen"),
    [
        ("content/guides/welcome.md", True),
        ("playbook.yaml", True),
        ("templates/page.html", True),
        ("themes/mine/static/site.css", True),
        ("_site/index.html", False),
        ("._site.new-4242/index.html", False),
        ("._site.old-4242/guides/welcome/index.html", False),
        ("._public.new-17/index.html", False),
        ("public/index.html", False),  # built with `-o public`
        (".playbook-cache/build.pickle", False),
        (".playbook-cache/.build.pickle.4242", False),
        (".playbook-cache/.inputs.json.4242", False),
        ("content/guides/.#welcome.md", False),
        ("content/guides/welcome.md.tmp", False),
        ("README.md", False),
    ],
)
def test_the_watcher_sees_only_what_a_build_reads(tmp_path: Path, path: str, seen: bool) -> None:
    root = tmp_path.resolve()
    assert (serve_watch.input_path(root, str(root / path)) == path) is seen
