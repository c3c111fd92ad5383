"""Issue 12: the lists researchers publish. Notes and awards, marks with a legend, one form of
the owner's name; checked by oracles nobody here wrote: markdown-it-py (CommonMark), pdflatex
and headless Chromium (each skips with a reason when absent)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _corpus import corpus_file
from clirun import run_cli

from pubman.formatting import BACKENDS, FormatOptions, format_publications, render
from pubman.model import Entry
from pubman.store import bibliography as bibstore

REPO = Path(__file__).resolve().parents[1]
OWNER = ["Hrayr Harutyunyan"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def run(*args: str, config: Path | None = None, bib: Path | None = None) -> str:
    result = run_cli(
        [
            "--config",
            str(config or REPO / "pubman.toml"),
            "--bib",
            str(bib or REPO / "pubs.bib"),
            "format",
            *args,
        ],
        env={"PUBMAN_NO_OUTPUT_CACHE": "1"},
    )
    assert result.code == 0, result.output
    return result.stdout


def entry(**fields: str) -> Entry:
    values = {"title": "T", "author": "Doe, Jane and Harutyunyan, Hrayr and Roe, Rick"}
    values |= {"booktitle": "ICML", "year": "2020"} | fields
    return Entry("k", "inproceedings", values)


def test_quick_start_markdown_renders_as_a_list_of_20_with_the_owner_strong() -> None:
    from markdown_it import MarkdownIt

    for style in ("cv", "web"):
        tokens = MarkdownIt("commonmark").parse(run("--style", style))
        items = [t for t in tokens if t.type == "list_item_open"]
        assert len(items) == 20, style
        html = MarkdownIt("commonmark").render(run("--style", style))
        lis = re.findall(r"<li>(.*?)</li>", html, flags=re.DOTALL)
        assert len(lis) == 20 and all("<strong>" in li for li in lis)
        if style == "web":  # only the owner is bold; the title is a link
            assert all(li.count("<strong>") == 1 for li in lis)


def test_notes_and_awards_print_after_the_venue_in_every_backend() -> None:
    e = entry(note=r"{\textbf{Best Paper Award}}", _note="Oral", pubstate="inpress")
    for style in ("cv", "web"):
        doc = format_publications([e], FormatOptions(style=style), OWNER)
        for backend in BACKENDS:
            out = render(doc, backend)
            assert "Best Paper Award" in out and "Oral" in out and "in press" in out, backend
        assert doc.items[0].record.notes == ("Best Paper Award", "Oral", "in press")
    latex = render(format_publications([e], FormatOptions(), OWNER), "latex")
    assert r"\textbf{Best Paper Award}" in latex  # LaTeX kept for LaTeX
    md = render(format_publications([e], FormatOptions(notes=("_note",)), OWNER), "markdown")
    assert "Oral" in md and "Award" not in md  # [format] notes chooses


def test_annotations_and_advisees_print_marks_and_a_legend() -> None:
    e = entry(**{"author+an": "1=equal; 2=equal,corresponding"})
    doc = format_publications(
        [e], FormatOptions(), OWNER, advisees=["Rick Roe"], display="H. Harutyunyan"
    )
    md = render(doc, "markdown")
    assert md.splitlines()[0] == (
        "\\* equal contribution; † corresponding author; ‡ advisee"  # only marks in use
    )
    assert "J. Doe\\*, **H. Harutyunyan**\\*†, R. Roe‡" in md
    assert r"\textbf{H.~Harutyunyan}\textsuperscript{*†}" in render(doc, "latex")
    assert '<sup class="mark">‡</sup>' in render(doc, "html")
    assert [a.marks for a in doc.items[0].record.authors] == [
        ("equal",),
        ("equal", "corresponding"),
        ("advisee",),
    ]


def test_owner_form_prints_one_form_everywhere() -> None:
    es = [entry(author="Harutyunyan, H."), entry(author="Hrayr Harutyunyan and Doe, J.")]
    for form, shown in (("initials", "H. Harutyunyan"), ("full", "Hrayr Harutyunyan")):
        doc = format_publications(es, FormatOptions(style="web", owner_form=form), OWNER)
        assert re.findall(r"\*\*(.+?)\*\*", render(doc, "markdown")) == [shown, shown]


def _srinivasa(tmp_path: Path) -> tuple[Path, Path]:
    parts = [corpus_file(f"real/srinivasa-cv/siddpubs-{n}.bib") for n in ("conf", "journal")]
    parts.append(corpus_file("real/srinivasa-cv/siddpubs-misc.bib"))
    bib = tmp_path / "sid.bib"
    bib.write_text("\n".join(p.read_text(encoding="utf-8") for p in parts), encoding="utf-8")
    config = tmp_path / "pubman.toml"
    config.write_text(
        '[owner]\nname = "Siddhartha S. Srinivasa"\ndisplay = "S. S. Srinivasa"\n',
        encoding="utf-8",
    )
    return bib, config


def test_srinivasa_every_award_prints_in_every_backend(tmp_path: Path) -> None:
    bib, config = _srinivasa(tmp_path)
    entries = bibstore.load(bib).entries.values()
    awards = sum(e.get("note").count("Award") for e in entries)
    assert awards >= 20
    for style in ("cv", "web"):
        for backend in ("markdown", "latex", "html", "text", "json"):
            out = run("--style", style, "--to", backend, config=config, bib=bib)
            assert out.count("Award") == awards, (style, backend)
    page = run("--style", "web", "--to", "html", "--standalone", config=config, bib=bib)
    owners = set(re.findall(r'<strong class="owner">(.*?)</strong>', page))
    assert owners == {"S. S. Srinivasa"}


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex (TeX Live) not installed")
@pytest.mark.parametrize("style", ["cv", "web"])
def test_standalone_latex_compiles_with_pdflatex(style: str, tmp_path: Path) -> None:
    tex = tmp_path / f"{style}.tex"
    tex.write_text(run("--style", style, "--to", "latex", "--standalone"), encoding="utf-8")
    proc = subprocess.run(
        ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / f"{style}.pdf").stat().st_size > 1000


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian package chromium)")
def test_standalone_page_in_headless_chromium(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    page = tmp_path / "index.html"
    page.write_text(run("--style", "web", "--to", "html", "--standalone"), encoding="utf-8")
    proc = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    dom = proc.stdout
    assert proc.returncode == 0 and "</html>" in dom, proc.stderr[-2000:]
    entries = re.findall(r'<li class="entry".*?</li>', dom, flags=re.DOTALL)
    assert len(entries) == 20
    assert all('<strong class="owner">Hrayr Harutyunyan</strong>' in li for li in entries)
    assert all("<details><summary>BibTeX</summary><pre>@" in li for li in entries)

    hrefs: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                hrefs.append(dict(attrs).get("href") or "")

    parser = Links()
    parser.feed(dom)
    assert len(hrefs) >= 40
    assert all(re.fullmatch(r"https?://[^\s\"<>]+", h) for h in hrefs), hrefs
    assert 'id="filter"' in dom and "<script>" in dom and "http-equiv" in dom
