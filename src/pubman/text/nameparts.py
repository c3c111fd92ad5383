"""BibTeX's name grammar: an author list into names, one name into First/von/Last/Jr words.

Contract: pure, no I/O, never raises; words keep their LaTeX and braces (decode them with
:func:`pubman.text.names.latex_to_text`). Follows BibTeX's rules, checked against the published
bibtexparser and pybtex test vectors, with two departures shared with pybtex: ``\\~`` is an
accent, not a tie, and ``\\ `` (control space) separates words without leaving a backslash.
Use :mod:`pubman.text.names` for people as :class:`~pubman.model.Person` records.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pubman.text.pattern import LazyPattern

__all__ = ["NameParts", "closing_brace", "name_parts", "name_words", "split_names"]

# ---------------------------------------------------------------------------------------------
# Splitting an author list


def split_names(value: str) -> list[str]:
    """Split an ``author``/``editor`` value on the word ``and`` at brace depth 0, as BibTeX does.

    ``and`` matches in any letter case and must have whitespace (space, tab, newline; not ``~``)
    on both sides, so a leading or trailing ``and`` stays part of a name. ``A and and B`` keeps
    the empty middle item so that a checker can report it. Items are stripped slices of ``value``.
    """
    if "{" not in value:  # one regex split; what it cannot tell apart goes to the word walk
        names = _AND.split(value.strip())
        if names == [""]:
            return []
        if not any(_AND_FIRST.match(n) for n in names):
            return names
    return _split_words(value)


def _split_words(value: str) -> list[str]:
    """:func:`split_names` by walking the depth-0 words (any value)."""
    names: list[str] = []
    begin = end = -1
    words = _depth0_words(value)
    for k, (ws, we) in enumerate(words):
        if 0 < k < len(words) - 1 and value[ws:we].lower() == "and":
            names.append(value[begin:end] if begin >= 0 else "")
            begin = -1
        else:
            begin = ws if begin < 0 else begin
            end = we
    if begin >= 0:
        names.append(value[begin:end])
    return names


# Without braces every ``and`` between two whitespace runs (the value stripped) is a separator;
# one that the split cannot see is one whose leading space an ``and`` just before it used up
# ("A and and B"), and then a piece starts with ``and``: those values take the word walk.
# The look-behind starts a match only where a run of whitespace begins: without it, every
# position inside a long run would be tried and backtracked over (quadratic in the run).
_AND = re.compile(r"(?<=\S)\s+and\s+", re.IGNORECASE)
_AND_FIRST = re.compile(r"and(?:\s|$)", re.IGNORECASE)
# Lazy: only the word walk (:func:`_split_words`, for values the split above cannot do) uses them.
_BRACE_OR_SPACE = LazyPattern(r"[{}]|\s+")
_NON_SPACE = LazyPattern(r"\S+")


def _depth0_words(value: str) -> list[tuple[int, int]]:
    """(start, end) of each word separated by whitespace outside braces."""
    if "{" not in value:
        return [m.span() for m in _NON_SPACE.finditer(value)]
    words, depth, start = [], 0, 0
    for m in _BRACE_OR_SPACE.finditer(value):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            if m.start() > start:
                words.append((start, m.start()))
            start = m.end()
    if start < len(value):
        words.append((start, len(value)))
    return words


# ---------------------------------------------------------------------------------------------
# One name -> First / von / Last / Jr


class NameParts(NamedTuple):
    """BibTeX's four parts of one name as raw words (LaTeX and braces kept)."""

    first: tuple[str, ...] = ()
    von: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    jr: tuple[str, ...] = ()


def _sections(name: str) -> list[list[str]]:
    """Words of ``name`` grouped by depth-0 commas. Unbalanced braces are repaired the way
    bibtexparser's lenient mode does: a stray ``}`` protects its word, a missing ``}`` is added."""
    if not any(ch in name for ch in "{}\\"):
        return [section.replace("~", " ").split() for section in name.split(",")]
    if "\\" not in name:
        flat = _flat_sections(name)
        if flat is not None:
            return flat
    sections: list[list[str]] = [[]]
    word: list[str] = []
    depth, i, n = 0, 0, len(name)

    def flush() -> None:
        if word:
            sections[-1].append("".join(word))
            word.clear()

    while i < n:
        ch = name[i]
        if ch == "\\" and depth == 0 and i + 1 < n and name[i + 1].isspace():
            flush()  # control space separates words (pybtex does the same)
            i += 2
            continue
        if ch == "\\" and i + 1 < n and name[i + 1] == "~":
            word.append("\\~")  # the tilde accent, not a tie
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}" and depth == 0:
            word.insert(0, "{")
        elif ch == "}":
            depth -= 1
        elif depth == 0 and (ch.isspace() or ch == "~"):
            flush()
            i += 1
            continue
        elif depth == 0 and ch == ",":
            flush()
            sections.append([])
            i += 1
            continue
        word.append(ch)
        i += 1
    if depth:
        word.append("}" * depth)
    flush()
    return sections


# Braces one level deep, no backslashes (dblp's "Abu{-}El{-}Haija", "{IBM} Research"): the
# same words as the character loop above, found with one regex pass.
_FLAT_TOKEN = LazyPattern(r"\{[^{}]*\}|[^\s,{}~]+|,|[\s~]+|[{}]")  # lazy: only braced names


