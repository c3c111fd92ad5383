"""`pubman stats` run as a user runs it: the real command on a copy of pubs.bib and on every
file of the shared real-world corpus; JSON schema, CSV, markdown, the chart and --plot."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _cli import run_pubman
from _corpus import CORPUS, REPO, corpus_files


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_pubman(*args, cwd=cwd, env={"COLUMNS": "160"}, timeout=300)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder holding a copy of the owner's pubs.bib and pubman.toml."""
    shutil.copy(REPO / "pubs.bib", tmp_path / "pubs.bib")
    shutil.copy(REPO / "pubman.toml", tmp_path / "pubman.toml")
    return tmp_path


def test_default_table_shows_venues_years_kinds_and_authorship(home: Path) -> None:
    proc = run("stats", cwd=home)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    header = next(line for line in out.splitlines() if line.startswith("venue"))
    assert header.split() == [
        "venue",
        "kind",
        "2017",
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "total",
    ]
    assert re.search(r"^arXiv\s+preprint\s+1\s+3\s+1\s+5$", out, re.MULTILINE)
    assert re.search(r"^total(\s+\d+){9}$", out, re.MULTILINE)
    assert "pubs.bib: 20 works, 2017–2025" in out
    assert "by kind: conference 11, journal 2, workshop 2, preprint 5" in out
    assert "Hrayr Harutyunyan: first author of 8, last author of 0" in out
    assert "citations" not in out  # no cache: the column is absent, not zero
    assert re.search(r"^2018 *$", out, re.MULTILINE)  # the chart shows the gap year
    assert "██ conference" in out and "░░ preprint" in out


def test_json_schema(home: Path) -> None:
    proc = run("stats", "--format", "json", cwd=home)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    required = {"total", "by_year", "by_venue", "by_kind", "by_venue_year"}
    documented = {"by_year_kind", "venue_kind", "first_author", "last_author", "citations"}
    assert required <= set(doc) <= required | documented
    assert doc["total"] == 20
    for name in ("by_year", "by_venue", "by_kind"):
        assert all(isinstance(k, str) and isinstance(v, int) for k, v in doc[name].items())
        assert sum(doc[name].values()) == doc["total"]
    assert doc["by_year"]["2025"] == 3 and doc["by_venue"]["ICLR"] == 3
    assert doc["by_venue_year"]["ICLR"] == {"2021": 1, "2023": 1, "2025": 1}
    assert sum(sum(v.values()) for v in doc["by_venue_year"].values()) == 20
    assert (doc["first_author"], doc["last_author"]) == (8, 0)
    assert "citations" not in doc


def test_json_without_owner_has_no_authorship_keys(home: Path) -> None:
    (home / "pubman.toml").unlink()
    doc = json.loads(run("stats", "--format", "json", cwd=home).stdout)
    assert "first_author" not in doc and doc["total"] == 20


def test_csv_is_a_matrix_with_totals(home: Path) -> None:
    proc = run("stats", "--format", "csv", cwd=home)
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0] == [
        "venue",
        "kind",
        "2017",
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "total",
    ]
    assert rows[1] == ["arXiv", "preprint", "0", "1", "0", "0", "0", "0", "3", "1", "5"]
    assert rows[-1][0] == "total" and rows[-1][-1] == "20"
    assert sum(int(r[-1]) for r in rows[1:-1]) == 20
    by_year = list(
        csv.reader(io.StringIO(run("stats", "--by", "year", "--format", "csv", cwd=home).stdout))
    )
    assert by_year[0] == ["year", "conference", "journal", "workshop", "preprint", "total"]
    assert ["2019", "2", "1", "0", "1", "4"] in by_year


def test_markdown_table_and_summary(home: Path) -> None:
    out = run("stats", "--by", "venue", "--format", "markdown", cwd=home).stdout
    lines = out.splitlines()
    assert lines[0] == "| venue | kind | works |"
    assert lines[1] == "|---|---|---:|"
    assert "| NeurIPS | conference | 3 |" in lines
    assert "| **total** |  | **20** |" in lines
    assert any(line.startswith("Hrayr Harutyunyan: first author of 8") for line in lines)


def test_by_kind_and_since_until(home: Path) -> None:
    out = run(
        "stats", "--by", "kind", "--since", "2023", "--until", "2024", "--no-chart", cwd=home
    ).stdout
    assert re.search(r"^conference\s+2$", out, re.MULTILINE)  # [8] CVPR, [9] ICLR
    assert re.search(r"^preprint\s+3$", out, re.MULTILINE)
    assert re.search(r"^total\s+6$", out, re.MULTILINE)
    assert "2017" not in out


