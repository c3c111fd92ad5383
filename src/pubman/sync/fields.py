"""Remote papers as BibTeX: one :class:`RemoteWork` per paper (Semantic Scholar and arXiv merged),
its field values written the way the file writes them, and value comparison.

Contract: pure functions over data, no I/O, never prints. Values returned are BibTeX content
(what goes between the braces): ``& % $ # _`` escaped in text fields, words with inner capitals
brace-protected in titles (``{LoRA}``), Unicode kept, pages with ``--``. URLs and DOIs are raw.

Which source wins: title, venue, year of the published version, pages, volume and citation
count come from Semantic Scholar; the primary category and (if S2 has none) the DOI from arXiv;
authors from whichever spells out more given names. arXiv itself is never a venue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pubman.identifiers import normalize_arxiv_id, normalize_doi
from pubman.model import Entry, Person
from pubman.sources.remote import RemotePaper
from pubman.text.titles import normalize_title
from pubman.work import derive, work_of

PREPRINT_TYPES = frozenset({"misc", "unpublished", "techreport", "online", "preprint"})


@dataclass(frozen=True)
class RemoteWork:
    """One remote paper (not :class:`pubman.work.Work`, which reads an entry of the file).
    ``origin`` says why sync knows it: "profile" (the owner's S2 author
    profile), "lookup" (an entry's identifier), "arxiv-search" (``arxiv_query``), "request"
    (named on the command line by ``pubman add``)."""

    s2: RemotePaper | None = None
    arxiv: RemotePaper | None = None
    origin: str = "profile"

    @property
    def title(self) -> str:
        return (
            self.s2.title if self.s2 and self.s2.title else self.arxiv.title if self.arxiv else ""
        )

    @property
    def authors(self) -> tuple[str, ...]:
        lists = [p.authors for p in (self.s2, self.arxiv) if p is not None and p.authors]
        if not lists:
            return ()
        return max(lists, key=_spelled_out)  # max keeps the first (S2) on a tie

    @property
    def published(self) -> bool:
        return bool(self.s2 and self.s2.venue and self.s2.venue_kind in ("conference", "journal"))

    @property
    def venue(self) -> str:
        return self.s2.venue if self.published and self.s2 else ""

    @property
    def venue_kind(self) -> str:
        if self.published and self.s2:
            return self.s2.venue_kind
        return "preprint" if self.arxiv_id else ""

    @property
    def year(self) -> int | None:
        if self.published and self.s2 and self.s2.year:
            return self.s2.year
        years = [p.year for p in (self.arxiv, self.s2) if p is not None and p.year]
        return years[0] if years else None

    @property
    def doi(self) -> str | None:
        """The DOI as the source spells it (DOIs are case-insensitive; ids() normalises)."""
        for paper in (self.s2, self.arxiv):
            if paper is not None and paper.doi and (norm := normalize_doi(paper.doi)):
                raw = paper.doi.strip()
                return raw if raw.lower() == norm else norm
        return None

    @property
    def arxiv_id(self) -> str | None:
        found = [p.arxiv_id for p in (self.s2, self.arxiv) if p is not None and p.arxiv_id]
        return normalize_arxiv_id(found[0]) if found else None

    @property
    def s2_id(self) -> str | None:
        return self.s2.s2_id if self.s2 else None

    @property
    def citation_count(self) -> int | None:
        return self.s2.citation_count if self.s2 else None

    @property
    def external_ids(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for paper in (self.arxiv, self.s2):
            if paper is not None:
                out.update(dict(paper.external_ids))
        return out

    def ids(self) -> set[str]:
        """Identifiers as ``arxiv:<id>``, ``doi:<doi>``, ``s2:<sha>`` (state-file form)."""
        out = {f"arxiv:{self.arxiv_id}"} if self.arxiv_id else set()
        if self.doi:
            out.add(f"doi:{normalize_doi(self.doi)}")
        if self.s2_id:
            out.add(f"s2:{self.s2_id}")
        return out

    def label(self) -> str:
        ident = (
            f"arXiv:{self.arxiv_id}"
            if self.arxiv_id
            else f"doi:{self.doi}"
            if self.doi
            else f"S2 {self.s2_id}"
            if self.s2_id
            else "no id"
        )
        title = self.title if len(self.title) <= 70 else self.title[:67] + "..."
        return f'"{title}" ({ident})'


def _spelled_out(authors: Sequence[str]) -> int:
    """How many names carry a given name longer than an initial."""
    return sum(1 for a in authors if re.match(r"^[^\s.]{2,}\s", a.strip()))


def entry_ids(entry: Entry | Mapping[str, str], s2_ids: Iterable[str] = ()) -> set[str]:
    """An entry's identifiers in :meth:`RemoteWork.ids` form, read from its
    :class:`pubman.work.Work` view; ``s2_ids`` are the ones the state file remembers."""
    work = work_of(entry) if isinstance(entry, Entry) else derive(Entry("", "misc", entry))
    out = {f"arxiv:{work.arxiv}"} if work.arxiv else set()
    if work.doi:
        out.add(f"doi:{work.doi}")
    if work.s2:
        out.add(f"s2:{work.s2}")
    out.update(f"s2:{s}" for s in s2_ids)
    return out


# ------------------------------------------------------------------------ file conventions


@dataclass(frozen=True)
class Conventions:
    """How this file writes things, so new values look like the owner's own."""

    last_first: bool = True
    uses_primaryclass: bool = False
    preprint_type: str = "misc"
    surnames: frozenset[str] = frozenset()  # multi-word surnames in the file, folded

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Conventions:
        from pubman.text.names import fold, split_names

        comma = plain = 0
        primary = False
        preprint: dict[str, int] = {}
        surnames: set[str] = set()
        for e in entries:
            primary = primary or "primaryclass" in e.fields
            for raw in split_names(e.get("author")):
                comma, plain = (comma + 1, plain) if "," in raw else (comma, plain + 1)
            for p in _people(e.get("author")):
                if p.von or " " in p.last:
                    surnames.add(fold(f"{p.von} {p.last}"))
            if _is_preprint(e) and e.get("eprint"):
                preprint[e.type] = preprint.get(e.type, 0) + 1
        kind = max(preprint, key=lambda t: preprint[t]) if preprint else "misc"
        return cls(comma >= plain, primary, kind, frozenset(surnames))


def _people(value: str) -> list[Person]:
    from pubman.text.names import parse_names

    return [p for p in parse_names(value) if p.last and not p.is_others]


def _is_preprint(entry: Entry) -> bool:
    if entry.type in PREPRINT_TYPES:
        return not entry.get("booktitle")
    return entry.type == "article" and work_of(entry).is_preprint


def is_preprint(entry: Entry) -> bool:
    """True when the entry describes a preprint (no published venue yet): a misc-like type
    without a booktitle, or an article whose journal the venue resolver calls a preprint
    server (arXiv, CoRR, bioRxiv...)."""
    return _is_preprint(entry)


# ----------------------------------------------------------------------- writing values

_SPECIAL = re.compile(r"(?<!\\)([&%$#_])")
_INNER_CAPS = re.compile(
    r"(?<![{\w])([A-Za-z0-9]*[a-z0-9][A-Z][\w\-]*|[A-Z]{2,}[\w\-]*|"
    r"[A-Za-z]+\d[\w\-]*)"
)


def escape(text: str) -> str:
    """Plain text -> BibTeX content: specials escaped, braces removed, whitespace collapsed."""
    text = " ".join(text.replace("{", "").replace("}", "").split())
    return _SPECIAL.sub(r"\\\1", text)


def title_value(title: str) -> str:
    """A title as BibTeX content, with acronyms and CamelCase words kept by braces."""
    return _INNER_CAPS.sub(lambda m: "{" + m.group(1) + "}", escape(title))


def split_name(name: str, conv: Conventions) -> tuple[str, str]:
    """(given, surname) of a "First Last" name; multi-word surnames the file already writes
    ("Ver Steeg") are kept together, lower-case particles ("de", "van") join the surname."""
    from pubman.text.names import fold

    words = name.split()
    for i in range(1, len(words)):
        if fold(" ".join(words[i:])) in conv.surnames:
            return " ".join(words[:i]), " ".join(words[i:])
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    if len(words) < 2:
        return "", name.strip()
    k = len(words) - 1
    while k > 1 and words[k - 1][:1].islower():
        k -= 1
    return " ".join(words[:k]), " ".join(words[k:])


def format_name(given: str, surname: str, last_first: bool) -> str:
    if not given:
        return escape(surname)
    return escape(f"{surname}, {given}" if last_first else f"{given} {surname}")


def authors_value(authors: Sequence[str], conv: Conventions) -> str:
    return " and ".join(format_name(*split_name(a, conv), conv.last_first) for a in authors)


def pages_value(pages: str) -> str:
    return re.sub(r"\s*[-\u2013\u2014]+\s*", "--", pages.strip())


def venue_name(work: RemoteWork, venues: object | None) -> str:
    """The venue's canonical full name from the venue table, else S2's name cleaned."""
    if not work.venue:
        return ""
    if venues is not None:
        found = venues.lookup(work.venue)  # type: ignore[attr-defined]
        if found is not None and found.kind in ("conference", "journal") and found.name:
            return str(found.name)
    return re.sub(r"^\d{4}\s+", "", work.venue).strip()


def entry_type(work: RemoteWork, conv: Conventions) -> str:
    if work.venue_kind == "conference":
        return "inproceedings"
    if work.venue_kind == "journal":
        return "article"
    return conv.preprint_type


def remote_fields(
    work: RemoteWork, conv: Conventions, venues: object | None = None
) -> dict[str, str]:
    """Every field sync can offer for ``work``, as BibTeX content, in the order new entries
    are written (author, title, venue, volume, pages, year, doi, eprint, ..., url)."""
    out: dict[str, str] = {}
    if work.authors:
        out["author"] = authors_value(work.authors, conv)
    if work.title:
        out["title"] = title_value(work.title)
    venue = venue_name(work, venues)
    kind = entry_type(work, conv)
    if venue:
        out["booktitle" if kind == "inproceedings" else "journal"] = escape(venue)
    elif kind == "article" and work.arxiv_id:
        out["journal"] = f"arXiv preprint arXiv:{work.arxiv_id}"
    if work.published and work.s2 and work.s2.volume:
        out["volume"] = escape(work.s2.volume)
    if work.published and work.s2 and work.s2.pages:
        out["pages"] = pages_value(work.s2.pages)
    if work.year:
        out["year"] = str(work.year)
    if work.doi:
        out["doi"] = work.doi
    if work.arxiv_id:
        out["eprint"] = work.arxiv_id
        out["archiveprefix"] = "arXiv"
        category = work.arxiv.primary_category if work.arxiv else ""
        if conv.uses_primaryclass and category:
            out["primaryclass"] = category
        if not work.published:
            out["url"] = f"https://arxiv.org/abs/{work.arxiv_id}"
    if kind == "unpublished" and "note" not in out and work.arxiv_id:
        out["note"] = f"arXiv:{work.arxiv_id}"
    return out


# ----------------------------------------------------------------------- comparing values


def _venue_same(a: str, b: str, venues: object | None) -> bool:
    from pubman.venues import venue_key

    if venues is not None:
        va = venues.lookup(a)  # type: ignore[attr-defined]
        vb = venues.lookup(b)  # type: ignore[attr-defined]
        if va is not None and vb is not None:
            return bool(va.short == vb.short)
    return venue_key(a) == venue_key(b)


def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().rstrip("/")).lower()


