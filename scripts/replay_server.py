#!/usr/bin/env python3
"""Replay recorded API responses from a local HTTP server, so `pubman sync` works offline.

Usage::

    python scripts/replay_server.py SCENARIO_DIR [--host 127.0.0.1] [--port 8765] [--quiet]

(``--quiet``: no access log and no banner, so the server's lines never land in pubman's
output when both share a terminal; stop a server started with ``&`` by ``kill %1``)

then, in another shell, point pubman at it and sync::

    export PUBMAN_S2_API_URL=http://127.0.0.1:8765/graph/v1
    export PUBMAN_ARXIV_API_URL=http://127.0.0.1:8765/api/query
    export PUBMAN_CACHE_DIR=$(mktemp -d)      # keep replayed answers out of your real cache
    pubman sync

``SCENARIO_DIR`` holds ``routes.json``::

    {"routes": [
      {"method": "GET", "path": "/graph/v1/author/1723755/papers", "query": {"offset": "800"},
       "replies": [{"status": 429, "body_file": "s2_429.json"},
                   {"status": 200, "body_file": "s2_author_papers_offset800.json"}]},
      {"method": "POST", "path": "/graph/v1/paper/batch", "json": {"ids": ["ARXIV:1706.03762"]},
       "replies": [{"json": [null]}]}
    ]}

A route matches when method and path are equal, every ``query`` item is in the request's query
string, and ``json`` (when given) equals the request's JSON body; the most specific match wins.
``replies`` are served in order and the last one repeats. A reply has ``status`` (200),
``headers``, and one of ``body`` (text), ``json`` (any JSON value) or ``body_file`` (relative to
the scenario directory); ``content_type`` defaults from the file suffix. ``fault`` injects a
failure: ``"hang"`` (answer after ``delay`` seconds, default 30), ``"short_body"`` (promise more
bytes than are sent, then close), ``"drop"`` (close without answering), ``"drip"`` (send the
body one byte every ``delay`` seconds: never silent long enough for a read timeout). Unmatched
requests get
HTTP 501 with a text body naming the request.

This file is stdlib-only and not part of the installed package. The test-suite imports it by
path (``tests/replay.py``) to get :class:`ReplayServer` and the fault helpers, so the tests and
the command line share one server.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from typing import Self

_ANY = object()  # "no JSON body constraint"
_TYPES = {
    ".json": "application/json",
    ".xml": "application/atom+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


@dataclass
class Reply:
    """One canned answer, possibly a fault (see the module docstring)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    delay: float = 0.0


@dataclass
class Route:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    replies: list[Reply]
    hits: int = 0

    def specificity(self) -> int:
        return len(self.query) + (0 if self.json is _ANY else 100)

    def matches(self, method: str, path: str, query: dict[str, str], body: bytes) -> bool:
        if method != self.method or path != self.path:
            return False
        if any(query.get(k) != v for k, v in self.query.items()):
            return False
        if self.json is _ANY:
            return True
        try:
            return bool(json.loads(body) == self.json)
        except ValueError:
            return False


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server saw it; ``query`` keeps the last value of each parameter."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


# -- canned replies and faults -------------------------------------------------------------


