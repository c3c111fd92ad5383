"""Counts laid out as plain data: the tables ``pubman stats`` prints (:class:`Grid`) and its
``--format json`` document.

Contract: pure functions of a :class:`~pubman.stats.counts.Stats`; no I/O, never prints.
Widths, truncation and the choice of table for a terminal are the renderer's (``cli/stats``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pubman.stats.counts import Stats

__all__ = ["BY_CHOICES", "Grid", "grid", "timeline", "to_json"]


def to_json(stats: Stats) -> dict[str, object]:
    """The ``--format json`` document. Always: total, by_year, by_venue, by_kind,
    by_venue_year, by_year_kind, venue_kind; with an owner: first_author, last_author; with a
    citation cache: citations {total, h_index, works, by_year, by_venue}."""
    doc: dict[str, object] = {
        "total": stats.total,
        "by_year": stats.by_year,
        "by_venue": stats.by_venue,
        "by_kind": stats.by_kind,
        "by_venue_year": stats.by_venue_year,
        "by_year_kind": stats.by_year_kind,
        "venue_kind": stats.venue_kind,
    }
    if stats.first_author is not None:
        doc["first_author"] = stats.first_author
        doc["last_author"] = stats.last_author
    if stats.citations is not None:
        c = stats.citations
        doc["citations"] = {
            "total": c.total,
            "h_index": c.h_index,
            "works": c.works,
            "by_year": c.by_year,
            "by_venue": c.by_venue,
        }
    return doc


@dataclass(frozen=True)
class Grid:
    """A table to render: ``rows`` then ``footer`` rows (totals). Cells are text, counts, or
    ``None`` for "not known" (a citation column without a cached count), never a fake zero."""

    header: tuple[str, ...]
    rows: tuple[tuple[str | int | None, ...], ...]
    footer: tuple[tuple[str | int | None, ...], ...] = ()


BY_CHOICES = ("venue,year", "venue", "year", "kind")


def grid(stats: Stats, by: str = "venue,year", *, top: int | None = None) -> Grid:
    """The table for ``--by``: every year its own column (years are never folded together);
    ``top`` keeps that many venues and sums the rest into one row."""
    if by == "venue,year":
        return _venue_grid(stats, top, {y: y for y in stats.by_year})
    if by == "venue":
        return _venue_grid(stats, top, {})
    if by == "year":
        return _year_grid(stats)
    if by == "kind":
        rows = tuple((k, n) for k, n in stats.by_kind.items())
        return Grid(("kind", "works"), rows, (("total", stats.total),))
    raise ValueError(f"unknown grouping {by!r}; choose from {', '.join(BY_CHOICES)}")


def _venue_grid(stats: Stats, top: int | None, labels: dict[str, str]) -> Grid:
    """Venues by count; one column per (folded) year label when ``labels`` maps years to
    columns, else one "works" column; "citations" last when cached."""
    columns = list(dict.fromkeys(labels.values()))
    cited = stats.citations
    venues = list(stats.by_venue)
    shown, rest = (
        (venues, []) if top is None or len(venues) <= top + 1 else (venues[:top], venues[top:])
    )

    def line(name: str, kind: str, group: list[str]) -> tuple[str | int | None, ...]:
        counts: Counter[str] = Counter()
        for v in group:
            for year, n in stats.by_venue_year[v].items():
                counts[labels.get(year, "")] += n
        row: list[str | int | None] = [
            name,
            kind,
            *(counts[c] for c in columns),
            sum(counts.values()),
        ]
        if cited is not None:
            known = [cited.by_venue[v] for v in group if v in cited.by_venue]
            row.append(sum(known) if known else None)
        return tuple(row)

    rows = [line(v, stats.venue_kind[v], [v]) for v in shown]
    if rest:
        rows.append(line(f"{len(rest)} other venues", "", rest))
    footer = [line("total", "", venues)]
    if cited is not None and columns:
        per_column: Counter[str] = Counter()
        for year, n in cited.by_year.items():
            per_column[labels[year]] += n
        footer.append(("citations", "", *(per_column.get(c) for c in columns), cited.total, None))
    header = ("venue", "kind", *columns, "total" if columns else "works")
    return Grid(header + (("citations",) if cited else ()), tuple(rows), tuple(footer))


def _year_grid(stats: Stats) -> Grid:
    cited = stats.citations
    kinds = list(stats.by_kind)
    rows = []
    for year, n in stats.by_year.items():
        row: list[str | int | None] = [
            year,
            *(stats.by_year_kind[year].get(k, 0) for k in kinds),
            n,
        ]
        if cited is not None:
            row.append(cited.by_year.get(year))
        rows.append(tuple(row))
    footer: list[str | int | None] = ["total", *(stats.by_kind[k] for k in kinds), stats.total]
    if cited is not None:
        footer.append(cited.total)
    header = ("year", *kinds, "total") + (("citations",) if cited else ())
    return Grid(header, tuple(rows), (tuple(footer),))


def timeline(by_year_kind: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """``by_year_kind`` with empty rows for the years without works between the first and the
    last (when they span at most 60 years), so gaps show; "n.d." stays last."""
    years = [int(y) for y in by_year_kind if y.isdigit()]
    if not years or max(years) - min(years) >= 60:
        return by_year_kind
    rows = {str(y): by_year_kind.get(str(y), {}) for y in range(min(years), max(years) + 1)}
    rows.update({y: k for y, k in by_year_kind.items() if not y.isdigit()})
    return rows
