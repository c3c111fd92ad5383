"""Identifiers `pubman add` accepts, as the Semantic Scholar lookup ids it sends."""

from __future__ import annotations

import pytest

from pubman.errors import UsageError
from pubman.sync.run import parse_identifier

SHA = "649def34f8be52c8b66281af98ae884c09aef38b"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("arXiv:2507.10524", "ARXIV:2507.10524"),
        ("2507.10524v3", "ARXIV:2507.10524"),
        ("https://arxiv.org/abs/2507.10524v2", "ARXIV:2507.10524"),
        ("https://arxiv.org/pdf/2507.10524.pdf", "ARXIV:2507.10524"),
        ("hep-th/9901001", "ARXIV:hep-th/9901001"),
        ("10.48550/arXiv.2312.07559", "ARXIV:2312.07559"),
        ("10.1038/s41597-019-0103-9", "DOI:10.1038/s41597-019-0103-9"),
        ("https://doi.org/10.1109/ITW54588.2022.9965850", "DOI:10.1109/itw54588.2022.9965850"),
        ("doi:10.3389/frai.2022.893875", "DOI:10.3389/frai.2022.893875"),
        (SHA, SHA),
        (f"https://www.semanticscholar.org/paper/Some-Title/{SHA}", SHA),
        ("CorpusId:215416146", "CorpusId:215416146"),
    ],
)
def test_identifiers(text, expected):
    assert parse_identifier(text) == expected


@pytest.mark.parametrize("text", ["", "foo", "10.1000", "arXiv:99", "12345", SHA[:-1]])
def test_not_identifiers(text):
    with pytest.raises(UsageError):
        parse_identifier(text)
