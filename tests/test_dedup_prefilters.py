"""The short cuts dedup takes before and while judging give the judge's own answers.

- ``candidate_pairs(..., skip_clashes=True)`` leaves out exactly the pairs
  :func:`~pubman.dedup.judge.identifiers_clash` names, every one of which the judge vetoes, and
  the groups found from the smaller set are the groups found from the whole set;
- ``author_agreement``'s surname-pool test, ``_numbers`` without its digit guard and the
  cached ``_person`` agree with the plain definitions.
"""

from __future__ import annotations

from itertools import combinations

from _corpus import corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st

from pubman.dedup import judge
from pubman.dedup.candidates import block_pairs, candidate_pairs
from pubman.dedup.groups import _group, _records, _score, find_duplicates
from pubman.dedup.record import FIRST_NUMBER, Person, Record, _people, _person
from pubman.model import Entry
from pubman.store import bibliography as bibstore
from pubman.text.names import parse_names

WORDS = ["learning", "deep", "graph", "neural", "robust", "control", "models", "of", "the", "2"]
AUTHORS = ["Ada Lovelace", "Alan Turing", "A. Turing", "Grace Hopper", "G. Hopper", "Kurt Gödel"]
IDS = {
    "doi": ["10.1/a", "10.1/b", "10.1/c"],
    "eprint": ["2101.00001", "2101.00002"],
    "pmid": ["111", "222"],
    "s2id": ["abc123", "def456"],
}


def _id_fields() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries(
        {}, optional={name: st.sampled_from(values) for name, values in IDS.items()}
    )


entries = st.builds(
    lambda title, authors, year, ids, kind, n: Entry(
        f"k{n}",
        kind,
        {"title": title, "author": " and ".join(authors), "year": str(year), **ids},
    ),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join),
    st.lists(st.sampled_from(AUTHORS), min_size=1, max_size=3),
    st.integers(2019, 2022),
    _id_fields(),
    st.sampled_from(["article", "inproceedings", "misc"]),
    st.integers(),
)


def _clash_by_definition(a: Record, b: Record) -> bool:
    shared, clash = judge._identifiers(a, b)
    return bool(clash) and not shared


def _check_clashes(records: list[Record], pairs: set[tuple[int, int]]) -> None:
    for i, j in pairs:
        a, b = records[i], records[j]
        clash = judge.identifiers_clash(a, b)
        assert clash == judge.identifiers_clash(b, a) == _clash_by_definition(a, b)
        if clash:
            assert judge.judge(a, b).veto is not None, (a.key, b.key)


def _groups(
    records: list[Record], pairs: set[tuple[int, int]]
) -> list[tuple[dict[str, object], tuple[judge.Pair, ...]]]:
    accepted, vetoed = _score(records, pairs, 0.8, judge.YEAR_WINDOW)
    return [(g.to_json(), g.pairs) for g in _group(records, accepted, vetoed, judge.YEAR_WINDOW)]


def _check_skipping(records: list[Record]) -> None:
    every = candidate_pairs(records)
    kept = candidate_pairs(records, skip_clashes=True)
    assert kept == {(i, j) for i, j in every if not judge.identifiers_clash(records[i], records[j])}
    _check_clashes(records, every)
    assert _groups(records, kept) == _groups(records, every)


@settings(max_examples=300, deadline=None)
@given(st.lists(entries, min_size=2, max_size=40))
def test_skipped_pairs_are_vetoed_and_change_no_group(batch: list[Entry]) -> None:
    records = _records(batch)
    _check_clashes(records, set(combinations(range(len(records)), 2)))
    _check_skipping(records)


def test_copies_with_other_identifiers_are_skipped_and_change_no_group() -> None:
    """Copies of one paper (same authors, venue, year, most of the title) with other DOIs:
    the pairs blocking finds are identifier clashes, skipped; two true duplicates (one DOI)
    and a preprint of one of them (arXiv id only) are still grouped."""
    batch = [
        Entry(
            f"k{i}-{c}",
            "inproceedings",
            {
                "title": f"robust graph learning of models number{i} variant{c}",
                "author": "Ada Lovelace and Alan Turing",
                "booktitle": "Proc. X",
                "year": "2022",
                "doi": f"10.1/{i}.{c}",
            },
        )
        for i in range(20)
        for c in range(6)
    ]
    batch.append(batch[0]._replace(key="dup"))
    batch.append(Entry("pre", "misc", {**batch[0].fields, "doi": "", "eprint": "2101.00001"}))
    records = _records(batch)
    every, kept = candidate_pairs(records), candidate_pairs(records, skip_clashes=True)
    assert len(kept) < len(every)
    _check_skipping(records)
    assert any({"k0-0", "dup"} <= set(g.keys) for g in find_duplicates(batch))


def test_corpus_skipped_pairs_are_vetoed_and_change_no_group() -> None:
    for path in [p for p in corpus_files("real", "bench") if p.stat().st_size < 4_000_000]:
        records = _records(list(bibstore.load(path).entries.values()))
        _check_skipping(records)
        _check_clashes(records, block_pairs(records))


# ------------------------------------------------------------------------ the plain definitions


def _agreement_by_definition(a: list[Person], b: list[Person]) -> tuple[int, int]:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    matched = sum(
        1
        for p in short
        if any(
            p.surnames & q.surnames and (not p.initial or not q.initial or p.initial == q.initial)
            for q in long
        )
    )
    return matched, len(short)


people = st.lists(
    st.builds(
        Person,
        st.frozensets(st.sampled_from(["smith", "jones", "van dyke", "dyke", "li"]), max_size=2),
        st.sampled_from(["", "a", "b", "j"]),
    ),
    max_size=5,
)


@settings(max_examples=500, deadline=None)
@given(people, people)
def test_author_agreement_is_its_definition(a: list[Person], b: list[Person]) -> None:
    assert judge.author_agreement(a, b) == _agreement_by_definition(a, b)


def _numbers_by_definition(title: str) -> tuple[str, ...]:
    words = title.split()
    found = []
    for k, w in enumerate(words):
        prev = words[k - 1] if k else ""
        if w.isdecimal():
            found.append(str(int(w)))
        elif w in judge._ROMAN:
            found.append(w)
        elif prev in judge._PART_WORDS and w in judge._NUMBER_WORDS:
            found.append(judge._NUMBER_WORDS[w])
        elif any(c.isdigit() for c in w):
            found += [str(int(d)) for d in FIRST_NUMBER.findall(w)]
    return tuple(sorted(found))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["part", "ii", "two", "x2", "3d", "²", "١٢", "v1.5", "b", "007", "i"])
        | st.text(max_size=4),
        max_size=6,
    ).map(" ".join)
)
def test_title_numbers_are_their_definition(title: str) -> None:
    assert judge._numbers(title) == _numbers_by_definition(title)


def test_a_digit_that_is_not_a_decimal_is_no_number() -> None:
    # "²" is a digit to str.isdigit but not a number int() reads: it used to raise
    assert judge._numbers("E = mc ² in 3 parts") == ("3",)
    assert judge._numbers("part ١٢") == ("12",)


def test_corpus_people_are_those_of_each_name() -> None:
    for path in [p for p in corpus_files("real", "bench") if p.stat().st_size < 4_000_000]:
        for entry in bibstore.load(path).entries.values():
            names = tuple(parse_names(entry.get("author")))
            fresh = tuple(p for p in map(_person.__wrapped__, names) if p is not None)
            assert _people(names) == fresh, entry.key
