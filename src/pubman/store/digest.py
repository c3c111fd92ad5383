"""SHA-256 for pubman's content keys, without OpenSSL's start-up on the cold path.

``import hashlib`` loads ``_hashlib``, and OpenSSL's initialisation is ~11 M instructions of
``pubman format``'s start-up (449 M in all, measured with valgrind lackey), while that path
hashes a few KB only: a small .bib and the compiled venue table's key. CPython's own SHA-256
module imports for ~0.4 M but runs ~4x slower than OpenSSL (6 ms against 1.5 ms per MB), so
input from :data:`LARGE` bytes on goes to hashlib. Both compute the same SHA-256: a digest,
a cache key or an unchanged-on-disk check never depends on which one ran.

Contract: pure functions, no I/O.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["LARGE", "sha256", "sha256_hex"]

LARGE = 256 * 1024  # from here on OpenSSL's speed pays for its import (~3 ms)

try:  # CPython 3.12+ names it _sha2, 3.10 and 3.11 _sha256; a build may have neither
    from _sha2 import sha256 as _small  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256 as _small  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        from hashlib import sha256 as _small


class Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def sha256(data: bytes = b"") -> Hasher:
    """A SHA-256 hasher fed ``data``; for inputs that stay small (use :func:`sha256_hex` for
    one block of any size)."""
    if len(data) >= LARGE:
        import hashlib

        return hashlib.sha256(data)
    hasher: Hasher = _small(data)
    return hasher


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hex digits."""
    return sha256(data).hexdigest()
