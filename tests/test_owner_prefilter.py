"""OwnerMatcher.may_appear_in is a shortcut: it may say yes wrongly, never no wrongly."""

from __future__ import annotations

import pytest
from _corpus import corpus_file
from hypothesis import given, settings
from hypothesis import strategies as st

from pubman.store import bibliography as bibstore
from pubman.text.names import OwnerMatcher, parse_names

CASES = [
    (["François Müller"], r"Fran{\c c}ois M{\"u}ller and Doe, J."),
    (["François Müller"], "Müller, F. and Doe, J."),
    (["Jiří Dvořák"], r"Ji{\v r}{\'\i} Dvo\v{r}{\'a}k"),
    (["Søren Ørsted"], r"S{\o}ren {\O}rsted"),
    (["Greg Ver Steeg"], "Greg Ver~Steeg and A. Galstyan"),
    (["Greg Ver Steeg"], "Steeg, Greg Ver"),
    (["Brandon Amos"], r"Brandon Amos$^{\dagger}$ and Amos*, Brandon"),
    (["Sami Abu-El-Haija"], "S. Abu{-}El{-}Haija and B. Perozzi"),
]


@pytest.mark.parametrize("owner, value", CASES)
def test_never_rules_out_a_real_match(owner: list[str], value: str) -> None:
    matcher = OwnerMatcher(owner)
    assert matcher.find(parse_names(value)), "case must contain the owner"
    assert matcher.may_appear_in(value)


def test_rules_out_lists_without_the_surname() -> None:
    matcher = OwnerMatcher(["Hrayr Harutyunyan"])
    assert not matcher.may_appear_in("Smith, John and Doe, Jane")
    assert not matcher.may_appear_in(r"M{\"u}ller, Anna")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Hrayr Harutyunyan",
                "H. Harutyunyan",
                "Harutyunyan, H.",
                "Smith, J.",
                r"M{\"u}ller, A.",
                "Ver Steeg, Greg",
                "{Harutyunyan}, Hrayr",
                "HARUTYUNYAN, H.",
            ]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_property_consistent_with_find(names: list[str]) -> None:
    value = " and ".join(names)
    matcher = OwnerMatcher(["Hrayr Harutyunyan"])
    if matcher.find(parse_names(value)):
        assert matcher.may_appear_in(value)


@pytest.mark.parametrize(
    "rel, owner",
    [
        ("real/srinivasa-cv/siddpubs-conf.bib", "Siddhartha S. Srinivasa"),
        ("real/amos-cv-all.bib", "Brandon Amos"),
        ("real/zotero-bbt-export-papers3-library.bib", "Michel Beaudouin-Lafon"),
    ],
)
def test_consistent_on_real_files(rel: str, owner: str) -> None:
    bib = bibstore.load(corpus_file(rel))
    matcher = OwnerMatcher([owner])
    found = 0
    for entry in bib.entries.values():
        value = entry.get("author")
        if matcher.find(parse_names(value)):
            found += 1
            assert matcher.may_appear_in(value), entry.key
    assert found > 0
