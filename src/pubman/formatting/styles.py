"""Styles: one entry -> rich text (and a data record). ``cv`` and ``web``.

Contract: pure functions; no I/O, never prints, no escaping (that is the backends' job).
Titles and family names stay LaTeX source (:class:`Tex`); what pubman adds is plain text.

``cv``:  ``Title. A. Author, **H. Owner**, B. Author. *Venue*, Year`` -- given names as
initials (:func:`pubman.text.names.initials`: "Se-Young" -> "S.-Y."), family names with their von
part ("G. Ver Steeg"). The venue is the venue table's display name, or ``arXiv:<id>`` for an
arXiv preprint.

``web``: ``[Title](paper). Full Names, **Owner**. *Venue*, Year. [arXiv] [PDF] [paper] [DOI]
[code] [slides] [poster] [video] [website] [blog] [BibTeX]`` -- the title is its own ``title``
tag (linked to the paper: its url, else DOI, arXiv, PDF or website), so only the owner is bold;
links built from the fields, each only when the entry has it: arXiv from ``eprint`` (or an
arxiv.org ``url``), PDF from ``pdf`` (or a ``url`` ending in .pdf), paper from any other
``url``, DOI from ``doi``, code from ``code``/``codeurl``/``github``, slides from
``slides``/``slidesurl``, then al-folio's ``poster``, ``video``, ``website``, ``blog``, BibTeX
from the ``bibtex_url`` template (``{key}`` replaced by the URL-quoted key; no template, no
link). Only http(s)/ftp URLs, relative paths for pdf/slides/poster (al-folio's
``pdf = {paper.pdf}``) and the template's URLs are linked.

Both styles: notes and awards (:mod:`.notes`) follow the venue; author marks and the owner's
one printed form (:mod:`.marks`, ``[owner] display``) go on the names; given and family names
are joined by a tie (``~`` in LaTeX).

Authors: ``and others`` prints "et al."; with ``max_authors`` N and more than N authors the
first N are shown and "et al." -- unless the owner would be hidden, then the first N-1 (at
least one), "...", the owner, and "... et al." when authors follow him. Entries without
``author`` use ``editor`` followed by "(ed.)"/"(eds.)".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from pubman.formatting import richtext as rt


def quote(text: str, safe: str = "/") -> str:
    """urllib.parse.quote, imported only when a link is built."""
    from urllib.parse import quote as _quote

    return _quote(text, safe=safe)


from pubman.formatting.document import Author, FormatOptions, Notice, Record
from pubman.formatting.listing import Placed
from pubman.formatting.marks import Marking, author_marks, symbols
from pubman.formatting.notes import note_nodes
from pubman.identifiers import doi_link_form, is_arxiv_doi
from pubman.model import Entry, Person
from pubman.text.names import (
    OwnerMatcher,
    initials,
    latex_to_text,
    name_parts,
    parse_name,
    split_people,
)
from pubman.work import work_of

__all__ = [
    "AuthorList",
    "Composed",
    "Formatted",
    "NameForm",
    "compose",
    "format_entry",
    "name_form",
    "shown_authors",
]

_TERMINAL = frozenset(".?!")
_URL_ESCAPE = re.compile(r"\\([_%&#~$])")
_SAFE_SCHEME = re.compile(r"^(?:https?|ftp)://[^\s]+$", re.IGNORECASE)
_LOCAL_PATH = re.compile(r"^[\w][\w.~/-]*$")
_EXTRA_LINKS = (  # al-folio's fields, after DOI; (label, fields, relative paths allowed)
    ("code", ("code", "codeurl", "github"), False),
    ("slides", ("slides", "slidesurl"), True),
    ("poster", ("poster",), True),
    ("video", ("video",), False),
    ("website", ("website",), False),
    ("blog", ("blog",), False),
)


@dataclass(frozen=True)
class NameForm:
    """One author as a style prints it: rich text, Unicode text and the parts."""

    node: rt.Node
    text: str
    given: str
    family: str


@dataclass(frozen=True)
class Formatted:
    content: rt.Node
    record: Record
    notices: tuple[Notice, ...]
    body: rt.Node | None = None


@lru_cache(maxsize=131072)
def name_form(raw: str, style: str) -> NameForm:
    """How ``style`` prints the name ``raw`` (one item of an author list); cached."""
    person = parse_name(raw)
    family = " ".join(p for p in (person.von, person.last) if p)
    if person.marks:  # marks glued to the name: use the decoded parts (marks are shown after)
        given_src = person.first
        family_node: rt.Text | rt.Tex = rt.Text(family)
        jr_node: rt.Node = rt.Text(person.jr)
    else:
        parts = name_parts(raw)
        given_src = " ".join(parts.first)
        family_node = rt.Tex(" ".join(parts.von + parts.last))
        jr_node = rt.Tex(" ".join(parts.jr))
    given_node: rt.Text | rt.Tex = (
        rt.Text(initials(given_src).replace(" ", rt.TIE))
        if style == "cv"
        else (rt.Text(given_src) if person.marks else rt.Tex(given_src))
    )
    shown = [(n, t) for n in (given_node, family_node) if (t := _leaf_text(n))]
    # rt.join(TIE, ...) of the leaves that print something, built directly (57k names in
    # the dblp bench file)
    nodes = [n for n, _ in shown]
    name = rt.Tag("seq", (nodes[0], _TIE_TEXT, nodes[1]) if len(nodes) == 2 else tuple(nodes))
    if person.jr and name.children:
        node = rt.seq(name, ", ", jr_node)
        return NameForm(node, rt.plain(node).replace(rt.TIE, " "), person.first, family)
    text = " ".join(t for _, t in shown)  # rt.plain(name): the TIE between them prints a space
    return NameForm(name, text.replace(rt.TIE, " "), person.first, family)


_TIE_TEXT = rt.Text(rt.TIE)


def _leaf_text(node: rt.Text | rt.Tex) -> str:
    """:func:`richtext.plain` of a leaf."""
    return node.text.replace(rt.TIE, " ") if node.__class__ is rt.Text else rt.plain(node)


def shown_authors(count: int, owners: Sequence[int], limit: int) -> tuple[list[int | None], bool]:
    """Indices of the authors to show (None = "..."), and whether "et al." follows."""
    if not limit or count <= limit:
        return list(range(count)), False
    hidden = [i for i in owners if i >= limit]
    if not hidden or any(i < limit for i in owners):
        return list(range(limit)), True
    first = hidden[0]
    shown: list[int | None] = [*range(max(limit - 1, 1)), None, first]
    return shown, first < count - 1


def _people(entry: Entry) -> tuple[list[Person], list[str], bool, str, str]:
    """(persons, raw names, et al., suffix, field) from ``author``, else ``editor``."""
    field, suffix = "author", ""
    value = entry.get("author")
    if not value.strip() and entry.get("editor").strip():
        field, value = "editor", entry.get("editor")
    raws = [r for r in split_people(value) if r.strip()]
    persons = [parse_name(r) for r in raws]
    others = bool(persons) and persons[-1].is_others
    if others:
        persons, raws = persons[:-1], raws[:-1]
    if field == "editor" and persons:
        suffix = " (eds.)" if len(persons) > 1 else " (ed.)"
    return persons, raws, others, suffix, field


class AuthorList(NamedTuple):
    """An entry's author list as a style prints it: ``node`` (None without authors), and per
    printed person (names that print as nothing are left out) the parsed name, its form and
    its marks; ``owners``: indices of the owner; ``et_al``: the list was cut."""

    node: rt.Node | None
    persons: list[Person]
    forms: list[NameForm]
    marks: list[tuple[str, ...]]
    owners: list[int]
    et_al: bool


def _authors(
    entry: Entry,
    style: str,
    matcher: OwnerMatcher | None,
    limit: int,
    marking: Marking,
) -> AuthorList:
    persons, raws, others, suffix, field = _people(entry)
    forms = [name_form(raw, style) for raw in raws]
    marks = author_marks(entry, field, persons, marking.advisees)
    if not all(f.text for f in forms):  # names that print as nothing ("{}") are left out
        keep = [i for i, f in enumerate(forms) if f.text]
        persons, forms = [persons[i] for i in keep], [forms[i] for i in keep]
        marks = [marks[i] for i in keep]
    owners = (
        matcher.find(persons)
        if matcher and matcher.may_appear_in(entry.get("author") or entry.get("editor"))
        else []
    )
    if not forms:
        return AuthorList(None, persons, forms, marks, owners, others)
    shown, et_al = shown_authors(len(forms), owners, limit)
    parts: list[rt.Node] = []
    for i in shown:
        if i is None:
            parts.append(_ELLIPSIS)
            continue
        node = forms[i].node
        if i in owners:
            node = rt.owner(rt.Text(marking.display) if marking.display else node)
        extra = symbols(marks[i], marking.table) if marks[i] else ""
        if persons[i].marks or extra:
            node = rt.seq(node, persons[i].marks, rt.mark(extra) if extra else "")
        parts.append(node)
    if et_al and None in shown:
        parts.append(_ELLIPSIS_ET_AL)
    elif et_al or others:
        parts.append(_ET_AL)
    joined: list[rt.Node] = [_COMMA] * (2 * len(parts) - 1)  # rt.join(", ", parts), built directly
    joined[::2] = parts
    node = rt.Tag(
        "seq",
        (rt.Tag("seq", tuple(joined)), rt.Text(suffix))
        if suffix
        else (rt.Tag("seq", tuple(joined)),),
    )
    return AuthorList(node, persons, forms, marks, owners, others or et_al)


_COMMA, _ELLIPSIS = rt.Text(", "), rt.Text("...")
_ET_AL, _ELLIPSIS_ET_AL = rt.Text("et al."), rt.Text("... et al.")


def _records(people: AuthorList, marking: Marking) -> tuple[Author, ...]:
    shown_name = marking.display.replace(rt.TIE, " ")
    owners = people.owners
    records = tuple(
        Author(shown_name if i in owners and shown_name else f.text, f.given, f.family, i in owners)
        for i, f in enumerate(people.forms)
    )
    return tuple(replace(r, marks=m) if m else r for r, m in zip(records, people.marks))


def arxiv_id(entry: Entry) -> str:
    """The arXiv id of an entry as its :class:`pubman.work.Work` view reads it (every form:
    eprint, arxivid, the 10.48550 DOI, a CoRR volume, a URL or note); "" when there is none."""
    return work_of(entry).arxiv or ""


_THESIS_LABEL = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
_REPORT_PREFIX = re.compile(r"^\s*(?:technical\s+report|tech\.?\s+rep)", re.IGNORECASE)


def venue_text(placed: Placed) -> str:
    """What the styles print as the venue: ``arXiv:<id>`` for arXiv preprints; for theses and
    reports, as BibTeX does, what the work is before where: "PhD thesis, <school>",
    "Technical Report <number>, <institution>" (a ``type`` field replaces the label)."""
    venue, entry = placed.venue, placed.entry
    if placed.work.is_arxiv_preprint:
        ident = placed.work.arxiv
        return f"arXiv:{ident}" if ident else venue.display
    if venue.kind not in ("thesis", "report"):
        return venue.display
    label = latex_to_text(entry.get("type"))
    if venue.kind == "thesis":
        label = label or _THESIS_LABEL.get(entry.type.lower(), "Thesis")
    elif _REPORT_PREFIX.match(latex_to_text(entry.get("institution"))) and not label:
        from pubman.venues import clean_venue  # "Technical Report CMU-CS-16-118, CMU SCS"

        return clean_venue(entry.get("institution"))
    else:
        label = " ".join(
            p for p in (label or "Technical Report", latex_to_text(entry.get("number"))) if p
        )
    return ", ".join(p for p in (label, venue.display) if p)


def _url(value: str, local: bool = False) -> str:
    """An http(s)/ftp URL from a field; with ``local``, also a relative path such as al-folio's
    ``pdf = {paper.pdf}`` (no scheme, no ``..``)."""
    url = _URL_ESCAPE.sub(r"\1", value.strip()).replace("{", "").replace("}", "")
    if _SAFE_SCHEME.match(url):
        return url
    return url if local and _LOCAL_PATH.match(url) and ".." not in url else ""


def _doi(entry: Entry) -> str:
    """The DOI to link: the ``doi`` field as written (as dedup compares one that is not
    well-formed), else the published DOI of the entry's :class:`pubman.work.Work` (a doi.org
    link in ``url`` or ``note``); none for arXiv's own 10.48550 DOIs: the arXiv link is that."""
    written = doi_link_form(entry.get("doi"))
    if written:
        return "" if is_arxiv_doi(written) else written
    return work_of(entry).doi or ""


