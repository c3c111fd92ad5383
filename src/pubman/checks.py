"""Problems in a bibliography that a user should fix: pure functions over entries, no I/O.

Parse failures, duplicate keys/fields and undefined macros come from the store; this module adds
missing required fields, suspicious author lists, and entries where the owner is not an author
(or matches twice).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pubman.model import Entry, Problem
from pubman.work import work_of

# BibTeX's standard styles: required fields per entry type ("a|b" means either).
REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "booklet": ("title",),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "proceedings": ("title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "unpublished": ("author", "title", "note"),
    "misc": (),
}

# biblatex names for what BibTeX's styles require: `date` holds the year, `journaltitle` the journal.
_ALSO = {"year": ("date",), "journal": ("journaltitle",)}

_AND_AND = re.compile(r"\band\s+and\b", re.IGNORECASE)
_ET_AL = re.compile(r"\bet\.?\s*al\b\.?", re.IGNORECASE)
_EDGE_AND = re.compile(r"^\s*and\b|\band\s*$", re.IGNORECASE)


def missing_fields(entry: Entry) -> list[Problem]:
    out = []
    crossref = "crossref" in entry.fields
    for req in REQUIRED.get(entry.type, ()):
        options = req.split("|")
        accepted = [*options, *(a for o in options for a in _ALSO.get(o, ()))]
        if any(entry.fields.get(o, "").strip() for o in accepted):
            continue
        if crossref and req in ("booktitle", "publisher", "year", "editor", "author|editor"):
            continue  # inherited through crossref
        out.append(
            Problem(
                entry.line,
                "missing-field",
                f"@{entry.type} '{entry.key}' lacks required field {' or '.join(options)}",
                key=entry.key,
            )
        )
    return out


def suspicious_names(entry: Entry) -> list[Problem]:
    out = []
    for name in ("author", "editor"):
        value = entry.fields.get(name)
        if value is None:
            continue
        if _AND_AND.search(value) or _EDGE_AND.search(value) or not value.strip():
            out.append(
                Problem(
                    entry.line,
                    "empty-name",
                    f"'{entry.key}': {name} has an empty name ('and and', or 'and' at an end)",
                    key=entry.key,
                )
            )
        out += _comma_lists(entry, name, value)
        if _ET_AL.search(value):
            out.append(
                Problem(
                    entry.line,
                    "et-al",
                    f"'{entry.key}': {name} contains 'et al'; write 'and others'",
                    key=entry.key,
                )
            )
    return out


def _comma_lists(entry: Entry, field: str, value: str) -> list[Problem]:
    """Names written with commas instead of ``and``: BibTeX reads them as one person."""
    from pubman.text.commalist import comma_pieces, maybe_comma_pair, split_comma_lists
    from pubman.text.nameparts import split_names

    if "," not in value:
        return []
    names = split_names(value)
    for name in names:
        people = comma_pieces(name)
        if people:
            return [
                Problem(
                    entry.line,
                    "comma-names",
                    f"'{entry.key}': {field} separates names with commas ('{name}'); BibTeX "
                    f"reads that as one person, pubman as {len(people)}: write "
                    f"'{' and '.join(split_comma_lists(split_names(value)))}'",
                    key=entry.key,
                )
            ]
        if len(names) == 1 and maybe_comma_pair(name):  # in a list, 'De Silva, Ana' is usual
            first, second = (p.strip() for p in name.split(",", 1))
            return [
                Problem(
                    entry.line,
                    "comma-names",
                    f"'{entry.key}': {field} has '{name}', read as Last '{first}', First "
                    f"'{second}'; if these are two people, write '{first} and {second}'",
                    key=entry.key,
                    severity="warning",
                )
            ]
    return []


def owner_problems(entry: Entry, matcher: object) -> list[Problem]:
    """The owner must be among the authors (or editors) exactly once; the people are the
    entry's :class:`pubman.work.Work` view's."""
    value = entry.fields.get("author") or entry.fields.get("editor")
    if not value:
        return []
    may = matcher.may_appear_in(value)  # type: ignore[attr-defined]
    persons = list(work_of(entry).people) if may else []
    hits = matcher.find(persons) if may else []  # type: ignore[attr-defined]
    if len(hits) == 1:
        return []
    if not hits:
        truncated = bool(re.search(r"\band\s+others\s*$", value.strip(), re.IGNORECASE))
        extra = " (the list ends in 'and others': add the full list)" if truncated else ""
        return [
            Problem(
                entry.line,
                "owner-missing",
                f"'{entry.key}': the owner is not among the authors{extra}",
                key=entry.key,
            )
        ]
    names = ", ".join(persons[i].raw.strip() for i in hits)
    return [
        Problem(
            entry.line,
            "owner-twice",
            f"'{entry.key}': the owner matches {len(hits)} authors ({names})",
            key=entry.key,
        )
    ]


def bad_crossrefs(entries: Sequence[Entry]) -> list[Problem]:
    """A ``crossref`` naming no entry: BibTeX warns and reads the entry without the field."""
    keys = {e.key.lower() for e in entries}
    return [
        Problem(
            e.line,
            "bad-crossref",
            f"'{e.key}' has crossref = {{{e.fields['crossref']}}}, but no entry has that key: "
            "BibTeX drops the field and inherits nothing",
            key=e.key,
            severity="warning",
        )
        for e in entries
        if "crossref" in e.fields and e.fields["crossref"].strip().lower() not in keys
    ]


def check(
    entries: Iterable[Entry], store_problems: Sequence[Problem], matcher: object | None = None
) -> list[Problem]:
    """All problems, sorted by line."""
    problems = list(store_problems)
    entries = list(entries)
    problems += bad_crossrefs(entries)
    for entry in entries:
        problems += missing_fields(entry)
        problems += suspicious_names(entry)
        if matcher is not None:
            problems += owner_problems(entry, matcher)
    return sorted(problems, key=lambda p: (p.line, p.kind))
