"""The sync planner on small hand-made cases: matching, the three-way merge, upgrades,
additions and the things sync must never do."""

from __future__ import annotations

from pubman.sources.remote import RemotePaper
from pubman.store import bibliography as bibstore
from pubman.store.syncstate import SyncState
from pubman.sync.fields import RemoteWork, title_value
from pubman.sync.plan import Options, apply, placement, plan
from pubman.text.names import OwnerMatcher

BIB = """@inproceedings{smith2020deep,
  author = {Smith, Jane and Owner, Olga},
  title = {Deep Things},
  booktitle = {International Conference on Machine Learning},
  year = {2020},
  eprint = {2001.00001},
  archiveprefix = {arXiv},
}

@misc{owner2019shallow,
  author = {Owner, O. and Lee, K.},
  title = {Shallow Things},
  year = {2019},
  eprint = {1901.00002},
  archiveprefix = {arXiv},
  url = {https://arxiv.org/abs/1901.00002},
}
"""
OWNER = Options(owner=OwnerMatcher(["Olga Owner"]))


def s2(
    title: str,
    authors: tuple[str, ...],
    year: int,
    *,
    arxiv: str | None = None,
    doi: str | None = None,
    venue: str = "",
    kind: str = "",
    pages: str = "",
    sid: str = "a" * 40,
    cites: int | None = None,
) -> RemotePaper:
    return RemotePaper(
        "semanticscholar",
        title,
        authors,
        year,
        venue,
        kind or ("preprint" if not venue else "conference"),
        doi,
        arxiv,
        sid,
        pages=pages,
        citation_count=cites,
    )


def run(
    text: str, works: list[RemoteWork], state: SyncState | None = None, opts: Options = OWNER
) -> tuple:
    bib = bibstore.parse(text)
    p = plan(bib.entries, works, state or SyncState(), opts)
    new_state = apply(p, bib)
    return p, bib, new_state


def test_fill_missing_identifier_and_pages_by_arxiv_id():
    work = RemoteWork(
        s2(
            "Deep Things",
            ("Jane Smith", "Olga Owner"),
            2020,
            arxiv="2001.00001",
            doi="10.1234/X",
            venue="International Conference on Machine Learning",
            pages="1-9",
            cites=12,
        )
    )
    p, bib, state = run(BIB, [work])
    assert p.updated == [("smith2020deep", ["doi", "pages"])]
    e = bib.entries["smith2020deep"]
    assert (e.get("doi"), e.get("pages")) == ("10.1234/X", "1--9")
    assert state.synced("smith2020deep", "doi") == "10.1234/X"
    assert p.citations == {"smith2020deep": 12}
    assert "a" * 40 in "".join(state.ids["smith2020deep"])


def test_hand_written_value_is_never_overwritten():
    work = RemoteWork(
        s2("Deep Things Revisited", ("Jane Smith", "Olga Owner"), 2020, arxiv="2001.00001")
    )
    p, bib, _ = run(BIB, [work])
    assert bib.entries["smith2020deep"].get("title") == "Deep Things"
    assert [(c.field, c.reason) for c in p.conflicts] == [("title", "hand-written")]
    assert not p.edited_conflicts and not p.pending


def test_three_way_merge_updates_untouched_values_and_keeps_edited_ones():
    text = BIB.replace(
        "year = {2020},", "year = {2020},\n  pages = {1--9},\n  doi = {10.1234/mine},"
    )
    state = SyncState(fields={"smith2020deep": {"pages": "1--9", "doi": "10.1234/old"}})
    work = RemoteWork(
        s2(
            "Deep Things",
            ("Jane Smith", "Olga Owner"),
            2020,
            arxiv="2001.00001",
            doi="10.1234/new",
            venue="ICML",
            pages="1-10",
        )
    )
    p, bib, new_state = run(text, [work], state)
    e = bib.entries["smith2020deep"]
    assert e.get("pages") == "1--10"  # sync wrote 1--9, the owner left it: follow the source
    assert e.get("doi") == "10.1234/mine"  # the owner changed what sync wrote: keep, report
    assert [(c.field, c.reason, c.yours, c.theirs) for c in p.edited_conflicts] == [
        ("doi", "edited", "10.1234/mine", "10.1234/new")
    ]
    assert new_state.synced("smith2020deep", "pages") == "1--10"
    assert new_state.synced("smith2020deep", "doi") == "10.1234/old"


def test_a_value_the_owner_removed_stays_removed():
    state = SyncState(fields={"smith2020deep": {"doi": "10.1234/X"}})
    work = RemoteWork(
        s2("Deep Things", ("Jane Smith", "Olga Owner"), 2020, arxiv="2001.00001", doi="10.1234/X")
    )
    p, bib, _ = run(BIB, [work], state)
    assert "doi" not in bib.entries["smith2020deep"].fields
    assert [(c.field, c.reason) for c in p.conflicts] == [("doi", "removed")]


