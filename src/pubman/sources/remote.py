"""The record every remote source produces: one paper as Semantic Scholar or arXiv describes it.

Plain frozen data, stdlib only, no I/O. Text fields are '' when the source gives nothing;
identifiers, year and counts are ``None`` then. Identifiers are normalised so records from
different sources compare directly: ``doi`` is never the 10.48550 arXiv DOI (that is what
``arxiv_id`` is for) and ``arxiv_id`` carries no version suffix.
"""

from __future__ import annotations

from dataclasses import dataclass

VENUE_KINDS = ("conference", "journal", "preprint", "")


@dataclass(frozen=True)
class RemotePaper:
    """One paper from a remote source.

    ``authors`` are full names as the source gives them, in order; ``author_ids`` runs parallel
    to it (Semantic Scholar author ids, ``None`` where unknown; empty for arXiv).
    ``venue`` is the full name of the publication venue ('' for none or for arXiv itself) and
    ``venue_kind`` one of :data:`VENUE_KINDS`. ``publication_date`` is ``YYYY-MM-DD`` or ''.
    ``primary_category``, ``journal_ref`` and ``comment`` come from arXiv only.
    ``external_ids`` keeps every identifier the source listed as sorted (name, value) pairs.
    """

    source: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str = ""
    venue_kind: str = ""
    doi: str | None = None
    arxiv_id: str | None = None
    s2_id: str | None = None
    url: str = ""
    pages: str = ""
    volume: str = ""
    publication_date: str = ""
    citation_count: int | None = None
    primary_category: str = ""
    journal_ref: str = ""
    abstract: str = ""
    comment: str = ""
    author_ids: tuple[str | None, ...] = ()
    publication_types: tuple[str, ...] = ()
    external_ids: tuple[tuple[str, str], ...] = ()


def collapse(text: str | None) -> str:
    """Collapse every whitespace run to one space and strip; ``None`` gives ''."""
    return " ".join(text.split()) if text else ""
