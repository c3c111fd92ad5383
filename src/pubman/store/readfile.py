"""Reading a .bib file from disk: bytes, SHA-256, size and mtime, decoded text.

Raises :class:`~pubman.errors.BibFileError` with the way out for every failure (missing file,
a directory, no permission, an undecodable file, an unknown declared encoding).
"""

from __future__ import annotations

import os
from pathlib import Path

from pubman.errors import BibFileError
from pubman.store import encoding as bibenc
from pubman.store.digest import sha256_hex


def read_text(
    path: str | os.PathLike[str], encoding: str | None = None
) -> tuple[str, str, tuple[int, int], bool]:
    """Read a .bib file: (text, sha256, (size, mtime_ns), had_bom). Raises BibFileError."""
    decoded, digest, stat = read_decoded(path, encoding)
    return decoded.text, digest, stat, decoded.bom


def read_decoded(
    path: str | os.PathLike[str], encoding: str | None = None
) -> tuple[bibenc.Decoded, str, tuple[int, int]]:
    """Read and decode a .bib file (see :mod:`pubman.store.encoding`; ``encoding`` is the
    declared one, used when the file is not UTF-8). Raises BibFileError."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        raise BibFileError(
            "no such file", path=str(p), hint="check the path, or create one with `pubman init`"
        ) from None
    except IsADirectoryError:
        raise BibFileError(
            "is a directory, not a .bib file",
            path=str(p),
            hint="pass the .bib file inside it with --bib",
        ) from None
    except PermissionError:
        raise BibFileError(
            "permission denied", path=str(p), hint="check the file's permissions"
        ) from None
    except OSError as err:
        raise BibFileError(f"cannot read: {err.strerror}", path=str(p)) from None
    try:
        decoded = bibenc.decode(data, encoding)
    except LookupError:
        raise BibFileError(
            f"unknown encoding {encoding!r}",
            path=str(p),
            hint="name a Python codec, e.g. latin-1, cp1252, iso8859-2, gbk",
        ) from None
    except bibenc.DecodeFailure as err:
        binary = "binary" in str(err)
        raise BibFileError(
            str(err),
            path=str(p),
            line=None if binary else data[: err.offset].count(b"\n") + 1,
            hint="check that --bib names your .bib file (a UTF-16 file needs a BOM)"
            if binary
            else 'declare its encoding: `encoding = "cp1252"` (or latin-1, iso8859-2, gbk, '
            "...) in pubman.toml, or `pubman --encoding cp1252 ...`",
        ) from None
    return decoded, sha256_hex(data), (st.st_size, st.st_mtime_ns)
