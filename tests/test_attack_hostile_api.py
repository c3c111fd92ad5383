"""Attack: hostile HTTP answers and the S2 key. A small local server plays the hostile host.

Each case is bounded in time and memory and ends in one SourceError (or clean data):
200 MB bodies (with and without Content-Length, generated while sent, never allocated), a gzip
bomb, a slow drip, JSON nested 100,000 deep, endless ``next`` pages, redirects to another host
(the key must not follow), to file:// and in a loop, and S2 text carrying NUL, terminal escapes
and an unbalanced brace. The S2 key (a canary, pasted with a trailing CR/LF) is never sent to
another host, never stored in the HTTP cache, never in a message.
"""

from __future__ import annotations

import gzip
import json
import resource
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pubman.errors import SourceError
from pubman.sources import bounds
from pubman.sources import semanticscholar as s2
from pubman.sources.http import HttpClient

CANARY = "canary-KEY-5f1e2d"
MB = 1024 * 1024
_BOMB = gzip.compress(b"\0" * (64 * MB), compresslevel=9)  # ~64 KB that inflate to 64 MB
PAPER = {
    "paperId": "p1",
    "title": "Safe\x00 Title \x1b]52;c;aGk=\x07here",
    "authors": [{"name": "Ann\x1b[2J Lee", "authorId": "1"}],
    "externalIds": {"DOI": "10.1/{unbalanced"},
    "year": 2020,
}


class Hostile(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str, dict[str, str]]]] = []

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        host = self.headers.get("Host", "")
        Hostile.seen.append((host, self.path, {k.lower(): v for k, v in self.headers.items()}))
        path = self.path.split("?")[0]
        port = self.server.server_address[1]
        if path.endswith("/match") and "redirect" in self.path:
            self._send(302, Location=f"http://localhost:{port}/elsewhere")
        elif path.endswith("/match") and "file" in self.path:
            self._send(302, Location="file:///etc/passwd")
        elif path.endswith("/match") and "loop" in self.path:
            self._send(302, Location=self.path)
        elif path.endswith("/match") and "huge" in self.path:
            self._stream(200 * MB, declared="declared" in self.path)
        elif path.endswith("/match") and "bomb" in self.path:
            self._send(200, _BOMB, Content_Type="application/json", Content_Encoding="gzip")
        elif path.endswith("/match") and "drip" in self.path:
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        elif path.endswith("/match") and "deep" in self.path:
            self._send(200, b"[" * 100_000 + b"]" * 100_000, Content_Type="application/json")
        elif path.endswith("/match"):
            self._send(200, json.dumps({"data": [PAPER]}).encode())
        elif "/papers" in path:
            offset = int(self.path.split("offset=")[1].split("&")[0])
            page = {"data": [dict(PAPER, paperId=f"p{offset}")], "next": offset + 1}
            self._send(200, json.dumps(page).encode())
        else:
            self._send(200, b'{"data": []}')

    def _stream(self, size: int, declared: bool) -> None:
        self.send_response(200)
        if declared:
            self.send_header("Content-Length", str(size))
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"x" * MB
        try:
            for _ in range(size // MB):
                self.wfile.write(chunk)
        except OSError:
            pass  # the client hung up, as it should
        self.close_connection = True


@pytest.fixture
def hostile() -> Iterator[str]:
    Hostile.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _client(base: str, tmp_path: Path, key: str | None = CANARY + "\r\n") -> s2.SemanticScholar:
    http = HttpClient(
        cache_path=tmp_path / "http.sqlite",
        min_interval=0.0,
        backoff_base=0.01,
        backoff_cap=0.02,
        read_timeout=2.0,
        max_attempts=2,
    )
    return s2.SemanticScholar(http, base + "/graph/v1/", api_key=key)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("huge", "larger than 32 MB"),
        ("huge-declared", "larger than 32 MB"),
        ("bomb", "larger than 32 MB"),
        ("deep", "nested too deeply"),
        ("file", "failed"),
        ("loop", "failed"),
    ],
)
def test_hostile_answers_end_in_one_clear_error_within_bounds(
    hostile: str, tmp_path: Path, query: str, match: str
) -> None:
    client = _client(hostile, tmp_path)
    before, start = _peak_mb(), time.monotonic()
    with pytest.raises(SourceError, match=match) as err:
        client.match_title(query)
    assert time.monotonic() - start < 15
    assert _peak_mb() - before < 200  # a 200 MB body or a 64 MB bomb never sits in memory
    assert CANARY not in str(err.value) and CANARY not in repr(err.value)
    assert "\r" not in str(err.value) and "\n" not in str(err.value)
    assert CANARY.encode() not in (tmp_path / "http.sqlite").read_bytes()


def test_slow_drip_is_cut_off(
    hostile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_BODY_SECONDS", 1.0)
    start = time.monotonic()
    with pytest.raises(SourceError, match="too slowly"):
        _client(hostile, tmp_path).match_title("drip")
    assert time.monotonic() - start < 4  # the drip would take 5 s, retried twice 10 s


def test_key_is_not_sent_after_a_redirect_to_another_host(hostile: str, tmp_path: Path) -> None:
    client = _client(hostile, tmp_path)
    try:
        client.match_title("redirect")
    except SourceError:
        pass
    first = [h for host, p, h in Hostile.seen if "/match" in p]
    elsewhere = [h for host, p, h in Hostile.seen if p.startswith("/elsewhere")]
    assert first and first[0].get("x-api-key") == CANARY  # stripped of its CR/LF
    assert elsewhere, "the redirect was not followed"
    assert all("x-api-key" not in h for h in elsewhere)
    assert CANARY.encode() not in (tmp_path / "http.sqlite").read_bytes()


def test_remote_text_is_cleaned_on_the_way_in(hostile: str, tmp_path: Path) -> None:
    paper = _client(hostile, tmp_path).match_title("ok")
    assert paper is not None
    assert paper.title == "Safe Title here"
    assert paper.authors == ("Ann Lee",)
    assert paper.doi is not None and "{" not in paper.doi


def test_endless_pagination_stops(
    hostile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s2, "MAX_PAGES", 5)
    with pytest.raises(SourceError, match="more than 5 pages"):
        _client(hostile, tmp_path).author_papers("42")
    assert len([p for _, p, _ in Hostile.seen if "/papers" in p]) == 5
