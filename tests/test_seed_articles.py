"""The happy path on each seed article, replayed from cassettes recorded against the
oracle server (tests/fake_openai.py), which answers with the article's gold labels."""

from __future__ import annotations

import json

import pytest

from summarize import Settings, load_articles, summarize_article
from tests.conftest import EXAMPLES_DIR, GOLD_DIR
from tests.fake_openai import oracle

SEEDS = sorted((EXAMPLES_DIR / "seeds").glob("*.txt"))


@pytest.mark.vcr
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_article_happy_path(fake_server, path):
    server = fake_server(oracle(GOLD_DIR))
    gold = json.loads((GOLD_DIR / f"seed-{path.stem}.json").read_text("utf-8"))
    [article] = load_articles(path)
    assert article.text == gold["article"]["text"], "loader and gold disagree on the text"
    settings = Settings(backend="openai", base_url=server.base_url, api_key="test-key-not-secret",
                        model="gpt-4o-mini", max_retries=0, max_reasks=0)
    record = summarize_article(article, settings=settings)
    assert record.status == "ok", record.error
    summary = record.summary
    assert len(summary.claims) == len(gold["claims"])
    assert len(summary.casualties) == len(gold["casualties"])
    assert len(summary.loaded_terms) == len(gold["loaded_terms"])
    for item in [*summary.claims, *summary.casualties, *summary.loaded_terms]:
        assert item.span is not None
        assert article.text[item.span.start:item.span.end] == item.quote
    assert record.warnings == []
    assert record.usage.requests == 1
