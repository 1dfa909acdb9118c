"""The dev server: serves the site, rebuilds on change, signals reloads, shows problems, refuses to leave the site."""

from __future__ import annotations

import http.client
import json
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from generator.build import BuildSession
from generator.serve import DevServer


class Events:
    """The server's event stream, read in the background."""

    def __init__(self, port: int, epoch: int) -> None:
        self.received: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
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

    def next(self, timeout: float = 10) -> tuple[str, dict[str, Any]]:
        return self.received.get(timeout=timeout)


@pytest.fixture
def served(project: Callable[..., Path]) -> Iterator[tuple[DevServer, Path, list[str]]]:
    root = project()
    said: list[str] = []
    server = DevServer(root, "127.0.0.1", 0, said.append)
    server.start()
    yield server, root, said
    server.stop()


def get(server: DevServer, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.http.server_address[1], timeout=10)
    connection.request("GET", path)  # sent as written: http.client does not tidy the path
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type") or "", body


def without_script(page: bytes) -> bytes:
    """The page as built, without the reload script the server adds (whose epoch changes)."""
    return re.sub(rb'<script src="/__playbook__/live\.js\?epoch=\d+" defer></script>', b"", page)


def port_of(server: DevServer) -> int:
    return int(server.http.server_address[1])


def test_it_serves_the_site_with_the_reload_script(served: tuple[DevServer, Path, list[str]]) -> None:
    server, _, said = served
    status, kind, body = get(server, "/")
    assert status == 200 and kind == "text/html; charset=utf-8"
    assert b'<script src="/__playbook__/live.js?epoch=1" defer></script></head>' in body
    assert get(server, "/static/playbook.css")[1] == "text/css; charset=utf-8"
    assert get(server, "/guides/welcome/index.html")[0] == 200
    assert server.url.startswith("http://127.0.0.1:")
    assert said[0].startswith("Built the site: rendered ")


def test_a_change_is_rebuilt_and_signalled(served: tuple[DevServer, Path, list[str]]) -> None:
    server, root, said = served
    events = Events(port_of(server), server.state.epoch)
    guide = root / "content" / "guides" / "welcome.md"
    guide.write_text(guide.read_text() + "\nA sentence about zebras.\n", encoding="utf-8")

    event, data = events.next()

    assert event == "reload" and data["epoch"] == 2
    assert b"A sentence about zebras." in get(server, "/guides/welcome/index.html")[2]
    assert any(line.startswith("content/guides/welcome.md changed: rendered 1 page in ") for line in said)


def test_quick_saves_become_one_rebuild(served: tuple[DevServer, Path, list[str]]) -> None:
    server, root, _ = served
    events = Events(port_of(server), server.state.epoch)
    guide = root / "content" / "guides" / "welcome.md"
    for n in range(5):
        guide.write_text(guide.read_text() + f"\nSave {n}.\n", encoding="utf-8")
    events.next()
    time.sleep(0.5)
    assert events.received.empty()
    assert server.state.epoch == 2
    assert b"Save 4." in get(server, "/guides/welcome/index.html")[2]


def test_broken_content_shows_problems_and_keeps_the_last_good_site(served: tuple[DevServer, Path, list[str]]) -> None:
    server, root, said = served
    before = get(server, "/index.html")[2]
    events = Events(port_of(server), server.state.epoch)
    settings = root / "playbook.yaml"
    good = settings.read_text()
    settings.write_text(good + "title: [broken\n", encoding="utf-8")

    event, data = events.next()
    assert event == "problems"
    assert data["problems"][0].startswith("playbook.yaml:")
    assert without_script(get(server, "/index.html")[2]) == without_script(before)  # the last good build, still served
    status = json.loads(get(server, "/__playbook__/status")[2])
    assert status["problems"] == data["problems"]
    assert any("still serving the last good build" in line for line in said)

    settings.write_text(good, encoding="utf-8")
    event, _ = events.next()
    assert event == "reload"
    assert json.loads(get(server, "/__playbook__/status")[2])["problems"] == []


def test_the_rebuilt_site_equals_a_clean_build(served: tuple[DevServer, Path, list[str]]) -> None:
    server, root, _ = served
    events = Events(port_of(server), server.state.epoch)
    (root / "content" / "guides" / "extra.md").write_text("---\ntitle: Extra\n---\nNew.\n", encoding="utf-8")
    events.next()
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
def test_nothing_outside_the_site_is_served(served: tuple[DevServer, Path, list[str]], path: str) -> None:
    server, _, _ = served
    status, _, body = get(server, path)
    assert status in (403, 404)
    assert b"title: Minimal Playbook" not in body and b"root:" not in body


def test_a_folder_is_never_listed(served: tuple[DevServer, Path, list[str]]) -> None:
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
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/index.html")
        assert connection.getresponse().status == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Stopping." in out
    assert "Traceback" not in err


def test_in_the_browser_pages_reload_and_show_problems(served: tuple[DevServer, Path, list[str]], page: Any) -> None:
    server, root, _ = served
    page.set_viewport_size({"width": 800, "height": 400})
    page.goto(server.url + "guides/welcome/index.html")
    page.evaluate("window.scrollTo(0, 200); window.stayedHere = true")
    guide = root / "content" / "guides" / "welcome.md"
    with page.expect_navigation():
        guide.write_text(guide.read_text() + "\n" + "Long text. " * 400 + "\n\nThe end of zebras.\n", encoding="utf-8")
    assert page.evaluate("window.stayedHere") is None  # the page really reloaded
    assert page.locator("text=The end of zebras.").count() == 1
    page.wait_for_function("window.scrollY > 100")

    settings = root / "playbook.yaml"
    good = settings.read_text()
    settings.write_text(good + "colors: {accent: blue}\n", encoding="utf-8")
    overlay = page.locator("#playbook-problems")
    overlay.wait_for()
    assert "'accent' must be a hex color" in overlay.inner_text()
    with page.expect_navigation():
        settings.write_text(good, encoding="utf-8")
    assert page.locator("#playbook-problems").count() == 0
