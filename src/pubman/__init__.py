"""pubman: keep a researcher's own publication list.

The small public API::

    import pubman
    bib = pubman.load("pubs.bib")     # entries by key, in file order
    bib.set_field("key", "doi", "10.1/x")
    bib.save()                        # lossless, atomic, with a backup
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["__version__", "load"]

if TYPE_CHECKING:
    from os import PathLike

    from pubman.store.bibliography import Bibliography


def load(path: str | PathLike[str]) -> Bibliography:
    """Read a .bib file into a :class:`~pubman.store.bibliography.Bibliography` (raises BibFileError)."""
    from pubman.store.bibliography import load as _load

    return _load(path)
