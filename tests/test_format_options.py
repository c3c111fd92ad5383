"""`pubman format` options and behaviour a user sees: filters, order, groups, numbering,
author truncation, owner matching and warnings, --output, [format] config, terminal."""

from __future__ import annotations

import gc
import re
import shutil
from pathlib import Path

import pytest
from clirun import run_cli

from pubman.formatting import FormatOptions, format_publications, render
from pubman.formatting.styles import shown_authors
from pubman.model import Entry

REPO = Path(__file__).resolve().parents[1]
OWNER = ["Hrayr Harutyunyan", "H. Harutyunyan"]


def fmt(
    *args: str,
    bib: Path | None = None,
    config: Path | None = None,
) -> tuple[int, str, str]:
    """Exit code, stdout, stderr of `pubman format` (errors as `error: ...` lines)."""
    result = run_cli(
        [
            "--config",
            str(config or REPO / "pubman.toml"),
            "--bib",
            str(bib or REPO / "pubs.bib"),
            "format",
            *args,
        ],
    )
    assert "internal error" not in result.stderr, result.stderr
    return result.code, result.stdout, result.stderr


def numbers(out: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(?:- )?\[(\d+)\]", out, flags=re.MULTILINE)]


def years(out: str) -> list[int]:
    return [int(y) for y in re.findall(r", (\d{4})$", out, flags=re.MULTILINE)]


def one(author: str, **fields: str) -> Entry:
    values = {
        "title": "A Title",
        "author": author,
        "booktitle": "Some Conference",
        "year": "2020",
        **fields,
    }
    return Entry(key="k", type="inproceedings", fields=values)


def md(entries: list[Entry], owner: list[str] = OWNER, **options: object) -> str:
    doc = format_publications(entries, FormatOptions(**options), owner)  # type: ignore[arg-type]
    return render(doc, "markdown")


# --- selection, order, groups, numbering -----------------------------------------------------


def test_since_until_and_type_filter() -> None:
    code, out, _ = fmt("--since", "2022", "--until", "2023")
    assert code == 0 and set(years(out)) == {2022, 2023} and numbers(out) == list(range(1, 7))
    _, out, _ = fmt("--type", "preprint")
    assert len(numbers(out)) == 5 and out.count("*arXiv:") == 5
    _, out, _ = fmt("--type", "journal", "--type", "workshop")
    assert len(numbers(out)) == 4


def test_newest_first_keeps_file_order_within_a_year_and_oldest_is_its_reverse() -> None:
    _, newest, _ = fmt()
    _, oldest, _ = fmt("--order", "oldest")
    assert years(newest) == sorted(years(newest), reverse=True)
    strip = [line.split("] ", 1)[1] for line in newest.splitlines()]
    assert [line.split("] ", 1)[1] for line in oldest.splitlines()] == strip[::-1]
    entries = [
        one("Harutyunyan, H.", year=y, title=t)
        for y, t in (
            ("2019", "First"),
            ("2021", "Second"),
            ("2019", "Third"),
            ("in press", "Fourth"),
            ("", "Fifth"),
        )
    ]
    titles = re.findall(r"\] (\w+)\.", md(entries))
    assert titles == ["Fourth", "Second", "First", "Third", "Fifth"]


def test_group_by_year_with_continuous_and_per_group_reversed_numbers() -> None:
    _, out, _ = fmt("--group-by", "year")
    assert re.findall(r"^## (\d{4})$", out, flags=re.MULTILINE) == [
        "2025",
        "2024",
        "2023",
        "2022",
        "2021",
        "2020",
        "2019",
        "2017",
    ]
    assert numbers(out) == list(range(1, 21))
    _, out, _ = fmt("--group-by", "year", "--numbering", "per-group", "--reverse-numbering")
    assert numbers(out)[:6] == [3, 2, 1, 3, 2, 1]
    _, out, _ = fmt("--reverse-numbering")
    assert numbers(out) == list(range(20, 0, -1))


def test_group_by_type_orders_kinds_and_html_numbers_follow() -> None:
    _, out, _ = fmt("--group-by", "type", "--to", "html")
    assert re.findall(r"<h2>(.*)</h2>", out) == [
        "Conference papers",
        "Journal articles",
        "Workshop papers",
        "Preprints",
    ]
    assert re.findall(r"<ol[^>]*>", out) == [
        "<ol>",
        '<ol start="12">',
        '<ol start="14">',
        '<ol start="16">',
    ]


# --- authors ---------------------------------------------------------------------------------


def test_max_authors_keeps_the_owner_visible() -> None:
    assert shown_authors(11, [7], 3) == ([0, 1, None, 7], True)
    assert shown_authors(11, [1], 3) == ([0, 1, 2], True)
    assert shown_authors(8, [7], 1) == ([0, None, 7], False)
    assert shown_authors(4, [3], 4) == ([0, 1, 2, 3], False)
    _, out, _ = fmt("--max-authors", "2")
    first = out.splitlines()[0]
    assert "S. Bae, ..., **H. Harutyunyan**, ... et al. *NeurIPS*" in first
    assert all(line.count("**") == 2 for line in out.splitlines())


def test_initials_of_hyphenated_and_multiword_names() -> None:
    out = md(
        [
            one(
                "Yun, Se-Young and Ver Steeg, Greg and Harutyunyan, Hrayr and "
                "Kolter, J. Zico and van der Berg, Jan and Smith, Jr., John"
            )
        ]
    )
    assert (
        "S.-Y. Yun, G. Ver Steeg, **H. Harutyunyan**, J. Z. Kolter, J. van der Berg, "
        "J. Smith, Jr." in out
    )


@pytest.mark.parametrize(
    "written",
    [
        "H. Harutyunyan",
        "Hrayr Harutyunyan",
        "Harutyunyan, H.",
        "Harutyunyan, Hrayr",
        "Harutyunyan*, Hrayr",
        "Hrayr Harutyunyan$^{*}$",
        "Hrayr Harutyunyan$^\\dagger$",
        "Hrayr Harutyunyan\u2020",
        "{Harutyunyan}, Hrayr",
    ],
)
def test_owner_found_in_every_written_form_and_bold_around_the_whole_name(written: str) -> None:
    out = md([one(f"Doe, Jane and {written} and Roe, Rick")], owner=["Hrayr Harutyunyan"])
    assert re.search(r"J\. Doe, \*\*H\. Harutyunyan\*\*(\\\*|†)?, R\. Roe\.", out), out


def test_latex_accents_and_unicode_match_the_owner() -> None:
    out = md([one(r"M{\"u}ller, J{\"o}rg and Doe, Jane")], owner=["Jörg Müller"])
    assert out.startswith("- [1] A Title. **J. Müller**, J. Doe.")
    web = render(
        format_publications(
            [one(r"M{\"u}ller, J{\"o}rg")], FormatOptions(style="web"), ["Jorg Muller"]
        ),
        "latex",
    )
    assert r"\textbf{J{\"o}rg~M{\"u}ller}" in web  # LaTeX from the .bib kept for LaTeX


def test_no_match_or_two_matches_warn_on_stderr_but_do_not_fail(tmp_path: Path) -> None:
    bib = tmp_path / "pubs.bib"
    bib.write_text(
        "@misc{a, author={Doe, Jane}, title={Alone}, year=2020}\n"
        "@misc{b, author={Harutyunyan, H. and Harutyunyan, Hrayr}, title={Twice},"
        " year=2021}\n@misc{c, author={Harutyunyan, H.}, title={Fine}, year=2021}\n",
        encoding="utf-8",
    )
    code, out, err = fmt(bib=bib)
    assert code == 0 and len(numbers(out)) == 3
    assert "warning: a (line 1): the owner is not among the authors" in err
    assert "warning: b (line 2): 2 authors match the owner" in err
    assert "warning: c" not in err
    assert "**H. Harutyunyan**, **H. Harutyunyan**" in out
    code, _, _ = fmt("--strict", bib=bib)
    assert code == 1


def test_without_an_owner_nothing_is_bold_and_a_note_says_why(tmp_path: Path) -> None:
    config = tmp_path / "pubman.toml"
    config.write_text("", encoding="utf-8")
    code, out, err = fmt(config=config)
    assert code == 0 and "**" not in out and "no owner configured" in err


# --- venues, titles, links -------------------------------------------------------------------


def test_venue_forms_and_title_punctuation() -> None:
    entries = [
        Entry(
            "p",
            "article",
            {
                "title": "Does it work?",
                "author": "Harutyunyan, H.",
                "journal": "arXiv preprint arXiv:1607.06450",
                "year": "2016",
            },
        ),
        Entry(
            "q",
            "inproceedings",
            {
                "title": "T",
                "author": "Harutyunyan, H.",
                "year": "2019",
                "booktitle": "Proceedings of the 36th International Conference on Machine Learning",
            },
        ),
        Entry(
            "r",
            "book",
            {
                "title": "Edited",
                "editor": "Harutyunyan, H. and Doe, J.",
                "year": "2015",
                "publisher": "Press",
            },
        ),
    ]
    lines = md(entries).splitlines()
    assert lines[0] == "- [1] T. **H. Harutyunyan**. *ICML*, 2019"
    assert lines[1] == "- [2] Does it work? **H. Harutyunyan**. *arXiv:1607.06450*, 2016"
    assert lines[2].startswith("- [3] Edited. **H. Harutyunyan**, J. Doe (eds.).")


def test_theses_and_reports_say_what_they_are() -> None:
    # amos-cv-all.bib and srinivasa-cv/siddpubs-misc.bib: a thesis printed as just its school
    owner = "Harutyunyan, H."
    entries = [
        Entry(
            "a",
            "phdthesis",
            {
                "title": "A",
                "author": owner,
                "year": "2005",
                "school": "The Robotics Institute, Carnegie Mellon University",
            },
        ),
        Entry(
            "b", "mastersthesis", {"title": "B", "author": owner, "year": "2004", "school": "CMU"}
        ),
        Entry(
            "c",
            "techreport",
            {
                "title": "C",
                "author": owner,
                "year": "2003",
                "number": "CMU-RI-TR-12-15",
                "institution": "CMU",
            },
        ),
        Entry(
            "d",
            "techreport",
            {
                "title": "D",
                "author": owner,
                "year": "2002",
                "institution": "Technical Report CMU-CS-16-118, CMU School of Computer Science",
            },
        ),
        Entry(
            "e",
            "techreport",
            {
                "title": "E",
                "author": owner,
                "year": "2001",
                "type": "BTech thesis",
                "institution": "IIT Madras",
            },
        ),
    ]
    venues = [line.split("*")[-2] for line in md(entries).splitlines()]
    assert venues == [
        "PhD thesis, The Robotics Institute, Carnegie Mellon University",
        "Master's thesis, CMU",
        "Technical Report CMU-RI-TR-12-15, CMU",
        "Technical Report CMU-CS-16-118, CMU School of Computer Science",
        "BTech thesis, IIT Madras",
    ]


def test_dblp_corr_entry_prints_its_arxiv_id() -> None:
    # srinivasa-cv/siddpubs-misc.bib: dblp's form, the id only in the volume
    entry = Entry(
        "m",
        "article",
        {
            "title": "MuSHR",
            "author": "Harutyunyan, H.",
            "year": "2019",
            "journal": "CoRR",
            "volume": "abs/1908.08031",
        },
    )
    assert md([entry]) == "- [1] MuSHR. **H. Harutyunyan**. *arXiv:1908.08031*, 2019\n"


def test_web_links_from_fields() -> None:
    entry = one(
        "Harutyunyan, H.",
        url="https://x.org/paper.pdf",
        doi="https://doi.org/10.1/a_b",
        eprint="2101.00001",
        archiveprefix="arXiv",
        codeurl="https://github.com/a/b",
        github="ignored/when-codeurl-set",
    )
    entry = Entry("dblp:k/1", entry.type, entry.fields)
    doc = format_publications(
        [entry], FormatOptions(style="web", bibtex_url="bib/{key}.bib"), OWNER
    )
    assert dict(doc.items[0].record.links) == {
        "arXiv": "https://arxiv.org/abs/2101.00001",
        "PDF": "https://x.org/paper.pdf",
        "DOI": "https://doi.org/10.1/a_b",
        "code": "https://github.com/a/b",
        "BibTeX": "bib/dblp_k_1.bib",  # the file `export --split` writes for dblp:k/1
    }
    unsafe = one("Harutyunyan, H.", url="javascript:alert(1)", github="user/repo")
    doc = format_publications([unsafe], FormatOptions(style="web"), OWNER)
    assert dict(doc.items[0].record.links) == {"code": "https://github.com/user/repo"}


# --- output, defaults, config ----------------------------------------------------------------


def test_output_file_is_written_whole_and_its_suffix_picks_the_backend(tmp_path: Path) -> None:
    target = tmp_path / "pubs.tex"
    target.write_text("old", encoding="utf-8")
    code, out, _ = fmt("--output", str(target))
    assert code == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\\begin{enumerate}") and text.count("\\textbf{H.~Harutyunyan}") == 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pubs.tex"]  # no temp file, no .bak
    _, md_out, _ = fmt()
    fmt("-o", str(tmp_path / "list.md"))
    assert (tmp_path / "list.md").read_text(encoding="utf-8") == md_out