def test_preprint_is_upgraded_and_keeps_its_eprint():
    work = RemoteWork(
        s2(
            "Shallow Things",
            ("Olga Owner", "Kim Lee"),
            2021,
            arxiv="1901.00002",
            venue="Neural Information Processing Systems",
            pages="5-6",
        )
    )
    p, bib, _ = run(BIB, [work])
    e = bib.entries["owner2019shallow"]
    assert e.type == "inproceedings" and p.upgraded == ["owner2019shallow"]
    assert e.get(
        "booktitle"
    ) == "Neural Information Processing Systems" or "Neural Information" in e.get("booktitle")
    assert (e.get("year"), e.get("eprint"), e.get("pages")) == ("2021", "1901.00002", "5--6")
    # initials-only names the owner wrote stay as written: spelling them out is a suggestion
    assert e.get("author") == "Owner, O. and Lee, K."
    assert [(c.field, c.theirs, c.apply_with) for c in p.suggestions] == [
        ("author", "Owner, Olga and Lee, Kim", "--expand-names")
    ]
    # ... that --expand-names (Options.expand_names) applies
    p, bib, _ = run(BIB, [work], opts=Options(owner=OWNER.owner, expand_names=True))
    assert bib.entries["owner2019shallow"].get("author") == "Owner, Olga and Lee, Kim"
    assert not p.suggestions


def test_hand_edits_are_kept_field_by_field():
    """Re-casing a value sync wrote is an edit, kept; prefer_source lets the source win."""
    state = SyncState()
    state.record("smith2020deep", "title", "Deep things")  # sync wrote it; the owner re-cased
    changed = RemoteWork(s2("Deep Thinks", ("Jane Smith", "Olga Owner"), 2020, arxiv="2001.00001"))
    p, bib, _ = run(BIB, [changed], state)
    assert bib.entries["smith2020deep"].get("title") == "Deep Things"
    assert [(c.field, c.reason) for c in p.conflicts] == [("title", "edited")]
    p, bib, _ = run(BIB, [changed], state, Options(owner=OWNER.owner, prefer_source=True))
    assert bib.entries["smith2020deep"].get("title") == "Deep Thinks"
    assert not p.conflicts


def test_fuzzy_title_match_needs_authors_and_year():
    text = BIB.replace("  eprint = {2001.00001},\n  archiveprefix = {arXiv},\n", "")
    same = RemoteWork(s2("Deep things.", ("J. Smith", "O. Owner"), 2021, sid="b" * 40))
    p, _, _ = run(text, [same])
    assert "smith2020deep" in p.matched and not p.added
    stranger = RemoteWork(
        s2("Deep Things", ("Ann Other", "Olga Owner", "Bob Third"), 2020, sid="c" * 40)
    )
    p, _, _ = run(text, [stranger])
    assert "smith2020deep" not in p.matched
    assert [a.key for a in p.added] == ["other2020deep"]
    old = RemoteWork(s2("Deep Things", ("Jane Smith", "Olga Owner"), 2012, sid="d" * 40))
    p, _, _ = run(text, [old])
    assert "smith2020deep" not in p.matched


def test_second_record_of_a_matched_paper_is_not_added():
    published = RemoteWork(
        s2(
            "Deep Things",
            ("Jane Smith", "Olga Owner"),
            2020,
            arxiv="2001.00001",
            venue="ICML",
            sid="e" * 40,
        )
    )
    preprint = RemoteWork(
        s2(
            "Deep Things (preprint)",
            ("Jane Smith", "Olga Owner"),
            2019,
            arxiv="2001.00001",
            sid="f" * 40,
        )
    )
    p, _, _ = run(BIB, [preprint, published])
    assert not p.added
    assert any(d.verdict == "same paper" for d in p.decisions)


def test_new_papers_need_the_owner_among_the_authors():
    mine = RemoteWork(s2("New Results", ("Olga Owner",), 2021, arxiv="2101.00003", sid="1" * 40))
    other = RemoteWork(
        s2("Other Results", ("Oscar Owner",), 2021, arxiv="2101.00004", sid="2" * 40)
    )
    p, bib, _ = run(BIB, [mine, other])
    assert [a.key for a in p.added] == ["owner2021new"]
    assert list(bib.entries)[-1] == "owner2021new"  # two entries show no order: appended
    assert any(d.verdict == "skip" and "not among" in d.detail for d in p.decisions)


