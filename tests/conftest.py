"""Shared pytest fixtures. Append new fixtures; keep each one's imports local to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def replay_server() -> Iterator[Any]:
    """A started :class:`replay.ReplayServer` on 127.0.0.1 (free port), stopped afterwards."""
    from replay import ReplayServer

    server = ReplayServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


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
