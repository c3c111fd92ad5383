"""An exclusive, re-entrant inter-process lock beside a file: ``.<name>.lock``.

POSIX ``flock`` where available (Linux, macOS); on other platforms the lock is a no-op and
atomic rename alone protects the file. Raises BibFileError when the lock is held elsewhere for
longer than the timeout.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pubman.errors import BibFileError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

DEFAULT_TIMEOUT = 10.0  # seconds to wait for another pubman process
_held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, depth): re-entrant in one process


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextmanager
def locked(target: str | os.PathLike[str], timeout: float | None = None) -> Iterator[None]:
    """Hold the lock for ``target`` while the block runs (re-entrant within a process)."""
    if fcntl is None:
        yield
        return
    path = lock_path(Path(target))
    key = os.path.abspath(path)
    if key not in _held:
        _held[key] = (_acquire(path, DEFAULT_TIMEOUT if timeout is None else timeout), 0)
    fd, depth = _held[key]
    _held[key] = (fd, depth + 1)
    try:
        yield
    finally:
        fd, depth = _held[key]
        if depth == 1:
            _release(key)
        else:
            _held[key] = (fd, depth - 1)


def _acquire(path: Path, timeout: float) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise BibFileError(
            f"cannot create lock file: {err.strerror}",
            path=str(path),
            hint="pubman locks the file beside it while writing; check that "
            "the folder is writable. Nothing was written",
        ) from None
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise BibFileError(
                    "another pubman process is writing this file",
                    path=str(path),
                    hint="wait for it to finish, then run the command again",
                ) from None
            time.sleep(0.05)


def _release(key: str) -> None:
    fd, _ = _held.pop(key)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