def test_citation_cache_adds_citations_and_h_index(home: Path) -> None:
    counts = {
        "harutyunyan2019multitask": 900,
        "abuelhaija2019mixhop": 800,
        "harutyunyan2020improving": 90,
        "harutyunyan2021information": 50,
        "gozeten2025continuous": 3,
    }
    (home / ".pubs.bib.citations.json").write_text(
        json.dumps({"updated": "2025-10-01", "counts": counts}), encoding="utf-8"
    )
    doc = json.loads(run("stats", "--format", "json", cwd=home).stdout)
    assert doc["citations"] == {
        "total": 1843,
        "h_index": 4,
        "works": 5,
        "by_year": {"2019": 1700, "2020": 90, "2021": 50, "2025": 3},
        "by_venue": {"arXiv": 3, "NeurIPS": 50, "ICML": 890, "Sci. Data": 900},
    }
    out = run("stats", "--by", "year", cwd=home).stdout
    assert "citations: 1843, h-index 4 (cached counts for 5 of 20 works)" in out
    assert re.search(r"^2019\s+2\s+1\s+1\s+4\s+1700$", out, re.MULTILINE)  # zeros left blank
    assert re.search(r"^2024\s+3\s+3\s+–$", out, re.MULTILINE)  # no count known: a dash, not 0


def test_bad_flags_exit_2(home: Path) -> None:
    proc = run("stats", "--since", "2024", "--until", "2020", cwd=home)
    assert proc.returncode == 2 and "--since 2024 is after --until 2020" in proc.stderr
    proc = run("stats", "--plot", "chart.gif", cwd=home)
    assert proc.returncode == 2 and ".svg, .png or .pdf" in proc.stderr
    assert not (home / "chart.gif").exists()


# --- --plot ---------------------------------------------------------------------------------


def test_plot_writes_svg_and_png(home: Path) -> None:
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    for name, magic in (("chart.svg", b"<?xml"), ("chart.png", b"\x89PNG")):
        proc = run("stats", "--plot", name, "--format", "json", cwd=home)
        assert proc.returncode == 0, proc.stderr
        assert (home / name).read_bytes().startswith(magic)
        assert f"wrote the chart to {name}" in proc.stderr
        assert json.loads(proc.stdout)["total"] == 20  # the normal output still comes
    svg = (home / "chart.svg").read_text(encoding="utf-8")
    assert "Hrayr Harutyunyan: publications per year (20 works)" in svg  # titled with the owner


def test_plot_without_matplotlib_says_how_to_install(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pubman.cli.app import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    monkeypatch.chdir(home)
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "--plot", "chart.svg"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        (
            "error: --plot needs matplotlib, which is not installed; "
            "install it with pip install 'pubman[plot]'"
        )
    ]
    assert not (home / "chart.svg").exists()


# --- the real-world corpus ------------------------------------------------------------------


def _venue_words(name: str) -> str:
    """A venue name with years, ordinals, "proceedings of (the)", punctuation and case gone."""
    text = name.lower()
    text = re.sub(r"\b(?:19|20)\d\d\b|'\d\d\b|\b\d+(?:st|nd|rd|th)\b", " ", text)
    text = re.sub(r"\b(?:in\s+)?(?:the\s+)?proceedings?(?:\s+of)?(?:\s+the)?\b", " ", text)
    return " ".join(sorted(re.sub(r"[^a-z0-9]+", " ", text).split()))


REAL = corpus_files("real")


@pytest.mark.skipif(not REAL, reason="shared corpus not present; it is beside the repo in CI")
@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_stats_runs_cleanly_on_real_files(path: Path, tmp_path: Path) -> None:
    proc = run("--lenient", "--bib", str(path), "stats", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not [
        line for line in proc.stderr.splitlines() if not line.startswith(("warning:", "note:"))
    ], proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["total"] > 0 and sum(doc["by_year"].values()) == doc["total"]
    top = [(v, n) for v, n in doc["by_venue"].items() if n > 3]
    print(
        f"\n{path.relative_to(CORPUS)}: {doc['total']} works; top venues:",
        ", ".join(f"{v} ({n})" for v, n in top[:25]),
    )
    seen: dict[str, str] = {}
    for venue, n in doc["by_venue"].items():
        key = _venue_words(venue)
        other = seen.setdefault(key, venue)
        assert other == venue or n + doc["by_venue"][other] <= 3, (
            f"{other!r} ({doc['by_venue'][other]}) and {venue!r} ({n}) are one venue"
        )
    table = run("--lenient", "--bib", str(path), "stats", "--top", "10", cwd=tmp_path)
    assert table.returncode == 0 and re.search(r"^total\s", table.stdout, re.MULTILINE)
