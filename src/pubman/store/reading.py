"""Blocks -> entries, ``@string`` macros and problems, as BibTeX reads them. Pure, no I/O.

:class:`Reader` takes a file's blocks in order (fast entries from :mod:`pubman.store.fastscan`,
careful :class:`~pubman.store.scan.Block` objects for everything else) and builds the entries by
key, the expanded macros, and every problem at its line. Field names, entry types and the
values that repeat across a file (years, venues, publishers) are shared, not copied per entry.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence

from pubman.model import Entry, Problem
from pubman.store import readnotes
from pubman.store import scan as bibscan

MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

# Fields whose values are mostly one of a kind; every other field's values (years, venues,
# editors, publishers, timestamps, ...) are kept as one string object per distinct value.
_OWN = frozenset(
    ["title", "author", "url", "biburl", "doi", "pages", "abstract", "eprint", "file", "note"]
)


def expand(
    parts: Iterable[tuple[str, str]], strings: Mapping[str, str], undefined: list[str] | None
) -> str:
    """A value's pieces joined, macros replaced (undefined ones kept as the bare word)."""
    out = []
    for kind, value in parts:
        if kind == "m":
            low = value.lower()
            if low in strings:
                out.append(strings[low])
            elif low in MONTHS:
                out.append(MONTHS[low])
            else:
                if undefined is not None:
                    undefined.append(value)
                out.append(value)
        else:
            out.append(value)
    return "".join(out)


def careful_entry(
    blk: bibscan.Block, strings: Mapping[str, str], problems: list[Problem], line: int
) -> Entry:
    """The entry of a careful block (field order kept; a repeated field keeps its first)."""
    fields: dict[str, str] = {}
    undefined: list[str] = []
    repeated: set[str] = set()
    for f in blk.fields:
        name = sys.intern(f.name.lower())
        if name in fields:
            if name not in repeated:
                repeated.add(name)
                problems.append(_repeated_field(f.name, blk.key, line))
            continue
        parts = f.parts
        if len(parts) == 1 and parts[0][0] != "m":
            fields[name] = parts[0][1]
        else:
            fields[name] = expand(parts, strings, undefined)
    problems += (_undefined(m, blk.key, line) for m in undefined)
    return Entry(blk.key, sys.intern(blk.entry_type.lower()), fields, line)


def _repeated_field(name: str, key: str, line: int) -> Problem:
    return Problem(
        line,
        "duplicate-field",
        f"field '{name}' appears twice in '{key}'; BibTeX uses the first",
        key=key,
        severity="warning",
    )


def _undefined(macro: str, key: str, line: int) -> Problem:
    return Problem(
        line,
        "undefined-macro",
        f"'{key}' uses undefined @string '{macro}' (kept as the bare word)",
        key=key,
        severity="warning",
    )


def commented_out(before: str) -> bool:
    """True when the text just before an entry, on its line, starts with ``%``."""
    line = before[before.rfind("\n") + 1 :]
    return line.lstrip().startswith("%")


class Reader:
    """Entries, macros and problems of blocks fed in file order (see the module docstring)."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.index: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.strings: dict[str, str] = {}
        self.comments: list[int] = []  # indices of @comment blocks
        self._keys: dict[str, str] = {}  # lower-case key -> key
        self._string_lines: dict[str, int] = {}
        self._names: dict[str, str] = {}  # field name as written -> lower-case, interned
        self._types: dict[str, str] = {}
        self._shared: dict[str, str] = {}

    def fast(
        self, i: int, key: str, etype: str, raw: Sequence[tuple[str, str, str]], line: int
    ) -> Entry:
        """Block ``i``, read by :mod:`pubman.store.fastscan`: (name, kind, value) fields."""
        fields: dict[str, str] = {}
        names, shared = self._names, self._shared
        undefined: list[str] = []
        repeated: set[str] = set()
        for name, kind, value in raw:
            low = names.get(name)
            if low is None:
                low = names[name] = sys.intern(name.lower())
            if low in fields:
                if low not in repeated:
                    repeated.add(low)
                    self.problems.append(_repeated_field(name, key, line))
                continue
            if kind == "b" and not value.isdigit():
                value = expand((("m", value),), self.strings, undefined)
            if low not in _OWN:
                value = shared.setdefault(value, value)
            fields[low] = value
        self.problems += (_undefined(m, key, line) for m in undefined)
        if not key or not key.isalnum():  # the only notes a fast entry can have
            self.problems += readnotes.key_notes(etype, key, line)
        t = self._types.get(etype)
        if t is None:
            t = self._types[etype] = sys.intern(etype.lower())
        return Entry(key, t, fields, line)

    def careful(self, i: int, blk: bibscan.Block, chunk: str, line: int) -> Entry | None:
        """Block ``i`` as the careful scanner read it (offsets relative to ``chunk``); the
        entry when it is one."""
        kind = blk.kind
        if kind == "string":
            f = blk.fields[0]
            low = f.name.lower()
            if low in self._string_lines:
                self.problems.append(
                    readnotes.string_redefined(f.name, line, self._string_lines[low])
                )
            self._string_lines.setdefault(low, line)
            self.strings[low] = expand(f.parts, self.strings, None)
        elif kind == "failed":
            self.problems.append(
                Problem(
                    line,
                    "parse",
                    f"cannot parse @{blk.entry_type}"
                    f"{'{' + blk.key if blk.key else ''}: {blk.reason}; kept verbatim",
                    key=blk.key or None,
                )
            )
        elif kind == "comment":
            self.comments.append(i)
        elif kind == "entry":
            entry = careful_entry(blk, self.strings, self.problems, line)
            self.problems += readnotes.entry_notes(blk, chunk, line)
            return entry
        return None

    def add(self, i: int, entry: Entry, before: str) -> None:
        """Index the entry of block ``i``; ``before`` is the text before it on its line."""
        folded = entry.key.lower()
        first = self._keys.get(folded)
        if first is not None:
            self.problems.append(
                Problem(
                    entry.line,
                    "duplicate-key",
                    f"duplicate key '{entry.key}' (first at line "
                    f"{self.entries[first].line}); BibTeX ignores this one",
                    key=entry.key,
                )
            )
            return
        self._keys[folded] = entry.key
        self.entries[entry.key] = entry
        self.index[entry.key] = i
        if before and commented_out(before):
            self.problems.append(
                Problem(
                    entry.line,
                    "commented-entry",
                    f"'{entry.key}' starts on a line commented out with %: BibTeX still "
                    "reads it (and so does pubman), biber does not; delete it to leave "
                    "it out",
                    key=entry.key,
                    severity="warning",
                )
            )

    def text(self, chunk: str, line: int) -> None:
        """A text block between entries (only an ``@`` in it is worth a note)."""
        if "@" in chunk:
            self.problems += readnotes.stray_at(chunk, line)

    def hidden(self, text: str, starts: Sequence[int], kinds: Sequence[str]) -> None:
        """Warn about entries inside a ``@comment{...}``, and ``@comment`` words with no braces
        after them (``text`` is the whole file, block ``i`` starting at ``starts[i]``)."""
        if not self.comments:
            return
        self.problems += readnotes.bare_comments(text, starts, kinds, self.comments)
        keys = {i: k for k, i in self.index.items()}
        for i, comment_line in readnotes.hidden_by_comment(text, starts, kinds).items():
            if i in keys:
                entry = self.entries[keys[i]]
                self.problems.append(readnotes.comment_hidden(entry.key, entry.line, comment_line))
