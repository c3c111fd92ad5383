"""The control-character guard on rich holds whether rich is imported before or after it is
installed (each case in a fresh interpreter, since the import happens once per process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

_CHECK = """
from rich.text import Text
assert Text("a\\x1b]52;c;ZXZpbA==\\x07b\\x1b[2J").plain == "ab", repr(Text("a\\x1b[2Jb").plain)
"""


@pytest.mark.parametrize("rich_first", [False, True])
def test_rich_text_strips_escapes_from_bib_data(rich_first: bool) -> None:
    setup = "import rich.text\n" if rich_first else ""
    code = setup + "from pubman.cli import richsafe\nrichsafe.install()\n" + _CHECK
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_installing_the_guard_does_not_import_rich() -> None:
    code = (
        "import sys\nfrom pubman.cli import richsafe\nrichsafe.install()\n"
        "assert 'rich' not in sys.modules, 'rich imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
