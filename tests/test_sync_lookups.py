"""What sync sends to look up entries that no profile covers, checked on the wire (replay
server on 127.0.0.1): title matches go out as plain text, not as the LaTeX the file holds."""

from __future__ import annotations

from pathlib import Path

from replay import json_reply

from pubman.sources.arxiv import Arxiv
from pubman.sources.http import HttpClient
from pubman.sources.semanticscholar import SemanticScholar
from pubman.sync.run import Clients, run_sync

DATA = Path(__file__).resolve().parent / "data" / "api"
MATCH = "/graph/v1/paper/search/match"


def _clients(tmp_path: Path, url: str) -> Clients:
    http = HttpClient(cache_path=tmp_path / "cache.sqlite", min_interval=0, backoff_base=0.01)
    return Clients(SemanticScholar(http, url + "/graph/v1"), Arxiv(http, url + "/api/query"), http)


def test_title_match_query_is_the_title_without_latex(tmp_path, replay_server):
    replay_server.add(
        "GET", MATCH, json_reply((DATA / "s2_match_404.json").read_bytes(), status=404)
    )
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "@inproceedings{a,\n  author = {Owner, Olga},\n  title = {{BERT}-style "
        "Pre-training for \\emph{Caf\\'e} Reviews},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )
    clients = _clients(tmp_path, replay_server.url)
    result = run_sync(bib, clients, write=False)
    assert [r.query["query"] for r in replay_server.requests] == [
        "BERT-style Pre-training for Café Reviews"
    ]
    assert not result.plan.pending
    clients.http.close()
