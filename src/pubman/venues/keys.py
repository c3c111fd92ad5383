"""Venue strings as text: decoding, the comparison key, and the readable cleaned name.

Contract: pure functions over strings; no I/O, never prints, never raises on odd input.

A venue field is decoded by the project's one LaTeX decoder,
:func:`pubman.text.latex.latex_to_text`, and then read as a venue name: ``\\i`` is the letter
i (not the dotless ı, which in a venue field is only ever a LaTeX spelling of i), an escaped
brace is dropped like a protecting one, and :func:`venue_key` folds every dash to ``-``, so
that ``--``, ``–`` and ``-`` give one key. With those readings the keys, and so the table's
matches, are what the venue module's own decoder gave before it was replaced
(``tests/test_venue_decoder.py`` checks every corpus venue string). What changed is display
text: an unknown venue's cleaned name now shows ``--`` as an en dash, as LaTeX prints it.
"""

from __future__ import annotations

import re
import unicodedata

from pubman.text.latex import latex_to_text
from pubman.text.pattern import LazyPattern

__all__ = [
    "MEETING_RE",
    "TRACK_RE",
    "WORKSHOP_RE",
    "clean_venue",
    "decode",
    "has_letters",
    "venue_key",
]

# \i and \j decode to the dotless letters; in a venue name they stand for i and j. An escaped
# brace is Google Scholar's spelling of a protecting one ("$\{$USENIX$\}$"), never part of a name.
_VENUE_TEXT = str.maketrans({"ı": "i", "ȷ": "j", "{": None, "}": None})
_NEEDS_FIX_RE = re.compile(r"[ıȷ{}]")


def decode(text: str) -> str:
    """A venue field as plain Unicode (:func:`~pubman.text.latex.latex_to_text`), ``\\i`` as
    i, without braces."""
    text = latex_to_text(text)
    return text.translate(_VENUE_TEXT) if _NEEDS_FIX_RE.search(text) else text


