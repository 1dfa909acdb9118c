"""How long the dev server takes from saving a guide to telling the browser to reload.

Starts `playbook serve` (in this process) on a generated playbook, listens to its
event stream as a browser does, then edits one guide again and again. Each time it
measures from the moment the file is written to the moment the reload event
arrives: the watcher, the wait for quiet, the rebuild and the signal. At the end it
checks that the served site equals a clean build of the same files.

    python benchmarks/serve_latency.py            # 1,000 guides, 20 edits
    python benchmarks/serve_latency.py 5000 --edits 30
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import write_corpus
from generator.build import BuildSession
from generator.serve import DevServer


def listen(port: int, arrived: list[float], signal: threading.Event) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/__playbook__/events?epoch=1")
    for line in connection.getresponse():
        if line.startswith(b"event: reload"):
            arrived.append(time.perf_counter())
            signal.set()


def measure_reload(root: Path, edits: int = 20) -> float:
    """The median seconds from saving a guide to the reload signal, serving `root`; checks the result."""
    server = DevServer(root, "127.0.0.1", 0, lambda line: None)
    server.start()
    arrived: list[float] = []
    signal = threading.Event()
    threading.Thread(target=listen, args=(server.http.server_address[1], arrived, signal), daemon=True).start()
    time.sleep(0.5)
    guide = sorted((root / "content" / "guides").rglob("*.md"))[7]
    waits = []
    try:
        for edit in range(edits):
            signal.clear()
            text = guide.read_text(encoding="utf-8") + f"\nEdit {edit}: a sentence about a zebra.\n"
            written = time.perf_counter()
            guide.write_text(text, encoding="utf-8")
            if not signal.wait(10):
                raise SystemExit("no reload event within 10 s")
            waits.append(arrived[-1] - written)
            time.sleep(0.1)  # let the next save be a new one, as a person's would be
        if server.state.files != BuildSession(root).build()[1].files:
            raise SystemExit("the served site differs from a clean build")
    finally:
        server.stop()
    return statistics.median(waits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("guides", type=int, nargs="?", default=1000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = write_corpus(args.guides, Path(folder) / "playbook")
        median = measure_reload(root, args.edits)
    print(
        f"{args.guides} guides, {args.edits} edits: save to reload signal, median {median * 1000:.0f} ms; "
        "the served site equals a clean build"
    )


if __name__ == "__main__":
    main()
