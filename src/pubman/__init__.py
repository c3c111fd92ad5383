"""pubman: keep a researcher's own publication list.

The small public API::

    import pubman
    bib = pubman.load("pubs.bib")     # a pubman.Bibliography: entries by key, in file order
    bib.set_field("key", "doi", "10.1/x")
    bib.save()                        # lossless, atomic, with a backup
    w = pubman.work_of(bib["key"])    # a pubman.Work: ids, year, people, venue, kind
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Bibliography", "Work", "__version__", "load", "work_of"]

if TYPE_CHECKING:
    from os import PathLike

    from pubman.store.bibliography import Bibliography
    from pubman.work import Work, work_of

# Every command imports this package (for __version__), so the store and the work view are
# imported on first use, not here: they cost ~15 ms and ~60 ms (the venue resolver) that
# `pubman --version` and a replayed `pubman format` skip.
_LAZY = {
    "Bibliography": "pubman.store.bibliography",
    "Work": "pubman.work",
    "work_of": "pubman.work",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'pubman' has no attribute {name!r}")


def load(path: str | PathLike[str]) -> Bibliography:
    """Read a .bib file into a :class:`Bibliography` (raises BibFileError)."""
    from pubman.store.bibliography import load as _load

    return _load(path)
