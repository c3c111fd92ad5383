"""Where pubman's reading of a .bib and BibTeX's or biber's part ways: warnings, no I/O.

pubman reads a file as BibTeX 0.99 does (checked by ``tests/test_bibtex_oracle.py``, which runs
``bibtex`` itself), and where a file is read differently by biber, or BibTeX itself complains,
these problems say so at the entry's line. The entry is kept verbatim either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pubman.model import Problem
from pubman.store import scan as bibscan

_PLAIN_TYPE = re.compile(r"[A-Za-z][\w-]*\Z")


def string_redefined(name: str, line: int, first_line: int) -> Problem:
    return Problem(
        line,
        "duplicate-string",
        f"@string '{name}' is defined again (first at line {first_line}); BibTeX uses this "
        "value from here on, entries above keep the first",
        severity="warning",
    )


def empty_key(entry_type: str, line: int) -> Problem:
    return Problem(
        line,
        "empty-key",
        f"@{entry_type} has an empty key: BibTeX reads it, but no \\cite can reach it",
        key="",
    )


def entry_notes(blk: bibscan.Block, chunk: str, line: int) -> list[Problem]:
    """An empty key, a type no style knows the shape of, a ``%`` comment inside the entry."""
    out = []
    if not blk.key:
        out.append(empty_key(blk.entry_type, line))
    if not _PLAIN_TYPE.match(blk.entry_type):
        out.append(
            Problem(
                line,
                "odd-type",
                f"'{blk.key}' has entry type '{blk.entry_type}': legal for BibTeX, but no style "
                "defines it (it is read as an unknown type)",
                key=blk.key,
                severity="warning",
            )
        )
    if "%" in chunk:
        out += _percent_lines(blk, chunk, line)
    return out


def _percent_lines(blk: bibscan.Block, chunk: str, line: int) -> list[Problem]:
    """BibTeX has no ``%`` comments: inside an entry it stops reading the entry there."""
    off = blk.start
    gaps = [(blk.key_start + len(blk.key), blk.fields[0].start if blk.fields else blk.body_end)]
    gaps += [(a.end, b.start) for a, b in zip(blk.fields, blk.fields[1:])]
    if blk.fields:
        gaps.append((blk.fields[-1].end, blk.body_end))
    for n, (a, b) in enumerate(gaps):
        pct = chunk.find("%", a - off, b - off)  # between fields a '%' is always a comment
        if pct < 0:
            continue
        lost = [f.name for f in blk.fields[n:]]
        at = line + chunk.count("\n", 0, pct)
        tail = f" (BibTeX loses {', '.join(lost)})" if lost else ""
        return [
            Problem(
                at,
                "percent-in-entry",
                f"'{blk.key}': a % comment inside the entry; BibTeX has no % comments and "
                f"stops reading the entry there{tail}; pubman and biber skip to the line end",
                key=blk.key,
                severity="warning",
            )
        ]
    return []


def hidden_by_comment(text: str, starts: Sequence[int], kinds: Sequence[str]) -> dict[int, int]:
    """Block index -> line of the ``@comment`` whose braces hold it, for entry blocks.

    Block ``i`` of ``text`` starts at ``starts[i]`` and is of kind ``kinds[i]``.
    """
    hidden: dict[int, int] = {}
    for i in (i for i, k in enumerate(kinds) if k == "comment"):
        end = bibscan.comment_extent(text, starts[i])
        line = text.count("\n", 0, starts[i]) + 1
        j = i + 1
        while j < len(kinds) and starts[j] < end:
            if kinds[j] == "entry":
                hidden.setdefault(j, line)
            j += 1
    return hidden


def comment_hidden(key: str, line: int, comment_line: int) -> Problem:
    return Problem(
        line,
        "comment-hidden",
        f"'{key}' is inside the @comment{{...}} of line {comment_line}: BibTeX reads it (and "
        "so does pubman), biber does not; delete it to leave it out",
        key=key,
        severity="warning",
    )
