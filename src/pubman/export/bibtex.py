"""BibTeX export: the chosen entries as their exact text, and one ``KEY.bib`` file per entry.

Contract: every entry is copied byte for byte from the .bib as pubman holds it (field order,
case, delimiters, comments inside the entry, line endings). The ``@string`` macros the entries
use, directly or through other macros, come first, each as written; so do ``@preamble`` blocks
(they define commands the entries may use). :func:`export_bibtex` and :func:`split_files` are
pure; :func:`write_split` writes the files.

File names (:func:`split_name`): a key's characters other than ASCII letters, digits, ``.``,
``_`` and ``-`` become ``_``, so dblp's ``DBLP:conf/icra/Doe21`` is ``DBLP_conf_icra_Doe21.bib``
(a ``/`` would make a folder, and ``:`` is refused on Windows); a leading ``.`` becomes ``_`` too.
Such a name needs no URL quoting, and ``format --bibtex-url 'bibtex/{key}.bib'`` links to this
same name. Two keys that map to one name are refused before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pubman.errors import UsageError
from pubman.model import Entry
from pubman.store import scan as bibscan
from pubman.store.bibliography import Bibliography, atomic_write

__all__ = ["export_bibtex", "split_files", "split_name", "write_split"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def split_name(key: str) -> str:
    """The file name stem of ``key``'s own .bib file (see the module docstring)."""
    name = _UNSAFE.sub("_", key)
    return "_" + name[1:] if name.startswith(".") else name or "_"


@dataclass(frozen=True)
class _Macros:
    """The file's ``@string`` and ``@preamble`` blocks, as written, and what each uses."""

    strings: dict[str, tuple[int, str, frozenset[str]]]  # lower name -> (order, text, uses)
    preambles: list[str]


def _uses(fields: Iterable[bibscan.FieldSpan]) -> frozenset[str]:
    return frozenset(value.lower() for f in fields for kind, value in f.parts if kind == "m")


def _macros(bib: Bibliography) -> _Macros:
    text = bib.text()
    strings: dict[str, tuple[int, str, frozenset[str]]] = {}
    preambles: list[str] = []
    if "@" not in text:
        return _Macros(strings, preambles)
    for i, blk in enumerate(bibscan.scan(text)):
        if blk.kind == "string" and blk.fields:
            name = blk.fields[0].name.lower()
            strings.setdefault(name, (i, text[blk.start : blk.end], _uses(blk.fields)))
        elif blk.kind == "preamble":
            preambles.append(text[blk.start : blk.end])
    return _Macros(strings, preambles)


def _entry_macros(chunk: str) -> frozenset[str]:
    blocks = [b for b in bibscan.scan(chunk) if b.kind == "entry"]
    return _uses(blocks[0].fields) if blocks else frozenset()


def _needed(chunks: Iterable[str], macros: _Macros) -> list[str]:
    """The ``@string`` texts the chunks use, with the macros those use, in file order."""
    todo = [m for chunk in chunks for m in _entry_macros(chunk)]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in macros.strings:
            continue  # month names (jan, feb, ...) are BibTeX's own unless redefined
        seen.add(name)
        todo.extend(macros.strings[name][2])
    return [text for _, text, _ in sorted(macros.strings[n] for n in seen)]


def _newline(chunks: Sequence[str]) -> str:
    """The entries' own line ending (CRLF files stay CRLF)."""
    return "\r\n" if any("\r\n" in c for c in chunks) else "\n"


def export_bibtex(bib: Bibliography, entries: Sequence[Entry]) -> str:
    """One .bib text: the preambles and macros the entries need, then each entry's exact text,
    blocks separated by a blank line."""
    chunks = [bib.entry_text(e.key) for e in entries]
    macros = _macros(bib)
    blocks = [*macros.preambles, *_needed(chunks, macros), *chunks]
    nl = _newline(chunks)
    return (nl + nl).join(block.rstrip("\r\n") for block in blocks) + (nl if blocks else "")


def split_files(bib: Bibliography, entries: Sequence[Entry]) -> dict[str, str]:
    """File name -> text for one file per entry: the entry's exact text and a final newline,
    after the ``@string`` macros it uses (none: the file is the entry alone). Raises
    UsageError when two keys map to one file name."""
    macros = _macros(bib)
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for entry in entries:
        name = split_name(entry.key) + ".bib"
        if name.lower() in owner:
            raise UsageError(
                f"keys '{owner[name.lower()]}' and '{entry.key}' would both be written to {name}",
                hint="rename one of the keys, or export them without --split",
            )
        owner[name.lower()] = entry.key
        chunk = bib.entry_text(entry.key)
        needed = _needed([chunk], macros)
        nl = _newline([chunk])
        head = "".join(text.rstrip("\r\n") + nl + nl for text in needed)
        out[name] = head + chunk + ("" if chunk.endswith("\n") else nl)
    return out


def write_split(files: Mapping[str, str], folder: Path) -> list[Path]:
    """Write each file into ``folder`` (created if needed), atomically, without backups."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        target = folder / name
        atomic_write(target, text.encode("utf-8"), backup=False)
        written.append(target)
    return written
