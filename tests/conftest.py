"""Shared pytest fixtures. Append new fixtures; keep each one's imports local to it."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import Any

import pytest


@pytest.fixture
def replay_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A started :class:`replay.ReplayServer` on 127.0.0.1 (free port), stopped afterwards.

    A route the test declared but no request hit fails the test (like arxiv.py's unused
    fixtures): it means the test no longer exercises what it was written for. A test that
    declares routes it expects to stay unused (to show a request is *not* made) says so with
    ``@pytest.mark.unused_routes("why")``.
    """
    from replay import ReplayServer

    server = ReplayServer()
    shared: set[int] = set()  # routes of a recorded scenario: a test uses the part it needs
    load_scenario = server.load_scenario

    def load_shared(directory: Any) -> None:
        before = len(server.routes)
        load_scenario(directory)
        shared.update(id(r) for r in server.routes[before:])

    server.load_scenario = load_shared
    server.start()
    try:
        yield server
    finally:
        server.stop()
    if request.node.get_closest_marker("unused_routes") is None:
        unused = unused_routes(server, skip=shared)
        if unused:
            got = "; ".join(f"{r.method} {r.path} {r.query}" for r in server.requests)
            pytest.fail(
                "replay routes declared but never requested: "
                + "; ".join(unused)
                + f" (requests received: {got or 'none'})",
                pytrace=False,
            )


def unused_routes(server: Any, skip: AbstractSet[int] = frozenset()) -> list[str]:
    """``METHOD path {query}`` of every route of ``server`` that no request hit, except the
    routes whose ``id`` is in ``skip``."""
    return [
        f"{r.method} {r.path}" + (f" {r.query}" if r.query else "")
        for r in server.routes
        if r.hits == 0 and id(r) not in skip
    ]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "unused_routes(reason): this test declares replay routes it expects no request to hit",
    )


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never write into the user's cache dir (parse cache, HTTP cache)."""
    import os

    old = os.environ.get("PUBMAN_CACHE_DIR")
    os.environ["PUBMAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("pubman-cache"))
    yield
    if old is None:
        os.environ.pop("PUBMAN_CACHE_DIR", None)
    else:
        os.environ["PUBMAN_CACHE_DIR"] = old


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files in tests/data/golden/ from the current output "
        "(same as PUBMAN_REGEN_GOLDEN=1). Review the diff before committing.",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files should be rewritten instead of compared."""
    import os

    return bool(request.config.getoption("--regen-golden")) or os.environ.get(
        "PUBMAN_REGEN_GOLDEN", ""
    ) not in ("", "0")
