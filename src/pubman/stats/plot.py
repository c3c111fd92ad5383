"""Works per year as a picture (``stats --plot``): bars stacked by kind, totals above them.

Contract: :func:`write_plot` writes one .svg, .png or .pdf file and nothing else; it raises
:class:`~pubman.errors.PubmanError` when matplotlib (the ``plot`` extra, whose one home this
is) is missing or the file cannot be written. matplotlib is imported on the first call only.
SVG and PDF carry no date, so the same counts give the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pubman.errors import PubmanError
from pubman.stats.tables import timeline

__all__ = ["PLOT_FORMATS", "write_plot"]

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


def write_plot(
    result: Any,
    path: Path,
    *,
    size: tuple[float, float] | None = None,
    dpi: int = 150,
    owner: str | None = None,
) -> None:
    """Works per year as bars stacked by kind, each bar's total above it, with room above the
    tallest; titled with the owner; saved by file extension (svg, png or pdf)."""
    plt = _pyplot()
    rows = timeline(result.by_year_kind)
    years = list(rows)
    kinds = list(result.by_kind)
    figsize = size or (max(5.0, 0.45 * len(years) + 2.5), 3.6)
    fig, ax = plt.subplots(figsize=figsize)
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
        _annotate(ax, years, bottom)
        ax.set_ylabel("works")
        who = f"{owner}: p" if owner else "P"
        ax.set_title(f"{who}ublications per year ({result.total} works)")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        if len(years) > 12:
            ax.tick_params(axis="x", labelrotation=90)
        if kinds:
            ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.tight_layout()
        _save(fig, path, dpi)
    finally:
        plt.close(fig)


def _annotate(ax: Any, years: Sequence[str], totals: Sequence[int]) -> None:
    """Each bar's total above it, and headroom (about 15%, at least one work) so the tallest
    bar's label and the frame do not touch."""
    for x, total in zip(years, totals):
        if total:
            ax.annotate(
                str(total),
                (x, total),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="small",
            )
    most = max(totals, default=0)
    ax.set_ylim(0, most + max(1.0, 0.15 * most))


def _save(fig: Any, path: Path, dpi: int = 150) -> None:
    fmt = path.suffix.lower().lstrip(".")
    metadata: dict[str, Sequence[str] | str | None] = (
        {"Date": None} if fmt == "svg" else {"CreationDate": None} if fmt == "pdf" else {}
    )
    try:
        fig.savefig(path, format=fmt, metadata=metadata, dpi=dpi)
    except OSError as err:
        raise PubmanError(
            f"cannot write {path}: {err.strerror or err}",
            hint="check that its folder exists and is writable",
        ) from None