def json_reply(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    body = value if isinstance(value, bytes) else json.dumps(value).encode()
    return Reply(status, body, {"Content-Type": "application/json", **(headers or {})})


def atom_reply(body: bytes, status: int = 200) -> Reply:
    return Reply(status, body, {"Content-Type": _TYPES[".xml"]})


def too_many_requests(retry_after: str | None = None) -> Reply:
    """S2's real 429 body; with ``Retry-After`` only when asked (S2 does not send it)."""
    body = {
        "message": "Too Many Requests. Please wait and try again or apply for a key for "
        "higher rate limits.",
        "code": "429",
    }
    return json_reply(body, 429, {"Retry-After": retry_after} if retry_after else None)


def server_error(status: int = 503) -> Reply:
    return json_reply({"message": "Service Unavailable"}, status)


def hang(seconds: float = 30.0) -> Reply:
    """Answer only after ``seconds`` (or when the server stops): longer than a read timeout."""
    return Reply(200, b"{}", {"Content-Type": "application/json"}, fault="hang", delay=seconds)


def drip(interval: float = 1.0, body: bytes = b'{"data": []}') -> Reply:
    """Headers at once, then the body one byte every ``interval`` seconds (a slow drip)."""
    headers = {"Content-Type": "application/json"}
    return Reply(200, body, headers, fault="drip", delay=interval)


def truncated_json() -> Reply:
    """A complete HTTP answer whose JSON body stops half-way."""
    return json_reply(b'{"offset": 0, "data": [{"paperId": "abc", "title": "Half a')


def short_body() -> Reply:
    """Headers promise more bytes than are sent, then the connection closes."""
    return Reply(200, b'{"data": [', {"Content-Type": "application/json"}, fault="short_body")


def drop_connection() -> Reply:
    return Reply(fault="drop")


def malformed_atom() -> Reply:
    return atom_reply(
        b"<?xml version='1.0'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        b"<entry><id>http://arxiv.org/abs/1234.5678v1</id><title>Cut</entry>"
    )


def entity_bomb() -> Reply:
    """A 'billion laughs' document: must be refused, never expanded."""
    lol = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    return atom_reply(
        b'<?xml version="1.0"?>\n<!DOCTYPE feed [' + lol + b"]>\n"
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>'
    )


def html_error_page(status: int = 502) -> Reply:
    body = (
        b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
        b"<body><h1>Bad Gateway</h1></body></html>"
    )
    return Reply(status, body, {"Content-Type": _TYPES[".html"]})


def closed_port_url(host: str = "127.0.0.1") -> str:
    """A URL on a port nobody listens on: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    return f"http://{host}:{port}"


# -- the server ----------------------------------------------------------------------------


class ReplayServer:
    """A threaded HTTP server on ``host`` (port 0 picks a free port) serving :class:`Route`s."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: list[Route] = []
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.verbose = False  # log each request to stderr (the command line turns it on)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return (
            f"http://{host!s}:{port}" if isinstance(host, str) else f"http://{host.decode()}:{port}"
        )

    def add(
        self,
        method: str,
        path: str,
        replies: Reply | Iterable[Reply],
        *,
        query: dict[str, str] | None = None,
        json_body: Any = _ANY,
    ) -> Route:
        """Serve ``replies`` (in order, the last repeating) for matching requests."""
        items = [replies] if isinstance(replies, Reply) else list(replies)
        if not items:
            raise ValueError("a route needs at least one reply")
        route = Route(method.upper(), path, dict(query or {}), json_body, items)
        with self._lock:
            self.routes.append(route)
        return route

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests arrived, optionally only those with this method and/or path."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path is None or r.path == path)
            )

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def load_scenario(self, directory: str | Path) -> None:
        """Add every route of ``directory/routes.json`` (format in the module docstring)."""
        root = Path(directory)
        spec = json.loads((root / "routes.json").read_text(encoding="utf-8"))
        for item in spec["routes"]:
            replies = [_reply_from_spec(root, r) for r in item["replies"]]
            self.add(
                item.get("method", "GET"),
                item["path"],
                replies,
                query={k: str(v) for k, v in item.get("query", {}).items()},
                json_body=item.get("json", _ANY),
            )

    def _answer(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            candidates = [
                r
                for r in self.routes
                if r.matches(request.method, request.path, request.query, request.body)
            ]
            if not candidates:
                text = f"replay server: no route for {request.method} {request.path}"
                return Reply(501, text.encode(), {"Content-Type": "text/plain"})
            route = max(candidates, key=Route.specificity)  # max keeps the first of equals
            reply = route.replies[min(route.hits, len(route.replies) - 1)]
            route.hits += 1
            return reply


def _reply_from_spec(root: Path, spec: dict[str, Any]) -> Reply:
    headers = dict(spec.get("headers", {}))
    if "body_file" in spec:
        path = root / spec["body_file"]
        body = path.read_bytes()
        headers.setdefault(
            "Content-Type",
            spec.get("content_type") or _TYPES.get(path.suffix, "application/octet-stream"),
        )
    elif "json" in spec:
        body = json.dumps(spec["json"]).encode()
        headers.setdefault("Content-Type", "application/json")
    else:
        body = str(spec.get("body", "")).encode()
    return Reply(
        int(spec.get("status", 200)),
        body,
        headers,
        spec.get("fault"),
        float(spec.get("delay", 30.0 if spec.get("fault") == "hang" else 0.0)),
    )


def _make_handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            recorded = RecordedRequest(
                self.command,
                parts.path,
                dict(parse_qsl(parts.query, keep_blank_values=True)),
                {k: v for k, v in self.headers.items()},
                body,
            )
            self._send(server._answer(recorded))

        def _send(self, reply: Reply) -> None:
            if reply.fault == "drop":
                self.close_connection = True
                return
            if reply.fault == "drip":
                self._drip(reply)
                return
            if reply.fault == "hang" or reply.delay:
                server._stopping.wait(reply.delay)
            self.close_connection = True
            extra = 64 if reply.fault == "short_body" else 0
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body) + extra))
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test): nothing to do

        def _drip(self, reply: Reply) -> None:
            self.close_connection = True
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                for i in range(len(reply.body)):
                    self.wfile.write(reply.body[i : i + 1])
                    self.wfile.flush()
                    if server._stopping.wait(reply.delay):
                        return
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_HEAD = _handle

        def log_message(self, format: str, *args: Any) -> None:
            if server.verbose:
                sys.stderr.write("replay: " + format % args + "\n")

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", type=Path, help="directory containing routes.json")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--quiet", action="store_true", help="print nothing (no banner, no access log)"
    )
    args = parser.parse_args(argv)
    server = ReplayServer(args.host, args.port)
    server.load_scenario(args.scenario)
    server.verbose = not args.quiet
    if not args.quiet:
        print(f"replaying {len(server.routes)} routes from {args.scenario} at {server.url}")
        print(f"  PUBMAN_S2_API_URL={server.url}/graph/v1")
        print(f"  PUBMAN_ARXIV_API_URL={server.url}/api/query")
        print("  stop it with Ctrl-C (or `kill %1` when started with &)", flush=True)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
