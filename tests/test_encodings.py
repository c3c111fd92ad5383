"""Legacy encodings: a .bib in Latin-1, windows-1252 or UTF-16/32 (with a BOM) loads, formats
with the right accents, and is written back in its own encoding, byte-identical where untouched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus import CORPUS, DATA

from pubman.errors import BibFileError
from pubman.store import bibliography as bibstore
from pubman.store import encoding as bibenc

ACCENTS = (DATA / "encodings" / "accents.bib").read_text(encoding="utf-8")
# windows-1252 holds curly quotes and dashes that Latin-1 does not
CP1252 = ACCENTS.replace("Café,", "“Café”,").replace("résumé}", "résumé – draft}")

COPIES = {
    "latin-1": (ACCENTS, lambda t: t.encode("latin-1")),
    "windows-1252": (CP1252, lambda t: t.encode("cp1252")),
    "utf-16-le-bom": (ACCENTS, lambda t: "\ufeff".encode("utf-16-le") + t.encode("utf-16-le")),
    "utf-16-be-bom": (ACCENTS, lambda t: "\ufeff".encode("utf-16-be") + t.encode("utf-16-be")),
    "utf-32-le-bom": (ACCENTS, lambda t: "\ufeff".encode("utf-32-le") + t.encode("utf-32-le")),
    "utf-8-bom": (ACCENTS, lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PUBMAN_CACHE_DIR": str(cwd / "cache"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pubman", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("name", list(COPIES))
def test_copy_loads_with_accents_and_round_trips_byte_identical(tmp_path: Path, name: str) -> None:
    text, make = COPIES[name]
    data = make(text)
    path = tmp_path / "pubs.bib"
    path.write_bytes(data)
    bib = bibstore.load(path, cache=False)
    assert bib.text() == text
    assert bib["soerensen2021"].fields["author"].startswith("Søren Sørensen and Åsa Lindström")
    assert bib["mueller2019"].fields["title"].startswith("Über die Größe von Bäumen")
    assert bib.save() is False  # nothing changed: nothing written
    note = "Préface, 2ᵉ" if name.startswith("utf") else "Préface"  # ᵉ: not in Latin-1/1252
    bib.set_field("oconnor2022", "note", note)
    bib.save(backup=False)
    # only the note's bytes changed, in the file's own encoding
    assert path.read_bytes() == make(text.replace("Prépublication", note))


def test_unencodable_character_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "pubs.bib"
    path.write_bytes(ACCENTS.encode("latin-1"))
    bib = bibstore.load(path, cache=False)
    bib.set_field("mueller2019", "note", "Dvořák")
    with pytest.raises(BibFileError) as err:
        bib.save()
    assert "'ř' (U+0159)" in str(err.value) and "cp1252" in str(err.value)
    assert err.value.line == bib["mueller2019"].line + 5  # the new field's line
    assert "LaTeX" in (err.value.hint or "")
    assert path.read_bytes() == ACCENTS.encode("latin-1")  # nothing written


def test_format_prints_the_accents_of_a_latin1_file(tmp_path: Path) -> None:
    (tmp_path / "pubs.bib").write_bytes(ACCENTS.encode("latin-1"))
    proc = _run("--owner", "Ana Ruiz", "format", "--to", "text", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Señales débiles en el año de la niña" in proc.stdout
    assert "Sørensen" in proc.stdout and "Ã" not in proc.stdout
    assert "read as cp1252 (a guess" in proc.stderr  # says so once, with the way to declare it


def test_declared_encoding_is_used_when_the_file_is_not_utf8(tmp_path: Path) -> None:
    # Latin-2 text: a guess could read it as another single-byte encoding; a declaration wins.
    text = "@misc{k, author = {Jiří Dvořák}, title = {Příliš žluťoučký kůň}, year = 2000}\n"
    (tmp_path / "pubs.bib").write_bytes(text.encode("iso8859-2"))
    bib = bibstore.load(tmp_path / "pubs.bib", cache=False, encoding="latin2")
    assert bib.encoding == "iso8859-2" and bib["k"].fields["author"] == "Jiří Dvořák"
    (tmp_path / "pubman.toml").write_text('encoding = "iso8859-2"\n', encoding="utf-8")
    proc = _run("--owner", "Jiří Dvořák", "format", "--to", "text", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Příliš žluťoučký kůň" in proc.stdout
    assert "a guess" not in proc.stderr
    proc = _run("--encoding", "no-such-codec", "check", cwd=tmp_path)
    assert proc.returncode == 1 and "unknown encoding 'no-such-codec'" in proc.stderr


def test_utf8_stays_the_fast_path_and_a_utf8_file_is_never_guessed() -> None:
    decoded = bibenc.decode("@misc{k, title = {Größe}}".encode())
    assert (decoded.encoding, decoded.bom, decoded.guessed) == ("utf-8", False, False)


def test_utf16_without_bom_is_called_binary_with_a_way_out(tmp_path: Path) -> None:
    path = tmp_path / "pubs.bib"
    path.write_bytes("@misc{k, title = {T}}".encode("utf-16-le"))
    with pytest.raises(BibFileError, match="binary data"):
        bibstore.load(path, cache=False)


def test_latin1_copy_of_a_corpus_file_round_trips(tmp_path: Path) -> None:
    src = CORPUS / "real" / "amos-cv-all.bib"
    if not src.is_file():
        pytest.skip("shared corpus not present (real/amos-cv-all.bib)")
    # keep the entries Latin-1 can hold (the file also has Greek letters and superscripts)
    parts = src.read_text(encoding="utf-8").split("\n@")
    kept = "\n@".join(p for p in parts if _fits(p, "latin-1"))
    assert any(ord(c) > 127 for c in kept)
    for enc, make in (
        ("latin-1", lambda t: t.encode("latin-1")),
        ("utf-16", lambda t: t.encode("utf-16")),  # Python writes a BOM
    ):
        path = tmp_path / f"amos-{enc}.bib"
        path.write_bytes(make(kept))
        bib = bibstore.load(path, cache=False)
        reference = bibstore.parse(kept)
        assert [e.fields for e in bib] == [e.fields for e in reference]
        key = next(iter(reference.entries))
        bib.set_field(key, "note", "édité")
        bib.save(backup=False)
        reference.set_field(key, "note", "édité")
        assert path.read_bytes() == make(reference.text())


def _fits(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
