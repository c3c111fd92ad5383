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
from pubman.text.pattern import LazyPattern

_PLAIN_TYPE = LazyPattern(r"[A-Za-z][\w-]*\Z")
# Characters BibTeX accepts in a key but biber does not: biber cuts the key short there, or
# stops reading the whole file with a syntax error (checked with biber 2.19 --tool).
KEY_CHARS_BIBER_REFUSES = "\"#%'(),={}\\"
_BIBER_BAD_KEY = LazyPattern("[" + re.escape(KEY_CHARS_BIBER_REFUSES) + "]")


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


def key_notes(entry_type: str, key: str, line: int) -> list[Problem]:
    """An empty key, or one biber cannot read (the notes a plain, fast-read entry can have)."""
    out = [] if key else [empty_key(entry_type, line)]
    bad = _BIBER_BAD_KEY.search(key)
    if bad:
        out.append(
            Problem(
                line,
                "biber-key",
                f"key '{key}' holds {bad.group()!r}: BibTeX reads it, but biber cuts the key "
                "there or stops reading the whole file; rename the key (and its \\cite) without "
                f"any of {KEY_CHARS_BIBER_REFUSES}",
                key=key,
                severity="warning",
            )
        )
    return out


def entry_notes(blk: bibscan.Block, chunk: str, line: int) -> list[Problem]:
    """The key's notes, a type no style knows the shape of, a ``%`` comment inside the entry."""
    out = key_notes(blk.entry_type, blk.key, line)
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


def stray_at(chunk: str, line: int) -> list[Problem]:
    """An ``@`` in the text between entries, outside a ``%`` line: BibTeX skips it; biber takes
    it for the start of an entry and stops reading the file. One problem, at the first."""
    at = chunk.find("@")
    while at >= 0:
        start = chunk.rfind("\n", 0, at) + 1
        if not chunk[start:at].lstrip().startswith("%"):
            where = line + chunk.count("\n", 0, at)
            end = chunk.find("\n", at)
            snippet = chunk[start : end if end >= 0 else len(chunk)].strip()
            return [
                Problem(
                    where,
                    "stray-at",
                    f"an '@' outside any entry ({snippet[:60]!r}): BibTeX skips it, but biber "
                    "takes it for an entry and stops reading the whole file; delete the '@' or "
                    "start the line with %",
                    severity="warning",
                )
            ]
        at = chunk.find("@", at + 1)
    return []


_BRACE_NEXT = LazyPattern(r"\s*[{(]")


def bare_comments(
    text: str, starts: Sequence[int], kinds: Sequence[str], comments: Sequence[int]
) -> list[Problem]:
    """The ``@comment`` blocks (indices ``comments``) not followed by a brace or parenthesis."""
    out = []
    for i in comments:
        end = starts[i + 1] if i + 1 < len(kinds) else len(text)
        if not _BRACE_NEXT.match(text, end):
            word = text[starts[i] + 1 : end].strip()
            out.append(bare_comment(word, text.count("\n", 0, starts[i]) + 1))
    return out


def bare_comment(word: str, line: int) -> Problem:
    """``@comment`` not followed by a brace: BibTeX skips the word, biber stops reading."""
    return Problem(
        line,
        "bare-comment",
        f"@{word} without {{...}}: BibTeX skips the word, but biber stops reading the whole file "
        f"there; write @{word}{{...}} around the text or start the line with %",
        severity="warning",
    )


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
