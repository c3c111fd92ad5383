"""The console script ends with a quick exit (no interpreter teardown): what a user sees of a
finished command must be exactly what a normal exit gives: every byte of output (also past
a pipe's buffer), the exit code, ``atexit`` handlers, and threads that are still working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests._cli import run_pubman
from tests.clirun import run_cli

REPO = Path(__file__).resolve().parents[1]


def _bib(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "pubs.bib"
    path.write_text(
        "".join(
            f"@inproceedings{{k{i},\n  title = {{A Study of Things Number {i}}},\n"
            f"  author = {{Ada Lovelace and Alan Turing and Grace Hopper}},\n"
            f"  booktitle = {{NeurIPS}},\n  year = {{{2000 + i % 25}}},\n}}\n\n"
            for i in range(n)
        ),
        encoding="utf-8",
    )
    return path


def test_output_past_a_pipe_buffer_is_complete_and_equals_the_in_process_run(
    tmp_path: Path,
) -> None:
    bib = _bib(tmp_path, 3000)  # ~300 KB of output: several times a pipe's 64 KiB
    args = ["--bib", str(bib), "--owner", "Ada Lovelace", "format", "--style", "cv"]
    env = {"PUBMAN_NO_OUTPUT_CACHE": "1", "PUBMAN_CACHE_DIR": str(tmp_path / "cache")}
    done = run_pubman(*args, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 4 * 65536
    assert done.stdout.count("\n") == 3000
    assert done.stdout == run_cli(args, env=env).stdout


def test_exit_codes_are_those_of_a_normal_exit(tmp_path: Path) -> None:
    missing = run_pubman("--bib", str(tmp_path / "nope.bib"), "format", cwd=tmp_path)
    assert missing.returncode == 1 and "nope.bib" in missing.stderr
    usage = run_pubman("fromat", cwd=tmp_path)
    assert usage.returncode == 2 and "format" in usage.stderr
    assert run_pubman("--version", cwd=tmp_path).returncode == 0


def _script(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    code = "import sys\n" + body + "from pubman.cli import main\nmain(['--version'])\n"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=60,
    )


def test_atexit_handlers_still_run(tmp_path: Path) -> None:
    done = _script(
        tmp_path, "import atexit\natexit.register(lambda: print('handler ran', file=sys.stderr))\n"
    )
    assert done.returncode == 0 and "handler ran" in done.stderr
    assert done.stdout.startswith("pubman, version ")


def test_a_thread_still_working_is_waited_for(tmp_path: Path) -> None:
    flag = tmp_path / "written"
    done = _script(
        tmp_path,
        "import threading, time\n"
        f"def work():\n    time.sleep(0.3)\n    open({str(flag)!r}, 'w').write('done')\n"
        "threading.Thread(target=work).start()\n",
    )
    assert done.returncode == 0, done.stderr
    assert flag.read_text() == "done"


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    bib = _bib(tmp_path, 3000)
    env = {**os.environ, "PUBMAN_NO_OUTPUT_CACHE": "1", "PUBMAN_CACHE_DIR": str(tmp_path / "c")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pubman", "--bib", str(bib), "format", "--style", "cv"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert first.startswith(b"- [1] ")
    assert "Traceback" not in err and "Exception ignored" not in err
    assert proc.returncode == 0
