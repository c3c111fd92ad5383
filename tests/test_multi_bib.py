"""Several .bib files as one list: `bib = [...]` in pubman.toml or `--bib` repeated. Reading
commands work on the union; keys repeated across files are reported with both files. Writing to
several files is tests/test_multi_write.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from _cli import run_pubman
from _corpus import corpus_file

from pubman.store.bibliography import parse
from pubman.store.multi import BibliographyUnion

CONF = """@inproceedings{a2020, author = {Doe, Jane}, title = {Alpha}, booktitle = {ICRA},
  year = {2020}}

@inproceedings{shared, author = {Doe, Jane}, title = {Kept}, booktitle = {IROS}, year = {2021}}
"""
JOURNAL = """@article{b2022, author = {Doe, Jane}, title = {Beta}, journal = {IJRR}, year = {2022}}

@article{Shared, author = {Doe, Jane}, title = {Dropped}, journal = {T-RO}, year = {2019}}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_pubman(
        *args, cwd=cwd, env={"COLUMNS": "160", "PUBMAN_NO_OUTPUT_CACHE": "1"}, timeout=120
    )


@pytest.fixture
def two(tmp_path: Path) -> Path:
    (tmp_path / "conf.bib").write_text(CONF, encoding="utf-8")
    (tmp_path / "journal.bib").write_text(JOURNAL, encoding="utf-8")
    (tmp_path / "pubman.toml").write_text(
        'bib = ["conf.bib", "journal.bib"]\n\n[owner]\nname = "Jane Doe"\n', encoding="utf-8"
    )
    return tmp_path


def test_union_keeps_the_first_of_a_repeated_key_and_says_where_both_are() -> None:
    conf, journal = parse(CONF), parse(JOURNAL)
    conf.path, journal.path = Path("conf.bib"), Path("journal.bib")
    union = BibliographyUnion([conf, journal])
    assert list(union.entries) == ["a2020", "shared", "b2022"]
    assert union["shared"].get("title") == "Kept"
    assert union.entry_text("b2022") == journal.entry_text("b2022")
    assert union.bibliography_of("b2022") is journal
    (dup,) = union.problems
    assert dup.kind == "duplicate-key" and dup.line == 3
    assert "journal.bib" in dup.message and "conf.bib (line 4)" in dup.message


def test_reading_commands_see_every_file(two: Path) -> None:
    listed = json.loads(run("format", "--to", "json", cwd=two).stdout)
    items = listed if isinstance(listed, list) else listed["items"]
    assert len(items) == 3
    stats = json.loads(run("stats", "--format", "json", cwd=two).stdout)
    assert stats["total"] == 3 and stats["by_kind"] == {"conference": 2, "journal": 1}
    exported = run("export", cwd=two).stdout
    assert exported.startswith("@inproceedings{a2020") and "@article{b2022" in exported
    assert "Dropped" not in exported
    flags = run("--bib", "journal.bib", "--bib", "conf.bib", "export", "--to", "csl-json", cwd=two)
    assert [i["id"] for i in json.loads(flags.stdout)] == ["b2022", "Shared", "a2020"]


def test_check_names_the_file_of_each_problem(two: Path) -> None:
    done = run("check", "--json", cwd=two)
    assert done.returncode == 1
    data = json.loads(done.stdout)
    (dup,) = [p for p in data["problems"] if p["kind"] == "duplicate-key"]
    assert dup["file"] == "journal.bib" and dup["line"] == 3
    assert dup["message"].startswith("key 'Shared' is also in conf.bib")
    table = run("check", cwd=two).stdout
    assert "journal.bib:3" in table and "1 problem(s) in journal.bib" in table


def test_srinivasa_as_three_files_counts_as_the_concatenation(tmp_path: Path) -> None:
    names = ["siddpubs-conf.bib", "siddpubs-journal.bib", "siddpubs-misc.bib"]
    texts = [corpus_file(f"real/srinivasa-cv/{n}").read_text(encoding="utf-8") for n in names]
    for name, text in zip(names, texts):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "all.bib").write_text("\n".join(texts), encoding="utf-8")
    (tmp_path / "pubman.toml").write_text(
        f'bib = {json.dumps(names)}\n\n[owner]\nname = "Siddhartha Srinivasa"\n',
        encoding="utf-8",
    )
    union = json.loads(run("stats", "--format", "json", cwd=tmp_path).stdout)
    whole = json.loads(run("--bib", "all.bib", "stats", "--format", "json", cwd=tmp_path).stdout)
    assert union["total"] == whole["total"] == 264
    assert union["by_venue"] == whole["by_venue"]
    assert union["first_author"] == whole["first_author"]
