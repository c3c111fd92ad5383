"""Dedup reads venue and kind from the venue resolver: a paper and a thesis, report, chapter or
talk of the same title are two works; an unresolved venue string never keeps a pair apart; a
strict-subset author list is reported and never merged by ``dedup --apply --yes``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus import corpus_file

from pubman.dedup.groups import find_duplicates, judge_entries
from pubman.model import Entry
from pubman.store import bibliography as bibstore

TITLE = "Control of Underactuated Mechanical Systems by Dynamic Manipulation"
PAPER = Entry(
    "paper",
    "inproceedings",
    {
        "title": TITLE,
        "author": "Srinivasa, S. S. and Erdmann, M. and Mason, M. T.",
        "booktitle": "IEEE International Conference on Robotics and Automation",
        "year": "2005",
    },
)


def _other(key: str, type_: str, **fields: str) -> Entry:
    return Entry(key, type_, {"title": TITLE, "year": "2005", **fields})


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        (_other("phd", "phdthesis", author="Srinivasa, S. S.", school="CMU"), "a thesis"),
        (_other("ms", "mastersthesis", author="Srinivasa, S. S.", school="CMU"), "a thesis"),
        (
            _other("tr", "techreport", author=PAPER.fields["author"], institution="CMU RI"),
            "a technical report",
        ),
        (
            _other("talk", "misc", author=PAPER.fields["author"], howpublished="Invited talk"),
            "a talk",
        ),
        (
            _other(
                "ch",
                "incollection",
                author=PAPER.fields["author"],
                booktitle="Handbook of Robotics",
                chapter="12",
            ),
            "a book chapter",
        ),
    ],
)
def test_a_paper_and_a_non_paper_of_one_title_are_two_works(other: Entry, reason: str) -> None:
    pair = judge_entries(PAPER, other)
    assert pair.veto == f"a paper and {reason} of the same title are different works"
    assert not find_duplicates([PAPER, other])


def test_a_shared_identifier_still_joins_a_thesis_and_its_paper() -> None:
    doi = "10.1109/robot.2005.1570001"
    paper = Entry(PAPER.key, PAPER.type, {**PAPER.fields, "doi": doi})
    thesis = _other("phd", "phdthesis", author="Srinivasa, S. S.", school="CMU", doi=doi)
    assert [g.keys for g in find_duplicates([paper, thesis])] == [("paper", "phd")]


def test_an_article_carrying_a_booktitle_pairs_with_the_conference_paper() -> None:
    """Google Scholar files conference papers as @article{booktitle = ...}; the resolver says
    conference for both, so no 'different venues' penalty."""
    article = Entry("gs", "article", {**PAPER.fields, "booktitle": "ICRA"})
    assert [g.keys for g in find_duplicates([PAPER, article])] == [("paper", "gs")]


def test_an_unresolved_venue_string_never_keeps_a_pair_apart() -> None:
    a = Entry("a", "inproceedings", {**PAPER.fields, "booktitle": "Proc. of the Frobnitz Meet"})
    b = Entry("b", "article", {**PAPER.fields, "journal": "Quux Letters on Widgets"})
    del a.fields["year"], b.fields["year"]
    pair = judge_entries(a, b)
    assert pair.score >= 0.8, pair.reasons
    assert not any("different venues" in r for r in pair.reasons)


def test_two_known_venues_are_two_publications() -> None:
    journal = Entry(
        "j", "article", {**PAPER.fields, "journal": "IEEE Transactions on Robotics", "year": "2006"}
    )
    del journal.fields["booktitle"]
    pair = judge_entries(PAPER, journal)
    assert any("different venues" in r for r in pair.reasons)
    assert not find_duplicates([PAPER, journal])


def test_a_strict_subset_author_list_is_reported_and_held() -> None:
    fewer = Entry("fewer", "inproceedings", {**PAPER.fields, "author": "Srinivasa, S. S."})
    (group,) = find_duplicates([PAPER, fewer])
    assert (
        group.hold
        == "fewer lists 1 of the 3 authors of paper: check the author list before merging"
    )
    assert group.hold in group.reasons
    others = Entry(
        "etal", "inproceedings", {**PAPER.fields, "author": "Srinivasa, S. S. and others"}
    )
    (group,) = find_duplicates([PAPER, others])
    assert group.hold is None  # "and others" says the list is cut short


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pubman", *args],
        check=False,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_apply_yes_skips_a_subset_author_group(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "@inproceedings{full,\n  title = {A Study of Things},\n"
        "  author = {Ruiz, Ana and Wei, Li and Baker, Tom},\n  booktitle = {ICML},\n"
        "  year = {2020},\n}\n\n@inproceedings{short,\n  title = {A Study of Things},\n"
        "  author = {Ruiz, Ana},\n  booktitle = {ICML},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )
    before = bib.read_bytes()
    done = _run("--bib", str(bib), "dedup", "--apply", "--yes", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "skipped full, short: short lists 1 of the 3 authors of full" in done.stdout
    assert bib.read_bytes() == before


def test_apply_yes_on_the_srinivasa_files_keeps_every_thesis(tmp_path: Path) -> None:
    names = ("siddpubs-conf.bib", "siddpubs-journal.bib", "siddpubs-misc.bib")
    text = "\n".join(
        corpus_file(f"real/srinivasa-cv/{n}").read_text(encoding="utf-8") for n in names
    )
    bib = tmp_path / "pubs.bib"
    bib.write_text(text, encoding="utf-8")
    theses = {k for k, e in bibstore.load(bib).entries.items() if e.type.endswith("thesis")}
    assert len(theses) >= 2
    _run("--bib", str(bib), "dedup", "--apply", "--yes", cwd=tmp_path)
    after = bibstore.load(bib).entries
    assert theses <= set(after), f"theses merged away: {sorted(theses - set(after))}"
    for key in ("srinivasa2005control", "srinivasa2002mobip", "javdani2013tactile"):
        assert key in after
