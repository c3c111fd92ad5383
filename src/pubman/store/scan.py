"""Lossless BibTeX scanner: text -> blocks with exact spans. Pure, no I/O.

Every character of the input belongs to exactly one block, so joining the blocks' texts gives the
input back byte for byte. Entries are scanned brace-aware, so a line that starts with ``@`` inside
a braced value (dblp has such titles) stays inside its entry. An entry that cannot be parsed (an
unclosed brace, a missing ``=``) becomes a ``failed`` block: kept verbatim, with a line and a
reason, never dropped. As in BibTeX, ``@comment`` is only the word: entries inside the braces
after it are read (biber skips the group; see :func:`comment_extent`). This module does not resolve macros (see :mod:`pubman.store.bibliography`).
"""

from __future__ import annotations

import re
from bisect import bisect_right

# The careful scanner's patterns, compiled by :func:`_compile` on its first use: a file that the
# fast scanner (:mod:`pubman.store.fastscan`) reads whole, as most small lists are, never needs
# them, and compiling them costs ~0.4 ms of start-up.
_ENTRY_START_LINE: re.Pattern[str]
_AT_HEAD: re.Pattern[str]
_BRACE: re.Pattern[str]
_QUOTE_OR_BRACE: re.Pattern[str]
_WS: re.Pattern[str]
_WS_COMMENTS: re.Pattern[str]
_NAME: re.Pattern[str]
_KEY: re.Pattern[str]
_KEY_PAREN: re.Pattern[str]
_BARE: re.Pattern[str]
_FAST_FIELD: re.Pattern[str]
_compiled: list[bool] = []  # [True] once compiled


def _compile() -> None:
    """Compile the careful scanner's patterns (once; every public entry point calls this)."""
    global _ENTRY_START_LINE, _AT_HEAD, _BRACE, _QUOTE_OR_BRACE, _WS, _WS_COMMENTS, _NAME
    global _KEY, _KEY_PAREN, _BARE, _FAST_FIELD
    # A new entry is assumed to begin at a line that starts with "@word{" or "@word(": used
    # only to stop an unclosed entry from swallowing the rest of the file.
    _ENTRY_START_LINE = re.compile(r"\n[ \t]*@[A-Za-z]+[ \t]*[{(]")
    # BibTeX's identifier: any characters but white space and ``"#%'(),={}``, not starting with
    # a digit; so ``@t@{``, ``@t+{`` and ``@_t{`` are entries of type ``t@``, ``t+`` and ``_t``.
    _AT_HEAD = re.compile(r"@[ \t]*([^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*)[ \t\r\n]*([{(])?")
    _BRACE = re.compile(r"[{}]")
    _QUOTE_OR_BRACE = re.compile(r'[{}"]')
    _WS = re.compile(r"[ \t\r\n]*")
    # Between fields, "%" starts a comment to the end of the line (as in biber; a commented-out
    # field "%  volume = {7}," is common). Inside values "%" is text.
    _WS_COMMENTS = re.compile(r"(?:[ \t\r\n]+|%[^\n]*)*")
    _NAME = re.compile(r"[^\s=,{}()\"#%'~]+")
    _KEY = re.compile(r"[^\s,{}]*")
    _KEY_PAREN = re.compile(r"[^\s,{})]*")  # in "@misc(key)" the ')' closes the entry
    _BARE = re.compile(r"[^\s,{}()\"#=%]+")

    # ", name = value" with a value that needs no brace matching, followed by "," or the
    # close.
    _FAST_FIELD = re.compile(
        r",[ \t\r\n]*([^\s=,{}()\"#%'~]+)[ \t\r\n]*=[ \t\r\n]*"
        r"(?:(\{[^{}]*\})|(\"[^\"{}]*\")|([^\s,{}()\"#=%]+))"
        r"[ \t\r\n]*(?=[,})])"
    )
    _compiled.append(True)


_FAST_KINDS = {2: "{", 3: '"', 4: "b"}


