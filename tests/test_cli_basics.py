"""The CLI as a user meets it: check, init, config, broken input, every command has help."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import tomllib
from _cli import run_pubman
from _corpus import REPO

PUBS = REPO / "pubs.bib"


def run(
    *args: str, cwd: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess[str]:
    return run_pubman(*args, cwd=cwd, env=env, timeout=120)


def test_check_on_bundled_pubs_reports_nothing() -> None:
    proc = run("check", cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "20 entries, no problems" in proc.stdout


def test_check_json_lists_problems_with_lines(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "@article{a,\n  author = {Smith, J. and and Doe, J.},\n  title = {T},\n  year = 2020\n}\n"
        "@misc{a,\n  title = {Again}\n}\n"
        "@inproceedings{b,\n  author = {Doe, Jane et al.},\n  title = {U},\n  year = 2021\n}\n",
        encoding="utf-8",
    )
    proc = run("--bib", str(bib), "--owner", "Jane Doe", "check", "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    kinds = {(p["line"], p["kind"]) for p in data["problems"]}
    assert (1, "missing-field") in kinds  # article without journal
    assert (1, "empty-name") in kinds
    assert (6, "duplicate-key") in kinds
    assert (9, "missing-field") in kinds  # no booktitle
    assert (9, "et-al") in kinds


def test_check_with_many_problems_prints_one_line_each(tmp_path: Path) -> None:
    # 300 articles without a journal: one editor-style file:line line per problem, not a table
    bib = tmp_path / "big.bib"
    bib.write_text(
        "".join(
            f"@article{{k{i},\n  author = {{Doe, J.}},\n  title = {{T{i}}},\n  year = 2020\n}}\n"
            for i in range(300)
        ),
        encoding="utf-8",
    )
    proc = run("--bib", str(bib), "check", "--no-owner")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == f"300 problem(s) in {bib}:"
    assert lines[1].startswith(f"{bib}:1: missing-field: ")
    assert lines[-1].startswith(f"{bib}:{5 * 299 + 1}: missing-field: ")
    assert len(lines) == 301


@pytest.mark.parametrize("command", ["format", "stats", "export"])
def test_reading_commands_name_a_broken_entry_once(tmp_path: Path, command: str) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "@misc{good, author = {Ana Ruiz}, title = {Fine}, year = 2001}\n"
        "@misc{bad, title = {Broken, year = 2002}\n",
        encoding="utf-8",
    )
    proc = run("--bib", str(bib), "--owner", "Ana Ruiz", command)
    assert proc.returncode == 0, proc.stderr
    expected = (
        f"warning: {bib}:2: cannot parse @misc{{bad: entry 'bad' is not closed: missing '}}' "
        "(line 2); kept verbatim; skipped (`pubman check` lists every problem)"
    )
    assert proc.stderr.splitlines() == [expected]


def test_check_reports_owner_missing_and_twice(tmp_path: Path) -> None:
    bib = tmp_path / "x.bib"
    bib.write_text(
        "@misc{a, author = {Roe, Richard}, title = {T}}\n"
        "@misc{b, author = {Doe, Jane and Doe, J.}, title = {U}}\n"
        "@misc{c, author = {J. Doe and Roe, R.}, title = {V}}\n",
        encoding="utf-8",
    )
    proc = run("--bib", str(bib), "--owner", "Jane Doe", "check", "--json")
    kinds = {(p["key"], p["kind"]) for p in json.loads(proc.stdout)["problems"]}
    assert kinds == {("a", "owner-missing"), ("b", "owner-twice")}


@pytest.mark.parametrize(
    "content",
    [
        b"@article{a,\n  title = {unbalanced,\n  year = 2000\n}\n",
        b"\x00\xff\xfe garbage \x00",
        b"",
    ],
)
def test_broken_input_one_line_nonzero_untouched(tmp_path: Path, content: bytes) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_bytes(content)
    for cmd in (["check"], ["format"], ["stats"]):
        proc = run("--bib", str(bib), *cmd)
        assert proc.returncode != 0, (cmd, proc.stdout)
        assert "Traceback" not in proc.stderr
        if content and cmd != ["check"]:
            assert proc.stderr.strip().startswith("error:") or "cannot parse" in proc.stdout
        assert bib.read_bytes() == content


def test_missing_file_directory_and_unreadable(tmp_path: Path) -> None:
    proc = run("--bib", str(tmp_path / "none.bib"), "check")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "no such file" in proc.stderr
    proc = run("--bib", str(tmp_path), "check")
    assert proc.returncode == 1 and "is a directory" in proc.stderr
    bib = tmp_path / "locked.bib"
    bib.write_text("@misc{a, title={T}}\n", encoding="utf-8")
    bib.chmod(0)
    try:
        if os.geteuid() == 0:
            pytest.skip("root can read any file; permission errors cannot be provoked")
        proc = run("--bib", str(bib), "check")
        assert proc.returncode == 1 and "permission denied" in proc.stderr
    finally:
        bib.chmod(0o644)


def test_wrong_flag_is_a_usage_error() -> None:
    proc = run("check", "--no-such-flag")
    assert proc.returncode == 2
    assert "No such option" in proc.stderr


def test_bad_config_is_one_clear_line(tmp_path: Path) -> None:
    shutil.copy(PUBS, tmp_path / "pubs.bib")
    (tmp_path / "pubman.toml").write_text("[owner\nname = 1\n", encoding="utf-8")
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "not valid TOML" in proc.stderr
    (tmp_path / "pubman.toml").write_text("[owner]\nnmae = 'X'\n", encoding="utf-8")
    proc = run("check", cwd=tmp_path)
    assert "unknown key 'nmae'" in proc.stderr


def test_no_config_says_what_it_assumed(tmp_path: Path) -> None:
    shutil.copy(PUBS, tmp_path / "pubs.bib")
    proc = run("check", "--no-owner", cwd=tmp_path)
    assert "using ./pubs.bib" in proc.stderr
    assert proc.returncode == 0


def test_config_next_to_bib_and_owner_override(tmp_path: Path) -> None:
    shutil.copy(PUBS, tmp_path / "pubs.bib")
    shutil.copy(REPO / "pubman.toml", tmp_path / "pubman.toml")
    proc = run("--bib", str(tmp_path / "pubs.bib"), "check")
    assert proc.returncode == 0
    proc = run("--bib", str(tmp_path / "pubs.bib"), "--owner", "Somebody Else", "check", "--json")
    assert proc.returncode == 1
    assert {p["kind"] for p in json.loads(proc.stdout)["problems"]} == {"owner-missing"}


def test_init_writes_config_and_empty_bib(tmp_path: Path) -> None:
    proc = run("--owner", "Ada Lovelace", "init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cfg = (tmp_path / "pubman.toml").read_text(encoding="utf-8")
    assert 'name = "Ada Lovelace"' in cfg and cfg.count("#") > 5
    assert (tmp_path / "pubs.bib").read_bytes() == b""
    proc = run("init", cwd=tmp_path)  # refuses to overwrite: one error line and a hint
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: pubman.toml: already exists") and "--force" in proc.stderr
    assert proc.stderr.count("\n") == 2
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 1 and "no entries" in proc.stdout


@pytest.mark.parametrize("command", ["init", "check", "format", "sync", "add", "dedup", "stats"])
def test_every_command_has_help(command: str) -> None:
    proc = run(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Usage: pubman " + command in proc.stdout


def test_version_and_module_entry() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("pubman, version ")


@pytest.mark.parametrize("name", ['Ada "The Countess" Lovelace', "Back\\slash", "Tab\there"])
def test_init_writes_valid_toml_for_any_name(tmp_path: Path, name: str) -> None:
    # Regression: only '"' was escaped, so a backslash gave a pubman.toml pubman could not read.
    proc = run("init", "--name", name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cfg = tomllib.loads((tmp_path / "pubman.toml").read_text(encoding="utf-8"))
    assert cfg["owner"]["name"] == name


def test_init_with_config_elsewhere_points_at_the_bib_it_created(tmp_path: Path) -> None:
    # Regression: `--config conf/pubman.toml init` wrote bib = "pubs.bib" (conf/pubs.bib)
    # but created ./pubs.bib, so the next command could not find the bib.
    (tmp_path / "conf").mkdir()
    proc = run("--config", "conf/pubman.toml", "--owner", "Ada Lovelace", "init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "pubs.bib").exists()
    proc = run("--config", "conf/pubman.toml", "check", cwd=tmp_path)
    assert "no entries" in proc.stdout, proc.stderr


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: (d / "pubman.toml").write_bytes(b'bib = "caf\xe9.bib"\n'), "is not UTF-8"),
        (lambda d: (d / "conf").mkdir(), "is a directory"),
    ],
)
def test_config_problems_are_one_error_line(tmp_path: Path, setup: object, message: str) -> None:
    # Regression: a Latin-1 pubman.toml was an "internal error"; --config naming a folder
    # said "no such config file".
    setup(tmp_path)  # type: ignore[operator]
    args = ["--config", "conf"] if (tmp_path / "conf").exists() else []
    proc = run(*args, "check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


@pytest.mark.parametrize("line", ["venues = 3", "format = 'cv'"])
def test_config_sections_of_the_wrong_type_are_one_error_line(tmp_path: Path, line: str) -> None:
    # Regression: `venues = 3` reached the venue table code and was an "internal error".
    shutil.copy(PUBS, tmp_path / "pubs.bib")
    (tmp_path / "pubman.toml").write_text(line + "\n", encoding="utf-8")
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "must be a table" in proc.stderr


def test_usage_errors_are_one_line_with_a_way_out() -> None:
    proc = run("format", "--bib", "x.bib")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == "error: No such option '--bib' after the command."
    assert "put it before the command" in lines[1] and len(lines) == 2
    proc = run("format", "--type", "bogus")
    assert proc.returncode == 2 and proc.stderr.startswith("error: Invalid value for '--type'")


@pytest.mark.parametrize(
    "target, args",
    [
        ("pubs.bib", []),
        ("other.bib", []),
        ("pubman.toml", []),
        ("list.xyz", []),
        ("list.md", ["--to", "terminal"]),
    ],
)
def test_format_output_never_overwrites_inputs(
    tmp_path: Path, target: str, args: list[str]
) -> None:
    shutil.copy(PUBS, tmp_path / "pubs.bib")
    shutil.copy(REPO / "pubman.toml", tmp_path / "pubman.toml")
    (tmp_path / "other.bib").write_text("@misc{a, title={A}}\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    proc = run("format", "-o", target, *args, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("error: ")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_format_rejects_since_after_until() -> None:
    proc = run("format", "--since", "2030", "--until", "2020", cwd=REPO)
    assert proc.returncode == 2 and "--since 2030 is after --until 2020" in proc.stderr


def test_bare_pubman_prints_help() -> None:
    proc = run()
    assert proc.returncode == 0
    assert proc.stdout.startswith("Usage: pubman") and "format" in proc.stdout
    assert "error" not in proc.stderr
