"""Identifiers and the year of an entry: the only place that extracts them.

Contract: pure functions, stdlib and :mod:`pubman.text` only, no I/O, never raises on odd input
(a value that is not an identifier gives ``None``). Field mappings are ``Entry.fields``:
lower-case names, values as BibTeX sees them (LaTeX kept). Every feature reads these through
:class:`pubman.work.Work`; nothing else in pubman holds a DOI, arXiv or year pattern.

Choices:

* A DOI is returned lower-case (DOIs are case-insensitive) without resolver prefix.
* ``10.48550/arXiv.<id>`` is arXiv's own DOI for a preprint. :func:`doi_from_entry` does not
  return it, because "has a DOI" means "has a published version" to every feature;
  :func:`arxiv_id_from_entry` turns it into the arXiv id instead.
* arXiv ids are returned without version and subject class (``2507.10524``,
  ``hep-th/9901001``, ``math.GT/0309136`` -> ``math/0309136``).
* The year is the first year-like number (1500-2199, not part of a longer number) of ``year``,
  else of a biblatex ``date``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

from pubman.text.names import fold
from pubman.text.pattern import LazyPattern

__all__ = [
    "arxiv_doi",
    "arxiv_id_from_entry",
    "doi_from_entry",
    "doi_link_form",
    "is_arxiv_doi",
    "mentions_arxiv",
    "normalize_arxiv_id",
    "normalize_doi",
    "normalize_s2_id",
    "s2_id_from_entry",
    "s2_ids_from_state",
    "strip_arxiv_version",
    "year_number",
    "year_of",
    "year_text",
]

# ---------------------------------------------------------------------------------------------
# DOIs

_DOI_PREFIX = re.compile(
    r"^(?:https?://(?:dx\.|www\.)?doi\.org/|https?://doi\.acm\.org/|info:doi/|doi:\s*|doi\s+)",
    re.IGNORECASE,
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_IN_TEXT = LazyPattern(r"(?:doi\.org/|doi:\s*)(10\.\d{4,9}/[^\s\"<>{}]+)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.IGNORECASE)
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def _strip_trailing(s: str) -> str:
    """Drop trailing sentence punctuation and closing brackets that have no opening partner."""
    while s:
        last = s[-1]
        if last in ".,;:'\"" or last in _CLOSERS and s.count(last) > s.count(_CLOSERS[last]):
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


def is_arxiv_doi(doi: str | None) -> bool:
    """True for DOIs that DataCite mints for arXiv preprints (``10.48550/arXiv.<id>``)."""
    return bool(doi) and doi.strip().lower().startswith("10.48550/")  # type: ignore[union-attr]


def doi_link_form(value: str) -> str:
    """The DOI of a ``doi`` field as written (case kept) without ``doi:`` or a resolver URL,
    for building a link; "" when the field holds no single DOI-like token."""
    doi = _DOI_PREFIX.sub("", value.strip())
    return doi if doi and " " not in doi else ""


def doi_from_entry(fields: Mapping[str, str]) -> str | None:
    """The published DOI of an entry: its ``doi`` field, else a doi.org link in ``url``,
    ``howpublished`` or ``note``. arXiv's own DOIs are not returned: they identify the preprint.
    """
    candidates = [fields.get("doi", "")]
    for name in ("url", "howpublished", "note"):
        text = fields.get(name, "")
        found = _DOI_IN_TEXT.search(text) if "doi" in text.lower() else None
        if found:
            candidates.append(found.group(1))
    for candidate in candidates:
        doi = normalize_doi(candidate)
        if doi and not _ARXIV_DOI.match(doi):
            return doi
    return None


def arxiv_doi(fields: Mapping[str, str]) -> str | None:
    """The ``doi`` field when it is arXiv's own DOI, normalised; else ``None``."""
    doi = normalize_doi(fields.get("doi"))
    return doi if doi and _ARXIV_DOI.match(doi) else None


# ---------------------------------------------------------------------------------------------
# arXiv ids

