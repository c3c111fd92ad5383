"""pubman.stats.counts as a user of `pubman stats` meets it: the owner's record counted exactly, each
work once (preprint + published, duplicates), owner authorship, citations, tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _corpus import REPO, SHARED
from hypothesis import given
from hypothesis import strategies as st

from pubman.config import load_settings
from pubman.dedup.record import make_record
from pubman.errors import BibFileError
from pubman.stats import counts as stats
from pubman.store import bibliography as bibstore
from pubman.text.names import OwnerMatcher
from pubman.venues import VenueTable

PUBS = REPO / "pubs.bib"
TABLE = VenueTable.load()


def _owner_stats() -> stats.Stats:
    settings = load_settings(bib=str(PUBS), cwd=REPO)
    bib = bibstore.load(PUBS)
    return stats.compute(
        bib.entries.values(),
        VenueTable.load(settings.venues),
        owner=OwnerMatcher(settings.owner_names),
    )


def _entries(text: str) -> list:
    return list(bibstore.parse(text).entries.values())


# --- the owner's record ---------------------------------------------------------------------
# Derived by hand from ../shared/seed/cv.txt [1]..[20], corrected by owner-publications.json
# (the public record wins: [1] is NeurIPS 2025, not arXiv).
#   2025: [1] NeurIPS, [2] arXiv, [3] ICLR          2024: [4] [5] [6] arXiv
#   2023: [7] ICML SCIS Workshop, [8] CVPR, [9] ICLR
#   2022: [10] ITW (IEEE Information Theory Workshop), [11] CVPR, [12] Front. Artif. Intell.
#   2021: [13] NeurIPS, [14] ICLR                   2020: [15] ICML
#   2019: [16] NeurIPS, [17] Sci. Data, [18] arXiv, [19] ICML        2017: [20] Allerton
# First author (Hrayr Harutyunyan first): [6] [9] [10] [13] [14] [15] [17] [18] = 8.
# Last author: none of the 20.

EXPECTED_BY_YEAR = {
    "2017": 1,
    "2019": 4,
    "2020": 1,
    "2021": 2,
    "2022": 3,
    "2023": 3,
    "2024": 3,
    "2025": 3,
}
EXPECTED_BY_VENUE = {
    "arXiv": 5,
    "ICLR": 3,
    "NeurIPS": 3,
    "CVPR": 2,
    "ICML": 2,
    "Allerton": 1,
    "Front. Artif. Intell.": 1,
    "ICML SCIS Workshop": 1,
    "ITW": 1,
    "Sci. Data": 1,
}
EXPECTED_BY_KIND = {"conference": 11, "journal": 2, "workshop": 2, "preprint": 5}
EXPECTED_BY_VENUE_YEAR = {
    "arXiv": {"2019": 1, "2024": 3, "2025": 1},
    "ICLR": {"2021": 1, "2023": 1, "2025": 1},
    "NeurIPS": {"2019": 1, "2021": 1, "2025": 1},
    "CVPR": {"2022": 1, "2023": 1},
    "ICML": {"2019": 1, "2020": 1},
    "Allerton": {"2017": 1},
    "Front. Artif. Intell.": {"2022": 1},
    "ICML SCIS Workshop": {"2023": 1},
    "ITW": {"2022": 1},
    "Sci. Data": {"2019": 1},
}


def test_owner_record_counted_exactly() -> None:
    result = _owner_stats()
    assert result.total == 20
    assert result.by_year == EXPECTED_BY_YEAR
    assert result.by_venue == EXPECTED_BY_VENUE
    assert list(result.by_venue) == list(EXPECTED_BY_VENUE)  # rows by count, then name
    assert result.by_kind == EXPECTED_BY_KIND
    assert result.by_venue_year == EXPECTED_BY_VENUE_YEAR
    assert (result.first_author, result.last_author) == (8, 0)
    assert result.citations is None


def test_owner_record_agrees_with_public_record_seed() -> None:
    seed = SHARED / "seed" / "owner-publications.json"
    if not seed.is_file():
        pytest.skip("shared seed not present; it is beside the repo in CI only")
    record = json.loads(seed.read_text(encoding="utf-8"))
    want_year: dict[str, int] = {}
    want_venue: dict[str, int] = {}
    for paper in record:
        want_year[str(paper["year"])] = want_year.get(str(paper["year"]), 0) + 1
        want_venue[paper["venue_short"]] = want_venue.get(paper["venue_short"], 0) + 1
    result = _owner_stats()
    assert result.by_year == dict(sorted(want_year.items()))
    assert result.by_venue == want_venue


def test_since_until_select_years_inclusive() -> None:
    settings = load_settings(bib=str(PUBS), cwd=REPO)
    works = stats.collect_works(
        bibstore.load(PUBS).entries.values(), TABLE, OwnerMatcher(settings.owner_names)
    )
    result = stats.count(works, since=2021, until=2023)
    assert result.by_year == {"2021": 2, "2022": 3, "2023": 3}
    assert result.total == 8
    assert result.by_venue["ICLR"] == 2 and "arXiv" not in result.by_venue
    assert result.first_author == 4  # [9] [10] [13] [14]


# --- each work once ---------------------------------------------------------------------------

PREPRINT_AND_PUBLISHED = """
@misc{pre2019, author = {Doe, Jane and Roe, Rick}, title = {Learning Things Quickly},
  year = {2019}, eprint = {1905.00001}, archiveprefix = {arXiv}}
