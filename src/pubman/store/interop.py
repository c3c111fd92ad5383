"""bibtexparser v2 interop: the one module that imports bibtexparser (the ``bibtexparser``
extra, ``pip install 'pubman[bibtexparser]'``), and only when called.

:func:`to_bibtexparser` hands pubman's reading of a file to scripts that already use
bibtexparser: a :class:`bibtexparser.Library` whose entries carry pubman's key, lower-case type
and field values (``@string`` macros and ``#`` concatenations resolved, outer braces or quotes
removed, inner LaTeX kept), in file order. It holds entries only: comments, preambles,
``@string`` definitions and blocks pubman could not parse stay in pubman's file, not in the
Library. Raises :class:`~pubman.errors.PubmanError` when bibtexparser is not installed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pubman.errors import PubmanError
from pubman.model import Entry

if TYPE_CHECKING:
    from bibtexparser.library import Library

INSTALL_HINT = "install it with pip install 'pubman[bibtexparser]'"


def to_bibtexparser(entries: Iterable[Entry]) -> Library:
    """A bibtexparser v2 Library of ``entries`` (see the module docstring)."""
    try:
        # Lazy: an optional extra, and ~40 ms of imports no command needs.
        from bibtexparser import model
        from bibtexparser.library import Library
    except ImportError:
        raise PubmanError(
            "to_bibtexparser() needs bibtexparser v2, which is not installed",
            hint=INSTALL_HINT,
        ) from None
    library = Library()
    library.add(
        [
            model.Entry(
                e.type,
                e.key,
                [model.Field(name, value) for name, value in e.fields.items()],
                start_line=max(0, e.line - 1),
            )
            for e in entries
        ]
    )
    return library
