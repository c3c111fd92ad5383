"""The formatting value types behave as the frozen dataclasses they replaced: options validate
and cannot be changed, rich-text leaves of different kinds never compare equal, and the JSON
record keeps every author's fields."""

from __future__ import annotations

import json

import pytest

from pubman.formatting import FormatOptions, format_publications, render
from pubman.formatting import richtext as rt
from pubman.model import Entry


def test_options_validate_and_stay_as_built() -> None:
    with pytest.raises(ValueError, match="style must be one of"):
        FormatOptions(style="apa")
    with pytest.raises(ValueError, match="bibtex_url must contain"):
        FormatOptions().with_overrides(bibtex_url="bib/x.bib")
    options = FormatOptions(style="web")
    with pytest.raises(AttributeError):
        options.style = "cv"  # type: ignore[misc]
    changed = options.with_overrides(max_authors=3, since=None)
    assert (changed.style, changed.max_authors, changed.since) == ("web", 3, None)
    assert options.max_authors == 0
    assert changed == FormatOptions(style="web", max_authors=3)
    assert hash(changed) == hash(FormatOptions(style="web", max_authors=3))
    assert changed != options


def test_text_and_tex_with_the_same_string_differ() -> None:
    assert rt.Text("a") != rt.Tex("a")
    assert rt.seq("a", rt.Tex("b")) == rt.seq(rt.Text("a"), rt.Tex("b"))
    assert len({rt.Text("a"), rt.Tex("a"), rt.Text("a")}) == 2
    with pytest.raises(ValueError, match="unknown tag kind"):
        rt.Tag("blink", ())


def test_json_record_lists_each_authors_fields() -> None:
    fields = {"author": "Doe, Jane and Harutyunyan, Hrayr", "title": "T", "year": "2020"}
    entry = Entry(key="k", type="article", fields=fields, line=1)
    doc = format_publications([entry], FormatOptions(), ["Hrayr Harutyunyan"])
    (record,) = json.loads(render(doc, "json"))
    assert list(record) == [
        "number",
        "key",
        "title",
        "authors",
        "venue",
        "year",
        "kind",
        "links",
        "group",
        "et_al",
        "notes",
        "abbr",
        "selected",
    ]
    assert record["authors"] == [
        {"name": "J. Doe", "given": "Jane", "family": "Doe", "owner": False, "marks": []},
        {
            "name": "H. Harutyunyan",
            "given": "Hrayr",
            "family": "Harutyunyan",
            "owner": True,
            "marks": [],
        },
    ]
