"""Red-team findings on output: hostile .bib data must not reach a terminal or a PDF as code.

- Terminal escapes (OSC 52 clipboard, window title, clear screen, 8-bit CSI) in a title,
  author or venue pass through no command: format (text, terminal, markdown, html, latex),
  check, dedup (table and --apply), stats.
- LaTeX: control sequences from data that read files, dump them, run code or stop TeX are
  printed as text; only http(s)/mailto/doi (and relative) links are written in \\href or HTML.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from clirun import run_cli

from pubman.formatting.latex import safe_url, sanitize

ESCAPES = [
    "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: write the clipboard
    "\x1b]0;owned\x07",  # window title
    "\x1b[2J\x1b[H",  # clear screen
    "\x9b31m",  # 8-bit CSI
    "\x1bP+q\x1b\\",  # DCS
    "\r",  # a bare CR hides what came before
]
BAD = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]|\x1b[\]P^_X]|\x1b\[[0-9;]*[HJK]")


def _hostile_bib(tmp_path: Path) -> Path:
    esc = "".join(ESCAPES)
    text = f"""@inproceedings{{a,
  title = {{Deep {esc}Learning}},
  author = {{Ann Lee{esc} and Bo Chen}},
  booktitle = {{Conf{esc}erence}},
  year = {{2020}},
  doi = {{10.1/x}},
}}

@inproceedings{{b,
  title = {{Deep {esc}Learning}},
  author = {{Ann Lee and Bo Chen}},
  booktitle = {{Conf{esc}erence}},
  year = {{2020}},
  doi = {{10.1/x}},
}}
"""
    path = tmp_path / "pubs.bib"
    path.write_text(text, encoding="utf-8")
    return path


def _visible(out: str) -> str:
    """Output without rich's own SGR colour codes (pubman's styling, not data)."""
    return re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)", "", out)


COMMANDS = [
    ["format", "--to", "text"],
    ["format", "--to", "markdown"],
    ["format", "--to", "html"],
    ["format", "--to", "latex"],
    ["format"],
    ["check"],
    ["dedup"],
    ["stats"],
    ["stats", "--format", "markdown"],
    ["stats", "--format", "csv"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_no_terminal_escape_from_data_reaches_output(
    tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _hostile_bib(tmp_path)
    before = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    res = run_cli(["--bib", str(path), "--owner", "Ann Lee", *args], color=True)
    assert "internal error" not in res.stderr and res.code in (0, 1), res.output
    out = _visible(res.output)
    assert "Learning" in out or args[0] in ("check", "stats")
    assert not BAD.search(out), repr(out[:400])
    assert path.read_bytes() == before


def test_dedup_apply_prints_no_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _hostile_bib(tmp_path)
    monkeypatch.chdir(tmp_path)
    res = run_cli(["--bib", str(path), "dedup", "--apply", "--yes"], color=True)
    assert "merge" in res.output
    assert not BAD.search(_visible(res.output)), repr(res.output)


@pytest.mark.parametrize(
    "payload",
    [
        r"\InputIfFileExists{/etc/passwd}{}{}",
        r"\pdffiledump offset 0 length 100{/etc/passwd}",
        r"\href{javascript:alert(1)}{click}",
        r"\stop",
        r"\ifx\a\b x\fi",
        r"\immediate\write18{id}",
        r"\csname input\endcsname{/etc/passwd}",
        r"\catcode`\@=11",
        r"\openin5=/etc/passwd",
        r"\lowercase{\input}",
    ],
)
def test_dangerous_control_sequences_from_data_are_printed_not_run(payload: str) -> None:
    out = sanitize(f"Title {payload} end")
    runnable = re.findall(r"(?<!\\textbackslash\{\})\\([A-Za-z]+)", out)
    assert set(runnable) <= {"textbackslash", "b", "a"} | {"c"}, out


def test_harmless_macros_and_accents_still_run() -> None:
    src = r"M{\"u}ller, \c{C}elik, \emph{Deep} $\alpha$-\textsc{Nets} \LaTeX{} \o \ss \& 50\%"
    assert sanitize(src) == src


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://arxiv.org/abs/1", True),
        ("http://x.org", True),
        ("mailto:a@b.org", True),
        ("doi:10.1/x", True),
        ("bib/a.bib", True),
        ("javascript:alert(1)", False),
        ("JaVa\tScRiPt:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,<script>", False),
        ("vbscript:x", False),
    ],
)
def test_only_web_mail_and_doi_links(url: str, ok: bool) -> None:
    assert safe_url(url) is ok


@pytest.mark.parametrize("to", ["html", "latex", "markdown"])
def test_javascript_url_field_is_not_linked(
    tmp_path: Path, to: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pubs.bib"
    path.write_text(
        "@article{a,\n  title = {T},\n  author = {Ann Lee},\n  journal = {J},\n"
        "  year = {2020},\n  url = {javascript:alert(document.cookie)},\n"
        "  pdf = {file:///etc/passwd},\n}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    res = run_cli(["--bib", str(path), "--owner", "Ann Lee", "format", "--to", to])
    assert res.code == 0, res.output
    assert "javascript:" not in res.output.lower().replace("\\", "")
    assert "file://" not in res.output


def test_sanitize_is_linear_on_long_runs() -> None:
    import time

    def t(n: int) -> float:
        s = "$^" + " " * n + r"\alpha{" * (n // 10)
        start = time.perf_counter()
        sanitize.__wrapped__(s)  # type: ignore[attr-defined]
        return time.perf_counter() - start

    t(1000)
    assert t(40000) < 20 * max(t(10000), 1e-3)


if os.name != "posix":  # pragma: no cover
    pytestmark = pytest.mark.skip("terminal escapes are a POSIX terminal concern")
