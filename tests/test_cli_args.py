"""The command line's own layer (pubman.cli.args on argparse): what a user sees when a word is
wrong, the help, the prompts, and which modules a run loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from clirun import run_cli

from pubman.cli.app import COMMANDS
from pubman.cli.args import Abort, confirm

REPO = Path(__file__).resolve().parents[1]


def _lines(err: str) -> list[str]:
    return err.strip().splitlines()


def test_a_misspelt_option_names_the_close_ones() -> None:
    res = run_cli(["check", "--jsn"])
    assert res.code == 2
    assert _lines(res.stderr) == [
        "error: No such option '--jsn'. (Did you mean '--json'?)",
        "  see `pubman check --help`",
    ]


def test_a_misspelt_command_names_the_close_one() -> None:
    res = run_cli(["fromat"])
    assert res.code == 2
    assert _lines(res.stderr)[0] == "error: No such command 'fromat'. (Did you mean 'format'?)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["format", "--style", "x"], "Invalid value for '--style': 'x' is not one of 'cv', 'web'."),
        (
            ["format", "--since", "abc"],
            "Invalid value for '--since': 'abc' is not a valid integer.",
        ),
        (["stats", "--dpi", "5"], "Invalid value for '--dpi': 5 is not in the range 30<=x<=1200."),
        (
            ["dedup", "--threshold", "2"],
            "Invalid value for '--threshold': 2.0 is not in the range 0.0<=x<=1.0.",
        ),
        (["format", "--style"], "Option '--style' requires an argument."),
        (["format", "-o"], "Option '--output' requires an argument."),
        (["format", "--strict=1"], "Option '--strict' does not take a value."),
        (["dedup", "--not-duplicate", "a"], "Option '--not-duplicate' requires 2 arguments."),
        (["add"], "Missing argument 'ID...'."),
        (["check", "foo"], "Got unexpected extra argument (foo)"),
        (["--bib", "pubs.bib"], "Missing command."),
    ],
)
def test_usage_errors_are_one_line_and_the_commands_help(args: list[str], message: str) -> None:
    res = run_cli(args)
    assert res.code == 2 and res.stdout == ""
    command = next((a for a in args if a in COMMANDS), None)
    assert _lines(res.stderr) == [
        f"error: {message}",
        f"  see `pubman{' ' + command if command else ''} --help`",
    ]


def test_a_global_option_after_the_command_says_where_it_goes() -> None:
    res = run_cli(["stats", "--owner=Ann"])
    assert res.code == 2
    assert _lines(res.stderr) == [
        "error: No such option '--owner' after the command.",
        "  --owner is a global option: put it before the command, e.g. `pubman --owner ... stats`",
    ]


def test_the_help_lists_every_command_with_its_line_and_every_global_option() -> None:
    res = run_cli(["--help"])
    assert res.code == 0 and res.stdout.startswith("Usage: pubman [OPTIONS] COMMAND [ARGS]...")
    flat = " ".join(res.stdout.split())
    for name, line in COMMANDS.items():
        assert f"{name} {line}" in flat
    for word in ("--bib PATH", "--owner NAME", "--config PATH", "--lenient", "--encoding NAME"):
        assert word in flat
    assert "-V, --version Show the version and exit." in flat
    assert run_cli([]).stdout == res.stdout  # bare `pubman` is the help, exit 0


def test_a_commands_help_keeps_every_options_text_defaults_and_ranges() -> None:
    res = run_cli(["stats", "-h"])
    assert res.code == 0 and res.stdout.startswith("Usage: pubman stats [OPTIONS]")
    flat = " ".join(res.stdout.split())
    assert "--chart, --no-chart With --format table: bars per year, stacked by kind." in flat
    assert "[default: chart]" in flat and "[default: 150; 30<=x<=1200]" in flat
    assert "--by [venue,year|venue|year|kind]" in flat
    sync = " ".join(run_cli(["sync", "--help"]).stdout.split())
    assert "PUBMAN_HTTP_RETRIES attempts per request" in sync  # the environment epilog


def test_repeated_options_and_intermixed_arguments_all_count() -> None:
    bib = ["--bib", str(REPO / "pubs.bib")]
    journal = run_cli([*bib, "export", "--type", "journal"]).stdout
    both = run_cli([*bib, "export", "--type", "journal", "--type", "workshop"]).stdout
    assert journal.count("@") < both.count("@")
    # keys before and after an option are all keys
    keys = {"bae2025mixture", "gozeten2025continuous"}
    res = run_cli([*bib, "export", "bae2025mixture", "--since", "1900", "gozeten2025continuous"])
    assert res.code == 0, res.stderr
    exported = {
        line.split("{")[1].rstrip(",") for line in res.stdout.splitlines() if line[:1] == "@"
    }
    assert exported == keys


def test_confirm_takes_the_default_on_enter_and_aborts_at_the_end_of_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("\nmaybe\ny\n"))
    assert confirm("merge?", default=True) is True
    assert confirm("merge?") is True  # "maybe" is asked again, then "y"
    out = capsys.readouterr().out
    assert out == "merge? [Y/n]: merge? [y/N]: Error: invalid input\nmerge? [y/N]: "
    with pytest.raises(Abort):
        confirm("merge?", err=True)
    assert capsys.readouterr().err == "merge? [y/N]: "


def test_an_abort_writes_nothing_and_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from pubman.cli import check

    def declined(*args: object, **kwargs: object) -> None:
        raise Abort()

    monkeypatch.setattr(check.command, "run", declined)
    res = run_cli(["check"])
    assert res.code == 130 and _lines(res.stderr) == ["aborted; nothing was written"]


@pytest.mark.parametrize("args", [["--version"], ["format", "--style", "cv"]])
def test_version_and_format_load_neither_the_network_nor_fuzzy_matching(args: list[str]) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['pubman', *{args!r}]\n"
        "try:\n"
        "    from pubman.cli.app import main\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "loaded = {'click', 'requests', 'rapidfuzz', 'difflib'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PUBMAN_NO_OUTPUT_CACHE": "1", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
