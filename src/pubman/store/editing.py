"""Editing a bibliography block by block: the mixin behind :class:`Bibliography`'s edits.

Every edit replaces the text of the one block it touches (checked by
:mod:`pubman.store.entrycheck` to scan as the same entry) and leaves every other byte; new
entries are written in the file's own style (:mod:`pubman.store.edits`). No I/O.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pubman.model import Entry
from pubman.store import entrycheck
from pubman.store import scan as bibscan

if TYPE_CHECKING:
    from pubman.store import edits as _bibwrite_types


def _bw():  # type: ignore[no-untyped-def]
    """bibwrite, imported on the first edit: read-only commands never pay for it."""
    from pubman.store import edits as bibwrite

    return bibwrite


class Editing:
    """The edits of :class:`~pubman.store.bibliography.Bibliography` (which holds the state)."""

    _original: str
    _edited: bool
    _entries: dict[str, Entry] | None
    _index: dict[str, int]
    _index_ok: bool
    _starts: array[int]
    _ends: array[int]
    _lines: array[int]
    _kinds: list[str]
    _chunks: list[str | None]
    _blocks: list[bibscan.Block | None]

    if TYPE_CHECKING:

        def _chunk(self, i: int) -> str: ...

        def _rescan(self, i: int) -> bibscan.Block: ...

        def _build(self) -> None: ...

        def text(self) -> str: ...

        @property
        def entries(self) -> dict[str, Entry]: ...

        @property
        def unparsed_keys(self) -> frozenset[str]: ...

    def _block_of(self, key: str) -> int:
        # Edits keep ``_index`` valid (blocks are replaced in place), so a run of edits does
        # not re-parse the whole file each time; only an insertion before a block rebuilds.
        if self._entries is None and not self._index_ok:
            self._build()
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"no entry with key '{key}'") from None

    def _edit(self, i: int, new_text: str, key: str | None = None) -> None:
        """Replace block ``i``; with ``key``, the new text must scan as that one entry."""
        blk = entrycheck.one_entry(new_text, key) if key is not None else None
        self._chunks[i] = new_text
        self._blocks[i] = blk
        self._edited = True
        self._entries = None  # rebuilt on next access

    def set_field(self, key: str, name: str, value: str, *, raw: bool = False) -> None:
        """Set one field. ``value`` is BibTeX content, written inside braces; with ``raw`` it is
        a value exactly as BibTeX source (e.g. from :meth:`raw_value`: macros stay macros)."""
        if raw:
            entrycheck.check_raw_value(value)
        i = self._block_of(key)
        blk = self._blocks[i] or self._rescan(i)
        self._edit(
            i,
            _bw().set_field(
                self._chunk(i), entrycheck.relative(blk), name, value, self._file_newline, raw=raw
            ),
            key,
        )

    def raw_value(self, key: str, name: str) -> str | None:
        """Field ``name`` of entry ``key`` as written in the file (delimiters, ``@string``
        references and ``#`` included), or None when the entry lacks it."""
        i = self._block_of(key)
        blk = entrycheck.relative(self._blocks[i] or self._rescan(i))
        for f in blk.fields:
            if f.name.lower() == name.lower():
                return self._chunk(i)[f.value_start : f.end]
        return None

    def set_fields(self, key: str, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self.set_field(key, name, value)

    def remove_field(self, key: str, name: str) -> None:
        i = self._block_of(key)
        blk = self._blocks[i] or self._rescan(i)
        self._edit(i, _bw().remove_field(self._chunk(i), entrycheck.relative(blk), name), key)

    def set_type(self, key: str, entry_type: str) -> None:
        i = self._block_of(key)
        blk = self._blocks[i] or self._rescan(i)
        self._edit(i, _bw().set_type(self._chunk(i), entrycheck.relative(blk), entry_type), key)

    def add_entry(
        self,
        key: str,
        entry_type: str,
        fields: Mapping[str, str] | Sequence[tuple[str, str]],
        *,
        before: str | None = None,
    ) -> None:
        """Add an entry written in the file's own style; at the end, or before ``before``."""
        if key.lower() in {k.lower() for k in (*self.entries, *self.unparsed_keys)}:
            raise KeyError(f"an entry with key '{key}' already exists")
        style = self._style()
        items = list(fields.items()) if isinstance(fields, Mapping) else list(fields)
        text = _bw().render_entry(key, entry_type, items, style)
        blk = entrycheck.one_entry(text, key)
        if before is not None:
            i = self._block_of(before)
            self._insert(i, [(text, "entry", blk), (style.newline * 2, "text", None)])
            self._index_ok = False
        else:
            sep = _bw().separator_before_append(self.text(), style.newline)
            n = len(self._kinds)
            self._insert(
                n, [(sep, "text", None), (text, "entry", blk), (style.newline, "text", None)]
            )
            self._index[key] = n + 1
        self._entries = None

    def _insert(self, i: int, new: Sequence[tuple[str, str, bibscan.Block | None]]) -> None:
        """New blocks (text, kind, scan) before block ``i``, at its line (the last line at the
        end)."""
        line = self._lines[i] if i < len(self._lines) else self._lines[-1] if self._lines else 1
        for text, kind, blk in reversed(new):
            self._chunks.insert(i, text)
            self._kinds.insert(i, kind)
            self._blocks.insert(i, blk)
            self._starts.insert(i, 0)
            self._ends.insert(i, 0)
            self._lines.insert(i, line)
        self._edited = True

    def _style(self) -> _bibwrite_types.Style:
        """The file's style: that of its first entry with two fields (scanned here)."""
        for i, kind in enumerate(self._kinds):
            if kind != "entry":
                continue
            blk = self._blocks[i] or self._rescan(i)
            if blk.kind == "entry" and len(blk.fields) >= 2:
                return _bw().infer_style([self._chunk(i)], [blk], self._file_newline)
        return _bw().infer_style([], [], self._file_newline)

    @functools.cached_property
    def _file_newline(self) -> str:
        """The file's line ending: CRLF when most of its line breaks are CRLF."""
        text = self._original
        return "\r\n" if 2 * text.count("\r\n") > text.count("\n") else "\n"

    def remove_entry(self, key: str) -> None:
        """Remove an entry and the blank line that separated it from the next block."""
        i = self._block_of(key)
        self._set_chunk(i, "")
        n, kinds, bw = len(self._kinds), self._kinds, _bw()
        if i + 1 < n and kinds[i + 1] == "text":
            self._set_chunk(i + 1, bw.strip_leading_blank_lines(self._chunk(i + 1)))
        before = self._chunk(i - 1) if i > 0 else ""
        if before.strip() and not before.endswith("\n"):
            # the entry began mid-line (``% @article{...``): what follows must not join that
            # line, or a % would comment out the next entry
            nxt = i + 1
            if nxt < n and kinds[nxt] == "text" and not self._chunk(nxt).startswith(("\n", "\r\n")):
                self._set_chunk(nxt, self._file_newline + self._chunk(nxt))
        if (
            i > 0
            and kinds[i - 1] == "text"
            and not any(self._chunk(j).strip() for j in range(i + 1, n))
        ):
            # the last entry went: do not leave the blank line before it at the end
            self._set_chunk(i - 1, bw.strip_trailing_blank_lines(self._chunk(i - 1)))
        self._kinds[i] = "text"
        self._blocks[i] = None
        self._entries = None
        self._index.pop(key, None)

    def _set_chunk(self, i: int, text: str) -> None:
        self._chunks[i] = text
        self._edited = True

    def replace_entry_text(self, key: str, text: str) -> None:
        """Replace an entry's whole text (used by merges); the text must scan as one entry."""
        i = self._block_of(key)
        blocks = [b for b in bibscan.scan(text) if b.kind != "text"]
        if len(blocks) != 1 or blocks[0].kind != "entry":
            raise ValueError("replacement text is not exactly one parsable entry")
        self._edit(i, text)
        if blocks[0].key != key:
            self._index_ok = False
