"""Which entries an export holds: ``format``'s choice, narrowed by keys and ``selected``.

Contract: pure functions over entries; no I/O, never prints. The filters are
:func:`pubman.formatting.listing.arrange`'s (``--type``, ``--since``, ``--until``); the entries
keep file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pubman.errors import UsageError
from pubman.formatting.document import FormatOptions
from pubman.formatting.listing import arrange
from pubman.model import Entry
from pubman.venues import VenueTable

__all__ = ["is_selected", "select_entries"]

_TRUE = frozenset({"true", "yes", "1", "y", "t"})


def is_selected(entry: Entry) -> bool:
    """al-folio's mark for a homepage's highlighted papers: ``selected = {true}``."""
    return entry.get("selected").strip().strip("{}").strip().lower() in _TRUE


def _by_keys(entries: Sequence[Entry], keys: Sequence[str]) -> list[Entry]:
    """The entries named by ``keys`` (exact, else case-insensitive, as BibTeX matches them)."""
    exact = {e.key: e for e in entries}
    folded = {e.key.lower(): e for e in entries}
    found: dict[str, Entry] = {}
    missing = []
    for key in keys:
        entry = exact.get(key) or folded.get(key.lower())
        if entry is None:
            missing.append(key)
        else:
            found[entry.key] = entry
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise UsageError(
            f"no entry with key '{missing[0]}'{more}",
            hint="keys are listed by `pubman format --to json`; check the spelling",
        )
    return [e for e in entries if e.key in found]


def select_entries(
    entries: Iterable[Entry],
    table: VenueTable,
    options: FormatOptions,
    *,
    keys: Sequence[str] = (),
    selected: bool = False,
) -> list[Entry]:
    """The entries to export, in file order: those ``format`` would list with ``options``,
    narrowed to ``keys`` when given (raises UsageError for a key that is not in the file)
    and to ``selected = {true}`` entries with ``selected``."""
    pool = list(entries)
    if keys:
        pool = _by_keys(pool, keys)
    if selected:
        pool = [e for e in pool if is_selected(e)]
    kept = {p.entry.key for group in arrange(pool, table, options) for p in group}
    return [e for e in pool if e.key in kept]
