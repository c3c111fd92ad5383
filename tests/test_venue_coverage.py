"""The venue table sized for real files: every dblp stream of the shared bench file resolves
(and the derived part of venues.toml is what scripts/venues_from_dblp.py writes), table keys are
aliases, ``journal = {Preprint}`` is a preprint, ``check --venues`` lists what is unknown, and
stats does not split one venue over a misspelt "Proceedings", a date, a place or a remark."""

from __future__ import annotations

import importlib.util
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus import CORPUS, REPO, corpus_file, corpus_files

from pubman.model import Entry
from pubman.stats.counts import collect_works
from pubman.store import bibliography as bibstore
from pubman.venues import VenueTable, classify

TABLE = VenueTable.load()
SEED = 7


def _script() -> object:
    spec = importlib.util.spec_from_file_location(
        "venues_from_dblp", REPO / "scripts" / "venues_from_dblp.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_table_key_matches_a_field_that_says_exactly_it() -> None:
    table = VenueTable.load({"RLC": {"kind": "conference", "name": "Reinforcement Learning Conf"}})
    venue = classify(Entry("k", "inproceedings", {"booktitle": "RLC"}), table)
    assert (venue.short, venue.kind) == ("RLC", "conference")
    assert classify(Entry("k", "article", {"journal": "TMLR"}), TABLE).short == "TMLR"


def test_journal_preprint_counts_as_a_preprint() -> None:
    entry = Entry("p", "article", {"title": "A Thing", "journal": "Preprint", "year": "2024"})
    (work,) = collect_works([entry], TABLE)
    assert work.kind == "preprint"


def test_every_dblp_stream_of_the_bench_file_resolves() -> None:
    path = corpus_file("bench/dblp-venues-2022-2024-large.bib")
    script = _script()
    entries = list(bibstore.load(path).entries.values())
    streams = script.streams(entries)  # type: ignore[attr-defined]
    assert len(streams) >= 18
    unresolved = []
    for stream, members in streams.items():
        for entry in members:
            if (
                entry.type != "proceedings"
                and TABLE.lookup(entry.get("journal") or entry.get("booktitle")) is None
            ):
                unresolved.append((stream, entry.key))
    assert not unresolved, unresolved[:10]
    derived = [script.derive(s, es, TABLE) for s, es in sorted(streams.items())]  # type: ignore[attr-defined]
    block = script.render(derived, path.name)  # type: ignore[attr-defined]
    table_text = (REPO / "src" / "pubman" / "data" / "venues.toml").read_text(encoding="utf-8")
    assert block in table_text, "venues.toml is stale: run scripts/venues_from_dblp.py"


def test_check_venues_lists_the_strings_the_table_does_not_know(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "@inproceedings{a,\n  title = {One},\n  author = {Doe, Jane},\n"
        "  booktitle = {Frobnitz Workshop on Widgets},\n  year = {2020},\n}\n\n"
        "@inproceedings{b,\n  title = {Two},\n  author = {Doe, Jane},\n"
        "  booktitle = {NeurIPS},\n  year = {2021},\n}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "pubman", "--bib", str(bib), "check", "--venues", "--no-owner"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
        timeout=60,
    )
    assert "1 venue string(s) in" in done.stdout, done.stdout + done.stderr
    assert "pubs.bib:1    1x  Frobnitz Workshop on Widgets" in done.stdout
    assert "NeurIPS" not in done.stdout


def _misspelt(v: str) -> str:
    if re.search(r"\bProceedings\b", v):
        return re.sub(r"\bProceedings\b", "Procedings", v)
    return v if _PREFIXED.match(v) else "Procedings of the " + v


_DECORATIONS = {
    "misspelt Proceedings": _misspelt,
    "place and dates": lambda v: v + ", Long Beach, CA, USA, August 6-10, 2019",
    "parenthesised remark": lambda v: v + " (Oral presentation)",
    "year and ordinal": lambda v: v if _PREFIXED.match(v) else "The 12th " + v + " 2019",
}
# "NIME '06 Proceedings of ...": prepending to it would not be a way anyone writes it
_PREFIXED = re.compile(r"^\S+\s*['’]\s?\d{2}|^\s*Proc")
_MEETING = re.compile(r"\b(conference|symposium|workshop|meeting|congress)\b", re.IGNORECASE)


def _venue_strings() -> list[str]:
    files = corpus_files("real")
    if not CORPUS.is_dir() or not files:
        pytest.skip("shared corpus not present; it is beside the repo in CI only")
    found: set[str] = set()
    for path in files:
        for e in bibstore.load(path).entries.values():
            if e.type.lower() == "inproceedings" and _MEETING.search(e.get("booktitle")):
                found.add(" ".join(e.get("booktitle").split()))
    rng = random.Random(SEED)
    return rng.sample(sorted(found), min(300, len(found)))


def test_stats_does_not_split_a_venue_over_a_typo_date_place_or_remark() -> None:
    """Every meeting booktitle of the real corpus (up to 300, seeded), written with each
    decoration, lands in the same stats row as the plain one."""
    split = []
    for venue in _venue_strings():
        for name, decorate in _DECORATIONS.items():
            plain = Entry("a", "inproceedings", {"title": "First", "booktitle": venue})
            noisy = Entry("b", "inproceedings", {"title": "Second", "booktitle": decorate(venue)})
            rows = {w.venue for w in collect_works([plain, noisy], TABLE)}
            if len(rows) != 1:
                split.append(f"{name}: {sorted(rows)}")
    assert not split, "\n".join(split[:15])
