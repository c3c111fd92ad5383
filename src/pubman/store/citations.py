"""``.<bib name>.citations.json`` beside the .bib: citation counts from Semantic Scholar.

``pubman sync`` writes it (:func:`save_citations`), ``pubman stats`` reads it
(:func:`load_citation_counts`); the counts never go into the .bib. Format:
``{"updated": "YYYY-MM-DD", "counts": {key: n}}``, keys sorted. Written atomically without a
backup copy. For several .bib files read as one, the counts are the first file's (the one
rule for side files: :mod:`pubman.store.multi`). Reading raises :class:`~pubman.errors.BibFileError` for a file it cannot read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from pubman.errors import BibFileError

_HINT = "delete it; `pubman sync` writes it again"


def citations_path(bib: str | Path) -> Path:
    """Where the counts for ``bib`` live: a hidden JSON file beside it."""
    path = Path(bib)
    return path.with_name(f".{path.name}.citations.json")


def load_citation_counts(bib: str | Path) -> dict[str, int] | None:
    """Cached citation counts by entry key, or ``None`` when sync has cached none."""
    path = citations_path(bib)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise BibFileError(
            f"cannot read the citation cache: {err}", path=str(path), hint=_HINT
        ) from None
    counts = data.get("counts") if isinstance(data, dict) else None
    if not isinstance(counts, dict):
        raise BibFileError('citation cache has no "counts" table', path=str(path), hint=_HINT)
    return {
        str(k): int(v)
        for k, v in counts.items()
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def save_citations(bib: str | Path, counts: Mapping[str, int], updated: str) -> None:
    """Write the counts, merged over any counts already there for other keys (a damaged old
    file is replaced)."""
    # Lazy: `pubman stats` reads this file on its cached path, which never loads the scanner
    # that pubman.store.bibliography imports (~15 ms).
    from pubman.store.bibliography import atomic_write

    try:
        old = load_citation_counts(bib) or {}
    except BibFileError:
        old = {}
    merged = {**old, **counts}
    data = {"updated": updated, "counts": dict(sorted(merged.items()))}
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    atomic_write(citations_path(bib), text.encode(), backup=False)
