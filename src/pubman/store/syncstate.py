"""What ``pubman sync`` remembers between runs, in small files beside the bibliography.

Contract: plain data plus load/save; files are written with :func:`pubman.store.bibliography.atomic_write`
(no backup copies); raises :class:`~pubman.errors.BibFileError` for an unreadable state file.
Nothing here ever holds an API key.

* ``.<bib name>.sync.json``: per entry key, the value sync last wrote into each field
  (``fields``) and the paper's identifiers (``ids``: ``arxiv:<id>``, ``doi:<doi>``, ``s2:<sha>``);
  ``dismissed`` lists identifiers of entries sync added that the owner has since deleted, so
  sync does not add them again. A field with no remembered value was written by hand.

Several .bib files read as one (``bib = [...]``) have one state, the first file's
(``.conf.bib.sync.json`` for ``["conf.bib", "journal.bib"]``): every side file of a union lives
beside its first file and is named after it (see :mod:`pubman.store.multi`); keys are unique
across the files, so one state serves them all.

The citation counts sync also keeps are :mod:`pubman.store.citations`' file (re-exported here
as :func:`save_citations` for the sync pipeline).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pubman.errors import BibFileError
from pubman.store.bibliography import atomic_write
from pubman.store.citations import citations_path, save_citations

__all__ = [
    "SyncState",
    "citations_path",
    "load_state",
    "reconcile",
    "save_citations",
    "save_state",
    "state_path",
]

VERSION = 1


def state_path(bib: Path) -> Path:
    return bib.with_name(f".{bib.name}.sync.json")


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
    atomic_write(state_path(bib), _dump(state.to_json()), backup=False)
