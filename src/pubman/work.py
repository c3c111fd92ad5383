"""One reading of an entry: :class:`Work`, what format, stats, dedup, sync and check consume.

Contract: pure, no I/O, never prints, never raises on odd field values. :func:`work_of`
derives the view once per entry (and venue table) per process and memoises it by the entry's
identity; the year is read at once, the rest (identifiers, decoded title, people, venue) on
first use and then kept. Nothing here re-reads a field another
module has read: identifiers and the year come from :mod:`pubman.identifiers`, the venue and
its kind from :func:`pubman.venues.classify`, text from :mod:`pubman.text`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TypeVar

from pubman import identifiers as ids
from pubman.model import Entry, Person
from pubman.text.names import latex_to_text, parse_names
from pubman.text.titles import normalize_title
from pubman.venues import Resolution, Venue, VenueTable, resolve

__all__ = [
    "PUBLISHED_KINDS",
    "Work",
    "crossref_parent",
    "crossref_parents",
    "with_crossref",
    "work_of",
]

_T = TypeVar("_T")

# Kinds that mean "appeared somewhere"; preprint, report and other do not.
PUBLISHED_KINDS = frozenset({"conference", "journal", "workshop", "book", "thesis"})


class Work:
    """An entry as every feature reads it.

    ``doi`` is the published DOI (never arXiv's 10.48550 one), ``arxiv`` the arXiv id without
    version, ``s2`` a Semantic Scholar paper id the entry itself carries (sync adds the ones its
    state file remembers). ``year`` is a number or ``None``; ``year_text`` the year as written.

    A plain class with slots, not a frozen dataclass: the class is created on every start-up
    (a frozen dataclass costs ~4 M instructions there) and a view per entry (a frozen
    dataclass's ``__init__`` sets each of its ten slots through ``object.__setattr__``).
    Equality is identity, as before (it was ``eq=False``). Its attributes are read-only by
    convention: what the properties derive is filled in once, by :meth:`_keep`.
    """

    __slots__ = (
        "_authors",
        "_editors",
        "_ids",
        "_resolution",
        "_title_key",
        "_title_text",
        "entry",
        "table",
        "year",
        "year_text",
    )

    # (doi, arxiv, s2), read together on first use: a list only needs them for a few entries.
    _ids: tuple[str | None, str | None, str | None] | None
    # What the properties below derive on first use, kept in slots (not a per-instance dict:
    # a 250k-entry file holds 250k views, and a dict each cost ~400 bytes more than slots).
    _title_text: str | None
    _title_key: str | None
    _authors: tuple[Person, ...] | None
    _editors: tuple[Person, ...] | None
    _resolution: Resolution | None

    def __init__(
        self, entry: Entry, year: int | None, year_text: str, table: VenueTable | None = None
    ) -> None:
        self.entry = entry
        self.year = year
        self.year_text = year_text
        self.table = table
        self._ids = self._title_text = self._title_key = None
        self._authors = self._editors = self._resolution = None

    def __repr__(self) -> str:
        return f"Work(entry={self.entry!r}, year={self.year!r}, year_text={self.year_text!r})"

    def _keep(self, name: str, value: _T) -> _T:
        setattr(self, name, value)  # filled once here; read-only to callers
        return value

    @property
    def key(self) -> str:
        return self.entry.key

    # --- identifiers ---------------------------------------------------------------------

    def _identifiers(self) -> tuple[str | None, str | None, str | None]:
        done = self._ids
        if done is None:
            fields = self.entry.fields
            found = (
                ids.doi_from_entry(fields),
                ids.arxiv_id_from_entry(fields),
                ids.s2_id_from_entry(fields),
            )
            done = self._keep("_ids", found)
        return done

    @property
    def doi(self) -> str | None:
        return self._identifiers()[0]

    @property
    def arxiv(self) -> str | None:
        return self._identifiers()[1]

    @property
    def s2(self) -> str | None:
        return self._identifiers()[2]

    @property
    def type(self) -> str:
        return self.entry.type

    # --- title forms ---------------------------------------------------------------------

    @property
    def title(self) -> str:
        """The title as written (LaTeX kept), stripped."""
        return self.entry.get("title").strip()

    @property
    def title_text(self) -> str:
        """The title as plain Unicode text."""
        done = self._title_text
        return done if done is not None else self._keep("_title_text", latex_to_text(self.title))

    @property
    def title_key(self) -> str:
        """The title in comparison form (:func:`pubman.text.titles.normalize_title`)."""
        done = self._title_key
        return done if done is not None else self._keep("_title_key", normalize_title(self.title))

    @property
    def container_title_key(self) -> str:
        """``booktitle`` in comparison form: what a proceedings volume or a book without a
        title of its own is known by."""
        return normalize_title(self.entry.get("booktitle"))

    # --- identifiers as written ----------------------------------------------------------

    @property
    def doi_written(self) -> str:
        """The ``doi`` field as written (stripped), well-formed or not; ``doi`` is the parsed one."""
        return self.entry.get("doi").strip()

    @property
    def pmid(self) -> str | None:
        """The PubMed id as written, or None."""
        return self.entry.get("pmid").strip() or None

    @property
    def eprint_other(self) -> str | None:
        """A non-arXiv e-print id as ``type:id`` (type from ``eprinttype``/``archiveprefix``,
        lower-cased; ``:id`` without one), or None (no eprint, or it is the arXiv id)."""
        eprint = self.entry.get("eprint").strip()
        if not eprint or self.arxiv:
            return None
        kind = (self.entry.get("eprinttype") or self.entry.get("archiveprefix")).strip().lower()
        return f"{kind}:{eprint.lower()}"

    # --- people --------------------------------------------------------------------------

    @property
    def authors(self) -> tuple[Person, ...]:
        """The ``author`` list parsed (``others`` kept as the last person when written)."""
        done = self._authors
        return done if done is not None else self._keep("_authors", _people(self.entry, "author"))

    @property
    def editors(self) -> tuple[Person, ...]:
        done = self._editors
        return done if done is not None else self._keep("_editors", _people(self.entry, "editor"))

    @property
    def people(self) -> tuple[Person, ...]:
        """The authors, else the editors (a book known by its editors)."""
        return self.authors or self.editors

    # --- venue and kind ------------------------------------------------------------------

    @property
    def resolution(self) -> Resolution:
        """The resolver's whole answer (:func:`pubman.venues.resolve`): the venue, whether the
        table knows it, and where its kind came from."""
        done = self._resolution
        if done is None:
            done = self._keep("_resolution", resolve(self.entry, self.table or VenueTable.load()))
        return done

    @property
    def venue(self) -> Venue:
        """The venue the resolver gives (:func:`pubman.venues.classify`)."""
        return self.resolution.venue

    @property
    def venue_text(self) -> str:
        """The venue as written, LaTeX kept: ``journal``, else ``booktitle`` (``""`` without
        either), for the features that compare its words, not the resolver's answer."""
        return self.entry.get("journal") or self.entry.get("booktitle")

    @property
    def kind(self) -> str:
        return self.venue.kind

    @property
    def is_preprint(self) -> bool:
        return self.venue.kind == "preprint"

    @property
    def is_arxiv_preprint(self) -> bool:
        """An arXiv preprint: the resolver says arXiv (a CoRR journal, an arXiv note...)."""
        return self.is_preprint and self.venue.short.lower() == "arxiv"

    @property
    def is_thesis(self) -> bool:
        return self.venue.kind == "thesis"

    @property
    def is_report(self) -> bool:
        return self.venue.kind == "report"

    @property
    def is_published(self) -> bool:
        """Appeared at a named venue of a published kind (not a preprint, report or other)."""
        return self.venue.kind in PUBLISHED_KINDS and bool(self.venue.short)


def _people(entry: Entry, name: str) -> tuple[Person, ...]:
    value = entry.get(name)
    return tuple(parse_names(value)) if value.strip() else ()


_NOT_INHERITED = frozenset(
    {"crossref", "key", "title", "doi", "eprint", "eprinttype", "archiveprefix", "arxivid"}
    | {"url", "pmid"}
)


def crossref_parent(entry: Entry, parents: Mapping[str, Entry]) -> Entry | None:
    """The entry ``entry``'s ``crossref`` names, from :func:`crossref_parents` (never itself)."""
    ref = entry.get("crossref").strip().lower()
    return parents.get(ref) if ref and ref != entry.key.lower() else None


def crossref_parents(entries: Iterable[Entry]) -> dict[str, Entry]:
    """The entries another entry's ``crossref`` names, by lower-case key (BibTeX matches keys
    without regard to case). Only those: most files have none, and a table of every key would
    cost memory per entry."""
    listed = entries if isinstance(entries, Sequence) else list(entries)
    refs = {r for e in listed if (r := e.get("crossref").strip().lower())}
    if not refs:
        return {}
    return {k: e for e in listed if (k := e.key.lower()) in refs}


def with_crossref(
    entry: Entry, parent: Entry | None, names: Collection[str] | None = None
) -> Entry:
    """``entry`` with the fields it inherits from its ``crossref`` target ``parent``, as BibTeX
    does: a field the entry lacks comes from the parent (``names`` limits which). The parent's
    ``title`` is never the entry's title, but stands in for a ``booktitle`` the parent lacks;
    the parent's identifiers (DOI, e-print, URL, PubMed id) name the volume, never the entry.
    No parent: ``entry`` itself."""
    if parent is None:
        return entry
    inherited = {
        k: v
        for k, v in parent.fields.items()
        if v and k not in _NOT_INHERITED and (names is None or k in names)
    }
    if parent.get("title") and not parent.get("booktitle"):
        inherited["booktitle"] = parent.get("title")
    return entry._replace(fields={**inherited, **entry.fields})


# By the entry's id; a hit is checked against the view's own entry and table (which the view
# keeps alive, so the id cannot be reused while it is here). One view per entry: reading the
# same entry with another table replaces it. Plain ids and views only, no tuples: this memo
# holds a view for every entry of the file.
_MEMO: dict[int, Work] = {}
_MEMO_LIMIT = 1 << 17


def derive(
    entry: Entry, table: VenueTable | None = None, resolution: Resolution | None = None
) -> Work:
    """The view of ``entry``, computed afresh (see :func:`work_of` for the memoised one);
    ``resolution``: what :func:`pubman.venues.resolve` already said for ``entry`` and
    ``table``, kept instead of asking it again."""
    fields = entry.fields
    work = Work(entry, year=ids.year_of(fields), year_text=ids.year_text(fields), table=table)
    if resolution is not None:
        work._keep("_resolution", resolution)
    return work


def work_of(entry: Entry, table: VenueTable | None = None) -> Work:
    """The view of ``entry`` read with ``table`` (the shipped venue table when ``None``),
    derived once per process: the same entry object gives the same :class:`Work`."""
    hit = _MEMO.get(id(entry))
    if hit is not None and hit.entry is entry and hit.table is table:
        return hit
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    work = _MEMO[id(entry)] = derive(entry, table)
    return work
