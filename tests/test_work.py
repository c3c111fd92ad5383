"""One reading of every entry: an arXiv paper known only through one of its forms is treated
the same by format, stats, dedup and sync, and every corpus entry reads the same everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _corpus import CORPUS, corpus_files
from clirun import run_cli

from pubman.dedup.record import make_record
from pubman.formatting import FormatOptions, format_publications
from pubman.model import Entry
from pubman.stats.counts import collect_works
from pubman.store.bibliography import load
from pubman.sync.fields import entry_ids
from pubman.venues import VenueTable
from pubman.work import work_of

# The same arXiv paper, each time known through a single form.
FORMS = {
    "arxiv-doi": "  doi = {10.48550/arXiv.2101.00001},\n",
    "arxivid": "  arxivid = {2101.00001},\n",
    "dblp-corr": "  journal = {CoRR},\n  volume = {abs/2101.00001},\n",
}
TWIN = """
@misc{twin,
  title = {Things, Studied at Length},
  author = {Smith, J. and Owner, O.},
  year = {2021},
  eprint = {2101.00001},
  archiveprefix = {arXiv},
}
"""


def bib_with(tmp_path: Path, form: str, twin: bool = False) -> Path:
    kind = "article" if "journal" in FORMS[form] else "misc"
    text = (
        f"@{kind}{{only,\n  title = {{A Study of Things}},\n"
        f"  author = {{Smith, Jane and Owner, Olga}},\n  year = {{2021}},\n{FORMS[form]}}}\n"
    )
    path = tmp_path / "pubs.bib"
    path.write_text(text + (TWIN if twin else ""), encoding="utf-8")
    return path


def pubman(bib: Path, *args: str) -> tuple[int, str]:
    result = run_cli(["--bib", str(bib), *args])
    assert "error: " not in result.stderr, result.stderr  # a PubmanError or a bug
    return result.code, result.stdout


@pytest.mark.parametrize("form", sorted(FORMS))
def test_format_prints_the_arxiv_id(tmp_path: Path, form: str) -> None:
    code, out = pubman(bib_with(tmp_path, form), "format", "--style", "cv")
    assert code == 0 and "arXiv:2101.00001" in out


@pytest.mark.parametrize("form", sorted(FORMS))
def test_stats_counts_it_under_arxiv_as_a_preprint(tmp_path: Path, form: str) -> None:
    code, out = pubman(bib_with(tmp_path, form), "stats", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["by_venue"] == {"arXiv": 1} and doc["by_kind"] == {"preprint": 1}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_dedup_pairs_it_with_its_eprint_twin(tmp_path: Path, form: str) -> None:
    code, out = pubman(bib_with(tmp_path, form, twin=True), "dedup", "--json")
    [group] = json.loads(out)["groups"]
    assert code == 1 and group["keys"] == ["only", "twin"]
    assert "same arXiv id 2101.00001" in group["reasons"]


def test_a_different_arxiv_id_is_not_a_twin(tmp_path: Path) -> None:
    path = bib_with(tmp_path, "arxivid", twin=True)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("eprint = {2101.00001}", "eprint = {2101.00002}"))
    code, out = pubman(path, "dedup", "--json")
    assert (code, json.loads(out)) == (0, {"groups": []})


def test_the_view_is_derived_once_per_entry_and_table() -> None:
    entry = Entry("k", "misc", {"title": "T", "arxivid": "2101.00001", "year": "2021"})
    table = VenueTable.load()
    assert work_of(entry, table) is work_of(entry, table)
    twin = Entry("k", "misc", dict(entry.fields))
    assert work_of(twin, table) is not work_of(entry, table)
    assert work_of(twin, table).arxiv == work_of(entry, table).arxiv == "2101.00001"


# --- every corpus entry: the four features read the same ids, venue, kind and year ----------


def _corpus() -> list[Path]:
    files = corpus_files("real")
    if not files:
        pytest.skip(f"shared corpus not present ({CORPUS}); it is beside the repo in CI only")
    return files


@pytest.mark.parametrize("path", _corpus() if CORPUS.is_dir() else [], ids=lambda p: p.name)
def test_features_agree_on_every_corpus_entry(path: Path) -> None:
    table = VenueTable.load()
    entries = [e for e in load(path).entries.values() if not e.get("crossref").strip()]
    options = FormatOptions(style="web", group_by="none")
    doc = format_publications(entries, options, venues=table)
    records = {i.record.key: i.record for g in doc.groups for i in g.items}
    counted = {w.key: w for w in collect_works(entries, table)}
    for index, entry in enumerate(entries):
        work, record = work_of(entry, table), records[entry.key]
        dedup = make_record(index, entry)
        sync = entry_ids(entry)
        links = dict(record.links)
        # arXiv id: format's link, dedup's id, sync's id
        assert links.get("arXiv", "").endswith(f"/{work.arxiv}") or not work.arxiv, entry.key
        assert dedup.ids.get("arxiv") == (work.arxiv.lower() if work.arxiv else None), entry.key
        assert (f"arxiv:{work.arxiv}" in sync) == bool(work.arxiv), entry.key
        # DOI: dedup's and sync's (format links the field as written)
        if work.doi:
            assert dedup.ids["doi"] == work.doi and f"doi:{work.doi}" in sync, entry.key
        assert not any(i.startswith("doi:10.48550/") for i in sync), entry.key
        # venue kind and year: format's record, stats' work, dedup's record
        assert record.kind == work.kind and dedup.year == work.year, entry.key
        if entry.key in counted:  # stats counts a group of entries under its first member
            assert counted[entry.key].kind == work.kind, entry.key
            assert work.year is None or counted[entry.key].year == work.year, entry.key
        if work.is_arxiv_preprint and work.arxiv:
            assert record.venue == f"arXiv:{work.arxiv}", entry.key