def links(entry: Entry, bibtex_url: str) -> list[tuple[str, str]]:
    """(label, url) pairs for the web style, in display order."""
    out: list[tuple[str, str]] = []
    ident = arxiv_id(entry)
    url = _url(entry.get("url"))
    if ident:
        out.append(("arXiv", f"https://arxiv.org/abs/{ident}"))
    elif "arxiv.org/" in url:
        out.append(("arXiv", url))
    pdf = _url(entry.get("pdf"), local=True) or (url if url.lower().endswith(".pdf") else "")
    if pdf and "arxiv.org/" not in pdf:
        out.append(("PDF", pdf))
    if url and url != pdf and "arxiv.org/" not in url and "doi.org/" not in url:
        out.append(("paper", url))
    doi = _doi(entry)
    if doi:
        out.append(("DOI", f"https://doi.org/{quote(doi, safe='/:;()._-<>')}"))
    for label, names, local in _EXTRA_LINKS:
        value = next((entry.get(n).strip() for n in names if entry.get(n).strip()), "")
        if label == "code" and re.fullmatch(r"[\w.-]+/[\w.-]+", value):
            value = f"https://github.com/{value}"
        if _url(value, local):
            out.append((label, _url(value, local)))
    if bibtex_url:
        from pubman.export.bibtex import split_name  # the file `export --split` writes

        out.append(("BibTeX", bibtex_url.replace("{key}", quote(split_name(entry.key), safe=""))))
    return out


