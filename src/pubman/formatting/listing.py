"""Which entries a list shows, in what order, in which groups, with which numbers.

Contract: pure functions over entries and options; no I/O, never prints.

Order: ``newest`` sorts by year, newest first, and keeps the file's order among entries of the
same year (a stable sort). ``oldest`` is exactly the reverse of ``newest``. A year is the
entry's year as :mod:`pubman.identifiers` reads it (the first year of ``year``, else of
``date``), through its :class:`pubman.work.Work` view. An entry whose year has no digits
but says something ("in press", "to appear") counts as newer than any year; an entry with no
year at all counts as older than any. Year filters (``since``/``until``) drop entries without
a four-digit year.

Groups: by year (in list order) or by kind, in the order of :data:`KIND_ORDER` with the
headings of :data:`KIND_HEADINGS`. Numbering is continuous across groups or restarts in each
group; reversed numbering counts down to 1 (the newest of N entries is N).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pubman.formatting.document import FormatOptions
from pubman.identifiers import year_number
from pubman.model import Entry
from pubman.venues import Venue, VenueTable
from pubman.work import Work, work_of

__all__ = ["KIND_HEADINGS", "KIND_ORDER", "Placed", "arrange", "year_key", "year_of"]

KIND_ORDER = ("conference", "journal", "workshop", "preprint", "book", "thesis", "report", "other")
KIND_HEADINGS = {
    "conference": "Conference papers",
    "journal": "Journal articles",
    "workshop": "Workshop papers",
    "preprint": "Preprints",
    "book": "Books and chapters",
    "thesis": "Theses",
    "report": "Technical reports",
    "other": "Other",
}


@dataclass(frozen=True)
class Placed:
    """An entry chosen for the list, with its venue, year text, group, number and view."""

    entry: Entry
    venue: Venue
    year: str
    group: str | None
    number: int
    work: Work


def year_of(entry: Entry) -> str:
    """The year as written (``year``, else the year of a biblatex ``date``), stripped."""
    return work_of(entry).year_text


def year_key(year: str) -> float:
    """Sort key: the year; +inf for a non-empty year without one; -inf for none."""
    number = year_number(year)
    if number is not None:
        return float(number)
    return math.inf if year.strip() else -math.inf


def _kept(year: str, venue: Venue, options: FormatOptions) -> bool:
    if options.kinds and venue.kind not in options.kinds:
        return False
    if options.since is None and options.until is None:
        return True
    key = year_key(year)
    if math.isinf(key):
        return False
    return (options.since is None or key >= options.since) and (
        options.until is None or key <= options.until
    )


def _grouped(
    chosen: Sequence[tuple[Entry, Venue, str]],
    options: FormatOptions,
) -> list[tuple[str | None, list[tuple[Entry, Venue, str]]]]:
    if options.group_by == "none":
        return [(None, list(chosen))]
    groups: dict[str, list[tuple[Entry, Venue, str]]] = {}
    for item in chosen:
        _, venue, year = item
        if options.group_by == "year":
            title = (
                str(int(year_key(year))) if not math.isinf(year_key(year)) else (year or "No year")
            )
        else:
            title = KIND_HEADINGS.get(venue.kind, KIND_HEADINGS["other"])
        groups.setdefault(title, []).append(item)
    if options.group_by == "type":
        rank = {KIND_HEADINGS[k]: i for i, k in enumerate(KIND_ORDER)}
        titles = sorted(groups, key=lambda title: rank.get(title, len(rank)))
        return [(title, groups[title]) for title in titles]
    return [(title, items) for title, items in groups.items()]


def _numbers(sizes: Sequence[int], options: FormatOptions) -> list[list[int]]:
    total, out, start = sum(sizes), [], 0
    for size in sizes:
        if options.numbering == "per-group":
            first, count_from = 0, size
        else:
            first, count_from = start, total
        if options.reverse_numbering:
            out.append([count_from - first - i for i in range(size)])
        else:
            out.append([first + i + 1 for i in range(size)])
        start += size
    return out


def arrange(
    entries: Iterable[Entry],
    table: VenueTable,
    options: FormatOptions,
) -> list[tuple[str | None, list[Placed]]]:
    """The entries to print, filtered, sorted, grouped and numbered, as (heading, items)."""
    chosen = []
    works: dict[int, Work] = {}
    for entry in entries:
        work = works[id(entry)] = work_of(entry, table)
        if _kept(work.year_text, work.venue, options):
            chosen.append((entry, work.venue, work.year_text))
    chosen.sort(key=lambda item: -year_key(item[2]))  # stable: file order within a year
    if options.order == "oldest":
        chosen.reverse()
    groups = _grouped(chosen, options)
    numbers = _numbers([len(items) for _, items in groups], options)
    return [
        (title, [Placed(e, v, y, title, n, works[id(e)]) for (e, v, y), n in zip(items, nums)])
        for (title, items), nums in zip(groups, numbers)
    ]
