"""Blocking: ``candidate_pairs`` is exactly the pairs of ``block_pairs`` (an identifier shared by
more than ``ID_PAIRWISE`` records pairing each with the first) that pass the judge's pre-check,
found without listing every pair of a block."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from _corpus import corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st

from pubman.dedup.candidates import (
    BLOCK_CAP,
    ID_PAIRWISE,
    RARE_DF,
    _title_blocks,
    block_pairs,
    candidate_pairs,
)
from pubman.dedup.groups import _records
from pubman.dedup.judge import worth_judging
from pubman.dedup.record import Record
from pubman.model import Entry
from pubman.store import bibliography as bibstore

# Few words, so titles share words, stems ("learn", "learning") and blocks.
WORDS = ["learning", "learned", "deep", "graph", "graphs", "neural", "net", "on", "the", "a"]
WORDS += ["robust", "robot", "control", "x", "preface", "models", "modelling", "of", "2"]


def _checked(records: list[Record]) -> set[tuple[int, int]]:
    """The pre-checked pairs of every block, by listing them all (the definition)."""
    pairs = block_pairs(records, ID_PAIRWISE)
    return {(i, j) for i, j in pairs if worth_judging(records[i], records[j])}


entries = st.builds(
    lambda title, doi, n: Entry(f"k{n}", "article", {"title": title, **doi}),
    st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join),
    st.sampled_from([{}, {}, {}, {"doi": "10.1/a"}, {"doi": "10.1/b"}]),
    st.integers(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(entries, min_size=2, max_size=60))
def test_candidates_are_the_prechecked_block_pairs(batch: list[Entry]) -> None:
    records = _records(batch)
    assert candidate_pairs(records) == _checked(records)


def test_copies_sharing_half_a_title_are_not_all_compared() -> None:
    """200 papers, 10 copies each; a copy's title is the first half of its paper's and the
    second half of another's (as in scripts/bench_scale.py). The copies of one paper share
    blocks (their rarest words), but their stems overlap by a third, not half."""

    def half(letters: str, n: int) -> str:
        return " ".join(f"{letter}{n:03d}" for letter in letters)

    batch = [
        Entry(
            f"k{i}-{c}",
            "article",
            {"title": f"{half('abcd', i)} {half('wxyz', (i + 7 * c) % 200)}"},
        )
        for c in range(10)
        for i in range(200)
    ]
    records = _records(batch)
    assert len(block_pairs(records)) >= 200 * 45  # every two copies of a paper share a block
    assert candidate_pairs(records) == _checked(records) == set()


def test_a_title_over_the_cap_pairs_nothing_and_an_identifier_pairs_its_records() -> None:
    many = [Entry(f"p{i}", "article", {"title": "Preface"}) for i in range(BLOCK_CAP + 1)]
    few = [Entry(f"q{i}", "article", {"title": "Foreword"}) for i in range(3)]
    same_doi = [Entry(f"d{i}", "article", {"title": f"T{i}", "doi": "10.1/x"}) for i in range(60)]
    some = [Entry(f"e{i}", "article", {"title": f"U{i}", "doi": "10.1/y"}) for i in range(4)]
    records = _records(many + few + same_doi + some)
    found = candidate_pairs(records)
    n, m, d = len(many), len(few), len(same_doi)
    assert not any(i < n for i, _ in found)
    assert {(n, n + 1), (n, n + 2), (n + 1, n + 2)} <= found
    # 60 records with one DOI (and unlike titles): each is paired with the first of them
    first = n + m
    assert {p for p in found if first <= p[0] < first + d} == {
        (first, first + k) for k in range(1, d)
    }
    # a few records with one DOI (up to ID_PAIRWISE): every pair
    assert sum(1 for i, _ in found if i >= first + d) == 4 * 3 // 2


def test_corpus_candidates_are_the_prechecked_block_pairs() -> None:
    files = [p for p in corpus_files("real", "bench") if p.stat().st_size < 4_000_000]
    for path in files:
        records = _records(list(bibstore.load(path).entries.values()))
        assert candidate_pairs(records) == _checked(records), path.name


def _reference_blocks(records: list[Record]) -> list[tuple[int, ...]]:
    """The title blocks by their definition (module docstring), every key in one index."""
    titled = [r for r in records if r.title]
    df = Counter(w for r in titled for w in r.tokens)
    keys: dict[object, list[int]] = {}
    for r in titled:
        own: list[object] = [("title", r.title)]
        rarest = sorted(r.tokens, key=lambda w: (df[w], w))[:3]
        own += [("pair", *sorted(p)) for p in combinations(rarest, 2)]
        own += [("word", w) for w in rarest if df[w] <= RARE_DF or len(rarest) == 1]
        edge = r.title.replace(" ", "")
        if len(r.tokens) <= 4 and len(edge) >= 10:
            own += [("start", edge[:8]), ("end", edge[-8:])]
        for key in own:
            keys.setdefault(key, []).append(r.index)
    return sorted(tuple(m) for m in keys.values() if 2 <= len(m) <= BLOCK_CAP)


@settings(max_examples=200, deadline=None)
@given(st.lists(entries, min_size=2, max_size=60))
def test_title_blocks_are_those_of_the_definition(batch: list[Entry]) -> None:
    records = _records(batch)
    found = sorted(tuple(m) for m in _title_blocks([r for r in records if r.title]))
    assert found == _reference_blocks(records)


def test_corpus_title_blocks_are_those_of_the_definition() -> None:
    for path in [p for p in corpus_files("real", "bench") if p.stat().st_size < 4_000_000]:
        records = _records(list(bibstore.load(path).entries.values()))
        found = sorted(tuple(m) for m in _title_blocks([r for r in records if r.title]))
        assert found == _reference_blocks(records), path.name
