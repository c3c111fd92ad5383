"""Titles in comparison form: the one title normaliser.

Contract: pure, no I/O, never raises. :func:`normalize_title` is what sync, dedup and stats
compare titles by (through :class:`pubman.work.Work`); :mod:`pubman.matching` scores them.
"""

from __future__ import annotations

from functools import lru_cache

from pubman.text.names import fold, quick_fold
from pubman.text.pattern import LazyPattern

__all__ = ["normalize_title"]

_NOT_WORD = LazyPattern(r"[\W_]+")
# Plain ASCII: braces go, every other character that is not a letter or digit is a space.
_ASCII_WORDS = str.maketrans(
    {chr(c): None if chr(c) in "{}" else " " for c in range(128) if not chr(c).isalnum()}
)


@lru_cache(maxsize=65536)
def normalize_title(s: str) -> str:
    """Comparison form of a title: LaTeX decoded, braces gone, folded (accents, case), every
    run of punctuation or whitespace one space. Idempotent.

    Titles whose only LaTeX is accents and letter commands take a fast path that skips the
    LaTeX decoder (most titles; the same answer, and decoding is the slow part of reading a
    large file); ASCII titles without commands or math, a faster one still (what
    :func:`~pubman.text.latex.quick_fold` and the punctuation rule make of them, in one
    translation)."""
    if s.isascii() and "\\" not in s and "$" not in s:
        return " ".join(s.translate(_ASCII_WORDS).lower().split())
    quick = quick_fold(s)
    return " ".join(_NOT_WORD.sub(" ", fold(s) if quick is None else quick).split())
