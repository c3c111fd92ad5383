"""pubman.toml is read from its parsed copy in the cache dir when its bytes have not changed,
and the answer is always the one tomllib gives for the bytes on disk now."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pubman import config
from pubman.errors import ConfigError

CONFIG = """\
bib = "pubs.bib"

[owner]
name = "Ada Lovelace"
aliases = ["A. Lovelace"]

[venues.MLSys]
kind = "conference"
aliases = ["Conference on Machine Learning and Systems"]
"""


def _settings(tmp_path: Path) -> config.Settings:
    return config.load_settings(cwd=tmp_path, env={})


def _stored(cache: Path) -> list[Path]:
    return sorted((cache / "config").glob("*.marshal"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PUBMAN_CACHE_DIR", str(folder))
    return folder


def test_an_unchanged_config_reads_the_same_from_the_cache(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "pubman.toml").write_text(CONFIG, encoding="utf-8")
    first = _settings(tmp_path)
    assert len(_stored(cache)) == 1
    again = _settings(tmp_path)
    assert again == first
    assert again.owner == "Ada Lovelace" and again.aliases == ("A. Lovelace",)
    assert dict(again.venues) == {
        "MLSys": {"kind": "conference", "aliases": ["Conference on Machine Learning and Systems"]}
    }


def test_a_changed_config_is_read_anew(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "pubman.toml"
    path.write_text(CONFIG, encoding="utf-8")
    assert _settings(tmp_path).owner == "Ada Lovelace"
    stat = path.stat()
    path.write_text(CONFIG.replace("Ada Lovelace", "Ada Byron"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime as before
    assert _settings(tmp_path).owner == "Ada Byron"


@pytest.mark.parametrize(
    "text",
    ["[owner\nname = 1\n", 'bib = "a.bib"\nbib = "b.bib"\n', b"[owner]\nname = '\xe9'\n"],
    ids=["unclosed-table", "repeated-key", "not-utf8"],
)
def test_a_broken_config_gives_the_same_error_every_time(
    tmp_path: Path, cache: Path, text: str | bytes
) -> None:
    path = tmp_path / "pubman.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    errors = []
    for _ in range(2):
        with pytest.raises(ConfigError) as err:
            _settings(tmp_path)
        errors.append(str(err.value))
    assert errors[0] == errors[1]
    assert "not valid TOML" in errors[0] or "is not UTF-8" in errors[0]
    assert _stored(cache) == []


def test_a_broken_edit_of_a_cached_config_is_reported(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "pubman.toml"
    path.write_text(CONFIG, encoding="utf-8")
    _settings(tmp_path)
    path.write_text(CONFIG.replace("[owner]", "[owner"), encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        _settings(tmp_path)


def test_a_bad_key_is_reported_also_from_the_cache(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "pubman.toml").write_text(CONFIG + "\n[sync]\nspeed = 3\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="unknown key 'speed' at \\[sync\\]"):
            _settings(tmp_path)


def test_a_secret_pasted_into_the_config_never_reaches_the_cache(
    tmp_path: Path, cache: Path
) -> None:
    secret = "s2-key-0123456789abcdef"
    (tmp_path / "pubman.toml").write_text(f'{CONFIG}\n[api]\nkey = "{secret}"\n', "utf-8")
    with pytest.raises(ConfigError, match="unknown key 'key'"):
        _settings(tmp_path)
    assert all(secret.encode() not in f.read_bytes() for f in cache.rglob("*") if f.is_file())
    assert _stored(cache) == []


@pytest.mark.parametrize(
    "junk", [b"", b"\x00garbage", b"{", None], ids=["empty", "garbage", "truncated", "other-data"]
)
def test_a_corrupt_cache_file_is_ignored(tmp_path: Path, cache: Path, junk: bytes | None) -> None:
    (tmp_path / "pubman.toml").write_text(CONFIG, encoding="utf-8")
    _settings(tmp_path)
    (stored,) = _stored(cache)
    if junk is None:  # well-formed, but for other bytes: never the answer
        import marshal

        junk = marshal.dumps({"stamp": [1, sys.version, "0" * 64], "data": {"owner": {}}})
    stored.write_bytes(junk)
    assert _settings(tmp_path).owner == "Ada Lovelace"


def test_an_unwritable_cache_dir_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PUBMAN_CACHE_DIR", str(blocker / "cache"))
    (tmp_path / "pubman.toml").write_text(CONFIG, encoding="utf-8")
    assert _settings(tmp_path).owner == "Ada Lovelace"


def test_a_date_value_is_read_though_it_is_not_cached(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "pubman.toml").write_text(CONFIG + "\n[format]\nsince = 2020-01-01\n", "utf-8")
    for _ in range(2):
        assert str(_settings(tmp_path).format["since"]) == "2020-01-01"
    assert _stored(cache) == []


def test_a_cached_config_starts_without_tomllib(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "pubman.toml").write_text(CONFIG, encoding="utf-8")
    probe = (
        "import sys; from pathlib import Path; from pubman import config; "
        f"s = config.load_settings(cwd=Path({str(tmp_path)!r}), env={{}}); "
        "print(s.owner, 'tomllib' in sys.modules)"
    )
    env = {**os.environ, "PUBMAN_CACHE_DIR": str(cache)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert [r.stdout for r in runs] == ["Ada Lovelace True\n", "Ada Lovelace False\n"]
