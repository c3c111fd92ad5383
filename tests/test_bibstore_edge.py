"""Edge cases found by adversarial review: valid but unusual BibTeX, edits, writes, config.

Each test names the user-visible failure it guards against.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubman.errors import BibFileError
from pubman.store import bibliography as bibstore
from pubman.store import parsecache


def _roundtrip(text: str) -> bibstore.Bibliography:
    bib = bibstore.parse(text)
    assert bib.text() == text
    return bib


@pytest.mark.parametrize(
    "text",
    [
        '@preamble{ "\\newcommand{\\noop}[1]{}" }\n@misc{k, title = {T}}\n',
        '@PREAMBLE( "a" # "b" )\n@misc{k, title = {T}}\n',
        '@preamble{\n  "x"\n}\n@misc{k, title = {T}}\n',
    ],
)
def test_preamble_with_spaces_inside_delimiters_parses(text: str) -> None:
    # Regression: a space after "@preamble{" made the preamble a parse failure, so every
    # command refused the file.
    bib = _roundtrip(text)
    assert bib.problems == []
    assert list(bib.entries) == ["k"]


@pytest.mark.parametrize("text", ["@misc(k)\n", "@misc( k )\n", "@misc(k,)\n"])
def test_parenthesised_entry_without_fields(text: str) -> None:
    # Regression: the key swallowed the closing ')', so "@misc(k)" was an unclosed entry.
    bib = _roundtrip(text)
    assert bib.problems == []
    assert list(bib.entries) == ["k"]
    bib.set_field("k", "title", "T")
    assert bibstore.parse(bib.text())["k"].fields == {"title": "T"}


COMMENTED = """@article{k,
  title = {Beispielaufsatz},
  journal = {Zeitschrift}, % the German one
%  volume = {7},
  year = 2001 % not sure
}
"""


def test_percent_comment_lines_between_fields_are_kept_and_skipped() -> None:
    # Regression: a commented-out field (biber allows these) made the entry a parse failure,
    # so `format` refused the whole file.
    # BibTeX itself has no % comments and stops reading the entry at the first one: pubman
    # reads on (as biber does) and says so once, at the comment's line.
    bib = _roundtrip(COMMENTED)
    assert [(p.kind, p.line, p.severity) for p in bib.problems] == [
        ("percent-in-entry", 3, "warning")
    ]
    assert "BibTeX loses year" in bib.problems[0].message
    assert bib["k"].fields == {"title": "Beispielaufsatz", "journal": "Zeitschrift", "year": "2001"}


def test_percent_inside_a_value_is_text() -> None:
    bib = _roundtrip('@misc{k,\n  note = {50% of it},\n  title = "100% sure",\n}\n')
    assert bib["k"].fields == {"note": "50% of it", "title": "100% sure"}


@pytest.mark.parametrize("op", ["set", "add", "remove-year", "remove-journal", "remove-title"])
def test_edits_next_to_percent_comments_keep_the_comments(op: str) -> None:
    bib = bibstore.parse(COMMENTED)
    expected = dict(bib["k"].fields)
    if op == "set":
        bib.set_field("k", "journal", "Other")
        expected["journal"] = "Other"
    elif op == "add":
        bib.set_field("k", "pages", "1--2")
        expected["pages"] = "1--2"
    else:
        name = op.split("-")[1]
        bib.remove_field("k", name)
        del expected[name]
    again = bibstore.parse(bib.text())
    # the % comments stay, so BibTeX's reading still differs; nothing else is reported
    assert {p.kind for p in again.problems} <= {"percent-in-entry"}
    assert again["k"].fields == expected
    for comment in ("% the German one", "%  volume = {7},", "% not sure"):
        if op == "remove-year" and comment == "% not sure":
            continue  # a comment on the removed field's own line goes with it
        assert comment in bib.text(), (comment, bib.text())


def test_removing_the_only_field_after_a_comment_keeps_an_entry() -> None:
    bib = bibstore.parse("@misc{k, % why\n  title = {x}\n}\n")
    bib.remove_field("k", "title")
    again = bibstore.parse(bib.text())
    assert [p.kind for p in again.problems] == ["percent-in-entry"]  # the kept "% why"
    assert again["k"].fields == {}
    assert "% why" in bib.text()


@pytest.mark.parametrize(
    "text",
    [
        "@misc{k,\n  title = {x},\n  note = {n},\n  Title = {y}\n}\n",
        "@misc{k,\n  title = {x},\n  TITLE = {y},\n  note = {n},\n}\n",
        "@misc{k, title={x}, title={y}}\n",
        "@misc{k,\n  title = {x},\n  title = {y}\n}\n",
    ],
)
def test_remove_field_removes_every_copy_of_a_repeated_field(text: str) -> None:
    # Regression: only the first copy went, so the second one silently became the value.
    bib = bibstore.parse(text)
    bib.remove_field("k", "title")
    again = bibstore.parse(bib.text())
    assert again.problems == []
    assert "title" not in again["k"].fields


ENTRY = "@misc{k,\n  title = {x},\n  year = 2000\n}\n"


@pytest.mark.parametrize("value", ["a { b", "a } b", "a} # {b", "}{", "x\n@misc{j, title={y}}"])
def test_set_field_refuses_values_that_would_break_the_entry(value: str) -> None:
    # Regression: an unbalanced value was written as is; the entry became a parse failure
    # (gone from `entries`), or "a} # {b" silently read back as "ab".
    bib = bibstore.parse(ENTRY)
    for name in ("title", "note"):
        with pytest.raises(ValueError):
            bib.set_field("k", name, value)
    assert bib.text() == ENTRY and bib["k"].fields == {"title": "x", "year": "2000"}


def test_set_field_refuses_unbalanced_value_in_a_quoted_field() -> None:
    text = '@misc{k, title = "x"}\n'
    bib = bibstore.parse(text)
    with pytest.raises(ValueError):
        bib.set_field("k", "title", "a { b")
    assert bib.text() == text


@pytest.mark.parametrize(
    "key, etype, fields",
    [
        ("a b", "article", {"title": "T"}),
        ("a,b", "article", {"title": "T"}),
        ("", "article", {"title": "T"}),
        ("k2", "art icle", {"title": "T"}),
        ("k2", "article", {"ti tle": "T"}),
        ("k2", "article", {"title": "T {"}),
    ],
)
def test_add_entry_refuses_what_would_not_read_back(
    key: str, etype: str, fields: dict[str, str]
) -> None:
    bib = bibstore.parse(ENTRY)
    with pytest.raises(ValueError):
        bib.add_entry(key, etype, fields)
    assert bib.text() == ENTRY and list(bib.entries) == ["k"]


@pytest.mark.parametrize(
    "call",
    [
        lambda b: b.set_field("k", "bad name", "v"),
        lambda b: b.set_type("k", "not a type"),
    ],
)
def test_bad_field_name_or_type_is_refused(call: object) -> None:
    bib = bibstore.parse(ENTRY)
    with pytest.raises(ValueError):
        call(bib)  # type: ignore[operator]
    assert bib.text() == ENTRY


SWALLOW = """@misc{a,
  title = {x {{y},
}

@misc{b,
  title = {t},
  note = {n}}}
}

