"""The HTTP client and both sources, built from settings and the environment.

Environment (read here so tests and impatient users can tune the HTTP layer without touching
the config): ``S2_API_KEY`` (sent as ``x-api-key``, never printed), ``PUBMAN_HTTP_PACING``
(seconds between requests to one host, overriding arXiv's 3 s and S2's 1-1.5 s),
``PUBMAN_HTTP_BACKOFF`` (base of the exponential backoff, seconds, default 1),
``PUBMAN_HTTP_RETRIES`` (attempts per request, default 6; 3 when the network fails),
``PUBMAN_HTTP_TIMEOUT`` (read timeout, seconds), ``PUBMAN_HTTP_RETRY_AFTER_CAP`` (longest
Retry-After honoured, seconds, default 120). From ``[sync]`` in pubman.toml:
``cache_ttl_days`` (default 7), ``read_timeout`` (default 15 s) and ``timeout`` (the whole
run's deadline, default :data:`DEFAULT_TIMEOUT`; 0 means none). ``PUBMAN_CACHE_DIR`` (where the HTTP
cache lives) is read by :mod:`pubman.store.parsecache`. Raises
:class:`~pubman.errors.UsageError` for a malformed variable and
:class:`~pubman.errors.ConfigError` for a bad ``[sync]`` value. Sends no request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, TypedDict

from pubman.errors import ConfigError, UsageError
from pubman.sources.arxiv import Arxiv
from pubman.sources.http import HttpClient
from pubman.sources.httpdata import ProgressEvent
from pubman.sources.semanticscholar import SemanticScholar

if TYPE_CHECKING:
    from pubman.config import Settings


@dataclass
class Clients:
    """The two sources and the HTTP client they share (close ``http`` when done)."""

    s2: SemanticScholar
    arxiv: Arxiv
    http: HttpClient


class HttpOptions(TypedDict, total=False):
    """The :class:`~pubman.sources.http.HttpClient` arguments the environment can set."""

    min_interval: float
    backoff_base: float
    read_timeout: float
    connect_timeout: float
    retry_after_cap: float
    max_attempts: int


def _seconds(env: Mapping[str, str], name: str) -> float | None:
    if not env.get(name):
        return None
    try:
        return float(env[name])
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {env[name]!r}") from None


def http_options(env: Mapping[str, str]) -> HttpOptions:
    """What ``PUBMAN_HTTP_*`` in ``env`` set (see the module docstring)."""
    opts: HttpOptions = {}
    if (pacing := _seconds(env, "PUBMAN_HTTP_PACING")) is not None:
        opts["min_interval"] = pacing
    if (backoff := _seconds(env, "PUBMAN_HTTP_BACKOFF")) is not None:
        opts["backoff_base"] = backoff
    if (timeout := _seconds(env, "PUBMAN_HTTP_TIMEOUT")) is not None:
        opts["read_timeout"] = timeout
        opts["connect_timeout"] = min(5.0, timeout)
    if (cap := _seconds(env, "PUBMAN_HTTP_RETRY_AFTER_CAP")) is not None:
        opts["retry_after_cap"] = cap
    if env.get("PUBMAN_HTTP_RETRIES"):
        try:
            opts["max_attempts"] = int(env["PUBMAN_HTTP_RETRIES"])
        except ValueError:
            raise UsageError("PUBMAN_HTTP_RETRIES must be a whole number") from None
    return opts


DEFAULT_TIMEOUT = 300.0  # seconds for a whole sync or add (--timeout)
DEFAULT_READ_TIMEOUT = 15.0


def sync_number(settings: Settings, name: str, default: float, what: str = "seconds") -> float:
    """``[sync] name`` as a non-negative number (``default`` when absent)."""
    value = settings.sync.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(
            f"[sync] {name} must be a number of {what}, not {value!r}",
            path=str(settings.config_path) if settings.config_path else None,
            hint=f"e.g. `{name} = {default:g}` under [sync] in pubman.toml, or delete the line",
        )
    return float(value)


def cache_ttl(settings: Settings) -> timedelta:
    """How long fetched answers are reused: ``[sync] cache_ttl_days`` (default 7)."""
    return timedelta(days=sync_number(settings, "cache_ttl_days", 7, "days"))


def build_clients(
    settings: Settings,
    *,
    refresh: bool = False,
    offline: bool = False,
    progress: Callable[[ProgressEvent], None] | None = None,
    read_timeout: float | None = None,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
) -> Clients:
    """The HTTP client and both sources, configured from ``settings`` and ``env`` (default:
    the process environment).

    Read timeout: ``read_timeout`` (--read-timeout), else ``PUBMAN_HTTP_TIMEOUT``, else
    ``[sync] read_timeout``, else 15 s. The whole run's deadline: ``timeout`` (--timeout),
    else ``[sync] timeout``, else :data:`DEFAULT_TIMEOUT`; 0 means none."""
    env = os.environ if env is None else env
    opts = http_options(env)
    if read_timeout is None and "read_timeout" not in opts:
        read_timeout = sync_number(settings, "read_timeout", DEFAULT_READ_TIMEOUT)
    if read_timeout is not None:
        opts["read_timeout"], opts["connect_timeout"] = read_timeout, min(5.0, read_timeout)
    if timeout is None:
        timeout = sync_number(settings, "timeout", DEFAULT_TIMEOUT)
    http = HttpClient(
        ttl=cache_ttl(settings),
        refresh=refresh,
        offline=offline,
        progress=progress,
        deadline=timeout or None,
        **opts,
    )
    s2 = SemanticScholar(http, settings.s2_api_url, env.get("S2_API_KEY") or None)
    return Clients(s2, Arxiv(http, settings.arxiv_api_url), http)
