"""Entries prepared once for duplicate detection (for :mod:`pubman.dedup.groups`).

Contract: pure functions, no I/O, never prints, never raises on odd field values. A
:class:`Record` holds an entry's comparison forms: normalised title and its words, year,
identifiers (DOI, arXiv id without version, Semantic Scholar id, PubMed id, other e-print ids);
authors are parsed lazily, since parsing names is the expensive step and only candidate pairs
need it. A ``crossref`` parent lends its year and venue, as in BibTeX. Identifiers, year,
title and venue come from the entry's :class:`pubman.work.Work` view (``Record.work``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pubman.identifiers import is_arxiv_doi
from pubman.model import Entry
from pubman.text.names import fold, parse_names
from pubman.text.titles import normalize_title
from pubman.work import Work, work_of

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
# A status, not a venue: the resolver names preprint servers, these say "not out yet".
_UNPUBLISHED_STATUS = re.compile(r"preprint|submitted|under review|in preparation|to appear")
NOT_WORD = re.compile(r"[\W_]+")
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
    work: Work | None = field(default=None, repr=False)
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
    """:func:`pubman.text.titles.normalize_title` (kept under this name for callers)."""
    return normalize_title(raw)


_INHERITED = ("year", "booktitle", "publisher", "address", "month", "series", "organization")


def make_record(index: int, entry: Entry, parent: Entry | None = None) -> Record:
    """Prepare ``entry``; ``parent`` is its ``crossref`` target, whose year and venue it
    inherits for comparison (BibTeX's own rule), the proceedings' title as ``booktitle``."""
    if parent is not None:
        inherited = {name: parent.get(name) for name in _INHERITED if parent.get(name)}
        if parent.get("title") and not parent.get("booktitle"):
            inherited["booktitle"] = parent.get("title")
        entry = Entry(entry.key, entry.type, {**inherited, **entry.fields}, entry.line)
    work = work_of(entry)
    title = work.title_key
    if not title and entry.type in ("proceedings", "book"):
        title = title_key(entry.get("booktitle", ""))
    words = title.split()
    tokens = frozenset(w for w in words if w not in STOPWORDS) or frozenset(words)
    stems = frozenset(t[:4] for t in tokens)
    return Record(index, entry, title, tokens, stems, work.year, identifiers(work), work)


def identifiers(work: Work) -> dict[str, str]:
    """Identifiers of an entry by kind (see :data:`ID_NAMES`): the :class:`Work`'s DOI, arXiv
    and S2 ids, plus the PubMed id and any other e-print id as written."""
    fields = work.entry.fields
    ids: dict[str, str] = {}
    doi = work.doi
    raw_doi = fields.get("doi", "").strip()
    if doi is None and raw_doi and not is_arxiv_doi(raw_doi):
        doi = " ".join(raw_doi.lower().split())  # not a well-formed DOI: compare as written
    if doi:
        ids["doi"] = doi
    if work.arxiv:
        ids["arxiv"] = work.arxiv.lower()
    if work.s2:
        ids["s2"] = work.s2
    if fields.get("pmid", "").strip():
        ids["pmid"] = fields["pmid"].strip()
    eprint = fields.get("eprint", "").strip()
    if eprint and not work.arxiv:
        kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
        ids["eprint"] = f"{kind}:{eprint.lower()}"
    return ids


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
    """A version that may precede its publication: a misc-like type, report or thesis; an
    entry the venue resolver calls a preprint (arXiv, CoRR, bioRxiv..., or no venue but an
    arXiv id); or a venue field that gives a status ("submitted", "to appear")."""
    if r.type in _PREPRINT_TYPES:
        return True
    work = r.work or work_of(r.entry)
    if work.is_preprint:
        return True
    venue = fold(r.entry.get("journal") or r.entry.get("booktitle"))
    return bool(_UNPUBLISHED_STATUS.search(venue))


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
