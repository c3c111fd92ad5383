"""``<bib stem>.dedup.json`` beside the .bib: the owner's "these two are different works"
verdicts, which ``pubman dedup`` respects.

Format: ``{"version": 1, "not_duplicates": [["key1", "key2"], ...]}``; each pair sorted, in
the order recorded. For several .bib files read as one, the verdicts are the first file's
(``conf.dedup.json``; the one rule for side files: :mod:`pubman.store.multi`), so a pair may
name entries of two files. Written atomically without a backup copy. Raises
:class:`~pubman.errors.ConfigError` for an unreadable file; a missing file holds no verdicts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pubman.errors import ConfigError
from pubman.store.bibliography import atomic_write

VERSION = 1


def verdicts_path(bib: str | Path) -> Path:
    """Where the verdicts for ``bib`` live: ``pubs.bib`` -> ``pubs.dedup.json``."""
    path = Path(bib)
    return path.with_name(f"{path.stem}.dedup.json")


def load_verdicts(path: Path) -> list[tuple[str, str]]:
    """The recorded pairs, oldest first; ``[]`` when there is no file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        raise ConfigError(
            f"cannot read dedup verdicts: {err}",
            path=str(path),
            hint="fix or delete the file (it only holds --not-duplicate verdicts)",
        ) from None
    pairs = data.get("not_duplicates", []) if isinstance(data, dict) else []
    return [(str(p[0]), str(p[1])) for p in pairs if isinstance(p, list) and len(p) == 2]


def add_verdicts(path: Path, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Record ``pairs`` (in either order; ones already known are kept once) and return every
    recorded pair."""
    known = load_verdicts(path)
    seen = {frozenset(p) for p in known}
    added = [(a, b) for a, b in (sorted(p) for p in pairs) if frozenset((a, b)) not in seen]
    every = known + list(dict.fromkeys(added))
    data = {"version": VERSION, "not_duplicates": [list(p) for p in every]}
    atomic_write(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"), backup=False)
    return every
