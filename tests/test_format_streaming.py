"""The streamed list (``render_publications``, what ``pubman format`` prints for markdown,
latex, html and text) is exactly ``render(format_publications(...))``, with the same warnings;
``stream_publications`` gives the same text one line at a time.

Two paths build the same list: the Document one (json, terminal, standalone pages, the library)
and the row-by-row one (the piped CLI). They must never disagree in what a user sees, so this
compares them on pubs.bib and every corpus file under 1.5 MiB (skipped without the corpus), for
both styles, every text backend and options that change grouping, numbering and marks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _corpus import REPO, corpus_files

from pubman.formatting import (
    FormatOptions,
    format_publications,
    render,
    render_publications,
    stream_publications,
)
from pubman.formatting.backends import TEXT_BACKENDS
from pubman.store import bibliography as bibstore

OWNER = ["Hrayr Harutyunyan", "H. Harutyunyan", "Harutyunyan, H."]
VARIANTS = [
    {},
    {"group_by": "year", "numbering": "per-group", "reverse_numbering": True},
    {"group_by": "type", "max_authors": 3, "order": "oldest"},
]


def _files() -> list[Path]:
    small = [p for p in corpus_files("real", "bench") if p.stat().st_size < 3 << 19]
    return [REPO / "pubs.bib", *small]


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_streamed_list_is_the_rendered_document(path: Path) -> None:
    entries = list(bibstore.load(path, cache=False).entries.values())
    for style in ("cv", "web"):
        for variant in VARIANTS:
            options = FormatOptions(style=style).with_overrides(**variant)
            doc = format_publications(entries, options, OWNER)
            for to in TEXT_BACKENDS:
                streamed = render_publications(entries, options, OWNER, to=to)
                assert streamed.text == render(doc, to), (path.name, style, variant, to)
                assert streamed.warnings == doc.warnings, (path.name, style, variant)
                chunks, warnings = stream_publications(entries, options, OWNER, to=to)
                lines = list(chunks)  # what a writer gets, one line at a time
                assert "".join(lines) == streamed.text, (path.name, style, variant, to)
                assert all(line.count("\n") == 1 and line.endswith("\n") for line in lines)
                assert warnings == doc.warnings
