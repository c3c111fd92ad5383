"""Switches a user asked for: ``sync --no-add``, ``sync --expand-names``, ``[sync] prefer``,
``dedup --apply --dry-run``, and ``--json`` errors as one JSON object on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _synccli import make_workspace

from pubman.store import bibliography as bibstore

PAIR = """% my list
@misc{roulet2022,
  title = {Iterative Linear Quadratic Optimization for Nonlinear Control},
  author = {Vincent Roulet and Srinivasa, S.S. and Maryam Fazel and Zaid Harchaoui},
  year = {2022},
  eprint = {2207.06362},
  archivePrefix = {arXiv},
}

@article{roulet2024,
  author = {Roulet, V. and Srinivasa, S. S. and Fazel, M. and Harchaoui, Z.},
  title = {Iterative linear quadratic optimization for nonlinear control},
  journal = {Open Journal of Mathematical Optimization},
  year = {2024},
  doi = {10.5802/ojmo.33},
}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBMAN_HTTP")}
    return subprocess.run(
        [sys.executable, "-m", "pubman", *args],
        check=False,
        cwd=cwd,
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


# -- sync ----------------------------------------------------------------------------------


def test_no_add_fills_and_upgrades_but_adds_nothing(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    out = ws.sync_json("--no-add")
    assert out["added"] == [] and out["upgraded"] == ["bae2025mixture"]
    assert any(u["key"] == "jain2023meta" for u in out["updated"])
    text = ws.bib.read_text(encoding="utf-8")
    assert "trockman2024mimetic" not in text and "doi = {10.1109/CVPR52729.2023.00353}" in text


def test_expand_names_spells_out_initials_only_when_asked(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    before = ws.sync_json("--dry-run")
    assert any(s["key"] == "versteeg2019fast" for s in before["suggestions"])
    ws.sync_json("--expand-names")
    author = bibstore.load(ws.bib).entries["versteeg2019fast"].get("author")
    assert author.startswith("Ver Steeg, Greg and Harutyunyan, Hrayr")


def test_prefer_source_lets_the_source_win(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    with (ws.root / "pubman.toml").open("a", encoding="utf-8") as f:
        f.write('\n[sync]\nprefer = "source"\n')
    out = ws.sync_json()
    assert not out["suggestions"]
    title = bibstore.load(ws.bib).entries["bae2025relaxed"].get("title")
    assert title != "Relaxed Recursive Transformers: Parameter Sharing with Layer-wise {LoRA}"


@pytest.mark.unused_routes("the config error stops sync before any request")
def test_a_bad_prefer_is_one_error_with_the_way_out(tmp_path, replay_server):
    ws = make_workspace(tmp_path, replay_server)
    with (ws.root / "pubman.toml").open("a", encoding="utf-8") as f:
        f.write('\n[sync]\nprefer = "mine"\n')
    done = ws.run("sync")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("error: ") and "prefer" in lines[0] and lines[1].startswith("  ")


# -- dedup --apply --dry-run ---------------------------------------------------------------


def test_dedup_apply_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text(PAIR, encoding="utf-8")
    done = run("--bib", str(bib), "dedup", "--apply", "--dry-run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert bib.read_text(encoding="utf-8") == PAIR
    assert not list(tmp_path.glob("*.bak"))
    assert "--- pubs.bib\n+++ pubs.bib (after dedup --apply)\n" in done.stdout
    assert "-@article{roulet2024," in done.stdout and "dry run: nothing written" in done.stdout
    as_json = json.loads(
        run("--bib", str(bib), "dedup", "--apply", "--dry-run", "--json", cwd=tmp_path).stdout
    )
    assert as_json["written"] is False and "-@article{roulet2024," in as_json["diff"]
    assert [m["keep"] for m in as_json["merged"]] == ["roulet2022"]
    assert bib.read_text(encoding="utf-8") == PAIR


def test_dedup_dry_run_needs_apply(tmp_path: Path) -> None:
    (tmp_path / "pubs.bib").write_text(PAIR, encoding="utf-8")
    done = run("dedup", "--dry-run", cwd=tmp_path)
    assert done.returncode == 2 and "--dry-run only makes sense with --apply" in done.stderr


# -- --json errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--bib", "nope.bib", "check", "--json"), 1, "no such file"),
        (("--bib", "nope.bib", "dedup", "--json"), 1, "no such file"),
        (("--bib", "nope.bib", "sync", "--json"), 1, "no such file"),
        (("add", "--json", "not-an-id"), 1, "not an arXiv id"),
        (("sync", "--json", "--bogus"), 2, "No such option"),
        (("--bib", "nope.bib", "stats", "--format", "json"), 1, "no such file"),
    ],
)
def test_json_errors_are_one_object_on_stdout(tmp_path: Path, args, code, words) -> None:
    (tmp_path / "pubs.bib").write_text(PAIR, encoding="utf-8")
    done = run(*args, cwd=tmp_path)
    assert done.returncode == code
    error = json.loads(done.stdout)["error"]
    assert set(error) == {"message", "hint", "exit"} and error["exit"] == code
    assert words in error["message"] and error["hint"]
    assert "\nerror: " in "\n" + done.stderr  # people still see it on stderr
    assert (tmp_path / "pubs.bib").read_text(encoding="utf-8") == PAIR


def test_only_semantic_scholars_own_api_may_default_to_saving_an_author_id() -> None:
    from pubman.cli.sync import _real_s2

    assert _real_s2("https://api.semanticscholar.org/graph/v1")
    assert not _real_s2("http://127.0.0.1:8765/graph/v1")  # the README demo's replay server
    assert not _real_s2("https://api.semanticscholar.org.evil.example/graph/v1")


def test_the_prompt_default_does_not_save_an_id_found_on_a_replay_server(tmp_path, replay_server):
    """On a terminal sync asks whether to save the profile it found; against a replay server
    the default (Enter) is no, so pubman.toml stays as it was."""
    import pty
    import select

    ws = make_workspace(tmp_path, replay_server, with_ids=False)
    config = (ws.root / "pubman.toml").read_bytes()
    parent, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pubman", "sync"],
        cwd=ws.root,
        env=ws.env(),
        stdin=child,
        stdout=child,
        stderr=child,
    )
    os.close(child)
    seen = b""
    give_up = time.monotonic() + 30
    while b"]: " not in seen and proc.poll() is None and time.monotonic() < give_up:
        if select.select([parent], [], [], 1)[0]:
            seen += os.read(parent, 4096)
    if b"[y/N]" not in seen:
        proc.kill()
    assert b"not Semantic Scholar itself" in seen and b"[y/N]" in seen, seen
    os.write(parent, b"\n")
    while proc.poll() is None:
        if select.select([parent], [], [], 1)[0]:
            try:
                seen += os.read(parent, 4096)
            except OSError:
                break
    proc.wait(timeout=30)
    os.close(parent)
    assert proc.returncode == 0, seen
    assert (ws.root / "pubman.toml").read_bytes() == config
