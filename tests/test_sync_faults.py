"""Fault injection through the replay server: every failure of a source ends `pubman sync`
with one clear message naming the service and what to do, exit 1, and every file as it was."""

from __future__ import annotations

import time

import pytest
from _synccli import OWNER_ID, make_workspace
from replay import (
    drop_connection,
    entity_bomb,
    hang,
    html_error_page,
    json_reply,
    malformed_atom,
    server_error,
    short_body,
    too_many_requests,
    truncated_json,
)

AUTHOR = f"/graph/v1/author/{OWNER_ID}/papers"
ARXIV = "/api/query"

S2_FAULTS = {
    "429 without Retry-After": (too_many_requests(), "rate limited (HTTP 429)"),
    "429 with Retry-After": (too_many_requests("1"), "rate limited (HTTP 429)"),
    "500": (server_error(500), "server error (HTTP 500)"),
    "503": (server_error(503), "server error (HTTP 503)"),
    "hang": (hang(30), "did not answer within"),
    "truncated JSON": (truncated_json(), "malformed response"),
    "short body": (short_body(), "cut off"),
    "dropped connection": (drop_connection(), "cannot reach"),
    "HTML error page": (html_error_page(502), "HTTP 502"),
    "JSON of the wrong shape": (
        json_reply({"offset": 0, "data": {"no": "list"}}),
        "malformed response",
    ),
}

ARXIV_FAULTS = {
    "malformed Atom": (malformed_atom(), "malformed response"),
    "XML entity bomb": (entity_bomb(), "unsafe XML"),
    "429": (too_many_requests(), "rate limited (HTTP 429)"),
    "503": (server_error(503), "server error (HTTP 503)"),
    "HTML page with 200": (html_error_page(200), "HTML page"),
}


def _assert_clean_failure(ws, done, service: str, words: str, before: bytes) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith(f"error: {service}: ") and words in errors[0], errors[0]
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and lines[1].startswith("  "), done.stderr  # the error and its hint
    assert "Traceback" not in done.stderr
    assert ws.bib.read_bytes() == before
    assert not ws.state.exists() and not ws.citations.exists()
    assert not list(ws.root.glob("*.bak")) and not list(ws.root.glob(".*pubman-tmp*"))


@pytest.mark.parametrize("fault", list(S2_FAULTS))
def test_semantic_scholar_failure_leaves_everything_untouched(tmp_path, replay_server, fault):
    reply, words = S2_FAULTS[fault]
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", AUTHOR, reply, query={"offset": "0"})
    before = ws.bib.read_bytes()
    started = time.monotonic()
    done = ws.run("sync", PUBMAN_HTTP_TIMEOUT="0.5")
    assert time.monotonic() - started < 20
    _assert_clean_failure(ws, done, "Semantic Scholar", words, before)


@pytest.mark.parametrize("fault", list(ARXIV_FAULTS))
def test_arxiv_failure_leaves_everything_untouched(tmp_path, replay_server, fault):
    reply, words = ARXIV_FAULTS[fault]
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", ARXIV, reply, query={"start": "0"})
    before = ws.bib.read_bytes()
    done = ws.run("sync")
    _assert_clean_failure(ws, done, "arXiv", words, before)


def test_retries_are_counted_and_the_hint_says_what_to_do(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", AUTHOR, too_many_requests(), query={"offset": "0"})
    done = ws.run("sync", PUBMAN_HTTP_RETRIES="2")
    assert "after 2 attempts" in done.stderr
    assert replay_server.count("GET", AUTHOR) == 2
    hint = done.stderr.splitlines()[1]
    assert "S2_API_KEY" in hint or "try again" in hint


def test_retry_after_is_honoured_then_the_sync_succeeds(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ok = replay_server.routes[0].replies[0]  # the scenario's author papers page
    replay_server.add("GET", AUTHOR, [too_many_requests("0.3"), ok], query={"offset": "0"})
    started = time.monotonic()
    done = ws.run("sync", PUBMAN_HTTP_RETRY_AFTER_CAP="5")
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 0.3
    assert replay_server.count("GET", AUTHOR) == 2


def test_a_transient_500_is_retried(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ok = replay_server.routes[0].replies[0]
    replay_server.add(
        "GET", AUTHOR, [server_error(500), server_error(503), ok], query={"offset": "0"}
    )
    done = ws.run("sync")
    assert done.returncode == 0, done.stderr
    assert "trockman2024mimetic" in ws.bib.read_text(encoding="utf-8")


def test_unknown_author_id(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    before = ws.bib.read_bytes()
    done = ws.run("sync", "--author-id", "42")
    # the replay server answers unknown routes with 501: the message names the service
    _assert_clean_failure(ws, done, "Semantic Scholar", "HTTP 501", before)


def test_no_server_at_all(tmp_path, replay_server):
    from replay import closed_port_url

    ws = make_workspace(tmp_path, replay_server)
    before = ws.bib.read_bytes()
    dead = closed_port_url()
    done = ws.run("sync", PUBMAN_S2_API_URL=dead + "/graph/v1", PUBMAN_HTTP_RETRIES="1")
    _assert_clean_failure(ws, done, "Semantic Scholar", "cannot reach", before)
    assert "--offline" in done.stderr
