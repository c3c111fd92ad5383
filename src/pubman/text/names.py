"""BibTeX names, LaTeX-to-Unicode for comparison, and recognising the owner in author lists.

Contract: pure functions, no I/O, never prints. LaTeX decoding goes through pylatexenc, imported
lazily on the first string that needs it (plain strings take a fast path) and cached.

* :func:`latex_to_text` / :func:`fold` turn field text into display text / a comparison key.
* :func:`parse_name` / :func:`parse_names` give :class:`~pubman.model.Person` records with
  Unicode parts, contribution marks (``*``, ``$^{\\dagger}$``) moved to ``Person.marks``. The
  BibTeX grammar itself (``and`` splitting, First/von/Last/Jr) is :mod:`pubman.text.nameparts`;
  :func:`split_names` and :func:`name_parts` are re-exported here.
* :func:`initials` abbreviates given names for CV styles.
* :class:`OwnerMatcher` compares names by parts (last name exact after folding, given names
  compatible by initials), never by whole strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from pubman.model import Person
from pubman.text.commalist import split_comma_lists
from pubman.text.nameparts import NameParts, closing_brace, name_parts, name_words, split_names

__all__ = [
    "NameParts",
    "OwnerMatcher",
    "fold",
    "initials",
    "latex_to_text",
    "name_parts",
    "parse_name",
    "parse_names",
    "split_names",
    "split_people",
]

# ---------------------------------------------------------------------------------------------
# LaTeX -> Unicode

_NEEDS_LATEX = re.compile(r"[\\{}$~]|--")
# `$^{*}$`, `$^\dagger$`: pylatexenc keeps the `^` of math superscripts; we want the symbol.
_MATH_SUPERSCRIPT = re.compile(r"\$\^\{?\s*((?:\\[A-Za-z]+|[^${}\\])+?)\s*\}?\$")
# Bare `%`, `&` in .bib values are user text, not a LaTeX comment or an alignment tab.
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&])")


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
_ACCENT_MARKS = {
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
_SIMPLE_ACCENT = re.compile(
    rf"\\([`'^\"~=.])\s*(?:\{{\s*({_BASE})\s*\}}|({_BASE}))"
    rf"|\\([uvHckrdb])(?:\s*\{{\s*({_BASE})\s*\}}|\s+([A-Za-z]))"
)
_SIMPLE_LETTER = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])\s*")
_SIMPLE_SPECIAL = re.compile(r"\\([&%$#_{}])")
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
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_LEFTOVER_TEX = str.maketrans({"{": None, "}": None, "\\": None, "$": None, "~": " "})


def fold(s: str) -> str:
    """Comparison key: LaTeX decoded, accents stripped, case-folded, ligatures spelled out
    (ﬁ -> fi, æ -> ae, ß -> ss, ø -> o, ł -> l), dashes unified to ``-``, whitespace collapsed.
    Idempotent: ``fold(fold(s)) == fold(s)``.
    """
    text = unicodedata.normalize("NFKD", latex_to_text(s)).casefold().translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DASHES.sub("-", text.translate(_LEFTOVER_TEX))
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Person records: marks, decoding, initials

_MARK = r"""(?:
    \$\^?\{?\s*(?:\*+|\\ast|\\star|\\dagger|\\ddagger|\\S|\\P|\\sharp|\\natural|\\flat
        |\\diamond|\\clubsuit|\\spadesuit|\\heartsuit|\+|\d+(?:\s*,\s*\d+)*)\s*\}?\$
  | \\textsuperscript\{[^{}]*\}
  | \\(?:dagger|ddagger|textdagger|textdaggerdbl|textasteriskcentered|ast|star)(?![A-Za-z])(?:\{\})?
  | \^\{?\*+\}?
  | [*†‡§¶⋆★✝⁰¹²³⁴⁵⁶⁷⁸⁹]
)"""
_MARKS = re.compile(rf"\s*(?:{_MARK})+(?=[\s,]|$)", re.VERBOSE)


def _strip_marks(raw: str) -> tuple[str, str]:
    """Remove equal-contribution/affiliation marks ending a word; return (name, marks)."""
    found: list[str] = []

    def keep(match: re.Match[str]) -> str:
        found.append(latex_to_text(match.group()).replace("^", "").replace(" ", ""))
        return ""

    return _MARKS.sub(keep, raw), "".join(found)


def _decode(words: Sequence[str]) -> str:
    return latex_to_text(" ".join(words))


@lru_cache(maxsize=65536)
def parse_name(raw: str) -> Person:
    """One name as a :class:`Person` with Unicode parts and any glued marks in ``marks``."""
    clean, marks = _strip_marks(raw)
    parts = name_parts(clean)
    return Person(
        first=_decode(parts.first),
        von=_decode(parts.von),
        last=_decode(parts.last),
        jr=_decode(parts.jr),
        raw=raw.strip(),
        marks=marks,
    )


def parse_names(value: str) -> list[Person]:
    """Every name of an ``author``/``editor`` value, in order (empty items kept as ``Person()``).

    A name that is a comma-separated list (``Ana Ruiz, Li Wei, and Tom Baker``) counts as its
    people (see :mod:`pubman.text.commalist`; ``pubman check`` reports it)."""
    return [parse_name(name) for name in split_people(value)]


def split_people(value: str) -> list[str]:
    """:func:`split_names`, with comma-separated lists split into their people."""
    return split_comma_lists(split_names(value))


def _split_hyphens(word: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(word):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "-" and depth == 0:
            pieces.append(word[start:i])
            start = i + 1
    pieces.append(word[start:])
    return [p for p in pieces if p]


def _piece_initials(piece: str) -> list[str]:
    if piece.startswith("{"):  # a protected group is one "letter", as in BibTeX's {f.}
        group = latex_to_text(piece[: closing_brace(piece, 0) + 1])
        if group:
            return [group]
    text = latex_to_text(piece)
    if "." in text:  # already abbreviated: "S.S.", "Yu."
        return [p for p in text.split(".") if p]
    if 2 <= len(text) <= 3 and text.isalpha() and text.isupper():
        return list(text)  # "KSM": a run of capitals written without dots
    letters = [ch for ch in text if ch.isalnum()]
    return letters[:1]


@lru_cache(maxsize=65536)
def initials(given: str) -> str:
    """Abbreviate given names: "Se-Young" -> "S.-Y.", "M. Emrullah" -> "M. E.", "S.S." -> "S. S.",
    "KSM" -> "K. S. M.". Accepts Unicode or raw LaTeX; a leading ``{...}`` group is kept whole."""
    out = []
    for word in name_words(given):
        runs = [" ".join(f"{i}." for i in _piece_initials(p)) for p in _split_hyphens(word)]
        out.append("-".join(r for r in runs if r))
    return " ".join(o for o in out if o)


# ---------------------------------------------------------------------------------------------
# Owner matching

_Token = tuple[str, bool]  # (folded word, written as an initial or abbreviation)
_GIVEN_WORD = re.compile(r"([^\s.\-\u2010]+)(\.?)")


def _given_tokens(first: str) -> tuple[_Token, ...]:
    tokens: list[_Token] = []
    for word, dot in _GIVEN_WORD.findall(latex_to_text(first)):
        if not dot and 2 <= len(word) <= 3 and word.isalpha() and word.isupper():
            tokens.extend((fold(ch), True) for ch in word)  # "KSM", "SS"
        else:
            tokens.append((fold(word), bool(dot) or len(word) == 1))
    return tuple(t for t in tokens if t[0])


def _last_tokens(person: Person) -> tuple[_Token, ...]:
    words = re.split(r"[\s\-]+", fold(f"{person.von} {person.last}"))
    return tuple((w, False) for w in words if w)


def _token_compatible(a: _Token, b: _Token) -> bool:
    if a[1] and b[0].startswith(a[0]):
        return True
    if b[1] and a[0].startswith(b[0]):
        return True
    return a[0] == b[0]


def _in_order(short: Sequence[_Token], long: Sequence[_Token]) -> bool:
    """Each token of ``short`` is compatible with a distinct token of ``long``, in order."""
    if not short:
        return True
    return any(
        _token_compatible(short[0], long[k]) and _in_order(short[1:], long[k + 1 :])
        for k in range(len(long))
    )


def _given_compatible(a: Sequence[_Token], b: Sequence[_Token]) -> bool:
    """First given names agree; the other given names of one side may be missing on the other."""
    if not a or not b:
        return not a and not b
    if not _token_compatible(a[0], b[0]):
        return False
    rest_a, rest_b = a[1:], b[1:]
    return _in_order(rest_a, rest_b) if len(rest_a) <= len(rest_b) else _in_order(rest_b, rest_a)


class _Key(NamedTuple):
    given: tuple[_Token, ...]
    last: tuple[_Token, ...]


def _key(person: Person) -> _Key:
    return _Key(_given_tokens(person.first), _last_tokens(person))


def _keys_match(p: _Key, o: _Key) -> bool:
    if p.last == o.last:
        return _given_compatible(p.given, o.given)
    # A source that put part of a multi-word surname into the given names ("Greg Ver" +
    # "Steeg" for "Ver Steeg, Greg"): align the whole name on the longer surname instead.
    surname = max(p.last, o.last, key=len)
    whole_p, whole_o = p.given + p.last, o.given + o.last
    n = len(surname)
    if whole_p[-n:] != surname or whole_o[-n:] != surname:
        return False
    return _given_compatible(whole_p[:-n], whole_o[:-n])


# For OwnerMatcher.may_appear_in: accents vanish, letter commands become their letters.
_ACCENT_CMD = re.compile(r"\\[`'^\"~=.]\s*|\\[vuHcdbtkr](?:\s+|(?![A-Za-z]))")
_LETTER_CMD = re.compile(r"\\([A-Za-z]+)\s*")
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


class OwnerMatcher:
    """Recognise the owner among the people of an author list.

    Built from the owner's name and aliases, each free-form ("Hrayr Harutyunyan",
    "H. Harutyunyan", "Harutyunyan, H."). A person matches when the folded surname (von part
    included) equals an alias's and the given names are compatible: each given name equal or an
    initial of the other, middle names may be missing, conflicting initials never match. A person
    without given names matches only an alias without given names.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self._keys = [_key(parse_name(n)) for n in names if n.strip()]
        self._seen: dict[Person, bool] = {}
        # Every folded surname word of every alias: one of them must occur in an author list
        # that holds the owner (see may_appear_in).
        self._needles = {t[0] for k in self._keys for t in k.last if t[0]}

    def may_appear_in(self, value: str) -> bool:
        """A fast necessary test on a raw ``author`` value: False means the owner is surely not
        in it, so the names need not be parsed. Values with LaTeX commands are not pre-judged."""
        if not self._needles:
            return True
        text = quick_fold(value)
        if text is None:
            return True  # a LaTeX command we do not know: let the full parse decide
        return any(n in text for n in self._needles)

    def matches(self, person: Person) -> bool:
        if person.is_others or not person.last:
            return False
        known = self._seen.get(person)
        if known is None:
            key = _key(person)
            known = self._seen[person] = any(_keys_match(key, k) for k in self._keys)
        return known

    def find(self, persons: Sequence[Person]) -> list[int]:
        """Indices of the persons that are the owner."""
        return [i for i, person in enumerate(persons) if self.matches(person)]
