"""Formatting the owner's publication list: entries -> :class:`Document` -> text.

Contract: pure functions; no I/O, never prints. :func:`format_publications` selects, orders,
groups and numbers entries (:mod:`.listing`) and lets a style (:mod:`.styles`) turn each into
rich text (:mod:`.richtext`); :func:`render` hands the Document to a backend
(:mod:`.backends`, :mod:`.latex`, :mod:`.terminal`), where all escaping happens. Owner
problems (no author matches the owner, or several do) come back as ``Document.warnings``.

    doc = format_publications(bib.entries.values(), FormatOptions(style="cv"),
                              owner_names=settings.owner_names,
                              venues=VenueTable.load(settings.venues))
    text = render(doc, "markdown")
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from pubman.formatting.document import Document, FormatOptions, Group, Item, Notice
from pubman.formatting.listing import arrange
from pubman.formatting.styles import format_entry
from pubman.model import Entry
from pubman.venues import VenueTable

__all__ = [
    "BACKENDS",
    "Document",
    "FormatOptions",
    "format_publications",
    "measure",
    "render",
]

BACKENDS = ("markdown", "latex", "html", "text", "json", "terminal")


def format_publications(
    entries: Iterable[Entry],
    options: FormatOptions,
    owner_names: Sequence[str] = (),
    venues: VenueTable | None = None,
) -> Document:
    """The list for ``entries`` (in file order) as ``options`` asks. ``owner_names``: the
    owner's name and aliases (none: nobody is bold and nothing is warned about)."""
    from pubman.text.names import OwnerMatcher

    table = venues if venues is not None else VenueTable.load()
    matcher = OwnerMatcher(owner_names) if any(n.strip() for n in owner_names) else None
    groups: list[Group] = []
    notices: list[Notice] = []
    for title, placed in arrange(entries, table, options):
        items = []
        for p in placed:
            done = format_entry(p, options, matcher)
            items.append(Item(p.number, p.entry.key, done.content, done.record))
            notices += done.notices
        groups.append(Group(title, tuple(items)))
    label = "bracket" if options.style == "cv" else "ordered"
    return Document(options.style, label, tuple(groups), tuple(notices))


def _renderer(to: str) -> Callable[[Document], str]:
    from pubman.formatting import backends, terminal

    table: dict[str, Callable[[Document], str]] = {
        "markdown": backends.render_markdown,
        "latex": backends.render_latex,
        "html": backends.render_html,
        "text": backends.render_text,
        "json": terminal.render_json,
        "terminal": terminal.render_terminal,
    }
    if to not in table:
        raise ValueError(f"unknown backend {to!r}; one of {', '.join(BACKENDS)}")
    return table[to]


def render(doc: Document, to: str) -> str:
    """The Document in backend ``to`` (one of :data:`BACKENDS`), ending in a newline."""
    return _renderer(to)(doc)


def measure(
    entries: Sequence[Entry],
    options: FormatOptions | None = None,
    owner_names: Sequence[str] = (),
    to: str = "markdown",
    venues: VenueTable | None = None,
) -> dict[str, float]:
    """Seconds spent formatting already-loaded entries (the time of ``pubman format`` beyond
    loading the .bib), split into ``format`` (select, sort, style) and ``render``; for the
    benchmark script. Caches are warm after the first call; run it in a fresh process for a
    cold figure."""
    options = options or FormatOptions()
    table = venues if venues is not None else VenueTable.load()
    start = time.perf_counter()
    doc = format_publications(entries, options, owner_names, table)
    middle = time.perf_counter()
    render(doc, to)
    end = time.perf_counter()
    return {
        "entries": float(len(doc.items)),
        "format": middle - start,
        "render": end - middle,
        "total": end - start,
    }
