"""Waits you can see, with a bound: a silent host fails after the read timeout, the whole sync
stops at its --timeout deadline (also against a server that drips a byte at a time), answers
received before it stay cached for the rerun, Ctrl-C writes nothing, and the progress line
names the host, the request and the attempt. Small bounds: each test takes seconds."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from _synccli import OWNER_ID, make_workspace
from replay import drip, hang, json_reply, too_many_requests

from pubman.cli.progress import Progress, describe
from pubman.sources.http import HttpClient
from pubman.sources.httpdata import Service

# the whole scenario is loaded, and these syncs stop early on purpose
pytestmark = pytest.mark.unused_routes("the sync is stopped before it reaches every route")

AUTHOR = f"/graph/v1/author/{OWNER_ID}/papers"
ARXIV = "/api/query"


def _assert_untouched(ws, before: bytes) -> None:
    assert ws.bib.read_bytes() == before
    assert not ws.state.exists() and not ws.citations.exists()
    assert not list(ws.root.glob("*.bak")) and not list(ws.root.glob(".*pubman-tmp*"))


def _one_error(stderr: str) -> str:
    errors = [ln for ln in stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in stderr, stderr
    return errors[0]


def test_a_silent_host_fails_after_the_read_timeout(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", AUTHOR, hang(30), query={"offset": "0"})
    before = ws.bib.read_bytes()
    started = time.monotonic()
    done = ws.run("sync", "--read-timeout", "0.5")  # the flag wins over PUBMAN_HTTP_TIMEOUT
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    host = replay_server.url.split("//")[1]
    assert f"{host} did not answer within 0.5 s" in _one_error(done.stderr)
    assert elapsed < 10  # 3 attempts of 0.5 s, not the 30 s the server would take
    _assert_untouched(ws, before)


def test_the_deadline_stops_a_hanging_sync_and_says_what_it_got(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", ARXIV, hang(30), query={"start": "0"})
    before = ws.bib.read_bytes()
    started = time.monotonic()
    done = ws.run("sync", "--timeout", "2", "--read-timeout", "20", PUBMAN_HTTP_TIMEOUT="")
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stdout
    error = _one_error(done.stderr)
    host = replay_server.url.split("//")[1]
    assert f"stopped at the 2 s deadline while waiting for {host} (attempt 1 of" in error
    assert "got 1 answer before it" in error  # the author page
    assert "nothing was written" in done.stderr and "--timeout" in done.stderr
    assert elapsed < 8
    _assert_untouched(ws, before)


def test_answers_got_before_the_deadline_are_reused_by_the_rerun(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ok = next(r for r in replay_server.routes if r.path == ARXIV).replies[0]
    replay_server.add("GET", ARXIV, [hang(30), ok], query={"start": "0"})
    assert ws.run("sync", "--timeout", "1.5").returncode == 1
    assert replay_server.count("GET", AUTHOR) == 1
    done = ws.run("sync")
    assert done.returncode == 0, done.stderr
    assert replay_server.count("GET", AUTHOR) == 1  # from the cache this time
    assert "trockman2024mimetic" in ws.bib.read_text(encoding="utf-8")


def test_the_deadline_stops_a_drip_that_never_trips_the_read_timeout(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", AUTHOR, drip(0.2, b" " * 200 + b"{}"), query={"offset": "0"})
    before = ws.bib.read_bytes()
    started = time.monotonic()
    done = ws.run("sync", "--timeout", "2")
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stdout
    assert "s deadline" in _one_error(done.stderr) and "nothing was written" in done.stderr
    assert elapsed < 8  # the drip alone would take 40 s
    _assert_untouched(ws, before)


def test_a_wait_past_the_deadline_fails_at_once(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", AUTHOR, too_many_requests("60"), query={"offset": "0"})
    started = time.monotonic()
    done = ws.run("sync", "--timeout", "5", PUBMAN_HTTP_RETRY_AFTER_CAP="100")
    assert done.returncode == 1
    assert "deadline" in _one_error(done.stderr) and "(attempt 2 of 3)" in done.stderr
    assert time.monotonic() - started < 5  # did not sleep 60 s, nor until the deadline


def test_ctrl_c_writes_nothing(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("GET", ARXIV, hang(30), query={"start": "0"})
    before = ws.bib.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pubman", "sync"],
        cwd=ws.root,
        env=ws.env(PUBMAN_HTTP_TIMEOUT="30"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 20
    while replay_server.count("GET", ARXIV) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and "nothing was written" in err, err
    _assert_untouched(ws, before)


def test_the_progress_line_names_host_request_and_attempt(tmp_path, replay_server):
    replay_server.add("GET", "/x", [too_many_requests("0"), json_reply({})])
    progress = Progress(enabled=False, notes=False)
    lines: list[str] = []

    def watch(event: object) -> None:
        progress(event)
        lines.append(describe(event, progress.requests.get(event.host, 0)))  # type: ignore[attr-defined]

    client = HttpClient(cache_path=tmp_path / "c.sqlite", min_interval=0, progress=watch)
    client.fetch(Service("semanticscholar", "Semantic Scholar", 0), "GET", replay_server.url + "/x")
    host = replay_server.url.split("//")[1]
    assert lines == [
        f"{host}: request 1: waiting for the answer",
        f"{host}: request 1: HTTP 429",
        f"{host}: request 1: waiting 0 s before attempt 2 of 6 (HTTP 429)",
        f"{host}: request 1, attempt 2 of 6: waiting for the answer",
        f"{host}: request 1: HTTP 200",
    ]
    assert progress.got() == "2 answers"


def test_add_has_the_same_deadline(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ids = {"ids": ["ARXIV:2401.00001"]}
    replay_server.add("POST", "/graph/v1/paper/batch", hang(30), json_body=ids)
    before = ws.bib.read_bytes()
    started = time.monotonic()
    done = ws.run("add", "--timeout", "1.5", "--read-timeout", "20", "arXiv:2401.00001")
    assert done.returncode == 1
    assert "stopped at the 1.5 s deadline" in _one_error(done.stderr)
    assert time.monotonic() - started < 8
    _assert_untouched(ws, before)
