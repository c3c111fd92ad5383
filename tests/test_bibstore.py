"""The store never loses a byte: round trips, one-entry edits, broken input, safe writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus import CORPUS, corpus_file, corpus_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubman.errors import BibFileError, ConcurrentEditError
from pubman.store import bibliography as bibstore

SAMPLE = """% my publications, kept by hand
@string{icml = "International Conference on Machine Learning"}
@preamble{"\\newcommand{\\noop}[1]{}"}

@InProceedings{smith2020,
  Author    = {Smith, John and M{\\"u}ller, Anna},
  Title     = {A {Study} of Things},
  BookTitle = icml # " 2020",
  Year      = 2020
}

% a comment between entries
@article{doe2019,
    author = "Doe, Jane",
    title = {Other things},
    journal = {Journal of Stuff},
    year = {2019},
}
"""


def test_fields_are_expanded_and_macros_resolved() -> None:
    bib = bibstore.parse(SAMPLE)
    assert list(bib.entries) == ["smith2020", "doe2019"]
    smith = bib["smith2020"]
    assert smith.type == "inproceedings"
    assert smith.fields["booktitle"] == "International Conference on Machine Learning 2020"
    assert smith.fields["year"] == "2020"
    assert smith.fields["author"] == 'Smith, John and M{\\"u}ller, Anna'
    assert smith.line == 5
    assert bib["doe2019"].fields["author"] == "Doe, Jane"
    assert bib.problems == []


def test_round_trip_is_byte_identical_for_sample() -> None:
    assert bibstore.parse(SAMPLE).text() == SAMPLE


def test_set_existing_field_changes_only_its_value() -> None:
    bib = bibstore.parse(SAMPLE)
    bib.set_field("doe2019", "title", "New title")
    expected = SAMPLE.replace("title = {Other things}", "title = {New title}")
    assert bib.text() == expected
    assert bib["doe2019"].fields["title"] == "New title"


def test_quoted_value_stays_quoted() -> None:
    bib = bibstore.parse(SAMPLE)
    bib.set_field("doe2019", "author", "Doe, Jane and Roe, Richard")
    assert 'author = "Doe, Jane and Roe, Richard",' in bib.text()


def test_new_field_follows_entry_layout() -> None:
    bib = bibstore.parse(SAMPLE)
    bib.set_field("smith2020", "doi", "10.1000/xyz")
    bib.set_field("doe2019", "doi", "10.1000/abc")
    text = bib.text()
    # aligned, title-cased names; no trailing comma in smith2020, trailing comma kept in doe2019
    assert "  Year      = 2020,\n  Doi       = {10.1000/xyz}\n}" in text
    assert "    year = {2019},\n    doi = {10.1000/abc},\n}" in text
    # the macro reference is still a reference
    assert 'BookTitle = icml # " 2020",' in text


def test_remove_field_and_entry() -> None:
    bib = bibstore.parse(SAMPLE)
    bib.remove_field("doe2019", "journal")
    assert "journal" not in bib["doe2019"].fields
    assert "journal = {Journal of Stuff}" not in bib.text()
    bib.remove_entry("smith2020")
    text = bib.text()
    assert "smith2020" not in text
    assert text.startswith("% my publications, kept by hand\n@string{icml")
    assert "% a comment between entries" in text


def test_add_entry_uses_file_style_and_before() -> None:
    bib = bibstore.parse(SAMPLE)
    bib.add_entry("new2024", "misc", {"author": "New, Person", "title": "Fresh"})
    text = bib.text()
    assert text.startswith(SAMPLE)
    assert text.endswith("@Misc{new2024,\n  Author    = {New, Person},\n  Title     = {Fresh}\n}\n")
    assert bib["new2024"].fields["title"] == "Fresh"
    assert list(bib.entries)[-1] == "new2024"
    bib.add_entry("first2025", "article", {"title": "First"}, before="smith2020")
    assert next(iter(bib.entries)) == "first2025"
    with pytest.raises(KeyError):
        bib.add_entry("SMITH2020", "misc", {})


def test_crlf_is_kept_on_edit() -> None:
    crlf = SAMPLE.replace("\n", "\r\n")
    bib = bibstore.parse(crlf)
    assert bib.text() == crlf
    bib.set_field("doe2019", "doi", "10.1/x")
    assert "\r\n    doi = {10.1/x},\r\n" in bib.text()
    assert "\n" not in bib.text().replace("\r\n", "")


def test_unparsable_entry_is_kept_verbatim_and_reported() -> None:
    broken = (
        SAMPLE + "\n@article{bad,\n  title = {Unclosed,\n  year = 2000\n\n"
        "@misc{after, title = {After}}\n"
    )
    bib = bibstore.parse(broken)
    assert bib.text() == broken
    assert "after" in bib.entries and "bad" not in bib.entries
    [problem] = [p for p in bib.problems if p.kind == "parse"]
    assert problem.line == 20 and problem.key == "bad"
    assert "unbalanced braces" in problem.message
    bib.set_field("after", "year", "2001")
    assert "@article{bad,\n  title = {Unclosed,\n  year = 2000\n\n" in bib.text()


def test_at_sign_line_inside_braced_title() -> None:
    text = (
        "@inproceedings{x,\n  title = {Workshop {(REML}\n                  @ {SIGIR} 2023)},\n"
        "  year = {2023}\n}\n"
    )
    bib = bibstore.parse(text)
    assert bib["x"].fields["title"].endswith("@ {SIGIR} 2023)")
    assert bib.problems == []


def test_duplicate_key_reported_first_wins() -> None:
    bib = bibstore.parse("@misc{a, title={One}}\n@misc{A, title={Two}}\n")
    assert bib["a"].fields["title"] == "One"
    assert [p.kind for p in bib.problems] == ["duplicate-key"]
    assert bib.problems[0].line == 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(min_value=0, max_value=1),
    field=st.sampled_from(["title", "doi", "note", "year", "Author"]),
    value=st.text(
        alphabet=st.characters(
            blacklist_characters='{}\\"\r\x00', blacklist_categories=("Cs", "Cc")
        ),
        max_size=40,
    ),
    crlf=st.booleans(),
)
def test_property_editing_one_entry_leaves_every_other_byte(
    index: int, field: str, value: str, crlf: bool
) -> None:
    source = SAMPLE.replace("\n", "\r\n") if crlf else SAMPLE
    bib = bibstore.parse(source)
    key = ["smith2020", "doe2019"][index]
    before = bib.entry_text(key)
    bib.set_field(key, field, value)
    after = bib.entry_text(key)
    assert bib.text() == source.replace(before, after)
    assert bib[key].fields[field.lower()] == value
    other = ["smith2020", "doe2019"][1 - index]
    assert bib.entry_text(other) in source


# ---------------------------------------------------------------- files on disk
def test_save_is_atomic_with_backup(tmp_path: Path) -> None:
    path = tmp_path / "pubs.bib"
    path.write_text(SAMPLE, encoding="utf-8")
    bib = bibstore.load(path)
    assert bib.save() is False  # unchanged: nothing written
    assert not (tmp_path / "pubs.bib.bak").exists()
    bib.set_field("doe2019", "year", "2018")
    assert bib.save() is True
    assert (tmp_path / "pubs.bib.bak").read_text(encoding="utf-8") == SAMPLE
    assert "year = {2018}" in path.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if "pubman-tmp" in p.name]


def test_save_refuses_when_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "pubs.bib"
    path.write_text(SAMPLE, encoding="utf-8")
    bib = bibstore.load(path)
    edited = SAMPLE + "\n@misc{hand, title={Added by hand}}\n"
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(1, 1))
    bib.set_field("doe2019", "year", "2018")
    with pytest.raises(ConcurrentEditError):
        bib.save()
    assert path.read_text(encoding="utf-8") == edited


def test_lock_blocks_a_second_process(tmp_path: Path) -> None:
    from pubman.store import lock as filelock

    path = tmp_path / "pubs.bib"
    path.write_text(SAMPLE, encoding="utf-8")
    child = (
        "import sys\n"
        "from pubman.store import bibliography as bibstore, lock as filelock\n"
        "filelock.DEFAULT_TIMEOUT = 0.3\n"
        "b = bibstore.load(sys.argv[1])\n"
        "b.set_field('doe2019', 'year', '1999')\n"
        "try:\n    b.save()\n"
        "except Exception as e:\n    print(type(e).__name__, e); sys.exit(3)\n"
    )
    with filelock.locked(path):
        proc = subprocess.run(
            [sys.executable, "-c", child, str(path)], capture_output=True, text=True, check=False
        )
    assert proc.returncode == 3, proc.stderr
    assert "another pubman process" in proc.stdout
    assert path.read_text(encoding="utf-8") == SAMPLE


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x01\x02binary", "binary data"),
        (b"\xef\xbb\xbf@misc{a, title={caf\xe9}}", "not valid utf-8"),  # a BOM, then Latin-1
    ],
)
def test_unreadable_content(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "pubs.bib"
    path.write_bytes(content)
    with pytest.raises(BibFileError, match=message):
        bibstore.load(path)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(BibFileError, match="no such file"):
        bibstore.load(tmp_path / "nope.bib")
    with pytest.raises(BibFileError, match="is a directory"):
        bibstore.load(tmp_path)


# ---------------------------------------------------------------- the real corpus
CORPUS_FILES = corpus_files("real", "bench")


@pytest.mark.skipif(
    not CORPUS_FILES,
    reason="shared corpus not present (CI has it beside the repo; a fresh clone does not)",
)
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_round_trip_byte_identical(path: Path, tmp_path: Path) -> None:
    data = path.read_bytes()
    bib = bibstore.load(path)
    assert bib.text().encode("utf-8") == data.removeprefix(b"\xef\xbb\xbf")
    copy = tmp_path / path.name
    copy.write_bytes(data)
    loaded = bibstore.load(copy)
    loaded.save()
    assert copy.read_bytes() == data
    assert len(bib.entries) > 0


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
@pytest.mark.parametrize(
    "path", [p for p in CORPUS_FILES if p.stat().st_size < 3_000_000], ids=lambda p: p.name
)
def test_corpus_edit_one_entry_changes_only_it(path: Path) -> None:
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    bib = bibstore.parse(text)
    keys = list(bib.entries)
    for key in (keys[0], keys[len(keys) // 2], keys[-1]):
        before = bib.entry_text(key)
        bib = bibstore.parse(text)
        bib.set_field(key, "note", "pubman was here")
        after = bib.entry_text(key)
        start = text.index(before)
        assert bib.text() == text[:start] + after + text[start + len(before) :]


def test_dblp_entry_with_at_line_loads_whole() -> None:
    path = corpus_file("bench/dblp-venues-2022-2024-large.bib")
    bib = bibstore.load(path)
    title = bib["DBLP:conf/sigir/BenderskyC0Z23"].fields["title"]
    assert title.startswith("{SIGIR} 2023 Workshop on Retrieval Enhanced Machine Learning")
    assert title.rstrip().endswith("@ {SIGIR} 2023)")
    assert not [p for p in bib.problems if p.kind == "parse"]
    assert CORPUS.exists()


def test_entry_on_a_percent_commented_line_is_read_and_flagged() -> None:
    text = (
        "% @misc{old, title = {Withdrawn}}\n"
        "@misc{kept, title = {Kept}}\n"
        "see 50% @misc{inline, title = {Not a comment line}}\n"
    )
    bib = bibstore.parse(text)
    assert list(bib.entries) == ["old", "kept", "inline"]  # as BibTeX reads the file
    flagged = [(p.key, p.severity) for p in bib.problems if p.kind == "commented-entry"]
    assert flagged == [("old", "warning")]
    assert bib.text() == text
