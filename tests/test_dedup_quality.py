"""Precision and recall of ``pubman dedup`` on hand-labelled real data (corpus files and the
JabRef / bibtex-tidy duplicate test vectors). Labels live in tests/data/dedup/*.json (keys and
verdicts only); the entries are read from ../shared/corpus, and the test skips without it."""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from _corpus import CORPUS, DATA, corpus_file

from pubman.dedup.groups import find_duplicates
from pubman.model import Entry
from pubman.store import bibliography as bibstore

LABELS = json.loads((DATA / "dedup" / "labels.json").read_text(encoding="utf-8"))
VECTORS = json.loads((DATA / "dedup" / "testvector_labels.json").read_text(encoding="utf-8"))

Pairs = set[frozenset[str]]


def _pairs(groups: list[list[str]] | list[tuple[str, ...]]) -> Pairs:
    return {frozenset(p) for g in groups for p in combinations(g, 2)}


def _count(predicted: Pairs, true: Pairs, excluded: Pairs) -> tuple[int, int, int]:
    predicted, true = predicted - excluded, true - excluded
    return len(predicted & true), len(predicted - true), len(true - predicted)


def _corpus_set(spec: dict) -> tuple[tuple[int, int, int], Pairs, Pairs]:
    entries: list[Entry] = []
    for rel in spec["files"]:
        entries += bibstore.load(corpus_file(rel)).entries.values()
    keys = {e.key for e in entries}
    labelled = [k for g in spec["duplicates"] for k in g]
    labelled += [k for p in spec["not_duplicates"] + spec["excluded"] for k in p[:2]]
    assert not set(labelled) - keys, f"labels name keys not in {spec['name']}"
    predicted = _pairs([g.keys for g in find_duplicates(entries)])
    true = _pairs(spec["duplicates"])
    excluded = {frozenset(p[:2]) for p in spec["excluded"]}
    if not spec["complete"]:  # a spot check: count only the pairs it lists
        predicted &= true | {frozenset(p[:2]) for p in spec["not_duplicates"]}
    return _count(predicted, true, excluded), predicted - true - excluded, true - predicted


def _jabref() -> tuple[int, int, int]:
    cases = {
        c["test"]: c
        for c in json.loads(
            corpus_file("testvectors/duplicates_jabref.json").read_text(encoding="utf-8")
        )["cases"]
    }
    tp = fp = fn = 0
    for name, label in VECTORS["jabref"].items():
        if label["label"] is None:
            continue
        case = cases[name]
        a = Entry("a", case["entry_a"]["type"], case["entry_a"]["fields"])
        b = Entry("b", case["entry_b"]["type"], case["entry_b"]["fields"])
        found = bool(find_duplicates([a, b]))
        tp += found and label["label"]
        fp += found and not label["label"]
        fn += label["label"] and not found
        if found != label["label"]:
            print(f"  jabref {name}: expected {label['label']}, got {found}")
    return tp, fp, fn


def _bibtex_tidy() -> tuple[int, int, int]:
    cases = {
        c["test"]: c
        for c in json.loads(
            corpus_file("testvectors/duplicates_bibtex_tidy.json").read_text(encoding="utf-8")
        )["cases"]
    }
    tp = fp = fn = 0
    for name, label in VECTORS["bibtex_tidy"].items():
        entries = list(bibstore.parse(cases[name]["input"]).entries.values())
        predicted = _pairs([g.keys for g in find_duplicates(entries)])
        excluded = {frozenset(p) for p in label["excluded"]}
        counts = _count(predicted, _pairs(label["groups"]), excluded)
        if counts[1] or counts[2]:
            print(f"  bibtex-tidy {name!r}: {counts} predicted {sorted(map(sorted, predicted))}")
        tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
    return tp, fp, fn


def _report(name: str, tp: int, fp: int, fn: int) -> None:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"{name:16} pairs: {tp + fn:4} true, {tp + fp:4} found; tp={tp} fp={fp} fn={fn}; "
        f"precision {precision:.3f} recall {recall:.3f}"
    )


def test_precision_and_recall_on_labelled_duplicates() -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present; it is beside the repo in CI only")
    total = [0, 0, 0]
    print()
    for spec in LABELS["sets"]:
        counts, false_pos, false_neg = _corpus_set(spec)
        _report(spec["name"], *counts)
        for pair in sorted(map(sorted, false_pos)):
            print(f"  false positive: {pair}")
        for pair in sorted(map(sorted, false_neg)):
            print(f"  missed: {pair}")
        total = [t + c for t, c in zip(total, counts)]
    for name, counts in (("jabref", _jabref()), ("bibtex-tidy", _bibtex_tidy())):
        _report(name, *counts)
        total = [t + c for t, c in zip(total, counts)]
    tp, fp, fn = total
    _report("all", tp, fp, fn)
    assert tp / (tp + fp) >= 0.95, "precision below 0.95"
    assert tp / (tp + fn) >= 0.95, "recall below 0.95"


def test_hard_negatives_are_never_grouped() -> None:
    """Every hand-checked hard negative stays apart, and the reason is one a user can read."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present; it is beside the repo in CI only")
    for spec in LABELS["sets"]:
        entries: list[Entry] = []
        for rel in spec["files"]:
            entries += bibstore.load(corpus_file(rel)).entries.values()
        grouped = _pairs([g.keys for g in find_duplicates(entries)])
        wrong = [p for p in spec["not_duplicates"] if frozenset(p[:2]) in grouped]
        assert not wrong, f"{spec['name']}: grouped hard negatives {wrong}"
