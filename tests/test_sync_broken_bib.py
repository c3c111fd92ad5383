"""sync and add on a .bib with an entry that cannot be parsed: refuse before any request
unless --lenient, and with --lenient never give a new entry the key of the broken one."""

from __future__ import annotations

from _synccli import make_workspace

from pubman.store import bibliography as bibstore

BROKEN_KEY = "harutyunyan2023supervision"


def _break(ws) -> bytes:  # type: ignore[no-untyped-def]
    text = ws.bib.read_text(encoding="utf-8")
    start = text.index("@inproceedings{" + BROKEN_KEY)
    title = text.index("title = {", start)
    broken = text[:title] + "title = {Supervision {Complexity" + text[title + 9 :]
    ws.bib.write_text(broken, encoding="utf-8")
    return ws.bib.read_bytes()


def test_sync_and_add_refuse_a_broken_file(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    before = _break(ws)
    for args in (["sync"], ["add", "arXiv:2410.11135"]):
        done = ws.run(*args)
        assert done.returncode == 1, done.stdout
        assert done.stderr.startswith("error: ") and "cannot parse" in done.stderr
        assert "--lenient" in done.stderr
        assert ws.bib.read_bytes() == before
    assert replay_server.requests == []  # refused before asking anything


def test_lenient_sync_never_reuses_the_broken_entry_key(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    _break(ws)
    done = ws.run("--lenient", "sync", "--json")
    assert done.returncode == 0, done.stderr
    import json

    added = json.loads(done.stdout)["added"]
    # the paper behind the broken entry looks missing, so it is added, under another key
    assert any(k.startswith(BROKEN_KEY) and k != BROKEN_KEY for k in added), added
    bib = bibstore.load(ws.bib)
    assert not [p for p in bib.problems if p.kind == "duplicate-key"]
    text = ws.bib.read_text(encoding="utf-8")
    assert text.count("{" + BROKEN_KEY + ",") == 1
    assert "Supervision {Complexity" in text  # the broken block is kept verbatim
