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
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from pubman.formatting.document import FormatOptions
from pubman.identifiers import year_number, year_text
from pubman.model import VENUE_KINDS, Entry
from pubman.venues import Resolution, Venue, VenueTable, resolve
from pubman.work import Work, derive, work_of

__all__ = [
    "KIND_HEADINGS",
    "KIND_ORDER",
    "Placed",
    "Placing",
    "arrange",
    "year_key",
    "year_of",
]

KIND_ORDER = VENUE_KINDS  # group order (pubman.model.VENUE_KINDS)
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


# A plain class with __slots__, not a frozen dataclass: one is built per entry as the list is
# read, and it caches its view in a slot (a NamedTuple has none); immutable but for that cache.
class Placed:
    """An entry chosen for the list, with its venue, year text, group, number and view."""

    __slots__ = ("_work", "entry", "group", "number", "resolution", "table", "venue", "year")
    entry: Entry
    venue: Venue
    year: str
    group: str | None
    number: int
    resolution: Resolution
    table: VenueTable
    _work: Work | None

    def __init__(
        self,
        entry: Entry,
        venue: Venue,
        year: str,
        group: str | None,
        number: int,
        resolution: Resolution,
        table: VenueTable,
    ) -> None:
        _set = object.__setattr__
        _set(self, "entry", entry)
        _set(self, "venue", venue)
        _set(self, "year", year)
        _set(self, "group", group)
        _set(self, "number", number)
        _set(self, "resolution", resolution)
        _set(self, "table", table)
        _set(self, "_work", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: Placed is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: Placed is immutable")

    def _key(self) -> tuple[Any, ...]:
        return (self.entry, self.venue, self.year, self.group, self.number)

    def __repr__(self) -> str:
        return (
            f"Placed(entry={self.entry!r}, venue={self.venue!r}, year={self.year!r}, "
            f"group={self.group!r}, number={self.number!r})"
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not Placed:
            return NotImplemented
        return bool(
            self._key() == other._key()
            and self.resolution == other.resolution
            and self.table == other.table
        )

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def work(self) -> Work:
        """The entry's :class:`pubman.work.Work` view, derived when the entry is formatted
        (not kept for the whole list: a big list would hold a view per entry)."""
        done = self._work
        if done is None:
            done = derive(self.entry, self.table, self.resolution)
            object.__setattr__(self, "_work", done)
        return done


# What arrange keeps of a chosen entry until it is formatted.
_Chosen = tuple[Entry, Resolution, str]


class Placing(Sequence[Placed]):
    """One group's entries in list order; each :class:`Placed` is made when it is read."""

    __slots__ = ("_items", "_numbers", "_table", "title")

    def __init__(
        self, title: str | None, items: list[_Chosen], numbers: range, table: VenueTable
    ) -> None:
        self.title = title
        self._items, self._numbers, self._table = items, numbers, table

    @property
    def numbers(self) -> range:
        """The items' numbers, in list order."""
        return self._numbers

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Placed: ...
    @overload
    def __getitem__(self, index: slice) -> list[Placed]: ...
    def __getitem__(self, index: int | slice) -> Placed | list[Placed]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        entry, resolution, year = self._items[index]
        number = self._numbers[index]
        return Placed(entry, resolution.venue, year, self.title, number, resolution, self._table)

    def __iter__(self) -> Iterator[Placed]:
        title, table = self.title, self._table
        for (entry, resolution, year), number in zip(self._items, self._numbers):
            yield Placed(entry, resolution.venue, year, title, number, resolution, table)


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
    chosen: list[_Chosen], options: FormatOptions
) -> list[tuple[str | None, list[_Chosen]]]:
    if options.group_by == "none":
        return [(None, chosen)]
    groups: dict[str, list[_Chosen]] = {}
    for item in chosen:
        _, resolution, year = item
        if options.group_by == "year":
            title = (
                str(int(year_key(year))) if not math.isinf(year_key(year)) else (year or "No year")
            )
        else:
            title = KIND_HEADINGS.get(resolution.venue.kind, KIND_HEADINGS["other"])
        groups.setdefault(title, []).append(item)
    if options.group_by == "type":
        rank = {KIND_HEADINGS[k]: i for i, k in enumerate(KIND_ORDER)}
        titles = sorted(groups, key=lambda title: rank.get(title, len(rank)))
        return [(title, groups[title]) for title in titles]
    return [(title, items) for title, items in groups.items()]


def _numbers(sizes: Sequence[int], options: FormatOptions) -> list[range]:
    total, out, start = sum(sizes), [], 0
    for size in sizes:
        if options.numbering == "per-group":
            first, count_from = 0, size
        else:
            first, count_from = start, total
        if options.reverse_numbering:
            out.append(range(count_from - first, count_from - first - size, -1))
        else:
            out.append(range(first + 1, first + size + 1))
        start += size
    return out


def arrange(entries: Iterable[Entry], table: VenueTable, options: FormatOptions) -> list[Placing]:
    """The entries to print, filtered, sorted, grouped and numbered: one :class:`Placing` per
    group (its ``title`` the heading, None when ungrouped). Only what sorting and grouping
    need is kept per entry; the :class:`Placed` items (and their views) are made as they are
    read, so that a big list does not hold them all at once."""
    chosen: list[_Chosen] = []
    for entry in entries:
        year = year_text(entry.fields)
        resolution = resolve(entry, table)
        if _kept(year, resolution.venue, options):
            chosen.append((entry, resolution, year))
    chosen.sort(key=lambda item: -year_key(item[2]))  # stable: file order within a year
    if options.order == "oldest":
        chosen.reverse()
    groups = _grouped(chosen, options)
    numbers = _numbers([len(items) for _, items in groups], options)
    return [Placing(title, items, nums, table) for (title, items), nums in zip(groups, numbers)]
