"""Where sync puts a new entry: at the top of its year in a newest-first file, after its year in
an oldest-first one, else at the end. Pure functions over entries; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from pubman.model import Entry


def newest_first(entries: Sequence[Entry]) -> bool | None:
    """True/False when the file is sorted by year descending/ascending, None when neither."""
    years = [int(y[:4]) for e in entries if (y := e.get("year").strip())[:4].isdigit()]
    pairs = list(pairwise(years))
    if len(pairs) < 2:
        return None
    down = sum(1 for a, b in pairs if a >= b) / len(pairs)
    up = sum(1 for a, b in pairs if a <= b) / len(pairs)
    if down >= 0.8 and years[0] > years[-1]:
        return True
    if up >= 0.8 and years[0] < years[-1]:
        return False
    return None


_UNKNOWN = object()


def placement(entries: Sequence[Entry], year: int | None, order: Any = _UNKNOWN) -> str | None:
    """The key to insert a new entry of ``year`` before, or None to append.

    Newest-first files: at the top of its year. Oldest-first: after its year. Otherwise, or
    without a year: at the end. ``order`` is :func:`newest_first` of ``entries`` if known.
    """
    if order is _UNKNOWN:
        order = newest_first(entries)
    if order is None or year is None:
        return None
    for e in entries:
        y = e.get("year").strip()[:4]
        if y.isdigit() and ((int(y) <= year) if order else (int(y) > year)):
            return e.key
    return None
