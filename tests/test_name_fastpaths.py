"""The plain-name fast paths of pubman.text.names / nameparts give the general rules' answers.

``split_names``, ``name_parts``, ``parse_name``, ``initials`` and the styles' name forms
(``person_form``) take a short cut for plain values (no braces, LaTeX, commas or ties; ASCII),
as does ``fold`` for ASCII text without LaTeX; each is checked here against the general code
on every author and editor value of ../shared/corpus (skipped without it) and on generated
values that put ``and``, case, dashes, marks, LaTeX specials and non-ASCII letters where the
short cuts must notice.
"""

from __future__ import annotations

import pytest
from _corpus import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

from pubman.formatting import styles
from pubman.store import bibliography as bibstore
from pubman.text import latex, nameparts, names


def _same_everywhere(value: str) -> None:
    assert nameparts.split_names(value) == nameparts._split_words(value), value
    for raw in nameparts.split_names(value):
        assert nameparts.name_parts(raw) == nameparts._parts(raw), raw
        assert names.parse_name(raw) == names._parse(raw), raw
        person = names.parse_name(raw)
        for part in (raw, person.last, person.first, person.von):
            assert latex.fold(part) == latex._fold(part), part
        for given_names in (person.first, " ".join(nameparts.name_parts(raw).first)):
            assert names.initials(given_names) == names._initials(given_names, False), raw
        if raw.strip() and names.is_plain_name(raw):
            for style in ("cv", "web"):
                assert styles._plain_form(raw, style) == styles._form(raw, style), raw


def _corpus_values() -> list[str]:
    values: set[str] = set()
    for path in sorted(CORPUS.rglob("*.bib")):
        bib = bibstore.load(path, cache=False)
        for entry in bib.entries.values():
            values.update(entry.get(f) for f in ("author", "editor") if entry.get(f))
    return sorted(values)


def test_fast_paths_agree_on_every_corpus_name() -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present; it is beside the repo in CI only")
    values = _corpus_values()
    assert len(values) > 10_000
    for value in values:
        _same_everywhere(value)


WORDS = ["and", "AND", "And", "van", "der", "De", "la", "Hrayr", "H.", "S.-Y.", "Se-Young"]
WORDS += ["KSM", "Jr.", "jr", "O'Neil", "d'Alembert", "-", "--", "x-", "-y", "123", "*", "a*"]
WORDS += ["$^*$", "\\'e", "{IBM}", 'M{\\"u}ller', "~", "Ana,", ",", "others", "Ver", "Steeg"]
SPACES = [" ", "  ", "\n  ", "\t", "~", " and ", "\u00a0", "\x1c"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SPACES)), max_size=9))
def test_fast_paths_agree_on_generated_names(pieces: list[tuple[str, str]]) -> None:
    _same_everywhere("".join(w + s for w, s in pieces))
    _same_everywhere(" ".join(w for w, _ in pieces))


ASCII_PIECES = ["Ab", "x", "-", "--", "---", " - ", "\t", "\n", "\x1c", "\x0b", "O'Neil", "{", "}"]
ASCII_PIECES += ["\\", "$", "~", "-x-", "MÜLLER", "ǅ", "Straße", "ﬁ", "Æ", "\u2013", "I", "İ"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(ASCII_PIECES), max_size=12))
def test_fold_short_cut_agrees_with_the_general_rule(pieces: list[str]) -> None:
    value = "".join(pieces)
    assert latex.fold(value) == latex._fold(value), value
