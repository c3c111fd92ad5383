"""Fuzzy matching of publications: title similarity and author-surname overlap.

Contract: pure functions, no I/O, never raises on odd input. The only module that uses
rapidfuzz. Titles are compared in :func:`pubman.text.titles.normalize_title` form; identifiers
live in :mod:`pubman.identifiers` (re-exported here for scripts that imported them from here).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from pubman.identifiers import (
    arxiv_id_from_entry,
    doi_from_entry,
    normalize_arxiv_id,
    normalize_doi,
)
from pubman.model import Person
from pubman.text.names import fold
from pubman.text.titles import normalize_title

__all__ = [
    "arxiv_id_from_entry",
    "doi_from_entry",
    "normal_title_similarity",
    "normalize_arxiv_id",
    "normalize_doi",
    "normalize_title",
    "surname_overlap",
    "title_similarity",
]


def title_similarity(a: str, b: str) -> float:
    """Similarity of two titles in [0, 100] after :func:`normalize_title`.

    The larger of rapidfuzz's ``ratio`` (edit distance, good for typo-level and punctuation
    changes) and ``token_sort_ratio`` (tolerates reordered words). Deliberately not
    ``token_set_ratio``, which scores a title 100 against any title containing all its words.
    Two empty titles score 0: nothing is known about them.
    """
    return normal_title_similarity(normalize_title(a), normalize_title(b))


def normal_title_similarity(na: str, nb: str) -> float:
    """:func:`title_similarity` of two titles already in :func:`normalize_title` form (the
    same answer, as normalising is idempotent, without normalising again)."""
    if not na or not nb:
        return 0.0
    if na == nb:
        return 100.0
    return float(max(fuzz.ratio(na, nb), fuzz.token_sort_ratio(na, nb)))


# ---------------------------------------------------------------------------------------------
# Authors


def _surname_keys(person: Person) -> set[str]:
    """Folded surname forms: the whole (von included) and its last word; for "Smith J"-style
    names (surname first, initials parsed as the last name) the given name's last word."""
    last = fold(f"{person.von} {person.last}")
    if person.first and len(person.last.strip(".")) <= 2 and person.last.strip(".").isupper():
        last = fold(person.first)
    words = re.split(r"[\s\-]+", last)
    return {last.replace("-", " "), words[-1]} - {""}


def surname_overlap(a: Sequence[Person], b: Sequence[Person]) -> float:
    """Fraction (0..1) of the shorter list's surnames found in the other list.

    ``others`` and empty names are ignored; 0.0 when either list has no real names.
    """
    real_a = [p for p in a if p.last and not p.is_others]
    real_b = [p for p in b if p.last and not p.is_others]
    short, long = sorted((real_a, real_b), key=len)
    if not short:
        return 0.0
    pool: set[str] = set().union(*(_surname_keys(p) for p in long))
    return sum(1 for p in short if _surname_keys(p) & pool) / len(short)
