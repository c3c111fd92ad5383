"""LaTeX escaping: plain text escaped, .bib LaTeX kept but made unable to break out.

Contract: pure string functions; no I/O.

:func:`escape` makes plain Unicode safe: ``& % $ # _ { }`` get a backslash, ``~ ^ \\`` become
``\\textasciitilde{}``, ``\\textasciicircum{}``, ``\\textbackslash{}``; whitespace runs become
one space (a blank line would end the paragraph).

:func:`sanitize` keeps LaTeX source from a .bib (``{\\"u}``, ``$\\alpha$``, ``{LoRA}``,
``\\emph{x}``) as LaTeX, and repairs what could escape its surroundings: an unmatched ``{`` or
``}`` is escaped, a ``$`` without a partner at the same brace depth is escaped, ``& % #`` are
escaped everywhere, ``_`` and ``^`` outside math are escaped, a trailing lone backslash is
printed, and commands that would change the document's structure or definitions (``\\end``,
``\\item``, ``\\par``, ``\\def``, ``\\input``, ...; see :data:`STRUCTURAL`) as well as ``\\(``
``\\)`` ``\\[`` ``\\]`` are printed as text instead of run. ``~`` stays a tie. A command at
the very end gets ``{}`` so that it takes nothing from after the leaf. The result, put inside
any ``{...}`` group, closes no group it did not open. (A command given fewer arguments than it
takes can still fail to compile; that is an error in the .bib, not an escape.)
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["STRUCTURAL", "escape", "escape_url", "sanitize"]

STRUCTURAL = frozenset(
    {
        "begin",
        "end",
        "item",
        "par",
        "input",
        "include",
        "includeonly",
        "endinput",
        "def",
        "edef",
        "gdef",
        "xdef",
        "let",
        "futurelet",
        "newcommand",
        "renewcommand",
        "providecommand",
        "DeclareRobustCommand",
        "newenvironment",
        "renewenvironment",
        "makeatletter",
        "makeatother",
        "catcode",
        "write",
        "immediate",
        "openout",
        "closeout",
        "openin",
        "read",
        "closein",
        "csname",
        "endcsname",
        "expandafter",
        "noexpand",
        "bibitem",
        "part",
        "chapter",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
        "subparagraph",
        "newpage",
        "clearpage",
        "cleardoublepage",
        "documentclass",
        "usepackage",
        "special",
        "output",
        "everypar",
        "verb",
        "relax",
        "bgroup",
        "egroup",
        "begingroup",
        "endgroup",
        "iffalse",
        "iftrue",
        "fi",
        "else",
        "or",
        "vskip",
        "hskip",
        "global",
        "outer",
        "long",
        "afterassignment",
        "aftergroup",
        "uppercase",
        "lowercase",
        "scantokens",
        "directlua",
        "ShellEscape",
        "shipout",
        "errmessage",
        "message",
        "show",
        "showthe",
        "tracingall",
    }
)
_TEXT_ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
_TEXT_SPECIAL = re.compile(r"[&%$#_{}~^\\]")
_SPACE = re.compile(r"\s+")
_TAKES_ARGUMENT = re.compile(r"\\(?:[A-Za-z]+|['\"`^~=.])")
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\$|.", re.DOTALL)


@lru_cache(maxsize=65536)
def escape(text: str) -> str:
    """Plain Unicode -> LaTeX text that prints it."""
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES[m.group()], _SPACE.sub(" ", text))


def escape_url(url: str) -> str:
    """A URL for ``\\href{...}``: ``%`` and ``#`` escaped; braces, backslashes, ``^`` and
    whitespace percent-encoded."""
    out = []
    for ch in url:
        if ch in "%#":
            out.append("\\" + ch)
        elif ch in "{}\\^" or ch.isspace():
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def _matched_braces(tokens: list[str]) -> set[int]:
    """Indices of the brace tokens that have a partner."""
    stack: list[int] = []
    matched: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok == "{":
            stack.append(i)
        elif tok == "}" and stack:
            matched.update((stack.pop(), i))
    return matched


def _math_dollars(tokens: list[str], matched: set[int]) -> set[int]:
    """Indices of the ``$`` tokens that open or close math at the same brace depth, with the
    depth never falling below that level in between."""
    valid: set[int] = set()
    depth, opened = 0, None  # opened: (token index, depth at opening)
    for i, tok in enumerate(tokens):
        if tok == "{" and i in matched:
            depth += 1
        elif tok == "}" and i in matched:
            depth -= 1
            if opened is not None and depth < opened[1]:
                opened = None
        elif tok == "$":
            if opened is not None and opened[1] == depth:
                valid.update((opened[0], i))
                opened = None
            else:
                opened = (i, depth)
    return valid


def _sanitized_token(tok: str, in_math: bool) -> str:
    if tok.startswith("\\"):
        name = tok[1:]
        if name == "":
            return r"\textbackslash{}"
        if name in STRUCTURAL or name in ("(", ")", "[", "]"):
            return r"\textbackslash{}" + (name if name.isalpha() else _TEXT_ESCAPES.get(name, name))
        return tok
    if tok in "&%#":
        return "\\" + tok
    if tok in "_^" and not in_math:
        return _TEXT_ESCAPES[tok]
    return tok


@lru_cache(maxsize=65536)
def sanitize(source: str) -> str:
    """LaTeX source from a .bib -> LaTeX that cannot close or open anything outside itself."""
    tokens = _TOKEN.findall(_SPACE.sub(" ", source).strip())
    matched = _matched_braces(tokens)
    dollars = _math_dollars(tokens, matched)
    out: list[str] = []
    in_math = False
    for i, tok in enumerate(tokens):
        if tok in "{}":
            out.append(tok if i in matched else "\\" + tok)
        elif tok == "$":
            if i in dollars:
                in_math = not in_math
                out.append(tok)
            else:
                out.append(r"\$")
        else:
            out.append(_sanitized_token(tok, in_math))
    if out and _TAKES_ARGUMENT.fullmatch(out[-1]):
        out.append("{}")  # a command at the end must not take what follows the leaf
    return "".join(out)
