"""``pubman stats``: counts of works by venue, year and kind, as a table, markdown, CSV or JSON,
with a terminal bar chart per year stacked by kind and an optional picture (``--plot``).

Thin: the counting is :mod:`pubman.stats.counts`; this module reads flags, renders and writes.
matplotlib (the ``plot`` extra) is imported only for ``--plot``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pubman.cli.args import Choice, Command, Option, Range, UsageError, echo, integer, writable_file
from pubman.cli.context import App
from pubman.gcpause import keep_paused
from pubman.stats import counts as st
from pubman.stats import tables
from pubman.stats.counts import KIND_ORDER
from pubman.stats.plot import PLOT_FORMATS, write_plot
from pubman.store.statscache import read_works, write_works
from pubman.venues import VenueTable

if TYPE_CHECKING:
    from rich.box import Box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from pubman.config import Settings
    from pubman.stats.counts import CountedWork, Stats
    from pubman.stats.tables import Grid

# One glyph and one colour per kind, so the chart reads without colour too.
KIND_STYLE = {
    "conference": ("█", "blue"),
    "journal": ("▓", "green"),
    "workshop": ("▒", "yellow"),
    "preprint": ("░", "magenta"),
    "book": ("▚", "cyan"),
    "thesis": ("▞", "red"),
    "report": ("▖", "white"),
    "other": ("·", "bright_black"),
}


HELP = """Count publications by venue and year, each work once: a preprint and its published
version (one entry with a venue and an eprint, or two entries with the same DOI, arXiv id or
title) count once, as published. Venues are normalised through the venue table (extend it
under [venues] in pubman.toml). Shows the owner's first- and last-author counts, and
citations and h-index when `pubman sync` has cached citation counts."""


def run(
    app: App,
    by: str,
    since: int | None,
    until: int | None,
    fmt: str,
    top: int | None,
    chart: bool,
    plot: str | None,
    size: str | None,
    dpi: int,
) -> None:
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    if plot and Path(plot).suffix.lower() not in PLOT_FORMATS:
        raise UsageError(f"--plot {plot}: the file name must end in .svg, .png or .pdf")
    inches = parse_size(size) if size else None
    settings = app.settings
    counts = st.load_citation_counts(settings.bib_path)
    works = st.attach_citations(collect(app), counts)
    result = st.count(works, since=since, until=until, with_citations=counts is not None)
    if plot:
        write_plot(result, Path(plot), size=inches, dpi=dpi, owner=settings.owner)
    from pubman.text.controls import strip_controls  # venue names come from the file

    if fmt == "json":
        echo(json.dumps(st.to_json(result), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        echo(strip_controls(to_csv(st.grid(result, by, top=top))), nl=False)
    elif fmt == "markdown":
        echo(strip_controls(to_markdown(st.grid(result, by, top=top))))
        lines = summary(result, settings.owner, bib_name(settings))
        echo(strip_controls("\n" + "  \n".join(lines)))
    else:
        print_table(result, by, top, chart, settings.owner, bib_name(settings))
    if plot:
        echo(f"wrote the chart to {plot}", err=True)


def parse_size(text: str) -> tuple[float, float]:
    """``8x4`` (or ``8X4.5``, ``8×4``) -> (8.0, 4.0) inches; usage error otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*", text)
    if match is None or not all(1 <= float(v) <= 50 for v in match.groups()):
        raise UsageError(
            f"--size {text}: give width x height in inches, each 1 to 50, e.g. --size 8x4"
        )
    return float(match.group(1)), float(match.group(2))


def collect(app: App) -> list[CountedWork]:
    """The works of the bib, without citations; remembered for a large file
    (:mod:`pubman.store.statscache`) unless ``--lenient`` skips broken entries."""
    settings = app.settings
    single = len(settings.bib_paths) < 2  # the cache is one file's
    cached = (
        None
        if app.lenient or not single
        else read_works(settings.bib_path, settings.owner_names, settings.venues)
    )
    if cached is not None:
        try:
            return st.works_from_data(cached)
        except (TypeError, ValueError):
            pass  # a damaged cache: recompute below
    # Lazy: the name grammar costs ~8 ms of imports that a cached answer does not need.
    from pubman.text.names import OwnerMatcher

    keep_paused()  # one build, printed, then the process ends: no collections
    bib = app.load_bib()
    owner = OwnerMatcher(settings.owner_names) if settings.owner_names else None
    works = st.collect_works(bib.entries.values(), VenueTable.load(settings.venues), owner)
    if single and not any(p.kind == "parse" for p in bib.problems):
        data = st.works_to_data(works)
        write_works(settings.bib_path, settings.owner_names, settings.venues, data, bib.fingerprint)
    return works