_WORD_ORDINAL = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]?)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)"
)
_ORDINAL_RE = re.compile(rf"\b(?:\d+(?:st|nd|rd|th)|{_WORD_ORDINAL})\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"['’]\s?(?:\d\d){1,2}\b|\b(?:19|20)\d\d\b")
_REFS_RE = re.compile(
    r"\b(?:pp?\.?|pages?|vol(?:ume)?\.?|no\.|number|issue|article|pmlr)\s*\d+(?:\s*[:–—-]+\s*\d+)*",
    re.IGNORECASE,
)
_PROCEEDINGS_RE = re.compile(
    r"\b(?:in\s+)?(?:the\s+)?(?:pro+c+e+e*d+i*n*g*s?|proc)\b\.?(?:\s+of\b)?(?:\s+the\b)?",
    re.IGNORECASE,
)
# "IDC: ", "12th SBIM '05: " before a venue's name (the name says the same)
_ACRONYM_PREFIX_RE = re.compile(
    r"^\s*(?:(?:\d+(?:st|nd|rd|th)?|the)\s+)*[A-Z][A-Za-z0-9&+/.-]*(?:\s*['’]?\s?\d{2,4})?\s*:\s*(?=\S)"
)
MEETING_RE = re.compile(
    r"\b(?:conf\w*|symposi\w*|workshops?|meeting|congress|colloquium|convention)\b", re.IGNORECASE
)
WORKSHOP_RE = re.compile(
    r"\bworkshops?\b(?!\s+and\s+conference\s+proceedings)|\b(?:CVPR|ICCV|ECCV)W\b", re.IGNORECASE
)
# Tracks that are published beside a conference but are not its main track.
TRACK_RE = re.compile(
    r"\b(?:(?:system\s+)?(demo(?:nstration)?s?)|datasets?\s+(?:and|&)\s+benchmarks?)\b",
    re.IGNORECASE,
)
_ELLIPSIS_RE = LazyPattern(r"^\s*(?:\.\.\.|…)|(?:\.\.\.|…)\s*(?=,|$)")
_PREFIX_RE = LazyPattern(r"^\s*[A-Za-z][\w&.+-]*(?:\s+EA)?\s*['’]\s?\d{2,4}\s*:?\s*(?=\S)")
_STOP = frozenset(
    {
        "the",
        "of",
        "on",
        "in",
        "for",
        "and",
        "a",
        "an",
        "at",
        "to",
        "proceedings",
        "proceeding",
        "proc",
        "procs",
        "annual",
    }
)
_ABBREV = {
    "conf": "conference",
    "int": "international",
    "intl": "international",
    "symp": "symposium",
    "trans": "transactions",
    "j": "journal",
    "jour": "journal",
}
_DASHES_RE = re.compile(r"[\u2010-\u2015\u2212]")
# Words a venue string carries beside the venue's name: a misspelt "Proceedings", months.
_NOISE_WORD_RE = re.compile(
    r"pro+c+e+e*d+i*n*g*s?|procs?|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|january|"
    r"february|march|april|june|july|august|september|october|november|december"
)
_PAREN_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_KEY_SPLIT_RE = re.compile(r"[^a-z0-9]+")


def venue_key(text: str) -> str:
    """Comparison key of a venue string: equal for spellings that differ only in LaTeX, case,
    punctuation and dashes, years, ordinals, "Proceedings of the", page/volume numbers or word
    order."""
    text = _DASHES_RE.sub("-", decode(text))
    text = _ACRONYM_PREFIX_RE.sub("", _PROCEEDINGS_RE.sub(" ", text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    text = _drop_place_and_remarks(text)
    text = _YEAR_RE.sub(" ", _ORDINAL_RE.sub(" ", _REFS_RE.sub(" ", text)))
    words = {_ABBREV.get(w, w) for w in _KEY_SPLIT_RE.split(text)}
    return " ".join(
        sorted(
            w
            for w in words
            if w and not w.isdigit() and w not in _STOP and not _NOISE_WORD_RE.fullmatch(w)
        )
    )


def _drop_place_and_remarks(text: str) -> str:
    """A venue string without parenthesised remarks and, for a meeting ("..., Long Beach, CA,
    USA, August 6-10"), without the short comma-separated parts after the last part that
    names the meeting ("Mixed Reality, IEEE Symposium On, Nara, Japan")."""
    text = _PAREN_RE.sub(" ", text)
    parts = text.split(",")
    last = max((n for n, p in enumerate(parts) if MEETING_RE.search(p)), default=None)
    if last is None:
        return text
    return ",".join(parts[: last + 1] + [p for p in parts[last + 1 :] if len(p.split()) > 4])


LETTER_RE = re.compile(r"[^\W\d_]")


def has_letters(text: str) -> bool:
    """False for fields with no words in them ("", "\\ldots", "--")."""
    return bool(LETTER_RE.search(decode(text) if "\\" in text else text))


_ORDINAL_WORDS_RE = LazyPattern(rf"\b(?:the\s+)?{_ORDINAL_RE.pattern}", re.IGNORECASE)
_SMALL_NUMBER_RE = LazyPattern(r"(?<![\w.-])\d{1,3}(?![\w.-])|\(\s*\)|\[\s*\]")


def clean_venue(text: str) -> str:
    """A readable venue name from a raw field: LaTeX decoded; an "ACRO '15:" prefix, years,
    ordinals, "Proceedings of the" and page/volume references removed."""
    text = _PREFIX_RE.sub("", decode(text))
    text = _REFS_RE.sub("", text)
    text = _ORDINAL_WORDS_RE.sub("", text)
    text = _YEAR_RE.sub("", text)
    if MEETING_RE.search(text):  # but "Proceedings of the Royal Society" is a journal's name
        text = _PREFIX_RE.sub("", _PROCEEDINGS_RE.sub("", text))  # "Proc. of the NIME '05: ..."
    text = _ELLIPSIS_RE.sub(" ", text)
    text = _SMALL_NUMBER_RE.sub("", text)
    text = re.sub(r"\.\s*,", ",", text)  # "TRANSDUCERS., Long Beach": the comma separates
    text = re.sub(r"\s*([,.:;])(?:\s*[,.:;])+", r"\1", text)
    text = re.sub(r"\s+([,.:;)])", r"\1", re.sub(r"\(\s+", "(", text))
    text = " ".join(text.split()).lstrip(" ,.:;-–—").rstrip(" ,:;-–—")
    return text[:1].upper() + text[1:]
