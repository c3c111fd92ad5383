"""Title normalisation, identifier extraction and fuzzy matching of publications.

Contract: pure functions, no I/O, never raises on odd input (a value that is not an identifier
gives ``None``). The only module that uses rapidfuzz. Field mappings are ``Entry.fields``:
lower-case names, values as BibTeX sees them (LaTeX kept).

Identifier choices:

* A DOI is returned lower-case (DOIs are case-insensitive) without resolver prefix.
* ``10.48550/arXiv.<id>`` is arXiv's own DOI for a preprint. :func:`doi_from_entry` does not
  return it, because "has a DOI" means "has a published version" to sync and dedup;
  :func:`arxiv_id_from_entry` turns it into the arXiv id instead.
* arXiv ids are returned without version (``2507.10524``, ``hep-th/9901001``, ``math.GT/0309136``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import unquote

from rapidfuzz import fuzz

from pubman.model import Person
from pubman.text.names import fold

__all__ = [
    "arxiv_id_from_entry",
    "doi_from_entry",
    "normalize_arxiv_id",
    "normalize_doi",
    "normalize_title",
    "surname_overlap",
    "title_similarity",
]

_NOT_WORD = re.compile(r"[\W_]+")


def normalize_title(s: str) -> str:
    """Comparison form of a title: LaTeX decoded, braces gone, folded (accents, case), every
    run of punctuation or whitespace one space. Idempotent."""
    return " ".join(_NOT_WORD.sub(" ", fold(s)).split())


def title_similarity(a: str, b: str) -> float:
    """Similarity of two titles in [0, 100] after :func:`normalize_title`.

    The larger of rapidfuzz's ``ratio`` (edit distance, good for typo-level and punctuation
    changes) and ``token_sort_ratio`` (tolerates reordered words). Deliberately not
    ``token_set_ratio``, which scores a title 100 against any title containing all its words.
    Two empty titles score 0: nothing is known about them.
    """
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 100.0
    return float(max(fuzz.ratio(na, nb), fuzz.token_sort_ratio(na, nb)))


# ---------------------------------------------------------------------------------------------
# DOIs

_DOI_PREFIX = re.compile(
    r"^(?:https?://(?:dx\.|www\.)?doi\.org/|https?://doi\.acm\.org/|info:doi/|doi:\s*|doi\s+)",
    re.IGNORECASE,
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_IN_TEXT = re.compile(r"(?:doi\.org/|doi:\s*)(10\.\d{4,9}/[^\s\"<>{}]+)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.IGNORECASE)


def _strip_trailing(s: str) -> str:
    """Drop trailing sentence punctuation and closing brackets that have no opening partner."""
    while s:
        last = s[-1]
        if (
            last in ".,;:'\""
            or last in ")]}"
            and s.count(last) > s.count({")": "(", "]": "[", "}": "{"}[last])
        ):
            s = s[:-1]
        else:
            break
    return s


def normalize_doi(s: str | None) -> str | None:
    """``https://doi.org/10.1000/XYZ.`` -> ``10.1000/xyz``; ``None`` when it is not a DOI."""
    if not s:
        return None
    text = s.strip().strip("{}").strip()
    stripped = _DOI_PREFIX.sub("", text)
    if stripped != text and "%" in stripped:
        stripped = unquote(stripped)  # resolver URLs are percent-encoded
    doi = _strip_trailing(stripped.replace("\\_", "_").strip()).lower()
    return doi if _DOI.match(doi) else None


def doi_from_entry(fields: Mapping[str, str]) -> str | None:
    """The published DOI of an entry: its ``doi`` field, else a doi.org link in ``url``.

    arXiv's own DOIs (``10.48550/arXiv.*``) are not returned: they identify the preprint.
    """
    candidates = [fields.get("doi", "")]
    for name in ("url", "howpublished", "note"):
        found = _DOI_IN_TEXT.search(fields.get(name, ""))
        if found:
            candidates.append(found.group(1))
    for candidate in candidates:
        doi = normalize_doi(candidate)
        if doi and not _ARXIV_DOI.match(doi):
            return doi
    return None


# ---------------------------------------------------------------------------------------------
# arXiv ids

