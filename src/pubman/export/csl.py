"""CSL-JSON export (the CSL 1.0 data schema that Pandoc, Zotero and citeproc read), and lists
rendered with a CSL style through citeproc-py.

Contract: :func:`csl_items` is pure (entries in, JSON-able dicts out). LaTeX is decoded to
Unicode; names come from the BibTeX name grammar (family, given, particle, suffix).
citeproc-py is imported only by :func:`render_csl` and raises
:class:`~pubman.errors.UsageError` with an install hint when it is missing; this module is its
one home.

Type mapping: article -> article-journal (an arXiv preprint -> article), inproceedings and
conference -> paper-conference, book/proceedings -> book, inbook/incollection -> chapter,
phdthesis/mastersthesis/thesis -> thesis (with genre), techreport/report -> report,
unpublished -> manuscript, online/electronic -> webpage, software -> software,
dataset -> dataset, anything else -> article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pubman.errors import UsageError
from pubman.formatting.document import FormatOptions
from pubman.formatting.listing import arrange
from pubman.identifiers import year_number
from pubman.model import Entry, Person
from pubman.text.names import latex_to_text, parse_names
from pubman.venues import Venue, VenueTable, classify
from pubman.work import work_of

__all__ = ["csl_item", "csl_items", "csl_listing", "render_csl"]

_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "book": "book",
    "proceedings": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "software": "software",
    "dataset": "dataset",
}
_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# Plain text fields: BibTeX name -> CSL name.
_TEXT_FIELDS = (
    ("publisher", "publisher"),
    ("address", "publisher-place"),
    ("location", "event-place"),
    ("edition", "edition"),
    ("series", "collection-title"),
    ("note", "note"),
    ("abstract", "abstract"),
    ("isbn", "ISBN"),
    ("issn", "ISSN"),
)


def _text(value: str) -> str:
    return latex_to_text(value) if value else ""


def _name(person: Person) -> dict[str, str]:
    if not (person.first or person.von or person.jr):
        return {"literal": person.last} if " " in person.last else {"family": person.last}
    out = {"family": person.last, "given": person.first}
    if person.von:
        out["non-dropping-particle"] = person.von
    if person.jr:
        out["suffix"] = person.jr
    return {k: v for k, v in out.items() if v}


def _names(value: str) -> list[dict[str, str]]:
    return [_name(p) for p in parse_names(value) if p.last and not p.is_others]


def _month(value: str) -> int | None:
    text = value.strip().lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text[:3])


def _issued(entry: Entry) -> dict[str, Any] | None:
    date = _DATE.match(entry.get("date"))
    if date and not entry.get("year").strip():
        parts = [int(p) for p in date.groups() if p]
        return {"date-parts": [parts]}
    year = year_number(entry.get("year"))
    if year is None:
        said = _text(entry.get("year")).strip()
        return {"literal": said} if said else None
    parts = [year]
    month = _month(entry.get("month"))
    if month:
        parts.append(month)
    return {"date-parts": [parts]}


def _type(entry: Entry, venue: Venue) -> str:
    if entry.type == "article" and venue.kind == "preprint":
        return "article"
    return _TYPES.get(entry.type, "article")


def _container(entry: Entry, venue: Venue) -> str:
    for name in ("journal", "journaltitle", "booktitle"):
        if entry.get(name).strip():
            return _text(entry.get(name))
    return venue.name if venue.kind == "preprint" else ""


def _arxiv(entry: Entry) -> str:
    """The arXiv id as every feature reads it (:class:`pubman.work.Work`)."""
    return work_of(entry).arxiv or ""


def _publication(entry: Entry, item: dict[str, Any]) -> None:
    """Volume, issue, pages, number, school/institution, DOI, URL, arXiv."""
    for bib, csl in (("volume", "volume"), ("number", "issue"), ("pages", "page")):
        value = _text(entry.get(bib)).replace("\u2013", "-")
        if value:
            item[csl] = value
    if item["type"] in ("report", "thesis") and "issue" in item:
        item["number"] = item.pop("issue")
    where = entry.get("school") or entry.get("institution")
    if where and "publisher" not in item:
        item["publisher"] = _text(where)
    doi = work_of(entry).doi
    if doi:
        item["DOI"] = doi
    url = entry.get("url").strip()
    arxiv = _arxiv(entry)
    if arxiv:
        if item["type"] == "article":  # a preprint: the id is its number
            item.setdefault("number", f"arXiv:{arxiv}")
        url = url or f"https://arxiv.org/abs/{arxiv}"
    if url:
        item["URL"] = url


def csl_item(entry: Entry, table: VenueTable) -> dict[str, Any]:
    """One entry as a CSL-JSON item (``id`` is the BibTeX key)."""
    venue = classify(entry, table)
    item: dict[str, Any] = {"id": entry.key, "type": _type(entry, venue)}
    if entry.type in _GENRES or entry.get("type"):
        item["genre"] = _text(entry.get("type")) or _GENRES[entry.type]
    title = _text(entry.get("title"))
    if title:
        item["title"] = title
    for role in ("author", "editor"):
        people = _names(entry.get(role))
        if people:
            item[role] = people
    issued = _issued(entry)
    if issued:
        item["issued"] = issued
    container = _container(entry, venue)
    if container:
        item["container-title"] = container
    for bib, csl in _TEXT_FIELDS:
        value = _text(entry.get(bib))
        if value:
            item[csl] = value
    _publication(entry, item)
    return item


def csl_items(entries: Iterable[Entry], table: VenueTable) -> list[dict[str, Any]]:
    """Every entry as a CSL-JSON item, in order."""
    return [csl_item(e, table) for e in entries]


def _style(style: str) -> Any:
    try:
        from citeproc import CitationStylesStyle
    except ImportError:
        raise UsageError(
            "--csl needs citeproc-py, which is not installed",
            hint="install it with `pip install 'pubman[csl]'` (or `pip install citeproc-py`)",
        ) from None
    path = Path(style)
    if not path.exists() and (style.endswith(".csl") or "/" in style):
        raise UsageError(f"no such CSL style file: {style}", hint="check the path")
    try:
        return CitationStylesStyle(str(path) if path.exists() else style, validate=False)
    except (ValueError, SyntaxError, AttributeError, KeyError) as err:  # unknown, not XML, not CSL
        raise UsageError(
            f"cannot read CSL style {style}: {err}",
            hint="pass a .csl file (e.g. from https://github.com/citation-style-language/styles)",
        ) from None


def render_csl(items: Sequence[dict[str, Any]], style: str, *, html: bool = False) -> list[str]:
    """The bibliography of ``items`` in the CSL ``style`` (a .csl path, or the name of a style
    citeproc-py ships), one string per entry, in the style's order; HTML or plain text."""
    csl = _style(style)
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON([dict(item) for item in items])
    out = formatter.html if html else formatter.plain
    bibliography = CitationStylesBibliography(csl, source, out)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(line) for line in bibliography.bibliography()]


def csl_listing(
    entries: Iterable[Entry],
    table: VenueTable,
    options: FormatOptions,
    style: str,
    *,
    html: bool = False,
) -> str:
    """``format --csl``: the entries ``options`` keep (filters as in ``format``), rendered by
    citeproc-py in ``style``, which decides order and labels. Plain text: one entry per
    paragraph; HTML: one ``<div class="csl-entry">`` each, as citeproc-js writes them."""
    kept = [p.entry for group in arrange(entries, table, options) for p in group]
    lines = render_csl(csl_items(kept, table), style, html=html)
    if html:
        body = "".join(f'  <div class="csl-entry">{line}</div>\n' for line in lines)
        return f'<div class="csl-bib-body">\n{body}</div>\n'
    return "\n\n".join(lines) + ("\n" if lines else "")
