"""`pubman stats` in a terminal of 80 and 120 columns: every year keeps its own column (or the
table becomes venues, then years by kind), venue names end in "…" instead of wrapping, and
`--plot` takes `--size`/`--dpi`."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from _cli import run_pubman
from _corpus import REPO, corpus_file


def run(*args: str, cwd: Path, columns: int) -> subprocess.CompletedProcess[str]:
    return run_pubman(*args, cwd=cwd, env={"COLUMNS": str(columns)}, timeout=120)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    shutil.copy(REPO / "pubs.bib", tmp_path / "pubs.bib")
    shutil.copy(REPO / "pubman.toml", tmp_path / "pubman.toml")
    return tmp_path


@pytest.fixture
def srinivasa(tmp_path: Path) -> Path:
    """The three Srinivasa CV files concatenated: 264 works over 27 years."""
    names = ("siddpubs-conf.bib", "siddpubs-journal.bib", "siddpubs-misc.bib")
    texts = [corpus_file(f"real/srinivasa-cv/{n}").read_text(encoding="utf-8") for n in names]
    (tmp_path / "pubs.bib").write_text("\n".join(texts), encoding="utf-8")
    return tmp_path


def _tables(out: str) -> list[list[str]]:
    """The body rows of each table (the lines between a header rule and the totals rule)."""
    lines = out.splitlines()
    rules = [i for i, line in enumerate(lines) if line and set(line) <= {"─"}]
    return [lines[a + 1 : b] for a, b in zip(rules[::2], rules[1::2])]


@pytest.mark.parametrize("columns", [80, 120])
def test_pubs_bib_top_keeps_every_year_column(home: Path, columns: int) -> None:
    done = run("stats", "--top", "5", "--no-chart", cwd=home, columns=columns)
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    assert header[2:] == ["2017", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "total"]
    assert "≤" not in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= columns
    (body,) = _tables(done.stdout)
    assert len(body) == 6  # 5 venues + "5 other venues", one line each: nothing wrapped


@pytest.mark.parametrize("columns", [80, 120])
def test_many_years_switch_to_a_year_by_kind_table(srinivasa: Path, columns: int) -> None:
    done = run(
        "--owner", "Siddhartha Srinivasa", "stats", "--top", "5", "--no-chart",
        cwd=srinivasa, columns=columns,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "≤" not in out
    assert max(len(line) for line in out.splitlines()) <= columns
    venues, years = _tables(out)
    assert len(venues) == 6 and all(re.search(r"\d$", row) for row in venues)
    assert [row.split()[0] for row in years] == [
        y for y in map(str, range(1999, 2026)) if y not in ("2004",)
    ]
    assert sum(int(row.split()[-1]) for row in years) == 264


@pytest.mark.parametrize("columns", [80, 120])
def test_long_venue_names_end_in_an_ellipsis_instead_of_wrapping(
    srinivasa: Path, columns: int
) -> None:
    done = run("stats", "--by", "venue", "--no-chart", cwd=srinivasa, columns=columns)
    assert done.returncode == 0, done.stderr
    (body,) = _tables(done.stdout)
    assert all(re.search(r"\s\d+$", row) for row in body)  # every line is a whole row
    assert sum(int(row.split()[-1]) for row in body) == 264
    cut = [row for row in body if "…" in row]
    assert cut and max(len(line) for line in done.stdout.splitlines()) <= columns


def test_plot_size_and_dpi(home: Path) -> None:
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    done = run(
        "stats", "--plot", "c.png", "--size", "4x3", "--dpi", "50", "--format", "json",
        cwd=home, columns=80,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = (home / "c.png").read_bytes()
    assert struct.unpack(">II", data[16:24]) == (200, 150)
    bad = run("stats", "--plot", "d.png", "--size", "4by3", cwd=home, columns=80)
    assert bad.returncode == 2 and "error: --size 4by3" in bad.stderr
    assert not (home / "d.png").exists()


def test_plot_leaves_headroom_above_the_tallest_bar() -> None:
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pubman.stats.plot import _annotate

    fig, ax = plt.subplots()
    try:
        ax.bar(["2020", "2021"], [4, 10])
        _annotate(ax, ["2020", "2021"], [4, 10])
        low, high = ax.get_ylim()
        assert low == 0 and high >= 11.5
        assert [t.get_text() for t in ax.texts] == ["4", "10"]
    finally:
        plt.close(fig)
