"""The fast path reads every entry exactly as the careful scanner does.

Every corpus file (and the conformance set) is read twice: the load path (fast entries where
possible, the careful scanner elsewhere) and the careful scanner alone; blocks, entries, field
order, macros and every problem must be the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _corpus import CORPUS, DATA

from pubman.store import bibliography as bibstore
from pubman.store import fastscan
from pubman.store import scan as bibscan
from pubman.store.readfile import read_decoded

FILES = sorted(CORPUS.rglob("*.bib")) + sorted((DATA / "conformance").glob("*.bib"))


def _careful_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastscan, "blocks", lambda text: iter(bibscan.scan(text)))


def _reading(bib: bibstore.Bibliography) -> tuple[object, ...]:
    return (
        list(zip(bib._kinds, bib._starts, bib._ends, bib._lines)),
        [(e.key, e.type, list(e.fields.items()), e.line) for e in bib.entries.values()],
        bib.problems,
        bib.strings,
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present (beside the repo)")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_path_reads_as_the_careful_scanner(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = read_decoded(path)[0].text
    fast = bibstore.parse(text)
    with monkeypatch.context() as m:
        _careful_only(m)
        careful = bibstore.parse(text)
    assert _reading(fast) == _reading(careful)
    assert fast.text() == text


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present (beside the repo)")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_fields_are_the_careful_fields(path: Path) -> None:
    text = read_decoded(path)[0].text
    careful = {b.start: b for b in bibscan.scan(text)}
    for rec in fastscan.blocks(text):
        if not isinstance(rec, tuple):
            continue
        start, end, line, etype, key, fields = rec
        blk = careful[start]
        assert (blk.kind, blk.end, blk.line, blk.entry_type, blk.key) == (
            "entry",
            end,
            line,
            etype,
            key,
        )
        assert [(f.name, f.parts) for f in blk.fields] == [
            (name, [("n" if v.isdigit() else "m", v) if kind == "b" else (kind, v)])
            for name, kind, v in fields
        ]
        assert fastscan.entry_at(text, start, end) == (start, end, 0, etype, key, fields)


def test_odd_entries_fall_back_and_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        '@string{j = "J"}\n@article{a, journal = j # " 1", title = {x}}\n'
        "@article{b, title = {a {b {c {d}}}}}\n@article{c, note = {x@y.z}}\n"
        "@misc(d, title = {t})\n@article{e, % c\n title = {t}}\n@article{f, title = {t}\n"
        "@article{g, title = {ok}, title = {twice}, month = jan, y = undefinedmacro}\n"
        "@article{, title = {no key}}\n@@article{h, title = {t}}\n"
    )
    fast = bibstore.parse(text)
    _careful_only(monkeypatch)
    assert _reading(fast) == _reading(bibstore.parse(text))
    assert fast["g"].fields == {"title": "ok", "month": "January", "y": "undefinedmacro"}
