"""Publication counts by venue, year and kind, each work counted once, as plain data.

Contract: pure functions over :class:`~pubman.model.Entry` values; never prints. The one I/O is
:func:`load_citation_counts`, re-exported from :mod:`pubman.store.citations` (the citation cache
``pubman sync`` writes beside the .bib): ``None`` when there is no cache,
:class:`~pubman.errors.BibFileError` for a cache it cannot read.

What is a work (:func:`collect_works`):

* every entry, except containers that other entries point at through ``crossref`` (those lend
  their fields, per BibTeX, to the entries that cite them);
* entries that are the same work count once: same DOI; same arXiv id; or the same normalised
  title when one of them is unpublished (a preprint, a tech report or an entry without a venue)
  or both appeared at the same venue in the same year. A conference paper and its journal
  extension that share a title are two works. A group is counted as its most-published member
  (conference, journal, workshop, book or thesis; then other; report; preprint; no venue; file
  order breaks ties), so a preprint and its published version count once, as published. An
  entry with both a venue and an eprint is published.

Each entry is read through its :class:`pubman.work.Work` view: identifiers, title, year,
authors, and the venue from :func:`pubman.venues.classify`. On top of it, stats labels theses "PhD thesis",
"Master's thesis" or "Thesis" and technical reports "Technical report" (a school or institute
is not a venue), an entry without any venue "(no venue)", and merges unknown venues whose
spellings differ only in case, punctuation, years, ordinals or word order under the most common
spelling. Years come from ``year`` (else ``date``, :func:`pubman.identifiers.year_of`); a
work without one is counted under "n.d.".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pubman.gcpause import collector_paused
from pubman.model import VENUE_KINDS, Entry
from pubman.stats.tables import BY_CHOICES, Grid, grid, to_json  # re-exported: their home
from pubman.store.citations import citations_path, load_citation_counts
from pubman.venues import Venue, VenueTable, venue_key
from pubman.work import Work, crossref_parent, crossref_parents, with_crossref, work_of

if TYPE_CHECKING:
    from pubman.text.names import OwnerMatcher

__all__ = [
    "BY_CHOICES",
    "KIND_ORDER",
    "NO_VENUE",
    "NO_YEAR",
    "CitationStats",
    "CountedWork",
    "Grid",
    "Stats",
    "citations_path",
    "collect_works",
    "compute",
    "count",
    "grid",
    "h_index",
    "load_citation_counts",
    "to_json",
]

KIND_ORDER = VENUE_KINDS  # column order (pubman.model.VENUE_KINDS)
NO_YEAR = "n.d."
NO_VENUE = "(no venue)"
_RANK = {"preprint": 3, "report": 2, "other": 1}  # every other kind is published: rank 0
_THESIS = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}


@dataclass(frozen=True, slots=True)
class CountedWork:
    """One publication as stats counts it. ``keys`` are every entry counted as this work, the
    one it is counted as first. ``first_author``/``last_author`` are ``None`` without an owner;
    ``citations`` is ``None`` when no cached count is known for any of its entries.

    Not a copy of one entry's :class:`~pubman.work.Work`: ``year``, ``venue`` and ``kind`` are
    the group's (the counted entry's Work venue, labelled for stats; the first year among its
    entries), computed from the members' Work views; kept as plain data so that the stats result
    cache can store them."""

    key: str
    keys: tuple[str, ...]
    year: int | None
    venue: str
    kind: str
    first_author: bool | None = None
    last_author: bool | None = None
    citations: int | None = None

    @property
    def year_label(self) -> str:
        return str(self.year) if self.year is not None else NO_YEAR


@dataclass(frozen=True)
class CitationStats:
    """Citation totals over the works that have a cached count (``works`` of them)."""

    total: int
    h_index: int
    works: int
    by_year: dict[str, int]
    by_venue: dict[str, int]


@dataclass(frozen=True)
class Stats:
    """Counts of works. Year keys are strings, ascending, "n.d." last; venues by count, most
    first; kinds in :data:`KIND_ORDER`. Only non-zero counts appear."""

    total: int
    by_year: dict[str, int]
    by_venue: dict[str, int]
    by_kind: dict[str, int]
    by_venue_year: dict[str, dict[str, int]]
    by_year_kind: dict[str, dict[str, int]]
    venue_kind: dict[str, str]
    first_author: int | None
    last_author: int | None
    citations: CitationStats | None
    works: tuple[CountedWork, ...]


# --- citation cache ---------------------------------------------------------------------------


def h_index(counts: Iterable[int]) -> int:
    """The largest h such that h works have at least h citations each."""
    ranked = sorted(counts, reverse=True)
    return sum(1 for i, n in enumerate(ranked, start=1) if n >= i)


# --- works ------------------------------------------------------------------------------------


def _resolve_crossrefs(entries: Sequence[Entry]) -> tuple[list[Entry], set[str]]:
    """Entries with the fields they inherit from their ``crossref`` parent
    (:func:`pubman.work.with_crossref`), and the parents' keys (lower-case)."""
    targets = crossref_parents(entries)
    if not targets:
        return list(entries), set()
    parents: set[str] = set()
    resolved = []
    for entry in entries:
        parent = crossref_parent(entry, targets)
        if parent is not None:
            parents.add(parent.key.lower())
        resolved.append(with_crossref(entry, parent))
    return resolved, parents


