"""Entries prepared once for duplicate detection (for :mod:`pubman.dedup.groups`).

Contract: pure functions, no I/O, never prints, never raises on odd field values. A
:class:`Record` holds an entry's comparison forms: normalised title and its words, year,
identifiers (DOI, arXiv id without version, Semantic Scholar id, PubMed id, other e-print ids);
authors are parsed lazily, since parsing names is the expensive step and only candidate pairs
need it. A ``crossref`` parent lends its year and venue, as in BibTeX.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pubman.matching import arxiv_id_from_entry, doi_from_entry, normalize_title
from pubman.model import Entry
from pubman.text.names import fold, latex_to_text, parse_names

ID_NAMES = ("doi", "arxiv", "s2", "pmid", "eprint")
ID_LABELS = {
    "doi": "DOI",
    "arxiv": "arXiv id",
    "s2": "Semantic Scholar id",
    "pmid": "PubMed id",
    "eprint": "e-print id",
}
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "towards",
        "toward",
        "via",
        "with",
        "using",
    ]
)
_PREPRINT_TYPES = frozenset(
    [
        "misc",
        "unpublished",
        "techreport",
        "report",
        "phdthesis",
        "mastersthesis",
        "thesis",
        "online",
        "preprint",
        "electronic",
        "www",
    ]
)
_PREPRINT_VENUE = re.compile(
    r"arxiv|\bcorr\b|preprint|biorxiv|medrxiv|ssrn|submitted|"
    r"under review|in preparation|to appear"
)
_S2_URL = re.compile(
    r"semanticscholar\.org/(?:paper|arxiv)/(?:[^/\s]*/)?([0-9a-f]{40})\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(1[5-9]\d\d|2[01]\d\d)\b")
NOT_WORD = re.compile(r"[\W_]+")
_TEX_LEFTOVER = str.maketrans({"{": None, "}": None, "\\": None, "$": None, "~": " "})
FIRST_NUMBER = re.compile(r"\d+")
_NOBODY = frozenset({"anonymous", "anon", "anon.", "unknown", "n.n.", "nn"})


@dataclass(frozen=True)
class Person:
    surnames: frozenset[str]
    initial: str


@dataclass(eq=False)
class Record:
    """An entry prepared for comparison."""

    index: int
    entry: Entry
    title: str
    tokens: frozenset[str]
    stems: frozenset[str]
    year: int | None
    ids: dict[str, str]
    _people: tuple[Person, ...] | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def type(self) -> str:
        return self.entry.type

    @property
    def people(self) -> tuple[Person, ...]:
        if self._people is None:
            self._people = _people(self.entry.get("author") or self.entry.get("editor"))
        return self._people


def title_key(raw: str) -> str:
    """:func:`pubman.matching.normalize_title`, with a fast path for titles that decode to
    ASCII (the same result, without Unicode normalisation; the benchmark spends most of its
    normalising time there)."""
    text = latex_to_text(raw)
    if not text.isascii():
        return normalize_title(raw)
    return " ".join(NOT_WORD.sub(" ", text.lower().translate(_TEX_LEFTOVER)).split())


_INHERITED = ("year", "booktitle", "publisher", "address", "month", "series", "organization")


def make_record(index: int, entry: Entry, parent: Entry | None = None) -> Record:
    """Prepare ``entry``; ``parent`` is its ``crossref`` target, whose year and venue it
    inherits for comparison (BibTeX's own rule), the proceedings' title as ``booktitle``."""
    if parent is not None:
        inherited = {name: parent.get(name) for name in _INHERITED if parent.get(name)}
        if parent.get("title") and not parent.get("booktitle"):
            inherited["booktitle"] = parent.get("title")
        entry = Entry(entry.key, entry.type, {**inherited, **entry.fields}, entry.line)
    title = title_key(
        entry.get("title") or entry.get("booktitle", "")
        if entry.type in ("proceedings", "book")
        else entry.get("title")
    )
    words = title.split()
    tokens = frozenset(w for w in words if w not in STOPWORDS) or frozenset(words)
    found = _YEAR.search(entry.get("year") or entry.get("date"))
    stems = frozenset(t[:4] for t in tokens)
    return Record(
        index,
        entry,
        title,
        tokens,
        stems,
        int(found.group(1)) if found else None,
        identifiers(entry.fields),
    )


def identifiers(fields: Mapping[str, str]) -> dict[str, str]:
    """Normalised identifiers of an entry, by kind (see :data:`ID_NAMES`)."""
    ids: dict[str, str] = {}
    doi = doi_from_entry(fields)
    raw_doi = fields.get("doi", "").strip()
    if doi is None and raw_doi and "10.48550/" not in raw_doi.lower():
        doi = " ".join(raw_doi.lower().split())  # not a well-formed DOI: compare as written
    if doi:
        ids["doi"] = doi
    arxiv = arxiv_id_from_entry(fields) if _may_have_arxiv(fields) else None
    if arxiv:
        ids["arxiv"] = arxiv.lower()
    for name in ("s2id", "s2_id", "s2paperid", "semanticscholarid", "semanticscholar"):
        value = fields.get(name, "").strip().lower()
        if value:
            ids["s2"] = value
            break
    found = _S2_URL.search(fields.get("url", ""))
    if "s2" not in ids and found:
        ids["s2"] = found.group(1).lower()
    if fields.get("pmid", "").strip():
        ids["pmid"] = fields["pmid"].strip()
    eprint = fields.get("eprint", "").strip()
    if eprint and not arxiv:
        kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
        ids["eprint"] = f"{kind}:{eprint.lower()}"
    return ids


def _may_have_arxiv(fields: Mapping[str, str]) -> bool:
    """Cheap superset of what :func:`arxiv_id_from_entry` recognises (it is the slowest step
    of normalising a large file, and most entries have no arXiv id)."""
    if "eprint" in fields or "arxivid" in fields or "arxiv" in fields:
        return True
    text = "\n".join(fields.values()).lower()
    return "arxiv" in text or "corr" in text or "48550" in text


def _people(value: str) -> tuple[Person, ...]:
    out = []
    for p in parse_names(value) if value.strip() else []:
        if not p.last or p.is_others or fold(p.last) in _NOBODY:
            continue
        last, first = p.last, p.first
        bare = last.replace(".", "")
        if first and len(bare) <= 3 and bare.isupper() and bare.isalpha():
            last, first = first, last  # "Smith JA": surname first, initials parsed as last
        folded = fold(f"{p.von} {last}")
        words = [w for w in re.split(r"[\s\-']+", folded) if w]
        surnames = frozenset({folded.replace("-", " ")} | set(words[-1:]))
        given = fold(first)
        out.append(Person(surnames, next((c for c in given if c.isalpha()), "")))
    return tuple(out)


def is_preprint(r: Record) -> bool:
    """A version that may precede its publication: arXiv, report, thesis, misc..."""
    if r.type in _PREPRINT_TYPES:
        return True
    venue = fold(r.entry.get("journal") or r.entry.get("booktitle"))
    return bool(_PREPRINT_VENUE.search(venue)) or ("arxiv" in r.ids and not venue)


def plain_text(value: str) -> str:
    return " ".join(NOT_WORD.sub(" ", fold(value)).split())


def venue(r: Record) -> str:
    return plain_text(
        r.entry.get("journal") or r.entry.get("booktitle") or r.entry.get("publisher")
    )


def first_page(r: Record) -> str:
    found = FIRST_NUMBER.search(r.entry.get("pages"))
    return found.group() if found else ""


def content_key(entry: Entry) -> str:
    """The whole entry as one string (type and fields, whitespace collapsed)."""
    return repr((entry.type, sorted(plain_fields(entry.fields).items())))


def plain_fields(fields: Mapping[str, str]) -> dict[str, str]:
    return {k: " ".join(v.split()) for k, v in fields.items() if v.strip()}
