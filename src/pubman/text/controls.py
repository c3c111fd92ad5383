"""Control characters in data: the one place that finds and strips them. Pure, no I/O.

A title or name in a .bib file, or in an API answer, may carry C0/C1 control characters: NUL
(after which every reader calls the file binary), ESC sequences that clear a terminal, set its
title or write its clipboard (OSC 52), or a bare CR that hides a line. Every text or terminal
output passes data through :func:`strip_controls`; edits of the file refuse them
(:func:`check_no_controls`), and text from remote sources is cleaned on the way in.
"""

from __future__ import annotations

import re

from pubman.text.pattern import LazyPattern

# C0 except tab and newline, DEL, C1; CR is dropped too except as part of CRLF.
_CONTROLS = LazyPattern(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# An ANSI escape sequence as a whole (CSI ... final, OSC ... BEL/ST), so no payload is left
_ESCAPE = LazyPattern(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (title, clipboard, hyperlink)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # 8-bit OSC
)
_ANY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def has_controls(text: str) -> bool:
    return _ANY.search(text.replace("\r\n", "\n")) is not None


def strip_controls(text: str) -> str:
    """``text`` without escape sequences and control characters (tab, LF and CRLF kept)."""
    if not _ANY.search(text):
        return text
    return _CONTROLS.sub("", _ESCAPE.sub("", text))


def check_no_controls(text: str, what: str = "value") -> str:
    """``text`` unchanged; ValueError naming the first control character when it has one."""
    m = _ANY.search(text.replace("\r\n", "\n"))
    if m is not None:
        raise ValueError(
            f"{what} contains the control character U+{ord(m.group(0)):04X} at position "
            f"{m.start()}; remove it (BibTeX files hold text only)"
        )
    return text
