"""What sort of work a record is and where it appeared, for :mod:`pubman.dedup.judge`, read
from the one venue resolver (:func:`pubman.venues.resolve`).

Contract: pure functions over :class:`~pubman.dedup.record.Record`, no I/O, never prints. The
resolver's answer is the record's :class:`~pubman.work.Work` view's, computed once per entry. Two venues differ only when the resolver says
so: two table venues with different names, or two kinds that the venue strings themselves (or
``@inproceedings``) state; a string the table does not know never makes a difference by its
wording. A paper and a thesis, report, book chapter or talk are different works.
"""

from __future__ import annotations

import re

from pubman.dedup.record import Record, venue
from pubman.venues import Resolution

__all__ = ["kind_guard", "resolution", "same_venue", "venues_differ", "work_kind"]

_PAPER_KINDS = frozenset({"conference", "journal", "workshop"})


def resolution(r: Record) -> Resolution:
    """The venue resolver's answer for ``r`` (:attr:`pubman.work.Work.resolution`)."""
    return r.work.resolution


def venues_differ(a: Record, b: Record) -> bool:
    """Two published versions at different venues, by the resolver only: two table venues with
    different names, or two kinds (conference, journal, workshop) that the venue strings say.
    A string the resolver does not know never makes a difference by its wording."""
    ra, rb = resolution(a), resolution(b)
    if ra.known and rb.known:
        return ra.venue.short != rb.venue.short
    if not (_kind_evidence(a, ra) and _kind_evidence(b, rb)):
        return False
    kinds = {ra.venue.kind, rb.venue.kind}
    return len(kinds) == 2 and kinds <= _PAPER_KINDS


def same_venue(a: Record, b: Record) -> bool:
    """One container: two strings the resolver maps to one table venue, or the same string
    (for the guards that compare pages, issues and volumes within one venue)."""
    ra, rb = resolution(a), resolution(b)
    if ra.known and rb.known:
        return ra.venue.short == rb.venue.short
    return venue(a) == venue(b)


def _kind_evidence(r: Record, found: Resolution) -> bool:
    """The kind is said by the venue (table or words), or by @inproceedings, which exporters
    do not use for journal articles (while @article is often a conference paper)."""
    return found.kind_from != "type" or r.type in ("inproceedings", "conference")


_TALK_RE = re.compile(r"\b(?:talk|keynote|presentation|slides|lecture|seminar)\b", re.IGNORECASE)
# An incollection's booktitle that is a book, not a proceedings volume; or a chapter number.
_BOOK_RE = re.compile(
    r"\b(?:handbook|encyclop\w*|companion|textbook|essays|readings|volume in honou?r)\b",
    re.IGNORECASE,
)
_WORK_LABELS = {
    "thesis": "a thesis",
    "report": "a technical report",
    "chapter": "a book chapter",
    "talk": "a talk",
}


def work_kind(r: Record) -> str | None:
    """What sort of work ``r`` is, where it matters for dedup: ``paper`` (a conference,
    journal or workshop paper by the resolver's kind), ``thesis``, ``report``, ``chapter``
    (a chapter of a book that is not a proceedings volume), ``talk``; None otherwise
    (preprints, books, misc)."""
    if r.type in ("phdthesis", "mastersthesis", "thesis"):
        return "thesis"
    if r.type in ("techreport", "report"):
        return "report"
    kind = resolution(r).venue.kind
    if r.type in ("incollection", "inbook"):
        if kind in _PAPER_KINDS:
            return "paper"
        book = _BOOK_RE.search(resolution(r).venue.name) or r.entry.get("chapter").strip()
        return "chapter" if kind == "book" and book else None
    if r.type in ("misc", "unpublished", "online"):
        what = " ".join(r.entry.get(f) for f in ("howpublished", "type", "note"))
        return "talk" if _TALK_RE.search(what) else None
    if r.type in ("article", "inproceedings", "conference"):
        return "paper" if kind in _PAPER_KINDS else None
    return None


def kind_guard(a: Record, b: Record) -> str | None:
    """A paper and a thesis, report, book chapter or talk of the same title are two works
    (only a shared identifier, checked before this, says otherwise)."""
    kinds = {work_kind(a), work_kind(b)}
    other = next((k for k in kinds if k in _WORK_LABELS), None)
    if "paper" in kinds and other:
        return f"a paper and {_WORK_LABELS[other]} of the same title are different works"
    return None
