"""Duplicate detection and merge plans on small, readable entries (no corpus needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pubman.dedup.groups import find_duplicates, find_matches, judge_entries
from pubman.dedup.merge import plan_merge
from pubman.dedup.record import title_key
from pubman.matching import normalize_title
from pubman.model import Entry

AUTHORS = "Roulet, Vincent and Srinivasa, Siddhartha S. and Fazel, Maryam and Harchaoui, Zaid"
TITLE = "Iterative Linear Quadratic Optimization for Nonlinear Control"


def e(key: str, type_: str = "article", **fields: str) -> Entry:
    return Entry(key, type_, fields)


def keys(entries: list[Entry], **kw: object) -> list[tuple[str, ...]]:
    return [g.keys for g in find_duplicates(entries, **kw)]  # type: ignore[arg-type]


def preprint(key: str = "pre", **fields: str) -> Entry:
    base = {
        "title": TITLE,
        "author": AUTHORS,
        "year": "2022",
        "eprint": "2207.06362v2",
        "archiveprefix": "arXiv",
    }
    return e(key, "misc", **{**base, **fields})


def published(key: str = "pub", **fields: str) -> Entry:
    base = {
        "title": "Iterative linear quadratic optimization for {N}onlinear {C}ontrol.",
        "author": "V. Roulet and S. S. Srinivasa and M. Fazel and Z. Harchaoui",
        "journal": "Open Journal of Mathematical Optimization",
        "year": "2024",
        "doi": "10.5802/ojmo.33",
    }
    return e(key, "article", **{**base, **fields})


# ------------------------------------------------------------------------------- detection
def test_preprint_and_published_version_are_one_group_with_reasons() -> None:
    [group] = find_duplicates([preprint(), e("other", title="Something else"), published()])
    assert group.keys == ("pre", "pub")
    assert "same title" in group.reasons
    assert "authors agree (4 of 4)" in group.reasons
    assert "misc 2022 before article 2024" in group.reasons
    assert "year" in group.conflicting and "title" in group.agreeing


def test_identifiers_match_across_spellings() -> None:
    a = e("a", title="Alpha", doi="https://doi.org/10.1000/XYZ.1")
    b = e("b", title="A completely different record", doi="doi:10.1000/xyz.1")
    c = e("c", title="Gamma rays", url="https://arxiv.org/abs/2101.00001v3")
    d = e("d", title="Gamma Rays.", journal="arXiv preprint arXiv:2101.00001")
    groups = find_duplicates([a, b, c, d])
    assert [g.keys for g in groups] == [("c", "d"), ("a", "b")]
    assert groups[0].reasons == ("same arXiv id 2101.00001",)
    assert groups[1].score == 0.9 and "check the identifier" in groups[1].reasons[-1]


def test_a_shared_identifier_on_unrelated_records_is_a_collision_not_a_duplicate() -> None:
    a = e(
        "a",
        title="A serious paper about something",
        author="Single Author",
        year="2017",
        pmid="12345678",
    )
    b = e(
        "b",
        title="Holy Moly Uffdada und Trallalla",
        author="Completely Different",
        year="1992",
        pmid="12345678",
    )
    assert keys([a, b]) == []
    [group] = find_duplicates([a, b], threshold=0.5)
    assert "one identifier is probably wrong" in group.reasons[-1]


def test_different_dois_keep_near_equal_titles_apart() -> None:
    a = published("a", doi="10.1/one")
    b = published("b", doi="10.1/two")
    assert keys([a, b]) == []
    assert judge_entries(a, b).veto == "different DOIs 10.1/one and 10.1/two"


@pytest.mark.parametrize(
    "title_a,title_b,why",
    [
        (
            "Reasoning about action I: a possible worlds approach",
            "Reasoning about action II: a possible worlds approach",
            "numbers",
        ),
        ("Deep networks, part 1", "Deep networks, part 2", "numbers"),
        ("The naive physics manifesto", "The second naive physics manifesto", "sequel"),
        (
            "Learning to rank documents quickly",
            "Erratum: Learning to rank documents quickly",
            "erratum",
        ),
        (
            "Learning to rank documents quickly",
            "Reply to: Learning to rank documents quickly",
            "reply",
        ),
        (
            "Robust quickest change detection for unnormalized models",
            "Score-based quickest change detection for unnormalized models",
            "words",
        ),
    ],
)
def test_guards_reject_near_equal_titles_of_different_works(
    title_a: str, title_b: str, why: str
) -> None:
    a = e("a", title=title_a, author="Smith, John", year="2020", journal="J")
    b = e("b", title=title_b, author="Smith, John", year="2020", journal="J")
    assert keys([a, b]) == []
    assert why in (judge_entries(a, b).veto or "")


def test_generic_titles_need_same_venue_year_and_authors() -> None:
    a = e("a", title="Introduction", author="Doe, Jane", journal="AI Magazine", year="2001")
    b = e("b", title="Introduction", author="Doe, Jane", journal="AI Magazine", year="2003")
    c = e("c", title="Preface", author="Doe, Jane", booktitle="Proc. X", year="2001")
    d = e("d", title="Preface", author="Roe, Rick", booktitle="Proc. Y", year="2001")
    assert keys([a, b, c, d]) == []


def test_equal_titles_with_different_authors_are_not_grouped() -> None:
    a = e("a", "book", title="Counterfactuals", author="David K. Lewis", year="1985")
    b = e("b", "inproceedings", title="Counterfactuals", author="Ginsberg, M. L.", year="1985")
    assert keys([a, b]) == []
    assert "different authors" in (judge_entries(a, b).veto or "")


def test_initials_must_not_contradict() -> None:
    a = e("a", title="A study of many things at once", author="Smith, John", year="2020")
    b = e("b", title="A study of many things at once", author="Smith, Mary", year="2020")
    c = e("c", title="A study of many things at once.", author="J. A. Smith", year="2020")
    assert keys([a, b, c]) == [("a", "c")]


def test_year_window_lets_a_preprint_precede_but_not_two_publications() -> None:
    assert keys([preprint(year="2021"), published()]) == [("pre", "pub")]
    assert keys([preprint(year="2020"), published()]) == []  # 4 years: too far
    conf = published("conf", journal="", doi="", year="2014")
    conf = Entry("conf", "inproceedings", {**conf.fields, "booktitle": "RSS"})
    journal = published("jour", doi="", year="2016")
    assert keys([conf, journal]) == []


def test_conference_paper_and_journal_version_score_below_the_default() -> None:
    conf = Entry(
        "conf",
        "inproceedings",
        {"title": TITLE, "author": AUTHORS, "year": "2022", "booktitle": "ICRA"},
    )
    jour = Entry(
        "jour",
        "article",
        {"title": TITLE, "author": AUTHORS, "year": "2022", "journal": "Autonomous Robots"},
    )
    assert keys([conf, jour]) == []
    [group] = find_duplicates([conf, jour], threshold=0.7)
    assert any("different venues" in r for r in group.reasons)


def test_not_duplicate_verdicts_split_groups() -> None:
    entries = [preprint(), published()]
    assert keys(entries, not_duplicates=[("pub", "pre")]) == []


def test_groups_never_contain_a_vetoed_pair() -> None:
    """A preprint matches both the conference and the journal paper, which have different
    DOIs: it joins one of them, never both."""
    conf = published("conf", doi="10.1/conf")
    jour = published("jour", doi="10.1/jour")
    groups = keys([preprint(), conf, jour])
    assert len(groups) == 1 and len(groups[0]) == 2


def test_threshold_tunes_what_counts() -> None:
    a = e(
        "a",
        title="A logical calculus of the ideas immanent in nervous activity",
        author="McCulloch, Warren S and Pitts, Walter",
        year="1943",
    )
    b = e(
        "b",
        title="A logical calculus of the idea immanent in nervous activity",
        author="W. S. McCulloch and W. H. Pitts",
        year="1943",
    )
    assert keys([a, b]) == [("a", "b")]
    assert keys([a, b], threshold=1.0) == []


def test_identical_entries_without_title_are_duplicates() -> None:
    a = e("a", "misc", comment="line1\r\n\r\nline3")
    b = e("b", "misc", comment="line1\n\nline3")
    assert keys([a, b]) == [("a", "b")]


def test_find_matches_reports_entries_of_another_file_already_present() -> None:
    mine = [published("pub"), e("x", title="Unrelated work on something")]
    theirs = [preprint("their-pre"), e("y", title="A new paper nobody has")]
    [match] = find_matches(mine, theirs)
    assert (match.other, match.key) == ("their-pre", "pub")


def test_blocking_compares_far_fewer_pairs_than_all() -> None:
    words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "eta",
        "theta",
        "iota",
        "kappa",
        "lambda",
        "mu",
    ]
    entries = [
        e(
            f"k{i}",
            title=f"{words[i % 12]} {words[(i * 7) % 12]} study number {i} of "
            f"{words[(i * 5) % 12]}",
            author=f"Author{i}, A.",
        )
        for i in range(600)
    ]
    timings: dict[str, float] = {}
    assert find_duplicates(entries, timings=timings) == []
    assert timings["candidates"] < 600 * 599 / 2 / 20
    assert {"normalise", "blocking", "scoring", "grouping"} <= set(timings)


@given(st.text(alphabet=st.characters(codec="ascii") | st.sampled_from("{}\\$~-éü—ﬁ"), max_size=40))
def test_title_key_equals_normalize_title(text: str) -> None:
    assert title_key(text) == normalize_title(text)


# ------------------------------------------------------------------------------- merge plans
def test_merge_keeps_oldest_key_takes_published_type_and_venue_and_both_ids() -> None:
    plan = plan_merge([preprint(), published()])
    assert plan.survivor == "pre" and plan.removed == ("pub",)
    assert (plan.old_type, plan.new_type) == ("misc", "article")
    fields = dict(plan.set_fields)
    assert fields["journal"] == "Open Journal of Mathematical Optimization"
    assert fields["doi"] == "10.5802/ojmo.33" and fields["year"] == "2024"
    assert "eprint" not in fields  # already on the survivor: kept as it is
    assert fields["ids"] == "pub"
    assert "title" not in fields  # same title, different capitalisation: survivor's text stays
    assert any(c.field == "year" and c.kept == "2024" for c in plan.conflicts)


def test_merge_into_published_adds_arxiv_id_and_merges_ids() -> None:
    pre = e(
        "pre",
        "article",
        title=TITLE,
        author=AUTHORS,
        year="2022",
        journal="arXiv preprint arXiv:2207.06362",
        ids="old-key",
    )
    pub = published("pub", ids="pub-v0")
    plan = plan_merge([pre, pub], keep="pub")
    fields = dict(plan.set_fields)
    assert plan.survivor == "pub" and plan.new_type == "article"
    assert fields["eprint"] == "2207.06362" and fields["archiveprefix"] == "arXiv"
    assert fields["ids"] == "pub-v0, old-key, pre"
    assert any(c.field == "journal" and c.dropped[0][0] == "pre" for c in plan.conflicts)


def test_merge_removes_a_preprint_survivors_venue_fields() -> None:
    pre = e(
        "pre",
        "techreport",
        title=TITLE,
        author=AUTHORS,
        year="2012",
        institution="CMU",
        number="TR-12-25",
    )
    conf = e("conf", "inproceedings", title=TITLE, author=AUTHORS, year="2013", booktitle="ICRA")
    plan = plan_merge([pre, conf])
    assert plan.new_type == "inproceedings"
    assert set(plan.remove_fields) == {"institution", "number"}
    assert dict(plan.set_fields)["booktitle"] == "ICRA"


def test_merge_refuses_a_keep_key_outside_the_group() -> None:
    with pytest.raises(ValueError, match="not one of"):
        plan_merge([preprint(), published()], keep="elsewhere")
