"""The command line's start-up pause of the cyclic collector (pubman.gcpause)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from pubman import gcpause


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    yield None
    gcpause._STARTUP.clear()
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


def test_importing_pubman_as_a_library_leaves_the_collector_alone() -> None:
    code = (
        "import gc\n"
        "import pubman, pubman.cli, pubman.cli.app, pubman.cli.context, pubman.formatting\n"
        "assert gc.isenabled() and gc.get_freeze_count() == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
