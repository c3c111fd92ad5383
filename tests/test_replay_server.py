"""The replay server itself: routing, recording, the scenario format, and the command line
(scripts/replay_server.py) serving the demo scenario to the real clients."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from replay import ReplayServer, json_reply

from pubman.errors import SourceError
from pubman.sources.arxiv import Arxiv, parse_feed
from pubman.sources.http import HttpClient
from pubman.sources.semanticscholar import SemanticScholar

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "tests" / "data" / "api" / "scenario"


def test_most_specific_route_wins_and_replies_run_in_order(replay_server):
    replay_server.add("GET", "/p", json_reply({"any": 1}))
    replay_server.add(
        "GET", "/p", [json_reply({"first": 1}), json_reply({"then": 1})], query={"offset": "5"}
    )
    read = lambda q: urllib.request.urlopen(replay_server.url + "/p" + q).read()
    assert read("?offset=5&limit=9") == b'{"first": 1}'
    assert read("?offset=5") == b'{"then": 1}'
    assert read("?offset=5") == b'{"then": 1}'  # the last reply repeats
    assert read("?offset=6") == b'{"any": 1}'
    assert replay_server.count("GET", "/p") == 4
    assert replay_server.requests[0].query == {"offset": "5", "limit": "9"}


def test_unmatched_requests_get_501_naming_the_request(replay_server):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(replay_server.url + "/nowhere")
    assert err.value.code == 501
    assert b"no route for GET /nowhere" in err.value.read()


def test_demo_scenario_drives_both_clients(tmp_path):
    with ReplayServer() as server:
        server.load_scenario(SCENARIO)
        http = HttpClient(
            cache_path=tmp_path / "c.sqlite", min_interval=0.0, backoff_base=0.01, backoff_cap=0.02
        )
        s2 = SemanticScholar(http, server.url + "/graph/v1")
        assert len(s2.author_papers("1723755")) == 175  # after one recorded 429
        batch = s2.papers_batch(
            [
                "CorpusId:211530585",
                "CorpusId:470667",
                "10.2139/ssrn.2250500",
                "0f40b1f08821e22e859c6050916cec3667778613",
            ]
        )
        assert batch[0] is None and len(batch) == 4
        assert s2.match_title("Attention is All you Need") is not None
        assert s2.match_title("no such title") is None
        ax = Arxiv(http, server.url + "/api/query")
        assert [p.arxiv_id for p in ax.fetch_ids(["1707.08567", "0808.05394"])] == ["1707.08567"]
        assert ax.fetch_ids(["2201.00001"]) == []
        assert http.requests_made == {"semanticscholar": 6, "arxiv": 2}


def test_command_line_serves_a_scenario(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "replay_server.py"), str(SCENARIO), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = first.rsplit(" at ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url + "/api/query?id_list=abc")
        assert err.value.code == 400
        with pytest.raises(SourceError, match="incorrect id format for abc"):
            parse_feed(err.value.read())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
