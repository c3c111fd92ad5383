"""Attack: inputs that scale. Each is timed at two sizes; the bigger (4x) must not cost more
than ~8x the smaller (linear with slack for a busy 2-core machine; quadratic would be 16x).

Red-team cases: ``$^`` followed by spaces in a title (48 s at 3,000), an author with 100,000
spaces (140 s), 10,000 lines each opening a brace (24 s), ``dedup --apply`` with 1,000 to 4,000
merges (15/78/490 s).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from pubman.dedup.merge import apply_plan, plan_merge
from pubman.store import bibliography as bibstore
from pubman.text.latex import latex_to_text
from pubman.text.names import parse_names

RATIO = 8.0
_fresh = itertools.count()  # a new string each call: no cache may answer the second timing


def _ratio(make: Callable[[int], object], small: int, big: int) -> float:
    def timed(n: int) -> float:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            make(n)
            best = min(best, time.perf_counter() - start)
        return max(best, 1e-3)

    timed(small)  # warm caches and imports
    return timed(big) / timed(small)


def test_math_superscript_with_long_space_run_is_linear() -> None:
    assert _ratio(lambda n: latex_to_text(f"$^{' ' * n}x{next(_fresh)}"), 500, 2000) < RATIO


def test_author_with_many_spaces_is_linear() -> None:
    assert _ratio(lambda n: parse_names(f"Ann{' ' * n}Lee{next(_fresh)}"), 5000, 20000) < RATIO


def test_many_unclosed_brace_lines_scan_linearly() -> None:
    def scan(n: int) -> object:
        bib = bibstore.parse("".join(f"@article{{u{i}, title = {{x\n" for i in range(n)))
        assert len(bib.problems) == n
        return bib

    assert _ratio(scan, 500, 2000) < RATIO


def test_many_merges_are_linear() -> None:
    def merge(n: int) -> None:
        text = "".join(
            f"@article{{k{i}x{j},\n  title = {{Work {i}}},\n  author = {{Ann Lee}},\n"
            f"  year = {{2020}},\n  doi = {{10.1/x{i}}},\n}}\n\n"
            for i in range(n)
            for j in range(2)
        )
        bib = bibstore.parse(text)
        entries = dict(bib.entries)
        for i in range(n):
            apply_plan(bib, plan_merge([entries[f"k{i}x0"], entries[f"k{i}x1"]], f"k{i}x0"))
        assert len(bibstore.parse(bib.text()).entries) == n

    assert _ratio(merge, 100, 400) < RATIO