class FieldSpan:
    """One ``name = value`` of an entry. Offsets are absolute in the scanned text.

    ``parts`` are the value's pieces joined by ``#``: ('{', text) braced, ('"', text) quoted,
    ('n', digits) a number, ('m', name) a macro reference.

    FieldSpan and :class:`Block` are plain mutable classes with slots, not dataclasses: no
    ``dataclasses`` import and class creation on the start-up path, and no per-instance dict.
    """

    __slots__ = ("end", "name", "parts", "start", "value_start")

    def __init__(
        self, name: str, start: int, value_start: int, end: int, parts: list[tuple[str, str]]
    ) -> None:
        self.name = name
        self.start = start  # start of the field name
        self.value_start = value_start
        self.end = end  # end of the value (before any comma)
        self.parts = parts

    def _values(self) -> tuple[object, ...]:
        return (self.name, self.start, self.value_start, self.end, self.parts)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not FieldSpan:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        return "FieldSpan(name={!r}, start={!r}, value_start={!r}, end={!r}, parts={!r})".format(
            *self._values()
        )


_BLOCK_FIELDS = (
    "kind",
    "start",
    "end",
    "line",
    "entry_type",
    "key",
    "key_start",
    "type_start",
    "close",
    "fields",
    "body_end",
    "reason",
)


class Block:
    """A span of the text. kind: entry | string | preamble | comment | text | failed."""

    __slots__ = _BLOCK_FIELDS

    def __init__(
        self,
        kind: str,
        start: int,
        end: int,
        line: int,
        entry_type: str = "",  # as written (entries, string, preamble, comment)
        key: str = "",
        key_start: int = 0,
        type_start: int = 0,
        close: str = "}",
        fields: list[FieldSpan] | None = None,
        body_end: int = 0,  # offset of the closing delimiter
        reason: str = "",
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.line = line
        self.entry_type = entry_type
        self.key = key
        self.key_start = key_start
        self.type_start = type_start
        self.close = close
        self.fields: list[FieldSpan] = [] if fields is None else fields
        self.body_end = body_end
        self.reason = reason

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _BLOCK_FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Block:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(_BLOCK_FIELDS, self._values()))
        return f"Block({inner})"


class ScanError(Exception):
    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


def scan(text: str) -> list[Block]:
    """Split ``text`` into blocks that cover it exactly, in order."""
    if not _compiled:
        _compile()
    blocks: list[Block] = []
    pos, line = 0, 1
    while pos < len(text):
        pos, line = scan_step(text, pos, line, blocks)
    return blocks


def scan_step(text: str, pos: int, line: int, blocks: list[Block]) -> tuple[int, int]:
    """Append the blocks from ``pos`` (at ``line``) through the next ``@`` block, or through the
    end of the text; returns the offset and line where scanning goes on. Blocks end at offsets
    that depend only on the text from ``pos``, so :mod:`pubman.store.fastscan` can take over
    between steps."""
    if not _compiled:
        _compile()
    n = len(text)
    while pos < n:
        at = text.find("@", pos)
        if at < 0:
            blocks.append(Block("text", pos, n, line))
            return n, line + text.count("\n", pos, n)
        head = _AT_HEAD.match(text, at)
        if head is None or (head.group(2) is None and head.group(1).lower() != "comment"):
            # A stray "@" (e.g. "@@article", an e-mail address in free text): it is text.
            at_end = at + 1
            _append_text(blocks, pos, at_end, line, text)
            line += text.count("\n", pos, at_end)
            pos = at_end
            continue
        if at > pos:
            _append_text(blocks, pos, at, line, text)
            line += text.count("\n", pos, at)
        block = _scan_at(text, at, line, head)
        blocks.append(block)
        return block.end, line + text.count("\n", at, block.end)
    return pos, line


def _append_text(blocks: list[Block], start: int, end: int, line: int, text: str) -> None:
    if blocks and blocks[-1].kind == "text" and blocks[-1].end == start:
        blocks[-1].end = end
    else:
        blocks.append(Block("text", start, end, line))


def _scan_at(text: str, at: int, line: int, head: re.Match[str]) -> Block:
    word = head.group(1)
    kind_word = word.lower()
    opener = head.group(2)
    if opener is None:  # bare "@comment": BibTeX skips the word, the rest is text
        return Block("comment", at, head.end(1), line, entry_type=word)
    close = "}" if opener == "{" else ")"
    body = head.end()
    try:
        if kind_word == "comment":
            # BibTeX skips only the word: what follows is read on, so entries "hidden" in the
            # braces are read (see :func:`comment_extent` for reporting them).
            return Block("comment", at, head.end(1), line, entry_type=word)
        if kind_word == "preamble":
            vstart = _skip_ws(text, body)  # "@preamble{ "..." }" is common
            parts, vend = _scan_value(text, vstart)
            p = _skip_ws(text, vend)
            _expect(text, p, close)
            blk = Block("preamble", at, p + 1, line, entry_type=word, close=close, body_end=p)
            blk.fields.append(FieldSpan("", vstart, vstart, vend, parts))
            return blk
        if kind_word == "string":
            return _scan_string(text, at, line, word, body, close)
        return _scan_entry(text, at, line, word, body, close, head.start(1))
    except ScanError as err:
        return _failed(text, at, line, word, err)