@misc{c, title = {u}}
"""


def test_value_running_over_the_next_entry_is_reported_not_swallowed() -> None:
    # Regression: only the value's last piece between braces was checked, so a missing '}'
    # balanced by extra ones later made entry b vanish into a's title with no problem shown.
    bib = _roundtrip(SWALLOW)
    assert [p.kind for p in bib.problems] == ["parse"]
    assert bib.problems[0].line == 1
    assert "b" in bib.entries and "c" in bib.entries


def test_entries_inside_comment_braces_are_read_as_bibtex_does_and_reported() -> None:
    # BibTeX skips only the word @comment, so the entry inside its braces is read (biber
    # skips the whole group): pubman follows BibTeX and warns at the entry's line.
    text = "@comment{\n@misc{old, title = {x}}\n}\n@misc{k, title = {T}}\n"
    bib = _roundtrip(text)
    assert list(bib.entries) == ["old", "k"]
    assert [(p.kind, p.line, p.key) for p in bib.problems] == [("comment-hidden", 2, "old")]


def test_edits_on_a_cached_parse_match_edits_on_a_fresh_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: a bibliography restored from the parse cache has no scanned blocks, so
    # add_entry fell back to the default style (no alignment, trailing comma) and
    # remove_entry left the separating blank line behind.
    monkeypatch.setenv("PUBMAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(parsecache, "MIN_SIZE", 0)
    path = tmp_path / "big.bib"
    path.write_text(
        "\n\n".join(
            f"@inproceedings{{k{i},\n  author    = {{A {i}}},\n  title     = {{T {i}}},\n"
            f"  year      = {{2020}}\n}}"
            for i in range(20)
        )
        + "\n",
        encoding="utf-8",
    )
    results = []
    for _ in range(2):  # first load parses and fills the cache, second restores from it
        bib = bibstore.load(path)
        bib.add_entry("new", "article", {"title": "N", "year": "2021"}, before="k3")
        bib.remove_entry("k7")
        results.append(bib.text())
    assert results[0] == results[1]
    assert (
        "@article{new,\n  title     = {N},\n  year      = {2021}\n}\n\n@inproceedings{k3"
        in results[1]
    )
    assert "\n\n\n" not in results[1]


CRLF_ONE_LINE = "@misc{a, title={A}}\r\n\r\n@misc{b, title={B}}\r\n"


def test_crlf_file_stays_crlf_when_one_line_entries_are_edited() -> None:
    # Regression: an entry on one line has no line break to copy, so a new field or entry
    # was written with LF and the file got mixed line endings.
    bib = bibstore.parse(CRLF_ONE_LINE)
    bib.set_field("a", "note", "N")
    bib.add_entry("c", "misc", {"title": "C", "year": "2020"})
    text = bib.text()
    assert text.count("\n") == text.count("\r\n"), text
    again = bibstore.parse(text)
    assert again["a"].fields == {"title": "A", "note": "N"}
    assert again.entry_text("b") == "@misc{b, title={B}}"


def test_lf_file_with_one_line_entries_stays_lf() -> None:
    bib = bibstore.parse(CRLF_ONE_LINE.replace("\r\n", "\n"))
    bib.set_field("a", "note", "N")
    bib.add_entry("c", "misc", {"title": "C"})
    assert "\r" not in bib.text()


# ---------------------------------------------------------------------------- writes
ONE = "@misc{k,\n  title = {x}\n}\n"


def _edited(path: Path) -> bibstore.Bibliography:
    bib = bibstore.load(path)
    bib.set_field("k", "note", "n")
    return bib


def test_save_through_a_symlink_updates_the_real_file(tmp_path: Path) -> None:
    # Regression: the rename replaced the link itself with a regular file, so the file the
    # link pointed to (a synced folder, another repo) never saw the change.
    real = tmp_path / "real.bib"
    real.write_text(ONE, encoding="utf-8")
    link = tmp_path / "pubs.bib"
    link.symlink_to(real)
    _edited(link).save()
    assert link.is_symlink()
    assert "note = {n}" in real.read_text(encoding="utf-8")
    assert (tmp_path / "real.bib.bak").read_text(encoding="utf-8") == ONE


def test_backup_keeps_the_file_permissions(tmp_path: Path) -> None:
    # Regression: the .bak of a private (0600) file was created world-readable.
    path = tmp_path / "pubs.bib"
    path.write_text(ONE, encoding="utf-8")
    path.chmod(0o600)
    _edited(path).save()
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "pubs.bib.bak").stat().st_mode & 0o777 == 0o600


def test_save_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    bib = _edited(_write(tmp_path / "pubs.bib"))
    with pytest.raises(BibFileError, match="folder does not exist"):
        bib.save(tmp_path / "nope" / "out.bib")
    assert not (tmp_path / "nope").exists()


def test_read_only_file_is_refused_and_untouched(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write any file; a read-only file cannot be provoked")
    path = _write(tmp_path / "pubs.bib")
    bib = _edited(path)
    path.chmod(0o444)
    try:
        with pytest.raises(BibFileError, match="read-only"):
            bib.save()
        assert path.read_text(encoding="utf-8") == ONE
    finally:
        path.chmod(0o644)


def test_failed_rename_leaves_file_and_folder_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "pubs.bib")
    bib = _edited(path)
    real_replace = os.replace

    def failing(src: object, dst: object) -> None:
        if Path(str(dst)) == path:
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(BibFileError, match="left as it was"):
        bib.save()
    assert path.read_text(encoding="utf-8") == ONE
    assert not [p for p in tmp_path.iterdir() if "pubman-tmp" in p.name]


def _write(path: Path) -> Path:
    path.write_text(ONE, encoding="utf-8")
    return path


def test_new_entry_without_fields_has_no_blank_line() -> None:
    bib = bibstore.parse("@misc{a,\n  title = {x},\n  year = 2000,\n}\n")
    bib.add_entry("b", "misc", {})
    assert bib.text().endswith("\n\n@misc{b,\n}\n")
    assert bibstore.parse(bib.text())["b"].fields == {}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("@misc{a, title={A}}\n\n@misc{b, title={B}}\n", "@misc{a, title={A}}\n"),
        ("@misc{a, title={A}}\n\n@misc{b, title={B}}", "@misc{a, title={A}}\n"),
        ("@misc{a, title={A}}\r\n\r\n@misc{b, title={B}}\r\n", "@misc{a, title={A}}\r\n"),
        ("% mine\n\n@misc{b, title={B}}\n", "% mine\n"),
        ("@misc{b, title={B}}\n", ""),
    ],
)
def test_removing_the_last_entry_leaves_no_trailing_blank_line(text: str, expected: str) -> None:
    bib = bibstore.parse(text)
    bib.remove_entry("b")
    assert bib.text() == expected


# ------------------------------------------------------------- property: odd layouts
_WS = st.sampled_from([" ", "", "\n  ", "\t", "  "])
_GAP = st.sampled_from([" ", "\n  ", "\n\t", " % why\n  ", "\n%  volume = {7},\n  "])
_VALUE = st.sampled_from(
    [
        "{x}",
        "{a {b} c}",
        '"q"',
        '"a {"} b"',
        "2000",
        "jan",
        '{A} # " B"',
        "{50%}",
        "{}",
        "{a\nb}",
        "{see @misc}",
    ]
)


@st.composite
def _entry(draw: st.DrawFn, key: str) -> str:
    opener, closer = draw(st.sampled_from([("{", "}"), ("(", ")")]))
    names = draw(
        st.lists(
            st.sampled_from(["title", "Year", "NOTE", "author", "url"]),
            unique_by=str.lower,
            max_size=4,
        )
    )
    fields = "".join(f",{draw(_GAP)}{n}{draw(_WS)}={draw(_WS)}{draw(_VALUE)}" for n in names)
    tail = draw(st.sampled_from(["", ",", ",\n", " % end\n"]))
    etype = draw(st.sampled_from(["misc", "Article", "INPROCEEDINGS"]))
    return f"@{etype}{opener}{key}{fields}{tail}{draw(_WS)}\n{closer}"


@st.composite
def _document(draw: st.DrawFn) -> str:
    sep = st.sampled_from(
        [
            "\n",
            "\n\n",
            "\n% note\n",
            "\nmail me@host.org\n",
            "\n@comment{x}\n",
            '\n@string{j = "J"}\n',
            '\n@preamble{ "p" }\n',
        ]
    )
    parts = [draw(sep).lstrip("\n")]
    for i in range(draw(st.integers(1, 4))):
        parts += [draw(_entry(f"k{i}")), draw(sep)]
    text = "".join(parts)
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_document(), data=st.data())
def test_property_odd_layouts_read_and_edit_cleanly(doc: str, data: st.DataObject) -> None:
    bib = _roundtrip(doc)
    assert [p for p in bib.problems if p.kind == "parse"] == []
    key = data.draw(st.sampled_from(list(bib.entries)))
    op = data.draw(st.sampled_from(["set", "add", "remove", "type", "drop"]))
    expected = dict(bib[key].fields)
    others = {k: bib.entry_text(k) for k in bib.entries if k != key}
    if op == "set":
        bib.set_field(key, "title", "New {T}")
        expected["title"] = "New {T}"
    elif op == "add":
        bib.set_field(key, "publisher", "P")
        expected["publisher"] = "P"
    elif op == "remove":
        bib.remove_field(key, "title")
        expected.pop("title", None)
    elif op == "type":
        bib.set_type(key, "techreport")
    else:
        bib.remove_entry(key)
    again = bibstore.parse(bib.text())
    assert [p for p in again.problems if p.kind == "parse"] == []
    assert {k: again.entry_text(k) for k in others} == others
    if op == "drop":
        assert key not in again.entries
    else:
        assert again[key].fields == expected
        assert again[key].type == ("techreport" if op == "type" else bib[key].type)
