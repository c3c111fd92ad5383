"""Attack: the S2 key (a canary, pasted with a trailing CR/LF) through a whole sync.

With ``--debug`` and without, in text and JSON, and once failing (the key rejected): the
canary is in no output and in no file pubman writes (pubs.bib, its backup, the sync state,
the HTTP cache), it reaches S2 (stripped of its line break) and never arXiv.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _synccli import make_workspace

CANARY = "CANARY-s2-key-8d1f"


def _everything_written(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.mark.parametrize(
    "args", [["sync"], ["--debug", "sync", "--explain"], ["sync", "--json", "--dry-run"]]
)
def test_canary_key_never_leaks(tmp_path: Path, replay_server, args: list[str]) -> None:
    ws = make_workspace(tmp_path, replay_server)
    ws.key = CANARY + "\r\n"
    done = ws.run(*args)
    assert CANARY not in done.stdout + done.stderr
    assert CANARY.encode() not in _everything_written(tmp_path)
    sent = [r for r in replay_server.requests if r.headers.get("x-api-key")]
    assert sent, "the key was not sent at all"
    for r in sent:
        assert r.path.startswith("/graph/v1"), f"key sent to {r.path}"
        assert r.headers["x-api-key"] == CANARY
    assert not any(CANARY in str(r.headers) for r in replay_server.requests if "/api/" in r.path)


def test_rejected_key_is_not_printed(tmp_path: Path, replay_server) -> None:
    from replay import json_reply

    ws = make_workspace(tmp_path, replay_server)
    replay_server.routes.clear()
    replay_server.add("GET", f"/graph/v1/author/{'1000000001'}/papers", json_reply({}, 403))
    ws.key = CANARY + "\n"
    before = ws.bib.read_bytes()
    done = ws.run("--debug", "sync")
    assert done.returncode != 0
    assert CANARY not in done.stdout + done.stderr
    assert ws.bib.read_bytes() == before
