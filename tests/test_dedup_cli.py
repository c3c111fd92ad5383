"""``pubman dedup`` as a user runs it: on temporary copies of .bib files, checking output,
exit codes and exactly which lines of the file change."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus import corpus_file

from pubman.store import bibliography as bibstore

PAIR = """% my list
@misc{roulet2022,
  title = {Iterative Linear Quadratic Optimization for Nonlinear Control},
  author = {Vincent Roulet and Srinivasa, S.S. and Maryam Fazel and Zaid Harchaoui},
  year = {2022},
  eprint = {2207.06362},
  archivePrefix = {arXiv},
}

@inproceedings{other2021,
  title = {A Paper That Has Nothing To Do With It},
  author = {Doe, Jane},
  booktitle = {ICML},
  year = {2021},
}

@article{roulet2024,
  author = {Roulet, V. and Srinivasa, S. S. and Fazel, M. and Harchaoui, Z.},
  title = {Iterative linear quadratic optimization for nonlinear control},
  journal = {Open Journal of Mathematical Optimization},
  volume = {5},
  year = {2024},
  doi = {10.5802/ojmo.33},
  ids = {roulet-ojmo},
}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "pubman", *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "pubs.bib"
    path.write_text(PAIR, encoding="utf-8")
    return path


def test_lists_groups_as_table_and_exits_1(bib: Path) -> None:
    proc = run("--bib", str(bib), "dedup", cwd=bib.parent)
    assert proc.returncode == 1, proc.stderr
    assert "roulet2022" in proc.stdout and "roulet2024" in proc.stdout
    assert "authors agree (4 of 4)" in proc.stdout
    assert "other2021" not in proc.stdout


def test_json_has_keys_score_and_reasons(bib: Path) -> None:
    proc = run("--bib", str(bib), "dedup", "--json", cwd=bib.parent)
    assert proc.returncode == 1
    [group] = json.loads(proc.stdout)["groups"]
    assert group["keys"] == ["roulet2022", "roulet2024"]
    assert isinstance(group["score"], float) and 0.8 <= group["score"] <= 1.0
    assert "same title" in group["reasons"]


def test_threshold_and_clean_file_exit_0(bib: Path) -> None:
    proc = run("--bib", str(bib), "dedup", "--threshold", "0.99", "--json", cwd=bib.parent)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {"groups": []})
    proc = run("--bib", str(bib), "dedup", "--threshold", "2", cwd=bib.parent)
    assert proc.returncode == 2


def test_apply_without_terminal_or_yes_refuses_and_writes_nothing(bib: Path) -> None:
    proc = run("--bib", str(bib), "dedup", "--apply", cwd=bib.parent)
    assert proc.returncode == 2 and "--yes" in proc.stderr
    assert bib.read_text(encoding="utf-8") == PAIR


def test_apply_merges_into_the_oldest_key(bib: Path) -> None:
    proc = run("--bib", str(bib), "dedup", "--apply", "--yes", cwd=bib.parent)
    assert proc.returncode == 0, proc.stderr
    assert "year: kept '2024' (roulet2024), dropped '2022' (roulet2022)" in proc.stdout
    entries = bibstore.load(bib).entries
    assert list(entries) == ["roulet2022", "other2021"]
    merged = entries["roulet2022"]
    assert merged.type == "article"
    assert merged.get("journal") == "Open Journal of Mathematical Optimization"
    assert (merged.get("doi"), merged.get("eprint")) == ("10.5802/ojmo.33", "2207.06362")
    assert merged.get("ids") == "roulet-ojmo, roulet2024"
    assert run("--bib", str(bib), "dedup", cwd=bib.parent).returncode == 0
    text = bib.read_text(encoding="utf-8")
    untouched = PAIR[PAIR.index("@inproceedings{other2021") : PAIR.index("@article{roulet2024")]
    assert text.startswith("% my list\n@") and untouched.rstrip() in text
    assert (bib.parent / "pubs.bib.bak").read_text(encoding="utf-8") == PAIR


