"""The record cache: what its key depends on, what it stores, how a replay looks, and
that an unchanged rerun sends no request at all."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from summarize.batch import BatchOptions, run_batch
from summarize.batch.cache import RecordCache, cache_key, default_cache_dir
from summarize.errors import ConfigError
from summarize.pipeline import Summarizer
from summarize.settings import Settings
from tests.fake_openai import article_text_of, status
from tests.test_batch import InFlight, dispatch, settings_for


def test_default_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path / "a"))
    assert default_cache_dir() == tmp_path / "a"
    monkeypatch.delenv("SUMMARIZE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "summarize"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "summarize"


def test_key_changes_with_everything_that_shapes_the_answer(fake_server):
    settings = settings_for(fake_server(InFlight()))
    provenance = Summarizer(settings).provenance()
    article = dispatch(0)
    key = cache_key(article, provenance)
    assert key == cache_key(article.model_copy(update={"path": "elsewhere.txt"}), provenance), "the file's location is not part of the key"
    variants = [
        cache_key(dispatch(1), provenance),
        cache_key(article.model_copy(update={"title": "Another title"}), provenance),
        cache_key(article, provenance.model_copy(update={"model": "gpt-4o"})),
        cache_key(article, provenance.model_copy(update={"mode": "json_schema"})),
        cache_key(article, provenance.model_copy(update={"prompt_sha256": "0" * 64})),
        cache_key(article, provenance.model_copy(update={"schema_version": "999"})),
        cache_key(article, provenance.model_copy(update={"temperature": 0.7})),
        cache_key(article, provenance.model_copy(update={"seed": 7})),
        cache_key(article, provenance.model_copy(update={"strict": True})),
    ]
    assert len({key, *variants}) == len(variants) + 1


def test_rules_key_depends_on_the_package_version_and_a_models_does_not(fake_server):
    settings = settings_for(fake_server(InFlight()))
    model = Summarizer(settings).provenance()
    rules = model.model_copy(update={"backend": "rules", "model": None, "prompt_sha256": None})
    article = dispatch(0)

    def key(provenance):
        return cache_key(article, provenance)

    assert key(model) == key(model.model_copy(update={"version": "9.9.9"}))
    assert key(rules) != key(rules.model_copy(update={"version": "9.9.9"}))


def test_unchanged_rerun_sends_zero_requests_and_marks_replays(fake_server):
    server = fake_server(InFlight(delay=0.0))
    settings = settings_for(server)
    articles = [dispatch(n) for n in range(6)]
    first = run_batch(articles, settings, options=BatchOptions(concurrency=3))
    assert len(server.requests) == 6 and all(r.ok for r in first)
    assert not any(r.provenance.cached for r in first)

    again = run_batch(articles, settings, options=BatchOptions(concurrency=3))
    assert len(server.requests) == 6, "the rerun sent requests"
    for old, new in zip(first, again, strict=True):
        assert new.provenance.cached
        assert new.usage.requests == 0 and new.usage.prompt_tokens == 0
        assert new.usage.cost_usd == 0.0
        assert new.provenance.cached_usage == old.usage
        assert new.summary == old.summary
        assert new.article.text == old.article.text, "the replay carries the article text"


def test_no_cache_sends_again(fake_server):
    server = fake_server(InFlight(delay=0.0))
    settings = settings_for(server)
    run_batch([dispatch(0)], settings)
    run_batch([dispatch(0)], settings, options=BatchOptions(use_cache=False))
    assert len(server.requests) == 2


def test_a_new_prompt_misses_the_cache(fake_server):
    server = fake_server(InFlight(delay=0.0))
    run_batch([dispatch(0)], settings_for(server, prompt="neutral-v2"))
    run_batch([dispatch(0)], settings_for(server, prompt="neutral-v1"))
    assert len(server.requests) == 2


def test_errors_are_never_cached(fake_server):
    refuse = {"on": True}
    ok_server = InFlight(delay=0.0)

    def responder(request, index):
        if refuse["on"] and "Dispatch 1." in article_text_of(request):
            return status(400, "refused this time")
        return ok_server(request, index)

    server = fake_server(responder)
    settings = settings_for(server)
    articles = [dispatch(0), dispatch(1)]
    first = run_batch(articles, settings)
    assert [r.status for r in first] == ["ok", "error"]
    refuse["on"] = False
    again = run_batch(articles, settings)
    assert [r.status for r in again] == ["ok", "ok"]
    assert again[0].provenance.cached and not again[1].provenance.cached
    assert len(server.requests) == 3


def test_cache_dir_option_is_used(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    options = BatchOptions(cache_dir=tmp_path / "my-cache")
    run_batch([dispatch(0)], settings_for(server), options=options)
    assert (tmp_path / "my-cache").is_dir()
    run_batch([dispatch(0)], settings_for(server), options=options)
    assert len(server.requests) == 1


def test_an_unreadable_entry_is_a_miss(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    settings = settings_for(server)
    article = dispatch(0)
    key = cache_key(article, Summarizer(settings).provenance())
    with RecordCache(tmp_path) as cache:
        cache._store.set(key, '{"id": "written by some other version"}')
        assert cache.get(key, article) is None
        assert key not in cache._store


def test_a_cache_that_cannot_be_opened_is_a_configuration_error(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="--no-cache"):
        RecordCache(blocker / "cache")


def test_rules_records_are_cached_when_the_rules_backend_exists(tmp_path: Path):
    settings = Settings(backend="rules")
    options = BatchOptions(cache_dir=tmp_path)
    first = run_batch([dispatch(0)], settings, options=options)
    again = run_batch([dispatch(0)], settings, options=options)
    assert first[0].ok and not first[0].provenance.cached
    assert again[0].provenance.cached and again[0].summary == first[0].summary


def test_a_ttl_expires_the_records_a_run_stores(tmp_path: Path):
    settings = Settings(backend="rules")
    run_batch([dispatch(0)], settings, options=BatchOptions(cache_dir=tmp_path / "hour",
                                                            cache_ttl=3600))
    with RecordCache(tmp_path / "hour") as cache:
        [key] = list(cache._store.iterkeys())
        _, expires = cache._store.get(key, expire_time=True)
    assert expires is not None and 3000 < expires - time.time() <= 3600
    short = BatchOptions(cache_dir=tmp_path / "short", cache_ttl=0.05)
    run_batch([dispatch(0)], settings, options=short)
    time.sleep(0.2)  # past the expiry: the record is no longer served
    again = run_batch([dispatch(0)], settings, options=short)
    assert not again[0].provenance.cached
    forever = BatchOptions(cache_dir=tmp_path / "forever")
    run_batch([dispatch(0)], settings, options=forever)
    with RecordCache(tmp_path / "forever") as cache:
        [key] = list(cache._store.iterkeys())
        assert cache._store.get(key, expire_time=True)[1] is None
    assert run_batch([dispatch(0)], settings, options=forever)[0].provenance.cached
    with pytest.raises(ConfigError, match="--cache-ttl"):
        BatchOptions(cache_ttl=0).check()


def test_cache_info_and_clear_on_the_command_line(tmp_path: Path):
    from tests.conftest import run_cli

    (tmp_path / "in").mkdir()
    for number in range(3):
        (tmp_path / "in" / f"a{number}.txt").write_text(f"T{number}\n{dispatch(number).text}\n")
    folder = tmp_path / "c"

    def info() -> dict:
        result = run_cli("cache", "info", "--json", "--cache-dir", str(folder), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert info() == {"path": str(folder), "exists": False, "entries": 0, "size_bytes": 0,
                      "size_limit_bytes": 2 * 1024**3}
    assert not folder.exists(), "info created a cache"
    assert run_cli("run", "in", "--backend", "rules", "--cache-dir", str(folder), "-q",
                   cwd=tmp_path).returncode == 0
    filled = info()
    assert filled["exists"] and filled["entries"] == 3 and filled["size_bytes"] > 0
    text = run_cli("cache", "info", "--cache-dir", str(folder), cwd=tmp_path).stdout
    assert f"path     {folder}" in text and "entries  3" in text
    assert "Removed 0 expired" in run_cli("cache", "clear", "--expired", "--cache-dir", str(folder),
                                          cwd=tmp_path).stderr
    cleared = run_cli("cache", "clear", cwd=tmp_path, env={"SUMMARIZE_CACHE_DIR": str(folder)})
    assert cleared.returncode == 0 and "Removed 3 record(s)" in cleared.stderr
    assert info()["entries"] == 0


@pytest.mark.parametrize("batch_job", [None, "batch_0123abcd"])
def test_a_hit_is_spliced_into_the_same_line_as_parsing_and_writing_it(tmp_path: Path, batch_job):
    """A warm rerun replays each hit by splicing its stored JSON (no record parsed): the
    line must be exactly the one parsing and dumping makes, and the splice must apply to
    records of the current layout, Batch API records included (a field added at the end
    of the provenance once made every hit fall back to parsing)."""
    from summarize.articles import Article
    from summarize.batch.cache import replayed, replayed_line, stored_value
    from summarize.batch.index import RUN_FIELDS, run_key
    from summarize.batch.journal import record_line

    record = run_batch([dispatch(0)], Settings(backend="rules"), options=BatchOptions(use_cache=False))[0]
    record = record.model_copy(update={"provenance": record.provenance.model_copy(
        update={"batch_job": batch_job})})
    assert record.ok and not record.provenance.cached
    line = record_line(record)
    # Another article with the same text (another id, title): the hit is its record.
    article = Article(id="other \u00e9", title="Another \"title\"", source="Src", path="x.txt",
                      text=record.article.text)
    expected = record_line(replayed(record, article))
    run = run_key(getattr(record.provenance, n) for n in RUN_FIELDS)
    for value in (stored_value(record), stored_value(record, line)):
        spliced = replayed_line(value, article)
        assert spliced is not None, "the splice path no longer recognises a stored record"
        assert spliced == (expected, run)
    assert json.loads(expected)["provenance"]["batch_job"] == batch_job
    with RecordCache(tmp_path / "cache") as cache:
        key = cache_key(article, record.provenance)
        cache.put(key, record, line)
        cache.close()
    with RecordCache(tmp_path / "cache") as cache:
        assert cache.get_line(key, article)[0] == expected
        assert record_line(cache.get(key, article)) == expected
