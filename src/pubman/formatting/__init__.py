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

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from pubman.formatting.document import Document, FormatOptions, Group, Item, Notice
from pubman.formatting.listing import arrange
from pubman.formatting.marks import Marking, legend
from pubman.formatting.richtext import TIE
from pubman.formatting.styles import format_entry
from pubman.gcpause import collector_paused
from pubman.model import Entry
from pubman.venues import VenueTable

__all__ = [
    "BACKENDS",
    "Document",
    "FormatOptions",
    "format_publications",
    "measure",
    "owner_form",
    "render",
]

BACKENDS = ("markdown", "latex", "html", "text", "json", "terminal")


def owner_form(form: str, owner_names: Sequence[str], display: str = "") -> str:
    """The one form the owner prints in ("" = as each entry writes it): ``auto`` is
    ``display`` (``[owner] display``) when set; ``initials``/``full`` are the owner's name
    (the first of ``owner_names``) as initials + family name, or decoded as written."""
    from pubman.formatting.styles import name_form
    from pubman.text.names import latex_to_text

    name = next((n for n in owner_names if n.strip()), "")
    if form == "as-written":
        return ""
    if form == "initials" and name:
        return tie(name_form(name, "cv").text)
    if form == "full" and name:
        return tie(latex_to_text(name))
    return tie(display.strip())


def tie(name: str) -> str:
    """``name`` with ties after initials and before the family name ("H.~Harutyunyan")."""
    words = name.split()
    if len(words) < 2:
        return name
    head = " ".join(words[:-1])
    return re.sub(r"(?<=\.) (?=\S)", TIE, head) + TIE + words[-1]


def format_publications(
    entries: Iterable[Entry],
    options: FormatOptions,
    owner_names: Sequence[str] = (),
    venues: VenueTable | None = None,
    *,
    display: str = "",
    advisees: Sequence[str] = (),
) -> Document:
    """The list for ``entries`` (in file order) as ``options`` asks. ``owner_names``: the
    owner's name and aliases (none: nobody is bold and nothing is warned about);
    ``display``: ``[owner] display``; ``advisees``: names that get the ``advisee`` mark."""
    with collector_paused():
        return _format(entries, options, owner_names, venues, display, advisees)


def _format(
    entries: Iterable[Entry],
    options: FormatOptions,
    owner_names: Sequence[str],
    venues: VenueTable | None,
    display: str,
    advisees: Sequence[str],
) -> Document:
    from pubman.text.names import OwnerMatcher, latex_to_text

    table = venues if venues is not None else VenueTable.load()
    matcher = OwnerMatcher(owner_names) if any(n.strip() for n in owner_names) else None
    students = [a for a in advisees if a.strip()]
    shown = owner_form(options.owner_form, owner_names, display) if matcher else ""
    marking = Marking(dict(options.marks), OwnerMatcher(students) if students else None, shown)
    groups: list[Group] = []
    notices: list[Notice] = []
    for title, placed in arrange(entries, table, options):
        items = []
        for p in placed:
            done = format_entry(p, options, matcher, marking)
            items.append(Item(p.number, p.entry.key, done.content, done.record, done.body))
            notices += done.notices
        groups.append(Group(title, tuple(items)))
    used = [m for g in groups for i in g.items for a in i.record.authors for m in a.marks]
    label = "bracket" if options.style == "cv" else "ordered"
    heading = shown.replace(TIE, " ") or latex_to_text(next(iter(owner_names), ""))
    doc = Document(options.style, label, tuple(groups), tuple(notices))
    return replace(doc, legend=legend(used, marking.table), owner=heading)


def _renderer(to: str) -> Callable[[Document], str]:
    if to not in BACKENDS:
        raise ValueError(f"unknown backend {to!r}; one of {', '.join(BACKENDS)}")
    if to in ("json", "terminal"):
        # Lazy: the terminal module imports json (~1 ms) that the text backends never use.
        from pubman.formatting import terminal

        return terminal.render_json if to == "json" else terminal.render_terminal
    from pubman.formatting import backends

    table: dict[str, Callable[[Document], str]] = {
        "markdown": backends.render_markdown,
        "latex": backends.render_latex,
        "html": backends.render_html,
        "text": backends.render_text,
    }
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
