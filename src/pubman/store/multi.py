"""Several .bib files as one list (``bib = ["conf.bib", "journal.bib"]``, ``--bib`` twice).

Contract: :class:`BibliographyUnion` is a view over already loaded
:class:`~pubman.store.bibliography.Bibliography` objects, in the order given, with the reading
and editing API of one; it never prints, and touches files only in :meth:`~BibliographyUnion.save`.

Reading. Entries are the files' entries in file order, file after file. A key that is in an
earlier file (compared case-insensitively, as BibTeX does) is left out and reported as a
``duplicate-key`` problem naming both files: BibTeX, given ``\\bibliography{conf,journal}``,
also keeps the first. Problems of each file carry that file's name in their message (their
``line`` is a line of that file). ``@string`` macros are resolved as BibTeX resolves them
across the files of one ``\\bibliography``: a macro defined in an earlier file is usable in a
later one (the definition last read before the file wins); one defined only in a later file is
still undefined in an earlier one.

Writing. An edit of an entry goes to the file that holds it (:meth:`~BibliographyUnion.bibliography_of`:
the first file with that key, never a shadowed duplicate). A new entry goes to the *new-entry
file* (``add_to``, else the first file). :meth:`~BibliographyUnion.save` writes every changed
file as one (see :func:`pubman.store.atomic.write_many`): each in its own encoding, BOM and
line endings, each locked, checked unchanged on disk and backed up as ``.bak``; files without
changes are not touched.

Side files (sync state, citation counts, dedup verdicts) of a union are the first file's:
``path`` is the first file's path, and every side file is named after it and lives beside it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

from pubman.model import Entry, Problem
from pubman.store import atomic
from pubman.store import lock as filelock
from pubman.store import scan as bibscan
from pubman.store.bibliography import MONTHS, Bibliography
from pubman.store.digest import sha256_hex
from pubman.store.reading import expand

__all__ = ["BibliographyUnion", "load"]

# the store's own wording for a macro it kept as the bare word (pubman.store.bibliography)
_UNDEFINED = re.compile(r"uses undefined @string '([^']*)'")


class BibliographyUnion:
    """The union of several bibliographies, with the reading and editing API of one."""

    def __init__(self, parts: Sequence[Bibliography], *, add_to: int = 0) -> None:
        if not parts:
            raise ValueError("a union needs at least one bibliography")
        if not 0 <= add_to < len(parts):
            raise ValueError(f"add_to must index one of the {len(parts)} files")
        self.parts = list(parts)
        self.path = self.parts[0].path
        self.add_to = add_to  # the index of the file new entries go to
        self._owner: dict[str, Bibliography] = {}
        self._entries: dict[str, Entry] = {}
        self._problems: list[Problem] = []
        self._shadowed: set[str] = set()
        # key -> the macros its file leaves undefined and an earlier file defines, expanded
        self._crossed: dict[str, dict[str, str]] = {}
        self._scopes: list[dict[str, str]] = []  # per file: the macros its entries can use
        self._stale = False  # entries changed: rebuilt when next read
        self._keys_stale = False  # keys changed: the owner map too
        self._build()

    def _name(self, bib: Bibliography) -> str:
        return bib.path.name if bib.path is not None else f"file {self.parts.index(bib) + 1}"

    def _build(self) -> None:
        folded: dict[str, str] = {}
        self._owner, self._entries, self._problems = {}, {}, []
        self._shadowed, self._crossed, self._scopes = set(), {}, []
        earlier: dict[str, str] = {}  # macros defined by the files read so far
        for bib in self.parts:
            name = self._name(bib)
            problems, crossed = _resolve_across(bib, earlier)
            self._problems += [p._replace(message=f"{name}: {p.message}") for p in problems]
            earlier.update(bib.strings)  # a later definition replaces an earlier, as in BibTeX
            self._scopes.append(dict(earlier))
            for key, entry in bib.entries.items():
                first = folded.get(key.lower())
                if first is None:
                    folded[key.lower()] = key
                    subst = crossed.get(key)
                    self._entries[key] = _expanded(entry, bib, subst) if subst else entry
                    self._owner[key] = bib
                    if subst:
                        self._crossed[key] = subst
                    continue
                self._shadowed.add(key)
                kept = self._entries[first]
                self._problems.append(
                    Problem(
                        entry.line,
                        "duplicate-key",
                        f"{name}: key '{key}' is also in {self._name(self._owner[first])} "
                        f"(line {kept.line}); the first is used, as BibTeX does",
                        key=key,
                    )
                )
        self._stale = self._keys_stale = False

    def _fresh(self) -> None:
        if self._stale or self._keys_stale:
            self._build()

    # ----------------------------------------------------------------- reading
    @property
    def entries(self) -> dict[str, Entry]:
        self._fresh()
        return self._entries

    @property
    def problems(self) -> list[Problem]:
        self._fresh()
        return self._problems

    @property
    def strings(self) -> dict[str, str]:
        """Every file's ``@string`` macros; an earlier file's definition wins."""
        out: dict[str, str] = {}
        for bib in reversed(self.parts):
            out.update(bib.strings)
        return out

    @property
    def fingerprint(self) -> tuple[tuple[int, int], str] | None:
        """One fingerprint for all the files: it changes when any of them does."""
        prints = [bib.fingerprint for bib in self.parts]
        if any(p is None for p in prints):
            return None
        known = [p for p in prints if p is not None]
        size = sum(stat[0] for stat, _ in known)
        mtime = max(stat[1] for stat, _ in known)
        digest = sha256_hex("".join(d for _, d in known).encode("ascii"))
        return (size, mtime), digest

    @property
    def unparsed_keys(self) -> frozenset[str]:
        """Keys a new entry must not take: every file's unparsable and repeated keys, and the
        keys shadowed by an earlier file."""
        self._fresh()
        return frozenset().union(*(bib.unparsed_keys for bib in self.parts), self._shadowed)

    @property
    def paths(self) -> list[Path | None]:
        return [bib.path for bib in self.parts]

    @property
    def new_entries_file(self) -> Bibliography:
        """The file :meth:`add_entry` writes to."""
        return self.parts[self.add_to]

    def bibliography_of(self, key: str) -> Bibliography:
        """The file that holds ``key`` (KeyError when none does)."""
        if self._keys_stale:  # field edits keep the owner map: a run of them stays linear
            self._build()
        try:
            return self._owner[key]
        except KeyError:
            raise KeyError(f"no entry with key '{key}'") from None

    def locate(self, problems: Sequence[Problem]) -> list[tuple[str, Problem]]:
        """Each of ``problems`` (the union's own, or others about its entries by key) with the
        name of its file, the name taken off the message; ordered by file, then line."""
        names = [self._name(bib) for bib in self.parts]
        out: list[tuple[int, str, Problem]] = []
        for p in problems:
            i = next((i for i, n in enumerate(names) if p.message.startswith(n + ": ")), None)
            if i is not None:
                out.append((i, names[i], p._replace(message=p.message[len(names[i]) + 2 :])))
                continue
            bib = self._owner.get(p.key or "")
            i = self.parts.index(bib) if bib is not None else 0
            out.append((i, names[i], p))
        out.sort(key=lambda item: (item[0], item[2].line))
        return [(name, p) for _, name, p in out]

    def entry(self, key: str) -> Entry | None:
        """The entry ``key`` as it is now, or None; parses only that entry after an edit."""
        if self._keys_stale:
            self._build()
        bib = self._owner.get(key)
        entry = bib.entry(key) if bib is not None else None
        subst = self._crossed.get(key)
        return _expanded(entry, bib, subst) if entry and bib and subst else entry

    def entry_text(self, key: str) -> str:
        return self.bibliography_of(key).entry_text(key)

    def raw_value(self, key: str, name: str) -> str | None:
        return self.bibliography_of(key).raw_value(key, name)

    def text(self) -> str:
        """The files' texts one after the other (what BibTeX reads, given all of them)."""
        texts = [bib.text() for bib in self.parts]
        return "".join(t if t.endswith("\n") or not t else t + "\n" for t in texts)

    def texts(self) -> list[tuple[Path | None, str]]:
        """Each file's path and text as it would be saved, in order."""
        return [(bib.path, bib.text()) for bib in self.parts]

    @property
    def changed(self) -> bool:
        return any(bib.changed for bib in self.parts)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __getitem__(self, key: str) -> Entry:
        return self.entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    # ----------------------------------------------------------------- editing
    def set_field(self, key: str, name: str, value: str, *, raw: bool = False) -> None:
        """Set a field in the file that holds ``key``. A ``raw`` value naming a macro that
        file cannot see (one copied from a later file) is written expanded instead."""
        bib = self.bibliography_of(key)
        parts = (_value_parts(value) if raw else None) or []
        scope = self._scopes[self.parts.index(bib)]
        unseen = [v for k, v in parts if k == "m" and v.lower() not in scope]
        if any(v.lower() not in MONTHS for v in unseen):
            every = self._scopes[-1]  # the macro is a later file's: write its text
            value, raw = expand(parts, every, None), False
        bib.set_field(key, name, value, raw=raw)
        self._stale = True  # keys are unchanged: the owner map stays valid

    def set_fields(self, key: str, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self.set_field(key, name, value)

    def remove_field(self, key: str, name: str) -> None:
        self.bibliography_of(key).remove_field(key, name)
        self._stale = True

    def set_type(self, key: str, entry_type: str) -> None:
        self.bibliography_of(key).set_type(key, entry_type)
        self._stale = True

    def add_entry(
        self,
        key: str,
        entry_type: str,
        fields: Mapping[str, str] | Sequence[tuple[str, str]],
        *,
        before: str | None = None,
    ) -> None:
        """Add an entry to the new-entry file, in its style; before ``before`` when that entry
        is in the same file, else at its end. KeyError when any file has the key."""
        if key.lower() in {k.lower() for k in (*self.entries, *self.unparsed_keys)}:
            raise KeyError(f"an entry with key '{key}' already exists")
        target = self.new_entries_file
        if before is not None and self._owner.get(before) is not target:
            before = None
        target.add_entry(key, entry_type, fields, before=before)
        self._keys_stale = True

    def remove_entry(self, key: str) -> None:
        self.bibliography_of(key).remove_entry(key)
        self._keys_stale = True  # a shadowed duplicate in a later file may now be the one

    def replace_entry_text(self, key: str, text: str) -> None:
        self.bibliography_of(key).replace_entry_text(key, text)
        self._keys_stale = True

    # ----------------------------------------------------------------- writing
    def save(self, *, backup: bool = True) -> bool:
        """Write every changed file; False when none had to be written (see :meth:`save_all`)."""
        return bool(self.save_all(backup=backup))

    def save_all(self, *, backup: bool = True) -> list[Path]:
        """Write every changed file as one, and return their paths (in file order).

        All or nothing up to the renames: every text is encoded (an unencodable character is a
        BibFileError naming its file and line), every file locked (in a fixed order, so two
        processes cannot deadlock) and checked unchanged on disk, and every temporary file and
        backup written before the first file is replaced; an error before that leaves every
        file as it was. See :func:`pubman.store.atomic.write_many` for a failing rename.
        """
        changed = [bib for bib in self.parts if bib.changed]
        if not changed:
            return []
        targets: list[Path] = []
        for bib in changed:
            if bib.path is None:
                raise ValueError("a file of the union has no path")
            targets.append(bib.path)
        datas = [bib.encoded_text() for bib in changed]
        reals = [atomic.writable_path(t) for t in targets]
        with ExitStack() as stack:
            for real in sorted(set(reals), key=os.fspath):
                stack.enter_context(filelock.locked(real))
            for bib, target in zip(changed, targets):
                atomic.check_unchanged(target, bib.disk_digest)
            atomic.write_many(list(zip(targets, datas)), backup=backup)
        for bib, data in zip(changed, datas):
            bib.mark_saved(data)
        return targets


def load(
    paths: Sequence[str | os.PathLike[str]],
    *,
    encoding: str | None = None,
    add_to: str | os.PathLike[str] | None = None,
) -> BibliographyUnion:
    """Load each of ``paths`` (see :func:`pubman.store.bibliography.load`) as one union; new
    entries go to ``add_to`` (one of ``paths``; ValueError otherwise), else the first."""
    from pubman.store import bibliography as bibstore

    parts = [bibstore.load(p, encoding=encoding) for p in paths]
    return BibliographyUnion(parts, add_to=index_of(paths, add_to))


def index_of(paths: Sequence[str | os.PathLike[str]], path: str | os.PathLike[str] | None) -> int:
    """The index of ``path`` among ``paths`` (the same file, however written); 0 for None."""
    if path is None:
        return 0
    want = os.path.realpath(path)
    for i, p in enumerate(paths):
        if os.path.realpath(p) == want:
            return i
    raise ValueError(f"{os.fspath(path)} is not one of the files")


# --------------------------------------------------------------------- macros across files
def _resolve_across(
    bib: Bibliography, earlier: Mapping[str, str]
) -> tuple[list[Problem], dict[str, dict[str, str]]]:
    """``bib``'s problems without the undefined macros that ``earlier`` files define, and for
    each entry that uses such macros, their values."""
    if not earlier:
        return list(bib.problems), {}
    problems: list[Problem] = []
    crossed: dict[str, dict[str, str]] = {}
    for p in bib.problems:
        m = _UNDEFINED.search(p.message) if p.kind == "undefined-macro" else None
        low = m.group(1).lower() if m is not None else ""
        if p.key and low in earlier:
            crossed.setdefault(p.key, {})[low] = earlier[low]
            continue
        problems.append(p)
    return problems, crossed


def _expanded(entry: Entry, bib: Bibliography, subst: Mapping[str, str]) -> Entry:
    """``entry`` with the fields that use a macro of ``subst`` expanded again with it."""
    own = bib.strings
    blocks = [b for b in bibscan.scan(bib.entry_text(entry.key)) if b.kind == "entry"]
    fields = dict(entry.fields)
    for f in blocks[0].fields if blocks else []:
        name = f.name.lower()
        if name in fields and any(k == "m" and v.lower() in subst for k, v in f.parts):
            fields[name] = expand(f.parts, {**own, **subst}, None)
    return entry._replace(fields=fields)


def _value_parts(value: str) -> list[tuple[str, str]] | None:
    """The pieces of a raw BibTeX value (see :class:`pubman.store.scan.FieldSpan`); None when
    it is not one value."""
    blocks = [b for b in bibscan.scan("@misc{k, f = " + value + "}") if b.kind == "entry"]
    if len(blocks) != 1 or len(blocks[0].fields) != 1:
        return None
    return blocks[0].fields[0].parts
