"""Issue 14: what ``format`` keeps per entry while it arranges a big list. The resolver's memo
answers like the resolver itself; a :class:`~pubman.formatting.listing.Placing` makes each
item (and its view) when read, with the numbers the definition gives; a view reads its
identifiers on first use, as :mod:`pubman.identifiers` does."""

from __future__ import annotations

import pytest
from _corpus import CORPUS

from pubman import identifiers as ids
from pubman.formatting import FormatOptions
from pubman.formatting.listing import arrange
from pubman.model import Entry
from pubman.store import bibliography as bibstore
from pubman.venues import VenueTable, resolve, resolver
from pubman.work import derive


def _entry(type_: str, key: str = "k", **fields: str) -> Entry:
    return Entry(key=key, type=type_, fields=fields)


CASES = [
    _entry("inproceedings", booktitle="Proceedings of ICML"),
    _entry("inproceedings", booktitle="Proceedings of ICML", note="Workshop on Robots"),
    _entry("inproceedings", booktitle="Proceedings of ICML", note="Best paper at a workshop"),
    _entry("article", journal="Journal of Odd Things"),
    _entry("article", booktitle="Some Symposium on Things"),  # a conference filed as @article
    _entry("misc", howpublished="Preprint"),
    _entry("techreport", institution="Technical Report CMU-CS-16-118, CMU SCS"),
    _entry("misc", eprint="2101.00001", archiveprefix="arXiv"),
    _entry("misc"),
    _entry("phdthesis", school="MIT"),
]


@pytest.mark.parametrize("entry", CASES, ids=lambda e: f"{e.type}-{sorted(e.fields)}")
def test_memoised_resolution_equals_a_fresh_one(entry: Entry) -> None:
    table = VenueTable.load()
    resolver._MEMO.clear()
    fresh = resolve(entry, table)
    again = resolve(entry, table)  # from the memo when the entry has a venue string
    assert again == fresh
    # every case read after the others (a shared memo) gives the same answer
    assert [resolve(e, table) for e in CASES] == [resolve(e, table) for e in reversed(CASES)][::-1]


def test_memo_keys_on_the_workshop_note() -> None:
    table = VenueTable.load()
    plain = resolve(_entry("inproceedings", booktitle="Proceedings of ICML"), table)
    noted = resolve(
        _entry("inproceedings", booktitle="Proceedings of ICML", note="Workshop on Robots"),
        table,
    )
    assert plain.venue.kind == "conference"
    assert noted.venue.kind == "workshop"


def test_view_reads_identifiers_as_identifiers_does() -> None:
    fields = {"doi": "10.1000/XYZ", "eprint": "2101.00001v2", "archiveprefix": "arXiv"}
    work = derive(_entry("article", **fields))
    assert (work.doi, work.arxiv, work.s2) == (
        ids.doi_from_entry(fields),
        ids.arxiv_id_from_entry(fields),
        ids.s2_id_from_entry(fields),
    )


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("numbering", ["continuous", "per-group"])
def test_placing_items_and_numbers(reverse: bool, numbering: str) -> None:
    entries = [
        _entry("article", key=f"k{i}", journal="Journal of Things", year=str(2000 + i % 3))
        for i in range(7)
    ]
    options = FormatOptions(group_by="year", numbering=numbering, reverse_numbering=reverse)
    groups = arrange(entries, VenueTable.load(), options)
    assert [g.title for g in groups] == ["2002", "2001", "2000"]
    total = 0
    for group in groups:
        items = list(group)
        assert [p.number for p in items] == list(group.numbers)
        assert [p.number for p in items] == [group[i].number for i in range(len(group))]
        assert [p.entry.key for p in group[1:]] == [p.entry.key for p in items[1:]]
        assert all(p.group == group.title and p.work.entry is p.entry for p in items)
        assert all(p.work.venue == p.venue for p in items)
        total += len(group)
    numbers = [n for g in groups for n in g.numbers]
    if numbering == "continuous":
        assert sorted(numbers) == list(range(1, total + 1))
        assert numbers == sorted(numbers, reverse=reverse)


def test_memoised_resolution_equals_a_fresh_one_on_every_corpus_entry() -> None:
    """Invariance: the memo's answer for an entry, after every other entry of its file filled
    the memo, is the answer the resolver gives with the memo empty."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present; it is beside the repo in CI only")
    table = VenueTable.load()
    files = [p for p in sorted(CORPUS.rglob("*.bib")) if p.stat().st_size < 3_000_000]
    checked = 0
    for path in files:
        entries = list(bibstore.load(path, cache=False).entries.values())
        resolver._MEMO.clear()
        memoised = [resolve(e, table) for e in entries]
        for entry, answer in zip(entries, memoised):
            resolver._MEMO.clear()
            assert resolve(entry, table) == answer, (path.name, entry.key)
        checked += len(entries)
    assert checked > 10_000
