"""Many records sharing one identifier (proceedings front matter with the volume's DOI, a lab
file merged from several people's with one DOI copied along): judged in linear time, with the
groups that judging every pair gives."""

from __future__ import annotations

import pytest

from pubman.dedup import candidates
from pubman.dedup.groups import Group, find_duplicates
from pubman.model import Entry

LAB = "Lovelace, Ada and Babbage, Charles"


def _papers(k: int) -> list[Entry]:
    """``k`` entries with one DOI: papers of one lab (same authors), one of them entered
    twice; and every fifth a volume of a report series by other people."""
    out = []
    for i in range(k):
        other = i % 5 == 4
        fields = {
            "title": (
                f"Hydraulic turbine vibration measurements, volume {i}"
                if other
                else f"Study {i} of engine {i * 7919 % 10007}"
            ),
            "author": f"Person{i}, Someone" if other else LAB,
            "year": "2021",
            "journal": "Journal of Engines",
            "doi": "10.1234/front-matter",
        }
        out.append(Entry(f"p{i}", "article", fields))
    out.append(Entry("p0-again", "article", dict(out[0].fields)))
    return out


def _shape(groups: list[Group]) -> list[tuple[tuple[str, ...], float]]:
    return [(g.keys, g.score) for g in groups]


@pytest.mark.parametrize("k", [candidates.ID_PAIRWISE + 1, 30])
def test_a_shared_doi_gives_the_groups_of_judging_every_pair(
    k: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = _papers(k)
    linear = find_duplicates(entries)
    monkeypatch.setattr(candidates, "ID_PAIRWISE", 0)  # 0: every pair of an identifier's block
    pairwise = find_duplicates(entries)
    assert _shape(linear) == _shape(pairwise)
    lab = tuple(e.key for e in entries if e.fields["author"] == LAB)
    reports = tuple(e.key for e in entries if e.fields["author"] != LAB)  # one DOI, like titles
    assert sorted(g.keys for g in linear) == sorted(x for x in (lab, reports) if len(x) > 1)


def test_a_doi_on_thousands_of_entries_is_not_judged_pair_by_pair() -> None:
    k = 2000
    entries = _papers(k)
    timings: dict[str, float] = {}
    groups = find_duplicates(entries, timings=timings)
    assert timings["candidates"] < 10 * k  # every pair would be k * (k - 1) / 2 = 1,999,000
    lab = tuple(e.key for e in entries if e.fields["author"] == LAB)
    assert lab in [g.keys for g in groups]
    assert "p0 ~ p0-again: same DOI 10.1234/front-matter" in groups[0].reasons


def test_each_work_among_records_sharing_a_doi_is_found() -> None:
    """Two works with one DOI whose records share no title block (every title word is the
    record's own): the second work is found from its own first record, not only from the
    first record of the block, with which it collides."""

    def entry(key: str, words: tuple[str, ...], n: int, author: str) -> Entry:
        title = " ".join(f"{w}{n}" for w in words)
        return Entry(key, "article", {"title": title, "author": author, "doi": "10.1/shared"})

    a_words, b_words = ("alpha", "beta", "gamma", "delta", "epsilon"), ("omega", "sigma", "rho")
    entries = [entry(f"a{n}", a_words, n, LAB) for n in range(12)]
    entries += [entry(f"b{n}", b_words, n, "Curie, Marie and Curie, Pierre") for n in range(12)]
    entries.sort(key=lambda e: e.key[1:].zfill(3))  # a0 b0 a1 b1 ...: the block's first is a0
    found = [g.keys for g in find_duplicates(entries)]
    a_keys = tuple(e.key for e in entries if e.key.startswith("a"))
    b_keys = tuple(e.key for e in entries if e.key.startswith("b"))
    assert sorted(found) == [a_keys, b_keys]
