"""HttpClient against the local replay server: retries, Retry-After, pacing, cache, offline,
error messages, and that the S2 API key never reaches the cache, a message or the log."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from replay import (
    closed_port_url,
    drop_connection,
    hang,
    html_error_page,
    json_reply,
    server_error,
    short_body,
    too_many_requests,
    truncated_json,
)

from pubman.errors import PubmanError, SourceError
from pubman.sources.http import (
    USER_AGENT,
    HttpClient,
    ProgressEvent,
    Service,
    default_cache_path,
    parse_retry_after,
)
from pubman.sources.semanticscholar import SERVICE_WITHOUT_KEY, SemanticScholar

DATA = Path(__file__).resolve().parent / "data" / "api"
S2 = SERVICE_WITHOUT_KEY
KEY = "s2-KEY-do-not-leak-1234567890"


def make_client(tmp_path: Path, **overrides: object) -> HttpClient:
    """A client tuned for tests: no pacing, tiny backoff, short timeouts, private cache."""
    settings: dict[str, object] = {
        "cache_path": tmp_path / "cache" / "http.sqlite",
        "min_interval": 0.0,
        "backoff_base": 0.02,
        "backoff_cap": 0.05,
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "max_attempts": 4,
    }
    settings.update(overrides)
    return HttpClient(**settings)  # type: ignore[arg-type]


def get(client: HttpClient, url: str, service: Service = S2):
    return client.fetch(service, "GET", url)


# -- retries ----------------------------------------------------------------------------


def test_429_without_retry_after_is_retried_with_capped_backoff(replay_server, tmp_path):
    replay_server.add("GET", "/x", [too_many_requests(), too_many_requests(), json_reply({})])
    client = make_client(tmp_path)
    started = time.monotonic()
    result = get(client, replay_server.url + "/x")
    assert result.status == 200
    assert replay_server.count("GET", "/x") == 3
    assert client.requests_made == {"semanticscholar": 3}
    assert time.monotonic() - started < 1.0  # backoff_cap=0.05 s per retry


def test_retry_after_seconds_is_honoured(replay_server, tmp_path):
    replay_server.add("GET", "/x", [too_many_requests(retry_after="1"), json_reply({})])
    started = time.monotonic()
    assert get(make_client(tmp_path), replay_server.url + "/x").status == 200
    assert time.monotonic() - started >= 0.95
    assert replay_server.count() == 2


def test_retry_after_is_capped(replay_server, tmp_path):
    replay_server.add("GET", "/x", [too_many_requests(retry_after="3600"), json_reply({})])
    started = time.monotonic()
    assert get(make_client(tmp_path, retry_after_cap=0.2), replay_server.url + "/x").status == 200
    assert time.monotonic() - started < 2.0


def test_parse_retry_after_seconds_and_http_date():
    now = datetime(2026, 3, 23, 15, 34, 14, tzinfo=timezone.utc)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_500_and_503_then_success(replay_server, tmp_path):
    replay_server.add("GET", "/x", [server_error(500), server_error(503), json_reply({"ok": 1})])
    result = get(make_client(tmp_path), replay_server.url + "/x")
    assert (result.status, result.body) == (200, b'{"ok": 1}')
    assert replay_server.count() == 3


def test_persistent_503_names_the_service_and_stops_after_max_attempts(replay_server, tmp_path):
    replay_server.add("GET", "/x", server_error(503))
    with pytest.raises(SourceError) as err:
        get(make_client(tmp_path, max_attempts=3), replay_server.url + "/x")
    assert str(err.value).startswith("Semantic Scholar: server error (HTTP 503) after 3 attempts")
    assert err.value.status == 503 and err.value.service == "Semantic Scholar"
    assert replay_server.count() == 3


def test_persistent_429_suggests_an_api_key(replay_server, tmp_path):
    replay_server.add("GET", "/x", too_many_requests())
    with pytest.raises(SourceError) as err:
        get(make_client(tmp_path, max_attempts=2), replay_server.url + "/x")
    assert "rate limited (HTTP 429)" in str(err.value)
    assert "S2_API_KEY" in (err.value.hint or "")


def test_html_error_page_from_a_proxy_is_retried_then_reported(replay_server, tmp_path):
    replay_server.add("GET", "/x", html_error_page(502))
    with pytest.raises(SourceError, match=r"HTTP 502"):
        get(make_client(tmp_path, max_attempts=2), replay_server.url + "/x")
    assert replay_server.count() == 2


def test_timeout_becomes_a_source_error(replay_server, tmp_path):
    replay_server.add("GET", "/slow", hang(5.0))
    client = make_client(tmp_path, read_timeout=0.3, max_attempts=2)
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        get(client, replay_server.url + "/slow")
    assert "did not answer within 0.3 s" in str(err.value)
    assert replay_server.count() == 2
    assert time.monotonic() - started < 3.0


def test_connection_refused_becomes_a_source_error(tmp_path):
    client = make_client(tmp_path, max_attempts=2)
    url = closed_port_url()
    with pytest.raises(SourceError) as err:
        get(client, url + "/x")
    assert f"cannot reach {url.removeprefix('http://')}" in str(err.value)
    assert "--offline" in (err.value.hint or "")
    assert client.requests_made == {}


def test_cut_off_body_and_dropped_connection_are_source_errors(replay_server, tmp_path):
    replay_server.add("GET", "/short", short_body())
    replay_server.add("GET", "/drop", drop_connection())
    client = make_client(tmp_path, max_attempts=2)
    with pytest.raises(SourceError, match="cut off"):
        get(client, replay_server.url + "/short")
    with pytest.raises(SourceError, match="cannot reach"):
        get(client, replay_server.url + "/drop")


def test_truncated_json_is_an_error_and_is_not_cached(replay_server, tmp_path):
    replay_server.add("GET", "/graph/v1/author/1/papers", truncated_json())
    s2 = SemanticScholar(make_client(tmp_path), replay_server.url + "/graph/v1")
    for _ in range(2):
        with pytest.raises(SourceError, match="Semantic Scholar: malformed response"):
            s2.author_papers("1")
    assert replay_server.count() == 2  # the broken answer was not replayed from the cache


# -- cache ------------------------------------------------------------------------------


def test_cache_hit_sends_no_second_request(replay_server, tmp_path):
    replay_server.add("GET", "/x", json_reply({"n": 1}))
    client = make_client(tmp_path)
    first = get(client, replay_server.url + "/x?a=1")
    second = get(client, replay_server.url + "/x?a=1")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.body == first.body
    assert replay_server.count() == 1
    assert client.requests_made == {"semanticscholar": 1}
    assert client.cache_hits == {"semanticscholar": 1}
    # a new client (a later pubman run) reads the same cache file
    assert get(make_client(tmp_path), replay_server.url + "/x?a=1").from_cache


def test_post_is_cached_with_the_body_in_the_key(replay_server, tmp_path):
    replay_server.add("POST", "/batch", json_reply([None]))
    client = make_client(tmp_path)
    for ids in (["A"], ["B"], ["A"]):
        client.fetch(S2, "POST", replay_server.url + "/batch", json_body={"ids": ids})
    assert replay_server.count("POST") == 2


def test_refresh_refetches_and_updates_the_cache(replay_server, tmp_path):
    route = replay_server.add("GET", "/x", [json_reply({"v": 1}), json_reply({"v": 2})])
    url = replay_server.url + "/x"
    assert get(make_client(tmp_path), url).body == b'{"v": 1}'
    assert get(make_client(tmp_path, refresh=True), url).body == b'{"v": 2}'
    assert get(make_client(tmp_path), url).body == b'{"v": 2}'
    assert route.hits == 2


def test_expired_entries_are_refetched_but_serve_offline(replay_server, tmp_path):
    replay_server.add("GET", "/x", json_reply({"v": 1}))
    url = replay_server.url + "/x"
    get(make_client(tmp_path, ttl=0.3), url)
    time.sleep(0.4)
    assert not get(make_client(tmp_path, ttl=0.3), url).from_cache
    time.sleep(0.4)
    assert get(make_client(tmp_path, ttl=0.3, offline=True), url).from_cache
    assert replay_server.count() == 2


@pytest.mark.unused_routes("the route is there to show --offline does not ask it")
def test_offline_miss_is_a_clear_error_and_sends_nothing(replay_server, tmp_path):
    replay_server.add("GET", "/x", json_reply({}))
    with pytest.raises(SourceError) as err:
        get(make_client(tmp_path, offline=True), replay_server.url + "/x")
    assert "not in the cache; run without --offline" in str(err.value)
    assert replay_server.count() == 0


def test_unwritable_cache_location_is_a_clear_error(replay_server, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    client = make_client(tmp_path, cache_path=blocker / "http.sqlite")
    with pytest.raises(PubmanError, match="cannot open the HTTP cache") as err:
        get(client, replay_server.url + "/x")
    assert "PUBMAN_CACHE_DIR" in (err.value.hint or "")


def test_cache_dir_comes_from_pubman_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBMAN_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_path() == tmp_path / "c" / "http-cache.sqlite"
    assert HttpClient().cache_path == tmp_path / "c" / "http-cache.sqlite"


# -- pacing, headers, progress --------------------------------------------------------------


def test_pacing_spaces_network_requests_but_not_cache_hits(replay_server, tmp_path):
    replay_server.add("GET", "/x", json_reply({}))
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    client = make_client(tmp_path, min_interval={"semanticscholar": 0.3}, sleep=sleep)
    started = time.monotonic()
    get(client, replay_server.url + "/x?page=1")
    get(client, replay_server.url + "/x?page=2")
    assert time.monotonic() - started >= 0.3
    assert len(sleeps) == 1
    get(client, replay_server.url + "/x?page=1")  # cached: no wait
    assert len(sleeps) == 1


def test_user_agent_and_progress_events(replay_server, tmp_path):
    replay_server.add("GET", "/x", [too_many_requests(), json_reply({})])
    events: list[ProgressEvent] = []
    client = make_client(tmp_path, progress=events.append)
    get(client, replay_server.url + "/x")
    get(client, replay_server.url + "/x")
    assert replay_server.requests[0].headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("pubman/") and "python-requests" in USER_AGENT
    kinds = [e.kind for e in events]
    assert kinds == ["send", "network", "retry", "send", "network", "cache"]
    retry, second = events[2], events[3]
    attempts = client.max_attempts
    assert (retry.status, retry.attempt, retry.attempts) == (429, 1, attempts)
    assert (second.attempt, second.attempts) == (2, attempts)
    assert second.host == replay_server.url.split("//")[1]  # the host a progress line names


def test_mailto_goes_into_the_user_agent(replay_server, tmp_path):
    replay_server.add("GET", "/x", json_reply({}))
    get(make_client(tmp_path, mailto="me@example.org"), replay_server.url + "/x")
    assert replay_server.requests[0].headers["User-Agent"].endswith("; mailto:me@example.org)")


# -- the API key ----------------------------------------------------------------------------


def test_api_key_reaches_the_server_but_never_the_cache_file(replay_server, tmp_path, caplog):
    replay_server.add(
        "GET",
        "/graph/v1/author/42/papers",
        json_reply((DATA / "s2_author_papers_offset800.json").read_bytes()),
    )
    replay_server.add("POST", "/graph/v1/paper/batch", json_reply([None]))
    caplog.set_level(logging.DEBUG)
    client = make_client(tmp_path)
    s2 = SemanticScholar(client, replay_server.url + "/graph/v1", api_key=KEY)
    assert len(s2.author_papers("42")) == 75
    assert s2.papers_batch(["ARXIV:1706.03762"]) == [None]
    client.close()
    assert all(r.headers.get("x-api-key") == KEY for r in replay_server.requests)
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    assert b"paperId" in stored and b"x-api-key" in stored  # answers and requests are stored
    assert b"REDACTED" in stored  # ... with the key's value replaced
    assert KEY.encode() not in stored
    assert KEY not in caplog.text
    assert KEY not in repr(s2)
    # and the cached answers are used by a client that has the key too
    s2_again = SemanticScholar(make_client(tmp_path), replay_server.url + "/graph/v1", KEY)
    s2_again.author_papers("42")
    assert replay_server.count() == 2


def test_api_key_is_in_no_error_message(replay_server, tmp_path):
    replay_server.add(
        "GET",
        "/graph/v1/author/1/papers",
        json_reply((DATA / "s2_403.json").read_bytes(), status=403),
    )
    replay_server.add("GET", "/graph/v1/author/2/papers", server_error(503))
    replay_server.add("GET", "/graph/v1/author/3/papers", hang(5.0))
    client = make_client(tmp_path, max_attempts=1, read_timeout=0.2)
    errors = []
    for base in (replay_server.url, closed_port_url()):
        s2 = SemanticScholar(client, base + "/graph/v1", api_key=KEY)
        for author in ("1", "2", "3"):
            with pytest.raises(SourceError) as err:
                s2.author_papers(author)
            errors.append(err.value)
            if not base.startswith(replay_server.url):
                break
    assert "S2_API_KEY was rejected" in str(errors[0])
    for error in errors:
        text = f"{error} {error.hint} {error.url} {error!r}"
        assert KEY not in text


def test_importing_the_sources_does_not_import_requests():
    code = (
        "import sys, pubman.sources.http, pubman.sources.semanticscholar, "
        "pubman.sources.arxiv; print(sorted(m for m in ('requests', 'requests_cache', "
        "'defusedxml', 'platformdirs') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_network_failures_give_up_before_rate_limits(tmp_path):
    """A refused connection is tried 3 times even when 429s may be retried 6 times."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    waits: list[float] = []
    client = make_client(tmp_path, max_attempts=6, sleep=waits.append)
    with pytest.raises(SourceError):
        get(client, f"http://127.0.0.1:{port}/x")
    assert len(waits) == 2
