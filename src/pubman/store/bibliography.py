"""The bibliography store: a .bib file in memory, edited entry by entry, written back losslessly.

Contract:
- ``load(path)`` then ``save()`` with no change writes nothing (the file stays byte-identical).
- An edit rewrites only the text of the entry it touches; every other byte (entries, comments,
  ``@string``/``@preamble``, blank lines, field order and case, delimiters, CRLF) is kept.
- Entries that cannot be parsed are kept verbatim and reported in ``problems`` with their line.
- ``save`` is atomic (temporary file in the same folder, fsync, rename), keeps the previous
  version as ``<name>.bak``, refuses to overwrite a file changed on disk since it was read, and
  holds an exclusive lock (see :mod:`pubman.store.lock`).
Raises :class:`~pubman.errors.BibFileError` for unreadable or unwritable files.

The file's text is held once: a block is a span of it (an edited block holds its new text), and
an entry's fields are read from it by :mod:`pubman.store.fastscan` (careful blocks by
:mod:`pubman.store.scan`) into :mod:`pubman.store.reading`.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pubman.errors import BibFileError
from pubman.model import Entry, Problem
from pubman.store import atomic, entrycheck, fastscan, parsedata
from pubman.store import encoding as bibenc
from pubman.store import scan as bibscan
from pubman.store.atomic import atomic_write, writable_path
from pubman.store.digest import sha256_hex
from pubman.store.editing import Editing
from pubman.store.readfile import read_decoded, read_text
from pubman.store.reading import MONTHS, Reader, careful_entry

__all__ = [
    "MONTHS",
    "Bibliography",
    "atomic_write",
    "load",
    "parse",
    "read_decoded",
    "read_text",
    "writable_path",
]

if TYPE_CHECKING:
    from bibtexparser.library import Library


class Bibliography(Editing):
    """Entries by key in file order, plus every other block of the file, kept as text."""

    encoding_guessed = False  # True when load() guessed a legacy encoding (no BOM, no UTF-8)

    def __init__(
        self,
        text: str,
        path: Path | None = None,
        *,
        digest: str | None = None,
        stat: tuple[int, int] | None = None,
        bom: bool = False,
        encoding: str = "utf-8",
    ) -> None:
        self._setup(text, path, digest, stat, bom, encoding)
        self._read_all()

    def _setup(
        self,
        text: str,
        path: Path | None,
        digest: str | None,
        stat: tuple[int, int] | None,
        bom: bool,
        encoding: str,
    ) -> None:
        self.path = path
        self._base = text  # the text every block's span points into
        self._original = text  # the file as on disk (after a save, what was saved)
        self._digest, self._stat, self._bom = digest, stat, bom
        self.encoding = encoding  # the file's own: save() writes it back in this one
        self._edited = False
        self._entries: dict[str, Entry] | None = None
        self._index: dict[str, int] = {}
        self._index_ok = False
        self._problems: list[Problem] = []
        self._strings: dict[str, str] = {}
        # block i: text[starts[i]:ends[i]] unless chunks[i] holds its edited text
        self._starts, self._ends, self._lines = array("q"), array("q"), array("q")
        self._kinds: list[str] = []
        self._chunks: list[str | None] = []
        self._blocks: list[bibscan.Block | None] = []  # careful scans, kept (None: not scanned)

    def _read_all(self) -> None:
        """Split the text into blocks and read every one (the load path)."""
        text, reader = self._base, Reader()
        starts, ends, lines, kinds = self._starts, self._ends, self._lines, self._kinds
        blocks = self._blocks
        rfind = text.rfind
        for rec in fastscan.blocks(text):
            i = len(kinds)
            if isinstance(rec, tuple):
                start, end, line, etype, key, raw = rec
                blk = None
                kinds.append("entry")
                entry: Entry | None = reader.fast(i, key, etype, raw, line)
            else:
                start, end, line, blk = rec.start, rec.end, rec.line, rec
                kinds.append(rec.kind)
                entry = (
                    None if rec.kind == "text" else reader.careful(i, rec, text[start:end], line)
                )
                if rec.kind == "text":
                    reader.text(text[start:end], line)
                    blk = None
            starts.append(start)
            ends.append(end)
            lines.append(line)
            blocks.append(blk)
            if entry is not None:
                lo = starts[i - 1] if i else start  # the text before the entry on its line:
                before = text[max(rfind("\n", lo, start) + 1, lo) : start]
                reader.add(i, entry, before)
        self._chunks = [None] * len(kinds)
        reader.hidden(text, starts, kinds)
        self._take(reader)

    def _take(self, reader: Reader) -> None:
        self._entries, self._index = reader.entries, reader.index
        self._problems, self._strings = reader.problems, reader.strings
        self._index_ok = True

    @classmethod
    def _restore(cls, text: str, path: Path | None, data: Mapping, **kw: Any) -> Bibliography:
        """Rebuild from :meth:`_export` output without parsing; blocks are re-scanned lazily."""
        self = cls.__new__(cls)
        self._setup(text, path, kw["digest"], kw["stat"], kw["bom"], kw.get("encoding", "utf-8"))
        (
            self._starts,
            self._ends,
            self._lines,
            self._kinds,
            self._entries,
            self._index,
            self._problems,
            self._strings,
        ) = parsedata.restore(data, len(text))
        self._chunks, self._blocks = [None] * len(self._kinds), [None] * len(self._kinds)
        self._index_ok = True
        return self

    def _export(self) -> dict[str, Any]:
        """The reading as plain data (for :mod:`pubman.store.parsecache`); only unedited."""
        return parsedata.export(
            self._starts,
            self._lines,
            self._kinds,
            len(self._base),
            self.entries,
            self._index,
            self.problems,
            self.strings,
        )

    # ----------------------------------------------------------------- reading
    def _chunk(self, i: int) -> str:
        chunk = self._chunks[i]
        return self._base[self._starts[i] : self._ends[i]] if chunk is None else chunk

    def _build(self) -> None:
        """Read every block again after edits (unedited entries the fast way)."""
        reader = Reader()
        for i, kind in enumerate(self._kinds):
            if kind == "text":
                reader.text(self._chunk(i), self._lines[i])
                continue
            entry = self._read_block(i, reader)
            if entry is not None:
                reader.add(i, entry, self._chunk(i - 1) if i else "")
        if reader.comments:
            text = self.text()
            starts, pos = [], 0
            for i in range(len(self._kinds)):
                starts.append(pos)
                pos += len(self._chunk(i))
            reader.hidden(text, starts, self._kinds)
        self._take(reader)

    def _read_block(self, i: int, reader: Reader) -> Entry | None:
        line = self._lines[i]
        if self._chunks[i] is None and self._blocks[i] is None and self._kinds[i] == "entry":
            fast = fastscan.entry_at(self._base, self._starts[i], self._ends[i])
            if fast is not None:
                return reader.fast(i, fast[4], fast[3], fast[5], line)
        blk = self._blocks[i] or self._rescan(i)
        return reader.careful(i, blk, self._chunk(i), line)

    def _rescan(self, i: int) -> bibscan.Block:
        """A block's careful scan, from its own text (offsets relative to it)."""
        scanned = bibscan.scan(self._chunk(i)) or [bibscan.Block("text", 0, 0, self._lines[i])]
        blk = next((b for b in scanned if b.kind != "text"), scanned[0])
        self._blocks[i] = blk
        return blk

    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            self._build()
        assert self._entries is not None
        return self._entries

    @property
    def problems(self) -> list[Problem]:
        """Parse failures, duplicate keys, duplicate fields and undefined macros, by line."""
        if self._entries is None:
            self._build()
        return self._problems

    @property
    def strings(self) -> dict[str, str]:
        """``@string`` macros, expanded, by lower-case name."""
        if self._entries is None:
            self._build()
        return self._strings

    @property
    def fingerprint(self) -> tuple[tuple[int, int], str] | None:
        """((size, mtime_ns), SHA-256) of the file as it was read, for caches keyed by content;
        None for text that has no file behind it."""
        if self._stat is None or self._digest is None:
            return None
        return self._stat, self._digest

    @property
    def unparsed_keys(self) -> frozenset[str]:
        """Keys of blocks that are in the file but not in ``entries`` (unparsable entries and
        repeated keys): a new entry must not take one of them."""
        return frozenset(
            p.key for p in self.problems if p.key and p.kind in ("parse", "duplicate-key")
        )

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __getitem__(self, key: str) -> Entry:
        return self.entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def entry(self, key: str) -> Entry | None:
        """The entry ``key`` as it is now, or None; after an edit only that block is parsed
        (``entries`` re-parses the whole file), so a run of edits stays linear."""
        if self._entries is not None:
            return self._entries.get(key)
        try:
            i = self._block_of(key)
        except KeyError:
            return None
        blk = self._blocks[i] or self._rescan(i)
        if blk.kind != "entry":
            return None
        return careful_entry(entrycheck.relative(blk), self._strings, [], self._lines[i])

    def to_bibtexparser(self) -> Library:
        """The parsed entries as a bibtexparser v2 ``Library`` (needs the ``bibtexparser``
        extra; see :mod:`pubman.store.interop`)."""
        from pubman.store.interop import to_bibtexparser

        return to_bibtexparser(self.entries.values())

    def text(self) -> str:
        """The file's text as it would be saved."""
        if not self._edited:
            return self._base
        base, out = self._base, []
        run = (0, 0)  # a stretch of unedited blocks, copied in one slice
        for chunk, start, end in zip(self._chunks, self._starts, self._ends):
            if chunk is None and start == run[1]:
                run = (run[0], end)
                continue
            out.append(base[run[0] : run[1]])
            if chunk is None:
                run = (start, end)
            else:
                out.append(chunk)
                run = (0, 0)
        out.append(base[run[0] : run[1]])
        return "".join(out)

    def entry_text(self, key: str) -> str:
        return self._chunk(self._block_of(key))

    @property
    def changed(self) -> bool:
        return self._edited and self.text() != self._original

    # ----------------------------------------------------------------- writing
    def save(self, path: str | os.PathLike[str] | None = None, *, backup: bool = True) -> bool:
        """Write the bibliography; returns False when nothing had to be written."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise BibFileError("no path to save to", hint="pass a path to save()")
        text = self.text()
        same_file = self.path is not None and _same_path(target, self.path)
        if same_file and text == self._original:
            return False
        data = self._encoded(text)
        from pubman.store import lock as filelock

        with filelock.locked(writable_path(target)):  # links to one file share its lock
            if same_file:
                self._check_unchanged(target)
            atomic_write(target, data, backup=backup)
        if same_file:
            self.mark_saved(data)
        return True

    def encoded_text(self) -> bytes:
        """The text as :meth:`save` would write it (the file's encoding, BOM and newlines);
        BibFileError naming a character the encoding cannot hold."""
        return self._encoded(self.text())

    @property
    def disk_digest(self) -> str | None:
        """SHA-256 of the file as last read or saved (what the unchanged-on-disk check uses);
        None for a text that was not read from a file."""
        return self._digest

    def mark_saved(self, data: bytes) -> None:
        """Record that ``data`` (this text, encoded) is now the file on disk at :attr:`path`,
        so a later save and its unchanged-on-disk check see the new file."""
        assert self.path is not None
        self._original = self.text()
        st = self.path.stat()
        self._stat = (st.st_size, st.st_mtime_ns)
        self._digest = sha256_hex(data)

    def _encoded(self, text: str) -> bytes:
        """``text`` in the file's encoding; BibFileError naming a character it cannot hold."""
        try:
            return bibenc.encode(text, self.encoding, self._bom)
        except bibenc.Unencodable as err:
            line = text.count("\n", 0, err.offset) + 1
            raise BibFileError(
                f"cannot write {err.char!r} (U+{ord(err.char):04X}): the file is in "
                f"{err.encoding}, which has no such character",
                path=str(self.path) if self.path else None,
                line=line,
                hint="write it as LaTeX (e.g. \\v{c} for č), or convert the file to UTF-8 "
                f"(`iconv -f {err.encoding} -t utf-8`); nothing was written",
            ) from None

    def _check_unchanged(self, target: Path) -> None:
        atomic.check_unchanged(target, self._digest)


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return str(a) == str(b)


def load(
    path: str | os.PathLike[str], *, cache: bool = True, encoding: str | None = None
) -> Bibliography:
    """Read and parse a .bib file (raises BibFileError when it cannot be read).

    ``encoding`` is the declared one, used when the file has no BOM and is not UTF-8 (else the
    encoding is guessed). With ``cache``, a large file's parse is reused from
    :mod:`pubman.store.parsecache` when the file is byte-for-byte what was parsed before (and
    decoded the same way), and stored for next time otherwise.
    """
    decoded, digest, stat = read_decoded(path, encoding)
    text, p = decoded.text, Path(path)
    kw: dict[str, Any] = {
        "digest": digest,
        "stat": stat,
        "bom": decoded.bom,
        "encoding": decoded.encoding,
    }
    if cache:
        from pubman.store import parsecache

        ident = digest if decoded.encoding == "utf-8" else f"{digest}:{decoded.encoding}"
        data = parsecache.read(p, stat, ident)
        if data is not None:
            try:
                restored = Bibliography._restore(text, p, data, **kw)
                restored.encoding_guessed = decoded.guessed
                return restored
            except (KeyError, TypeError, ValueError, IndexError):
                pass  # a cache that does not fit the file is rebuilt below
        bib = Bibliography(text, p, **kw)
        parsecache.write(p, stat, ident, bib._export())
    else:
        bib = Bibliography(text, p, **kw)
    bib.encoding_guessed = decoded.guessed
    return bib


def parse(text: str) -> Bibliography:
    """Parse BibTeX text that has no file behind it."""
    return Bibliography(text)
