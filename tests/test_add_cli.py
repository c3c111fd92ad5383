"""`pubman add ID...` end to end against the replay server (CONSTRUCTED scenario)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _synccli import make_workspace, profile_papers
from replay import atom_reply, json_reply, server_error

from pubman.store import bibliography as bibstore

BATCH = "/graph/v1/paper/batch"


def _paper(title_start: str) -> dict:
    return next(p for p in profile_papers() if p["title"].startswith(title_start))


def test_add_by_arxiv_id_keys_and_places_the_entry(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add(
        "POST", BATCH, json_reply([_paper("Mimetic")]), json_body={"ids": ["ARXIV:2410.11135"]}
    )
    done = ws.run("add", "https://arxiv.org/abs/2410.11135v2")
    assert done.returncode == 0, done.stderr
    assert "added trockman2024mimetic" in done.stdout
    bib = bibstore.load(ws.bib)
    keys = list(bib.entries)
    assert keys.index("trockman2024mimetic") == keys.index("bae2025relaxed") + 1
    entry = bib.entries["trockman2024mimetic"]
    assert entry.type == "misc"
    assert entry.get("author").startswith("Trockman, Asher and Harutyunyan, Hrayr")
    assert (entry.get("eprint"), entry.get("archiveprefix")) == ("2410.11135", "arXiv")
    assert entry.get("url") == "https://arxiv.org/abs/2410.11135"
    assert replay_server.count("POST", BATCH) == 1
    assert replay_server.count("GET", "/api/query") == 1


def test_add_by_doi_writes_a_published_entry(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add(
        "POST",
        BATCH,
        json_reply([_paper("Disentangled")]),
        json_body={"ids": ["DOI:10.1109/allerton.2017.8262735"]},
    )
    out = json.loads(
        ws.run("add", "--json", "https://doi.org/10.1109/ALLERTON.2017.8262735").stdout
    )
    assert out["added"] == ["versteeg2017disentangled"]
    entry = bibstore.load(ws.bib).entries["versteeg2017disentangled"]
    assert entry.type == "inproceedings"
    assert entry.get("doi") == "10.1109/ALLERTON.2017.8262735"
    assert entry.get("pages") == "180--187" and entry.get("year") == "2017"
    # S2 abbreviates Greg Ver Steeg there; arXiv spells the names out, and wins
    assert entry.get("author").startswith("Ver Steeg, Greg and Brekelmans, Rob")


def test_adding_a_paper_already_there_fills_instead_of_duplicating(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    done = ws.run("add", "arXiv:2507.10524")  # the scenario's batch route
    assert done.returncode == 0, done.stderr
    assert "already in the file as bae2025mixture" in done.stdout
    bib = bibstore.load(ws.bib)
    assert [k for k in bib.entries if k.startswith("bae2025mixture")] == ["bae2025mixture"]
    assert bib.entries["bae2025mixture"].type == "inproceedings"


def test_add_a_preprint_semantic_scholar_does_not_know_yet(tmp_path, replay_server):
    """Live S2 rejects a batch of only unknown ids with 400 "No valid paper ids given" instead
    of [null]: the paper then comes from arXiv alone."""
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add(
        "POST",
        BATCH,
        json_reply({"error": "No valid paper ids given"}, status=400),
        json_body={"ids": ["ARXIV:2410.11135"]},
    )
    done = ws.run("add", "arXiv:2410.11135")
    assert done.returncode == 0, done.stderr
    assert "added trockman2024mimetic" in done.stdout
    entry = bibstore.load(ws.bib).entries["trockman2024mimetic"]
    assert (entry.type, entry.get("eprint")) == ("misc", "2410.11135")
    assert replay_server.count("GET", "/api/query") == 1


def test_unknown_identifier_writes_nothing(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    empty = (
        b"<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns=\"http://www.w3.org/2005/"
        b'Atom"><title>arXiv Query</title></feed>'
    )
    # arXiv is asked for both ids in one request; it knows neither
    replay_server.add(
        "GET", "/api/query", atom_reply(empty), query={"id_list": "2401.99999,2410.11135"}
    )
    replay_server.add(
        "POST",
        BATCH,
        json_reply([_paper("Mimetic"), None]),
        json_body={"ids": ["ARXIV:2410.11135", "ARXIV:2401.99999"]},
    )
    before = ws.bib.read_bytes()
    done = ws.run("add", "2410.11135", "2401.99999")
    assert done.returncode == 1
    assert "not found: 2401.99999" in done.stderr
    assert ws.bib.read_bytes() == before and not ws.state.exists()


@pytest.mark.parametrize("bad", ["foo", "10.1000", "arXiv:99"])
def test_not_an_identifier_is_a_usage_error_before_any_request(tmp_path, replay_server, bad):
    ws = make_workspace(tmp_path, replay_server)
    done = ws.run("add", bad)
    assert done.returncode == 1 and "not an arXiv id, DOI or Semantic Scholar" in done.stderr
    assert not replay_server.requests


def test_add_failure_names_the_service(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add("POST", BATCH, server_error(503), json_body={"ids": ["ARXIV:2410.11135"]})
    before = ws.bib.read_bytes()
    done = ws.run("add", "2410.11135")
    assert done.returncode == 1
    assert done.stderr.startswith("error: Semantic Scholar: server error (HTTP 503)")
    assert ws.bib.read_bytes() == before


def test_add_dry_run(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    replay_server.add(
        "POST", BATCH, json_reply([_paper("Mimetic")]), json_body={"ids": ["ARXIV:2410.11135"]}
    )
    before = ws.bib.read_bytes()
    done = ws.run("add", "--dry-run", "2410.11135")
    assert done.returncode == 0, done.stderr
    assert "+@misc{trockman2024mimetic," in done.stdout
    assert ws.bib.read_bytes() == before


def test_add_from_recorded_answers_keeps_arxiv_dois_out(tmp_path, replay_server):
    """Real recorded answers (tests/data/api, see PROVENANCE.md there): S2 files the PaperQA
    preprint under venue arXiv.org with arXiv's own DOI; arXiv's empty feed adds nothing."""
    api = Path(__file__).resolve().parent / "data" / "api"
    ws = make_workspace(tmp_path, replay_server)
    paper = json.loads((api / "s2_paper_arxiv_doi.json").read_text(encoding="utf-8"))
    replay_server.add("POST", BATCH, json_reply([paper]), json_body={"ids": ["ARXIV:2312.07559"]})
    replay_server.add(
        "GET",
        "/api/query",
        atom_reply((api / "arxiv_current_empty.xml").read_bytes()),
        query={"id_list": "2312.07559"},
    )
    done = ws.run("add", "arXiv:2312.07559")
    assert done.returncode == 0, done.stderr
    assert "added lala2023paperqa" in done.stdout
    assert "the owner is not among its authors" in done.stderr
    entry = bibstore.load(ws.bib).entries["lala2023paperqa"]
    assert entry.type == "misc" and "doi" not in entry.fields
    assert entry.get("title") == (
        "{PaperQA}: Retrieval-Augmented Generative Agent for Scientific Research"
    )
    assert entry.get("author").startswith("L'ala, Jakub and O'Donoghue, Odhran")
    assert (entry.get("eprint"), entry.get("year")) == ("2312.07559", "2023")
