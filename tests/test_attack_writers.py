"""Attack: kill -9 during save, and concurrent writers on one file.

- A writer saving a large file (about 200 kB) over and over is killed with SIGKILL at 50 random
  moments (fixed seed). After each kill the file is exactly the old or the new version, it
  parses, no temporary file is left that a later save could trip on, and the lock can be taken
  at once (flock dies with its process).
- Two writers edit different entries of one file 25 times each, re-reading when pubman refuses
  because the other saved in between: no save interleaves, and no update is lost. Then
  ``dedup --apply`` runs while a sync-like writer keeps saving: it either merges on top of the
  writer's latest text or refuses with "changed on disk"; never both lost.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pubman.store import bibliography as bibstore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")


def _big(n: int, tag: str) -> str:
    return "".join(
        f"@article{{e{i},\n  title = {{A study of things number {i}}},\n"
        f"  author = {{Ann Lee and Bo Chen}},\n  year = {{2020}},\n  note = {{{tag}}},\n}}\n\n"
        for i in range(n)
    )


def _save_forever(path: Path) -> None:
    """The child: flip two entries between versions A and B and save, until killed."""
    try:
        bib = bibstore.load(path, cache=False)
        while True:
            tag = "B" if bib.entry("e0").fields["note"] == "A" else "A"  # type: ignore[union-attr]
            for k in ("e0", "e1000"):
                bib.set_field(k, "note", tag)
            bib.save()
    finally:
        os._exit(0)


def test_kill_9_during_save_leaves_old_or_new_file_and_a_free_lock(tmp_path: Path) -> None:
    import fcntl

    n = 1500
    path = tmp_path / "pubs.bib"
    path.write_text(_big(n, "A"), encoding="utf-8")
    versions = {_big(n, "A")}
    b = bibstore.parse(_big(n, "A"))
    for k in ("e0", "e1000"):
        b.set_field(k, "note", "B")
    versions.add(b.text())
    assert all(len(bibstore.parse(v).entries) == n for v in versions)  # both versions parse
    rng = random.Random(1313)
    kills = 0
    for _ in range(50):
        pid = os.fork()  # cheap: 50 kills cost seconds, not a minute of interpreter starts
        if pid == 0:
            _save_forever(path)
        time.sleep(rng.uniform(0.02, 0.3))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        kills += 1
        text = path.read_text(encoding="utf-8")
        assert text in versions, f"kill {kills}: file is neither the old nor the new version"
        fd = os.open(tmp_path / ".pubs.bib.lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the lock were stuck
        finally:
            os.close(fd)
        for stale in tmp_path.glob(".pubs.bib*pubman-tmp-*"):
            stale.unlink()  # a kill between create and rename may leave one; never read
    assert kills == 50
    bib = bibstore.load(path, cache=False)  # a later save works after all that
    bib.set_field("e1", "note", "after")
    assert bib.save()


EDITOR = textwrap.dedent(
    """
    import sys
    from pubman.errors import ConcurrentEditError
    from pubman.store import bibliography as bibstore
    path, key, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    refused = 0
    for i in range(1, rounds + 1):
        while True:
            bib = bibstore.load(path, cache=False)
            bib.set_field(key, "note", f"{key}-{i}")
            try:
                bib.save()
                break
            except ConcurrentEditError:
                refused += 1  # the other writer saved in between: re-read and redo
    print(refused)
    """
)


def test_two_writers_never_lose_an_update(tmp_path: Path) -> None:
    path = tmp_path / "pubs.bib"
    path.write_text(_big(100, "start"), encoding="utf-8")
    rounds = 25
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", EDITOR, str(path), key, str(rounds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for key in ("e1", "e2")
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    bib = bibstore.load(path, cache=False)
    assert bib["e1"].fields["note"] == f"e1-{rounds}"
    assert bib["e2"].fields["note"] == f"e2-{rounds}"
    assert len(bib.entries) == 100 and not bib.problems


def test_dedup_apply_against_a_running_writer(tmp_path: Path) -> None:
    path = tmp_path / "pubs.bib"
    dup = (
        "@article{d1,\n  title = {Twice Entered Work},\n  author = {Ann Lee},\n"
        "  year = {2021},\n  doi = {10.5/dup},\n}\n\n"
        "@article{d2,\n  title = {Twice Entered Work},\n  author = {Ann Lee},\n"
        "  year = {2021},\n  doi = {10.5/dup},\n}\n\n"
    )
    path.write_text(dup + _big(100, "start"), encoding="utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(path), "e3", "30"], stdout=subprocess.PIPE, text=True
    )
    time.sleep(0.3)
    res = subprocess.run(
        [sys.executable, "-m", "pubman", "--bib", str(path), "dedup", "--apply", "--yes"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    writer.communicate(timeout=120)
    assert writer.returncode == 0
    bib = bibstore.load(path, cache=False)
    assert bib["e3"].fields["note"] == "e3-30"  # the writer's updates all landed
    if res.returncode == 0:
        assert "d2" not in bib.entries or "d1" not in bib.entries
    else:
        assert "changed on disk" in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert not bib.problems
