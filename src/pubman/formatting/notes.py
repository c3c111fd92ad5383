"""Notes and awards printed after the venue: ``note``, ``addendum``, ``award``, ``pubstate``.

Contract: pure functions; no I/O, never prints, no escaping.

Which fields print, and in which order, is ``FormatOptions.notes`` (``[format] notes``;
default :data:`~pubman.formatting.document.DEFAULT_NOTES`; al-folio's ``_note`` included).
A note stays LaTeX source (:class:`~pubman.formatting.richtext.Tex`): the LaTeX backend keeps
``\\textbf{Best Paper Award}``, the others print it decoded. ``pubstate`` keys print as
biblatex prints them (``inpress`` -> "in press"). A note is left out when it says nothing,
repeats an earlier note, or repeats the venue (a ``note = {Workshop on ...}`` the venue
resolver already printed, an ``arXiv:<id>`` the venue already is).
"""

from __future__ import annotations

from collections.abc import Sequence

from pubman.formatting import richtext as rt
from pubman.model import Entry
from pubman.text.names import latex_to_text
from pubman.text.pattern import LazyPattern

__all__ = ["PUBSTATES", "note_nodes"]

PUBSTATES = {
    "inpress": "in press",
    "inpreparation": "in preparation",
    "submitted": "submitted",
    "forthcoming": "forthcoming",
    "prepublished": "prepublished",
    "accepted": "accepted",
}
_FOLD = LazyPattern(r"[^0-9a-z]+")


def _folded(text: str) -> str:
    return _FOLD.sub(" ", text.lower()).strip()


def _repeats(note: str, venue: str) -> bool:
    a, b = _folded(note), _folded(venue)
    return bool(a and b) and (a in b or (len(b) >= 4 and b in a))


def note_nodes(entry: Entry, names: Sequence[str], venue: str) -> list[tuple[rt.Node, str]]:
    """(rich text, Unicode text) of each note to print, in the order of ``names``."""
    out: list[tuple[rt.Node, str]] = []
    seen: list[str] = []
    for name in names:
        source = entry.get(name).strip()
        if not source:
            continue
        node: rt.Node
        if name == "pubstate":
            text = PUBSTATES.get(source.lower(), latex_to_text(source))
            node = rt.Text(text)
        else:
            text = latex_to_text(source).strip()
            node = rt.Tex(source)
        if not text or _repeats(text, venue) or any(_folded(text) == s for s in seen):
            continue
        seen.append(_folded(text))
        out.append((rt.note(node), text))
    return out
