"""Citation keys for new entries in the file's own style (pubman.sync.keys)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pubman.store import bibliography as bibstore
from pubman.sync.keys import DEFAULT_STYLE, KeyStyle, detect_style, make_key, title_word, unique_key

ROOT = Path(__file__).resolve().parents[1]


def _entries(keys_and_fields: list[tuple[str, str, str, str]]):
    text = "\n".join(
        f"@article{{{k}, author = {{{a}}}, year = {{{y}}}, title = {{{t}}}}}"
        for k, a, y, t in keys_and_fields
    )
    return bibstore.parse(text).entries.values()


def test_the_owners_file_is_lastname_year_word_and_every_key_is_recreated():
    bib = bibstore.load(ROOT / "pubs.bib")
    style = detect_style(bib.entries.values())
    assert style == DEFAULT_STYLE and style.describe() == "lastnameYYYYword"
    for e in bib.entries.values():
        first = e.get("author").split(" and ")[0].split(",")[0]
        taken = set(bib.entries) - {e.key}
        assert make_key(style, [first], e.get("year"), e.get("title"), taken) == e.key


def test_title_word_skips_stopwords_and_splits_hyphens():
    assert title_word("In-context Learning in Presence of Spurious Correlations") == "context"
    assert title_word("A Meta-Learning Approach") == "Meta"
    assert title_word("{MixHop}: Higher-Order Graph") == "MixHop"
    assert title_word('The 100 {\\"U}bung') == "Ubung"


def test_colon_two_digit_year_style():
    entries = _entries(
        [
            ("Smith:19", "Smith, Jane", "2019", "Deep"),
            ("Ng:20", "Ng, Andrew", "2020", "Wide"),
            ("Lee:21a", "Lee, Kim", "2021", "Tall"),
        ]
    )
    style = detect_style(entries)
    assert style == KeyStyle("pattern", "capitalized", 2, "", ":")
    assert make_key(style, ["Müller"], 2024, "Anything", ["Muller:24"]) == "Muller:24a"


def test_camel_case_surname_year_style():
    entries = _entries(
        [
            ("VerSteeg2017", "Ver Steeg, Greg", "2017", "A"),
            ("AbuElHaija2019", "Abu-El-Haija, Sami", "2019", "B"),
        ]
    )
    style = detect_style(entries)
    assert style.name_case == "camel" and style.word == ""
    assert make_key(style, ["de la Cruz"], 2020, "X", []) == "DeLaCruz2020"


def test_dblp_style_uses_the_dblp_key_when_known_else_the_default():
    entries = _entries(
        [
            ("DBLP:conf/icml/Smith19", "Smith, J.", "2019", "A"),
            ("DBLP:journals/corr/abs-2001-00001", "Lee, K.", "2020", "B"),
        ]
    )
    style = detect_style(entries)
    assert style.kind == "dblp"
    assert (
        make_key(style, ["Bae"], 2025, "Mixture", [], external_ids={"DBLP": "conf/nips/BaeKB25"})
        == "DBLP:conf/nips/BaeKB25"
    )
    assert make_key(style, ["Bae"], 2025, "Mixture of things", []) == "bae2025mixture"


def test_unexplained_keys_fall_back_to_the_default():
    entries = _entries([("paper1", "Smith, J.", "2019", "A"), ("xyz", "Lee, K.", "2020", "B")])
    assert detect_style(entries) == DEFAULT_STYLE


def test_dedup_is_case_insensitive_and_continues_past_z():
    assert unique_key("smith2019deep", ["Smith2019Deep"]) == "smith2019deepa"
    taken = ["k"] + [f"k{chr(c)}" for c in range(ord("a"), ord("z") + 1)]
    assert unique_key("k", taken) == "kaa"


@given(
    st.lists(st.text(alphabet="abcAB", min_size=1, max_size=3), max_size=40),
    st.text(alphabet="abAB", min_size=1, max_size=3),
)
def test_unique_key_never_collides(taken, base):
    key = unique_key(base, taken)
    assert key.lower() not in {t.lower() for t in taken}
    assert key.startswith(base)
