"""Pure work over a long list, shared with forked copies of this process.

:func:`map_parts` splits a list into contiguous parts, works the first part here and each other
part in a child made by ``fork`` (which starts with this process's memory: the loaded file,
its derived views and every memo, with nothing to send), and returns the results in order,
exactly as ``work(items)`` in this process would. A child sends back its results pickled
through a pipe and leaves by ``os._exit``, so it never flushes this process's buffered
output, runs its exit handlers or prints anything. A part whose child fails in any way (an
exception, a crash, a result that does not pickle) is worked here instead, so a failure
costs time, never a result.

:func:`jobs` says how many processes may share: the cores this process may run on, or fewer
when ``PUBMAN_JOBS`` says so (``1`` turns sharing off). It is 1 where forking is not safe: not
on Linux (macOS's system libraries do not survive a fork), while another thread runs (a fork
copies only the calling thread, and any lock another thread holds stays held forever), or
when SIGCHLD is ignored (children could not be waited for). ``work`` must be pure: what it
changes in a child (memos included) is lost with the child.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pubman.errors import ConfigError

__all__ = ["JOBS_VARIABLE", "jobs", "map_parts"]

JOBS_VARIABLE = "PUBMAN_JOBS"

T = TypeVar("T")
R = TypeVar("R")


def jobs() -> int:
    """How many processes may share work now (at least 1); see the module's text.

    Raises ConfigError when ``PUBMAN_JOBS`` is set to something other than a whole number
    of at least 1."""
    setting = os.environ.get(JOBS_VARIABLE, "").strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    wanted = cores
    if setting:
        if not (setting.isascii() and setting.isdigit() and len(setting) < 10) or int(setting) < 1:
            raise ConfigError(
                f"{JOBS_VARIABLE}={setting!r} is not a whole number of processes",
                hint=f"set {JOBS_VARIABLE} to 1 (no parallel work) or more, or unset it "
                "to use every core",
            )
        wanted = min(int(setting), cores)  # more processes than cores gain nothing
    if wanted < 2 or not sys.platform.startswith("linux") or _other_threads():
        return 1
    import signal

    if signal.getsignal(signal.SIGCHLD) is signal.SIG_IGN:  # children could not be waited for
        return 1
    return wanted


def _other_threads() -> bool:
    # A thread is started through threading, so a process that never imported it has one
    # thread; importing it here would cost every short command 0.6 ms (measured).
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def map_parts(
    work: Callable[[Sequence[T]], list[R]], items: Sequence[T], processes: int
) -> list[R]:
    """``work(items)``, computed in up to ``processes`` processes (this one and forked
    children), one contiguous part of ``items`` each; ``work`` must return one result per
    item. With one process, or fewer than two items, it is ``work(items)`` here. A part
    whose child cannot be made (no pipe or process to be had) is worked here too."""
    count = min(processes, len(items))
    if count < 2:
        return work(items)
    bounds = [len(items) * i // count for i in range(count + 1)]
    parts = [items[bounds[i] : bounds[i + 1]] for i in range(count)]
    children: list[tuple[int, int] | None] = []  # (pid, read end of its pipe); None: not made
    try:
        for part in parts[1:]:
            children.append(_fork(work, part, [c[1] for c in children if c is not None]))
        results = work(parts[0])
        for part in parts[1:]:
            child = children.pop(0)
            done: list[R] | None = _collect(*child) if child is not None else None
            results += done if done is not None and len(done) == len(part) else work(part)
        return results
    finally:
        for child in children:  # only after an exception here: stop and reap them
            if child is not None:
                _stop(*child)


# pickle and signal are imported where processes are made: importing them costs 2 ms
# (measured), 2% of a cold `pubman format` of a short list, which never forks.


def _fork(
    work: Callable[[Sequence[T]], list[R]], part: Sequence[T], siblings: list[int]
) -> tuple[int, int] | None:
    """A child working ``part``: (its pid, the read end of its pipe); None when no pipe or
    process can be made (a process limit, no memory). ``siblings``: the read ends of the
    children made before, which the new child must not keep open (else a child whose
    reader gave up would never see its pipe close)."""
    import pickle
    import signal

    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    interrupt = signal.getsignal(signal.SIGINT)
    # Ctrl-C is held back while the child is made, so it cannot land in the child before the
    # child has its own handler (it would run this process's clean-up there).
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the child: work its part, send it, leave without any clean-up
        status = 1
        try:
            if interrupt is signal.default_int_handler:  # else: ignored here, ignored there
                signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            os.close(reader)
            for fd in siblings:
                os.close(fd)
            done = work(part)
            with os.fdopen(writer, "wb") as stream:  # pickled as it is written: no copy
                pickle.dump(done, stream, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    os.close(writer)
    return pid, reader


def _collect(pid: int, reader: int) -> list[Any] | None:
    """The child's results, read as they arrive (no copy of the whole stream), or None when
    it failed. Its pipe is closed and the child reaped, whatever happens; a child whose
    results were not all read (a damaged stream, Ctrl-C here) is killed first, so that
    nothing waits on a child still working."""
    import pickle
    import signal

    done = None
    read = False
    try:
        with os.fdopen(reader, "rb") as stream:
            done = pickle.load(stream)
        read = True
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, LookupError, AttributeError):
        done = None  # a truncated or damaged stream: the part is worked here
    finally:
        if not read:
            _kill(pid, signal.SIGKILL)
        status = _reap(pid)
    if status is None or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    return done if isinstance(done, list) else None


def _stop(pid: int, reader: int) -> None:
    import signal

    try:
        os.close(reader)
    except OSError:
        pass
    _kill(pid, signal.SIGKILL)
    _reap(pid)


def _kill(pid: int, signal_number: int) -> None:
    try:
        os.kill(pid, signal_number)
    except ProcessLookupError:  # already gone
        pass


def _reap(pid: int) -> int | None:
    """The child's wait status; None when it cannot be had (SIGCHLD ignored, or a handler of
    the host program reaped it): its results are not trusted then."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None