def test_add_missing_false_only_reports():
    mine = RemoteWork(s2("New Results", ("Olga Owner",), 2021, arxiv="2101.00003", sid="1" * 40))
    p, _, _ = run(BIB, [mine], opts=Options(add_missing=False, owner=OWNER.owner))
    assert not p.added and any("add_missing" in d.detail for d in p.decisions)


def test_deleted_entry_is_dismissed_and_renamed_entry_keeps_its_state():
    state = SyncState(
        fields={"gone": {"doi": "10.1234/g"}, "oldkey": {"pages": "1--9"}},
        ids={"gone": ["arxiv:2101.00003"], "oldkey": ["arxiv:2001.00001"]},
    )
    mine = RemoteWork(s2("New Results", ("Olga Owner",), 2021, arxiv="2101.00003", sid="1" * 40))
    p, _, new_state = run(BIB, [mine], state)
    assert not p.added
    assert "arxiv:2101.00003" in new_state.dismissed
    assert new_state.synced("smith2020deep", "pages") == "1--9"


def test_a_lookup_that_matches_no_entry_is_never_added():
    """S2's /paper/search/match returns its closest title even when it is another paper, and a
    batch lookup may answer with a merged record: such a work was asked for an entry, so it is
    not a missing paper, with or without an owner."""
    text = (
        BIB + "\n@article{lone,\n  author = {Smith, Jane},\n  title = {Deep Things in the Wild "
        "Revisited Once More},\n  journal = {J},\n  year = {2020},\n}\n"
    )
    loose = RemoteWork(
        s2("Deep Things", ("Zed Zulu", "Olga Owner"), 2014, sid="9" * 40), origin="lookup"
    )
    for opts in (Options(), OWNER):
        p, _, _ = run(text, [loose], opts=opts)
        assert not p.added
        assert any(d.verdict == "skip" and "looked up" in d.detail for d in p.decisions)


def test_arxiv_search_hits_need_a_known_coauthor():
    known = RemoteWork(
        None,
        RemotePaper(
            "arxiv", "With Jane", ("Olga Owner", "Jane Smith"), 2022, arxiv_id="2201.00005"
        ),
        origin="arxiv-search",
    )
    unknown = RemoteWork(
        None,
        RemotePaper(
            "arxiv", "With Strangers", ("Olga Owner", "Zed Zulu"), 2022, arxiv_id="2201.00006"
        ),
        origin="arxiv-search",
    )
    p, _, _ = run(BIB, [known, unknown])
    assert [a.work.arxiv_id for a in p.added] == ["2201.00005"]


def test_placement_follows_the_file_order():
    newest = bibstore.parse(
        "@misc{a, year={2022}}\n@misc{b, year={2020}}\n@misc{c, year={2018}}\n"
    ).entries.values()
    assert placement(list(newest), 2021) == "b"
    assert placement(list(newest), 2030) == "a"
    assert placement(list(newest), 2000) is None
    oldest = bibstore.parse(
        "@misc{a, year={2018}}\n@misc{b, year={2020}}\n@misc{c, year={2022}}\n"
    ).entries.values()
    assert placement(list(oldest), 2021) == "c"
    mixed = bibstore.parse(
        "@misc{a, year={2018}}\n@misc{b, year={2022}}\n"
        "@misc{c, year={2019}}\n@misc{d, year={2021}}\n"
    ).entries.values()
    assert placement(list(mixed), 2020) is None


def test_titles_are_escaped_and_protected():
    assert title_value("LoRA & GPT-4: 50% of x_1 {}") == r"{LoRA} \& {GPT-4}: 50\% of x\_1"
    assert title_value("Plain title") == "Plain title"


def test_nothing_to_do_is_not_pending():
    p, bib, _ = run(BIB, [])
    assert not p.pending and bib.text() == BIB


def test_missing_venue_of_a_published_entry_is_filled_only_in_its_own_field():
    text = BIB.replace("  booktitle = {International Conference on Machine Learning},\n", "")
    conf = RemoteWork(
        s2(
            "Deep Things",
            ("Jane Smith", "Olga Owner"),
            2020,
            arxiv="2001.00001",
            venue="International Conference on Machine Learning",
        )
    )
    p, bib, _ = run(text, [conf])
    assert (
        bib.entries["smith2020deep"].get("booktitle")
        == "International Conference on Machine Learning"
    )
    journal = RemoteWork(
        s2(
            "Deep Things",
            ("Jane Smith", "Olga Owner"),
            2020,
            arxiv="2001.00001",
            venue="Journal of Deep Things",
            kind="journal",
        )
    )
    p, bib, _ = run(text, [journal])
    assert "journal" not in bib.entries["smith2020deep"].fields and not p.pending
