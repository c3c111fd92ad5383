"""The compiled venue table kept in the user cache: a later start reads it, it answers exactly
as a freshly compiled table does, and it is never a stale answer (another [venues] config,
another shipped table, a corrupt file), nor an error when the cache cannot be written."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from pubman.model import Entry
from pubman.venues import classify, compiled, table
from pubman.venues.spec import shipped, shipped_source
from pubman.venues.table import VenueTable, compile_rules

SAMPLES = [
    "Proceedings of the 40th International Conference on Machine Learning",
    "Advances in Neural Information Processing Systems 33",
    "ICML 2021 Workshop on Uncertainty",
    "Proceedings of the 2022 Conference on Empirical Methods in NLP: System Demonstrations",
    "IEEE Trans. Inf. Theory",
    "Reinforcement Learning Conf",
    "Journal of Nothing Anybody Knows",
]
USER = {"RLC": {"kind": "conference", "aliases": ["Reinforcement Learning Conf"]}}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PUBMAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(table, "_LOADED", {})  # as if a new process started
    return tmp_path / "venues"


def _answers(t: VenueTable) -> list[tuple[str, str] | None]:
    return [(v.short, v.kind) if (v := t.lookup(s)) else None for s in SAMPLES]


def _fresh() -> VenueTable:
    venues, rules = shipped(shipped_source())
    return VenueTable(venues, *compile_rules(rules))


def test_a_second_start_reads_the_compiled_table_and_answers_the_same(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = VenueTable.load()
    assert len(list(cache.glob("*.marshal"))) == 1
    monkeypatch.setattr(table, "_LOADED", {})

    def no_compiling(*args: object) -> None:
        raise AssertionError("compiled again although a compiled table was stored")

    monkeypatch.setattr(table, "shipped", no_compiling)
    second = VenueTable.load()
    assert second is not first
    assert _answers(second) == _answers(first) == _answers(_fresh())
    assert [v for v in second] == [v for v in _fresh()]


def test_another_user_config_is_never_answered_from_the_stored_table(cache: Path) -> None:
    assert VenueTable.load().lookup("Reinforcement Learning Conf") is None
    with_rlc = VenueTable.load(USER)
    hit = with_rlc.lookup("Reinforcement Learning Conf")
    assert hit is not None and hit.short == "RLC"
    assert len(list(cache.glob("*.marshal"))) == 2
    venue = classify(Entry("k", "inproceedings", {"booktitle": "RLC"}), with_rlc)
    assert (venue.short, venue.kind) == ("RLC", "conference")


def test_the_key_changes_with_the_shipped_table_and_the_config() -> None:
    source = shipped_source()
    keys = {
        compiled.key(source, "{}"),
        compiled.key(source + b"\n# edited\n", "{}"),
        compiled.key(source, '{"RLC": {"kind": "conference"}}'),
    }
    assert len(keys) == 3


def test_a_corrupt_or_foreign_stored_table_is_ignored(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    VenueTable.load()
    (stored,) = cache.glob("*.marshal")
    expected = _answers(_fresh())
    foreign = {"key": "someone else", "venues": [], "aliases": {}, "tests": []}
    for junk in (b"", b"{not marshal", marshal.dumps(foreign), marshal.dumps(["a", "list"])):
        stored.write_bytes(junk)
        monkeypatch.setattr(table, "_LOADED", {})
        assert _answers(VenueTable.load()) == expected


def test_an_unwritable_cache_dir_only_costs_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBMAN_CACHE_DIR", "/dev/null/pubman")  # not a directory
    monkeypatch.setattr(table, "_LOADED", {})
    assert _answers(VenueTable.load()) == _answers(_fresh())
