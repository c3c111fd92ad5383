"""The fast path of the scanner: well-formed entries read by one regular expression. Pure.

Most entries are ``@type{key, name = {value}, ...}`` with values that are one braced, quoted or
bare piece, nested at most three braces deep, holding no ``@``. :data:`HEAD` and :data:`TOKEN`
read exactly those, a field per match, each match starting where the last one ended (only where
the careful scanner, :mod:`pubman.store.scan`, would start an entry). Anything else
(``@string``, ``@comment``, ``#``, ``%`` between fields, deeper braces, an ``@`` in a value,
parentheses, a broken entry) goes through :func:`pubman.store.scan.scan_step`, so the blocks
are always the careful scanner's: ``tests/test_fastscan.py`` checks that on every corpus file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Protocol

from pubman.store.scan import Block, scan_step

_W = r"[ \t\r\n]*"  # the careful scanner's white space between tokens
_NAME = r"[^\s=,{}()\"#%'~]+"
_B0 = r"[^{}@]*"
_B1 = _B0 + r"(?:\{" + _B0 + r"\}" + _B0 + r")*"
_B2 = _B0 + r"(?:\{" + _B1 + r"\}" + _B0 + r")*"
_BRACED = _B0 + r"(?:\{" + _B2 + r"\}" + _B0 + r")*"  # inside a value's braces, 3 levels
_QUOTED = r"[^\"{}@]*(?:\{" + _B2 + r"\}[^\"{}@]*)*"
_BARE = r"[^\s,{}()\"#=%]+"

# group 1 type, 2 key; the fields follow, one :data:`TOKEN` each, then the close
HEAD = re.compile(
    rf"@(?!(?i:comment|string|preamble){_W}\{{)([A-Za-z][A-Za-z0-9_-]*){_W}\{{{_W}([^\s,{{}}]*)"
)
# ", name = value" (group 1 the name; 2 braced contents, 3 quoted contents or 4 a bare word),
# or the entry's close (group 5), each matched where the last one ended
TOKEN = re.compile(
    rf"{_W},{_W}({_NAME}){_W}={_W}(?:\{{({_BRACED})\}}|\"({_QUOTED})\"|({_BARE}))"
    rf"|{_W}(?:,{_W})?(\}})"
)
_CLOSE = 5


class _Scanner(Protocol):  # re's scanner object: each match() starts where the last ended
    def match(self) -> re.Match[str] | None: ...


_scanner: Callable[[str, int], _Scanner] = TOKEN.scanner  # type: ignore[attr-defined]
KINDS = ("", "", "{", '"', "b")  # by group number: how the value was written

# (start, end, line, type, key, [(name, kind, value), ...]); kind is KINDS[group]
FastEntry = tuple[int, int, int, str, str, list[tuple[str, str, str]]]


def blocks(text: str) -> Iterator[FastEntry | Block]:
    """The blocks of ``text`` in order: fast entries as :data:`FastEntry` tuples, every other
    block as the careful scanner's :class:`~pubman.store.scan.Block`."""
    pos, line, n = 0, 1, len(text)
    find, count, head = text.find, text.count, HEAD.match
    while pos < n:
        at = find("@", pos)
        fast = None if at < 0 else _entry(text, at, head(text, at))
        if fast is None:  # not a plain entry (or no '@' left): the careful way
            careful: list[Block] = []
            pos, line = scan_step(text, pos, line, careful)
            yield from careful
            continue
        if at > pos:
            yield Block("text", pos, at, line)
            line += count("\n", pos, at)
        end = fast[0]
        yield (at, end, line, fast[1], fast[2], fast[3])
        line += count("\n", at, end)
        pos = end


def _entry(
    text: str, at: int, head: re.Match[str] | None
) -> tuple[int, str, str, list[tuple[str, str, str]]] | None:
    if head is None:
        return None
    match = _scanner(text, head.end()).match
    fields: list[tuple[str, str, str]] = []
    kinds = KINDS
    while True:
        m = match()
        if m is None:
            return None
        g = m.lastindex or 0  # every match sets a group: a name (1-4) or the close (5)
        if g == _CLOSE:
            return m.end(), head[1], head[2], fields
        fields.append((m[1], kinds[g], m[g]))


def entry_at(text: str, start: int, end: int) -> FastEntry | None:
    """The fast reading of the block ``text[start:end]`` (with line 0), or None."""
    fast = _entry(text, start, HEAD.match(text, start, end))
    if fast is None or fast[0] != end:
        return None
    return (start, end, 0, fast[1], fast[2], fast[3])
