"""Work shared with forked children (pubman.parallel) gives exactly what one process gives,
however the children end; ``PUBMAN_JOBS`` is read with a clear error; and a long formatted
list made in several processes is the one made in one, byte for byte, warnings included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from _corpus import REPO, corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.clirun import run_cli

from pubman import formatting, parallel
from pubman.errors import ConfigError
from pubman.formatting import FormatOptions, render_publications
from pubman.formatting.backends import TEXT_BACKENDS
from pubman.store import bibliography as bibstore

PARENT = os.getpid()


def _square(part: Sequence[int]) -> list[tuple[int, int]]:
    return [(x, x * x) for x in part]


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-(10**30), 10**30), max_size=60), st.integers(1, 5))
def test_parts_are_joined_in_order(items: list[int], processes: int) -> None:
    assert parallel.map_parts(_square, items, processes) == _square(items)
    assert _no_children_left()


def test_a_child_that_fails_has_its_part_worked_here() -> None:
    def work(part: Sequence[int]) -> list[int]:
        if os.getpid() != PARENT and part[0] == 10:
            raise RuntimeError("a child's failure")
        return [x + 1 for x in part]

    assert parallel.map_parts(work, list(range(20)), 2) == list(range(1, 21))
    assert _no_children_left()


def test_a_child_that_dies_or_sends_what_does_not_pickle_is_replaced() -> None:
    def dies(part: Sequence[int]) -> list[object]:
        if os.getpid() != PARENT:
            os._exit(9)
        return list(part)

    def unpicklable(part: Sequence[int]) -> list[object]:
        if os.getpid() != PARENT:
            return [lambda x=x: x for x in part]
        return list(part)

    def short(part: Sequence[int]) -> list[object]:  # one result missing
        return list(part[1:]) if os.getpid() != PARENT else list(part)

    for work in (dies, unpicklable, short):
        assert parallel.map_parts(work, list(range(9)), 3) == list(range(9)), work.__name__
        assert _no_children_left()


def test_an_error_here_stops_and_reaps_the_children() -> None:
    def work(part: Sequence[int]) -> list[int]:
        if os.getpid() == PARENT:
            raise KeyError("here")
        return list(part)

    with pytest.raises(KeyError):
        parallel.map_parts(work, list(range(10)), 3)
    assert _no_children_left()


def _explode() -> object:
    raise ValueError("does not unpickle here")


class _Bomb:
    """Pickles in a child; unpickling it in the parent fails."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_explode, ())


def test_a_reader_giving_up_on_one_child_never_waits_on_it_forever() -> None:
    # Three processes: the first child's stream breaks at its first item while the child is
    # still writing (its rows fill the pipe) and the second child writes a long stream too.
    # The first child must be stopped, not waited for (a sibling used to hold its pipe open).
    code = (
        "import os, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_parallel import _Bomb\n"
        "from pubman import parallel\n"
        "parent = os.getpid()\n"
        "def work(part):\n"
        "    rows = ['x' * 300 + str(i) for i in part]\n"
        "    if os.getpid() != parent and part[0] == 1000:\n"
        "        rows[0] = _Bomb()\n"
        "    return rows\n"
        "out = parallel.map_parts(work, range(3000), 3)\n"
        "assert out == ['x' * 300 + str(i) for i in range(3000)]\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout == "ok\n", done.stderr


def test_no_pipe_or_no_process_means_the_part_is_worked_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert parallel.map_parts(_square, list(range(50)), 3) == _square(list(range(50)))

    def no_pipe() -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(os, "pipe", no_pipe)
    assert parallel.map_parts(_square, list(range(50)), 2) == _square(list(range(50)))


def test_nothing_a_child_buffered_reaches_the_output() -> None:
    # A child leaves by os._exit: text this process had buffered is printed once, and
    # nothing the child would print at exit appears.
    code = (
        "import sys, atexit\n"
        "from pubman import parallel\n"
        "sys.stdout.write('before ')\n"
        "atexit.register(lambda: sys.stdout.write('exit '))\n"
        "print(parallel.map_parts(lambda p: [x * 2 for x in p], list(range(6)), 3))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "before [0, 2, 4, 6, 8, 10]\nexit "


@pytest.mark.parametrize("setting", ["1", "2", " 3 ", "64", ""])
def test_jobs_follows_the_setting_up_to_the_cores(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, setting)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    want = min(int(setting), 4) if setting.strip() else 4
    assert parallel.jobs() == (want if want >= 2 else 1)


@pytest.mark.parametrize("setting", ["0", "-2", "two", "1.5", "\u00b2", "9" * 5000])
def test_a_bad_jobs_setting_is_named_with_the_way_out(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, setting)
    with pytest.raises(ConfigError) as err:
        parallel.jobs()
    assert parallel.JOBS_VARIABLE in err.value.message and setting[:50] in err.value.message
    assert err.value.hint and "unset" in err.value.hint


def test_no_sharing_where_fork_is_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "4")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert parallel.jobs() == 1
    monkeypatch.setattr(sys, "platform", "linux")
    assert parallel.jobs() == 4
    monkeypatch.setattr(signal, "getsignal", lambda n: signal.SIG_IGN)  # SIGCHLD ignored
    assert parallel.jobs() == 1
    monkeypatch.undo()
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "4")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel.jobs() == 1
    finally:
        stop.set()
        other.join()


def _lists() -> list[Path]:
    small = [p for p in corpus_files("real", "bench") if p.stat().st_size < 1 << 20]
    return [REPO / "pubs.bib", *small]


@pytest.mark.parametrize("path", _lists(), ids=lambda p: p.name)
def test_a_list_made_in_several_processes_is_the_one_made_in_one(
    monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    entries = list(bibstore.load(path, cache=False).entries.values())
    owner = ["Hrayr Harutyunyan", "H. Harutyunyan"]
    monkeypatch.setattr(formatting, "PARALLEL_FROM", 2)
    for style, to in (("cv", "markdown"), ("cv", "latex"), ("web", "html"), ("web", "text")):
        assert to in TEXT_BACKENDS
        options = FormatOptions(style=style).with_overrides(group_by="year", max_authors=3)
        monkeypatch.setattr(parallel, "jobs", lambda: 1)
        alone = render_publications(entries, options, owner, to=to)
        for jobs in (2, 3):  # whatever this machine's cores
            monkeypatch.setattr(parallel, "jobs", lambda n=jobs: n)
            shared = render_publications(entries, options, owner, to=to)
            assert shared == alone, (path.name, style, to, jobs)
    assert _no_children_left()


def test_the_cli_names_a_bad_jobs_setting() -> None:
    bib = REPO / "pubs.bib"
    before = bib.read_bytes()
    env = {parallel.JOBS_VARIABLE: "many", "PUBMAN_NO_OUTPUT_CACHE": "1"}
    done = run_cli(["--bib", str(bib), "format", "--style", "cv"], env=env)
    assert done.code == 1
    assert done.stdout == ""
    assert "PUBMAN_JOBS='many'" in done.stderr and "unset it" in done.stderr
    problem, way_out = done.stderr.strip().splitlines()  # the problem, then the way out
    assert problem.startswith("error: ") and "unset it" in way_out
    assert bib.read_bytes() == before
