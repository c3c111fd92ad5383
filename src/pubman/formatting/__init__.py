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
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from pubman import parallel
from pubman.formatting.document import Document, FormatOptions, Group, Item, Notice
from pubman.formatting.listing import Placed, Placing, arrange
from pubman.formatting.marks import Marking, legend
from pubman.formatting.richtext import TIE
from pubman.formatting.styles import compose, format_entry
from pubman.gcpause import collector_paused
from pubman.model import Entry
from pubman.venues import VenueTable

__all__ = [
    "BACKENDS",
    "Document",
    "FormatOptions",
    "Listing",
    "format_publications",
    "measure",
    "owner_form",
    "render",
    "render_publications",
    "stream_publications",
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
        run = _Run(options, owner_names, display, advisees)
        groups: list[Group] = []
        notices: list[Notice] = []
        for placing in arrange(entries, _table(venues), options):
            items = []
            for p in placing:
                done = format_entry(p, options, run.matcher, run.marking)
                items.append(Item(p.number, p.entry.key, done.content, done.record, done.body))
                notices += done.notices
            groups.append(Group(placing.title, tuple(items)))
        used = [m for g in groups for i in g.items for a in i.record.authors for m in a.marks]
        marks = legend(used, run.marking.table)
        return Document(options.style, run.label, tuple(groups), tuple(notices), marks, run.heading)


class Listing(NamedTuple):
    """A list rendered as it was formatted (:func:`render_publications`): the text, as
    :func:`render` gives it for the Document, and the Document's warnings."""

    text: str
    warnings: tuple[Notice, ...]


def render_publications(
    entries: Iterable[Entry],
    options: FormatOptions,
    owner_names: Sequence[str] = (),
    venues: VenueTable | None = None,
    *,
    to: str = "markdown",
    display: str = "",
    advisees: Sequence[str] = (),
) -> Listing:
    """``render(format_publications(...), to)`` and its warnings, for the backends that print
    each item on its own (markdown, latex, html, text): each item is rendered as soon as it
    is formatted, so no item's rich text or record outlives it (a big list needs a fraction
    of the memory and time)."""
    with collector_paused():
        chunks, warnings = stream_publications(
            entries, options, owner_names, venues, to=to, display=display, advisees=advisees
        )
        return Listing("".join(chunks), warnings)


def stream_publications(
    entries: Iterable[Entry],
    options: FormatOptions,
    owner_names: Sequence[str] = (),
    venues: VenueTable | None = None,
    *,
    to: str = "markdown",
    display: str = "",
    advisees: Sequence[str] = (),
) -> tuple[Iterator[str], tuple[Notice, ...]]:
    """:func:`render_publications` as the page's chunks (each line with its newline; joined,
    they are its text) and the warnings. Every entry is formatted before this returns (the
    legend that opens the page needs them all); the page is made as the chunks are read, so a
    caller that writes them as they come never holds the whole page."""
    from pubman.formatting.backends import TEXT_BACKENDS, Section

    if to not in TEXT_BACKENDS:
        raise ValueError(f"not a text backend: {to!r}; one of {', '.join(TEXT_BACKENDS)}")
    backend = TEXT_BACKENDS[to]
    processes = parallel.jobs()
    with collector_paused():
        run = _Run(options, owner_names, display, advisees)
        placings = list(arrange(entries, _table(venues), options))
        count = sum(len(placing) for placing in placings)

        def rows_of(part: Sequence[int]) -> list[str | _Row]:
            # part: a range of positions in the whole list; each Placed is made as it is read
            done: list[str | _Row] = []
            for p in _placed(placings, part[0], part[-1] + 1) if part else ():
                composed = compose(p, options, run.matcher, run.marking)
                row = backend.row(composed.content)
                marks = tuple(m for ms in composed.people.marks for m in ms)
                done.append(
                    _Row(row, composed.notices, marks) if composed.notices or marks else row
                )
            return done

        made = parallel.map_parts(rows_of, range(count), processes if count >= PARALLEL_FROM else 1)
        sections: list[Section] = []
        notices: list[Notice] = []
        used: set[str] = set()
        start = 0
        for placing in placings:
            rows: list[str] = []
            for row in made[start : start + len(placing)]:
                if isinstance(row, str):
                    rows.append(row)
                else:
                    notices += row.notices
                    used.update(row.marks)
                    rows.append(row.text)
            start += len(placing)
            sections.append(Section(placing.title, placing.numbers, rows))
        del made  # the rows live on in the sections alone
        chunks = backend.chunks(run.label, legend(used, run.marking.table), sections)
        return chunks, tuple(notices)


def _placed(placings: Sequence[Placing], start: int, stop: int) -> Iterator[Placed]:
    """The entries at positions ``start`` to ``stop`` of the list the placings make."""
    offset = 0
    for placing in placings:
        lo, hi = max(start - offset, 0), min(stop - offset, len(placing))
        for i in range(lo, hi):
            yield placing[i]
        offset += len(placing)
        if offset >= stop:
            return


# The least entries a list must have for its rows to be made in several processes
# (pubman.parallel). Measured on 2 cores, `pubman format --style cv` on samples of the dblp
# bench file, median of 5 alternating runs, one process vs two: 500 entries 0.15 vs 0.14 s,
# 1,000 0.16 vs 0.16 s, 2,000 0.30 vs 0.23 s, 4,000 0.64 vs 0.44 s.
PARALLEL_FROM = 1000


class _Row(NamedTuple):
    """One entry of a streamed list that has notices or marks: its rendered row, notices and
    the marks it uses (an entry with neither is its row alone)."""

    text: str
    notices: tuple[Notice, ...]
    marks: tuple[str, ...]


def _table(venues: VenueTable | None) -> VenueTable:
    return venues if venues is not None else VenueTable.load()


class _Run:
    """What every entry of one list shares: the owner's and advisees' matchers, the marks,
    the label form and the owner's heading."""

    def __init__(
        self,
        options: FormatOptions,
        owner_names: Sequence[str],
        display: str,
        advisees: Sequence[str],
    ) -> None:
        from pubman.text.names import OwnerMatcher, latex_to_text

        self.matcher = OwnerMatcher(owner_names) if any(n.strip() for n in owner_names) else None
        students = [a for a in advisees if a.strip()]
        shown = owner_form(options.owner_form, owner_names, display) if self.matcher else ""
        advised = OwnerMatcher(students) if students else None
        self.marking = Marking(dict(options.marks), advised, shown)
        self.label = "bracket" if options.style == "cv" else "ordered"
        self.heading = shown.replace(TIE, " ") or latex_to_text(next(iter(owner_names), ""))


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