def test_markdown_is_the_default_off_a_terminal_and_rich_on_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pubman.cli import format as command

    assert command._backend(None, None) == "markdown"  # pytest's stdout is not a tty
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert command._backend(None, None) == "terminal"
    assert command._backend(None, "x.html") == "html"
    assert command._backend("json", "x.html") == "json"


def test_terminal_rendering_bolds_the_owner_only() -> None:
    from pubman.formatting.terminal import _rich_text

    doc = format_publications([one("Doe, Jane and Harutyunyan, Hrayr")], FormatOptions(), OWNER)
    text = _rich_text(doc.items[0].content)
    mask = [" "] * len(text.plain)
    for span in text.spans:
        if "bold" in str(span.style):
            mask[span.start : span.end] = text.plain[span.start : span.end]
    assert "".join(mask).split() == ["H.", "Harutyunyan"]
    assert "".join(mask).strip() == "H. Harutyunyan"
    code, out, _ = fmt("--to", "terminal")
    assert code == 0 and "[20]" in out and "H. Harutyunyan" in out


def test_format_table_in_config_sets_defaults_and_flags_override(tmp_path: Path) -> None:
    config = tmp_path / "pubman.toml"
    shutil.copy(REPO / "pubman.toml", config)
    with config.open("a", encoding="utf-8") as fh:
        fh.write('\n[format]\nstyle = "web"\nmax_authors = 3\ntypes = ["conference"]\n')
    _, out, _ = fmt(config=config)
    assert out.startswith("1. [") and "et al." in out and "arXiv:" not in out
    _, out, _ = fmt("--style", "cv", "--max-authors", "0", config=config)
    assert out.startswith("- [1] ") and "et al." not in out
    with config.open("a", encoding="utf-8") as fh:
        fh.write('colour = "red"\n')
    code, _, err = fmt(config=config)
    assert code == 1 and "unknown key 'colour' in [format]" in err


def test_bad_bibtex_url_is_a_usage_error() -> None:
    code, _, err = fmt("--bibtex-url", "no-placeholder")
    assert code == 2 and "bibtex_url must contain {key}" in err


@pytest.mark.parametrize("enabled", [True, False])
def test_format_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    """format_publications pauses the cyclic collector while it builds the list (a speed-up);
    a library caller's setting survives it, also when formatting fails."""
    entry = Entry("k", "article", {"title": "T", "author": "Hrayr Harutyunyan", "year": "2020"})
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        doc = format_publications([entry], FormatOptions(), ["Hrayr Harutyunyan"])
        assert len(doc.items) == 1 and gc.isenabled() is enabled
        with pytest.raises(AttributeError):
            format_publications([None], FormatOptions(), ["Hrayr Harutyunyan"])  # type: ignore[list-item]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
