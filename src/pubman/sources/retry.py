"""When to retry, how long to wait, and when to stop: the HTTP client's timing policy.

Contract: pure timing decisions over an injectable clock, sleep and random source; no network
and no printing. :class:`Policy` spaces requests to one host, computes backoff (exponential
with full jitter) and honours ``Retry-After`` up to a cap. :class:`Deadline` bounds a whole run
(a sync): it shortens timeouts to the time left, and a wait that would end past it raises
:class:`DeadlineError` at once instead of sleeping into it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pubman.errors import SourceError
from pubman.sources.httpdata import Service

NETWORK_ATTEMPTS = 3  # attempts when the network itself fails (refused, DNS, timeout)


class DeadlineError(SourceError):
    """The run's deadline passed (or a wait would pass it). Answers received so far are in the
    HTTP cache; nothing was written. ``host``, ``attempt`` and ``attempts`` say where it was."""

    def __init__(
        self, service: Service, host: str, url: str, seconds: float, attempt: int, attempts: int
    ) -> None:
        super().__init__(
            service.label,
            f"stopped at the {seconds:g} s deadline while waiting for {host} "
            f"(attempt {attempt} of {attempts})",
            url=url,
            hint="nothing was written; answers received so far are cached, so a rerun "
            "continues from them (allow longer with --timeout SECONDS)",
        )
        self.host = host
        self.seconds = seconds
        self.attempt = attempt
        self.attempts = attempts


@dataclass
class Policy:
    """Retry and pacing parameters (see :class:`pubman.sources.http.HttpClient`)."""

    max_attempts: int = 6
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    retry_after_cap: float = 120.0
    min_interval: float | Mapping[str, float] | None = None
    rng: Callable[[], float] = random.random
    _last_sent: dict[str, float] = field(default_factory=dict)

    def attempts(self, network_failure: bool) -> int:
        """An unreachable host rarely comes back within seconds: give up sooner than on a
        429, which the services do lift after a while."""
        return min(self.max_attempts, NETWORK_ATTEMPTS) if network_failure else self.max_attempts

    def interval(self, service: Service) -> float:
        if self.min_interval is None:
            return service.min_interval
        if isinstance(self.min_interval, Mapping):
            return float(self.min_interval.get(service.name, service.min_interval))
        return float(self.min_interval)

    def pace_delay(self, service: Service, host: str, now: float) -> float:
        """Seconds to wait before the next request to ``host`` (its send time is noted)."""
        last = self._last_sent.get(host)
        return 0.0 if last is None else max(0.0, last + self.interval(service) - now)

    def sent(self, host: str, now: float) -> None:
        self._last_sent[host] = now

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**(attempt-1))]."""
        return self.rng() * min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))

    def retry_delay(self, retry_after: float | None, attempt: int) -> float:
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return self.backoff(attempt)


class Deadline:
    """A time bound for a whole run, started when created; ``seconds=None`` is unbounded."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = None if seconds is None else clock() + max(0.0, seconds)

    def remaining(self) -> float | None:
        return None if self._end is None else self._end - self._clock()

    def timeouts(self, connect: float, read: float) -> tuple[float, float]:
        """(connect, read) timeouts shortened to the time left (at least 10 ms)."""
        left = self.remaining()
        if left is None:
            return connect, read
        left = max(0.01, left)
        return min(connect, left), min(read, left)

    def allows(self, delay: float = 0.0) -> bool:
        """True when ``delay`` seconds from now is still before the deadline."""
        left = self.remaining()
        return left is None or left > delay

    def error(
        self, service: Service, host: str, url: str, attempt: int, attempts: int
    ) -> DeadlineError:
        return DeadlineError(service, host, url, self.seconds or 0.0, attempt, attempts)
