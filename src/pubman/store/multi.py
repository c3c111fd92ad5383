"""Several .bib files read as one list (``bib = ["conf.bib", "journal.bib"]``, ``--bib`` twice).

Contract: :class:`BibliographyUnion` is a read-only view over already loaded
:class:`~pubman.store.bibliography.Bibliography` objects, in the order given; no I/O of its own,
never prints. Entries are the files' entries in file order, file after file. A key that is in an
earlier file (compared case-insensitively, as BibTeX does) is left out and reported as a
``duplicate-key`` problem naming both files: BibTeX, given ``\\bibliography{conf,journal}``,
also keeps the first. Problems of each file carry that file's name in their message (their
``line`` is a line of that file). :meth:`BibliographyUnion.bibliography_of` says which file
holds an entry, for a writer that must edit that file. ``@string`` macros are resolved within
each file, not across files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from pubman.model import Entry, Problem
from pubman.store.bibliography import Bibliography

__all__ = ["BibliographyUnion"]


class BibliographyUnion:
    """The union of several bibliographies, read-only, with the reading API of one."""

    def __init__(self, parts: Sequence[Bibliography]) -> None:
        if not parts:
            raise ValueError("a union needs at least one bibliography")
        self.parts = list(parts)
        self.path = self.parts[0].path
        self._owner: dict[str, Bibliography] = {}
        self._entries: dict[str, Entry] = {}
        self._problems: list[Problem] = []
        self._build()

    def _name(self, bib: Bibliography) -> str:
        return bib.path.name if bib.path is not None else f"file {self.parts.index(bib) + 1}"

    def _build(self) -> None:
        folded: dict[str, str] = {}
        for bib in self.parts:
            name = self._name(bib)
            self._problems += [replace(p, message=f"{name}: {p.message}") for p in bib.problems]
            for key, entry in bib.entries.items():
                first = folded.get(key.lower())
                if first is None:
                    folded[key.lower()] = key
                    self._entries[key] = entry
                    self._owner[key] = bib
                    continue
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

    @property
    def entries(self) -> dict[str, Entry]:
        return self._entries

    @property
    def problems(self) -> list[Problem]:
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
        digest = hashlib.sha256("".join(d for _, d in known).encode("ascii")).hexdigest()
        return (size, mtime), digest

    @property
    def unparsed_keys(self) -> frozenset[str]:
        return frozenset().union(*(bib.unparsed_keys for bib in self.parts))

    @property
    def paths(self) -> list[Path | None]:
        return [bib.path for bib in self.parts]

    def bibliography_of(self, key: str) -> Bibliography:
        """The file that holds ``key`` (KeyError when none does)."""
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
                out.append((i, names[i], replace(p, message=p.message[len(names[i]) + 2 :])))
                continue
            bib = self._owner.get(p.key or "")
            i = self.parts.index(bib) if bib is not None else 0
            out.append((i, names[i], p))
        out.sort(key=lambda item: (item[0], item[2].line))
        return [(name, p) for _, name, p in out]

    def entry_text(self, key: str) -> str:
        return self.bibliography_of(key).entry_text(key)

    def text(self) -> str:
        """The files' texts one after the other (what BibTeX reads, given all of them)."""
        texts = [bib.text() for bib in self.parts]
        return "".join(t if t.endswith("\n") or not t else t + "\n" for t in texts)

    @property
    def changed(self) -> bool:
        return False

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __getitem__(self, key: str) -> Entry:
        return self._entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self._entries
