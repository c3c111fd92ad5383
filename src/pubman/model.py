"""Plain data that every feature module shares: entries as read from a .bib, and people.

Stdlib only, no I/O, no parsing. ``Entry.fields`` holds each field's value as BibTeX sees it:
``@string`` macros and ``#`` concatenations resolved, outer delimiters removed, inner LaTeX kept
(decode it with :mod:`pubman.text.names` before comparing).

The types are :class:`typing.NamedTuple`, not frozen dataclasses: on the cold path of ``pubman
format`` a frozen dataclass costs ~4-5 M instructions to create (and ``dataclasses`` pulls in
``inspect``), a NamedTuple ~1.5 M; instances are as immutable, and construct faster, which a
250k-entry file does 250k times.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

# The kinds of venue an entry is classified into (pubman.venues), in the order every list,
# table and option shows them. The one definition: venues, formatting, stats and the CLI read
# it here (a leaf module, so declaring --type imports no venue table).
VENUE_KINDS = ("conference", "journal", "workshop", "preprint", "book", "thesis", "report", "other")

# The fields of an entry built without any: shared, so read-only.
_NO_FIELDS: Mapping[str, str] = MappingProxyType({})


class Entry(NamedTuple):
    """One BibTeX entry. ``type`` and field names are lower-case; ``key`` is as written."""

    key: str
    type: str
    fields: Mapping[str, str] = _NO_FIELDS
    line: int = 0

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


class Person(NamedTuple):
    """One name from an ``author``/``editor`` list, split by BibTeX rules.

    The parts are plain Unicode (LaTeX decoded, braces removed); ``raw`` is the name as written.
    ``marks`` holds equal-contribution or similar marks that were glued to the name (``*``, ``†``).
    """

    first: str = ""
    von: str = ""
    last: str = ""
    jr: str = ""
    raw: str = ""
    marks: str = ""

    @property
    def is_others(self) -> bool:
        """True for the ``others`` placeholder of a truncated list (``and others``)."""
        return self.last.lower() == "others" and not (self.first or self.von or self.jr)


class Problem(NamedTuple):
    """Something wrong in a .bib file, located by line (1-based); ``key`` when an entry is known."""

    line: int
    kind: str
    message: str
    key: str | None = None
    severity: str = "error"
