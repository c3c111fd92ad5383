"""HTTP for pubman's remote sources; the only module that imports requests and requests_cache.

Contract:
- :class:`HttpClient` sends one logical request at a time and answers with an :class:`HttpResult`
  (status, body bytes, headers) or, through a caller-given ``parse`` function, with parsed data.
- Responses (GET and POST, status 200 or 404) are cached in SQLite for ``ttl``; a cached answer
  costs no request, no pacing delay and is not counted in :attr:`HttpClient.requests_made`.
  ``refresh=True`` always asks the network and updates the cache; ``offline=True`` only reads the
  cache (expired entries included; it wins over ``refresh``) and a miss raises
  :class:`SourceError`. A cache that cannot be opened raises :class:`PubmanError`.
- 429, 500, 502, 503, 504, connection errors and timeouts are retried up to ``max_attempts``
  times with exponential backoff and full jitter; a ``Retry-After`` header (seconds or an HTTP
  date) replaces the backoff, capped at ``retry_after_cap``. Requests to one host are spaced by
  the service's minimum interval, measured with ``time.monotonic``. The timing policy lives in
  :mod:`pubman.sources.retry`.
- ``deadline`` (seconds, from the client's creation) bounds the whole run: timeouts shrink to
  the time left and a wait that would pass it raises :class:`~pubman.sources.retry.DeadlineError`
  at once. Answers received before are in the cache.
- Progress is reported through the ``progress`` callback (never printed): "send" before each
  attempt, "network"/"cache" for each answer, "retry" before each wait.
- Every failure ends as one :class:`~pubman.errors.SourceError` naming the service. Other
  statuses (400, 403, 404, ...) are returned for the source module to interpret.
- Header values are never logged, put in messages, or stored in the cache (``x-api-key`` and
  other auth headers are redacted by requests_cache's ``ignored_parameters``).

requests and requests_cache are imported lazily so that importing pubman stays fast. The plain
data (Service, HttpResult, ProgressEvent) and pure helpers live in :mod:`pubman.sources.httpdata`
and are re-exported here.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pubman import __version__
from pubman.errors import PubmanError, SourceError
from pubman.sources import bounds
from pubman.sources.httpdata import (
    HttpResult,
    ProgressEvent,
    Service,
    default_cache_path,
    exhausted_error,
    host_of,
    looks_like_html,
    network_error,
    parse_retry_after,
    retryable,
    status_error,
)
from pubman.sources.retry import Deadline, DeadlineError, Policy

__all__ = [
    "DEFAULT_TTL",
    "USER_AGENT",
    "DeadlineError",
    "HttpClient",
    "HttpResult",
    "ProgressEvent",
    "Service",
    "default_cache_path",
    "looks_like_html",
    "parse_retry_after",
    "status_error",
]

if TYPE_CHECKING:
    from typing import Self

    import requests

T = TypeVar("T")
log = logging.getLogger(__name__)

USER_AGENT = f"pubman/{__version__} (publication manager; python-requests)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CACHEABLE_STATUSES = (200, 404)
DEFAULT_TTL = timedelta(days=7)
# Redacted from cache keys and stored requests. requests_cache compares names case-sensitively,
# so the spelling pubman sends comes first.
SECRET_HEADERS = ("x-api-key", "X-API-Key", "Authorization", "Proxy-Authorization")


class HttpClient:
    """A polite, caching HTTP client shared by the Semantic Scholar and arXiv clients.

    ``min_interval`` overrides the services' pacing: one number for every service, or a mapping
    from service name to seconds (tests pass 0). ``cache_path=None`` means
    :func:`default_cache_path`; ``use_cache=False`` disables the cache (and so ``offline``).
    ``sleep``, ``clock`` and ``rng`` are injectable for tests.
    """

    def __init__(
        self,
        *,
        cache_path: str | os.PathLike[str] | None = None,
        use_cache: bool = True,
        ttl: timedelta | float = DEFAULT_TTL,
        refresh: bool = False,
        offline: bool = False,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        max_attempts: int = 6,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        retry_after_cap: float = 120.0,
        min_interval: float | Mapping[str, float] | None = None,
        deadline: float | None = None,
        mailto: str | None = None,
        progress: Callable[[ProgressEvent], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.cache_path = Path(cache_path) if cache_path else default_cache_path()
        self.use_cache = use_cache
        self.ttl = ttl if isinstance(ttl, timedelta) else timedelta(seconds=ttl)
        self.refresh, self.offline = refresh, offline
        self.timeout = (connect_timeout, read_timeout)
        self.max_attempts = max(1, max_attempts)
        self.policy = Policy(
            self.max_attempts, backoff_base, backoff_cap, retry_after_cap, min_interval, rng
        )
        self.deadline = Deadline(deadline, clock)
        self.user_agent = USER_AGENT[:-1] + f"; mailto:{mailto})" if mailto else USER_AGENT
        self.progress = progress
        self._sleep, self._clock = sleep, clock
        self._session: requests.Session | None = None
        self.requests_made: dict[str, int] = {}
        self.cache_hits: dict[str, int] = {}

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session and its cache connection."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def _get_session(self) -> requests.Session:
        if self._session is None:
            self._session = self._new_session()
        return self._session

    def _new_session(self) -> requests.Session:
        if not self.use_cache:
            import requests

            session = requests.Session()
        else:
            session = self._cached_session()
        session.headers["User-Agent"] = self.user_agent
        bounds.install(session, SECRET_HEADERS)  # body size, time, redirects, key per host
        return session

    def _cached_session(self) -> requests.Session:
        from requests_cache import CachedSession

        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            return CachedSession(
                str(self.cache_path),
                backend="sqlite",
                expire_after=self.ttl,
                allowable_methods=("GET", "POST"),
                allowable_codes=CACHEABLE_STATUSES,
                ignored_parameters=list(SECRET_HEADERS),
                match_headers=False,
                filter_fn=bounds.cacheable,
            )
        except (OSError, sqlite3.Error) as exc:
            raise PubmanError(
                f"cannot open the HTTP cache {self.cache_path}: {exc}",
                hint="set PUBMAN_CACHE_DIR to a writable directory",
            ) from None

    # -- the one entry point ---------------------------------------------------------------

    @overload
    def fetch(
        self,
        service: Service,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = ...,
        json_body: Any = ...,
        headers: Mapping[str, str] | None = ...,
        parse: None = ...,
    ) -> HttpResult: ...

    @overload
    def fetch(
        self,
        service: Service,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = ...,
        json_body: Any = ...,
        headers: Mapping[str, str] | None = ...,
        parse: Callable[[HttpResult], T],
    ) -> T: ...

    def fetch(
        self,
        service: Service,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        parse: Callable[[HttpResult], T] | None = None,
    ) -> T | HttpResult:
        """Send one request (from the cache when possible) and return ``parse(result)``.

        Without ``parse`` the :class:`HttpResult` itself is returned. If ``parse`` raises
        :class:`SourceError` the cached copy is dropped, so a broken answer is not replayed.
        """
        import requests

        session = self._get_session()
        prepared = session.prepare_request(
            requests.Request(method.upper(), url, params=params, json=json_body, headers=headers)
        )
        settings = session.merge_environment_settings(prepared.url or url, {}, None, None, None)
        key = self._cache_key(session, prepared, settings)
        if key is not None and (self.offline or not self.refresh):
            cached = self._from_cache(session, key, service, prepared)
            if cached is not None:
                try:
                    return parse(cached) if parse else cached
                except SourceError:
                    self._forget(session, key)
                    if self.offline:
                        raise
        if self.offline:
            what = f"{prepared.method} {prepared.url}"
            raise SourceError(
                service.label,
                f"{what} is not in the cache; run without --offline",
                url=prepared.url,
                hint="sync once while online to fill the cache",
            )
        try:
            result = self._send_with_retries(service, session, prepared, settings)
        except bounds.BodyBoundError as exc:
            raise SourceError(service.label, str(exc), url=prepared.url, hint=exc.hint) from None
        if parse is None:
            return result
        try:
            return parse(result)
        except SourceError:
            if key is not None:
                self._forget(session, key)
            raise

    # -- cache -----------------------------------------------------------------------------

    def _cache_key(
        self,
        session: requests.Session,
        prepared: requests.PreparedRequest,
        settings: Mapping[str, Any],
    ) -> str | None:
        cache = getattr(session, "cache", None)
        if cache is None:
            return None
        return str(cache.create_key(prepared, verify=settings.get("verify", True)))

    def _from_cache(
        self,
        session: Any,
        key: str,
        service: Service,
        prepared: requests.PreparedRequest,
    ) -> HttpResult | None:
        cached = session.cache.get_response(key)
        if cached is None or (cached.is_expired and not self.offline):
            return None
        self.cache_hits[service.name] = self.cache_hits.get(service.name, 0) + 1
        log.debug("%s %s: from cache", prepared.method, prepared.url)
        result = HttpResult(
            cached.status_code,
            cached.content or b"",
            {k.lower(): v for k, v in cached.headers.items()},
            prepared.url or "",
            True,
        )
        self._notify(ProgressEvent(service.name, "cache", result.url, result.status))
        return result

    def _forget(self, session: Any, key: str) -> None:
        cache = getattr(session, "cache", None)
        if cache is not None:
            cache.delete(key)

    # -- network ---------------------------------------------------------------------------

    def _send_with_retries(
        self,
        service: Service,
        session: requests.Session,
        prepared: requests.PreparedRequest,
        settings: Mapping[str, Any],
    ) -> HttpResult:
        import requests

        url = prepared.url or ""
        host = host_of(url)
        limit = self.max_attempts  # fewer once the network itself has failed
        for attempt in range(1, self.max_attempts + 1):
            self._pace(service, host, url, attempt)
            self._notify(ProgressEvent(service.name, "send", url, None, attempt, attempts=limit))
            try:
                response = self._send_once(session, prepared.copy(), settings)
            except requests.RequestException as exc:
                if not self.deadline.allows(0.05):  # the timeout was the deadline's
                    raise self.deadline.error(service, host, url, attempt, limit) from None
                failure = network_error(service, host, url, exc, self.timeout)
                limit = self.policy.attempts(network_failure=True)
                if attempt >= limit or not retryable(exc):
                    raise failure from None
                delay = self.policy.backoff(attempt)
                self._wait(service, url, attempt, limit, delay, failure.message, None)
                continue
            result = self._record(service, url, response, attempt)
            if result.status not in RETRY_STATUSES:
                return result
            if attempt == self.max_attempts:
                raise exhausted_error(service, result, attempt)
            retry_after = parse_retry_after(result.headers.get("retry-after"))
            delay = self.policy.retry_delay(retry_after, attempt)
            reason = f"HTTP {result.status}"
            self._wait(service, url, attempt, self.max_attempts, delay, reason, result.status)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _send_once(
        self,
        session: requests.Session,
        prepared: requests.PreparedRequest,
        settings: Mapping[str, Any],
    ) -> requests.Response:
        kwargs: dict[str, Any] = dict(settings)
        kwargs["timeout"] = self.deadline.timeouts(*self.timeout)
        kwargs["stream"] = True  # the body is read by bounds._read_bounded, within its bounds
        if getattr(session, "cache", None) is not None:
            kwargs["force_refresh"] = True  # the cache was consulted already; fetch and store
        return session.send(prepared, **kwargs)

    def _record(
        self,
        service: Service,
        url: str,
        response: requests.Response,
        attempt: int,
    ) -> HttpResult:
        self.requests_made[service.name] = self.requests_made.get(service.name, 0) + 1
        log.debug(
            "%s %s: HTTP %s (attempt %d)",
            response.request.method,
            url,
            response.status_code,
            attempt,
        )
        result = HttpResult(
            response.status_code,
            response.content or b"",
            {k.lower(): v for k, v in response.headers.items()},
            url,
            False,
        )
        self._notify(ProgressEvent(service.name, "network", url, result.status, attempt))
        return result

    def _pace(self, service: Service, host: str, url: str, attempt: int) -> None:
        delay = self.policy.pace_delay(service, host, self._clock())
        if not self.deadline.allows(delay):
            raise self.deadline.error(service, host, url, attempt, self.max_attempts)
        if delay > 0:
            self._sleep(delay)
        self.policy.sent(host, self._clock())

    def _wait(
        self,
        service: Service,
        url: str,
        attempt: int,
        attempts: int,
        delay: float,
        reason: str,
        status: int | None,
    ) -> None:
        """Sleep before attempt ``attempt + 1``; never past the deadline."""
        if not self.deadline.allows(delay):
            raise self.deadline.error(service, host_of(url), url, attempt + 1, attempts)
        log.debug("%s: %s; retrying in %.1f s", url, reason, delay)
        event = ProgressEvent(service.name, "retry", url, status, attempt, delay, reason, attempts)
        self._notify(event)
        if delay > 0:
            self._sleep(delay)

    def _notify(self, event: ProgressEvent) -> None:
        if self.progress is not None:
            self.progress(event)
