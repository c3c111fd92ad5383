"""A bibliography's reading as plain data for :mod:`pubman.store.parsecache`, and back. Pure.

Block bounds and lines are int64 arrays as bytes, kinds one letter a block; entries are
parallel lists with their fields laid out flat (names, values), so marshal writes and reads
them at C speed. :func:`restore` raises ValueError, KeyError, TypeError or IndexError for data
that does not fit the text (the caller then reads the file afresh).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pubman.model import Entry, Problem

_KIND_CODES = {"entry": "e", "text": "t", "string": "s", "preamble": "p", "comment": "c"}
_KINDS = {c: k for k, c in _KIND_CODES.items()} | {"f": "failed"}

if TYPE_CHECKING:  # array[int] is only subscriptable for the type checker
    # starts, ends, lines, kinds, entries, index, problems, strings
    Restored = tuple[
        array[int],
        array[int],
        array[int],
        list[str],
        dict[str, Entry],
        dict[str, int],
        list[Problem],
        dict[str, str],
    ]


def export(
    starts: array[int],
    lines: array[int],
    kinds: Sequence[str],
    size: int,
    entries: Mapping[str, Entry],
    index: Mapping[str, int],
    problems: Sequence[Problem],
    strings: Mapping[str, str],
) -> dict[str, Any]:
    """The reading of an unedited text of ``size`` characters as plain data."""
    listed = list(entries.values())
    return {
        "bounds": (starts + array("q", [size])).tobytes(),
        "lines": lines.tobytes(),
        "kinds": "".join(_KIND_CODES.get(k, "f") for k in kinds),
        "keys": [e.key for e in listed],
        "types": [e.type for e in listed],
        "at": [index[e.key] for e in listed],
        "counts": [len(e.fields) for e in listed],
        "names": [n for e in listed for n in e.fields],
        "values": [v for e in listed for v in e.fields.values()],
        "problems": [(p.line, p.kind, p.message, p.key, p.severity) for p in problems],
        "strings": dict(strings),
    }


def restore(data: Mapping[str, Any], size: int) -> Restored:
    """:func:`export`'s data back, checked to cover a text of ``size`` characters."""
    bounds, lines, kinds = array("q"), array("q"), data["kinds"]
    bounds.frombytes(data["bounds"])
    lines.frombytes(data["lines"])
    n = len(kinds)
    if len(bounds) != n + 1 or len(lines) != n or bounds[0] != 0 or bounds[-1] != size:
        raise ValueError("cached blocks do not cover the file")
    if any(a > b for a, b in itertools.pairwise(bounds)):
        raise ValueError("cached blocks do not cover the file")
    entries: dict[str, Entry] = {}
    index: dict[str, int] = {}
    names, values, p = data["names"], data["values"], 0
    for key, etype, i, count in zip(data["keys"], data["types"], data["at"], data["counts"]):
        q = p + count
        entries[key] = Entry(key, etype, dict(zip(names[p:q], values[p:q])), lines[i])
        index[key] = i
        p = q
    if p != len(names) or p != len(values):
        raise ValueError("cached fields do not fit")
    problems = [Problem(int(a), b, c, d, e) for a, b, c, d, e in data["problems"]]
    return (
        bounds[:-1],
        bounds[1:],
        lines,
        [_KINDS[c] for c in kinds],
        entries,
        index,
        problems,
        dict(data["strings"]),
    )