_NEW_ID = r"(?<!\d)(\d{4}\.\d{4,5})(v\d+)?(?![\d])"
_OLD_ID = r"(?<![\w.\-])([a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2})?/\d{7})(v\d+)?(?!\d)"
_ID_ANYWHERE = re.compile(f"{_NEW_ID}|{_OLD_ID}")
_WHOLE_ID = re.compile(
    r"^(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/"
    r"|10\.48550/arxiv\.|https?://doi\.org/10\.48550/arxiv\.)?(?P<id>.+?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
# "arXiv" as a word: PsyArXiv, SocArXiv and EarthArXiv are other servers.
_ARXIV_MENTION = re.compile(r"(?<![a-z])arxiv", re.IGNORECASE)


def _canonical(new: str | None, old: str | None) -> str | None:
    if new:
        return new
    if old:  # the subject class (math.GT/...) is not part of the id: arXiv files it as math/...
        archive, _, number = old.partition("/")
        return f"{archive.partition('.')[0].lower()}/{number}"
    return None


def normalize_arxiv_id(s: str | None) -> str | None:
    """``arXiv:2507.10524v2``, ``https://arxiv.org/pdf/2507.10524.pdf``, ``hep-th/9901001v1``,
    ``math.GT/0309136`` (-> ``math/0309136``) -> the id without version and subject class;
    ``None`` when ``s`` is not one id."""
    if not s:
        return None
    whole = _WHOLE_ID.match(s.strip().strip("{}").strip())
    if not whole:
        return None
    found = re.fullmatch(f"{_NEW_ID}|{_OLD_ID}", whole.group("id"), re.IGNORECASE)
    return _canonical(found.group(1), found.group(3)) if found else None


def _arxiv_in_text(text: str) -> str | None:
    """An arXiv id written after the word "arXiv" (a URL, "arXiv preprint arXiv:…", a note)."""
    for mention in _ARXIV_MENTION.finditer(text):
        found = _ID_ANYWHERE.search(text, mention.end(), mention.end() + 60)
        if found:
            return _canonical(found.group(1), found.group(3))
    return None


def _arxiv_from_eprint(fields: Mapping[str, str]) -> str | None:
    eprint = fields.get("eprint", "")
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if not eprint or kind not in ("", "arxiv"):
        return None
    return normalize_arxiv_id(eprint)


def _arxiv_from_journal(fields: Mapping[str, str]) -> str | None:
    """dblp writes ``journal = {CoRR}, volume = {abs/2101.00001}``; others put the id or an
    arXiv DOI in ``volume``, ``number`` or ``pages`` of a ``journal = {arXiv}`` entry."""
    raw = fields.get("journal", "")
    low = raw.lower()
    if "corr" not in low and "arxiv" not in low and "\\" not in raw:
        return None  # cheap test first: folding runs the LaTeX decoder
    journal = fold(raw)
    if journal != "corr" and not _ARXIV_MENTION.search(journal):
        return None
    for name in ("volume", "number", "pages"):
        found = _ID_ANYWHERE.search(fields.get(name, ""))
        if found:
            return _canonical(found.group(1), found.group(3))
    return None


def arxiv_id_from_entry(fields: Mapping[str, str]) -> str | None:
    """The arXiv id of an entry, from (first found): ``eprint`` (arXiv-typed or arXiv-looking),
    ``arxivid``/``arxiv``, an arXiv DOI, the volume/number/pages of a CoRR or arXiv "journal",
    or an id after the word "arXiv" in
    ``journal``, ``booktitle``, ``url``, ``note``, ``howpublished`` or ``pdf``."""
    found = (
        _arxiv_from_eprint(fields)
        or normalize_arxiv_id(fields.get("arxivid"))
        or normalize_arxiv_id(fields.get("arxiv"))
        or normalize_arxiv_id(_arxiv_doi(fields))
        or _arxiv_from_journal(fields)
    )
    for name in ("journal", "booktitle", "url", "note", "howpublished", "pdf"):
        found = found or _arxiv_in_text(fields.get(name, ""))
    return found


def _arxiv_doi(fields: Mapping[str, str]) -> str | None:
    doi = normalize_doi(fields.get("doi"))
    return doi if doi and _ARXIV_DOI.match(doi) else None


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
