"""The unified diff that ``--dry-run`` prints (``sync``, ``add``, ``dedup --apply``)."""

from __future__ import annotations

import difflib


def unified(before: str, after: str, path: str, after_label: str) -> str:
    """``before`` -> ``after`` as a unified diff of ``path``; '' when they are equal."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=path,
            tofile=f"{path} ({after_label})",
        )
    )