_NEW_ID = r"(?<!\d)(\d{4}\.\d{4,5})(v\d+)?(?![\d])"
_OLD_ID = r"(?<![\w.\-])([a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2})?/\d{7})(v\d+)?(?!\d)"
_ID_ANYWHERE = LazyPattern(f"{_NEW_ID}|{_OLD_ID}", re.IGNORECASE)
_ONE_ID = re.compile(f"{_NEW_ID}|{_OLD_ID}", re.IGNORECASE)
_WHOLE_ID = re.compile(
    r"^(?:arxiv:\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/"
    r"|10\.48550/arxiv\.|https?://doi\.org/10\.48550/arxiv\.)?(?P<id>.+?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_VERSION = LazyPattern(r"v\d+$")
# "arXiv" as a word: PsyArXiv, SocArXiv and EarthArXiv are other servers.
_ARXIV_MENTION = LazyPattern(r"(?<![a-z])arxiv", re.IGNORECASE)
_MENTION_FIELDS = ("journal", "booktitle", "url", "note", "howpublished", "pdf")


def _canonical(new: str | None, old: str | None) -> str | None:
    if new:
        return new
    if old:  # the subject class (math.GT/...) is not part of the id: arXiv files it as math/...
        archive, _, number = old.partition("/")
        return f"{archive.partition('.')[0].lower()}/{number}"
    return None


def strip_arxiv_version(text: str) -> str:
    """``2507.10524v2`` -> ``2507.10524`` (only the version suffix goes)."""
    return _VERSION.sub("", text.strip())


def normalize_arxiv_id(s: str | None) -> str | None:
    """``arXiv:2507.10524v2``, ``https://arxiv.org/pdf/2507.10524.pdf``, ``hep-th/9901001v1``,
    ``math.GT/0309136`` (-> ``math/0309136``), ``10.48550/arXiv.2101.00001`` -> the id without
    version and subject class; ``None`` when ``s`` is not one id."""
    if not s:
        return None
    whole = _WHOLE_ID.match(s.strip().strip("{}").strip())
    if not whole:
        return None
    found = _ONE_ID.fullmatch(whole.group("id"))
    return _canonical(found.group(1), found.group(3)) if found else None


def _id_in(text: str, start: int = 0, end: int | None = None) -> str | None:
    found = _ID_ANYWHERE.search(text, start, len(text) if end is None else end)
    return _canonical(found.group(1), found.group(3)) if found else None


def _arxiv_in_text(text: str) -> str | None:
    """An arXiv id written after the word "arXiv" (a URL, "arXiv preprint arXiv:…", a note)."""
    for mention in _ARXIV_MENTION.finditer(text):
        found = _id_in(text, mention.end(), mention.end() + 60)
        if found:
            return found
    return None


def _arxiv_from_eprint(fields: Mapping[str, str]) -> str | None:
    """``eprint`` when it is untyped or arXiv-typed: the whole value as an id, else an id in it
    ("2101.00001 [cs.LG]")."""
    eprint = fields.get("eprint", "")
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if not eprint or kind not in ("", "arxiv"):
        return None
    return normalize_arxiv_id(eprint) or _id_in(eprint)


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
        found = _id_in(fields.get(name, ""))
        if found:
            return found
    return None


def _may_have_arxiv(fields: Mapping[str, str]) -> bool:
    """Cheap superset of what :func:`arxiv_id_from_entry` recognises (most entries have no
    arXiv id, and the full search is the slowest step of reading a large file)."""
    if "eprint" in fields or "arxivid" in fields or "arxiv" in fields:
        return True
    text = "\0".join(fields.values())  # one pass over every value; no word spans a "\0"
    low = text.lower()
    return "arxiv" in low or "corr" in low or "48550" in text


def arxiv_id_from_entry(fields: Mapping[str, str]) -> str | None:
    """The arXiv id of an entry, from (first found): ``eprint`` (arXiv-typed or untyped),
    ``arxivid``/``arxiv``, an arXiv DOI, the volume/number/pages of a CoRR or arXiv "journal",
    or an id after the word "arXiv" in
    ``journal``, ``booktitle``, ``url``, ``note``, ``howpublished`` or ``pdf``."""
    if not _may_have_arxiv(fields):
        return None
    found = (
        _arxiv_from_eprint(fields)
        or normalize_arxiv_id(fields.get("arxivid"))
        or normalize_arxiv_id(fields.get("arxiv"))
        or normalize_arxiv_id(arxiv_doi(fields))
        or _arxiv_from_journal(fields)
    )
    for name in _MENTION_FIELDS:
        found = found or _arxiv_in_text(fields.get(name, ""))
    return found


def mentions_arxiv(fields: Mapping[str, str]) -> bool:
    """True when the entry says it is on arXiv without (necessarily) giving the id: an
    arXiv-typed eprint, or "arXiv" in ``url``, ``note``, ``publisher`` or ``howpublished``."""
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if prefix:
        return prefix == "arxiv"
    return any(
        _ARXIV_MENTION.search(fields.get(f, ""))
        for f in ("url", "note", "publisher", "howpublished")
    )


# ---------------------------------------------------------------------------------------------
# Semantic Scholar ids

_S2_ID = LazyPattern(r"[0-9a-f]{40}")
_S2_URL = LazyPattern(
    r"semanticscholar\.org/(?:paper|arxiv)/(?:[^/\s]*/)?([0-9a-f]{40})\b", re.IGNORECASE
)
_S2_FIELDS = ("s2id", "s2_id", "s2paperid", "semanticscholarid", "semanticscholar")


def normalize_s2_id(text: str | None) -> str | None:
    """A Semantic Scholar paper id (40 hex digits, lower-case), bare or in a
    semanticscholar.org paper URL; ``None`` otherwise."""
    value = (text or "").strip().lower().rstrip("/")
    if _S2_ID.fullmatch(value):
        return value
    found = _S2_URL.search(value)
    return found.group(1).lower() if found else None


def s2_id_from_entry(fields: Mapping[str, str]) -> str | None:
    """The S2 paper id an entry carries: an ``s2id``-like field (as written, lower-case), else
    a semanticscholar.org paper URL in ``url``."""
    for name in _S2_FIELDS:
        value = fields.get(name, "").strip().lower()
        if value:
            return value
    url = fields.get("url", "")
    found = _S2_URL.search(url) if "semanticscholar" in url.lower() else None
    return found.group(1).lower() if found else None


def s2_ids_from_state(ids: Iterable[str]) -> list[str]:
    """The S2 paper ids among state-file identifiers (``s2:<sha>``, ``arxiv:…``, ``doi:…``)."""
    return [i[3:] for i in ids if i.startswith("s2:")]


# ---------------------------------------------------------------------------------------------
# Year

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2[01]\d\d)(?!\d)")


def year_number(text: str | None) -> int | None:
    """The first year-like number in ``text`` ("2020a", "2019-05-01", "in press" -> None)."""
    found = _YEAR.search(text or "")
    return int(found.group(1)) if found else None


def year_text(fields: Mapping[str, str]) -> str:
    """The year as written: ``year`` stripped, else the year of a biblatex ``date``; ""."""
    year = fields.get("year", "").strip()
    if year:
        return year
    found = _YEAR.search(fields.get("date", ""))
    return found.group(1) if found else ""


def year_of(fields: Mapping[str, str]) -> int | None:
    """The entry's year as a number: from ``year``, else from ``date``; ``None`` without one."""
    return year_number(fields.get("year")) or year_number(fields.get("date"))
