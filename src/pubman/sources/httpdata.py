"""Plain data and pure helpers for pubman's HTTP layer. No I/O; stdlib only at import time.

:class:`Service` describes a remote service (counter name, label for messages, pacing),
:class:`HttpResult` one answer, :class:`ProgressEvent` what the progress callback receives.
The helpers parse ``Retry-After``, sniff HTML error pages, classify network failures and build
the :class:`SourceError` messages shared by :mod:`pubman.sources.http` and the source modules.
(``network_error`` and ``retryable`` import requests when called, never at import time.)
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from pubman.errors import SourceError

CACHE_FILE = "http-cache.sqlite"
OFFLINE_HINT = "use --offline to work from the cache"


@dataclass(frozen=True)
class Service:
    """A remote service as the client sees it: counter name, label for messages, pacing."""

    name: str
    label: str
    min_interval: float
    rate_limit_hint: str = "try again later"


@dataclass(frozen=True)
class HttpResult:
    """One HTTP answer. ``headers`` keys are lower-case; ``url`` includes the query string."""

    status: int
    body: bytes
    headers: Mapping[str, str]
    url: str
    from_cache: bool = False


@dataclass(frozen=True)
class ProgressEvent:
    """Reported to the ``progress`` callback.

    ``kind`` is "send" (attempt ``attempt`` of at most ``attempts`` is about to go out),
    "cache" (answered from the cache), "network" (a response arrived) or "retry" (about to
    sleep ``delay`` seconds before attempt ``attempt + 1``; ``reason`` says why).
    """

    service: str
    kind: str
    url: str
    status: int | None = None
    attempt: int = 1
    delay: float = 0.0
    reason: str = ""
    attempts: int = 1

    @property
    def host(self) -> str:
        return host_of(self.url)


def default_cache_path() -> Path:
    """``$PUBMAN_CACHE_DIR/http-cache.sqlite``, else the same file in the user cache directory."""
    from pubman.store.parsecache import cache_dir  # the one rule for where pubman caches live

    return cache_dir() / CACHE_FILE


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP date); None if unusable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def host_of(url: str) -> str:
    """The host[:port] part of a URL, as used in messages and for pacing."""
    return urlsplit(url).netloc or url


def exhausted_error(service: Service, result: HttpResult, attempts: int) -> SourceError:
    """The error for a retryable status (429, 5xx) that persisted through every attempt."""
    tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
    if result.status == 429:
        return SourceError(
            service.label,
            f"rate limited (HTTP 429) {tries}",
            url=result.url,
            status=429,
            hint=service.rate_limit_hint,
        )
    return SourceError(
        service.label,
        f"server error (HTTP {result.status}) {tries}",
        url=result.url,
        status=result.status,
        hint=f"the service may be down; try again later, or {OFFLINE_HINT}",
    )


def status_error(service: Service, result: HttpResult, detail: str = "") -> SourceError:
    """A SourceError for an unexpected status, with the server's own message when known."""
    text = f"unexpected answer (HTTP {result.status})"
    return SourceError(
        service.label, f"{text}: {detail}" if detail else text, url=result.url, status=result.status
    )


def looks_like_html(body: bytes) -> bool:
    """True when a body is an HTML page (typically a proxy's or server's error page)."""
    head = body.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def network_error(
    service: Service, host: str, url: str, exc: Exception, timeout: tuple[float, float]
) -> SourceError:
    """The error for a request that got no usable answer (``exc`` from requests)."""
    import requests  # only ever called after requests has been imported

    connect, read = timeout
    if isinstance(exc, requests.ConnectTimeout):
        message = f"no connection to {host} within {connect:g} s"
        hint = f"check your network, or {OFFLINE_HINT}"
    elif isinstance(exc, requests.Timeout):
        message = f"{host} did not answer within {read:g} s"
        hint = f"the service may be overloaded; try again later, or {OFFLINE_HINT}"
    elif isinstance(exc, requests.ConnectionError):
        message = f"cannot reach {host}"
        hint = f"check your network, or {OFFLINE_HINT}"
    elif isinstance(
        exc,
        (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError),
    ):
        message = f"the answer from {host} was cut off"
        hint = "try again later"
    else:
        message = f"request to {host} failed ({type(exc).__name__})"
        hint = None
    return SourceError(service.label, message, url=url, hint=hint)


def retryable(exc: Exception) -> bool:
    """True for network failures worth another attempt (refused, reset, timeout, cut off)."""
    import requests

    return isinstance(
        exc,
        (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError),
    )