def same_value(name: str, ours: str, theirs: str, venues: object | None = None) -> bool:
    """True when two values of field ``name`` say the same thing (formatting aside)."""
    from pubman.text.names import fold

    if name == "title":
        return normalize_title(ours) == normalize_title(theirs)
    if name in ("author", "editor"):
        return same_people(ours, theirs)
    if name == "doi":
        return normalize_doi(ours) == normalize_doi(theirs) and normalize_doi(ours) is not None
    if name == "eprint":
        return (normalize_arxiv_id(ours) or ours.strip()) == (
            normalize_arxiv_id(theirs) or theirs.strip()
        )
    if name == "pages":
        return pages_value(ours) == pages_value(theirs)
    if name in ("booktitle", "journal"):
        return _venue_same(ours, theirs, venues)
    if name == "url":
        return _url_key(ours) == _url_key(theirs)
    return fold(ours) == fold(theirs)


def _person_pairs(ours: str, theirs: str) -> list[tuple[Person, Person]] | None:
    a, b = _people(ours), _people(theirs)
    if not a or len(a) != len(b):
        return None
    return list(zip(a, b))


def same_people(ours: str, theirs: str) -> bool:
    """Same authors in the same order, given names compatible (initials match full names)."""
    from pubman.text.names import OwnerMatcher

    pairs = _person_pairs(ours, theirs)
    if pairs is None:
        return False
    return all(OwnerMatcher([_plain(o)]).matches(t) for o, t in pairs)


