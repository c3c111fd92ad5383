"""The command line's start-up pause of the cyclic collector (pubman.gcpause)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pubman import gcpause


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    yield None
    gcpause._STARTUP.clear()
    gcpause._KEEP.clear()
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_start_up_pause_ends_once_and_freezes_what_was_made(collector: None) -> None:
    gc.enable()
    gcpause.pause_startup()
    assert not gc.isenabled()
    made: list[list[int]] = [[] for _ in range(100)]  # tracked objects made in start-up
    gcpause.end_startup()
    assert gc.isenabled() and gc.get_freeze_count() >= len(made)
    gc.disable()
    gcpause.end_startup()  # a second call (several .bib files) changes nothing
    assert not gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(collector: None) -> None:
    gc.disable()
    frozen = gc.get_freeze_count()
    gcpause.pause_startup()
    gcpause.end_startup()
    assert not gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_command_that_builds_once_keeps_the_collector_off_to_the_end(collector: None) -> None:
    gc.enable()
    gcpause.pause_startup()
    gcpause.keep_paused()
    made: list[list[int]] = [[] for _ in range(100)]
    gcpause.end_startup()
    assert not gc.isenabled() and gc.get_freeze_count() >= len(made)


def test_keep_paused_does_nothing_without_the_start_up_pause(collector: None) -> None:
    gc.enable()
    gcpause.keep_paused()  # pubman's CLI run in-process, or the library: no start-up pause
    gcpause.end_startup()
    assert gc.isenabled() and not gcpause._KEEP


def test_the_format_command_runs_without_collections_after_loading(tmp_path: Path) -> None:
    # The console script's process: start-up pause, load, then no collection to the end.
    code = (
        "import gc, sys\n"
        "from pubman.formatting import styles\n"
        "seen = []\n"
        "gc.callbacks.append(lambda phase, info: seen.append(phase))\n"
        "import pubman.cli.context as context\n"
        "load = context.App.load_bib\n"
        "def traced(self, **kw):\n"
        "    bib = load(self, **kw)\n"
        "    seen.clear()\n"
        "    return bib\n"
        "context.App.load_bib = traced\n"
        "import atexit\n"
        "atexit.register(lambda: sys.stderr.write(f'collections={len(seen)} on={gc.isenabled()}'))\n"
        "from pubman.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    bib = Path(__file__).resolve().parents[1] / "pubs.bib"
    done = subprocess.run(
        [sys.executable, "-c", code, "--bib", str(bib), "format", "--style", "cv"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PUBMAN_NO_OUTPUT_CACHE": "1"},
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("collections=0 on=False")


def test_release_ends_every_start_up_pause(collector: None) -> None:
    gc.enable()
    gcpause.pause_startup()
    gcpause.keep_paused()
    gcpause.end_startup()
    assert not gc.isenabled()
    gcpause.release()  # the CLI run in-process with a thread alive: the process goes on
    assert gc.isenabled() and not gcpause._KEEP and not gcpause._STARTUP
    gcpause.pause_startup()  # a command that ended before it loaded a file
    gcpause.release()
    assert gc.isenabled()


def test_importing_pubman_as_a_library_leaves_the_collector_alone() -> None:
    code = (
        "import gc\n"
        "import pubman, pubman.cli, pubman.cli.app, pubman.cli.context, pubman.formatting\n"
        "assert gc.isenabled() and gc.get_freeze_count() == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
