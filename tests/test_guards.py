"""Guards the other tests rely on: unused replay routes fail a test, nothing outside ``cli``
imports it, and the README documents every command and option and the library API as it
works."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pubman.cli.args import Command, Option

pytest_plugins = ("pytester",)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pubman"
README = (ROOT / "README.md").read_text(encoding="utf-8")


# --- replay routes ------------------------------------------------------------------------


def _replay_project(pytester: pytest.Pytester, test: str) -> None:
    (pytester.path / "tests").mkdir()
    (pytester.path / "scripts").mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", pytester.path / "tests" / "conftest.py")
    shutil.copy(ROOT / "tests" / "replay.py", pytester.path / "tests" / "replay.py")
    shutil.copy(ROOT / "scripts" / "replay_server.py", pytester.path / "scripts")
    (pytester.path / "tests" / "test_it.py").write_text(test, encoding="utf-8")


ROUTES_TEST = """
import urllib.request
import pytest
from replay import json_reply


def test_hits_its_route(replay_server):
    replay_server.add("GET", "/used", json_reply({}))
    urllib.request.urlopen(replay_server.url + "/used").read()


def test_declares_a_route_it_never_asks(replay_server):
    replay_server.add("GET", "/used", json_reply({}))
    replay_server.add("GET", "/forgotten", json_reply({}))
    urllib.request.urlopen(replay_server.url + "/used").read()


@pytest.mark.unused_routes("shows that nothing is asked")
def test_says_the_route_stays_unused(replay_server):
    replay_server.add("GET", "/never", json_reply({}))
"""


def test_a_replay_route_never_requested_fails_its_test(pytester: pytest.Pytester) -> None:
    _replay_project(pytester, ROUTES_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "tests/test_it.py")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*declared but never requested: GET /forgotten*"])
    assert "/never" not in result.stdout.str()


# --- layering -----------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_no_module_outside_cli_imports_cli() -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in _imports(path) if m == "pubman.cli" or m.startswith("pubman.cli.")
        )
        for path in SRC.rglob("*.py")
        if "cli" not in path.relative_to(SRC).parts and path.name != "__main__.py"
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_commands_and_the_app_do_not_import_each_other() -> None:
    cli_dir = SRC / "cli"
    for path in cli_dir.glob("*.py"):
        if path.name not in ("app.py", "__init__.py"):
            assert "pubman.cli.app" not in _imports(path), path.name
    # the package itself imports nothing at import time (main() imports the app when called)
    init = ast.parse((cli_dir / "__init__.py").read_text(encoding="utf-8"))
    assert not [
        n
        for n in init.body
        if isinstance(n, (ast.Import, ast.ImportFrom)) and n.module != "__future__"
    ]


# --- the README ---------------------------------------------------------------------------


def _commands() -> dict[str, Command]:
    from pubman.cli.app import COMMANDS, load_command

    return {name: load_command(name) for name in COMMANDS}


def _documented(opt: Option) -> bool:
    """One of the option's names (``-o`` or ``--output``; ``--chart`` or ``--no-chart``)
    appears in the README as a word of its own."""
    names = (*opt.names, opt.off) if opt.off else opt.names
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", README) for name in names)


def test_the_readme_documents_every_command_and_option() -> None:
    from pubman.cli.app import GLOBALS

    top = (*GLOBALS, Option("-V", "--version"))
    missing = [f"pubman {p.names[-1]}" for p in top if not _documented(p)]
    for name, cmd in _commands().items():
        if f"pubman {name}" not in README:
            missing.append(f"command {name}")
        missing += [f"{name} {max(p.names, key=len)}" for p in cmd.options if not _documented(p)]
    assert missing == [], "not in README.md: " + ", ".join(missing)


def _library_example() -> str:
    section = README.split("## Library", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert blocks, "the README's Library section has no python example"
    return "\n".join(blocks)


def test_the_readme_library_example_runs_as_shown(tmp_path: Path) -> None:
    example = _library_example()
    assert "pubman.load(" in example
    bib = tmp_path / "pubs.bib"
    shutil.copy(ROOT / "tests" / "data" / "scenario" / "pubs-before.bib", bib)
    done = subprocess.run(
        [sys.executable, "-c", example],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    # what the comments promise: the entry's type and title printed, only that entry's text
    # rewritten, the old file kept as pubs.bib.bak
    assert done.stdout.startswith("inproceedings Improving generalization by controlling")
    # the Work view's lines (this copy of the file has no DOI for the entry; pubs.bib has)
    assert "\n2205.06915 None 2022 ITW workshop\n" in done.stdout
    assert "\nHarutyunyan, Ver Steeg, Galstyan False\n" in done.stdout
    from pubman.store.bibliography import load

    before = load(tmp_path / "pubs.bib.bak")
    after = load(bib)
    assert list(after.entries) == list(before.entries)
    assert after.entries["harutyunyan2020improving"].get("note") == "Oral"
    changed = [k for k in after.entries if after.entry_text(k) != before.entry_text(k)]
    assert changed == ["harutyunyan2020improving"]


def test_the_package_exports_the_library_api_without_loading_the_store() -> None:
    code = (
        "import sys, pubman\n"
        "assert 'pubman.store.bibliography' not in sys.modules\n"
        "assert set(pubman.__all__) >= {'load', 'Bibliography', 'Work', 'work_of'}\n"
        "assert 'pubman.work' not in sys.modules\n"
        "bib = pubman.load('pubs.bib')\n"
        "assert isinstance(bib, pubman.Bibliography)\n"
        "assert isinstance(pubman.work_of(next(iter(bib.entries.values()))), pubman.Work)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
