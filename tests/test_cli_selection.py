"""format and export share one declaration of --since/--until/--type (pubman.cli.selection)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.clirun import run_cli

from pubman.cli import selection
from pubman.venues import KINDS


def test_the_selectable_kinds_are_the_venue_kinds_in_one_order() -> None:
    from pubman.formatting.listing import KIND_ORDER
    from pubman.stats.counts import KIND_ORDER as COLUMNS

    assert set(selection.KINDS) == set(KINDS)
    assert selection.KINDS == KIND_ORDER == COLUMNS


@pytest.mark.parametrize("command", ["format", "export"])
def test_years_out_of_order_and_unknown_kinds_are_refused_alike(
    command: str, tmp_path: Path
) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text("@article{a, title={T}, author={A. B}, journal={J}, year={2020}}\n")
    res = run_cli(["--bib", str(bib), command, "--since", "2021", "--until", "2020"])
    assert res.code == 2 and "--since 2021 is after --until 2020" in res.stderr
    res = run_cli(["--bib", str(bib), command, "--type", "poem"])
    assert res.code == 2 and "poem" in res.stderr and "conference" in res.stderr
    res = run_cli(["--bib", str(bib), command, "--type", "journal", "--since", "2020"])
    assert res.code == 0 and "T" in res.stdout
