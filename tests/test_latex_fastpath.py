"""The direct decoder for simple LaTeX (accents, letters like \\o, escaped specials) gives what
pylatexenc gives, so using it instead of pylatexenc changes no output."""

from __future__ import annotations

import pytest
from _corpus import corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st

from pubman.store import bibliography as bibstore
from pubman.text.latex import _pylatexenc_text, _simple_latex, latex_to_text
from pubman.text.names import split_names

PIECES = [
    'M{\\"u}ller',
    '\\"{o}',
    "\\'e",
    "\\'{E}",
    "\\`a",
    "\\^{o}",
    "\\~n",
    "\\={a}",
    "\\.{z}",
    "\\u{g}",
    "\\v{s}",
    "\\v s",
    "\\H{o}",
    "\\c{c}",
    "\\c c",
    "\\k{a}",
    "\\r{u}",
    "{\\o}",
    "{\\O}",
    "{\\ss}",
    "{\\aa}",
    "{\\AA}",
    "{\\ae}",
    "{\\l}",
    "\\'{\\i}",
    "\\'\\i",
    "{\\L}",
    "\\&",
    "\\%",
    "\\_",
    "\\#",
    "\\{",
    "\\}",
    "{Word}",
    "--",
    "---",
    "~",
    " ",
    "and",
    "x",
    "Ab",
    ",",
    ".",
    "``q''",
    "{",
    "}",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))
def test_fast_path_equals_pylatexenc_on_generated_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast = _simple_latex(text)
    if fast is not None and text.count("{") == text.count("}"):
        assert fast == _pylatexenc_text(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('M{\\"u}ller', "Müller"),
        ("Dvo\\v{r}{\\'a}k", "Dvořák"),
        ("S{\\o}ren", "Søren"),
        ("Jos{\\'\\i}", "José".replace("é", "í")),
        ("Fran\\c{c}ois", "François"),
        ("Smith \\& Sons --- 50\\%", "Smith & Sons — 50%"),
    ],
)
def test_common_names_decode(text: str, expected: str) -> None:
    assert latex_to_text(text) == expected


CORPUS = corpus_files("real", "bench")


@pytest.mark.skipif(not CORPUS, reason="shared corpus not present (it is beside the repo in CI)")
def test_fast_path_equals_pylatexenc_on_every_corpus_string() -> None:
    checked = 0
    for path in CORPUS:
        for entry in bibstore.load(path).entries.values():
            for name in ("title", "author", "journal", "booktitle"):
                value = entry.fields.get(name, "")
                if "\\" not in value or "$" in value:
                    continue
                items = [value] + (split_names(value) if name == "author" else [])
                for text in items:
                    fast = _simple_latex(text)
                    if fast is not None:
                        checked += 1
                        assert fast == _pylatexenc_text(text), text
    print(f"\nfast LaTeX path agrees with pylatexenc on {checked} corpus strings")
    assert checked > 1000


NAME_PIECES = [
    "Abu",
    "{-}",
    "El",
    " ",
    ",",
    "~",
    "{IBM Research}",
    "{, }",
    "{",
    "}",
    "Jr",
    "van",
    "{de la}",
    "  ",
    "{}",
    "x",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=10))
def test_flat_name_sections_equal_the_character_loop(pieces: list[str]) -> None:
    from pubman.text import nameparts

    name = "".join(pieces)
    flat = nameparts._flat_sections(name)
    if flat is None:
        return
    saved = nameparts._flat_sections
    nameparts._flat_sections = lambda n: None  # type: ignore[assignment]
    try:
        slow = nameparts._sections(name)
    finally:
        nameparts._flat_sections = saved
    assert flat == slow