def _failed(text: str, at: int, line: int, word: str, err: ScanError) -> Block:
    """A block that could not be parsed runs to the next line that starts a new entry."""
    nxt = _ENTRY_START_LINE.search(text, at + 1)
    end = len(text) if nxt is None else nxt.start() + 1
    err_line = line + text.count("\n", at, min(err.pos, len(text)))
    blk = Block("failed", at, end, line, entry_type=word)
    blk.reason = f"{err.reason} (line {err_line})"
    key = _KEY.match(text, _skip_ws(text, _AT_HEAD.match(text, at).end()))  # type: ignore[union-attr]
    blk.key = key.group(0) if key else ""
    return blk


def _scan_string(text: str, at: int, line: int, word: str, body: int, close: str) -> Block:
    p = _skip_ws(text, body)
    m = _NAME.match(text, p)
    if not m:
        raise ScanError(p, "@string without a name")
    p = _skip_ws(text, m.end())
    _expect(text, p, "=")
    vstart = _skip_ws(text, p + 1)
    parts, vend = _scan_value(text, vstart)
    p = _skip_ws(text, vend)
    if p < len(text) and text[p] == ",":  # tolerated trailing comma
        p = _skip_ws(text, p + 1)
    _expect(text, p, close)
    blk = Block("string", at, p + 1, line, entry_type=word, close=close, body_end=p)
    blk.key = m.group(0)
    blk.fields.append(FieldSpan(m.group(0), m.start(), vstart, vend, parts))
    return blk


def _scan_entry(
    text: str, at: int, line: int, word: str, body: int, close: str, type_start: int
) -> Block:
    p = _skip_ws(text, body)
    m = (_KEY if close == "}" else _KEY_PAREN).match(text, p)
    key = m.group(0) if m else ""
    blk = Block(
        "entry",
        at,
        at,
        line,
        entry_type=word,
        key=key,
        key_start=p,
        close=close,
        type_start=type_start,
    )
    p = skip_space(text, p + len(key))
    n = len(text)
    while True:
        if p >= n:
            raise ScanError(at, f"entry '{key}' is not closed: missing '{close}'")
        c = text[p]
        if c == close:
            blk.body_end = p
            blk.end = p + 1
            return blk
        if c == "@":
            raise ScanError(
                p, f"entry '{key}' is not closed before the next '@' (unbalanced braces?)"
            )
        if c != ",":
            raise ScanError(p, f"entry '{key}': expected ',' or '{close}', found {c!r}")
        fast = _FAST_FIELD.match(text, p)
        if fast is not None:  # the common case: one simple value, no '#', no nested braces
            g = fast.lastindex or 0
            vstart = fast.start(g)
            kind = _FAST_KINDS[g]
            if kind in '{"':
                parts = [(kind, fast.group(g)[1:-1])]
            else:
                tok = fast.group(g)
                parts = [("n" if tok.isdigit() else "m", tok)]
            blk.fields.append(FieldSpan(fast.group(1), fast.start(1), vstart, fast.end(g), parts))
            p = fast.end()
            continue
        p = skip_space(text, p + 1)
        if p < n and text[p] == close:
            continue
        m = _NAME.match(text, p)
        if not m:
            raise ScanError(p, f"entry '{key}': expected a field name, found {text[p : p + 1]!r}")
        name_start = p
        p = _skip_ws(text, m.end())
        if p >= n or text[p] != "=":
            raise ScanError(p, f"entry '{key}': field '{m.group(0)}' has no '='")
        vstart = _skip_ws(text, p + 1)
        parts, vend = _scan_value(text, vstart)
        blk.fields.append(FieldSpan(m.group(0), name_start, vstart, vend, parts))
        p = skip_space(text, vend)


