"""Where the shared corpus lives (beside the repository), and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DATA = Path(__file__).resolve().parent / "data"


def corpus_file(rel: str) -> Path:
    path = CORPUS / rel
    if not path.is_file():
        pytest.skip(f"shared corpus not present ({rel}); it is beside the repo in CI only")
    return path


def corpus_files(*folders: str) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        files += sorted((CORPUS / folder).rglob("*.bib"))
    return files
