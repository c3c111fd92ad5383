"""`pubman export` run as a user runs it: verbatim BibTeX (with the macros it needs), one .bib
per entry, and CSL-JSON read back and rendered by citeproc-py (an oracle we did not write)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from _cli import run_pubman
from _corpus import REPO

from pubman.store.bibliography import load, parse


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_pubman(*args, cwd=cwd, env={"PUBMAN_NO_OUTPUT_CACHE": "1"}, timeout=120)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    shutil.copy(REPO / "pubs.bib", tmp_path / "pubs.bib")
    shutil.copy(REPO / "pubman.toml", tmp_path / "pubman.toml")
    return tmp_path


def _render(items: list[dict], style: str = "harvard-cite-them-right") -> list[str]:
    citeproc = pytest.importorskip("citeproc", reason="citeproc-py (the test extra) not installed")
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON(items)
    bib = citeproc.CitationStylesBibliography(
        citeproc.CitationStylesStyle(style, validate=False), source, citeproc.formatter.plain
    )
    for item in items:
        bib.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    return [str(line) for line in bib.bibliography()]


def test_csl_json_of_pubs_bib_renders_20_entries_with_citeproc(home: Path) -> None:
    done = run("export", "--to", "csl-json", cwd=home)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert len(items) == 20
    lines = _render(items)
    assert len(lines) == 20
    text = "\n".join(lines)
    assert all(item["title"] in text for item in items)
    types = {item["type"] for item in items}
    assert types <= {"paper-conference", "article-journal", "article", "thesis", "report"}


def test_csl_json_decodes_latex_names_dates_and_containers(tmp_path: Path) -> None:
    (tmp_path / "pubs.bib").write_text(
        "@article{m,\n  author = {M{\\\"u}ller, J{\\'o}zsef and van der Berg, Anna and Doe, Jr., "
        "John},\n  title = {{BERT} for {\\&} Robots},\n  journal = {IEEE T-RO},\n"
        "  year = 2021, month = mar,\n  volume = {3}, number = {2}, pages = {10--20},\n"
        "  doi = {10.1109/TRO.2021.1},\n  note = {Best Paper Award}\n}\n"
        "@phdthesis{t, author = {A. Student}, title = {T}, school = {CMU}, year = {2019}}\n",
        encoding="utf-8",
    )
    done = run("export", "--to", "csl-json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    article, thesis = json.loads(done.stdout)
    assert article["author"] == [
        {"family": "Müller", "given": "József"},
        {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
        {"family": "Doe", "given": "John", "suffix": "Jr."},
    ]
    assert article["title"] == "BERT for & Robots"
    assert article["issued"] == {"date-parts": [[2021, 3]]}
    assert (article["type"], article["container-title"]) == ("article-journal", "IEEE T-RO")
    assert (article["volume"], article["issue"], article["page"]) == ("3", "2", "10-20")
    assert article["DOI"].lower() == "10.1109/tro.2021.1"
    assert article["note"] == "Best Paper Award"
    assert (thesis["type"], thesis["genre"], thesis["publisher"]) == ("thesis", "PhD thesis", "CMU")
    rendered = " ".join(_render([article, thesis]))
    assert "Müller" in rendered and "10–20" in rendered


def test_split_writes_one_file_per_entry_byte_identical_to_the_bib(home: Path) -> None:
    raw = (home / "pubs.bib").read_bytes()
    done = run("export", "--split", "bibtex", cwd=home)
    assert done.returncode == 0, done.stderr
    files = sorted((home / "bibtex").glob("*.bib"))
    assert len(files) == 20
    bib = load(home / "pubs.bib")
    assert {f.stem for f in files} == set(bib.entries)
    for f in files:
        data = f.read_bytes()
        assert data == bib.entry_text(f.stem).encode("utf-8") + b"\n"
        assert data in raw  # a contiguous slice of pubs.bib, newline included
        assert list(parse(data.decode("utf-8")).entries) == [f.stem]
    assert (home / "pubs.bib").read_bytes() == raw


_MACROS = """@string{icra = "International Conference on Robotics and Automation"}
@string{unused = "Never used"}
@string{ieee = "IEEE"}
@string{icraieee = ieee # " " # icra}

% a comment
@inproceedings{DBLP:conf/icra/Doe21,
  author = {Doe, Jane},
  title = {Grasping},
  booktitle = icraieee,
  year = 2021,
  month = may,
  selected = {true},
}

@article{other, author = {Roe, R.}, title = {Other}, journal = {JMLR}, year = {2019}}
"""


def test_bibtex_export_keeps_macros_it_needs_and_filters_like_format(tmp_path: Path) -> None:
    (tmp_path / "pubs.bib").write_text(_MACROS, encoding="utf-8")
    done = run("export", "--selected", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "unused" not in out and "@article{other" not in out
    for block in ('@string{icra = "International', '@string{ieee = "IEEE"}', "icraieee ="):
        assert block in out
    assert _MACROS[_MACROS.index("@inproceedings") : _MACROS.index("}\n\n@article") + 1] in out
    again = parse(out).entries["DBLP:conf/icra/Doe21"]
    assert again.get("booktitle") == "IEEE International Conference on Robotics and Automation"
    assert run("export", "--type", "journal", cwd=tmp_path).stdout.startswith("@article{other")
    assert "@article{other" in run("export", "--until", "2020", cwd=tmp_path).stdout
    assert run("export", "other", cwd=tmp_path).stdout.startswith("@article{other")


def test_split_maps_dblp_keys_to_the_name_bibtex_url_links(tmp_path: Path) -> None:
    (tmp_path / "pubs.bib").write_text(_MACROS, encoding="utf-8")
    done = run("export", "--split", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    target = tmp_path / "out" / "DBLP_conf_icra_Doe21.bib"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("@string{icra ") and "@string{ieee " in text and "unused" not in text
    assert parse(text).entries["DBLP:conf/icra/Doe21"].get("booktitle").startswith("IEEE Int")
    page = run(
        "--owner", "Jane Doe", "format", "--style", "web", "--to", "html",
        "--bibtex-url", "bib/{key}.bib", cwd=tmp_path,
    ).stdout  # fmt: skip
    assert 'href="bib/DBLP_conf_icra_Doe21.bib"' in page


def test_bad_input_is_one_error_line_and_leaves_the_bib_alone(tmp_path: Path) -> None:
    bib = _MACROS + "@misc{DBLP_conf_icra_Doe21, title = {Clash}, year = {2020}}\n"
    (tmp_path / "pubs.bib").write_text(bib, encoding="utf-8")
    clash = run("export", "--split", "out", cwd=tmp_path)
    assert clash.returncode == 1 and "would both be written" in clash.stderr
    assert not (tmp_path / "out").exists()
    missing = run("export", "nosuch", cwd=tmp_path)
    assert missing.returncode == 1
    assert "error: no entry with key 'nosuch'" in missing.stderr
    mixed = run("export", "--to", "csl-json", "--split", "d", cwd=tmp_path)
    assert mixed.returncode == 2 and "--split" in mixed.stderr
    over = run("export", "-o", "pubs.bib", cwd=tmp_path)
    assert over.returncode == 2 and "refusing" in over.stderr
    assert (tmp_path / "pubs.bib").read_text(encoding="utf-8") == bib


def test_format_csl_renders_the_list_through_citeproc(home: Path) -> None:
    pytest.importorskip("citeproc", reason="citeproc-py (the csl extra) not installed")
    done = run("format", "--csl", "harvard-cite-them-right", cwd=home)
    assert done.returncode == 0, done.stderr
    paragraphs = [p for p in done.stdout.split("\n\n") if p.strip()]
    assert len(paragraphs) == 20
    html = run("format", "--csl", "harvard-cite-them-right", "--to", "html", cwd=home).stdout
    assert html.count('<div class="csl-entry">') == 20
    bad = run("format", "--csl", "missing.csl", cwd=home)
    assert bad.returncode == 1 and "error: no such CSL style file: missing.csl" in bad.stderr
