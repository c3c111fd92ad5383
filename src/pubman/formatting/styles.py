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
    is_plain_name,
    latex_to_text,
    name_parts,
    parse_name,
    plain_initials,
    split_people,
)
from pubman.text.pattern import LazyPattern
from pubman.work import Work, work_of

__all__ = [
    "AuthorList",
    "Composed",
    "Formatted",
    "NameForm",
    "compose",
    "format_entry",
    "name_form",
    "person_form",
    "shown_authors",
]

_TERMINAL = frozenset(".?!")
_URL_ESCAPE = LazyPattern(r"\\([_%&#~$])")
_SAFE_SCHEME = LazyPattern(r"^(?:https?|ftp)://[^\s]+$", re.IGNORECASE)
_LOCAL_PATH = LazyPattern(r"^[\w][\w.~/-]*$")
_EXTRA_LINKS = (  # al-folio's fields, after DOI; (label, fields, relative paths allowed)
    ("code", ("code", "codeurl", "github"), False),
    ("slides", ("slides", "slidesurl"), True),
    ("poster", ("poster",), True),
    ("video", ("video",), False),
    ("website", ("website",), False),
    ("blog", ("blog",), False),
)


class NameForm(NamedTuple):
    """One author as a style prints it: rich text, Unicode text and the parts."""

    node: rt.Node
    text: str
    given: str
    family: str


class Formatted(NamedTuple):
    """One entry as a style formats it: rich text, its data record, owner notices and the
    text without links."""

    content: rt.Node
    record: Record
    notices: tuple[Notice, ...]
    body: rt.Node | None = None


def name_form(raw: str, style: str) -> NameForm:
    """How ``style`` prints the name ``raw`` (one item of an author list); cached."""
    return person_form(raw, style)[1]


# One memo per style: raw name -> (parsed name, printed form), so that a name is parsed once
# and its form built once. A dict cleared when full: a list is one pass over its names, and
# clearing costs nothing per lookup (an LRU's bookkeeping does). 2**17 names (the old
# name_form cache's size) hold the ~57,500 distinct names of the 24,568-entry dblp bench file
# twice over, at about 860 bytes a name (~110 MB when full; 2**18 would be twice that).
_FORMS: dict[str, dict[str, tuple[Person, NameForm]]] = {"cv": {}, "web": {}}
_FORMS_LIMIT = 1 << 17


def person_form(raw: str, style: str) -> tuple[Person, NameForm]:
    """:func:`pubman.text.names.parse_name` of ``raw`` and its :func:`name_form`; cached."""
    memo = _FORMS.get(style)
    if memo is None:
        memo = _FORMS.setdefault(style, {})
    found = memo.get(raw)
    if found is None:
        if len(memo) >= _FORMS_LIMIT:
            memo.clear()
        found = memo[raw] = _plain_form(raw, style) if is_plain_name(raw) else _form(raw, style)
    return found


def _plain_form(raw: str, style: str) -> tuple[Person, NameForm]:
    """:func:`_form` of a plain name (:func:`pubman.text.names.is_plain_name`): its words are
    its text, so nothing is decoded and the parts are built once."""
    parts = name_parts(raw)
    first, von, last = " ".join(parts.first), " ".join(parts.von), " ".join(parts.last)
    family = f"{von} {last}" if von else last
    person = Person(first=first, von=von, last=last, raw=raw.strip())
    shown_given = plain_initials(first) if style == "cv" else first
    family_node = rt.Tex(family)
    if not shown_given:
        return person, NameForm(rt.Tag("seq", (family_node,)), family, first, family)
    given_node: rt.Node = (
        rt.Text(shown_given.replace(" ", rt.TIE)) if style == "cv" else rt.Tex(shown_given)
    )
    node = rt.Tag("seq", (given_node, _TIE_TEXT, family_node))
    return person, NameForm(node, f"{shown_given} {family}", first, family)


