"""The venue resolver decodes LaTeX with the project's one decoder (pubman.text.latex), which
replaced a decoder of its own. The swap must not move any venue: for every journal and
booktitle string in the shared corpus, resolve() gives the same venue and kind as with the old
decoder.

The oracle is the old decoder itself, kept here only to judge the change, and run inside the
current resolver (patched in, on a freshly compiled table): so both answers come from this run
and from the same table, and the difference is the decoder alone. A recorded JSON of the old
answers would have copied the corpus's strings into the repository, and could not say why an
answer moved. What may move is display text of a venue the table does not know, where the
decoders read the same LaTeX differently ("--" is an en dash); its comparison key must not,
unless the old decoder did not know a command and dropped it (then only the kind and the
table's answer are compared).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest
from _corpus import CORPUS, corpus_files

from pubman.model import Entry
from pubman.store import bibliography as bibstore
from pubman.text.latex import ACCENT_MARKS
from pubman.venues import keys, resolver, table
from pubman.venues.spec import shipped, shipped_source
from pubman.venues.table import VenueTable, compile_rules

# --- the old decoder (pubman/venues.py before the swap), verbatim ----------------------------
_OLD_ACCENT_RE = re.compile(
    r"\\([`'^\"~=.]|[uvHckrdb](?![A-Za-z]))\s*(?:\{\s*\\?([A-Za-z])\s*\}|\\?([A-Za-z]))"
)
_OLD_SYMBOLS = {
    "ldots": "...",
    "dots": "...",
    "i": "i",
    "j": "j",
    "ss": "ß",
    "AA": "Å",
    "aa": "å",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "l": "ł",
    "L": "Ł",
    "textendash": "–",
}
_OLD_COMMAND_RE = re.compile(r"\\([A-Za-z]+)\*?\s*|\\(.)")


def _old_latex_to_text(text: str) -> str:
    text = _OLD_ACCENT_RE.sub(lambda m: (m.group(2) or m.group(3)) + ACCENT_MARKS[m.group(1)], text)

    def command(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return _OLD_SYMBOLS.get(m.group(1), "")
        return " " if m.group(2) in " \n" else m.group(2)

    text = _OLD_COMMAND_RE.sub(command, text)
    text = text.replace("~", " ").replace("$", "").replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _old_dropped_a_command(text: str) -> bool:
    """The old decoder turned a control word it did not know into nothing."""
    return any(
        w not in _OLD_SYMBOLS for w in re.findall(r"\\([A-Za-z]+)", _OLD_ACCENT_RE.sub("", text))
    )


# ---------------------------------------------------------------------------------------------


def _venue_strings() -> list[str]:
    files = corpus_files("real", "bench")
    if not files:
        pytest.skip(f"shared corpus not present ({CORPUS}); it is beside the repo in CI only")
    found: dict[str, None] = {}
    for path in files:
        for entry in bibstore.load(path).entries.values():
            for name in ("journal", "booktitle"):
                if entry.get(name).strip():
                    found[entry.get(name)] = None
    return list(found)


def _entries(text: str) -> Iterator[Entry]:
    yield Entry("j", "article", {"journal": text, "title": "T"})
    yield Entry("c", "inproceedings", {"booktitle": text, "title": "T"})


def _fresh_table() -> VenueTable:
    """The shipped table compiled now, with whatever decoder is in place (no cached copy)."""
    venues, rules = shipped(shipped_source())
    return VenueTable(venues, *compile_rules(rules))


def _answers(
    strings: list[str], table_: VenueTable
) -> dict[tuple[str, str], tuple[str, str, str, bool, str, str | None]]:
    out = {}
    for text in strings:
        hit = table_.lookup(text)
        for entry in _entries(text):
            r = resolver.resolve(entry, table_)
            key = keys.venue_key(r.venue.short) if not r.known else r.venue.short
            out[(entry.type, text)] = (
                r.venue.short,
                key,
                r.venue.kind,
                r.known,
                r.kind_from,
                hit.short if hit else None,
            )
    return out


def test_every_corpus_venue_string_resolves_as_with_the_old_decoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    strings = _venue_strings()
    assert len(strings) > 1000
    after = _answers(strings, _fresh_table())
    with monkeypatch.context() as patch:
        for module in (keys, table, resolver):
            patch.setattr(module, "decode", _old_latex_to_text)
        before = _answers(strings, _fresh_table())
        old_keys = {s: keys.venue_key(s) for s in strings}
    display_changed = 0
    for (etype, text), (short, key, kind, known, kind_from, hit) in after.items():
        b_short, b_key, b_kind, b_known, b_kind_from, b_hit = before[(etype, text)]
        where = f"@{etype} {text!r}"
        assert (kind, known, kind_from, hit) == (b_kind, b_known, b_kind_from, b_hit), where
        if _old_dropped_a_command(text):
            continue
        assert keys.venue_key(text) == old_keys[text], where
        assert key == b_key, where
        display_changed += short != b_short
    # the display changes are the few "--" of unknown venues, not a general drift
    assert display_changed < len(after) / 200


@pytest.mark.parametrize(
    ("field", "same_as"),
    [
        ("Proceedings of the 5th Greek--Bulgarian Symposium", "Greek–Bulgarian Symposium"),
        (r"Journal of Na{\"\i}ve Physics", "Journal of Naïve Physics"),
        (r"Bras{\i}lia Workshop", "Brasilia Workshop"),
        (r"12th $\{$USENIX$\}$ Symposium (OSDI 16)", "USENIX Symposium (OSDI)"),
    ],
)
def test_the_key_folds_what_the_one_decoder_reads_differently(field: str, same_as: str) -> None:
    assert keys.venue_key(field) == keys.venue_key(same_as)
    assert "{" not in keys.clean_venue(field) and "ı" not in keys.clean_venue(field)
