"""Property tests: arbitrary titles, names and URLs cannot break out of the escaping of the
html, latex and markdown backends. The checkers here are written independently of the code
under test (their own tokenizer and decoder)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubman.formatting import FormatOptions, format_publications, render
from pubman.formatting import richtext as rt
from pubman.formatting.latex import STRUCTURAL, escape, sanitize
from pubman.model import Entry

OWNER = "Harutyunyan, Hrayr"
SPECIALS = list("&%$#_{}~^\\<>\"'*[]`|!") + [
    "and",
    " ",
    "a",
    "B",
    "\n",
    "é",
    "\\end",
    "\\item",
    "\\textbf",
    "$^*$",
    "--",
    "https://",
]
text = st.one_of(
    # control characters (ESC, NUL, ...) are dropped from every output: test_attack_output.py
    st.text(max_size=40).map(lambda s: re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", s)),
    st.lists(st.sampled_from(SPECIALS), max_size=25).map("".join),
)


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


# a name that cannot be the owner and cannot swallow the next name (an open brace protects
# " and "), so exactly one author is bold
name = text.filter(lambda s: "harut" not in s.lower() and "hrayr" not in s.lower() and _balanced(s))
LOOSE = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


def _doc(title: str, names: list[str], style: str = "cv", url: str = "") -> object:
    authors = " and ".join([*[n for n in names if n.strip()], OWNER])
    fields = {"title": title, "author": authors, "booktitle": "Some Conference", "year": "2020"}
    if url:
        fields["url"] = url
    entry = Entry(key="k", type="inproceedings", fields=fields)
    return format_publications(
        [entry], FormatOptions(style=style, bibtex_url="b/{key}.bib"), ["Hrayr Harutyunyan"]
    )


# --- html ------------------------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ends: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.ends.append(tag)

    def handle_data(self, data: str) -> None:
        self.data.append(data)


@LOOSE
@given(
    title=text,
    names=st.lists(name, max_size=3),
    style=st.sampled_from(["cv", "web"]),
    path=st.text(max_size=20).filter(lambda s: not any(c.isspace() for c in s)),
)
def test_html_has_exactly_the_expected_elements(
    title: str, names: list[str], style: str, path: str
) -> None:
    doc = _doc(title, names, style, url="https://example.org/" + path)
    parser = _Collect()
    parser.feed(render(doc, "html"))
    parser.close()
    tags = [t for t, _ in parser.tags]
    item = doc.items[0]  # type: ignore[attr-defined]
    expected = ["ol", "li"]
    linked = dict(item.record.links).get("paper")  # the web title links to the paper
    if style == "web" and rt.plain(rt.Tex(title)):
        expected.append("a" if linked else "span")  # the title, not bold (issue 12)
    expected += ["strong", "em"]
    expected += ["a"] * len(item.record.links)
    assert tags == expected
    assert sorted(parser.ends) == sorted(expected)
    assert [a for t, a in parser.tags if t == "strong"] == [{"class": "owner"}]
    hrefs = [a["href"] for t, a in parser.tags if t == "a" and a.get("class") != "title"]
    assert hrefs == [u for _, u in item.record.links]
    body = "".join(parser.data).split("\n", 2)[1].removeprefix("  ")
    assert body == rt.plain(item.content)


# --- latex -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\$|.", re.DOTALL)
_DECODE = {
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
    r"\{": "{",
    r"\}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textbackslash{}": "\\",
}


def _decode_text(latex: str) -> str:
    pattern = "|".join(re.escape(k) for k in sorted(_DECODE, key=len, reverse=True))
    return re.sub(pattern, lambda m: _DECODE[m.group()], latex)


def _check_group(latex: str) -> None:
    """``latex`` inside ``\\textbf{...}`` keeps the group closed exactly at its end, has no
    active ``& % #``, math only in matched ``$`` pairs that do not cross braces, ``_``/``^``
    only in math, no structural command, no paragraph break, no bare trailing command."""
    tokens = _TOKEN.findall(latex)
    depth, math_depth = 1, None
    for tok in tokens:
        assert tok not in ("&", "%", "#", "\n"), latex
        if tok.startswith("\\"):
            assert tok[1:] not in STRUCTURAL and tok not in ("\\(", "\\)", "\\[", "\\]", "\\"), (
                latex
            )
        elif tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
            assert depth >= 1, f"closes a group it did not open: {latex!r}"
            assert math_depth is None or depth >= math_depth, latex
        elif tok == "$":
            math_depth = depth if math_depth is None else None
        elif tok in "_^":
            assert math_depth is not None, latex
    assert depth == 1 and math_depth is None, latex
    assert not (tokens and re.fullmatch(r"\\[A-Za-z]+", tokens[-1])), latex


@settings(max_examples=500, deadline=None)
@given(text)
def test_latex_plain_text_escapes_every_special_and_round_trips(s: str) -> None:
    out = escape(s)
    _check_group(out)
    assert "$" not in _TOKEN.findall(out)
    assert not ({"~", "^", "_", "\\"} & set(_TOKEN.findall(out)))
    assert _decode_text(out) == re.sub(r"\s+", " ", s)


@settings(max_examples=500, deadline=None)
@given(text)
def test_latex_source_from_the_bib_cannot_break_out(s: str) -> None:
    _check_group(sanitize(s))


def test_latex_source_kept_as_latex() -> None:
    assert sanitize(r"M{\"u}ller and $\alpha$-{LoRA}") == r"M{\"u}ller and $\alpha$-{LoRA}"
    assert sanitize(r"50% of A&B_1 \end{x}") == r"50\% of A\&B\_1 \textbackslash{}end{x}"
    assert sanitize("a } b {") == r"a \} b \{"


@LOOSE
@given(title=text, names=st.lists(name, max_size=3), style=st.sampled_from(["cv", "web"]))
def test_latex_document_structure_survives_any_entry(
    title: str, names: list[str], style: str
) -> None:
    out = render(_doc(title, names, style), "latex")  # type: ignore[arg-type]
    lines = out.splitlines()
    if "\\href{" in out:  # said in a comment line first (issue 12)
        assert lines.pop(0) == "% needs \\usepackage{hyperref} in the preamble (for \\href)"
    assert lines[0] == r"\begin{enumerate}" and lines[-1] == r"\end{enumerate}"
    assert len(lines) == 3
    match = re.fullmatch(r"  \\item\[(?:\{\[1\]\}|1\.)\] (.*)", lines[1])
    assert match, lines[1]
    _check_group(match.group(1))
    assert (
        lines[1].count(r"\textbf{H.~Harutyunyan}") + lines[1].count(r"\textbf{Hrayr~Harutyunyan}")
        == 1
    )


# --- markdown --------------------------------------------------------------------------------


@LOOSE
@given(title=text, names=st.lists(name, max_size=3))
def test_markdown_markup_comes_only_from_pubman(title: str, names: list[str]) -> None:
    out = render(_doc(title, names), "markdown")  # type: ignore[arg-type]
    active = re.sub(r"\\.", "", out)  # drop backslash-escaped characters
    assert active.count("**") == 2 and active.count("*") == 6  # owner bold, venue italic
    assert not re.search(r"[\[\]<>`_~]", active.split("] ", 1)[1])  # after "- [1] "
    assert out.count("\n") == 1