def test_apply_keep_chooses_the_survivor(bib: Path) -> None:
    proc = run(
        "--bib", str(bib), "dedup", "--apply", "--yes", "--keep", "roulet2024", cwd=bib.parent
    )
    assert proc.returncode == 0, proc.stderr
    entries = bibstore.load(bib).entries
    assert list(entries) == ["other2021", "roulet2024"]
    assert entries["roulet2024"].get("ids") == "roulet-ojmo, roulet2022"
    bad = run("--bib", str(bib), "dedup", "--apply", "--yes", "--keep", "nope", cwd=bib.parent)
    assert bad.returncode == 2


def test_not_duplicate_verdict_is_respected_later(bib: Path) -> None:
    proc = run(
        "--bib", str(bib), "dedup", "--not-duplicate", "roulet2024", "roulet2022", cwd=bib.parent
    )
    assert proc.returncode == 0, proc.stderr
    state = json.loads((bib.parent / "pubs.dedup.json").read_text(encoding="utf-8"))
    assert state["not_duplicates"] == [["roulet2022", "roulet2024"]]
    assert run("--bib", str(bib), "dedup", cwd=bib.parent).returncode == 0
    assert (
        run(
            "--bib", str(bib), "dedup", "--not-duplicate", "roulet2022", "zz", cwd=bib.parent
        ).returncode
        == 2
    )


def test_against_reports_entries_already_present(bib: Path) -> None:
    other = bib.parent / "coauthor.bib"
    other.write_text(
        "@article{theirs, title = {Iterative linear quadratic optimization for "
        "nonlinear control}, author = {Roulet, Vincent and Harchaoui, Zaid and "
        "Fazel, Maryam and Srinivasa, Siddhartha}, year = 2024, "
        "doi = {10.5802/OJMO.33}}\n@misc{fresh, title = {Brand new}}\n",
        encoding="utf-8",
    )
    proc = run("--bib", str(bib), "dedup", "--against", str(other), "--json", cwd=bib.parent)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert [(m["other"], m["key"]) for m in data["matches"]] == [("theirs", "roulet2024")]
    assert data["new"] == ["fresh"]


def _without(path: Path, keys: set[str]) -> list[str]:
    """The file's non-blank lines with the given entries cut out (a removed entry takes a
    separating blank line with it, so blank lines are not compared)."""
    bib = bibstore.load(path)
    text = bib.text()
    for key in keys & set(bib.entries):
        text = text.replace(bib.entry_text(key), "", 1)
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "rel",
    ["real/handwritten-ai-bibliography-parens-crossref.bib", "real/d2l-book-google-scholar.bib"],
)
def test_apply_on_real_file_changes_only_the_merged_entries(rel: str, tmp_path: Path) -> None:
    copy = tmp_path / Path(rel).name
    copy.write_bytes(corpus_file(rel).read_bytes())
    original = tmp_path / "original.bib"
    original.write_bytes(copy.read_bytes())
    listed = json.loads(
        run("--bib", str(copy), "--lenient", "dedup", "--json", cwd=tmp_path).stdout
    )
    merged_keys = {k for g in listed["groups"] for k in g["keys"]}
    survivors = {g["keys"][0] for g in listed["groups"]}
    assert merged_keys, "the file has known duplicate pairs"
    proc = run("--bib", str(copy), "--lenient", "dedup", "--apply", "--yes", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["merged"]) == len(listed["groups"])
    untouched_before = _without(original, merged_keys)
    untouched_after = _without(copy, survivors)
    diff = list(difflib.unified_diff(untouched_before, untouched_after, lineterm=""))
    assert diff == [], "\n".join(diff[:20])
    entries = bibstore.load(copy).entries
    assert set(entries) == set(bibstore.load(original).entries) - (merged_keys - survivors)
    for group in listed["groups"]:
        survivor = entries[group["keys"][0]]
        assert set(group["keys"][1:]) <= {i.strip() for i in survivor.get("ids").split(",")}
