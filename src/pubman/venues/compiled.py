"""The compiled venue table, kept in the user cache so a start-up reads it instead of
parsing ``venues.toml`` and normalising every alias again.

Contract: :func:`read` gives the compiled table stored under a key, or ``None`` when there is
none or it cannot be read; :func:`write` stores one, and failing to (an unwritable cache dir, a
full disk) is never an error. Neither prints. The key (:func:`key`) is the SHA-256 of
everything the compiled form is a function of: the shipped table's bytes, the user's
``[venues]`` config, pubman's version, and the source of the code that compiles it (the venue
readings and the LaTeX decoder), so an edit to any of them compiles afresh; a stored table is
never a stale answer.

Stored with :mod:`marshal`, like the parse cache (plain data only: loading it cannot run
code); reading the ~30 KB file takes ~0.2 ms against ~30 ms to compile, and needs no json
import (~1 ms of start-up that nothing else on the way to a formatted list pays).
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from pubman import __version__
from pubman.store.digest import sha256
from pubman.store.parsecache import cache_dir
from pubman.venues.spec import Venue

__all__ = ["key", "read", "write"]

FORMAT = 2  # bump when the stored layout changes (2: marshal, was JSON)
_KEEP = 16  # compiled tables kept (one per pubman version and [venues] config in use)
_PACKAGE = Path(__file__).resolve().parent.parent
# The modules whose code decides the compiled form (alias keys, pattern tests).
_CODE = ("venues/keys.py", "venues/spec.py", "venues/table.py", "text/latex.py")

Compiled = tuple[dict[str, Venue], dict[str, str], list[tuple[int, str, str, str]]]


def key(source: bytes, user: str) -> str:
    """The key of the table compiled from the shipped ``source`` and the user config ``user``
    (its canonical JSON)."""
    digest = sha256(f"{FORMAT}\0{__version__}\0".encode())
    for name in _CODE:
        try:
            digest.update((_PACKAGE / name).read_bytes())
        except OSError:  # a zipped or stripped install: the version stands for the code
            digest.update(name.encode())
        digest.update(b"\0")
    digest.update(sha256(source).digest())
    digest.update(user.encode("utf-8"))
    return digest.hexdigest()


def _folder() -> Path:
    return cache_dir() / "venues"


def read(table_key: str) -> Compiled | None:
    """The compiled table stored under ``table_key``, or None."""
    try:
        with open(_folder() / f"{table_key}.marshal", "rb") as fh:
            data = marshal.loads(fh.read())
        venues = {v[0]: Venue(v[0], v[1], v[2], v[3]) for v in data["venues"]}
        aliases = data["aliases"]
        tests = [(int(t[0]), str(t[1]), str(t[2]), str(t[3])) for t in data["tests"]]
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError):
        return None
    if data.get("key") != table_key or not isinstance(aliases, dict):
        return None
    if not all(s in venues for s in aliases.values()) or not all(t[3] in venues for t in tests):
        return None
    return venues, aliases, tests


def write(
    table_key: str,
    venues: Mapping[str, Venue],
    aliases: Mapping[str, str],
    tests: Sequence[tuple[int, str, str, str]],
) -> None:
    """Store a compiled table under ``table_key``; errors are swallowed (it only saves time)."""
    folder = _folder()
    file = folder / f"{table_key}.marshal"
    tmp = folder / f".{table_key}.{os.getpid()}.tmp"
    data = {
        "key": table_key,
        "venues": [[v.short, v.kind, v.name, v.display] for v in venues.values()],
        "aliases": dict(aliases),
        "tests": [list(t) for t in tests],
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps(data))
        os.replace(tmp, file)
        _prune(folder)
    except (OSError, ValueError, TypeError):
        try:
            tmp.unlink()
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """Keep the :data:`_KEEP` most recently written tables (JSON ones, from before FORMAT 2,
    age out with them)."""
    stored = [*folder.glob("*.marshal"), *folder.glob("*.json")]
    files = sorted(stored, key=lambda f: f.stat().st_mtime_ns, reverse=True)
    for old in files[_KEEP:]:
        old.unlink(missing_ok=True)
