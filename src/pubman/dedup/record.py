"""Entries prepared once for duplicate detection (for :mod:`pubman.dedup.groups`).

Contract: pure functions, no I/O, never prints, never raises on odd field values. A
:class:`Record` holds an entry's comparison forms: normalised title and its words, year,
identifiers (DOI, arXiv id without version, Semantic Scholar id, PubMed id, other e-print ids);
authors are parsed lazily, since parsing names is the expensive step and only candidate pairs
need it. A ``crossref`` parent lends its year and venue, as in BibTeX
(:func:`pubman.work.with_crossref`). Everything here is read from the entry's
:class:`pubman.work.Work` view (``Record.work``): identifiers, year, title forms, people and
venue; what is dedup's own (title tokens, the surname/initial form of people, the identifier
map) is derived from it, never from the raw fields.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from pubman.identifiers import is_arxiv_doi
from pubman.model import Entry
from pubman.model import Person as Name
from pubman.text.names import fold
from pubman.text.titles import normalize_title
from pubman.work import Work, with_crossref, work_of

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


@dataclass(eq=False, slots=True)
class Record:
    """An entry prepared for comparison: its :class:`Work` view and dedup's forms of it.

    Compact, because dedup holds one per entry: ``tokens`` are the title's distinct content
    words (all its words when every one is a stop word) as one shared string per word, and
    the stems are derived from them when asked for."""

    index: int
    work: Work = field(repr=False)
    title: str
    tokens: tuple[str, ...]
    ids: Mapping[str, str]
    _people: tuple[Person, ...] | None = field(default=None, repr=False)

    @property
    def stems(self) -> frozenset[str]:
        """The first four letters of each title word."""
        return frozenset([t[:4] for t in self.tokens])

    @property
    def entry(self) -> Entry:
        return self.work.entry

    @property
    def key(self) -> str:
        return self.work.key

    @property
    def type(self) -> str:
        return self.work.type

    @property
    def year(self) -> int | None:
        return self.work.year

    @property
    def people(self) -> tuple[Person, ...]:
        """The work's people (authors, else editors) as surnames and an initial."""
        if self._people is None:
            self._people = _people(self.work.people)
        return self._people


def title_key(raw: str) -> str:
    """:func:`pubman.text.titles.normalize_title` (kept under this name for callers)."""
    return normalize_title(raw)


_INHERITED = ("year", "booktitle", "publisher", "address", "month", "series", "organization")


def make_record(index: int, entry: Entry, parent: Entry | None = None) -> Record:
    """Prepare ``entry``; ``parent`` is its ``crossref`` target, whose year and venue it
    inherits for comparison (BibTeX's own rule), the proceedings' title as ``booktitle``."""
    work = work_of(with_crossref(entry, parent, _INHERITED))
    title = work.title_key
    if not title and work.type in ("proceedings", "book"):
        title = work.container_title_key
    words = title.split()
    content = [w for w in words if w not in STOPWORDS] or words
    tokens = tuple(dict.fromkeys(map(sys.intern, content)))
    return Record(index, work, title, tokens, identifiers(work) or _NO_IDS)


_NO_IDS: Mapping[str, str] = MappingProxyType({})


def identifiers(work: Work) -> dict[str, str]:
    """Identifiers of an entry by kind (see :data:`ID_NAMES`): the :class:`Work`'s DOI, arXiv
    and S2 ids, PubMed id and other e-print id; a DOI field that is not a well-formed DOI (nor
    arXiv's) is compared as written."""
    ids: dict[str, str] = {}
    fields = work.entry.fields  # a field that is absent reads as "": skip asking for it
    doi = work.doi
    if doi is None and "doi" in fields:
        written = work.doi_written
        if written and not is_arxiv_doi(written):
            doi = " ".join(written.lower().split())
    if doi:
        ids["doi"] = doi
    if work.arxiv:
        ids["arxiv"] = work.arxiv.lower()
    if work.s2:
        ids["s2"] = work.s2
    if "pmid" in fields and work.pmid:
        ids["pmid"] = work.pmid
    if "eprint" in fields and work.eprint_other:
        ids["eprint"] = work.eprint_other
    return ids


def _people(names: tuple[Name, ...]) -> tuple[Person, ...]:
    return tuple(p for p in map(_person, names) if p is not None)


@lru_cache(maxsize=1 << 16)  # one author is on many entries, often written the same way
def _person(p: Name) -> Person | None:
    """The surname/initial form of one name; None for nobody (empty, "others", anonymous)."""
    if not p.last or p.is_others or fold(p.last) in _NOBODY:
        return None
    last, first = p.last, p.first
    bare = last.replace(".", "")
    if first and len(bare) <= 3 and bare.isupper() and bare.isalpha():
        last, first = first, last  # "Smith JA": surname first, initials parsed as last
    folded = fold(f"{p.von} {last}")
    words = [w for w in re.split(r"[\s\-']+", folded) if w]
    surnames = frozenset({folded.replace("-", " ")} | set(words[-1:]))
    given = fold(first)
    return Person(surnames, next((c for c in given if c.isalpha()), ""))


def is_preprint(r: Record) -> bool:
    """A version that may precede its publication: a misc-like type, report or thesis; an
    entry the venue resolver calls a preprint (arXiv, CoRR, bioRxiv..., or no venue but an
    arXiv id); or a venue field that gives a status ("submitted", "to appear")."""
    if r.type in _PREPRINT_TYPES or r.work.is_preprint:
        return True
    return _gives_status(r.work.venue_text)


@lru_cache(maxsize=4096)  # a file has few venue texts, and folding one may decode LaTeX
def _gives_status(venue_text: str) -> bool:
    return bool(_UNPUBLISHED_STATUS.search(fold(venue_text)))


def plain_text(value: str) -> str:
    return " ".join(NOT_WORD.sub(" ", fold(value)).split())


def venue(r: Record) -> str:
    """The venue's words as written (``publisher`` when there is no venue field)."""
    return plain_text(r.work.venue_text or r.entry.get("publisher"))


def first_page(r: Record) -> str:
    found = FIRST_NUMBER.search(r.entry.get("pages"))
    return found.group() if found else ""


def content_key(entry: Entry) -> str:
    """The whole entry as one string (type and fields, whitespace collapsed)."""
    return repr((entry.type, sorted(plain_fields(entry.fields).items())))


def plain_fields(fields: Mapping[str, str]) -> dict[str, str]:
    return {k: " ".join(v.split()) for k, v in fields.items() if v.strip()}
