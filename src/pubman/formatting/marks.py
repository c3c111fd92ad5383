"""Author marks: biblatex data annotations and the owner's advisees -> symbols and a legend.

Contract: pure functions; no I/O, never prints.

biblatex annotates a name list in a field named after it with ``+an``:
``author+an = {1=equal; 3=student,corresponding; 2:family=highlight}`` -- items are 1-based
positions, ``:part`` (family, given) is accepted and counts for the whole name, values are
comma-separated and may be quoted. :func:`read_annotations` reads that into 0-based positions.
The owner's advisees (``[owner] advisees``) get the ``advisee`` annotation wherever they are
matched (by name parts, as the owner is). :func:`symbols` turns an author's annotations into
the configured symbols; :func:`legend` says what the symbols that appear mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pubman.model import Entry, Person
from pubman.text.names import OwnerMatcher
from pubman.text.pattern import LazyPattern

__all__ = ["MEANINGS", "Marking", "author_marks", "legend", "read_annotations", "symbols"]

MEANINGS = {
    "equal": "equal contribution",
    "corresponding": "corresponding author",
    "student": "student author",
    "advisee": "advisee",
    "highlight": "highlighted",
}


# A plain class, not a frozen dataclass (~4M instructions at import per dataclass); not a
# NamedTuple because ``table`` defaults to a new dict. Immutable: assignment raises.
class Marking:
    """What an author list prints beyond the names: ``table`` (annotation -> symbol), the
    advisees' matcher, and ``display``, the owner's one printed form ("" = as each entry
    writes it; ties as :data:`~pubman.formatting.richtext.TIE`)."""

    __slots__ = ("advisees", "display", "table")
    table: Mapping[str, str]
    advisees: OwnerMatcher | None
    display: str

    def __init__(
        self,
        table: Mapping[str, str] | None = None,
        advisees: OwnerMatcher | None = None,
        display: str = "",
    ) -> None:
        object.__setattr__(self, "table", {} if table is None else table)
        object.__setattr__(self, "advisees", advisees)
        object.__setattr__(self, "display", display)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: Marking is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: Marking is immutable")

    def __repr__(self) -> str:
        return (
            f"Marking(table={self.table!r}, advisees={self.advisees!r}, display={self.display!r})"
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not Marking:
            return NotImplemented
        return bool(
            (self.table, self.advisees, self.display)
            == (other.table, other.advisees, other.display)
        )

    def __hash__(self) -> int:
        return hash((self.table, self.advisees, self.display))


_ITEM = LazyPattern(r"^\s*(\d+)\s*(?::\s*[A-Za-z]+)?\s*=\s*(.*?)\s*$", re.DOTALL)


def read_annotations(entry: Entry, field: str = "author") -> dict[int, tuple[str, ...]]:
    """0-based name position -> annotation names (lower case), from ``<field>+an``."""
    out: dict[int, tuple[str, ...]] = {}
    for item in entry.get(f"{field}+an").split(";"):
        match = _ITEM.match(item)
        if not match:
            continue
        names = [v.strip().strip('"{}').strip().lower() for v in match.group(2).split(",")]
        position = int(match.group(1)) - 1
        if position >= 0:
            known = out.get(position, ())
            out[position] = known + tuple(n for n in names if n and n not in known)
    return out


def author_marks(
    entry: Entry,
    field: str,
    persons: Sequence[Person],
    advisees: OwnerMatcher | None,
) -> list[tuple[str, ...]]:
    """For each of ``persons`` (the names of ``field``, in order), its annotations."""
    if entry.get(f"{field}+an"):
        found = read_annotations(entry, field)
        marks: list[tuple[str, ...]] = [found.get(i, ()) for i in range(len(persons))]
    else:
        marks = [()] * len(persons)
    if advisees is not None and advisees.may_appear_in(entry.get(field)):
        for i in advisees.find(persons):
            if "advisee" not in marks[i]:
                marks[i] = (*marks[i], "advisee")
    return marks


def symbols(names: Iterable[str], table: Mapping[str, str]) -> str:
    """The symbols of ``names`` in the table's order, each once ("" when none is configured)."""
    wanted = set(names)
    out: list[str] = []
    for name, symbol in table.items():
        if name in wanted and symbol and symbol not in out:
            out.append(symbol)
    return "".join(out)


def legend(used: Iterable[str], table: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """(symbol, meaning) for the annotations in ``used`` that print a symbol, in the table's
    order; annotations sharing a symbol share a line ("‡": "student author or advisee")."""
    wanted = set(used)
    meanings: dict[str, list[str]] = {}
    for name, symbol in table.items():
        if name in wanted and symbol:
            meanings.setdefault(symbol, []).append(MEANINGS.get(name, name))
    return tuple((symbol, " or ".join(texts)) for symbol, texts in meanings.items())
