"""LaTeX to Unicode: the one decoder of BibTeX field text, and comparison folding.

Contract: pure functions, no I/O, never prints, never raises on odd input. Plain strings take a
fast path; the LaTeX most names and titles hold (accents, letters such as \\o, escaped
specials) is decoded here directly; anything else goes through pylatexenc, imported lazily on
the first string that needs it, and every answer is cached.

* :func:`latex_to_text` turns field text into display text;
* :func:`fold` into a comparison key (accents, case, ligatures and dashes folded);
* :func:`quick_fold` is :func:`fold` without the decoder, for text whose only LaTeX is accents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from pubman.text.pattern import LazyPattern

__all__ = ["fold", "latex_to_text", "quick_fold"]

# ---------------------------------------------------------------------------------------------
# LaTeX -> Unicode

_NEEDS_LATEX = re.compile(r"[\\{}$~]|--")
# `$^{*}$`, `$^\dagger$`: pylatexenc keeps the `^` of math superscripts; we want the symbol.
# Each item is one non-space token, so spaces match only one way: the old ``(...|[^${}\\])+?``
# with ``\s*`` on both sides backtracked cubically on ``$^`` + 3,000 spaces (48 s).
_SUP_ITEM = r"(?:\\[A-Za-z]+|[^${}\\\s])"
_MATH_SUPERSCRIPT = LazyPattern(rf"\$\^\{{?\s*({_SUP_ITEM}(?:\s*{_SUP_ITEM})*)\s*\}}?\$")
# Bare `%`, `&` in .bib values are user text, not a LaTeX comment or an alignment tab.
_BARE_SPECIAL = LazyPattern(r"(?<!\\)([%&])")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import logging

    from pylatexenc import latexwalker
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
    from pylatexenc.latex2text import get_default_latex_context_db as l2t_db
    from pylatexenc.macrospec import MacroSpec

    # pylatexenc logs tolerated parse errors; without a handler Python would print them.
    logging.getLogger("pylatexenc").addHandler(logging.NullHandler())
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "pubman", prepend=True, macros=[MacroSpec("href", "{{"), MacroSpec("url", "{")]
    )
    text_db = l2t_db()
    words = ("LaTeX", "TeX", "BibTeX", "LaTeXe")
    text_db.add_context_category(
        "pubman",
        prepend=True,
        macros=[MacroTextSpec(w, simplify_repl=w) for w in words]
        + [MacroTextSpec("href", simplify_repl="%(2)s"), MacroTextSpec("url", "%(1)s")],
    )
    return LatexNodes2Text(latex_context=text_db, math_mode="text"), walker_db


def _crude_detex(s: str) -> str:
    """Last resort when pylatexenc fails: drop control words and braces, keep the words."""
    s = re.sub(r"\\[A-Za-z]+\s*|\\(.)", lambda m: m.group(1) or "", s)
    return s.replace("{", "").replace("}", "").replace("$", "").replace("~", " ")


# The LaTeX most names and titles hold: accents on a letter, letters such as \o and \ss, and
# escaped specials. Decoded here directly; anything else goes to pylatexenc (much slower).
ACCENT_MARKS = _ACCENT_MARKS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_LETTERS = {
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
}
# a letter, or a one-letter command (\i) with the spaces TeX eats after it
_BASE = r"(?:\\[A-Za-z](?![A-Za-z])\s*|[A-Za-z])"
_SIMPLE_ACCENT = LazyPattern(
    rf"\\([`'^\"~=.])\s*(?:\{{\s*({_BASE})\s*\}}|({_BASE}))"
    rf"|\\([uvHckrdb])(?:\s*\{{\s*({_BASE})\s*\}}|\s+([A-Za-z]))"
)
_SIMPLE_LETTER = LazyPattern(r"\\([A-Za-z]+)(?![A-Za-z])\s*")
_SIMPLE_SPECIAL = LazyPattern(r"\\([&%$#_{}])")
_HIDE = {c: chr(0xE000 + i) for i, c in enumerate("&%$#_{}")}  # private-use stand-ins
_UNHIDE = {ord(v): k for k, v in _HIDE.items()}


def _accented(m: re.Match[str]) -> str:
    accent = m.group(1) or m.group(4)
    base = next(g for g in m.group(2, 3, 5, 6) if g).strip()
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    if base.startswith("\\"):
        return "\x00"  # an accent on another command: leave it to pylatexenc
    return base + _ACCENT_MARKS[accent]


def _simple_latex(s: str) -> str | None:
    """Text for LaTeX made only of accents, letter commands and escaped specials; else None."""
    text = _SIMPLE_ACCENT.sub(_accented, s)
    text = _SIMPLE_LETTER.sub(lambda m: _LETTERS.get(m.group(1), "\x00"), text)
    text = _SIMPLE_SPECIAL.sub(lambda m: _HIDE[m.group(1)], text)  # kept apart from braces
    if "\x00" in text or "\\" in text:
        return None
    # ligatures first: braces between two dashes or quotes keep them apart, as in TeX
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("~", " ")
    text = text.replace("``", "\u201c").replace("''", "\u201d")
    text = text.replace("{", "").replace("}", "").translate(_UNHIDE)
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=65536)
def latex_to_text(s: str) -> str:
    """Decode BibTeX/LaTeX field text to plain Unicode, whitespace runs collapsed to one space.

    ``{\\"o}`` and ``\\"{o}`` -> ö, ``\\&`` -> &, ``--`` -> –, ``~`` -> space, ``$^{*}$`` -> *,
    case-protecting braces removed. Strings without ``\\ { } $ ~ --`` are returned as they are
    (apart from whitespace), without touching pylatexenc.
    """
    if not _NEEDS_LATEX.search(s):
        return " ".join(s.split())
    if "\\" not in s and "$" not in s:  # only braces, ties, dashes: most titles; no parser
        s = s.replace("---", "\u2014").replace("--", "\u2013").replace("~", " ")
        return " ".join(s.replace("{", "").replace("}", "").split())
    if "$" not in s:
        simple = _simple_latex(s)
        if simple is not None:
            return simple
    return _pylatexenc_text(s)


def _pylatexenc_text(s: str) -> str:
    prepared = _MATH_SUPERSCRIPT.sub(r"\1", _BARE_SPECIAL.sub(r"\\\1", s))
    converter, walker_db = _converter()
    try:
        from pylatexenc.latexwalker import LatexWalker

        walker = LatexWalker(prepared, latex_context=walker_db, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        text = converter.nodelist_to_text(nodes)
    except Exception:  # noqa: BLE001 -- pylatexenc raises assorted errors on odd input; degrade, don't fail
        text = _crude_detex(prepared)
    return " ".join(text.split())


_LIGATURES = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ß": "ss",
        "ŀ": "l",
        "ħ": "h",
        "ŧ": "t",
    }
)
_DASHES = LazyPattern(r"[\u2010-\u2015\u2212-]+")  # lazy: fold is for matching, not listing
_LEFTOVER_TEX = str.maketrans({"{": None, "}": None, "\\": None, "$": None, "~": " "})


def fold(s: str) -> str:
    """Comparison key: LaTeX decoded, accents stripped, case-folded, ligatures spelled out
    (ﬁ -> fi, æ -> ae, ß -> ss, ø -> o, ł -> l), dashes unified to ``-``, whitespace collapsed.
    Idempotent: ``fold(fold(s)) == fold(s)``.
    """
    if s.isascii() and not _NEEDS_LATEX.search(s):  # nothing to decode, strip or unify
        return " ".join(s.lower().split())
    return _fold(s)


def _fold(s: str) -> str:
    """:func:`fold` by the general rule (the ASCII short cut is checked against it)."""
    text = unicodedata.normalize("NFKD", latex_to_text(s)).casefold().translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DASHES.sub("-", text.translate(_LEFTOVER_TEX))
    return " ".join(text.split())


# For OwnerMatcher.may_appear_in: accents vanish, letter commands become their letters.
_ACCENT_CMD = LazyPattern(r"\\[`'^\"~=.]\s*|\\[vuHcdbtkr](?:\s+|(?![A-Za-z]))")
_LETTER_CMD = LazyPattern(r"\\([A-Za-z]+)\s*")
_LETTER_CMDS = {
    "o": "o",
    "O": "o",
    "ss": "ss",
    "aa": "a",
    "AA": "a",
    "ae": "ae",
    "AE": "ae",
    "oe": "oe",
    "OE": "oe",
    "l": "l",
    "L": "l",
    "i": "i",
    "j": "j",
    "dh": "d",
    "DH": "d",
    "th": "th",
    "TH": "th",
    "ng": "ng",
    "NG": "ng",
    "dj": "d",
    "DJ": "d",
}


def quick_fold(value: str) -> str | None:
    """:func:`fold` for text whose only LaTeX is accents and letters like ``\\o``, without the
    LaTeX decoder (fast); None when the text has other commands or math."""
    text = value
    if "\\" in text:
        text = _ACCENT_CMD.sub("", text)
        if "\\" in text:
            text = _LETTER_CMD.sub(lambda m: _LETTER_CMDS.get(m.group(1), "\x00"), text)
            if "\x00" in text:
                return None
    if "$" in text:
        return None
    text = text.replace("{", "").replace("}", "").replace("~", " ")
    if text.isascii():
        return " ".join(_DASHES.sub("-", text.lower()).split())
    return fold(text)