def bib_name(settings: Settings) -> str:
    """The file name (names, for several files) the summary line starts with."""
    return ", ".join(Path(p).name for p in (settings.bib_paths or (settings.bib_path,)))


# --- text renderings ----------------------------------------------------------------------


def _cell(value: str | int | None, *, blank_zero: bool) -> str:
    if value is None:
        return "–"
    if value == 0 and blank_zero and not isinstance(value, str):
        return ""
    return str(value)


def to_csv(grid: Grid) -> str:
    """Header, rows and total rows; unknown citation counts are empty, zeros are 0."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(grid.header)
    for row in (*grid.rows, *grid.footer):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def to_markdown(grid: Grid) -> str:
    """A pipe table; numeric columns right-aligned, the total rows in bold."""

    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    numeric = [i > 0 and grid.header[i] != "kind" for i in range(len(grid.header))]
    lines = [
        "| " + " | ".join(esc(h) for h in grid.header) + " |",
        "|" + "|".join("---:" if n else "---" for n in numeric) + "|",
    ]
    for row in grid.rows:
        lines.append("| " + " | ".join(esc(_cell(v, blank_zero=True)) for v in row) + " |")
    for row in grid.footer:
        cells = [_cell(v, blank_zero=True) for v in row]
        lines.append("| " + " | ".join(f"**{esc(c)}**" if c else "" for c in cells) + " |")
    return "\n".join(lines)


def summary(result: Stats, owner: str | None, name: str) -> list[str]:
    """Lines under the table: totals, kinds, the owner's authorship, citations."""
    years = [y for y in result.by_year if y.isdigit()]
    span = f", {years[0]}–{years[-1]}" if len(years) > 1 else (f", {years[0]}" if years else "")
    entries = sum(len(w.keys) for w in result.works)
    merged = entries - result.total
    extra = f" ({entries} entries; {merged} counted as another entry's version)" if merged else ""
    lines = [f"{name}: {result.total} work{'' if result.total == 1 else 's'}{span}{extra}"]
    if result.by_kind:
        lines.append("by kind: " + ", ".join(f"{k} {n}" for k, n in result.by_kind.items()))
    if result.first_author is not None:
        lines.append(
            f"{owner or 'owner'}: first author of {result.first_author}, "
            f"last author of {result.last_author}"
        )
    c = result.citations
    if c is not None and not c.works:
        lines.append("citations: none cached for these works (run `pubman sync`)")
    elif c is not None:
        lines.append(
            f"citations: {c.total}, h-index {c.h_index} "
            f"(cached counts for {c.works} of {result.total} works)"
        )
    return lines


# --- terminal -------------------------------------------------------------------------------


def _ruled_box() -> Box:
    """A rule under the header and above the totals, nothing else."""
    from rich.box import Box

    return Box("    \n    \n ── \n    \n ── \n ── \n    \n    \n")


# Narrower than this, a venue name would be mostly an ellipsis: show fewer columns instead.
VENUE_MIN = 18


def _table(grid: Grid, venue_width: int | None = None, *, compact: bool = False) -> Table:
    """A rich table of ``grid``; the first column never wraps (long names end in "…").
    ``compact``: one space between columns instead of three."""
    from rich.table import Table

    padding = (0, 0) if compact else (0, 1)
    table = Table(box=_ruled_box(), show_edge=False, pad_edge=False, padding=padding)
    for i, head in enumerate(grid.header):
        numeric = i > 0 and head != "kind"
        table.add_column(
            head,
            justify="right" if numeric else "left",
            no_wrap=True,
            overflow="ellipsis",
            max_width=venue_width if i == 0 else None,
        )
    for row in grid.rows:
        table.add_row(*(_cell(v, blank_zero=True) for v in row))
    if grid.rows:
        table.rows[-1].end_section = True
    for row in grid.footer:
        table.add_row(*(_cell(v, blank_zero=True) for v in row), style="bold")
    return table


def _fitted(grid: Grid, console: Console) -> Table | None:
    """``grid`` as a table as wide as the terminal at most, the first column cut with "…"
    to fit (columns one space apart when three do not fit); None when the other columns
    leave it fewer than VENUE_MIN characters."""
    names = [str(row[0]) for row in (*grid.rows, *grid.footer)] + [grid.header[0]]
    longest = max(len(n) for n in names)
    narrow = min(longest, VENUE_MIN)
    unbounded = console.options.update_width(10_000)  # measure() clamps to the width
    for compact in (False, True):
        width = console.measure(_table(grid, narrow, compact=compact), options=unbounded).maximum
        if width <= console.width:
            slack = console.width - width
            return _table(grid, min(longest, narrow + slack), compact=compact)
    return None


