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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pubman.cli.context import App, pass_app
from pubman.errors import PubmanError
from pubman.stats import counts as st
from pubman.stats.counts import KIND_ORDER
from pubman.store.statscache import read_works, write_works
from pubman.venues import VenueTable

if TYPE_CHECKING:
    from pubman.stats.counts import CountedWork

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
PLOT_COLORS = {
    "conference": "#1f77b4",
    "journal": "#2ca02c",
    "workshop": "#ffbf00",
    "preprint": "#c061cb",
    "book": "#17becf",
    "thesis": "#d62728",
    "report": "#8c8c8c",
    "other": "#c7c7c7",
}
PLOT_FORMATS = (".svg", ".png", ".pdf")
INSTALL_PLOT = "install it with pip install 'pubman[plot]'"


@click.command("stats")
@click.option(
    "--by",
    "by",
    default="venue,year",
    show_default=True,
    type=click.Choice(["venue,year", "venue", "year", "kind"]),
    help="What the table counts by.",
)
@click.option("--since", type=int, metavar="YEAR", help="Count works from this year on.")
@click.option("--until", type=int, metavar="YEAR", help="Count works up to this year.")
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "markdown", "csv", "json"]),
    help="table and markdown add summary lines; json always holds every count.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help="Show the N venues with most works; sum the rest into one row.",
)
@click.option(
    "--chart/--no-chart",
    default=True,
    show_default=True,
    help="With --format table: bars per year, stacked by kind.",
)
@click.option(
    "--plot",
    "plot",
    type=click.Path(dir_okay=False, writable=True),
    metavar="FILE",
    help="Also draw works per year, stacked by kind, to FILE.svg, .png or .pdf "
    "(needs matplotlib: pip install 'pubman[plot]').",
)
@pass_app
def command(
    app: App,
    by: str,
    since: int | None,
    until: int | None,
    fmt: str,
    top: int | None,
    chart: bool,
    plot: str | None,
) -> None:
    """Count publications by venue and year, each work once: a preprint and its published
    version (one entry with a venue and an eprint, or two entries with the same DOI, arXiv id or
    title) count once, as published. Venues are normalised through the venue table (extend it
    under [venues] in pubman.toml). Shows the owner's first- and last-author counts, and
    citations and h-index when `pubman sync` has cached citation counts."""
    if since is not None and until is not None and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}")
    if plot and Path(plot).suffix.lower() not in PLOT_FORMATS:
        raise click.UsageError(f"--plot {plot}: the file name must end in .svg, .png or .pdf")
    settings = app.settings
    counts = st.load_citation_counts(settings.bib_path)
    works = st.attach_citations(collect(app), counts)
    result = st.count(works, since=since, until=until, with_citations=counts is not None)
    if plot:
        write_plot(result, Path(plot))
    if fmt == "json":
        click.echo(json.dumps(st.to_json(result), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(to_csv(st.grid(result, by, top=top)), nl=False)
    elif fmt == "markdown":
        click.echo(to_markdown(st.grid(result, by, top=top)))
        click.echo("\n" + "  \n".join(summary(result, settings.owner, bib_name(settings))))
    else:
        print_table(result, by, top, chart, settings.owner, bib_name(settings))
    if plot:
        click.echo(f"wrote the chart to {plot}", err=True)


def collect(app: App) -> list[CountedWork]:
    """The works of the bib, without citations; remembered for a large file
    (:mod:`pubman.store.statscache`) unless ``--lenient`` skips broken entries."""
    settings = app.settings
    cached = (
        None
        if app.lenient
        else read_works(settings.bib_path, settings.owner_names, settings.venues)
    )
    if cached is not None:
        try:
            return st.works_from_data(cached)
        except (TypeError, ValueError):
            pass  # a damaged cache: recompute below
    # Lazy: the name grammar costs ~8 ms of imports that a cached answer does not need.
    from pubman.text.names import OwnerMatcher

    bib = app.load_bib()
    owner = OwnerMatcher(settings.owner_names) if settings.owner_names else None
    works = st.collect_works(bib.entries.values(), VenueTable.load(settings.venues), owner)
    if not any(p.kind == "parse" for p in bib.problems):
        data = st.works_to_data(works)
        write_works(settings.bib_path, settings.owner_names, settings.venues, data, bib.fingerprint)
    return works


def bib_name(settings: Any) -> str:
    return Path(settings.bib_path).name


# --- text renderings ----------------------------------------------------------------------


def _cell(value: str | int | None, *, blank_zero: bool) -> str:
    if value is None:
        return "–"
    if value == 0 and blank_zero and not isinstance(value, str):
        return ""
    return str(value)


def to_csv(grid: Any) -> str:
    """Header, rows and total rows; unknown citation counts are empty, zeros are 0."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(grid.header)
    for row in (*grid.rows, *grid.footer):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def to_markdown(grid: Any) -> str:
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


def summary(result: Any, owner: str | None, name: str) -> list[str]:
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


def _ruled_box() -> Any:
    """A rule under the header and above the totals, nothing else."""
    from rich.box import Box

    return Box("    \n    \n ── \n    \n ── \n ── \n    \n    \n")


def print_table(
    result: Any, by: str, top: int | None, chart: bool, owner: str | None, name: str
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160  # a file or pipe has no width to fit; don't fold years for it
    venue_w = min(30, max((len(v) for v in result.by_venue), default=5))
    fixed = venue_w + 31 + (11 if result.citations is not None else 0)
    grid = st.grid(result, by, max_years=max(3, (console.width - fixed) // 6), top=top)
    table = Table(box=_ruled_box(), show_edge=False, pad_edge=False)
    for i, head in enumerate(grid.header):
        numeric = i > 0 and head != "kind"
        table.add_column(
            head, justify="right" if numeric else "left", overflow="fold", no_wrap=numeric
        )
    for row in grid.rows:
        table.add_row(*(_cell(v, blank_zero=True) for v in row))
    if grid.rows:
        table.rows[-1].end_section = True
    for row in grid.footer:
        table.add_row(*(_cell(v, blank_zero=True) for v in row), style="bold")
    if result.total:
        console.print(table)
        console.print()
    for line in summary(result, owner, name):
        console.print(line, markup=False)
    if chart and result.total:
        console.print()
        for line in chart_lines(result.by_year_kind, console.width):
            console.print(line)


def timeline(by_year_kind: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """``by_year_kind`` with empty rows for the years without works between the first and the
    last (when they span at most 60 years), so gaps show; "n.d." stays last."""
    years = [int(y) for y in by_year_kind if y.isdigit()]
    if not years or max(years) - min(years) >= 60:
        return by_year_kind
    rows = {str(y): by_year_kind.get(str(y), {}) for y in range(min(years), max(years) + 1)}
    rows.update({y: k for y, k in by_year_kind.items() if not y.isdigit()})
    return rows


def chart_lines(by_year_kind: dict[str, dict[str, int]], width: int) -> list[Any]:
    """One bar per year, stacked by kind (glyph + colour per kind), then a legend. Small
    counts get up to 4 blocks per work; large ones one block per ``unit`` works."""
    from rich.text import Text

    rows = timeline(by_year_kind)
    totals = {y: sum(k.values()) for y, k in rows.items()}
    label_w = max(len(y) for y in totals)
    room = max(10, width - label_w - 8)
    most = max(totals.values())
    unit = max(1, math.ceil(most / room))
    per = max(1, min(4, room // most)) if unit == 1 else 1
    lines: list[Any] = []
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


# --- picture ---------------------------------------------------------------------------------


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PubmanError(
            f"--plot needs matplotlib, which is not installed; {INSTALL_PLOT}"
        ) from None
    return plt


def write_plot(result: Any, path: Path) -> None:
    """Works per year as bars stacked by kind, saved by file extension (svg, png or pdf)."""
    plt = _pyplot()
    rows = timeline(result.by_year_kind)
    years = list(rows)
    kinds = list(result.by_kind)
    fig, ax = plt.subplots(figsize=(max(5.0, 0.45 * len(years) + 2.5), 3.6))
    try:
        bottom = [0] * len(years)
        for kind in kinds:
            heights = [rows[y].get(kind, 0) for y in years]
            ax.bar(
                years,
                heights,
                bottom=bottom,
                label=kind,
                color=PLOT_COLORS.get(kind, "#c7c7c7"),
                edgecolor="white",
                linewidth=0.5,
            )
            bottom = [b + h for b, h in zip(bottom, heights)]
        ax.set_ylabel("works")
        ax.set_title(f"Publications per year ({result.total} works)")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        if len(years) > 12:
            ax.tick_params(axis="x", labelrotation=90)
        if kinds:
            ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.tight_layout()
        _save(fig, path)
    finally:
        plt.close(fig)


def _save(fig: Any, path: Path) -> None:
    fmt = path.suffix.lower().lstrip(".")
    metadata: dict[str, Sequence[str] | str | None] = (
        {"Date": None} if fmt == "svg" else {"CreationDate": None} if fmt == "pdf" else {}
    )
    try:
        fig.savefig(path, format=fmt, metadata=metadata, dpi=150)
    except OSError as err:
        raise PubmanError(
            f"cannot write {path}: {err.strerror or err}",
            hint="check that its folder exists and is writable",
        ) from None
