"""A local stand-in for the « API Recherche d'entreprises »: a real HTTP server, in a thread,
that answers ``GET /search?q=…`` with responses recorded from the real API.

The recordings are in ``tests/grants/directory_responses/``, one per query, as
``{"searchTerms": <q>, "result": <the API's JSON answer>}``, unchanged since they were recorded
(the recorder dropped only the timing field ``execution_time`` and each result's ``meta``).
A query that was not recorded gets the recorded answer for a number the directory does not
know (no results), which is what the API answers whatever the unknown number.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDINGS = Path(__file__).parent / "grants" / "directory_responses"
UNKNOWN = "12345678900003"  # recorded: the directory knows no such SIRET


def _recordings() -> dict[str, bytes]:
    answers = {}
    for path in RECORDINGS.glob("search-*.json"):
        recording = json.loads(path.read_text(encoding="utf-8"))
        answers[recording["searchTerms"]] = json.dumps(recording["result"]).encode()
    return answers


class _Handler(BaseHTTPRequestHandler):
    server: RecordedDirectory

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        url = urlsplit(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        self.server.queries.append(query)
        if self.server.delay:
            time.sleep(self.server.delay)
        if url.path != "/search":
            self.send_error(404)
            return
        if self.server.status != 200:
            self.send_error(self.server.status)
            return
        body = self.server.answers.get(query, self.server.answers[UNKNOWN])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class RecordedDirectory(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers = _recordings()
        self.queries: list[str] = []
        self.delay = 0.0  # seconds before answering: a slow directory
        self.status = 200  # another status: a directory in trouble
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> RecordedDirectory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def closed_port_url() -> str:
    """The URL of a port nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
