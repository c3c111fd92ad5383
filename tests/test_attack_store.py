"""Red-team findings on the write path: each test failed before its fix.

Covers: dedup's removal gluing the next entry onto a ``%`` line, the changed-on-disk check
(content hash, not size+mtime), read-only files and owners as root, the temporary file (random
name, O_EXCL|O_NOFOLLOW, mode at creation), control characters in edits, symlinks, modes, a
read-only folder, and a full disk (a small tmpfs, when it can be mounted).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from pubman.dedup.merge import apply_plan, plan_merge
from pubman.errors import BibFileError, ConcurrentEditError
from pubman.store import atomic
from pubman.store import bibliography as bibstore

SAMPLE = """@article{a,
  title = {Learning Things},
  author = {Ann Lee},
  year = {2020},
  doi = {10.1/x},
}

%@article{b,
  title = {Learning Things},
  author = {Ann Lee},
  year = {2020},
  doi = {10.1/x},
}

@article{c,
  title = {Other Work},
  year = {2021},
}
"""

is_root = hasattr(os, "geteuid") and os.geteuid() == 0


def _bib(tmp_path: Path, text: str = SAMPLE) -> Path:
    path = tmp_path / "pubs.bib"
    path.write_text(text, encoding="utf-8")
    return path


def test_dedup_removal_after_a_percent_line_keeps_the_next_entry_on_its_own_line(
    tmp_path: Path,
) -> None:
    bib = bibstore.load(_bib(tmp_path), cache=False)
    apply_plan(bib, plan_merge([bib["a"], bib["b"]], "a"))
    text = bib.text()
    assert "% @article{c" not in text.replace("%@", "% @")
    assert not any(line.lstrip().startswith("%") and "@" in line for line in text.splitlines())
    again = bibstore.parse(text)
    assert list(again.entries) == ["a", "c"]
    assert not [p for p in again.problems if p.kind == "commented-entry"]


def test_same_size_edit_within_one_timestamp_tick_is_not_overwritten(tmp_path: Path) -> None:
    path = _bib(tmp_path)
    bib = bibstore.load(path, cache=False)
    st = path.stat()
    edited = SAMPLE.replace("Other Work", "OTHER WORK")
    assert len(edited.encode()) == len(SAMPLE.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # a coarse clock: same mtime
    bib.set_field("a", "year", "2019")
    with pytest.raises(ConcurrentEditError, match="changed on disk"):
        bib.save()
    assert path.read_text(encoding="utf-8") == edited


@pytest.mark.skipif(not is_root, reason="only root can write a 0444 file or own others' files")
def test_root_refuses_a_read_only_file(tmp_path: Path) -> None:
    path = _bib(tmp_path)
    path.chmod(0o444)
    bib = bibstore.load(path, cache=False)
    bib.set_field("a", "year", "2019")
    with pytest.raises(BibFileError, match="read-only") as err:
        bib.save()
    assert err.value.hint and "chmod u+w" in err.value.hint
    assert path.read_text(encoding="utf-8") == SAMPLE


@pytest.mark.skipif(not is_root, reason="only root can give a file to another user")
def test_root_keeps_the_owner_of_the_file_and_its_backup(tmp_path: Path) -> None:
    path = _bib(tmp_path)
    os.chown(path, 4321, 4322)
    bib = bibstore.load(path, cache=False)
    bib.set_field("a", "year", "2019")
    assert bib.save()
    for p in (path, tmp_path / "pubs.bib.bak"):
        st = p.stat()
        assert (st.st_uid, st.st_gid) == (4321, 4322), p.name


def test_temp_file_name_is_random_and_a_planted_symlink_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _bib(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    names = iter(["planted", "planted", "fresh1", "fresh2", "fresh3"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(names))  # atomic imports it lazily
    for guess in ("planted", str(os.getpid())):  # the name an attacker would guess
        os.symlink(victim, tmp_path / f".pubs.bib.pubman-tmp-{guess}")
    bib = bibstore.load(path, cache=False)
    bib.set_field("a", "year", "2019")
    assert bib.save()
    assert victim.read_text() == "keep me\n"
    assert "year = {2019}" in path.read_text(encoding="utf-8")
    assert not path.is_symlink()


def test_temp_file_is_opened_exclusively_with_the_final_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _bib(tmp_path)
    path.chmod(0o600)
    seen: list[tuple[int, int]] = []
    real_open = os.open

    def spy(p: object, flags: int, mode: int = 0o777, *a: object, **k: object) -> int:
        if "pubman-tmp" in str(p):
            seen.append((flags, mode))
        return real_open(p, flags, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "open", spy)
    bib = bibstore.load(path, cache=False)
    bib.set_field("a", "year", "2019")
    bib.save()
    assert seen, "the temporary file was not created with os.open"
    for flags, mode in seen:
        assert flags & os.O_EXCL and flags & os.O_CREAT and flags & os.O_NOFOLLOW
        assert mode & 0o077 == 0  # never readable by others, not even for a moment
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "pubs.bib.bak").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("value", ["a\x00b", "\x1b]52;c;aGk=\x07", "x\x1b[2J", "\x9b31m"])
def test_set_field_refuses_control_characters(value: str) -> None:
    bib = bibstore.parse(SAMPLE)
    before = bib.text()
    with pytest.raises(ValueError, match="control character"):
        bib.set_field("a", "title", value)
    with pytest.raises(ValueError, match="control character"):
        bib.add_entry("new", "misc", {"title": value})
    assert bib.text() == before


def test_symlink_stays_a_symlink_and_mode_survives(tmp_path: Path) -> None:
    real = tmp_path / "real" / "pubs.bib"
    real.parent.mkdir()
    real.write_text(SAMPLE, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "pubs.bib"
    link.symlink_to(real)
    bib = bibstore.load(link, cache=False)
    bib.set_field("c", "year", "2022")
    bib.save()
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "year = {2022}" in real.read_text(encoding="utf-8")
    assert real.stat().st_mode & 0o777 == 0o640


def test_read_only_folder_gives_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _bib(folder)
    bib = bibstore.load(path, cache=False)
    bib.set_field("a", "year", "2019")
    folder.chmod(0o555)
    try:
        with pytest.raises(BibFileError, match="folder is read-only"):
            bib.save()
    finally:
        folder.chmod(0o755)
    assert path.read_text(encoding="utf-8") == SAMPLE
    assert sorted(p.name for p in folder.iterdir()) == ["pubs.bib"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 64 KiB tmpfs (root and a mount namespace that allows it), else a skip with a reason."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if not is_root or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
        check=False,
        capture_output=True,
        text=True,
    )
    if res.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False, capture_output=True)


def test_disk_full_leaves_file_and_backup_intact(small_disk: Path) -> None:
    path = small_disk / "pubs.bib"
    path.write_text(SAMPLE, encoding="utf-8")
    (small_disk / "pubs.bib.bak").write_text("old backup\n", encoding="utf-8")
    filler = small_disk / "filler"
    with open(filler, "wb") as fh:  # leave less room than the new text needs
        try:
            fh.write(b"x" * (64 * 1024))
        except OSError:
            pass
    bib = bibstore.load(path, cache=False)
    bib.set_field("a", "note", "n" * 20000)
    with pytest.raises(BibFileError, match="cannot write: No space left") as err:
        bib.save()
    assert err.value.hint == "the file was left as it was"
    assert path.read_text(encoding="utf-8") == SAMPLE
    assert (small_disk / "pubs.bib.bak").read_text(encoding="utf-8") == "old backup\n"
    assert not [p for p in small_disk.iterdir() if "pubman-tmp" in p.name]
