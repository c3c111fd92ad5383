"""A repeated `pubman format` replays its output only while every input is unchanged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _cli import run_pubman
from _corpus import REPO


def run(cwd: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_pubman(*args, cwd=cwd, env={"PUBMAN_CACHE_DIR": str(cache)}, timeout=60)


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "cv"
    folder.mkdir()
    shutil.copy(REPO / "pubs.bib", folder / "pubs.bib")
    shutil.copy(REPO / "pubman.toml", folder / "pubman.toml")
    return folder


def _outputs(cache: Path) -> list[Path]:
    return list((cache / "output").glob("*.json"))


def test_second_run_replays_identical_output(work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(work, cache, "format", "--style", "cv")
    assert first.returncode == 0 and "**H. Harutyunyan**" in first.stdout
    assert len(_outputs(cache)) == 1
    second = run(work, cache, "format", "--style", "cv")
    assert (second.stdout, second.stderr, second.returncode) == (
        first.stdout,
        first.stderr,
        first.returncode,
    )


def test_edits_and_new_inputs_recompute(work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bib = work / "pubs.bib"
    first = run(work, cache, "format")
    text = bib.read_text(encoding="utf-8")
    st = bib.stat()
    edited = text.replace("Mixture-of-Recursions", "Mixture-of-Recursionz")
    bib.write_text(edited, encoding="utf-8")
    os.utime(bib, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and mtime: content decides
    assert "Recursionz" in run(work, cache, "format").stdout
    (work / "pubman.toml").write_text('[owner]\nname = "Ziwei Ji"\n', encoding="utf-8")
    assert "**Z. Ji**" in run(work, cache, "format").stdout
    assert run(work, cache, "format", "--since", "2025").stdout.count("\n") == 3
    assert first.stdout != run(work, cache, "format").stdout


def test_strict_exit_code_and_warnings_replay(work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ("--owner", "Ziwei Ji", "format", "--strict")
    first, second = run(work, cache, *args), run(work, cache, *args)
    assert first.returncode == second.returncode == 1
    assert first.stderr == second.stderr and "owner is not among the authors" in second.stderr


def test_damaged_memo_is_ignored(work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(work, cache, "format")
    for memo in _outputs(cache):
        memo.write_text('{"inputs": [], "stdout": "bogus"', encoding="utf-8")
    assert run(work, cache, "format").stdout == first.stdout


def test_can_be_turned_off(work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env_off = {**os.environ, "PUBMAN_CACHE_DIR": str(cache), "PUBMAN_NO_OUTPUT_CACHE": "1"}
    subprocess.run(
        [sys.executable, "-m", "pubman", "format"],
        cwd=work,
        env=env_off,
        capture_output=True,
        check=True,
    )
    assert _outputs(cache) == []


def test_memo_stamped_with_the_bib_as_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pubman.store.outputcache import Memo
    from pubman.store.parsecache import fingerprint

    monkeypatch.setenv("PUBMAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    bib = tmp_path / "pubs.bib"
    bib.write_text("@misc{a, title={A}}\n", encoding="utf-8")
    as_read = fingerprint(bib)
    bib.write_text("@misc{a, title={Changed while formatting}}\n", encoding="utf-8")
    memo = Memo("format", ["x"], [tmp_path / "pubman.toml"])
    memo.store("[1] A\n", [], 0, [bib], known={bib: as_read})
    assert memo.lookup() is None  # the output belongs to the old content
    memo.store("[1] Changed\n", [], 0, [bib])
    assert memo.lookup() is not None


@pytest.mark.parametrize("to", ["markdown", "latex", "html", "text"])
def test_streamed_list_is_the_memo_list(work: Path, tmp_path: Path, to: str) -> None:
    """With the memo off the list goes to stdout line by line as it is made; what a user gets
    is the same text, warnings and exit code as the memo's joined page and its replay."""
    args = ("--owner", "Ziwei Ji", "format", "--style", "web", "--to", to)
    cache = tmp_path / "cache"
    memo_first, memo_replay = run(work, cache, *args), run(work, cache, *args)
    streamed = run_pubman(
        *args,
        cwd=work,
        env={"PUBMAN_CACHE_DIR": str(tmp_path / "off"), "PUBMAN_NO_OUTPUT_CACHE": "1"},
        timeout=60,
    )
    assert streamed.stdout.count("\n") >= 20  # one line per entry at least
    for memo in (memo_first, memo_replay):
        assert (streamed.stdout, streamed.stderr, streamed.returncode) == (
            memo.stdout,
            memo.stderr,
            memo.returncode,
        )
