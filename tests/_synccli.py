"""Helpers for the sync/add CLI tests: a workspace (pubs.bib + pubman.toml in tmp_path) and
the real ``pubman`` CLI run in a subprocess against a replay server on 127.0.0.1.

The scenario in ``tests/data/scenario`` is CONSTRUCTED (see its README.md). HTTP pacing and
backoff are made tiny through the environment variables ``pubman sync`` reads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCENARIO = Path(__file__).resolve().parent / "data" / "scenario"
OWNER_ID = "1000000001"
TOML = """[owner]
name = "Hrayr Harutyunyan"
aliases = ["H. Harutyunyan", "Harutyunyan, Hrayr"]
{ids}
"""


@dataclass
class Workspace:
    root: Path
    server: Any
    key: str | None = None

    @property
    def bib(self) -> Path:
        return self.root / "pubs.bib"

    @property
    def state(self) -> Path:
        return self.root / ".pubs.bib.sync.json"

    @property
    def citations(self) -> Path:
        return self.root / ".pubs.bib.citations.json"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith("PUBMAN_") and k != "S2_API_KEY"
        }
        env.update(
            {
                "PUBMAN_S2_API_URL": self.server.url + "/graph/v1",
                "PUBMAN_ARXIV_API_URL": self.server.url + "/api/query",
                "PUBMAN_CACHE_DIR": str(self.cache),
                "PUBMAN_HTTP_PACING": "0",
                "PUBMAN_HTTP_BACKOFF": "0.01",
                "PUBMAN_HTTP_RETRIES": "3",
                "PUBMAN_HTTP_TIMEOUT": "2",
                "PUBMAN_HTTP_RETRY_AFTER_CAP": "0.2",
                "NO_COLOR": "1",
                "COLUMNS": "200",
            }
        )
        if self.key:
            env["S2_API_KEY"] = self.key
        env.update(extra)
        return env

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pubman", *args],
            check=False,
            cwd=self.root,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )

    def sync_json(self, *args: str, **extra: str) -> dict[str, Any]:
        done = self.run("sync", "--json", *args, **extra)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)  # type: ignore[no-any-return]


def make_workspace(
    tmp_path: Path, server: Any, *, with_ids: bool = True, bib: Path | None = None
) -> Workspace:
    """tmp_path holding the scenario's pubs-before.bib as pubs.bib and a pubman.toml."""
    server.load_scenario(SCENARIO)
    shutil.copy(bib or SCENARIO / "pubs-before.bib", tmp_path / "pubs.bib")
    ids = f'semantic_scholar_ids = ["{OWNER_ID}"]' if with_ids else ""
    (tmp_path / "pubman.toml").write_text(TOML.format(ids=ids), encoding="utf-8")
    return Workspace(tmp_path, server)


def profile_papers() -> list[dict[str, Any]]:
    """The S2 paper objects of the scenario's owner profile."""
    data = json.loads((SCENARIO / "s2_author_papers.json").read_text(encoding="utf-8"))
    return data["data"]  # type: ignore[no-any-return]


def requests_to(server: Any, fragment: str) -> int:
    return sum(1 for r in server.requests if fragment in r.path)
