"""A .bib file's bytes <-> text, in the file's own encoding. Pure, no I/O.

Detection order: a byte-order mark (UTF-8, UTF-16, UTF-32); else UTF-8 (the fast path: one
strict decode); else the declared encoding (``encoding`` in pubman.toml, ``--encoding``); else a
guess by charset-normalizer among the legacy encodings old .bib files are in (Latin-1/Latin-9,
windows-1252, Latin-2, GBK, ...). A guess is kept only when it decodes the bytes and encodes the
text back to the very same bytes, so an untouched file is always written back byte-identical.
Writing a character the encoding cannot hold is an error naming it, never a replacement.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

BOM = "\ufeff"
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Among guesses that fit equally well, the encodings .bib files in the wild are most often in.
_PREFERRED = ("cp1252", "iso8859-15", "iso8859-2", "cp1250", "gb18030", "gbk", "big5")


class Decoded(NamedTuple):
    """A file's text and how it was written (a NamedTuple: cheaper to create than a frozen
    dataclass on every start-up)."""

    text: str  # without the BOM
    encoding: str  # Python codec name, e.g. "utf-8", "cp1252", "utf-16-le"
    bom: bool
    guessed: bool = False  # True when charset-normalizer chose the encoding


class DecodeFailure(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class Unencodable(ValueError):
    """``char`` at ``offset`` of the text cannot be written in ``encoding``."""

    def __init__(self, char: str, offset: int, encoding: str) -> None:
        super().__init__(f"{char!r} (U+{ord(char):04X}) cannot be written in {encoding}")
        self.char, self.offset, self.encoding = char, offset, encoding


def codec_name(name: str) -> str:
    """The canonical codec name for a user's ``name``; LookupError for an unknown one."""
    return codecs.lookup(name).name


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """``data`` as text (see the module doc for the order). Raises :class:`DecodeFailure`."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return Decoded(_strict(data[len(mark) :], name, len(mark)), name, True)
    if b"\x00" in data:  # UTF-16 without a BOM, or not text at all
        raise DecodeFailure("is binary data, not a BibTeX file", data.index(b"\x00"))
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError as err:
        utf8_error = err
    if declared:
        name = codec_name(declared)
        return Decoded(_strict(data, name, 0), name, False)
    for name in _guesses(data):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if text.encode(name) == data and "\x00" not in text:
            return Decoded(text, name, False, guessed=True)
    raise DecodeFailure(
        f"is not UTF-8 (byte 0x{data[utf8_error.start]:02x}) and its encoding cannot be told",
        utf8_error.start,
    )


def encode(text: str, encoding: str, bom: bool) -> bytes:
    """``text`` in ``encoding`` (with its BOM when ``bom``). Raises :class:`Unencodable`."""
    try:
        return ((BOM if bom else "") + text).encode(encoding)
    except UnicodeEncodeError as err:
        raise Unencodable(err.object[err.start], err.start - (1 if bom else 0), encoding) from None


def _strict(data: bytes, name: str, skipped: int) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as err:
        raise DecodeFailure(
            f"is not valid {name} (byte 0x{data[err.start]:02x})", skipped + err.start
        ) from None


def _guesses(data: bytes) -> list[str]:
    """Candidate encodings, best first: charset-normalizer's, ties broken by :data:`_PREFERRED`
    (its own order among equally clean Western decodings is arbitrary, e.g. cp1250 first)."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        return []
    best = min(r.chaos for r in results)
    close = {codec_name(r.encoding) for r in results if r.chaos <= best + 0.01}
    ranked = [name for name in _PREFERRED if name in close]
    return ranked + [codec_name(r.encoding) for r in results]
