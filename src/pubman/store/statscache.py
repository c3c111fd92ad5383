"""The remembered works of a large .bib for ``pubman stats`` (kept in the user cache dir, not
beside the .bib): a second ``stats`` on an unchanged file neither parses nor classifies.

A result is keyed by the file's exact content (see :mod:`pubman.store.parsecache`), pubman's
install stamp, the owner's names and the ``[venues]`` config, so changing any of them
recomputes. The value is opaque JSON data (:func:`pubman.stats.counts.works_to_data`). Failing
to read or write the cache is never an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pubman.store import parsecache

NAME = "stats-works"


def _params(owner_names: Sequence[str], venues: Mapping[str, Any]) -> str:
    return json.dumps(
        [parsecache.install_stamp(), list(owner_names), venues], sort_keys=True, default=str
    )


def read_works(
    bib: str | Path, owner_names: Sequence[str], venues: Mapping[str, Any]
) -> list[Any] | None:
    """The data stored for exactly this file content, owner and venue config, or None."""
    cached = parsecache.read_derived(Path(bib), NAME, _params(owner_names, venues))
    return cached if isinstance(cached, list) and cached else None


def write_works(
    bib: str | Path,
    owner_names: Sequence[str],
    venues: Mapping[str, Any],
    data: list[Any],
    fingerprint: tuple[tuple[int, int], str] | None,
) -> None:
    """Remember ``data`` computed from the file content with ``fingerprint``."""
    parsecache.write_derived(Path(bib), NAME, _params(owner_names, venues), data, fingerprint)
