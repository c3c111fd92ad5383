"""pubman.store.digest gives hashlib's SHA-256 on both sides of its size switch."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from pubman.store.digest import LARGE, sha256, sha256_hex


@pytest.mark.parametrize("size", [0, 1, 64, LARGE - 1, LARGE, LARGE + 1, 3 * LARGE])
def test_sha256_hex_is_hashlib_sha256(size: int) -> None:
    data = os.urandom(size)
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_incremental_hasher_is_hashlib_sha256() -> None:
    parts = [b"2\x000.1.0\x00", os.urandom(5000), b"\x00", b"{}"]
    ours, theirs = sha256(parts[0]), hashlib.sha256(parts[0])
    for part in parts[1:]:
        ours.update(part)
        theirs.update(part)
    assert ours.digest() == theirs.digest()
    assert ours.hexdigest() == theirs.hexdigest()


def test_small_inputs_do_not_import_hashlib() -> None:
    code = (
        "import sys; from pubman.store.digest import sha256_hex; sha256_hex(b'x' * 1000); "
        "print('_hashlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
