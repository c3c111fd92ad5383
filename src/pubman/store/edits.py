"""Text edits on one entry's text, and new entries written in the file's own style. Pure.

Each function takes an entry's text and its scanned :class:`~pubman.store.scan.Block` (offsets
relative to that text) and returns new text in which only the touched field changed. Field
order, field-name case, alignment, delimiters and line endings are copied from what is there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pubman.store import readnotes
from pubman.store.scan import Block, skip_space
from pubman.text.controls import check_no_controls


@dataclass(frozen=True)
class Style:
    """How a file writes its entries, inferred from its first entry."""

    indent: str = "  "
    equals: str = " = "
    align: int = 0  # column where '=' sits when names are padded (0: not aligned)
    name_case: str = "lower"  # lower | upper | title
    type_case: str = "lower"
    trailing_comma: bool = True
    newline: str = "\n"


def _newline(text: str, default: str | None = None) -> str:
    """The line ending ``text`` uses; ``default`` (the file's) when it has no line break."""
    if default is not None and "\n" not in text:
        return default
    return "\r\n" if "\r\n" in text else "\n"


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _cased(name: str, case: str) -> str:
    if case == "upper":
        return name.upper()
    if case == "title":
        return name[:1].upper() + name[1:]
    return name.lower()


def _name_case(names: Sequence[str]) -> str:
    letters = [n for n in names if n[:1].isalpha()]
    if letters and all(n.isupper() for n in letters):
        return "upper"
    if letters and all(n[:1].isupper() for n in letters):
        return "title"
    return "lower"


_BRACES = re.compile(r"[{}]")
# what BibTeX and biber both accept in a key
_NEW_KEY = re.compile(r"[^\s" + re.escape(readnotes.KEY_CHARS_BIBER_REFUSES) + "]+")
_NEW_NAME = re.compile(r"[^\s=,{}()\"#%'~]+")
_NEW_TYPE = re.compile(r"[A-Za-z][\w-]*")


def check_value(value: str) -> str:
    """``value`` if its braces balance (so ``{value}`` is one group) and it holds no control
    characters (NUL, ESC, ...); else ValueError."""
    check_no_controls(value)
    depth = 0
    for m in _BRACES.finditer(value):
        depth += 1 if m.group(0) == "{" else -1
        if depth < 0:
            break
    if depth:
        raise ValueError(f"value has unbalanced braces: {value!r}")
    return value


def _check(pattern: re.Pattern[str], what: str, word: str) -> str:
    check_no_controls(word, what)
    if not pattern.fullmatch(word):
        raise ValueError(f"not a valid BibTeX {what}: {word!r}")
    return word


def braced(value: str) -> str:
    return "{" + check_value(value) + "}"


def _field_line(
    text: str, blk: Block, name: str, value: str, *, raw: bool = False
) -> tuple[str, str]:
    """(indent, 'name = {value}') for a new field, copying the last field's layout."""
    last = blk.fields[-1]
    ls = _line_start(text, last.start)
    indent = text[ls : last.start] if not text[ls : last.start].strip() else "  "
    between = text[last.start + len(last.name) : last.value_start]
    eq_col = len(last.name) + between.find("=")
    name = _cased(name, _name_case([f.name for f in blk.fields]))
    if between.startswith(" ") and len(between.rstrip()) > 2:  # names padded to align '='
        pad = max(eq_col - len(name), 1)
        sep = " " * pad + between.strip() + between[between.find("=") + 1 :]
    else:
        sep = between
    return indent, f"{name}{sep}{value if raw else braced(value)}"


def set_field(
    text: str, blk: Block, name: str, value: str, newline: str | None = None, *, raw: bool = False
) -> str:
    """Set field ``name`` (case-insensitive) to ``value`` (BibTeX content, braced; with
    ``raw``, a value written as is: ``icml # " 2020"``, ``{Title}``, ``2020``).

    ``newline`` is the file's line ending, used when the entry is on one line.
    """
    if raw:
        check_no_controls(value)
    for f in blk.fields:
        if f.name.lower() == name.lower():
            quoted = len(f.parts) == 1 and f.parts[0][0] == '"' and '"' not in value
            new = value if raw else f'"{check_value(value)}"' if quoted else braced(value)
            return text[: f.value_start] + new + text[f.end :]
    _check(_NEW_NAME, "field name", name)
    nl = _newline(text, newline)
    if not blk.fields:
        head_end = blk.key_start + len(blk.key)
        shown = value if raw else braced(value)
        return (
            text[:head_end]
            + f",{nl}  {name.lower()} = {shown}{nl}"
            + text[head_end:].lstrip(" \t,\r\n")
        )
    indent, line = _field_line(text, blk, name, value, raw=raw)
    last = blk.fields[-1]
    after = re.compile(r"[ \t]*,").match(text, last.end)
    if after:
        pos = after.end()
        return text[:pos] + nl + indent + line + "," + text[pos:]
    return text[: last.end] + "," + nl + indent + line + text[last.end :]


def remove_field(text: str, blk: Block, name: str) -> str:
    """Remove field ``name`` (every copy, when it is repeated); untouched when absent."""
    # Last copy first: each removal changes text only after the field before it, so the
    # spans of the earlier fields stay valid.
    for idx in reversed([i for i, f in enumerate(blk.fields) if f.name.lower() == name.lower()]):
        text = _remove_one(text, blk, idx)
    return text


def _remove_one(text: str, blk: Block, idx: int) -> str:
    f = blk.fields[idx]
    comma = re.compile(r"[ \t]*,[ \t]*(\r?\n)?").match(text, f.end)
    ls = _line_start(text, f.start)
    own_line = not text[ls : f.start].strip()
    if comma and (idx < len(blk.fields) - 1 or own_line):
        start = ls if own_line and comma.group(1) else f.start
        return text[:start] + text[comma.end() :]
    prev_end = blk.fields[idx - 1].end if idx else blk.key_start + len(blk.key)
    if "%" not in text[prev_end : f.start]:
        return text[:prev_end] + text[f.end :]
    # A % comment sits between the previous field and this last one: keep it, and drop only
    # the separating comma and this field (with its line break when it has a line of its own).
    sep = skip_space(text, prev_end)
    start = f.start
    if own_line and ls > sep:
        start = ls - 2 if text[ls - 2 : ls] == "\r\n" else ls - 1
    return text[:sep] + text[sep + 1 : start] + text[f.end :]


def set_type(text: str, blk: Block, entry_type: str) -> str:
    old = blk.entry_type
    new = _check(_NEW_TYPE, "entry type", entry_type).lower()
    if old.isupper():
        new = new.upper()
    elif old[:1].isupper():
        new = _camel_type(new)
    return text[: blk.type_start] + new + text[blk.type_start + len(old) :]


def _camel_type(t: str) -> str:
    known = {
        "inproceedings": "InProceedings",
        "incollection": "InCollection",
        "phdthesis": "PhdThesis",
        "mastersthesis": "MastersThesis",
        "techreport": "TechReport",
        "inbook": "InBook",
    }
    return known.get(t, t.capitalize())


def infer_style(
    chunks: Sequence[str], blocks: Sequence[Block | None], newline: str | None = None
) -> Style:
    """The style of the first entry with at least two fields; defaults for an empty file.

    ``newline`` is the file's line ending, used when that entry is on one line.
    """
    for chunk, blk in zip(chunks, blocks):
        if blk is None or blk.kind != "entry" or len(blk.fields) < 2:
            continue
        rel = blk.start
        text = chunk
        f = blk.fields[1]
        ls = _line_start(text, f.start - rel)
        indent = text[ls : f.start - rel]
        between = text[f.start - rel + len(f.name) : f.value_start - rel]
        last = blk.fields[-1]
        trailing = re.compile(r"\s*,").match(text, last.end - rel) is not None
        return Style(
            indent=indent if not indent.strip() else "  ",
            equals=between if between.strip() == "=" else " = ",
            align=(len(f.name) + between.find("=")) if len(between.rstrip()) > 2 else 0,
            name_case=_name_case([x.name for x in blk.fields]),
            type_case="upper"
            if blk.entry_type.isupper()
            else "title"
            if blk.entry_type[:1].isupper()
            else "lower",
            trailing_comma=trailing,
            newline=_newline(text, newline),
        )
    return Style(newline=newline or _newline("".join(chunks[:3])))


def render_entry(key: str, entry_type: str, fields: Sequence[tuple[str, str]], style: Style) -> str:
    """A new entry's text in ``style`` (values are BibTeX content, written braced).

    Raises ValueError for a key, type or field name BibTeX would not read back, and for a
    value whose braces do not balance.
    """
    _check(_NEW_KEY, "key", key)
    t = _check(_NEW_TYPE, "entry type", entry_type).lower()
    t = (
        t.upper()
        if style.type_case == "upper"
        else _camel_type(t)
        if style.type_case == "title"
        else t
    )
    nl = style.newline
    lines = []
    for name, value in fields:
        n = _cased(_check(_NEW_NAME, "field name", name), style.name_case)
        if style.align:
            eq = " " * max(style.align - len(n), 1) + "= "
        else:
            eq = style.equals
        lines.append(f"{style.indent}{n}{eq}{braced(value)}")
    if not lines:
        return f"@{t}{{{key}," + nl + "}"
    body = ("," + nl).join(lines)
    end = "," if style.trailing_comma else ""
    return f"@{t}{{{key}," + nl + body + end + nl + "}"


def separator_before_append(text: str, newline: str) -> str:
    """What to put between existing text and an appended entry: one blank line."""
    if not text.strip():
        return ""
    if text.endswith(newline * 2):
        return ""
    return newline if text.endswith(newline) else newline * 2


def strip_leading_blank_lines(text: str) -> str:
    """Drop the blank lines at the start of a text block (keep its comments)."""
    m = re.compile(r"(?:[ \t]*\r?\n)+").match(text)
    if not m:
        return text
    return text[m.end() :]


def strip_trailing_blank_lines(text: str) -> str:
    """Drop the blank lines at the end of a text block (keep the line break before them)."""
    m = re.compile(r"(\r?\n)(?:[ \t]*\r?\n)+[ \t]*$").search(text)
    return text if not m else text[: m.start()] + m.group(1)
