"""Atomic file writes, and the check that a file is still what was read.

Contract:
- :func:`atomic_write` writes a temporary file in the target's folder (random name, created
  with ``O_CREAT|O_EXCL|O_NOFOLLOW`` and the target's mode, so a planted file or symlink can
  neither receive the data nor see it), fsyncs it, keeps the previous version as ``.bak`` and
  renames the temporary file over the target. The owner and group of the target are kept
  (they are set on the new file when the process may do so, e.g. as root).
- A symlink is followed: the file it points to is replaced, the link stays a link.
- A read-only file (no write bit) is refused, even as root; so is a read-only folder.
- :func:`write_many` writes several files as one change: every temporary file first, then the
  renames (its docstring says what a failing rename leaves).
- :func:`check_unchanged` compares content hashes, never size and mtime, which a same-size
  edit within one timestamp tick would fool.
Raises :class:`~pubman.errors.BibFileError` (and its subclass ConcurrentEditError); the target
is then left as it was.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pubman.errors import BibFileError, ConcurrentEditError
from pubman.store.digest import sha256_hex

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def digest(data: bytes) -> str:
    return sha256_hex(data)


def check_unchanged(target: Path, expected: str | None) -> None:
    """ConcurrentEditError unless ``target`` holds content with SHA-256 ``expected``.

    ``expected`` None means the text was not read from a file: a missing file is then fine.
    """
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        if expected is None:
            return
        raise ConcurrentEditError(
            "file was removed since pubman read it",
            path=str(target),
            hint="nothing was written; run the command again",
        ) from None
    except OSError as err:
        raise BibFileError(f"cannot read: {err.strerror}", path=str(target)) from None
    if expected is not None and digest(data) != expected:
        raise ConcurrentEditError(
            "file changed on disk since pubman read it",
            path=str(target),
            hint="nothing was written; run the command again to work on the new version",
        )


def atomic_write(target: Path, data: bytes, *, backup: bool = True) -> None:
    """Write ``data`` to ``target`` atomically, keeping the previous version as ``.bak``.

    The new file and the backup get the old file's permission bits and owner. Raises
    BibFileError; the file (and an existing backup) are then left as they were.
    """
    shown = str(target)
    real = writable_path(target)
    folder = real.parent
    made: list[Path] = []
    try:
        try:
            st: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            st = None
        tmp = _write_new(folder, real.name, data, st, made)
        if backup and st is not None:
            bak = _write_new(folder, real.name + ".bak", real.read_bytes(), st, made)
            os.replace(bak, real.with_name(real.name + ".bak"))
            made.remove(bak)
        os.replace(tmp, real)
        made.remove(tmp)
        _fsync_dir(folder)
    except OSError as err:
        for leftover in made:
            try:
                leftover.unlink()
            except OSError:
                pass
        raise BibFileError(
            f"cannot write: {err.strerror}", path=shown, hint="the file was left as it was"
        ) from None


def write_many(writes: Sequence[tuple[Path, bytes]], *, backup: bool = True) -> None:
    """Write several files as one change: :func:`atomic_write` for each, in two phases.

    First every temporary file (and every backup copy) is written and fsynced; a failure there
    (a read-only file or folder, a full disk) removes them all and raises BibFileError with
    every target as it was. Then each target is renamed into place, in the order given. A
    rename within one folder does not fail in practice, but if one does, the files before it
    in ``writes`` hold their new text (each with its ``.bak``) and the others their old text;
    the BibFileError then names which files were written.
    """
    reals = [writable_path(target) for target, _ in writes]  # every refusal before any write
    made: list[Path] = []
    staged: list[tuple[Path, Path, Path | None]] = []  # (temporary, real target, backup copy)
    try:
        for real, (_, data) in zip(reals, writes):
            try:
                st: os.stat_result | None = os.stat(real)
            except FileNotFoundError:
                st = None
            tmp = _write_new(real.parent, real.name, data, st, made)
            bak = None
            if backup and st is not None:
                bak = _write_new(real.parent, real.name + ".bak", real.read_bytes(), st, made)
            staged.append((tmp, real, bak))
    except OSError as err:
        _remove(made)
        shown = str(writes[len(staged)][0])
        raise BibFileError(
            f"cannot write: {err.strerror}", path=shown, hint="no file was changed"
        ) from None
    done: list[str] = []
    for (tmp, real, bak), (target, _) in zip(staged, writes):
        try:
            if bak is not None:
                os.replace(bak, real.with_name(real.name + ".bak"))
            os.replace(tmp, real)
        except OSError as err:
            _remove([t for t, _, _ in staged] + [b for _, _, b in staged if b is not None])
            raise BibFileError(
                f"cannot replace: {err.strerror}",
                path=str(target),
                hint=(f"written before it: {', '.join(done)}; " if done else "")
                + "it and the files after it were left as they were",
            ) from None
        done.append(str(target))
    for folder in dict.fromkeys(real.parent for _, real, _ in staged):
        _fsync_dir(folder)


def _remove(paths: Sequence[Path]) -> None:
    for leftover in paths:
        try:
            leftover.unlink()
        except OSError:
            pass


def _write_new(
    folder: Path, name: str, data: bytes, st: os.stat_result | None, made: list[Path]
) -> Path:
    """A new, fsynced file beside ``name`` holding ``data``, with ``st``'s mode and owner."""
    import secrets  # lazy: ~2 ms of imports (random, base64, hmac) that reading never needs

    mode = (st.st_mode & 0o7777) if st is not None else 0o666
    for attempt in range(100):
        path = folder / f".{name}.pubman-tmp-{secrets.token_hex(8)}"
        try:
            fd = os.open(path, _FLAGS, mode & 0o777)  # never wider than the target's
            break
        except FileExistsError:
            if attempt == 99:
                raise
    made.append(path)
    with os.fdopen(fd, "wb") as fh:
        if st is not None:
            _keep_owner(fh.fileno(), st)
            os.fchmod(fh.fileno(), mode)  # the umask narrowed it at creation
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _keep_owner(fd: int, st: os.stat_result) -> None:
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows
        return
    if (st.st_uid, st.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except PermissionError:
        try:  # a plain user may still keep the group when it is one of theirs
            os.fchown(fd, -1, st.st_gid)
        except PermissionError:
            pass


def writable_path(target: str | os.PathLike[str]) -> Path:
    """The real path a write to ``target`` goes to; BibFileError if it cannot be written."""
    real = Path(os.path.realpath(target))
    if not real.parent.is_dir():
        raise BibFileError(
            "its folder does not exist",
            path=str(target),
            hint=f"create {os.path.dirname(target) or '.'} first; nothing was written",
        )
    if real.is_dir():
        raise BibFileError("is a directory", path=str(target), hint="nothing was written")
    if real.exists() and (
        not os.access(real, os.W_OK) or not real.stat().st_mode & 0o222
    ):  # root passes os.access for any file: the mode bits say what the owner wants
        raise BibFileError(
            "is read-only",
            path=str(target),
            hint="nothing was written; make it writable (chmod u+w) to let pubman change it",
        )
    folder = real.parent
    if not os.access(folder, os.W_OK | os.X_OK) or not folder.stat().st_mode & 0o222:
        raise BibFileError(
            "its folder is read-only",
            path=str(target),
            hint=f"nothing was written; make {folder.name or folder} writable, "
            "pubman writes a temporary file and a backup beside the file",
        )
    return real


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
