"""Derive venue table entries from a dblp BibTeX export and merge them into venues.toml.

Usage: python scripts/venues_from_dblp.py [DBLP.bib] [--table src/pubman/data/venues.toml]
Default input: ../shared/corpus/bench/dblp-venues-2022-2024-large.bib (beside the repository).

Every dblp stream in the file (the ``conf/<x>`` or ``journals/<x>`` part of a ``DBLP:`` key)
becomes one ``[derived."<stream>"]`` table: its acronym (``short``), kind, full name, and the
booktitle/journal strings dblp writes for it as aliases. A stream the hand-written table already
knows keeps that venue's short name (its aliases are added to it when the table is loaded). The
derived part of venues.toml sits between two marker lines and is replaced on every run; nothing
else in the file is touched. dblp metadata is CC0 1.0 (https://dblp.org/db/about/copyright.html).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

from pubman.model import Entry
from pubman.store import bibliography as bibstore
from pubman.venues import VenueTable, clean_venue

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "corpus" / "bench" / "dblp-venues-2022-2024-large.bib"
TABLE = REPO / "src" / "pubman" / "data" / "venues.toml"
BEGIN = "# === BEGIN derived from dblp by scripts/venues_from_dblp.py: do not edit by hand ==="
END = "# === END derived from dblp ==="
_STREAM_RE = re.compile(r"^DBLP:((?:conf|journals)/[^/]+)/")
_ACRONYM_RE = re.compile(r"\{([A-Z][A-Za-z/]*[A-Z])\}|\b([A-Z][A-Za-z]*[A-Z])\s+'?\d{2,4}\b")


def streams(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Entries by dblp stream, in file order."""
    found: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        match = _STREAM_RE.match(entry.key)
        if match:
            found[match.group(1)].append(entry)
    return found


def _venue_strings(entries: list[Entry]) -> list[str]:
    texts: Counter[str] = Counter()
    for entry in entries:
        field = "title" if entry.type == "proceedings" else "booktitle"
        value = entry.get("journal") or entry.get(field)
        if value.strip() and entry.type != "proceedings":
            texts[" ".join(value.split())] += 1
    return [text for text, _ in texts.most_common()]


def _acronym(stream: str, texts: list[str]) -> str:
    wanted = stream.split("/")[1].lower()
    for text in texts:
        for match in _ACRONYM_RE.finditer(text):
            word = match.group(1) or match.group(2)
            if word.lower().replace("/", "") == wanted:
                return word
    return wanted.upper()


def derive(stream: str, entries: list[Entry], table: VenueTable) -> dict[str, object]:
    """One ``[derived]`` table for ``stream``."""
    texts = _venue_strings(entries)
    known = next((v for v in map(table.lookup, texts) if v is not None), None)
    journal = stream.startswith("journals/")
    first = texts[0] if texts else stream
    name = clean_venue(first.split(",")[0]) if not journal else first
    return {
        "stream": stream,
        "short": known.short if known else _acronym(stream, texts),
        "kind": known.kind if known else ("journal" if journal else "conference"),
        "name": known.name if known else name,
        "aliases": [name, *texts] if not known else texts,
    }


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(derived: list[dict[str, object]], source: str) -> str:
    lines = [
        BEGIN,
        f"# Source: {source}: dblp records (dblp metadata is CC0 1.0,",
        "# https://dblp.org/db/about/copyright.html). One table per dblp stream; a stream whose",
        "# short name is a venue above adds its aliases to it, any other is a venue of its own.",
        "",
    ]
    for item in derived:
        lines.append(f"[derived.{_toml_string(str(item['stream']))}]")
        for key in ("short", "kind", "name"):
            lines.append(f"{key} = {_toml_string(str(item[key]))}")
        aliases = item["aliases"]
        assert isinstance(aliases, list)
        lines.append("aliases = [")
        lines += [f"  {_toml_string(a)}," for a in aliases]
        lines += ["]", ""]
    lines.append(END)
    return "\n".join(lines) + "\n"


def merge(table_text: str, block: str) -> str:
    """``table_text`` with its derived part replaced by ``block`` (appended when absent)."""
    if BEGIN in table_text:
        head, rest = table_text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        return head + block + tail
    return table_text.rstrip("\n") + "\n\n" + block


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--table", type=Path, default=TABLE)
    args = parser.parse_args()
    entries = list(bibstore.load(args.source).entries.values())
    table = VenueTable.load()
    derived = [derive(s, es, table) for s, es in sorted(streams(entries).items())]
    text = args.table.read_text(encoding="utf-8")
    args.table.write_text(merge(text, render(derived, args.source.name)), encoding="utf-8")
    print(f"{len(derived)} dblp streams from {len(entries)} entries written to {args.table.name}")
    for item in derived:
        print(f"  {item['stream']:18} {item['short']:12} {item['kind']:10} {item['name']}")


if __name__ == "__main__":
    main()
