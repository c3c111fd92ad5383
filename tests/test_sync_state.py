"""The sync state file, the citation cache, and saving the author id into pubman.toml."""

from __future__ import annotations

import json

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

import pytest

from pubman.config import set_owner_ids_text
from pubman.errors import BibFileError
from pubman.store.citations import citations_path, save_citations
from pubman.store.syncstate import SyncState, load_state, save_state, state_path


def test_state_round_trips_beside_the_bib(tmp_path):
    bib = tmp_path / "pubs.bib"
    state = SyncState(
        fields={"k": {"doi": "10.1234/x"}},
        ids={"k": ["arxiv:2001.00001"]},
        dismissed=["doi:10.1234/gone"],
    )
    save_state(bib, state)
    assert state_path(bib).name == ".pubs.bib.sync.json"
    assert load_state(bib).to_json() == state.to_json()
    assert not list(tmp_path.glob("*.bak"))


def test_missing_state_is_empty_and_broken_state_is_a_clear_error(tmp_path):
    bib = tmp_path / "pubs.bib"
    assert load_state(bib).to_json()["entries"] == {}
    state_path(bib).write_text("{not json", encoding="utf-8")
    with pytest.raises(BibFileError, match="cannot read sync state") as err:
        load_state(bib)
    assert "delete the file" in (err.value.hint or "")


def test_citations_merge_with_earlier_counts(tmp_path):
    bib = tmp_path / "pubs.bib"
    save_citations(bib, {"a": 1, "b": 2}, "2026-01-01")
    save_citations(bib, {"b": 5}, "2026-02-01")
    data = json.loads(citations_path(bib).read_text(encoding="utf-8"))
    assert data == {"updated": "2026-02-01", "counts": {"a": 1, "b": 5}}
    assert citations_path(bib).name == ".pubs.bib.citations.json"


REPO_TOML = """[owner]
name = "Hrayr Harutyunyan"
aliases = [
  "H. Harutyunyan",
]
# Semantic Scholar author ids
# semantic_scholar_ids = ["<author id>"]

# arxiv_query = "au:Harutyunyan_H"

[sync]
cache_ttl_days = 7
"""


def test_author_ids_go_below_the_commented_example():
    new = set_owner_ids_text(REPO_TOML, ["123"])
    lines = new.splitlines()
    i = lines.index('# semantic_scholar_ids = ["<author id>"]')
    assert lines[i + 1] == 'semantic_scholar_ids = ["123"]'
    assert new.replace('semantic_scholar_ids = ["123"]\n', "") == REPO_TOML
    assert tomllib.loads(new)["sync"]["cache_ttl_days"] == 7


def test_author_ids_replace_an_existing_setting_even_multiline():
    text = '[owner]\nname = "X"\nsemantic_scholar_ids = [\n  "1",\n  "2",\n]\n[api]\n'
    new = set_owner_ids_text(text, ["3", "4"])
    assert tomllib.loads(new)["owner"]["semantic_scholar_ids"] == ["3", "4"]
    assert new.count("semantic_scholar_ids") == 1 and new.endswith("[api]\n")


def test_author_ids_without_an_owner_table():
    assert tomllib.loads(set_owner_ids_text("", ["9"]))["owner"]["semantic_scholar_ids"] == ["9"]
    new = set_owner_ids_text('bib = "pubs.bib"\n', ["9"])
    assert tomllib.loads(new) == {"bib": "pubs.bib", "owner": {"semantic_scholar_ids": ["9"]}}
