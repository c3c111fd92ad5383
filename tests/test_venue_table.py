"""The shipped venue table is valid: its patterns are compiled lazily at run time, so a bad
one must be caught here rather than by a user's lookup."""

from __future__ import annotations

import re

import tomllib

from pubman import venues
from pubman.venues.spec import SHIPPED_TABLE


def test_every_shipped_pattern_compiles() -> None:
    table = tomllib.loads(SHIPPED_TABLE.read_text(encoding="utf-8"))["venues"]
    count = 0
    for spec in table.values():
        for pattern in spec.get("patterns", []):
            re.compile(pattern, re.IGNORECASE)
            count += 1
    assert count > 100


def test_lookup_by_pattern_still_works_when_compiled_lazily() -> None:
    table = venues.VenueTable.load()
    hit = table.lookup("Proceedings of the 40th International Conference on Machine Learning")
    assert hit is not None and hit.short == "ICML"
    assert table.lookup("Advances in Neural Information Processing Systems 33").short == "NeurIPS"