def _scan_value(text: str, p: int) -> tuple[list[tuple[str, str]], int]:
    parts: list[tuple[str, str]] = []
    n = len(text)
    while True:
        if p >= n:
            raise ScanError(p, "value missing at end of file")
        c = text[p]
        if c == "{":
            end = _match_close(text, p + 1, "}")
            parts.append(("{", text[p + 1 : end - 1]))
            p = end
        elif c == '"':
            end = _match_quote(text, p + 1)
            parts.append(('"', text[p + 1 : end - 1]))
            p = end
        else:
            m = _BARE.match(text, p)
            if not m:
                raise ScanError(p, f"expected a value, found {c!r}")
            tok = m.group(0)
            parts.append(("n" if tok.isdigit() else "m", tok))
            p = m.end()
        q = _skip_ws(text, p)
        if q < n and text[q] == "#":
            p = _skip_ws(text, q + 1)
            continue
        return parts, p


def _match_close(text: str, p: int, close: str, *, value: bool = True) -> int:
    """Offset just past the delimiter that closes a group opened before ``p``.

    For a ``value`` the group must not run over a line that starts a new entry (see
    :func:`_check_no_entry_start`); the group after ``@comment`` may.
    """
    if close == ")":  # parenthesised @comment(...): braces nest inside, ')' at depth 0 closes
        depth = 0
        for m in re.compile(r"[{}()]").finditer(text, p):
            c = m.group(0)
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c == ")" and depth <= 0:
                return m.end()
        raise ScanError(p, "unbalanced parentheses")
    depth = 1
    start = p
    search = _BRACE.search
    # A value cannot run over the next entry's first line: looking only that far keeps 10,000
    # lines with an unclosed '{' linear (each one searched to the end of the file: 24 s).
    limit = _next_entry_line(text, p) if value else len(text)
    while True:
        found = search(text, p, limit)
        if found is None:
            if limit < len(text):
                raise ScanError(
                    start - 1, "unbalanced braces: a '{' is not closed before the next entry"
                )
            raise ScanError(start - 1, "unbalanced braces: a '{' is never closed")
        m = found
        if m.group(0) == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                end = m.end()
                if value:  # the whole value, not only its last piece between braces
                    _check_no_entry_start(text, start, end)
                return end
        p = m.end()


def comment_extent(text: str, at: int) -> int:
    """End of the braced group after the ``@comment`` at ``at`` (``at`` when it has none).

    BibTeX ignores only the word ``@comment``; biber ignores the whole group. Entries that start
    before this offset are read by BibTeX (and pubman) but not by biber.
    """
    if not _compiled:
        _compile()
    head = _AT_HEAD.match(text, at)
    if head is None or head.group(2) is None:
        return at
    try:
        return _match_close(text, head.end(), "}" if head.group(2) == "{" else ")", value=False)
    except ScanError:
        return at


_entry_lines: tuple[str, list[int]] = ("", [])  # the last text scanned, its entry-line offsets


def _next_entry_line(text: str, p: int) -> int:
    """Offset of the first line after ``p`` that starts an entry (``len(text)`` if none)."""
    global _entry_lines
    if _entry_lines[0] is not text:
        _entry_lines = (text, [m.start() for m in _ENTRY_START_LINE.finditer(text)])
    starts = _entry_lines[1]
    i = bisect_right(starts, p - 1)
    return starts[i] + 1 if i < len(starts) else len(text)


def _check_no_entry_start(text: str, start: int, end: int) -> None:
    """A braced value that runs over a line starting a new entry has an unclosed brace."""
    if text.find("@", start, end) < 0:  # almost every value: no need for the regex
        return
    m = _ENTRY_START_LINE.search(text, start, end)
    if m is not None:
        raise ScanError(start - 1, "unbalanced braces: a '{' is not closed before the next entry")


def _match_quote(text: str, p: int) -> int:
    depth = 0
    while True:
        m = _QUOTE_OR_BRACE.search(text, p)
        if m is None:
            raise ScanError(p - 1, "unbalanced quotes: a '\"' is never closed")
        c = m.group(0)
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise ScanError(m.start(), "unbalanced braces inside a quoted value")
        elif depth == 0:  # BibTeX lets a quoted value hold a line that starts "@article{"
            return m.end()
        p = m.end()


def _skip_ws(text: str, p: int) -> int:
    return _WS.match(text, p).end()  # type: ignore[union-attr]


def skip_space(text: str, p: int) -> int:
    """Offset after the whitespace and ``%`` line comments that start at ``p``."""
    if not _compiled:
        _compile()
    return _WS_COMMENTS.match(text, p).end()  # type: ignore[union-attr]


def _expect(text: str, p: int, ch: str) -> None:
    if p >= len(text) or text[p] != ch:
        found = repr(text[p]) if p < len(text) else "end of file"
        raise ScanError(p, f"expected {ch!r}, found {found}")
