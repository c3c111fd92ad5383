"""What ``pubman sync`` remembers between runs, in small files beside the bibliography.

Contract: plain data plus load/save; files are written with :func:`pubman.store.bibliography.atomic_write`
(no backup copies); raises :class:`~pubman.errors.BibFileError` for an unreadable state file.
Nothing here ever holds an API key.

* ``.<bib name>.sync.json``: per entry key, the value sync last wrote into each field
  (``fields``) and the paper's identifiers (``ids``: ``arxiv:<id>``, ``doi:<doi>``, ``s2:<sha>``);
  ``dismissed`` lists identifiers of entries sync added that the owner has since deleted, so
  sync does not add them again. A field with no remembered value was written by hand.
* ``.<bib name>.citations.json``: ``{"updated": "YYYY-MM-DD", "counts": {key: n}}``, citation
  counts from Semantic Scholar (read by ``pubman stats``; never written into the .bib).
* :func:`set_owner_ids_text` edits ``semantic_scholar_ids`` under ``[owner]`` in pubman.toml
  text, keeping every other line.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pubman.errors import BibFileError, ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

VERSION = 1


def state_path(bib: Path) -> Path:
    return bib.with_name(f".{bib.name}.sync.json")


def citations_path(bib: Path) -> Path:
    return bib.with_name(f".{bib.name}.citations.json")


@dataclass
class SyncState:
    """Last-synced field values and identifiers, by entry key (see the module docstring)."""

    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)
    dismissed: list[str] = field(default_factory=list)

    def synced(self, key: str, name: str) -> str | None:
        """The value sync last wrote into ``key``'s field ``name``; None if it never did."""
        return self.fields.get(key, {}).get(name)

    def record(self, key: str, name: str, value: str) -> None:
        self.fields.setdefault(key, {})[name] = value

    def forget(self, key: str, name: str) -> None:
        values = self.fields.get(key)
        if values is not None:
            values.pop(name, None)
            if not values:
                del self.fields[key]

    def to_json(self) -> dict[str, object]:
        return {
            "version": VERSION,
            "entries": {
                k: {
                    "fields": dict(sorted(self.fields.get(k, {}).items())),
                    "ids": sorted(self.ids.get(k, [])),
                }
                for k in sorted(set(self.fields) | set(self.ids))
            },
            "dismissed": sorted(set(self.dismissed)),
        }

    def copy(self) -> SyncState:
        return SyncState(
            {k: dict(v) for k, v in self.fields.items()},
            {k: list(v) for k, v in self.ids.items()},
            list(self.dismissed),
        )


def reconcile(state: SyncState, entry_ids: Mapping[str, Iterable[str]]) -> SyncState:
    """Adapt the state to the file as it is now; returns a new state.

    A remembered key that is gone from the file either was renamed (an entry under another
    key shares an identifier: its record moves there) or was deleted (its identifiers become
    ``dismissed``). ``entry_ids`` maps every key in the file to its identifiers.
    """
    new = state.copy()
    owners = {i: k for k, ids in entry_ids.items() for i in ids}
    for key in sorted(set(new.fields) | set(new.ids)):
        if key in entry_ids:
            continue
        ids = new.ids.pop(key, [])
        values = new.fields.pop(key, {})
        target = next((owners[i] for i in ids if i in owners), None)
        if target is not None and target not in new.fields and target not in new.ids:
            new.fields[target], new.ids[target] = values, ids
        elif target is None:
            new.dismissed.extend(ids)
    new.dismissed = sorted(set(new.dismissed))
    return new


def load_state(bib: Path) -> SyncState:
    """The state beside ``bib``; an empty one when there is none yet."""
    path = state_path(bib)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SyncState()
    except (OSError, ValueError) as err:
        raise BibFileError(
            f"cannot read sync state: {err}",
            path=str(path),
            hint="delete the file to start afresh (sync then treats every "
            "field as written by hand)",
        ) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise BibFileError(
            "sync state has no 'entries' table",
            path=str(path),
            hint="delete the file to start afresh",
        )
    state = SyncState()
    for key, rec in entries.items():
        if not isinstance(rec, dict):
            continue
        values = rec.get("fields") or {}
        state.fields[key] = {str(k): str(v) for k, v in values.items()} if values else {}
        if not state.fields[key]:
            del state.fields[key]
        ids = [str(i) for i in rec.get("ids") or []]
        if ids:
            state.ids[key] = ids
    state.dismissed = [str(i) for i in data.get("dismissed") or []]
    return state


def _dump(data: object) -> bytes:
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n").encode()


def save_state(bib: Path, state: SyncState) -> None:
    from pubman.store.bibliography import atomic_write

    atomic_write(state_path(bib), _dump(state.to_json()), backup=False)


def save_citations(bib: Path, counts: Mapping[str, int], updated: str) -> None:
    """Write the citation counts (merged over any counts already there for other keys)."""
    from pubman.store.bibliography import atomic_write

    path = citations_path(bib)
    old: dict[str, int] = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("counts"), dict):
            old = {str(k): int(v) for k, v in data["counts"].items() if isinstance(v, int)}
    except (OSError, ValueError):
        pass
    merged = {**old, **counts}
    atomic_write(
        path, _dump({"updated": updated, "counts": dict(sorted(merged.items()))}), backup=False
    )


# --------------------------------------------------------------------------- pubman.toml

_HEADER = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")
_IDS_LINE = re.compile(r"^\s*semantic_scholar_ids\s*=")
_IDS_COMMENT = re.compile(r"^\s*#\s*semantic_scholar_ids\s*=")


def _owner_section(lines: list[str]) -> tuple[int, int] | None:
    """(index of the [owner] header, index just past its last line) or None."""
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if (m := _HEADER.match(ln)) and m.group(1).strip() == "owner"
        ),
        None,
    )
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def set_owner_ids_text(text: str, ids: Iterable[str]) -> str:
    """``text`` (pubman.toml) with ``[owner] semantic_scholar_ids = [...]`` set to ``ids``.

    Replaces an existing setting, else goes below a commented-out example of it, else at the
    end of ``[owner]`` (a new ``[owner]`` table when there is none). Raises ConfigError if
    the result would not read back as those ids.
    """
    ids = [str(i) for i in ids]
    line = "semantic_scholar_ids = [" + ", ".join(json.dumps(i) for i in ids) + "]"
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    section = _owner_section(lines)
    if section is None:
        sep = "" if not text or text.endswith(("\n", "\r")) else nl
        new = text + sep + ("" if not text.strip() else nl) + f"[owner]{nl}{line}{nl}"
    else:
        start, end = section
        body = range(start + 1, end)
        current = next((i for i in body if _IDS_LINE.match(lines[i])), None)
        if current is not None:
            stop = current
            if "]" not in lines[current]:  # a multi-line array
                stop = next((i for i in range(current, end) if "]" in lines[i]), current)
            lines[current : stop + 1] = [line]
        else:
            comment = next((i for i in body if _IDS_COMMENT.match(lines[i])), None)
            lines.insert(comment + 1 if comment is not None else end, line)
        new = nl.join(lines) + (nl if text.endswith(("\n", "\r")) else "")
    try:
        got = tomllib.loads(new).get("owner", {}).get("semantic_scholar_ids")
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(
            f"could not add semantic_scholar_ids: {err}",
            hint=f"add it by hand under [owner]: {line}",
        ) from None
    if [str(g) for g in got or []] != ids:
        raise ConfigError(
            "could not add semantic_scholar_ids", hint=f"add it by hand under [owner]: {line}"
        )
    return new
