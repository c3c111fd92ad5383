"""Request economy at scale: pages of 1,000 author papers, batches of 500 ids, arXiv id lists
of 100, counted by the replay server (library-level run, so that it stays fast)."""

from __future__ import annotations

import hashlib
import math
import time

from replay import atom_reply, json_reply

from pubman.sources.arxiv import Arxiv
from pubman.sources.http import HttpClient
from pubman.sources.semanticscholar import SemanticScholar
from pubman.sync.run import Clients, run_sync

AUTHOR = "/graph/v1/author/77/papers"
EMPTY_FEED = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns=\"http://www.w3.org/2005/"
    b'Atom"><title>arXiv Query</title></feed>'
)


def _paper(i: int) -> dict:
    sha = hashlib.sha1(f"economy-{i}".encode()).hexdigest()
    return {
        "paperId": sha,
        "externalIds": {"CorpusId": i},
        "title": f"Profile paper {i} on topic {sha[:8]}",
        "venue": "",
        "year": 2000 + i % 20,
        "citationCount": i,
        "publicationTypes": None,
        "journal": None,
        "url": "",
        "authors": [{"authorId": "77", "name": "Oscar Other"}],
    }


def test_requests_scale_with_pages_batches_and_id_lists(tmp_path, replay_server):
    profile, entries = 1200, 600
    papers = [_paper(i) for i in range(profile)]
    replay_server.add(
        "GET",
        AUTHOR,
        json_reply({"offset": 0, "next": 1000, "data": papers[:1000]}),
        query={"offset": "0"},
    )
    replay_server.add(
        "GET", AUTHOR, json_reply({"offset": 1000, "data": papers[1000:]}), query={"offset": "1000"}
    )
    ids = sorted(f"ARXIV:2001.{i:05d}" for i in range(entries))
    for start in range(0, entries, 500):
        chunk = ids[start : start + 500]
        replay_server.add(
            "POST",
            "/graph/v1/paper/batch",
            json_reply([None] * len(chunk)),
            json_body={"ids": chunk},
        )
    replay_server.add("GET", "/api/query", atom_reply(EMPTY_FEED))
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "".join(
            f"@misc{{e{i}, author = {{Owner, Olga and Coauthor, C{i}}}, title = {{Entry number {i} "
            f"about subject {i * 7919 % 10007}}}, year = {{2020}}, eprint = {{2001.{i:05d}}}, "
            "archiveprefix = {arXiv}}\n\n"
            for i in range(entries)
        ),
        encoding="utf-8",
    )
    http = HttpClient(cache_path=tmp_path / "cache.sqlite", min_interval=0, backoff_base=0.01)
    clients = Clients(
        SemanticScholar(http, replay_server.url + "/graph/v1"),
        Arxiv(http, replay_server.url + "/api/query"),
        http,
    )
    started = time.monotonic()
    result = run_sync(bib, clients, owner_names=["Olga Owner"], author_ids=["77"], write=False)
    elapsed = time.monotonic() - started
    assert replay_server.count("GET", AUTHOR) == math.ceil(profile / 1000) == 2
    assert replay_server.count("POST", "/graph/v1/paper/batch") == math.ceil(entries / 500) == 2
    assert replay_server.count("GET", "/api/query") == math.ceil(entries / 100) == 6
    assert result.requests == {"semanticscholar": 4, "arxiv": 6}
    assert not result.plan.added  # S2 filed them on the profile, but they are not the owner's
    assert elapsed < 30, f"planning {profile} works against {entries} entries took {elapsed:.1f}s"
    http.close()
