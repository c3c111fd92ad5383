"""Merging duplicates copies fields as written: an @string reference stays a reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pubman.store import bibliography as bibstore

BIB = """@string{ojmo = "Open Journal of Mathematical Optimization"}

@misc{roulet2022templates,
  author = {Roulet, Vincent and Fazel, Maryam and Harchaoui, Zaid},
  title = {Iterative Linear Quadratic Optimization for Nonlinear Control},
  year = {2022},
  eprint = {2207.06362},
  archiveprefix = {arXiv},
}

@article{roulet2024templates,
  author = {Roulet, Vincent and Fazel, Maryam and Harchaoui, Zaid},
  title = {Iterative Linear Quadratic Optimization for Nonlinear Control},
  journal = ojmo,
  pages = "1--30",
  year = {2024},
}
"""


def test_apply_copies_macro_references_and_quotes_as_written(tmp_path: Path) -> None:
    path = tmp_path / "pubs.bib"
    path.write_text(BIB, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pubman", "--bib", str(path), "dedup", "--apply", "--yes"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = path.read_text(encoding="utf-8")
    assert "  journal = ojmo,\n" in text
    assert '  pages = "1--30",\n' in text
    merged = bibstore.load(path)["roulet2022templates"]
    assert merged.fields["journal"] == "Open Journal of Mathematical Optimization"
    assert merged.type == "article" and merged.fields["eprint"] == "2207.06362"


def test_raw_values_round_trip_and_are_checked() -> None:
    bib = bibstore.parse(BIB)
    assert bib.raw_value("roulet2024templates", "journal") == "ojmo"
    assert bib.raw_value("roulet2024templates", "pages") == '"1--30"'
    assert bib.raw_value("roulet2024templates", "doi") is None
    bib.set_field("roulet2022templates", "note", 'ojmo # " (extended)"', raw=True)
    assert bib["roulet2022templates"].fields["note"] == (
        "Open Journal of Mathematical Optimization (extended)"
    )
    for bad in ("{open", "x, y = {z}", ""):
        with pytest.raises(ValueError):
            bib.set_field("roulet2022templates", "note", bad, raw=True)
