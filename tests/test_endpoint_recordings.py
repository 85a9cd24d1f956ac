"""The seed articles through a real model endpoint, replayed from cassettes.

Recorded with ``OPENAI_API_KEY=... python -m tests.record_cassettes openai`` (optionally
with OPENAI_BASE_URL and SUMMARIZE_MODEL). Until someone records them, these tests skip:
this machine reaches no hosted model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from summarize import Settings, load_articles, summarize_article
from tests.conftest import EXAMPLES_DIR, REAL_ENDPOINT

SEEDS = sorted((EXAMPLES_DIR / "seeds").glob("*.txt"))
CASSETTES = Path(__file__).parent / "cassettes" / "test_endpoint_recordings"


@pytest.mark.vcr
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_real_model_on_seed_article(request, path):
    recording = request.config.getoption("--record-mode") not in (None, "none")
    cassette = CASSETTES / f"test_real_model_on_seed_article[{path.stem[:3]}].yaml"
    if not recording and not cassette.exists():
        pytest.skip("no recording from a real endpoint yet (python -m tests.record_cassettes openai)")
    model = REAL_ENDPOINT["SUMMARIZE_MODEL"] or "gpt-4o-mini"
    base_url = REAL_ENDPOINT["OPENAI_BASE_URL"]
    if not recording:  # replay with the model and endpoint the cassette was recorded with
        first = yaml.safe_load(cassette.read_text("utf-8"))["interactions"][0]["request"]
        model = json.loads(first["body"])["model"]
        base_url = first["uri"].rsplit("/chat/completions", 1)[0]
    settings = Settings(backend="openai", api_key=REAL_ENDPOINT["OPENAI_API_KEY"] or "replayed",
                        base_url=base_url, model=model)
    [article] = load_articles(path)
    record = summarize_article(article, settings=settings)
    assert record.status == "ok", record.error
    items = [*record.summary.claims, *record.summary.casualties, *record.summary.loaded_terms]
    assert items, "a real model found nothing to extract"
    grounded = [item for item in items if item.span is not None]
    assert len(grounded) >= 0.8 * len(items)