def terminal_tables(result: Stats, by: str, top: int | None, console: Console) -> list[Table]:
    """What the terminal shows for ``--by``: venue × year with every year its own column when
    it fits the width; otherwise venues with their totals, then a year × kind table (years
    are never folded into one column)."""
    table = _fitted(st.grid(result, by, top=top), console)
    if table is not None:
        return [table]
    if by != "venue,year":
        return [_table(st.grid(result, by, top=top), VENUE_MIN)]
    venues = _fitted(st.grid(result, "venue", top=top), console)
    return [venues or _table(st.grid(result, "venue", top=top), VENUE_MIN), _year_table(result)]


def _year_table(result: Stats) -> Table:
    return _table(st.grid(result, "year"))


def print_table(
    result: Stats, by: str, top: int | None, chart: bool, owner: str | None, name: str
) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160  # a file or pipe has no width to fit
    if result.total:
        for table in terminal_tables(result, by, top, console):
            console.print(table)
            console.print()
    for line in summary(result, owner, name):
        console.print(line, markup=False)
    if chart and result.total:
        console.print()
        for bar in chart_lines(result.by_year_kind, console.width):
            console.print(bar)


def chart_lines(by_year_kind: dict[str, dict[str, int]], width: int) -> list[Text]:
    """One bar per year, stacked by kind (glyph + colour per kind), then a legend. Small
    counts get up to 4 blocks per work; large ones one block per ``unit`` works."""
    from rich.text import Text

    rows = tables.timeline(by_year_kind)
    totals = {y: sum(k.values()) for y, k in rows.items()}
    label_w = max(len(y) for y in totals)
    room = max(10, width - label_w - 8)
    most = max(totals.values())
    unit = max(1, math.ceil(most / room))
    per = max(1, min(4, room // most)) if unit == 1 else 1
    lines: list[Text] = []
    for year, kinds in rows.items():
        bar = Text(f"{year:>{label_w}} ")
        for kind, n in kinds.items():
            glyph, colour = KIND_STYLE.get(kind, KIND_STYLE["other"])
            bar.append(glyph * (per * math.ceil(n / unit)), style=colour)
        bar.append(f" {totals[year]}" if totals[year] else "")
        lines.append(bar)
    used = list(dict.fromkeys(k for kinds in rows.values() for k in kinds))
    legend = Text(" " * (label_w + 1))
    for kind in (k for k in KIND_ORDER if k in used):
        glyph, colour = KIND_STYLE.get(kind, KIND_STYLE["other"])
        legend.append(glyph * 2, style=colour)
        legend.append(f" {kind}  ")
    if unit > 1:
        legend.append(f"(one block ≈ {unit} works)")
    legend.rstrip()
    lines.append(legend)
    return lines


command = Command(
    "stats",
    run,
    HELP,
    options=[
        Option(
            "--by",
            default="venue,year",
            show_default=True,
            convert=Choice("venue,year", "venue", "year", "kind"),
            help="What the table counts by.",
        ),
        Option("--since", convert=integer, metavar="YEAR", help="Count works from this year on."),
        Option("--until", convert=integer, metavar="YEAR", help="Count works up to this year."),
        Option(
            "--format",
            dest="fmt",
            default="table",
            show_default=True,
            convert=Choice("table", "markdown", "csv", "json"),
            help="table and markdown add summary lines; json always holds every count.",
        ),
        Option(
            "--top",
            convert=Range(1),
            metavar="N",
            help="Show the N venues with most works; sum the rest into one row.",
        ),
        Option(
            "--chart",
            flag=True,
            off="--no-chart",
            default=True,
            show_default=True,
            help="With --format table: bars per year, stacked by kind.",
        ),
        Option(
            "--plot",
            convert=writable_file,
            metavar="FILE",
            help="Also draw works per year, stacked by kind, to FILE.svg, .png or .pdf "
            "(needs matplotlib: pip install 'pubman[plot]').",
        ),
        Option(
            "--size",
            metavar="WxH",
            help="--plot: the picture's size in inches, e.g. 8x4 (default: wide enough for "
            "the years).",
        ),
        Option(
            "--dpi",
            convert=Range(30, 1200),
            default=150,
            show_default=True,
            help="--plot: dots per inch of a .png.",
        ),
    ],
)