def _venue(work: Work) -> Venue:
    """The work view's venue, with theses and reports labelled by type and empty venues named."""
    venue = work.venue
    if venue.kind == "thesis":
        label = _THESIS.get(work.type.lower(), "Thesis")
        return Venue(short=label, kind="thesis", name=label, display=label)
    if venue.kind == "report":
        return Venue(
            short="Technical report",
            kind="report",
            name="Technical report",
            display="Technical report",
        )
    if not venue.short:
        return venue._replace(short=NO_VENUE)
    return venue


def _rank(venue: Venue) -> int:
    """How published a version is: 0 published ... 3 preprint, 4 nothing known."""
    return 4 if venue.short == NO_VENUE else _RANK.get(venue.kind, 0)


class _Groups:
    """Union-find over entry indices; the root of a group is its smallest index."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _same_work_groups(
    works: Sequence[Work], venues: Sequence[Venue], years: Sequence[int | None]
) -> list[list[int]]:
    """Indices of entries grouped into works (see the module docstring), in file order."""
    # Only what repeats gets a list: a large file is mostly works of one entry each.
    groups = _Groups(len(works))
    by_doi: dict[str, int] = {}
    by_arxiv: dict[str, int] = {}
    first_title: dict[str, int] = {}
    same_title: dict[str, list[int]] = {}
    for i, work in enumerate(works):
        if work.doi:
            groups.union(by_doi.setdefault(work.doi, i), i)
        if work.arxiv:
            groups.union(by_arxiv.setdefault(work.arxiv, i), i)
        title = work.title_key
        if " " in title:  # two words or more (the key has single spaces, none at the ends)
            first = first_title.setdefault(title, i)
            if first != i:
                same_title.setdefault(title, [first]).append(i)
    del by_doi, by_arxiv, first_title
    for members in same_title.values():
        _merge_same_title(members, venues, years, groups)
    joined: dict[int, list[int]] = {}
    for i in range(len(works)):
        root = groups.find(i)
        if root != i:
            joined.setdefault(root, [root]).append(i)
    return [joined.get(i, [i]) for i in range(len(works)) if groups.parent[i] == i]


def _merge_same_title(
    members: list[int], venues: Sequence[Venue], years: Sequence[int | None], groups: _Groups
) -> None:
    """Same title: published entries merge when venue and year agree; unpublished ones join the
    first published cluster (or each other when none is published)."""
    clusters: dict[tuple[str, int | None], int] = {}
    unpublished = []
    for i in members:
        if _rank(venues[i]) >= 2:
            unpublished.append(i)
        else:
            groups.union(clusters.setdefault((venue_key(venues[i].short), years[i]), i), i)
    target = next(iter(clusters.values()), unpublished[0] if unpublished else None)
    for i in unpublished:
        groups.union(target, i)  # type: ignore[arg-type]


def _authorship(work: Work, owner: OwnerMatcher | None) -> tuple[bool | None, bool | None]:
    """(first author?, last author?) of the owner among the work's authors; last needs two or
    more authors and a list that is not cut short with "and others"."""
    if owner is None:
        return None, None
    # The owner matcher's quick test on the text the authors are parsed from: most entries of a
    # large file are not the owner's, and this spares parsing their names.
    author = work.entry.get("author")
    if not author.strip() or not owner.may_appear_in(author):
        return False, False
    persons = list(work.authors)
    found = owner.find(persons) if persons else []
    last = len(persons) - 1
    return (0 in found, last > 0 and last in found and not persons[last].is_others)


def _merge_unknown_spellings(works: list[CountedWork], table: VenueTable) -> list[CountedWork]:
    """Venues the table does not know, spelled differently but with the same
    :func:`venue_key`, are counted under their most common spelling."""
    uses = Counter(w.venue for w in works if w.venue != NO_VENUE and table.get(w.venue) is None)
    spellings: dict[str, list[str]] = {}
    for name in uses:
        spellings.setdefault(venue_key(name), []).append(name)
    rename = {}
    for names in spellings.values():
        if len(names) > 1:
            best = min(names, key=lambda n: (-uses[n], n))
            rename.update({n: best for n in names if n != best})
    return [replace(w, venue=rename[w.venue]) if w.venue in rename else w for w in works]


@collector_paused()
def collect_works(
    entries: Iterable[Entry],
    table: VenueTable,
    owner: OwnerMatcher | None = None,
    citations: Mapping[str, int] | None = None,
) -> list[CountedWork]:
    """The works in ``entries``, in file order of each work's first entry. ``owner`` is a
    :class:`pubman.text.names.OwnerMatcher` (or ``None``); ``citations`` cached counts by key."""
    resolved, parents = _resolve_crossrefs(list(entries))
    items = [work_of(e, table) for e in resolved if e.key.lower() not in parents]
    venues = [_venue(w) for w in items]
    years = [w.year for w in items]
    works = []
    for members in _same_work_groups(items, venues, years):
        best = min(members, key=lambda i: (_rank(venues[i]), i))
        ordered = [best, *(i for i in members if i != best)]
        year = next((years[i] for i in ordered if years[i] is not None), None)
        first, last = _authorship(items[best], owner)
        known = [
            citations[items[i].key] for i in ordered if citations and items[i].key in citations
        ]
        works.append(
            CountedWork(
                key=items[best].key,
                keys=tuple(items[i].key for i in ordered),
                year=year,
                venue=venues[best].short,
                kind=venues[best].kind,
                first_author=first,
                last_author=last,
                citations=max(known) if known else None,
            )
        )
    return _merge_unknown_spellings(works, table)


# --- counting ---------------------------------------------------------------------------------


def _year_order(label: str) -> tuple[int, int]:
    return (1, 0) if label == NO_YEAR else (0, int(label))


def _in_range(year: int | None, since: int | None, until: int | None) -> bool:
    if since is None and until is None:
        return True
    return (
        year is not None and (since is None or year >= since) and (until is None or year <= until)
    )


def _by_year(counter: Mapping[str, int]) -> dict[str, int]:
    return {y: counter[y] for y in sorted(counter, key=_year_order) if counter[y]}


def _citation_stats(works: Sequence[CountedWork], venue_order: Sequence[str]) -> CitationStats:
    known = [w for w in works if w.citations is not None]
    by_year: Counter[str] = Counter()
    by_venue: Counter[str] = Counter()
    for w in known:
        by_year[w.year_label] += w.citations or 0
        by_venue[w.venue] += w.citations or 0
    return CitationStats(
        total=sum(by_year.values()),
        h_index=h_index(w.citations or 0 for w in known),
        works=len(known),
        by_year={y: by_year[y] for y in sorted(by_year, key=_year_order)},
        by_venue={v: by_venue[v] for v in venue_order if v in by_venue},
    )


def count(
    works: Sequence[CountedWork],
    *,
    since: int | None = None,
    until: int | None = None,
    with_citations: bool = False,
) -> Stats:
    """Count ``works`` published in [since, until] (inclusive; a bound drops undated works).
    ``with_citations`` adds citation totals (pass it when a citation cache exists)."""
    selected = [w for w in works if _in_range(w.year, since, until)]
    by_venue_counter = Counter(w.venue for w in selected)
    venues = sorted(by_venue_counter, key=lambda v: (-by_venue_counter[v], v.casefold(), v))
    by_venue_year: dict[str, Counter[str]] = {v: Counter() for v in venues}
    by_year_kind: dict[str, Counter[str]] = {}
    venue_kind: dict[str, Counter[str]] = {v: Counter() for v in venues}
    for w in selected:
        by_venue_year[w.venue][w.year_label] += 1
        by_year_kind.setdefault(w.year_label, Counter())[w.kind] += 1
        venue_kind[w.venue][w.kind] += 1
    by_kind = Counter(w.kind for w in selected)
    owner_known = any(w.first_author is not None for w in works)
    return Stats(
        total=len(selected),
        by_year=_by_year(Counter(w.year_label for w in selected)),
        by_venue={v: by_venue_counter[v] for v in venues},
        by_kind={k: by_kind[k] for k in KIND_ORDER if by_kind[k]},
        by_venue_year={v: _by_year(by_venue_year[v]) for v in venues},
        by_year_kind={
            y: {k: c[k] for k in KIND_ORDER if c[k]}
            for y, c in sorted(by_year_kind.items(), key=lambda i: _year_order(i[0]))
        },
        venue_kind={v: venue_kind[v].most_common(1)[0][0] for v in venues},
        first_author=sum(bool(w.first_author) for w in selected) if owner_known else None,
        last_author=sum(bool(w.last_author) for w in selected) if owner_known else None,
        citations=_citation_stats(selected, venues) if with_citations else None,
        works=tuple(selected),
    )


def attach_citations(
    works: Sequence[CountedWork], citations: Mapping[str, int] | None
) -> list[CountedWork]:
    """``works`` with each work's citations: the largest cached count among its entries."""
    if not citations:
        return list(works)
    out = []
    for w in works:
        known = [citations[k] for k in w.keys if k in citations]
        out.append(replace(w, citations=max(known) if known else None))
    return out