def _plain(p: Person) -> str:
    return f"{p.von} {p.last}, {p.jr + ', ' if p.jr else ''}{p.first}".strip()


def _initials_only(given: str) -> bool:
    words = re.split(r"[\s\-]+", given.strip())
    return bool(given.strip()) and all(len(w.rstrip(".")) <= 1 for w in words if w)


def expand_initials(ours: str, theirs_names: Sequence[str], conv: Conventions) -> str | None:
    """``ours`` with initials-only given names replaced by the full ones from ``theirs_names``,
    or None when nothing would change or the lists do not agree name by name."""
    from pubman.text.names import name_parts, split_names

    theirs = authors_value(theirs_names, conv)
    pairs = _person_pairs(ours, theirs)
    raws = split_names(ours)
    if pairs is None or len(raws) != len(pairs) or not same_people(ours, theirs):
        return None
    out, changed = [], False
    for raw, (o, t) in zip(raws, pairs):
        given = _given_beside(o, t)
        if _initials_only(o.first) and given and not _initials_only(given):
            parts = name_parts(raw)
            surname = " ".join(parts.von + parts.last)
            jr = f"{' '.join(parts.jr)}, " if parts.jr else ""
            given = escape(given)
            out.append(f"{surname}, {jr}{given}" if "," in raw else f"{given} {surname}")
            changed = True
        else:
            out.append(raw.strip())
    return " and ".join(out) if changed else None


def _given_beside(ours: Person, theirs: Person) -> str:
    """``theirs``' given names, without the words that ``ours`` counts as surname (a source
    that wrote "Greg Ver" + "Steeg" for "Ver Steeg, G." gives "Greg")."""
    from pubman.text.names import fold

    surname = fold(f"{ours.von} {ours.last}").split()
    words = f"{theirs.first} {theirs.von} {theirs.last}".split()
    n = len(surname)
    if len(words) > n and [fold(w) for w in words[-n:]] == surname:
        return " ".join(words[:-n])
    return theirs.first