@inproceedings{pub2020, author = {Doe, Jane and Roe, Rick}, title = {Learning things quickly},
  booktitle = {Proceedings of the 37th International Conference on Machine Learning},
  year = {2020}, eprint = {1905.00001}, archiveprefix = {arXiv}}
"""


def test_preprint_and_published_entries_count_once_as_published() -> None:
    works = stats.collect_works(_entries(PREPRINT_AND_PUBLISHED), TABLE)
    assert len(works) == 1
    assert (works[0].venue, works[0].kind, works[0].year) == ("ICML", "conference", 2020)
    assert works[0].keys == ("pub2020", "pre2019")


def test_entry_with_venue_and_eprint_is_published() -> None:
    text = """@inproceedings{x, author = {Doe, Jane}, title = {One Paper Here},
      booktitle = {International Conference on Learning Representations}, year = {2025},
      eprint = {2410.20672}, archiveprefix = {arXiv}}"""
    result = stats.compute(_entries(text), TABLE)
    assert result.by_venue == {"ICLR": 1}
    assert result.by_kind == {"conference": 1}


def test_same_title_preprint_without_ids_merges_into_published() -> None:
    text = """
    @article{j, author = {Doe, Jane}, title = {On {Graphs} and Trees}, journal = {Nature},
      year = {2021}}
    @misc{a, author = {Doe, Jane}, title = {On graphs and trees},
      howpublished = {arXiv preprint arXiv:2001.00002}, year = {2020}}
    """
    result = stats.compute(_entries(text), TABLE)
    assert result.total == 1
    assert result.by_year == {"2021": 1}
    assert result.by_kind == {"journal": 1}


def test_same_doi_counts_once() -> None:
    text = """
    @article{a, title = {First Title}, journal = {Scientific Data}, year = 2019,
      doi = {10.1038/s41597-019-0103-9}}
    @article{b, title = {Totally different words}, journal = {Sci. Data}, year = 2019,
      doi = {https://doi.org/10.1038/S41597-019-0103-9}}
    """
    assert stats.compute(_entries(text), TABLE).total == 1


def test_conference_and_journal_version_with_one_title_are_two_works() -> None:
    text = """
    @inproceedings{c, title = {Fast Structure Learning}, year = 2019,
      booktitle = {Advances in Neural Information Processing Systems}}
    @article{j, title = {Fast structure learning}, year = 2021,
      journal = {Journal of Machine Learning Research}}
    """
    result = stats.compute(_entries(text), TABLE)
    assert result.total == 2
    assert result.by_venue == {"JMLR": 1, "NeurIPS": 1}


def test_same_title_same_venue_and_year_is_one_work() -> None:
    text = """
    @inproceedings{a, title = {Deep Residual Learning}, year = 2016,
      booktitle = {CVPR}}
    @inproceedings{b, title = {Deep residual learning}, year = 2016,
      booktitle = {Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition}}
    """
    assert stats.compute(_entries(text), TABLE).by_venue == {"CVPR": 1}


def test_same_title_same_year_venue_spelled_two_ways_is_one_work() -> None:
    text = """
    @article{a, title = {A Mathematical Theory of Communication}, year = 1948,
      journal = {Bell System Technical Journal}}
    @article{b, title = {A mathematical theory of communication}, year = 1948,
      journal = {The {Bell} system technical journal}}
    """
    assert stats.compute(_entries(text), TABLE).by_venue == {"Bell System Technical Journal": 1}


def test_crossref_parent_lends_venue_and_is_not_counted() -> None:
    text = """
    @inproceedings{child, author = {Doe, Jane}, title = {A Planning Paper}, crossref = {ijcai85}}
    @proceedings{ijcai85, title = {Proceedings of the Ninth International Joint Conference
      on Artificial Intelligence}, year = 1985}
    """
    result = stats.compute(_entries(text), TABLE)
    assert result.total == 1
    assert result.by_venue_year == {"IJCAI": {"1985": 1}}


def test_theses_reports_and_missing_venues_are_labelled() -> None:
    text = """
    @phdthesis{p, title = {Thesis One}, school = {University of Southern California}, year = 2023}
    @mastersthesis{m, title = {Thesis Two}, school = {Yerevan State University}, year = 2018}
    @techreport{t, title = {Report}, institution = {CMU}, number = {CMU-CS-16-118}, year = 2016}
    @misc{n, title = {Slides}}
    """
    result = stats.compute(_entries(text), TABLE)
    assert result.by_venue == {
        "(no venue)": 1,
        "Master's thesis": 1,
        "PhD thesis": 1,
        "Technical report": 1,
    }
    assert result.by_year["n.d."] == 1 and list(result.by_year)[-1] == "n.d."
    assert result.by_kind == {"thesis": 2, "report": 1, "other": 1}


def test_unknown_venue_spellings_merge_under_the_most_common() -> None:
    text = "".join(
        f"@inproceedings{{k{i}, title = {{Paper number {i}}}, year = 2010, booktitle = {{{b}}}}}\n"
        for i, b in enumerate(
            [
                "Symposium on Interactive 3D Graphics",
                "Proceedings of the 2011 symposium on interactive 3D graphics",
                "Symposium on Interactive 3D Graphics",
            ]
        )
    )
    assert stats.compute(_entries(text), TABLE).by_venue == {
        "Symposium on Interactive 3D Graphics": 3
    }


def test_owner_first_and_last_author() -> None:
    text = """
    @misc{a, title = {Solo work}, author = {Doe, Jane}, year = 2020}
    @misc{b, title = {Led by me}, author = {Doe, J. and Roe, Rick}, year = 2020}
    @misc{c, title = {Supervised by me}, author = {Roe, Rick and Jane Doe}, year = 2021}
    @misc{d, title = {Truncated list}, author = {Roe, Rick and Doe, Jane and others}, year = 2021}
    """
    owner = OwnerMatcher(["Jane Doe"])
    result = stats.compute(_entries(text), TABLE, owner=owner)
    assert (result.first_author, result.last_author) == (2, 1)
    assert stats.compute(_entries(text), TABLE).first_author is None


# --- citations ------------------------------------------------------------------------------


def test_citation_cache_absent_means_no_citation_columns(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text("", encoding="utf-8")
    assert stats.load_citation_counts(bib) is None
    result = stats.compute(_entries(PREPRINT_AND_PUBLISHED), TABLE, citations=None)
    assert "citations" not in stats.to_json(result)
    assert all("citations" not in stats.grid(result, by).header for by in stats.BY_CHOICES)


def test_citation_cache_read_from_hidden_file_beside_the_bib(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    cache = tmp_path / ".pubs.bib.citations.json"
    assert stats.citations_path(bib) == cache
    cache.write_text(json.dumps({"updated": "2025-10-01", "counts": {"a": 3, "b": 0}}))
    assert stats.load_citation_counts(bib) == {"a": 3, "b": 0}
    cache.write_text("{not json")
    with pytest.raises(BibFileError, match="citation cache"):
        stats.load_citation_counts(bib)


def test_citations_total_per_year_and_h_index() -> None:
    text = """
    @misc{a, title = {Paper A here}, year = 2020, journal = {Nature}}
    @article{b, title = {Paper B here}, year = 2020, journal = {Science}}
    @article{c, title = {Paper C here}, year = 2021, journal = {Science}}
    @article{d, title = {Paper D here}, year = 2022, journal = {Science}}
    """
    counts = {"a": 10, "b": 4, "c": 2}  # d has no cached count: absent, not zero
    result = stats.compute(_entries(text), TABLE, citations=counts)
    c = result.citations
    assert c is not None
    assert (c.total, c.h_index, c.works) == (16, 2, 3)
    assert c.by_year == {"2020": 14, "2021": 2}
    year_rows = {row[0]: row[-1] for row in stats.grid(result, "year").rows}
    assert year_rows == {"2020": 14, "2021": 2, "2022": None}
    assert stats.to_json(result)["citations"]["h_index"] == 2


def test_merged_work_takes_its_versions_largest_count_once() -> None:
    works = stats.collect_works(
        _entries(PREPRINT_AND_PUBLISHED), TABLE, citations={"pre2019": 40, "pub2020": 35}
    )
    assert [w.citations for w in works] == [40]


@given(st.lists(st.integers(min_value=0, max_value=500), max_size=60))
def test_h_index_definition(counts: list[int]) -> None:
    h = stats.h_index(counts)
    assert sum(1 for n in counts if n >= h) >= h
    assert sum(1 for n in counts if n >= h + 1) < h + 1


# --- tables ---------------------------------------------------------------------------------


def test_venue_year_grid_rows_and_totals_one_column_per_year() -> None:
    result = _owner_stats()
    g = stats.grid(result)
    assert g.header == (
        "venue",
        "kind",
        "2017",
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "total",
    )
    assert g.rows[0] == ("arXiv", "preprint", 0, 1, 0, 0, 0, 0, 3, 1, 5)
    assert g.footer == (("total", "", 1, 4, 1, 2, 3, 3, 3, 3, 20),)


def test_top_venues_sum_the_rest_into_one_row() -> None:
    g = stats.grid(_owner_stats(), "venue", top=3)
    assert [r[0] for r in g.rows] == ["arXiv", "ICLR", "NeurIPS", "7 other venues"]
    assert g.rows[-1][2] == 9 and g.footer[0][2] == 20


def test_year_grid_splits_kinds() -> None:
    g = stats.grid(_owner_stats(), "year")
    assert g.header == ("year", "conference", "journal", "workshop", "preprint", "total")
    assert ("2019", 2, 1, 0, 1, 4) in g.rows


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="venue,year"):
        stats.grid(_owner_stats(), "author")


def test_a_crossref_child_reads_the_same_in_stats_and_dedup() -> None:
    """One crossref rule (pubman.work.with_crossref): a parent's booktitle, else its title, is the
    child's venue; its year is the child's; its title and DOI (a volume's) are not the child's."""
    text = """
    @inproceedings{a, author = {Doe, Jane}, title = {A Planning Paper}, crossref = {p}}
    @inproceedings{b, author = {Roe, Rich}, title = {Another Paper}, crossref = {p}}
    @proceedings{p, title = {Proceedings of AAAI}, booktitle = {IJCAI}, year = 1985,
      doi = {10.5555/volume}}
    """
    entries = _entries(text)
    works = stats.collect_works(entries, TABLE)
    assert [(w.key, w.venue, w.year) for w in works] == [("a", "IJCAI", 1985), ("b", "IJCAI", 1985)]
    by_key = {e.key: e for e in entries}
    record = make_record(0, by_key["a"], by_key["p"])
    assert (record.work.venue.short, record.year, record.title) == (
        "IJCAI",
        1985,
        "a planning paper",
    )
