"""pubman.matching: title normalisation and similarity, DOI and arXiv id extraction, author overlap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pubman.matching import (
    arxiv_id_from_entry,
    doi_from_entry,
    normalize_arxiv_id,
    normalize_doi,
    normalize_title,
    surname_overlap,
    title_similarity,
)
from pubman.text.latex import fold, quick_fold
from pubman.text.names import parse_names
from pubman.text.titles import _NOT_WORD

# ---------------------------------------------------------------------------------------------
# Titles


@pytest.mark.parametrize(
    ("title", "normal"),
    [
        (
            "{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding",
            "bert pre training of deep bidirectional transformers for language understanding",
        ),
        (
            "{{OptNet}}: Differentiable Optimization as a Layer in Neural Networks.",
            "optnet differentiable optimization as a layer in neural networks",
        ),
        (
            'Fast {\\"U}bersetzung -- a {$\\lambda$}-calculus view',
            "fast ubersetzung a λ calculus view",
        ),
        ("Input  Convex\n   Neural Networks", "input convex neural networks"),
        (
            "Why Should I Trust You?: Explaining the Predictions",
            "why should i trust you explaining the predictions",
        ),
        ("", ""),
    ],
)
def test_normalize_title(title: str, normal: str) -> None:
    assert normalize_title(title) == normal


@given(st.text())
def test_normalize_title_is_idempotent(s: str) -> None:
    assert normalize_title(normalize_title(s)) == normalize_title(s)


@given(st.text(alphabet="\\{}$^~-\"'vAaoOi* .,:;!?ßæﬁ%&_"))
def test_normalize_title_is_idempotent_on_latex_heavy_text(s: str) -> None:
    assert normalize_title(normalize_title(s)) == normalize_title(s)


@given(st.text(alphabet=st.characters(codec="ascii")) | st.text(alphabet="{}~-_'`.:aB1 \t"))
def test_normalize_title_ascii_fast_path_gives_the_general_answer(s: str) -> None:
    quick = quick_fold(s)
    general = " ".join(_NOT_WORD.sub(" ", fold(s) if quick is None else quick).split())
    assert normalize_title(s) == general


def test_title_similarity_ignores_case_latex_and_punctuation() -> None:
    assert (
        title_similarity("Input Convex Neural Networks", "{I}nput {C}onvex {N}eural {N}etworks.")
        == 100.0
    )
    assert title_similarity('M{\\"u}ller--Breslau Principle', "Müller-Breslau principle") == 100.0


def test_title_similarity_scores_preprint_and_published_variants_high() -> None:
    preprint = "Differentiable MPC for End-to-end Planning and Control"
    published = "Differentiable {MPC} for end-to-end planning and control."
    assert title_similarity(preprint, published) >= 95
    renamed = "Meta Optimal Transport for Amortized Optimization"
    assert title_similarity("Meta Optimal Transport", renamed) < 80  # subset is not a match


def test_title_similarity_keeps_unrelated_titles_low() -> None:
    assert title_similarity("Input Convex Neural Networks", "Learning to Walk in Minutes") < 50
    assert title_similarity("", "Anything") == 0.0
    assert title_similarity("", "") == 0.0


def test_title_similarity_tolerates_reordered_words() -> None:
    assert (
        title_similarity("Graph neural networks: a survey", "A survey: graph neural networks") >= 90
    )


# ---------------------------------------------------------------------------------------------
# DOIs


@pytest.mark.parametrize(
    ("raw", "doi"),
    [
        ("10.1109/CVPR.2016.90", "10.1109/cvpr.2016.90"),
        ("https://doi.org/10.1145/3292500.3330701", "10.1145/3292500.3330701"),
        ("http://dx.doi.org/10.1038/nature14539.", "10.1038/nature14539"),
        ("doi:10.1016/j.artint.2018.07.007", "10.1016/j.artint.2018.07.007"),
        ("DOI: 10.1007/978-3-030-01234-2_1", "10.1007/978-3-030-01234-2_1"),
        ("{10.1162/neco.1997.9.8.1735}", "10.1162/neco.1997.9.8.1735"),
        ("10.1016/0010-0277(88)90012-3", "10.1016/0010-0277(88)90012-3"),
        (
            "https://doi.org/10.1002/(SICI)1097-4636(199612)33:4%3C243::AID-JBM6%3E3.0.CO;2-F",
            "10.1002/(sici)1097-4636(199612)33:4<243::aid-jbm6>3.0.co;2-f",
        ),
        ("info:doi/10.1076/jnmr.32.4.395.18858", "10.1076/jnmr.32.4.395.18858"),
        ("10.1109/ICRA.2015.7139000)", "10.1109/icra.2015.7139000"),
        ("10.1234/x\\_y", "10.1234/x_y"),
        ("j.desal.2005.02.017", None),
        ("R. Parasuraman, R. Davies", None),
        ("10.12/abc", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_doi(raw: str | None, doi: str | None) -> None:
    assert normalize_doi(raw) == doi


def test_doi_from_entry_prefers_the_doi_field_then_a_doi_link() -> None:
    assert doi_from_entry({"doi": "10.1145/3583780.3615079"}) == "10.1145/3583780.3615079"
    assert (
        doi_from_entry({"url": "https://doi.org/10.1109/IROS.2012.6385773"})
        == "10.1109/iros.2012.6385773"
    )
    assert doi_from_entry({"doi": "not a doi", "note": "doi:10.1/x"}) is None
    assert doi_from_entry({"url": "https://arxiv.org/abs/1706.03762"}) is None
    assert doi_from_entry({}) is None


def test_arxiv_doi_is_an_arxiv_id_not_a_published_doi() -> None:
    fields = {"doi": "10.48550/arXiv.1706.03762"}
    assert doi_from_entry(fields) is None
    assert arxiv_id_from_entry(fields) == "1706.03762"
    # A real DOI next to an arXiv DOI in a link still counts.
    assert (
        doi_from_entry(
            {"doi": "10.48550/ARXIV.1706.03762", "url": "https://doi.org/10.5555/3295222"}
        )
        == "10.5555/3295222"
    )


# ---------------------------------------------------------------------------------------------
# arXiv ids


@pytest.mark.parametrize(
    ("raw", "arxiv_id"),
    [
        ("arXiv:2507.10524v2", "2507.10524"),
        ("2507.10524", "2507.10524"),
        ("https://arxiv.org/abs/2507.10524v1", "2507.10524"),
        ("https://arxiv.org/pdf/2507.10524.pdf", "2507.10524"),
        ("https://arxiv.org/pdf/2507.10524v3", "2507.10524"),
        ("http://export.arxiv.org/abs/1412.6980", "1412.6980"),
        ("0704.0001", "0704.0001"),
        ("hep-th/9901001v1", "hep-th/9901001"),
        ("math.GT/0309136", "math/0309136"),
        ("arXiv:cond-mat/0703268", "cond-mat/0703268"),
        ("https://arxiv.org/abs/math.GT/0309136v2", "math/0309136"),
        ("10.48550/arXiv.2101.00001", "2101.00001"),
        ("1234.5678", "1234.5678"),
        ("not an id", None),
        ("2507.105", None),
        ("12507.10524", None),
        ("https://example.org/abs/2507.10524", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_arxiv_id(raw: str | None, arxiv_id: str | None) -> None:
    assert normalize_arxiv_id(raw) == arxiv_id


@pytest.mark.parametrize(
    ("fields", "arxiv_id"),
    [
        ({"eprint": "2101.00001", "archiveprefix": "arXiv"}, "2101.00001"),
        ({"eprint": "2101.00001v3", "eprinttype": "arxiv"}, "2101.00001"),
        ({"eprint": "arXiv:hep-ph/0405236v1"}, "hep-ph/0405236"),
        ({"eprint": "2101.00001"}, "2101.00001"),
        ({"eprint": "hal-01234567", "archiveprefix": "HAL"}, None),
        ({"eprint": "2101.00001", "eprinttype": "pubmed"}, None),
        ({"arxivid": "arXiv:1511.06434"}, "1511.06434"),
        ({"journal": "arXiv preprint arXiv:1234.5678"}, "1234.5678"),
        ({"journal": "ArXiv", "volume": "abs/2205.11916"}, "2205.11916"),
        ({"journal": "CoRR", "volume": "abs/1706.03762"}, "1706.03762"),
        ({"journal": "{arXiv}", "pages": "doi.org/10.48550/arXiv.1610.03914"}, "1610.03914"),
        ({"journal": "{arXiv}", "pages": "cs/0504107v2"}, "cs/0504107"),
        ({"url": "https://arxiv.org/abs/1703.00443v3"}, "1703.00443"),
        ({"note": "arXiv 1706.03762"}, "1706.03762"),
        ({"howpublished": "\\url{http://arxiv.org/abs/hep-th/9901001}"}, "hep-th/9901001"),
        ({"doi": "10.48550/arXiv.2303.08774"}, "2303.08774"),
        ({"journal": "PsyArXiv", "volume": "1234.5678"}, None),
        ({"journal": "Neural Computation", "volume": "9", "pages": "1735--1780"}, None),
        ({}, None),
    ],
)
def test_arxiv_id_from_entry(fields: dict[str, str], arxiv_id: str | None) -> None:
    assert arxiv_id_from_entry(fields) == arxiv_id


def test_explicit_eprint_wins_over_other_mentions() -> None:
    fields = {
        "eprint": "2101.00001",
        "archiveprefix": "arXiv",
        "url": "https://arxiv.org/abs/1999.99999",
    }
    assert arxiv_id_from_entry(fields) == "2101.00001"


# ---------------------------------------------------------------------------------------------
# Authors


def test_surname_overlap_counts_the_shorter_list() -> None:
    a = parse_names("Amos, Brandon and Kolter, J. Zico")
    b = parse_names("Brandon Amos and J. Zico Kolter and Someone Else")
    assert surname_overlap(a, b) == 1.0
    assert surname_overlap(b, a) == 1.0


def test_surname_overlap_folds_accents_and_ignores_others() -> None:
    a = parse_names('M{\\"u}ller, J. and Smith, A. and others')
    b = parse_names("Jürgen Muller and Anna Smith")
    assert surname_overlap(a, b) == 1.0


def test_surname_overlap_is_partial_and_zero_when_disjoint() -> None:
    a = parse_names("Amos, B. and Kolter, J. Z. and Rodriguez, I. and Sacks, J.")
    b = parse_names("Brandon Amos and Jane Doe")
    assert surname_overlap(a, b) == 0.5
    assert surname_overlap(a, parse_names("Jane Doe and John Roe")) == 0.0
    assert surname_overlap([], b) == 0.0
    assert surname_overlap(parse_names("others"), b) == 0.0


def test_surname_overlap_understands_surname_first_initials() -> None:
    # PubMed style "Smith JA" parses with "JA" as the last name; compare by "Smith".
    a = parse_names("Smith JA and Doe J")
    b = parse_names("John A. Smith and Jane Doe")
    assert surname_overlap(a, b) == 1.0


def test_surname_overlap_tolerates_split_surnames() -> None:
    a = parse_names("Ver Steeg, Greg and Galstyan, Aram")
    b = parse_names("Greg Ver Steeg and Aram Galstyan")  # parses as first "Greg Ver", last "Steeg"
    assert surname_overlap(a, b) == 1.0
