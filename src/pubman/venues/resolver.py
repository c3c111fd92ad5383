"""The venue and kind of an entry: :func:`resolve` (with where the answer came from),
:func:`classify` (the venue only) and :func:`unresolved` (what the table does not know).

Contract: pure functions over :class:`~pubman.model.Entry` and a
:class:`~pubman.venues.table.VenueTable`; no I/O, never prints, never raises on odd fields.
Known strings come from the table; an arXiv-only entry is ``arXiv`` (preprint); an unknown
string gives a Venue named by the cleaned string, of a kind its words or the entry type say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from pubman.identifiers import arxiv_id_from_entry, mentions_arxiv
from pubman.model import Entry
from pubman.text.pattern import LazyPattern
from pubman.venues.keys import MEETING_RE, WORKSHOP_RE, clean_venue, decode, has_letters
from pubman.venues.spec import Venue
from pubman.venues.table import VenueTable, host_workshop

__all__ = ["Resolution", "classify", "resolve", "unresolved"]

_KIND_BY_TYPE = {
    "article": "journal",
    "inproceedings": "conference",
    "conference": "conference",
    "proceedings": "conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "book": "book",
    "inbook": "book",
    "incollection": "book",
}
_FIELDS_BY_TYPE = {
    "article": ("journal", "journaltitle", "booktitle"),
    "inproceedings": ("booktitle", "eventtitle", "journal", "series"),
    "incollection": ("booktitle", "series", "journal"),
    "inbook": ("booktitle", "series", "publisher"),
    "book": ("series", "publisher"),
    "proceedings": ("booktitle", "title", "eventtitle", "series"),
    "phdthesis": ("school", "institution"),
    "techreport": ("institution", "school"),
}
for _alias, _base in (
    ("conference", "inproceedings"),
    ("mastersthesis", "phdthesis"),
    ("thesis", "phdthesis"),
    ("report", "techreport"),
):
    _FIELDS_BY_TYPE[_alias] = _FIELDS_BY_TYPE[_base]
_MISC_FIELDS = ("journal", "journaltitle", "booktitle", "howpublished")
# Not BibTeX, but hand-kept CV files use them for the venue of @misc/@article entries.
_CUSTOM_FIELDS = ("venue", "_venue")
_TECHREPORT_RE = LazyPattern(
    r"^(?:technical\s+report|tech\.?\s+rep(?:ort)?\.?)\b[^,]*,\s*", re.IGNORECASE
)
# A note that starts by naming a workshop says the paper is in that workshop of the booktitle's
# conference; "Also presented at the ... Workshop" and award notes do not start this way.
_NOTE_WORKSHOP_RE = re.compile(r"^\s*(?:in\s+)?(?:the\s+)?workshops?\b", re.IGNORECASE)
_ARXIV = Venue(short="arXiv", kind="preprint", name="arXiv", display="arXiv")


def _is_arxiv(entry: Entry) -> bool:
    """True when the entry carries arXiv evidence: an arXiv id in any form
    (:func:`pubman.identifiers.arxiv_id_from_entry`), or an arXiv-typed eprint or an arXiv URL
    or note without one (:func:`pubman.identifiers.mentions_arxiv`)."""
    return arxiv_id_from_entry(entry.fields) is not None or mentions_arxiv(entry.fields)


class Resolution(NamedTuple):
    """What :func:`resolve` knows: the ``venue``; ``known`` when it came from the table (or
    is arXiv); ``kind_from`` says where the kind came from: ``"table"``, ``"words"`` (an
    unknown string that says Conference, Journal...) or ``"type"`` (only the entry type)."""

    venue: Venue
    known: bool
    kind_from: str


def classify(entry: Entry, table: VenueTable) -> Venue:
    """The venue of ``entry`` (see :func:`resolve`)."""
    return resolve(entry, table).venue


def resolve(entry: Entry, table: VenueTable) -> Resolution:
    """The venue of ``entry``: known -> from ``table``; arXiv-only -> ``arXiv`` (preprint);
    otherwise a Venue named by the cleaned field, of a kind derived from the entry type.
    An entry with no venue field at all gives a Venue with an empty short name."""
    etype = entry.type.lower()
    default_kind = _KIND_BY_TYPE.get(etype, "other")
    journal = entry.get("journal") + entry.get("journaltitle")
    if etype == "article" and not has_letters(journal) and has_letters(entry.get("booktitle")):
        default_kind = "conference"  # a conference paper filed as @article
    fields = _FIELDS_BY_TYPE.get(etype, _MISC_FIELDS)
    if default_kind not in ("thesis", "report"):
        fields += _CUSTOM_FIELDS
    texts = [t for t in (entry.get(f).strip() for f in fields) if has_letters(t)]
    if not texts:
        if _is_arxiv(entry):
            return Resolution(table.get("arXiv") or _ARXIV, True, "table")
        return Resolution(Venue(short="", kind=default_kind, name="", display=""), False, "type")
    note = entry.get("note")
    # The answer is a function of these and the table alone: files repeat venue strings, so
    # most entries are answered from the memo (which also shares one answer among them).
    key = (default_kind, note if "orkshop" in note else "", *texts)
    memo = _memo(table)
    done = memo.get(key)
    if done is None:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        done = memo[key] = _resolve_texts(default_kind, key[1], texts, table)
    return done


# One table's answers by (default kind, workshop note, venue texts); a new table replaces them.
_MEMO_LIMIT = 1 << 16
_MEMO: dict[tuple[str, ...], Resolution] = {}
_MEMO_OF: list[VenueTable | None] = [None]


def _memo(table: VenueTable) -> dict[tuple[str, ...], Resolution]:
    if _MEMO_OF[0] is not table:
        _MEMO.clear()
        _MEMO_OF[0] = table
    return _MEMO


def _resolve_texts(default_kind: str, note: str, texts: list[str], table: VenueTable) -> Resolution:
    """:func:`resolve` for an entry whose venue fields say ``texts`` (not empty)."""
    if default_kind not in ("thesis", "report"):
        # A later field that names where the paper appeared beats an arXiv "journal" ("arXiv
        # preprint arXiv:2203.06832" beside the CV's own venue = {NeurIPS}).
        known = [v for v in map(table.lookup, texts) if v is not None]
        if known:
            venue = next((v for v in known if v.kind != "preprint"), known[0])
            note = decode(note) if note else ""
            if venue.kind == "conference" and _NOTE_WORKSHOP_RE.match(note):
                venue = host_workshop(venue, clean_venue(note))  # note = {Workshop on ...}
            return Resolution(venue, True, "table")
    cleaned = clean_venue(texts[0]) or texts[0]
    if default_kind == "report":  # "Technical Report CMU-CS-16-118, CMU SCS" -> "CMU SCS"
        cleaned = _TECHREPORT_RE.sub("", cleaned) or cleaned
    kind, kind_from = _kind_of_unknown(default_kind, decode(texts[0]))
    return Resolution(
        Venue(short=cleaned, kind=kind, name=cleaned, display=cleaned), False, kind_from
    )


_PREPRINT_WORDS_RE = LazyPattern(
    r"^\s*(?:preprint|e-?print|submitted|under review)\b", re.IGNORECASE
)
_THESIS_WORDS_RE = LazyPattern(
    r"^\s*(?:(?:ph\.?\s?d\.?|doctoral|master'?s?|m\.?sc?\.?)\s+)?(?:thesis|dissertation)\b",
    re.IGNORECASE,
)
_REPORT_WORDS_RE = LazyPattern(r"^\s*tech(?:nical|\.)?\s*rep(?:ort|\.)?\b", re.IGNORECASE)
_JOURNAL_WORDS_RE = LazyPattern(
    r"\b(?:journal|transactions|letters|review|magazine)\b", re.IGNORECASE
)


def _kind_of_unknown(default_kind: str, text: str) -> tuple[str, str]:
    """(kind, where it came from) for a venue string the table does not know: the words of a
    paper venue say workshop, conference or journal; a string that is only "Preprint" says
    preprint; otherwise the entry type decides."""
    if default_kind in ("thesis", "report"):
        return default_kind, "type"
    if _PREPRINT_WORDS_RE.match(text):
        return "preprint", "words"
    if _THESIS_WORDS_RE.match(text):  # journal = {PhD Thesis, MIT}
        return "thesis", "words"
    if _REPORT_WORDS_RE.match(text):
        return "report", "words"
    if default_kind not in ("conference", "journal", "other", "book"):
        return default_kind, "type"
    if WORKSHOP_RE.search(text):
        return "workshop", "words"
    if MEETING_RE.search(text):  # "Proceedings of the Royal Society" is a journal
        if not _JOURNAL_WORDS_RE.search(text) and default_kind != "book":
            return "conference", "words"
    elif _JOURNAL_WORDS_RE.search(text) and default_kind in ("journal", "other"):
        return "journal", "words"
    return default_kind, "type"


def unresolved(entries: Iterable[Entry], table: VenueTable) -> list[tuple[str, int, int]]:
    """Venue strings of paper-like entries that ``table`` does not know, as (cleaned string,
    number of entries, line of the first), most frequent first: what a user may add under
    ``[venues]`` in pubman.toml. Theses, reports and entries without a venue are left out."""
    found: dict[str, list[int]] = {}
    for entry in entries:
        answer = resolve(entry, table)
        if answer.known or not answer.venue.short or answer.venue.kind in ("thesis", "report"):
            continue
        found.setdefault(answer.venue.short, []).append(entry.line)
    rows = [(text, len(lines), min(lines)) for text, lines in found.items()]
    return sorted(rows, key=lambda row: (-row[1], row[2]))
