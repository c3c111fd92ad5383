"""Bounds on what a remote service can make pubman do: body size, decompression, time, redirects.

Contract: :func:`install` fits a requests Session (plain or requests_cache's) with
- a response hook that reads each body itself, decompressed, and stops with
  :class:`BodyBoundError` past ``MAX_BODY_BYTES`` (a 200 MB body or a gzip bomb never fills
  memory, and nothing is cached) or when the whole body takes longer than
  ``MAX_BODY_SECONDS`` (a 1-byte-per-second drip resets the read timeout with every byte);
- at most ``MAX_REDIRECTS`` redirects, and answers reached through one are not cached
  (:func:`cacheable`); secret headers (the S2 ``x-api-key``, Authorization) are
  dropped when a redirect leaves the host they were meant for. requests itself refuses
  ``file://`` and reports a loop as too many redirects.
No printing; requests is imported by the caller (http.py is its one user).
"""

from __future__ import annotations

import time
import types
from typing import Any
from urllib.parse import urlsplit

MAX_BODY_BYTES = 32 * 1024 * 1024  # decompressed; S2's largest batch answers are ~2 MB
MAX_BODY_SECONDS = 60.0  # for the whole body, however it trickles in
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class BodyBoundError(Exception):
    """An answer too large or too slow; the message names the host and the bound."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def install(session: Any, secret_headers: tuple[str, ...]) -> None:
    session.max_redirects = MAX_REDIRECTS
    session.hooks.setdefault("response", []).append(_read_bounded)
    original = session.rebuild_auth
    secrets = {h.lower() for h in secret_headers}

    def rebuild_auth(self: Any, prepared: Any, response: Any) -> None:
        original(prepared, response)
        old, new = urlsplit(response.request.url), urlsplit(prepared.url)
        if (old.hostname, old.port, old.scheme) != (new.hostname, new.port, new.scheme):
            for name in [k for k in prepared.headers if k.lower() in secrets]:
                del prepared.headers[name]  # a key for one host is never sent to another

    session.rebuild_auth = types.MethodType(rebuild_auth, session)


def cacheable(response: Any) -> bool:
    """requests_cache's ``filter_fn``: an answer reached through a redirect is not stored. The
    cache redacts secret headers of the final request only; the redirect history would keep
    the key (and S2 never redirects an API call)."""
    return not getattr(response, "history", None)


def _read_bounded(response: Any, *args: Any, **kwargs: Any) -> Any:
    """Read the body (decompressed) within the bounds; the response then holds it."""
    if getattr(response, "_content_consumed", True) or response.raw is None:
        return response
    host = urlsplit(response.url or "").hostname or "the service"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        response.close()
        raise _too_large(host)
    start, total, chunks = time.monotonic(), 0, []
    while True:
        chunk = _read_chunk(response.raw)
        if not chunk:
            break
        total += len(chunk)
        if total > MAX_BODY_BYTES:
            response.close()
            raise _too_large(host)
        if time.monotonic() - start > MAX_BODY_SECONDS:
            response.close()
            raise BodyBoundError(
                f"{host} sent its answer too slowly ({total:,} bytes in "
                f"{MAX_BODY_SECONDS:g} s); stopped",
                "the service may be overloaded; try again later",
            )
        chunks.append(chunk)
    response._content = b"".join(chunks)
    response._content_consumed = True
    return response


def _read_chunk(raw: Any) -> bytes:
    """One decoded chunk; urllib3's errors as the requests errors http.py handles (as
    requests' own ``iter_content`` would raise them)."""
    import requests
    from urllib3 import exceptions as u3

    try:
        return bytes(raw.read1(_CHUNK, decode_content=True))
    except u3.ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from None
    except u3.DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from None
    except u3.ReadTimeoutError as exc:
        raise requests.exceptions.ReadTimeout(exc) from None
    except u3.SSLError as exc:
        raise requests.exceptions.SSLError(exc) from None


def _too_large(host: str) -> BodyBoundError:
    return BodyBoundError(
        f"the answer from {host} is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB "
        "(decompressed); refused",
        "this is not a normal answer: check the service URL, or try again later",
    )
