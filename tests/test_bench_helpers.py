"""The pure helpers of scripts/bench.py: growth exponents and the scaled-file builder.

The builder must produce BibTeX that readers accept with every key unique and exactly the
number of entries asked for, and copies must not share an identifier or a title with the entry
they were made from (else dedup would measure merging copies, not a larger file).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import pubman

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _bench_scale():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_scale", SCRIPTS / "bench_scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module
    spec.loader.exec_module(module)
    return module


bs = _bench_scale()

SOURCE = """\
@string{nips = {Advances in Neural Information Processing Systems}}

@inproceedings{DBLP:conf/nips/Ruiz22,
  author       = {Ana Ruiz and
                  Li Wei},
  title        = {Learning {BERT} Representations with Few Labels},
  booktitle    = nips,
  year         = {2022},
  doi          = {10.5555/3600270.3601234},
  url          = {https://doi.org/10.5555/3600270.3601234},
  biburl       = {https://dblp.org/rec/conf/nips/Ruiz22.bib}
}

@article{DBLP:journals/corr/Wei23,
  author       = {Li Wei},
  title        = {Scaling Laws for Sparse
                  Mixture of Experts},
  journal      = {CoRR},
  volume       = {abs/2301.01234},
  year         = {2023},
  eprinttype   = {arXiv},
  eprint       = {2301.01234}
}

@misc{DBLP:conf/nips/Ruiz22,
  title = {A repeated key, as the dblp bench file has three},
  year = {2021}
}
"""


def test_growth_exponent_of_linear_and_quadratic_series() -> None:
    assert bs.growth_exponent([(25_000, 2.0), (250_000, 20.0)]) == pytest.approx(1.0)
    assert bs.growth_exponent([(1_000, 1.0), (100_000, 1.0), (10_000, 100.0)]) == pytest.approx(
        0.0
    )  # endpoints only: smallest and largest size
    assert bs.growth_exponent([(10, 1.0), (100, 100.0)]) == pytest.approx(2.0)
    assert bs.growth_exponent([(10, 1.0)]) is None
    assert bs.growth_exponent([(10, 0.0), (100, 1.0)]) is None  # a non-positive time says nothing


def test_parse_size() -> None:
    assert [bs.parse_size(s) for s in ("25k", "1.5k", "2m", "300")] == [
        25_000,
        1_500,
        2_000_000,
        300,
    ]
    with pytest.raises(ValueError):
        bs.parse_size("0")


@pytest.mark.parametrize("n", [1, 3, 7, 40])
def test_scaled_file_has_n_entries_with_unique_keys(tmp_path: Path, n: int) -> None:
    path = tmp_path / "scaled.bib"
    path.write_text(bs.build_scaled(SOURCE, n), encoding="utf-8")
    bib = pubman.load(path)
    assert len(bib.entries) == n  # entries by key: n distinct keys
    assert not [p for p in bib.problems if "duplicate" in str(p).lower()]
    assert path.read_text(encoding="utf-8").count("@string") == 1  # macros kept once
    if n >= 3:
        assert all(e.fields.get("booktitle", "") != "nips" for e in bib.entries.values())


def test_copies_change_titles_and_identifiers_but_keep_authors(tmp_path: Path) -> None:
    path = tmp_path / "scaled.bib"
    path.write_text(bs.build_scaled(SOURCE, 9), encoding="utf-8")
    entries = list(pubman.load(path).entries.values())
    originals = entries[:3]
    for i, copy in enumerate(entries[3:], start=3):
        base = originals[i % 3]  # copies follow the source's order
        assert copy.key.startswith(base.key.split("-d")[0] + "-c")
        assert copy.fields.get("author") == base.fields.get("author")
        assert copy.fields.get("year") == base.fields.get("year")
        for field in ("doi", "url", "eprint", "volume", "biburl"):
            if field in base.fields:
                assert copy.fields[field] != base.fields[field], (copy.key, field)
    dois = [e.fields["doi"] for e in entries if "doi" in e.fields]
    eprints = [e.fields["eprint"] for e in entries if "eprint" in e.fields]
    assert len(set(dois)) == len(dois) == 3 and all(d.startswith("10.5555/") for d in dois)
    assert len(set(eprints)) == len(eprints) == 3
    assert all(len(e.split(".")[1]) == 5 for e in eprints)  # still shaped like arXiv ids
    titles = [e.fields["title"] for e in entries]
    assert len(set(titles)) > len(originals)
    assert all(t.count("{") == t.count("}") for t in titles)  # words split outside braces


def test_copies_of_sequentially_numbered_papers_share_no_identifier(tmp_path: Path) -> None:
    # IJCAI's DOIs run ijcai.2023/001 ... /099: a digit permutation of one paper's number is
    # another paper's, so a copy must not simply take it.
    source = "".join(
        f"@inproceedings{{p{i},\n  title = {{Paper number {i} on topic {i % 7}}},\n"
        f"  author = {{A. B}},\n  booktitle = {{IJCAI}},\n  year = {{2023}},\n"
        f"  doi = {{10.24963/ijcai.2023/{i:03d}}},\n"
        f"  url = {{https://doi.org/10.24963/ijcai.2023/{i:03d}}}\n}}\n"
        for i in range(1, 100)
    )
    path = tmp_path / "scaled.bib"
    path.write_text(bs.build_scaled(source, 99 * 12), encoding="utf-8")
    entries = list(pubman.load(path).entries.values())
    assert len(entries) == 99 * 12
    for field in ("doi", "url"):
        values = [e.fields[field].lower() for e in entries]
        assert len(set(values)) == len(values), field
    assert all(e.fields["url"].endswith(e.fields["doi"]) for e in entries)  # still one DOI
    assert sum("-c" not in e.fields["doi"] for e in entries) > 99  # most keep the digit map


def test_exponent_is_a_log_log_slope() -> None:
    pts = [(25_000, 3.0), (250_000, 3.0 * 10**1.1)]
    assert bs.growth_exponent(pts) == pytest.approx(1.1)
    assert bs.growth_exponent(list(reversed(pts))) == pytest.approx(1.1)