def _sentence(segments: Sequence[rt.Node]) -> rt.Tag:
    """Segments joined by ". " (by " " after one that ends in . ? !)."""
    parts: list[rt.Part] = []
    for k, seg in enumerate(segments):
        if k:
            parts.append(" " if rt.last_char(segments[k - 1]) in _TERMINAL else ". ")
        parts.append(seg)
    return rt.seq(*parts)


def _notices(
    entry: Entry, matcher: OwnerMatcher | None, people: AuthorList, marking: Marking
) -> tuple[Notice, ...]:
    owners = people.owners
    if matcher is None or len(owners) == 1:
        return ()
    if not people.forms:
        return (Notice(entry.key, entry.line, "no authors, so the owner is not among them"),)
    if not owners:
        return (Notice(entry.key, entry.line, "the owner is not among the authors"),)
    shown_name = marking.display.replace(rt.TIE, " ")
    names = ", ".join(shown_name or people.forms[i].text for i in owners)
    return (Notice(entry.key, entry.line, f"{len(owners)} authors match the owner: {names}"),)


_TITLE_TARGETS = ("paper", "DOI", "arXiv", "PDF", "website")
_YES = frozenset({"true", "yes", "1"})


def _title(source: str, style: str, entry_links: Sequence[tuple[str, str]]) -> rt.Node | None:
    """The title: as stored (cv); in the web style its own ``title`` tag, linked to the paper
    (its paper link, else DOI, arXiv, PDF or website), so that only the owner is bold."""
    if not latex_to_text(source):
        return None
    if style != "web":
        return rt.Tex(source)
    found = dict(entry_links)
    target = next((found[label] for label in _TITLE_TARGETS if label in found), "")
    return rt.title(target, rt.Tex(source))