def _flat_sections(name: str) -> list[list[str]] | None:
    sections: list[list[str]] = [[]]
    word: list[str] = []
    for m in _FLAT_TOKEN.finditer(name):
        token = m.group(0)
        first = token[0]
        if first in "{}" and len(token) == 1:
            return None  # nested or unbalanced braces: the character loop handles those
        if first == ",":
            if word:
                sections[-1].append("".join(word))
                word = []
            sections.append([])
        elif first.isspace() or first == "~":
            if word:
                sections[-1].append("".join(word))
                word = []
        else:
            word.append(token)
    if word:
        sections[-1].append("".join(word))
    return sections


_FOREIGN_LETTERS = {"i", "j", "oe", "OE", "ae", "AE", "aa", "AA", "o", "O", "l", "L", "ss", "SS"}
_ACCENT_WORDS = {"v", "u", "c", "H", "k", "d", "b", "r", "t", "G", "U"}


def _letter_case(ch: str) -> str | None:
    return "l" if ch.islower() else "u" if ch.isupper() else None


def _control_name(text: str, i: int) -> int:
    """End index of the control sequence starting at ``text[i] == '\\\\'``."""
    j = i + 1
    while j < len(text) and text[j].isalpha() and text[j].isascii():
        j += 1
    return j if j > i + 1 else min(i + 2, len(text))


def _special_case(content: str) -> str | None:
    """Case of a ``{\\...}`` special character: its foreign letter, else its first letter."""
    i = 0
    while i < len(content):
        ch = content[i]
        if ch == "\\":
            j = _control_name(content, i)
            if content[i + 1 : j] in _FOREIGN_LETTERS:
                return "l" if content[i + 1 : j].islower() else "u"
            i = j
            continue
        found = _letter_case(ch)
        if found:
            return found
        i += 1
    return None


def closing_brace(word: str, i: int) -> int:
    depth = 0
    for j in range(i, len(word)):
        depth += {"{": 1, "}": -1}.get(word[j], 0)
        if depth == 0:
            return j
    return len(word)


def _word_case(word: str) -> str | None:
    """'l' or 'u' for the first letter BibTeX would see, ``None`` for a caseless word.

    Plain ``{...}`` groups are caseless; ``{\\...}`` special characters count by their letter.
    Beyond BibTeX, an accent command at depth 0 (``\\'Emile``, ``\\v{Z}``) counts by its target.
    """
    i = 0
    while i < len(word):
        ch = word[i]
        if ch == "{":
            end = closing_brace(word, i)
            if word[i + 1 : i + 2] == "\\":
                return _special_case(word[i + 1 : end])
            i = end + 1
            continue
        if ch == "\\":
            j = _control_name(word, i)
            name = word[i + 1 : j]
            if name in _FOREIGN_LETTERS:
                return "l" if name.islower() else "u"
            if not name.isalpha() or name in _ACCENT_WORDS:
                if word[j : j + 1] == "{":
                    return _special_case(word[j + 1 : closing_brace(word, j)])
                i = j
                continue
            return _letter_case(name[0])
        found = _letter_case(ch)
        if found:
            return found
        i += 1
    return None


def _split_von_last(words: list[str]) -> tuple[list[str], list[str]]:
    for k in range(len(words) - 2, -1, -1):
        if _word_case(words[k]) == "l":
            return words[: k + 1], words[k + 1 :]
    return [], words


@lru_cache(maxsize=65536)
def name_parts(name: str) -> NameParts:
    """Split one name (the text between two ``and``) into BibTeX's raw word lists.

    Never raises: extra commas fold into the First part, unbalanced braces are repaired.
    """
    if name.isascii() and not _NOT_PLAIN.search(name):
        return _plain_parts(name.split())
    return _parts(name)


def _parts(name: str) -> NameParts:
    """:func:`name_parts` by BibTeX's general rules (any name)."""
    sections = _sections(name)
    head = sections[0]
    if len(sections) == 1:
        lower = [k for k in range(len(head) - 1) if _word_case(head[k]) == "l"]
        if not head:
            return NameParts()
        if not lower:
            return NameParts(first=tuple(head[:-1]), last=(head[-1],))
        a, b = lower[0], lower[-1] + 1
        return NameParts(tuple(head[:a]), tuple(head[a:b]), tuple(head[b:]))
    von, last = _split_von_last(head)
    jr = sections[1] if len(sections) > 2 else []
    first = sections[1] if len(sections) == 2 else [w for s in sections[2:] for w in s]
    return NameParts(tuple(first), tuple(von), tuple(last), tuple(jr))


# Plain ASCII names (no braces, commands, commas or ties): one section of whitespace-split words,
# each word's case that of its first letter -- what _sections and _word_case give them.
_NOT_PLAIN = re.compile(r"[{}\\,~]")
_FIRST_LETTER = re.compile(r"[A-Za-z]")


def _plain_parts(head: list[str]) -> NameParts:
    if not head:
        return NameParts()
    lower = []
    for k in range(len(head) - 1):
        letter = _FIRST_LETTER.search(head[k])
        if letter is not None and letter.group() >= "a":
            lower.append(k)
    if not lower:
        return NameParts(first=tuple(head[:-1]), last=(head[-1],))
    a, b = lower[0], lower[-1] + 1
    return NameParts(tuple(head[:a]), tuple(head[a:b]), tuple(head[b:]))


def name_words(text: str) -> list[str]:
    """Words of ``text`` split on whitespace and ties outside braces, commas dropped."""
    return [word for section in _sections(text) for word in section]
