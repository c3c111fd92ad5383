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
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pubman.errors import BibFileError
from pubman.model import Entry, Problem
from pubman.store import atomic, readnotes
from pubman.store import encoding as bibenc
from pubman.store import scan as bibscan
from pubman.store.atomic import atomic_write, writable_path

__all__ = ["Bibliography", "atomic_write", "load", "parse", "read_text", "writable_path"]

if TYPE_CHECKING:
    from bibtexparser.library import Library

    from pubman.store import edits as _bibwrite_types


def _bw():  # type: ignore[no-untyped-def]
    """bibwrite, imported on the first edit: read-only commands never pay for it."""
    from pubman.store import edits as bibwrite

    return bibwrite


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

_BOM = "\ufeff"


class Bibliography:
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
        self.path = path
        self._original = text
        self._digest = digest
        self._stat = stat
        self._bom = bom
        self.encoding = encoding  # the file's own: save() writes it back in this one
        self._entries: dict[str, Entry] | None = None
        self._index: dict[str, int] = {}
        self._index_ok = False
        self._problems: list[Problem] = []
        self._strings: dict[str, str] = {}
        blocks = bibscan.scan(text)
        self._chunks: list[str] = [text[b.start : b.end] for b in blocks]
        self._blocks: list[bibscan.Block | None] = list(blocks)
        self._lines: list[int] = [b.line for b in blocks]
        self._build()

    @classmethod
    def _restore(cls, text: str, path: Path | None, data: Mapping, **kw: Any) -> Bibliography:
        """Rebuild from :meth:`_export` output without parsing; blocks are re-scanned lazily."""
        self = cls.__new__(cls)
        self.path, self._original = path, text
        self._digest, self._stat, self._bom = kw["digest"], kw["stat"], kw["bom"]
        self.encoding = kw.get("encoding", "utf-8")
        spans = data["blocks"]
        pos = 0
        for start, end, _ in spans:
            if start != pos or end < start:
                raise ValueError("cached blocks do not cover the file")
            pos = end
        if pos != len(text):
            raise ValueError("cached blocks do not cover the file")
        self._chunks = [text[a:b] for a, b, _ in spans]
        self._lines = [line for _, _, line in spans]
        self._blocks = [None] * len(spans)
        entries: dict[str, Entry] = {}
        index: dict[str, int] = {}
        for key, etype, fields, line, i in data["entries"]:
            entries[key] = Entry(key, etype, dict(fields), int(line))
            index[key] = int(i)
        self._entries, self._index, self._index_ok = entries, index, True
        self._problems = [Problem(int(a), b, c, d, e) for a, b, c, d, e in data["problems"]]
        self._strings = dict(data["strings"])
        return self

    def _export(self) -> dict:
        """The parse as plain JSON-able data (for :mod:`pubman.store.parsecache`)."""
        spans, pos = [], 0
        for chunk, line in zip(self._chunks, self._lines):
            spans.append((pos, pos + len(chunk), line))
            pos += len(chunk)
        return {
            "blocks": spans,
            "entries": [
                (e.key, e.type, e.fields, e.line, self._index[e.key]) for e in self.entries.values()
            ],
            "problems": [(p.line, p.kind, p.message, p.key, p.severity) for p in self.problems],
            "strings": self.strings,
        }

    # ----------------------------------------------------------------- reading
    def _build(self) -> None:
        entries: dict[str, Entry] = {}
        index: dict[str, int] = {}
        problems: list[Problem] = []
        strings: dict[str, str] = {}
        lower_keys: dict[str, str] = {}
        string_lines: dict[str, int] = {}
        kinds: list[str] = []
        for i, blk in enumerate(self._blocks):
            if blk is None:
                blk = self._rescan(i)
            kinds.append(blk.kind)
            if blk.kind == "string":
                f = blk.fields[0]
                low = f.name.lower()
                if low in string_lines:
                    problems.append(
                        readnotes.string_redefined(f.name, self._lines[i], string_lines[low])
                    )
                string_lines.setdefault(low, self._lines[i])
                strings[low] = _expand(f.parts, strings, None)
            elif blk.kind == "text" and "@" in self._chunks[i]:
                problems += readnotes.stray_at(self._chunks[i], self._lines[i])
            elif blk.kind == "comment" and not self._braced_next(i):
                problems.append(readnotes.bare_comment(blk.entry_type, self._lines[i]))
            elif blk.kind == "failed":
                problems.append(
                    Problem(
                        self._lines[i],
                        "parse",
                        f"cannot parse @{blk.entry_type}"
                        f"{'{' + blk.key if blk.key else ''}: {blk.reason}; "
                        "kept verbatim",
                        key=blk.key or None,
                    )
                )
            elif blk.kind == "entry":
                entry = _entry(blk, self._chunks[i], strings, problems, self._lines[i])
                problems += readnotes.entry_notes(blk, self._chunks[i], self._lines[i])
                folded = entry.key.lower()
                if folded in lower_keys:
                    first = entries[lower_keys[folded]]
                    problems.append(
                        Problem(
                            entry.line,
                            "duplicate-key",
                            f"duplicate key '{entry.key}' (first at line "
                            f"{first.line}); BibTeX ignores this one",
                            key=entry.key,
                        )
                    )
                    continue
                lower_keys[folded] = entry.key
                entries[entry.key] = entry
                index[entry.key] = i
                if i and _commented_out(self._chunks[i - 1]):
                    problems.append(
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
        keys = {i: k for k, i in index.items()}
        for i, comment_line in readnotes.hidden_by_comment(self._chunks, kinds).items():
            if i in keys:
                problems.append(
                    readnotes.comment_hidden(keys[i], entries[keys[i]].line, comment_line)
                )
        self._index_ok = True
        self._entries, self._index, self._problems, self._strings = (
            entries,
            index,
            problems,
            strings,
        )

    def _braced_next(self, i: int) -> bool:
        """Whether block ``i`` (an ``@comment`` word) is followed by its brace or parenthesis."""
        after = self._chunks[i + 1].lstrip() if i + 1 < len(self._chunks) else ""
        return after[:1] in ("{", "(")

    def _rescan(self, i: int) -> bibscan.Block:
        """Blocks edited in memory are re-scanned from their own text (offsets relative)."""
        scanned = bibscan.scan(self._chunks[i]) or [bibscan.Block("text", 0, 0, self._lines[i])]
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
        return _entry(_relative(blk), self._chunks[i], self._strings, [], self._lines[i])

    def to_bibtexparser(self) -> Library:
        """The parsed entries as a bibtexparser v2 ``Library`` (needs the ``bibtexparser``
        extra; see :mod:`pubman.store.interop`)."""
        from pubman.store.interop import to_bibtexparser

        return to_bibtexparser(self.entries.values())

    def text(self) -> str:
        """The file's text as it would be saved."""
        return "".join(self._chunks)

    def entry_text(self, key: str) -> str:
        return self._chunks[self._block_of(key)]

    @property
    def changed(self) -> bool:
        return self.text() != self._original

    # ----------------------------------------------------------------- editing
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
        blk = _one_entry(new_text, key) if key is not None else None
        self._chunks[i] = new_text
        self._blocks[i] = blk
        self._entries = None  # rebuilt on next access

    def set_field(self, key: str, name: str, value: str, *, raw: bool = False) -> None:
        """Set one field. ``value`` is BibTeX content, written inside braces; with ``raw`` it is
        a value exactly as BibTeX source (e.g. from :meth:`raw_value`: macros stay macros)."""
        if raw:
            _check_raw_value(value)
        i = self._block_of(key)
        blk = self._blocks[i] or self._rescan(i)
        self._edit(
            i,
            _bw().set_field(
                self._chunks[i], _relative(blk), name, value, self._file_newline, raw=raw
            ),
            key,
        )

    def raw_value(self, key: str, name: str) -> str | None:
        """Field ``name`` of entry ``key`` as written in the file (delimiters, ``@string``
        references and ``#`` included), or None when the entry lacks it."""
        i = self._block_of(key)
        blk = _relative(self._blocks[i] or self._rescan(i))
        for f in blk.fields:
            if f.name.lower() == name.lower():
                return self._chunks[i][f.value_start : f.end]
        return None

    def set_fields(self, key: str, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self.set_field(key, name, value)

    def remove_field(self, key: str, name: str) -> None:
        i = self._block_of(key)
        blk = self._blocks[i] or self._rescan(i)
        self._edit(i, _bw().remove_field(self._chunks[i], _relative(blk), name), key)

    def set_type(self, key: str, entry_type: str) -> None:
        i = self._block_of(key)
        blk = self._blocks[i] or self._rescan(i)
        self._edit(i, _bw().set_type(self._chunks[i], _relative(blk), entry_type), key)

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
        blk = _one_entry(text, key)
        if before is not None:
            i = self._block_of(before)
            self._chunks[i:i] = [text, style.newline * 2]
            self._blocks[i:i] = [blk, bibscan.Block("text", 0, 0, 0)]
            self._lines[i:i] = [self._lines[i], self._lines[i]]
            self._index_ok = False
        else:
            sep = _bw().separator_before_append(self.text(), style.newline)
            self._chunks += [sep, text, style.newline]
            self._blocks += [bibscan.Block("text", 0, 0, 0), blk, bibscan.Block("text", 0, 0, 0)]
            last = self._lines[-1] if self._lines else 1
            self._lines += [last, last, last]
            self._index[key] = len(self._chunks) - 2
        self._entries = None

    def _style(self) -> _bibwrite_types.Style:
        """The file's style; blocks restored from the parse cache are scanned as needed."""
        for i in range(len(self._chunks)):
            blk = self._blocks[i] or self._rescan(i)
            if blk.kind == "entry" and len(blk.fields) >= 2:
                break
        return _bw().infer_style(self._chunks, self._blocks, self._file_newline)

    @functools.cached_property
    def _file_newline(self) -> str:
        """The file's line ending: CRLF when most of its line breaks are CRLF."""
        text = self._original
        return "\r\n" if 2 * text.count("\r\n") > text.count("\n") else "\n"

    def remove_entry(self, key: str) -> None:
        """Remove an entry and the blank line that separated it from the next block."""
        i = self._block_of(key)
        self._chunks[i] = ""
        if (
            i + 1 < len(self._chunks)
            and (self._blocks[i + 1] or self._rescan(i + 1)).kind == "text"
        ):
            self._chunks[i + 1] = _bw().strip_leading_blank_lines(self._chunks[i + 1])
        if i > 0 and not self._chunks[i - 1].endswith("\n") and self._chunks[i - 1].strip():
            # the entry began mid-line (``% @article{...``): what follows must not join that
            # line, or a % would comment out the next entry
            nxt = i + 1
            if (
                nxt < len(self._chunks)
                and (self._blocks[nxt] or self._rescan(nxt)).kind == "text"
                and not self._chunks[nxt].startswith(("\n", "\r\n"))
            ):
                self._chunks[nxt] = self._file_newline + self._chunks[nxt]
        if (
            i > 0
            and not any(c.strip() for c in self._chunks[i + 1 :])
            and (self._blocks[i - 1] or self._rescan(i - 1)).kind == "text"
        ):
            # the last entry went: do not leave the blank line before it at the end
            self._chunks[i - 1] = _bw().strip_trailing_blank_lines(self._chunks[i - 1])
        self._blocks[i] = bibscan.Block("text", 0, 0, self._lines[i])
        self._entries = None
        self._index.pop(key, None)

    def replace_entry_text(self, key: str, text: str) -> None:
        """Replace an entry's whole text (used by merges); the text must scan as one entry."""
        i = self._block_of(key)
        blocks = [b for b in bibscan.scan(text) if b.kind != "text"]
        if len(blocks) != 1 or blocks[0].kind != "entry":
            raise ValueError("replacement text is not exactly one parsable entry")
        self._edit(i, text)
        if blocks[0].key != key:
            self._index_ok = False

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
            self._original = text
            st = target.stat()
            self._stat = (st.st_size, st.st_mtime_ns)
            self._digest = hashlib.sha256(data).hexdigest()
        return True

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


def _one_entry(text: str, key: str) -> bibscan.Block:
    """The block of ``text`` if it scans as exactly the entry ``key``; else ValueError.

    Every edit goes through this, so an edit can never turn a good entry into one that
    BibTeX (or the next load) reads differently; the bibliography is left unchanged.
    """
    blocks = [b for b in bibscan.scan(text) if b.kind != "text"]
    if len(blocks) == 1 and blocks[0].kind == "entry" and blocks[0].key == key:
        return blocks[0]
    why = blocks[0].reason if len(blocks) == 1 and blocks[0].reason else "not one entry"
    raise ValueError(f"the edit would make entry '{key}' unreadable ({why}); nothing changed")


def _commented_out(before: str) -> bool:
    """True when the text just before an entry, on its line, starts with ``%``."""
    line = before[before.rfind("\n") + 1 :]
    return line.lstrip().startswith("%")


def _check_raw_value(value: str) -> None:
    """A raw value must scan as exactly one value (no extra fields, no open braces)."""
    probe = "@misc{k, f = " + value + "}"
    blocks = [b for b in bibscan.scan(probe) if b.kind != "text"]
    if (
        len(blocks) != 1
        or blocks[0].kind != "entry"
        or len(blocks[0].fields) != 1
        or probe[blocks[0].fields[0].value_start : blocks[0].fields[0].end] != value.strip()
    ):
        raise ValueError(f"not a single BibTeX value: {value!r}")


def _relative(blk: bibscan.Block) -> bibscan.Block:
    """Blocks from the whole-file scan have absolute offsets; edits need chunk-relative ones."""
    if blk.start == 0:
        return blk
    off = blk.start
    rel = bibscan.Block(
        blk.kind,
        0,
        blk.end - off,
        blk.line,
        blk.entry_type,
        blk.key,
        blk.key_start - off,
        blk.type_start - off,
        blk.close,
        [],
        blk.body_end - off,
    )
    rel.fields = [
        bibscan.FieldSpan(f.name, f.start - off, f.value_start - off, f.end - off, f.parts)
        for f in blk.fields
    ]
    return rel


def _expand(
    parts: Iterable[tuple[str, str]], strings: Mapping[str, str], undefined: list[str] | None
) -> str:
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


def _entry(
    blk: bibscan.Block, chunk: str, strings: Mapping[str, str], problems: list[Problem], line: int
) -> Entry:
    fields: dict[str, str] = {}
    undefined: list[str] = []
    repeated: set[str] = set()
    for f in blk.fields:
        name = f.name.lower()
        if name in fields:
            if name in repeated:
                continue
            repeated.add(name)
            problems.append(
                Problem(
                    line,
                    "duplicate-field",
                    f"field '{f.name}' appears twice in '{blk.key}'; BibTeX uses the first",
                    key=blk.key,
                    severity="warning",
                )
            )
            continue
        parts = f.parts
        if len(parts) == 1 and parts[0][0] != "m":
            fields[name] = parts[0][1]
        else:
            fields[name] = _expand(parts, strings, undefined)
    for macro in undefined:
        problems.append(
            Problem(
                line,
                "undefined-macro",
                f"'{blk.key}' uses undefined @string '{macro}' (kept as the bare word)",
                key=blk.key,
                severity="warning",
            )
        )
    return Entry(blk.key, blk.entry_type.lower(), fields, line)


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return str(a) == str(b)


# --------------------------------------------------------------------- file I/O
def read_text(
    path: str | os.PathLike[str], encoding: str | None = None
) -> tuple[str, str, tuple[int, int], bool]:
    """Read a .bib file: (text, sha256, (size, mtime_ns), had_bom). Raises BibFileError."""
    decoded, digest, stat = read_decoded(path, encoding)
    return decoded.text, digest, stat, decoded.bom


def read_decoded(
    path: str | os.PathLike[str], encoding: str | None = None
) -> tuple[bibenc.Decoded, str, tuple[int, int]]:
    """Read and decode a .bib file (see :mod:`pubman.store.encoding`; ``encoding`` is the
    declared one, used when the file is not UTF-8). Raises BibFileError."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        raise BibFileError(
            "no such file", path=str(p), hint="check the path, or create one with `pubman init`"
        ) from None
    except IsADirectoryError:
        raise BibFileError(
            "is a directory, not a .bib file",
            path=str(p),
            hint="pass the .bib file inside it with --bib",
        ) from None
    except PermissionError:
        raise BibFileError(
            "permission denied", path=str(p), hint="check the file's permissions"
        ) from None
    except OSError as err:
        raise BibFileError(f"cannot read: {err.strerror}", path=str(p)) from None
    try:
        decoded = bibenc.decode(data, encoding)
    except LookupError:
        raise BibFileError(
            f"unknown encoding {encoding!r}",
            path=str(p),
            hint="name a Python codec, e.g. latin-1, cp1252, iso8859-2, gbk",
        ) from None
    except bibenc.DecodeFailure as err:
        binary = "binary" in str(err)
        raise BibFileError(
            str(err),
            path=str(p),
            line=None if binary else data[: err.offset].count(b"\n") + 1,
            hint="check that --bib names your .bib file (a UTF-16 file needs a BOM)"
            if binary
            else 'declare its encoding: `encoding = "cp1252"` (or latin-1, iso8859-2, gbk, '
            "...) in pubman.toml, or `pubman --encoding cp1252 ...`",
        ) from None
    return decoded, hashlib.sha256(data).hexdigest(), (st.st_size, st.st_mtime_ns)


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
