"""Venue names: which conference, journal or workshop a BibTeX entry appeared in.

The one venue resolver. Its parts, one job each:

* :mod:`~pubman.venues.keys`: a venue string as text: decoded with the one LaTeX decoder,
  its comparison key (:func:`venue_key`), its readable cleaned form (:func:`clean_venue`);
* :mod:`~pubman.venues.spec`: :class:`Venue`, the shipped ``pubman/data/venues.toml`` and the
  ``[venues.<short>]`` tables of pubman.toml, read and validated;
* :mod:`~pubman.venues.table`: :class:`VenueTable`, the table compiled for lookup;
* :mod:`~pubman.venues.compiled`: the compiled table kept in the user cache, keyed by content;
* :mod:`~pubman.venues.resolver`: an entry's venue and kind (:func:`resolve`, :func:`classify`)
  and the strings the table does not know (:func:`unresolved`).

A :class:`Venue` has two names for two readers: ``short`` is the key ``pubman stats`` counts
under ("Sci. Data", "NeurIPS"), ``display`` is what the CV style prints ("Nature Scientific
Data", "NeurIPS"; it defaults to ``short``). ``name`` is the canonical full name. Unknown
strings give ``None`` from :meth:`VenueTable.lookup`; :func:`classify` then builds a Venue from
the cleaned string and the entry type. Raises :class:`~pubman.errors.ConfigError` for a bad
user table entry; never prints.
"""

from __future__ import annotations

from pubman.venues.keys import clean_venue, venue_key
from pubman.venues.resolver import Resolution, classify, resolve, unresolved
from pubman.venues.spec import KINDS, Venue
from pubman.venues.table import VenueTable

__all__ = [
    "KINDS",
    "Resolution",
    "Venue",
    "VenueTable",
    "classify",
    "clean_venue",
    "resolve",
    "unresolved",
    "venue_key",
]
