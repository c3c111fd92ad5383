"""What ``sync`` and ``add`` show while they wait, and the hard stop behind ``--timeout``.

:class:`Progress` renders the HTTP client's :class:`~pubman.sources.httpdata.ProgressEvent`
stream: a one-line bar on a terminal naming the host, the request and the attempt
("api.semanticscholar.org: request 3: waiting 8 s before attempt 2 of 6 (HTTP 429)"), and
``note:`` lines on stderr elsewhere for waits of 5 s or more. :func:`describe` is the text.

:func:`deadline_alarm` backs the client's own deadline checks: a server that drips a byte
at a time never trips a read timeout, so when the deadline (plus a grace second) passes while
a request is in flight, SIGALRM stops it with the same clear error. Only in the main thread
on POSIX; elsewhere the client's checks are the bound.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pubman.cli.args import echo
from pubman.errors import PubmanError

if TYPE_CHECKING:
    from types import FrameType

    from rich.progress import Progress as Bar
    from rich.progress import TaskID

    from pubman.sources.httpdata import ProgressEvent

LABELS = {"semanticscholar": "Semantic Scholar", "arxiv": "arXiv"}


def describe(event: ProgressEvent, request: int) -> str:
    """One progress line for ``event``; ``request`` is its number among requests to the host."""
    head = f"{event.host}: request {request}"
    if event.kind == "send":
        tries = f", attempt {event.attempt} of {event.attempts}" if event.attempt > 1 else ""
        return f"{head}{tries}: waiting for the answer"
    if event.kind == "retry":
        return (
            f"{head}: waiting {event.delay:.0f} s before attempt {event.attempt + 1} of "
            f"{event.attempts} ({event.reason})"
        )
    return f"{head}: HTTP {event.status}" if event.status else head


class Progress:
    """A progress bar on stderr while requests run (only on a terminal); notes elsewhere."""

    def __init__(self, enabled: bool, notes: bool = True) -> None:
        self.enabled = enabled
        self.notes = notes
        self.requests: dict[str, int] = {}  # per host
        self.answers = 0
        self.cached = 0
        self.in_flight: str | None = None  # the host a request is waiting on
        self._bar: Bar | None = None  # rich is imported only when a bar is shown
        self._task: TaskID | None = None

    def __enter__(self) -> Progress:  # noqa: PYI034 -- final class, no Self needed
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            bar = self._bar = Bar(
                TextColumn("fetching"),
                BarColumn(bar_width=12),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            self._task = bar.add_task("", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, event: ProgressEvent) -> None:
        host = event.host
        if event.kind == "send":
            if event.attempt == 1:
                self.requests[host] = self.requests.get(host, 0) + 1
            self.in_flight = host
        else:
            self.in_flight = None
        if event.kind == "network":
            self.answers += 1
        elif event.kind == "cache":
            self.cached += 1
        text = describe(event, self.requests.get(host, 0))
        if event.kind == "retry" and self._bar is None and self.notes and event.delay >= 5:
            echo(f"note: {LABELS.get(event.service, event.service)}: {text}", err=True)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=text)

    def got(self) -> str:
        """What arrived so far, for a message: "3 answers (1 from the cache)"."""
        n = self.answers + self.cached
        cached = f" ({self.cached} from the cache)" if self.cached else ""
        return f"{n} answer{'s' if n != 1 else ''}{cached}"


@contextmanager
def deadline_alarm(seconds: float | None, progress: Progress, grace: float = 1.0) -> Iterator[None]:
    """Stop a request still in flight ``grace`` s after the ``seconds`` deadline."""
    import signal

    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or seconds is None:
        yield
        return

    def fire(signum: int, frame: FrameType | None) -> None:
        if progress.in_flight is None:  # planning or writing: let it finish
            return
        raise PubmanError(
            f"stopped at the {seconds:g} s deadline while {progress.in_flight} was still "
            f"answering; got {progress.got()} before it",
            hint="nothing was written; answers received so far are cached, so a rerun "
            "continues from them (allow longer with --timeout SECONDS)",
        )

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds + grace, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