def _form(raw: str, style: str) -> tuple[Person, NameForm]:
    """:func:`person_form` by the general rules (any name)."""
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
    # rt.join(TIE, ...) of the leaves that print something, built directly
    nodes = [n for n, _ in shown]
    name = rt.Tag("seq", (nodes[0], _TIE_TEXT, nodes[1]) if len(nodes) == 2 else tuple(nodes))
    if person.jr and name.children:
        node = rt.seq(name, ", ", jr_node)
        return person, NameForm(node, rt.plain(node).replace(rt.TIE, " "), person.first, family)
    text = " ".join(t for _, t in shown)  # rt.plain(name): the TIE between them prints a space
    return person, NameForm(name, text.replace(rt.TIE, " "), person.first, family)


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


def _people(entry: Entry, style: str) -> tuple[list[Person], list[NameForm], bool, str, str]:
    """(persons, their forms in ``style``, et al., suffix, field) from ``author``, else
    ``editor``."""
    field, suffix = "author", ""
    value = entry.get("author")
    if not value.strip() and entry.get("editor").strip():
        field, value = "editor", entry.get("editor")
    done = [person_form(r, style) for r in split_people(value) if r.strip()]
    others = bool(done) and done[-1][0].is_others
    if others:
        done.pop()
    if field == "editor" and done:
        suffix = " (eds.)" if len(done) > 1 else " (ed.)"
    return [p for p, _ in done], [f for _, f in done], others, suffix, field


class AuthorList(NamedTuple):
    """An entry's author list as a style prints it: ``node`` (None without authors), and per
    printed person (names that print as nothing are left out) the parsed name, its form and
    its marks; ``owners``: indices of the owner; ``et_al``: the list was cut; ``last``: the
    last character ``node`` prints (:func:`richtext.last_char`)."""

    node: rt.Node | None
    persons: list[Person]
    forms: list[NameForm]
    marks: list[tuple[str, ...]]
    owners: list[int]
    et_al: bool
    last: str = ""


def _authors(
    entry: Entry,
    style: str,
    matcher: OwnerMatcher | None,
    limit: int,
    marking: Marking,
) -> AuthorList:
    persons, forms, others, suffix, field = _people(entry, style)
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
    plain_end = True  # the last part is a name's own form: its text tells its last character
    if not owners and not any(marks) and not any(p.marks for p in persons):
        parts = [_ELLIPSIS if i is None else forms[i].node for i in shown]  # the names alone
        shown_names: list[int | None] = []
    else:
        shown_names = shown
    for i in shown_names:
        if i is None:
            parts.append(_ELLIPSIS)
            continue
        node = forms[i].node
        plain_end = True
        if i in owners:
            node = rt.owner(rt.Text(marking.display) if marking.display else node)
            plain_end = not marking.display
        extra = symbols(marks[i], marking.table) if marks[i] else ""
        if persons[i].marks or extra:
            node = rt.seq(node, persons[i].marks, rt.mark(extra) if extra else "")
            plain_end = False
        parts.append(node)
    last = "."  # "et al."
    if et_al and None in shown:
        parts.append(_ELLIPSIS_ET_AL)
    elif et_al or others:
        parts.append(_ET_AL)
    elif plain_end and shown[-1] is not None:  # (None, "...", is never last)
        last = forms[shown[-1]].text.rstrip()[-1:] or rt.last_char(parts[-1])
    else:
        last = rt.last_char(parts[-1])
    joined: list[rt.Node] = [_COMMA] * (2 * len(parts) - 1)  # rt.join(", ", parts), built directly
    joined[::2] = parts
    node = rt.Tag(
        "seq",
        (rt.Tag("seq", tuple(joined)), rt.Text(suffix))
        if suffix
        else (rt.Tag("seq", tuple(joined)),),
    )
    if suffix:
        last = ")"
    elif not last:  # the last part prints nothing: the walk goes on to the ones before it
        last = rt.last_char(node)
    return AuthorList(node, persons, forms, marks, owners, others or et_al, last)


_COMMA, _ELLIPSIS = rt.Text(", "), rt.Text("...")
_ET_AL, _ELLIPSIS_ET_AL = rt.Text("et al."), rt.Text("... et al.")