class Composed(NamedTuple):
    """One entry in a style before it becomes a :class:`Formatted`: ``content`` as the list
    prints it, ``body`` without the links, the owner ``notices``, and what the record holds."""

    content: rt.Node
    body: rt.Node
    notices: tuple[Notice, ...]
    people: AuthorList
    venue: str
    year: str
    links: list[tuple[str, str]]
    notes: list[str]


def compose(
    placed: Placed,
    options: FormatOptions,
    matcher: OwnerMatcher | None,
    marking: Marking,
) -> Composed:
    """One entry's rich text in ``options.style`` (see :func:`format_entry`)."""
    entry, style = placed.entry, options.style
    people = _authors(entry, style, matcher, options.max_authors, marking)
    venue, year = venue_text(placed), latex_to_text(placed.year)
    tail = rt.join(", ", [p for p in (rt.italic(venue) if venue else None, year) if p])
    entry_links = links(entry, options.bibtex_url) if style == "web" else []
    title = _title(entry.get("title").strip(), style, entry_links)
    notes = note_nodes(entry, options.notes, venue)
    segments = [s for s in (title, people.node, tail if tail.children else None) if s is not None]
    body: rt.Node = _sentence(segments + [node for node, _ in notes])
    content = body
    if entry_links:
        anchors = rt.join(" ", [rt.seq("[", rt.link(u, label), "]") for label, u in entry_links])
        done = not segments or rt.last_char(content) in _TERMINAL
        content = rt.seq(content, "" if not segments else " " if done else ". ", anchors)
    notices = _notices(entry, matcher, people, marking)
    return Composed(content, body, notices, people, venue, year, entry_links, [t for _, t in notes])


def format_entry(
    placed: Placed,
    options: FormatOptions,
    matcher: OwnerMatcher | None,
    marking: Marking | None = None,
) -> Formatted:
    """One entry in ``options.style``: rich text, its data record and any owner notices."""
    entry = placed.entry
    marking = marking or Marking(dict(options.marks))
    done = compose(placed, options, matcher, marking)
    record = Record(
        placed.number,
        entry.key,
        latex_to_text(entry.get("title").strip()),
        _records(done.people, marking),
        done.venue,
        done.year,
        placed.venue.kind,
        tuple(done.links),
        placed.group,
        done.people.et_al,
        tuple(done.notes),
        latex_to_text(entry.get("abbr")).strip(),
        entry.get("selected").strip().strip("{}").lower() in _YES,
    )
    return Formatted(done.content, record, done.notices, done.body)
