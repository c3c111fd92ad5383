"""Every rich ``Text`` pubman prints (tables of dedup, check, stats, the terminal list) drops
escape sequences and control characters from .bib data, not only the few rich drops itself: an
OSC 52 or a clear-screen in a title must not reach the terminal.

rich has no hook for this, so its ``rich.text.strip_control_codes`` is replaced by
:func:`pubman.text.controls.strip_controls`. Importing ``rich.text`` costs ~35 ms, and most
runs (a piped ``format``, ``export``, ``sync --json``) never print through rich, so
:func:`install` patches at once only when rich is already loaded; otherwise a one-shot import
hook patches ``rich.text`` right after it is first imported, whoever imports it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

from pubman.text.controls import strip_controls

_MODULE = "rich.text"


def _patch(module: ModuleType) -> None:
    setattr(module, "strip_control_codes", strip_controls)  # noqa: B010 -- untyped on purpose


class _Hook:
    """Finds nothing itself: wraps the real loader of ``rich.text`` so the patch follows it."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)  # the finders after this one
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module: ModuleType) -> None:
            exec_module(module)
            _patch(module)

        loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


def install() -> None:
    """Make every rich Text in this process strip control characters (idempotent)."""
    module = sys.modules.get(_MODULE)
    if module is not None:
        _patch(module)
    elif not any(isinstance(f, _Hook) for f in sys.meta_path):
        sys.meta_path.insert(0, _Hook())
