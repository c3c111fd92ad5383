"""Remembered command output: a command run again on unchanged inputs prints its last output.

Read-only commands (``pubman format`` to a pipe or a file) are pure functions of their flags,
the current folder and a few files (the .bib, pubman.toml, and the places pubman.toml could
be). A :class:`Memo` records, per exact invocation, the output and a fingerprint (size,
mtime, SHA-256) of each of those files, including "absent" for config locations that did not
exist. A later identical invocation replays the output only if every fingerprint still matches,
so any edit, a new config file, another pubman version or other flags recompute. Replaying
needs neither the parser nor the formatter, which is what makes a repeated ``pubman format`` in
a Makefile or a shell prompt start as fast as Python itself.

Stored as JSON in the user cache dir (never pickle). ``PUBMAN_NO_OUTPUT_CACHE=1`` turns it off.
Failing to read or write the cache is never an error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pubman.store.digest import sha256_hex
from pubman.store.parsecache import cache_dir, fingerprint, install_stamp, load_json, store_json


@dataclass(frozen=True)
class Replay:
    stdout: str
    stderr: tuple[str, ...]
    code: int


def _fp(path: Path) -> list[Any] | None:
    fp = fingerprint(path)
    return None if fp is None else [fp[0][0], fp[0][1], fp[1]]


class Memo:
    """One invocation's memo. ``candidates``: files whose presence or content could change the
    result before the command knows which of them it uses (e.g. config locations)."""

    def __init__(self, command: str, params: Any, candidates: Sequence[Path]) -> None:
        ident = json.dumps(
            [install_stamp(), command, params, os.getcwd()], sort_keys=True, default=str
        )
        self._file = cache_dir() / "output" / (sha256_hex(ident.encode())[:40] + ".json")
        self._candidates = [Path(p) for p in candidates]
        self.enabled = os.environ.get("PUBMAN_NO_OUTPUT_CACHE", "") in ("", "0")

    def lookup(self) -> Replay | None:
        if not self.enabled:
            return None
        data = load_json(self._file)
        if not isinstance(data, dict):
            return None
        try:
            for path, fp in data["inputs"]:
                if _fp(Path(path)) != fp:
                    return None
            return Replay(
                str(data["stdout"]), tuple(str(x) for x in data["stderr"]), int(data["code"])
            )
        except (KeyError, TypeError, ValueError):
            return None

    def store(
        self,
        stdout: str,
        stderr: Sequence[str],
        code: int,
        inputs: Sequence[Path | None],
        known: Mapping[Path, tuple[tuple[int, int], str] | None] | None = None,
    ) -> None:
        """Remember the output. ``known``: fingerprints of inputs as they were when read (the
        files may have changed while the command ran); other inputs are fingerprinted now."""
        if not self.enabled:
            return
        paths = list(dict.fromkeys([*self._candidates, *(Path(p) for p in inputs if p)]))
        given = {Path(k).resolve(): v for k, v in (known or {}).items() if v is not None}

        def fp(p: Path) -> list[Any] | None:
            got = given.get(p.resolve())
            return [got[0][0], got[0][1], got[1]] if got else _fp(p)

        store_json(
            self._file,
            {
                "inputs": [[str(p), fp(p)] for p in paths],
                "stdout": stdout,
                "stderr": list(stderr),
                "code": code,
            },
        )
