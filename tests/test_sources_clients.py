"""Building the HTTP client and sources from settings and the environment (no requests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubman.config import Settings
from pubman.errors import ConfigError, UsageError
from pubman.sources.clients import build_clients, http_options


def test_environment_tunes_the_http_layer() -> None:
    opts = http_options(
        {"PUBMAN_HTTP_PACING": "0", "PUBMAN_HTTP_TIMEOUT": "2.5", "PUBMAN_HTTP_RETRIES": "2"}
    )
    assert opts == {
        "min_interval": 0.0,
        "read_timeout": 2.5,
        "connect_timeout": 2.5,
        "max_attempts": 2,
    }
    assert http_options({"PUBMAN_HTTP_PACING": ""}) == {}


@pytest.mark.parametrize(
    ("name", "value"), [("PUBMAN_HTTP_BACKOFF", "soon"), ("PUBMAN_HTTP_RETRIES", "2.5")]
)
def test_a_malformed_variable_is_a_usage_error_naming_it(name: str, value: str) -> None:
    with pytest.raises(UsageError, match=name):
        http_options({name: value})


def test_clients_share_one_http_client_and_send_the_given_key(tmp_path: Path) -> None:
    settings = Settings(bib_path=tmp_path / "pubs.bib", sync={"read_timeout": 7, "timeout": 0})
    clients = build_clients(settings, env={"S2_API_KEY": "k-1", "PUBMAN_CACHE_DIR": "x"})
    try:
        assert "api_key=set" in repr(clients.s2)
        assert clients.s2.http is clients.arxiv.http is clients.http
    finally:
        clients.http.close()
    bad = Settings(bib_path=tmp_path / "pubs.bib", sync={"cache_ttl_days": "week"})
    with pytest.raises(ConfigError, match="cache_ttl_days"):
        build_clients(bad, env={})