def works_to_data(works: Sequence[CountedWork]) -> list[tuple[object, ...]]:
    """Works as JSON-able rows (for the result cache; tuples that share the works' strings)."""
    return [
        (w.key, w.keys, w.year, w.venue, w.kind, w.first_author, w.last_author, w.citations)
        for w in works
    ]


def works_from_data(rows: Sequence[Sequence[object]]) -> list[CountedWork]:
    """Inverse of :func:`works_to_data`; raises TypeError/ValueError on malformed rows."""
    works = []
    for key, keys, year, venue, kind, first, last, cites in rows:
        if not isinstance(key, str) or not isinstance(keys, list) or not isinstance(venue, str):
            raise TypeError("malformed cached work")
        if year is not None and not isinstance(year, int):
            raise TypeError("malformed cached year")
        flags = [f for f in (first, last) if f is None or isinstance(f, bool)]
        if len(flags) != 2 or not (cites is None or isinstance(cites, int)):
            raise TypeError("malformed cached authorship or citations")
        keys_ = tuple(str(k) for k in keys)
        works.append(CountedWork(key, keys_, year, venue, str(kind), flags[0], flags[1], cites))
    return works


def compute(
    entries: Iterable[Entry],
    table: VenueTable,
    *,
    owner: OwnerMatcher | None = None,
    citations: Mapping[str, int] | None = None,
    since: int | None = None,
    until: int | None = None,
) -> Stats:
    """:func:`collect_works` then :func:`count`; citation totals appear iff ``citations`` is
    not ``None``."""
    works = collect_works(entries, table, owner, citations)
    return count(works, since=since, until=until, with_citations=citations is not None)
