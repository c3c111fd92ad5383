"""Attack: fuzzed .bib files through every read command, in-process (fixed seed, bounded).

Seeds are the bundled tests/data/cv-as-stated.bib plus, when the shared corpus is beside the
repository, up to 6 small corpus files (smallest first). Each seed gets structure-level
mutations (unbalanced braces, a stray ``@``, a stray quote, NUL, BOM, mixed line endings,
invalid UTF-8, 100,000 nested braces, a 100,000-character value, a truncated file) and random
byte-level ones (flips, inserts, deletes of special bytes). Every case runs check, format,
stats and dedup. Assert: no traceback (only a clean exit code), each run under 2 s, and the
file is byte-identical afterwards.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from _corpus import CORPUS, DATA
from clirun import run_cli

SEED = 20261202
BYTE_CASES = 6  # random byte-level mutations per seed file


def _seeds() -> list[Path]:
    seeds = [DATA / "cv-as-stated.bib"]
    if CORPUS.is_dir():
        small = sorted(
            (p for p in CORPUS.rglob("*.bib") if 2_000 < p.stat().st_size < 40_000),
            key=lambda p: (p.stat().st_size, str(p)),
        )
        seeds += small[:: max(1, len(small) // 6)][:6]
    return seeds


def _structural() -> dict[str, Callable[[bytes, random.Random], bytes]]:
    def at(data: bytes, rng: random.Random, ins: bytes) -> bytes:
        i = rng.randrange(len(data) + 1)
        return data[:i] + ins + data[i:]

    return {
        "open-brace": lambda d, r: at(d, r, b"{"),
        "close-brace": lambda d, r: at(d, r, b"}"),
        "stray-at": lambda d, r: at(d, r, b"\n@"),
        "quote": lambda d, r: at(d, r, b'"'),
        "nul": lambda d, r: at(d, r, b"\x00"),
        "bom": lambda d, r: b"\xef\xbb\xbf" + d,
        "mixed-eol": lambda d, r: d.replace(b"\n", b"\r\n", d.count(b"\n") // 2),
        "bad-utf8": lambda d, r: at(d, r, b"\xff\xfe\xc3"),
        "nested-100k": lambda d, r: (
            d + b"@misc{deep, title = " + b"{" * 100_000 + b"}" * 100_000 + b"}\n"
        ),
        "long-value": lambda d, r: d + b"@misc{long, title = {" + b"a " * 50_000 + b"}}\n",
        "truncated": lambda d, r: d[: len(d) // 2],
        "escapes": lambda d, r: at(d, r, b"\x1b]52;c;aGk=\x07\x1b[2J"),
    }


def _byte_level(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out) or 1)
        op = rng.random()
        if op < 0.4 and out:
            out[i % len(out)] = rng.choice(b'{}@"#%,=\\\x00\n\r\xff')
        elif op < 0.7:
            out[i:i] = bytes([rng.choice(b'{}@"#%,=\\\n')])
        elif out:
            del out[i % len(out)]
    return bytes(out)


def _cases() -> list[tuple[str, bytes]]:
    rng = random.Random(SEED)
    cases: list[tuple[str, bytes]] = []
    for seed in _seeds():
        data = seed.read_bytes()
        for name, mutate in _structural().items():
            cases.append((f"{seed.stem}:{name}", mutate(data, rng)))
        for k in range(BYTE_CASES):
            cases.append((f"{seed.stem}:bytes{k}", _byte_level(data, rng)))
    return cases


COMMANDS = [["check"], ["format"], ["format", "--to", "latex"], ["stats"], ["dedup"]]
CASES = _cases()


@pytest.mark.parametrize(("name", "data"), CASES, ids=[n for n, _ in CASES])
def test_fuzzed_file_never_tracebacks_and_is_never_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes
) -> None:
    path = tmp_path / "pubs.bib"
    path.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    for args in COMMANDS:
        start = time.perf_counter()
        res = run_cli(["--bib", str(path), "--owner", "Ann Lee", *args])
        took = time.perf_counter() - start
        # a PubmanError is a clean `error:` line (exit 1); anything else is an internal error
        assert "internal error" not in res.stderr and res.code in (0, 1), (
            f"{name} {args}: {res.code}: {res.stderr[-500:]}"
        )
        assert took < 2.0, f"{name} {args}: {took:.1f} s"
        assert path.read_bytes() == data, f"{name} {args} changed the file"
