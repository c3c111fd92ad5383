"""Edge cases found by adversarial review: valid but unusual BibTeX, edits, writes, config.

Each test names the user-visible failure it guards against.
"""

from __future__ import annotations

import pytest

from pubman import bibstore


def _roundtrip(text: str) -> bibstore.Bibliography:
    bib = bibstore.parse(text)
    assert bib.text() == text
    return bib


@pytest.mark.parametrize("text", [
    '@preamble{ "\\newcommand{\\noop}[1]{}" }\n@misc{k, title = {T}}\n',
    '@PREAMBLE( "a" # "b" )\n@misc{k, title = {T}}\n',
    '@preamble{\n  "x"\n}\n@misc{k, title = {T}}\n',
])
def test_preamble_with_spaces_inside_delimiters_parses(text: str) -> None:
    # Regression: a space after "@preamble{" made the preamble a parse failure, so every
    # command refused the file.
    bib = _roundtrip(text)
    assert bib.problems == []
    assert list(bib.entries) == ["k"]


@pytest.mark.parametrize("text", ["@misc(k)\n", "@misc( k )\n", "@misc(k,)\n"])
def test_parenthesised_entry_without_fields(text: str) -> None:
    # Regression: the key swallowed the closing ')', so "@misc(k)" was an unclosed entry.
    bib = _roundtrip(text)
    assert bib.problems == []
    assert list(bib.entries) == ["k"]
    bib.set_field("k", "title", "T")
    assert bibstore.parse(bib.text())["k"].fields == {"title": "T"}
