"""The parse cache: reused only for identical content; changed or corrupt caches are rebuilt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pubman.store import bibliography as bibstore
from pubman.store import parsecache


@pytest.fixture()
def big_bib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PUBMAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(parsecache, "MIN_SIZE", 0)
    path = tmp_path / "big.bib"
    entries = [
        f"@article{{k{i},\n  author = {{Author {i}}},\n  title = {{Title {i}}},\n"
        f"  journal = jour,\n  year = {2000 + i % 20}\n}}\n"
        for i in range(300)
    ]
    path.write_text('@string{jour = "Journal"}\n\n' + "\n".join(entries), encoding="utf-8")
    return path


def _cache_files(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "cache" / "parse").glob("*.marshal"))


def test_second_load_uses_cache_and_is_equal(
    big_bib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = bibstore.load(big_bib)
    assert len(_cache_files(tmp_path)) == 1
    calls = []
    monkeypatch.setattr(bibstore.bibscan, "scan", lambda *a: calls.append(a) or [])
    second = bibstore.load(big_bib)
    assert calls == []  # nothing was parsed
    assert second.entries == first.entries
    assert second.text() == first.text()
    assert second["k7"].fields["journal"] == "Journal"


def test_edit_after_cached_load_is_still_lossless(big_bib: Path) -> None:
    bibstore.load(big_bib)
    cached = bibstore.load(big_bib)
    original = big_bib.read_text(encoding="utf-8")
    cached.set_field("k3", "doi", "10.1/x")
    text = cached.text()
    assert text.replace("  year = 2003,\n  doi = {10.1/x}\n", "  year = 2003\n") == original
    assert cached["k3"].fields["doi"] == "10.1/x"


def test_changed_file_is_reparsed(big_bib: Path) -> None:
    bibstore.load(big_bib)
    text = big_bib.read_text(encoding="utf-8").replace("Title 5}", "Changed 5}")
    st = big_bib.stat()
    big_bib.write_text(text, encoding="utf-8")
    os.utime(big_bib, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime, same size +2
    assert bibstore.load(big_bib)["k5"].fields["title"] == "Changed 5"


def test_same_size_and_mtime_but_new_content_is_reparsed(big_bib: Path) -> None:
    bibstore.load(big_bib)
    text = big_bib.read_text(encoding="utf-8").replace("Title 5}", "Tatle 5}")
    st = big_bib.stat()
    big_bib.write_text(text, encoding="utf-8")
    os.utime(big_bib, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert big_bib.stat().st_size == st.st_size
    assert bibstore.load(big_bib)["k5"].fields["title"] == "Tatle 5"


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"stamp": 1, "data": []}', b"\x00\x01"])
def test_corrupt_cache_is_ignored_and_rebuilt(
    big_bib: Path, tmp_path: Path, garbage: bytes
) -> None:
    bibstore.load(big_bib)
    [cache] = _cache_files(tmp_path)
    cache.write_bytes(garbage)
    bib = bibstore.load(big_bib)
    assert len(bib.entries) == 300
    assert cache.read_bytes() != garbage  # rebuilt


def test_cache_that_does_not_fit_the_file_is_rebuilt(big_bib: Path, tmp_path: Path) -> None:
    import marshal

    bibstore.load(big_bib)
    [cache] = _cache_files(tmp_path)
    raw = cache.read_bytes()
    size = int.from_bytes(raw[:8], "little")
    data = marshal.loads(raw[8 : 8 + size])
    data["data"]["bounds"] = data["data"]["bounds"][:-8]  # valid stamp, broken content
    head = marshal.dumps(data)
    cache.write_bytes(len(head).to_bytes(8, "little") + head + raw[8 + size :])
    bib = bibstore.load(big_bib)
    assert len(bib.entries) == 300 and bib.text() == big_bib.read_text(encoding="utf-8")


def test_derived_results_follow_content_and_params(big_bib: Path) -> None:
    parsecache.write_derived(big_bib, "demo", "owner=A", {"n": 1})
    assert parsecache.read_derived(big_bib, "demo", "owner=A") == {"n": 1}
    assert parsecache.read_derived(big_bib, "demo", "owner=B") is None
    assert parsecache.read_derived(big_bib, "other", "owner=A") is None
    big_bib.write_text(big_bib.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert parsecache.read_derived(big_bib, "demo", "owner=A") is None


def test_stats_second_run_from_cache_matches_and_follows_edits(
    big_bib: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PUBMAN_CACHE_DIR": str(tmp_path / "cache")}
    # a file above the real size threshold, so the CLI (a fresh process) caches it
    text = big_bib.read_text(encoding="utf-8")
    while len(text.encode("utf-8")) < 512 * 1024 + 1000:  # the real threshold
        text += text.split("\n\n", 1)[1].replace("@article{k", "@article{x" + str(len(text)))
    big_bib.write_text(text, encoding="utf-8")

    def stats() -> str:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pubman",
                "--bib",
                str(big_bib),
                "--owner",
                "Author 7",
                "stats",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return proc.stdout

    first, second = stats(), stats()
    assert first == second
    assert list((tmp_path / "cache" / "derived").glob("*stats-works.json"))
    big_bib.write_text(text.replace("year = 2003", "year = 1999", 1), encoding="utf-8")
    third = stats()
    assert '"1999": 1' in third and third != first


def test_derived_result_is_stamped_with_the_content_it_came_from(big_bib: Path) -> None:
    """A file edited while a command computed must not get the old result under its new stamp."""
    before = parsecache.fingerprint(big_bib)
    big_bib.write_text(
        big_bib.read_text(encoding="utf-8") + "\n% edited meanwhile\n", encoding="utf-8"
    )
    parsecache.write_derived(big_bib, "demo", "p", {"n": 1}, before)
    assert parsecache.read_derived(big_bib, "demo", "p") is None
    parsecache.write_derived(big_bib, "demo", "p", {"n": 2})
    assert parsecache.read_derived(big_bib, "demo", "p") == {"n": 2}
    assert bibstore.load(big_bib).fingerprint == parsecache.fingerprint(big_bib)


def test_install_stamp_covers_the_whole_package_not_just_the_store() -> None:
    """An edited venue table (pubman/data/venues.toml) or venues.py must invalidate cached
    results; the stamp once only looked at the folder of parsecache.py (pubman/store/)."""
    import pubman
    from pubman.store import parsecache

    root = Path(pubman.__file__).resolve().parent
    assert parsecache.PACKAGE_ROOT == root
    newest = max(
        p.stat().st_mtime_ns
        for p in root.rglob("*")
        if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts
    )
    parsecache._INSTALL.clear()
    try:
        assert parsecache.install_stamp().endswith(f"+{newest}")
    finally:
        parsecache._INSTALL.clear()
