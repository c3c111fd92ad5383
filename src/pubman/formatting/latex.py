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

from pubman.text.controls import strip_controls
from pubman.text.pattern import LazyPattern

__all__ = ["ALLOWED", "STRUCTURAL", "escape", "escape_url", "safe_url", "sanitize"]

# The only control words from .bib data that are run: accents, letters, text fonts, dashes and
# symbols, logos, and math. Anything else (``\InputIfFileExists``, ``\pdffiledump``, ``\href``,
# ``\stop``, ``\ifx``, macros a file defines for itself) is printed as text: a deny-list
# cannot know every primitive of pdfTeX, LuaTeX and the LaTeX kernel.
_ALLOWED_WORDS = (
    # accents and special letters
    "c v u H k r d b t i j l L o O ae AE oe OE aa AA ss SS dh DH dj DJ th TH ng NG"
    # text fonts and boxes
    " emph textbf textit textsl textsc texttt textrm textsf textmd textup textnormal"
    " textsuperscript textsubscript mbox ensuremath em bf it sl sc tt rm sf"
    " normalfont"
    # dashes, quotes, symbols
    " textendash textemdash ldots dots textellipsis slash textbackslash textdollar"
    " textquotedblleft textquotedblright textquoteleft textquoteright textasciitilde"
    " textasciicircum textunderscore textbar textless textgreater textperiodcentered"
    " textdegree texttimes textmu textcopyright textregistered texttrademark"
    " textquestiondown textexclamdown textasciimacron textsection textparagraph"
    " textbullet textdagger textdaggerdbl guillemotleft guillemotright"
    " thinspace enspace quad qquad nobreakspace S P dag ddag copyright pounds"
    # logos
    " TeX LaTeX LaTeXe BibTeX AmSTeX ConTeXt"
    # math: greek, fonts, operators, relations, arrows, delimiters
    " alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa"
    " lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi"
    " omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
    " mathrm mathbf mathit mathsf mathtt mathcal mathbb mathscr mathfrak boldsymbol"
    " operatorname text frac dfrac tfrac sqrt sum prod int oint lim log ln exp sin cos"
    " tan max min sup inf arg det Pr bmod pmod"
    " cdot cdots times div pm mp ast star circ bullet oplus otimes odot wedge vee cap cup"
    " setminus leq geq le ge neq ne approx sim simeq cong equiv propto ll gg subset"
    " supset subseteq supseteq in notin ni forall exists nexists neg lnot partial nabla"
    " infty emptyset varnothing ell hbar Re Im aleph prime top bot mid parallel perp"
    " to gets rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow"
    " mapsto uparrow downarrow langle rangle lceil rceil lfloor rfloor left right big"
    " Big bigg Bigg hat bar tilde vec dot ddot check breve acute grave widehat widetilde"
    " overline underline overbrace underbrace not colon ldotp vdots ddots"
)
ALLOWED = frozenset(_ALLOWED_WORDS.split())

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
_TEXT_SPECIAL = LazyPattern(r"[&%$#_{}~^\\]")
_SPACE = LazyPattern(r"\s+")
_TAKES_ARGUMENT = LazyPattern(r"\\(?:[A-Za-z]+|['\"`^~=.])")
_TOKEN = LazyPattern(r"\\[A-Za-z]+|\\.|\\$|.", re.DOTALL)


@lru_cache(maxsize=65536)
def escape(text: str) -> str:
    """Plain Unicode -> LaTeX text that prints it."""
    text = strip_controls(_SPACE.sub(" ", text))
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES[m.group()], text)


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


_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "doi"})
_SCHEME = LazyPattern(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_IN_URL = LazyPattern(r"[\x00-\x20\x7f-\x9f]")  # browsers skip these inside a scheme


def safe_url(url: str) -> bool:
    """Only http(s), mailto and doi links, and relative ones (``bib/x.bib``), are written into
    \\href and HTML: ``javascript:``, ``file:``, ``data:`` and the like from a .bib are not."""
    m = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return m is None or m.group(1).lower() in _SAFE_SCHEMES


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
        if name.isalpha() and name not in ALLOWED or name in ("(", ")", "[", "]"):
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
    tokens = _TOKEN.findall(strip_controls(_SPACE.sub(" ", source)).strip())
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
