"""`pubman sync` end to end: the real CLI in a subprocess against the replay server, on the
CONSTRUCTED scenario of the owner's papers (tests/data/scenario/README.md)."""

from __future__ import annotations

import json
import math

from _synccli import OWNER_ID, make_workspace, requests_to

from pubman.store import bibliography as bibstore


def test_first_sync_adds_upgrades_fills_and_keeps_hand_edits(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    out = ws.sync_json()
    assert out["added"] == [
        "trockman2024mimetic",
        "harutyunyan2021estimating",
        "versteeg2017disentangled",
    ]
    assert out["upgraded"] == ["bae2025mixture"]
    bib = bibstore.load(ws.bib)
    keys = list(bib.entries)
    # new entries keyed in the file's style, placed at the top of their year (newest first)
    assert keys.index("trockman2024mimetic") == keys.index("bae2025relaxed") + 1
    assert keys.index("harutyunyan2021estimating") == keys.index("hossain2022identifying") + 1
    assert keys[-1] == "versteeg2017disentangled"
    mor = bib.entries["bae2025mixture"]
    assert mor.type == "inproceedings"
    assert mor.get("booktitle") == "Advances in Neural Information Processing Systems"
    assert mor.get("eprint") == "2507.10524" and mor.get("year") == "2025"
    assert bib.entries["jain2023meta"].get("doi") == "10.1109/CVPR52729.2023.00353"
    assert bib.entries["harutyunyan2019multitask"].get("doi") == "10.1038/s41597-019-0103-9"
    assert bib.entries["harutyunyan2020improving"].get("eprint") == "2002.07933"
    # initials the owner wrote stay (spelling them out is a suggestion, for --expand-names)
    assert bib.entries["versteeg2019fast"].get("author").startswith("Ver Steeg, G. and")
    assert {
        "key": "versteeg2019fast",
        "field": "author",
        "theirs": "Ver Steeg, Greg and Harutyunyan, Hrayr and Moyer, Daniel and Galstyan, Aram",
        "apply_with": "--expand-names",
    }.items() <= next(s for s in out["suggestions"] if s["key"] == "versteeg2019fast").items()
    # the owner's own wording of a title survives, and is reported (JSON) as a difference
    assert bib.entries["bae2025relaxed"].get("title") == (
        "Relaxed Recursive Transformers: Parameter Sharing with Layer-wise {LoRA}"
    )
    assert {"key": "bae2025relaxed", "field": "title", "reason": "hand-written"}.items() <= out[
        "conflicts"
    ][0].items()
    # a paper S2 wrongly files on the profile (by another Harutyunyan) is not added
    assert not any("AEW10" in e.get("title") for e in bib.entries.values())
    assert not [p for p in bib.problems if p.severity == "error"]


def test_cold_sync_request_economy(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    out = ws.sync_json()
    profile = 21  # papers on the scenario's S2 profile
    author_pages = requests_to(replay_server, f"/author/{OWNER_ID}/papers")
    batches = requests_to(replay_server, "/paper/batch")
    arxiv = requests_to(replay_server, "/api/query")
    assert author_pages <= math.ceil(profile / 1000)
    assert batches <= math.ceil(len(bibstore.load(ws.bib).entries) / 500)
    assert arxiv <= math.ceil(20 / 100)
    assert out["requests"] == {"semanticscholar": author_pages + batches, "arxiv": arxiv}
    assert len(replay_server.requests) == author_pages + batches + arxiv


def test_second_sync_changes_nothing_and_asks_nothing(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ws.sync_json()
    after_first = ws.bib.read_bytes()
    state_first = ws.state.read_bytes()
    seen = len(replay_server.requests)
    out = ws.sync_json()
    assert (out["added"], out["updated"], out["upgraded"]) == ([], [], [])
    assert out["requests"] == {"semanticscholar": 0, "arxiv": 0}
    assert len(replay_server.requests) == seen  # all from the cache, within its TTL
    assert ws.bib.read_bytes() == after_first
    assert ws.state.read_bytes() == state_first
    assert ws.run("sync", "--check").returncode == 0


def test_a_field_edited_after_sync_is_kept_and_reported(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ws.sync_json()
    text = ws.bib.read_text(encoding="utf-8")
    edited = text.replace(
        "title = {Mimetic Initialization Helps State Space Models Learn to Recall}",
        "title = {Mimetic Initialization for State Space Models}",
    )
    assert edited != text
    ws.bib.write_text(edited, encoding="utf-8")
    done = ws.run("sync")
    assert done.returncode == 0, done.stderr
    assert "conflict trockman2024mimetic.title: kept yours" in done.stdout
    assert ws.bib.read_text(encoding="utf-8") == edited
    out = ws.sync_json()
    assert {
        "key": "trockman2024mimetic",
        "field": "title",
        "reason": "edited",
        "yours": "Mimetic Initialization for State Space Models",
    }.items() <= next(c for c in out["conflicts"] if c["key"] == "trockman2024mimetic").items()


def test_deleted_entry_is_not_added_again(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ws.sync_json()
    bib = bibstore.load(ws.bib)
    bib.remove_entry("trockman2024mimetic")
    bib.save()
    out = ws.sync_json("--explain")
    assert out["added"] == []
    assert any(d["verdict"] == "skip" and "deleted" in d["detail"] for d in out["decisions"])


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    before = ws.bib.read_bytes()
    done = ws.run("sync", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "-@misc{bae2025mixture," in done.stdout
    assert "+@inproceedings{bae2025mixture," in done.stdout
    assert "+@misc{trockman2024mimetic," in done.stdout
    assert "dry run: nothing written" in done.stdout
    assert ws.bib.read_bytes() == before
    assert not ws.state.exists() and not ws.citations.exists()


def test_check_exits_1_while_changes_are_pending(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    before = ws.bib.read_bytes()
    done = ws.run("sync", "--check")
    assert done.returncode == 1 and "changes pending" in done.stdout
    assert ws.bib.read_bytes() == before
    assert ws.run("sync").returncode == 0
    assert ws.run("sync", "--check").returncode == 0


def test_explain_shows_every_decision(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    done = ws.run("sync", "--explain", "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(
        ln.startswith("match") and "harutyunyan2020improving" in ln and "title 100/100" in ln
        for ln in lines
    )
    assert any(
        ln.startswith("skip") and "AEW10" in ln and "owner is not among" in ln for ln in lines
    )
    assert any(ln.startswith("suggest") and "bae2025relaxed" in ln for ln in lines)
    assert any(
        ln.startswith("suggest") and "versteeg2019fast: author" in ln and "--expand-names" in ln
        for ln in lines
    )
    assert any(ln.startswith("add") and "trockman2024mimetic" in ln for ln in lines)


def test_citation_counts_go_to_the_cache_file_not_the_bib(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ws.sync_json()
    data = json.loads(ws.citations.read_text(encoding="utf-8"))
    assert set(data) == {"updated", "counts"}
    assert data["counts"]["bae2025mixture"] == 7 * 20 + 1  # as the scenario's S2 record says
    assert "citation" not in ws.bib.read_text(encoding="utf-8").lower()


def test_profile_found_by_name_and_saved_on_request(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server, with_ids=False)
    done = ws.run("sync", "--save-author-id")
    assert done.returncode == 0, done.stderr
    assert f"using Semantic Scholar profile {OWNER_ID}" in done.stderr
    assert "17 of its 21 papers are in the file" in done.stderr
    toml = (tmp_path / "pubman.toml").read_text(encoding="utf-8")
    assert f'semantic_scholar_ids = ["{OWNER_ID}"]' in toml
    assert "1000000002" not in toml  # the namesake shares no paper with the file
    assert "trockman2024mimetic" in bibstore.load(ws.bib).entries


def test_profile_found_by_name_is_not_saved_without_asking(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server, with_ids=False)
    done = ws.run("sync", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "--save-author-id" in done.stderr
    assert "semantic_scholar_ids" not in (tmp_path / "pubman.toml").read_text(encoding="utf-8")


def test_api_key_is_sent_but_never_shown_or_stored(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ws.key = "sekrit-s2-key-0123456789"
    done = ws.run("--debug", "sync", "--explain")
    assert done.returncode == 0, done.stderr
    s2 = [r for r in replay_server.requests if r.path.startswith("/graph/v1")]
    assert s2 and all(r.headers.get("x-api-key") == ws.key for r in s2)
    arxiv = [r for r in replay_server.requests if r.path.startswith("/api/query")]
    assert arxiv and not any("x-api-key" in {k.lower() for k in r.headers} for r in arxiv)
    assert ws.key not in done.stdout + done.stderr
    for path in [*tmp_path.rglob("*")]:
        if path.is_file():
            assert ws.key.encode() not in path.read_bytes(), path


def test_offline_uses_the_cache_only(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    before = ws.bib.read_bytes()
    done = ws.run("sync", "--offline")
    assert done.returncode == 1
    assert "not in the cache" in done.stderr and "Semantic Scholar" in done.stderr
    assert ws.bib.read_bytes() == before and not replay_server.requests
    ws.run("sync", "--dry-run")
    seen = len(replay_server.requests)
    out = ws.sync_json("--offline")
    assert out["added"] and len(replay_server.requests) == seen


def test_refresh_asks_again(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    ws.sync_json()
    seen = len(replay_server.requests)
    out = ws.sync_json("--refresh")
    assert out["requests"]["semanticscholar"] >= 1 and len(replay_server.requests) > seen
    assert out["added"] == []


SEARCH_FEED = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <title>arXiv Query: constructed search</title>
  <opensearch:totalResults>2</opensearch:totalResults>
  {entries}
</feed>"""
SEARCH_ENTRY = """<entry><id>http://arxiv.org/abs/{id}v1</id><title>{title}</title>
  <published>2026-01-0{day}T10:00:00Z</published>
  <arxiv:primary_category term="cs.LG"/>{authors}</entry>"""


def test_arxiv_query_adds_papers_with_a_known_coauthor_only(tmp_path, replay_server):
    from replay import atom_reply

    ws = make_workspace(tmp_path, replay_server)
    toml = ws.root / "pubman.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + 'arxiv_query = "au:Harutyunyan_H"\n', encoding="utf-8"
    )
    papers = [
        (
            "2601.00001",
            "A Constructed Paper With Hrant",
            ["Hrayr Harutyunyan", "Hrant Khachatrian"],
        ),
        ("2601.00002", "A Constructed Paper With Strangers", ["H. Harutyunyan", "Zed Zulu"]),
    ]
    entries = "".join(
        SEARCH_ENTRY.format(
            id=i,
            title=t,
            day=n + 1,
            authors="".join(f"<author><name>{a}</name></author>" for a in names),
        )
        for n, (i, t, names) in enumerate(papers)
    )
    replay_server.add(
        "GET",
        "/api/query",
        atom_reply(SEARCH_FEED.format(entries=entries).encode()),
        query={"search_query": "au:Harutyunyan_H"},
    )
    out = ws.sync_json("--explain")
    assert "harutyunyan2026constructed" in out["added"]
    assert not [a for a in out["added"] if a.startswith("harutyunyan2026constructeda")]
    assert any("no co-author appears" in d["detail"] for d in out["decisions"])
    assert replay_server.count("GET", "/api/query") == 2  # the id list, then one search page


def test_saved_author_id_without_a_config_keeps_the_owner(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server, with_ids=False)
    (tmp_path / "pubman.toml").unlink()
    done = ws.run("--owner", "Hrayr Harutyunyan", "sync", "--save-author-id")
    assert done.returncode == 0, done.stderr
    from pubman.config import load_settings

    settings = load_settings(cwd=tmp_path, env={})
    assert settings.owner == "Hrayr Harutyunyan"
    assert settings.semantic_scholar_ids == (OWNER_ID,)
    fmt = ws.run("format")
    assert "**H. Harutyunyan**" in fmt.stdout.replace("\xa0", " ")
    assert "no owner configured" not in fmt.stderr
