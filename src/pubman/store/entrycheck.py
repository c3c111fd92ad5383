"""One entry's text, scanned: the checks every edit passes, and offsets relative to a block.

Pure; raises ValueError for text that is not exactly the one entry (or value) it should be.
"""

from __future__ import annotations

from pubman.store import scan as bibscan


def one_entry(text: str, key: str) -> bibscan.Block:
    """The block of ``text`` if it scans as exactly the entry ``key``; else ValueError.

    Every edit goes through this, so an edit can never turn a good entry into one that
    BibTeX (or the next load) reads differently; the bibliography is left unchanged.
    """
    blocks = [b for b in bibscan.scan(text) if b.kind != "text"]
    if len(blocks) == 1 and blocks[0].kind == "entry" and blocks[0].key == key:
        return blocks[0]
    why = blocks[0].reason if len(blocks) == 1 and blocks[0].reason else "not one entry"
    raise ValueError(f"the edit would make entry '{key}' unreadable ({why}); nothing changed")


def check_raw_value(value: str) -> None:
    """A raw value must scan as exactly one value (no extra fields, no open braces)."""
    probe = "@misc{k, f = " + value + "}"
    blocks = [b for b in bibscan.scan(probe) if b.kind != "text"]
    if (
        len(blocks) != 1
        or blocks[0].kind != "entry"
        or len(blocks[0].fields) != 1
        or probe[blocks[0].fields[0].value_start : blocks[0].fields[0].end] != value.strip()
    ):
        raise ValueError(f"not a single BibTeX value: {value!r}")


def relative(blk: bibscan.Block) -> bibscan.Block:
    """Blocks from the whole-file scan have absolute offsets; edits need chunk-relative ones."""
    if blk.start == 0:
        return blk
    off = blk.start
    rel = bibscan.Block(
        blk.kind,
        0,
        blk.end - off,
        blk.line,
        blk.entry_type,
        blk.key,
        blk.key_start - off,
        blk.type_start - off,
        blk.close,
        [],
        blk.body_end - off,
    )
    rel.fields = [
        bibscan.FieldSpan(f.name, f.start - off, f.value_start - off, f.end - off, f.parts)
        for f in blk.fields
    ]
    return rel