def _records(people: AuthorList, marking: Marking) -> tuple[Author, ...]:
    shown_name = marking.display.replace(rt.TIE, " ")
    owners = people.owners
    records = tuple(
        Author(shown_name if i in owners and shown_name else f.text, f.given, f.family, i in owners)
        for i, f in enumerate(people.forms)
    )
    return tuple(r._replace(marks=m) if m else r for r, m in zip(records, people.marks))


_THESIS_LABEL = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
_REPORT_PREFIX = LazyPattern(r"^\s*(?:technical\s+report|tech\.?\s+rep)", re.IGNORECASE)


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


def _doi(entry: Entry, work: Work) -> str:
    """The DOI to link: the ``doi`` field as written (as dedup compares one that is not
    well-formed), else the published DOI of the entry's :class:`pubman.work.Work` (a doi.org
    link in ``url`` or ``note``); none for arXiv's own 10.48550 DOIs: the arXiv link is that."""
    written = doi_link_form(entry.get("doi"))
    if written:
        return "" if is_arxiv_doi(written) else written
    return work.doi or ""


def links(entry: Entry, bibtex_url: str, work: Work | None = None) -> list[tuple[str, str]]:
    """(label, url) pairs for the web style, in display order; ``work``: the entry's view,
    when the caller has it (else :func:`pubman.work.work_of`)."""
    out: list[tuple[str, str]] = []
    work = work if work is not None else work_of(entry)
    ident = work.arxiv or ""
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
    doi = _doi(entry, work)
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


def _sentence(segments: Sequence[tuple[rt.Node, str]]) -> tuple[rt.Tag, str]:
    """Segments joined by ". " (by " " after one that ends in . ? !), each given with its
    :func:`richtext.last_char`; and the last character the sentence prints."""
    parts: list[rt.Node] = []
    end, before = "", ""
    for seg, last in segments:
        if parts:
            if before in _TERMINAL:
                parts.append(_SPACE)
            else:
                parts.append(_FULL_STOP)
                end = "."
        parts.append(seg)
        end = last or end
        before = last
    return rt.Tag("seq", tuple(parts)), end


_SPACE, _FULL_STOP = rt.Text(" "), rt.Text(". ")


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


def _title(source: str, style: str, entry_links: Sequence[tuple[str, str]]) -> rt.Node:
    """The title: as stored (cv); in the web style its own ``title`` tag, linked to the paper
    (its paper link, else DOI, arXiv, PDF or website), so that only the owner is bold."""
    if style != "web":
        return rt.Tex(source)
    found = dict(entry_links)
    target = next((found[label] for label in _TITLE_TARGETS if label in found), "")
    return rt.title(target, rt.Tex(source))


def _tail(venue: str, year: str) -> tuple[rt.Node, str] | None:
    """``*Venue*, Year`` (either may be missing) and its last character; None for neither."""
    if venue:
        shown = rt.Tag("italic", (rt.Text(venue),))
        if year:
            return rt.Tag("seq", (shown, _COMMA, rt.Text(year))), year[-1:]
        return rt.Tag("seq", (shown,)), venue.rstrip()[-1:]
    return (rt.Tag("seq", (rt.Text(year),)), year[-1:]) if year else None


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
    entry_links = links(entry, options.bibtex_url, placed.work) if style == "web" else []
    source = entry.get("title").strip()
    title_text = latex_to_text(source)
    segments: list[tuple[rt.Node, str]] = []
    if title_text:
        segments.append((_title(source, style, entry_links), title_text[-1:]))
    if people.node is not None:
        segments.append((people.node, people.last))
    tail = _tail(venue, year)
    if tail is not None:
        segments.append(tail)
    notes = note_nodes(entry, options.notes, venue)
    found = bool(segments)
    # a note's node prints its text: a Tex note's text is its decoded source, already stripped
    segments += [(node, text.rstrip()[-1:] or rt.last_char(node)) for node, text in notes]
    body, end = _sentence(segments)
    content: rt.Node = body
    if entry_links:
        anchors = rt.join(" ", [rt.seq("[", rt.link(u, label), "]") for label, u in entry_links])
        done = not found or end in _TERMINAL
        content = rt.seq(content, "" if not found else " " if done else ". ", anchors)
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
