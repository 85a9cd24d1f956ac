"""The model path end to end: prompt, instructor, transport retries, re-asks, grounding.

Tests marked ``vcr`` replay tests/cassettes/test_client/<test>.yaml, recorded from the
fake OpenAI server in tests/fake_openai.py (see tests/cassettes/README.md). The others
run against that server live and also check what the client sent.
"""

from __future__ import annotations

import copy
import time

import pytest

from summarize import Settings, summarize_article
from summarize.articles import article_from_text
from summarize.pipeline import asummarize_article
from tests.fake_openai import Action, answer, scripted, status

ARTICLE = (
    "At least 12 civilians were killed on Monday when shells hit a market in Kafr Nabl, "
    "the Syrian Observatory for Human Rights said. State news agency SANA said army units "
    "liberated two villages from terrorist groups near the town. Dozens of fighters were "
    "wounded in the clashes."
)
SENTENCES = [
    "At least 12 civilians were killed on Monday when shells hit a market in Kafr Nabl, "
    "the Syrian Observatory for Human Rights said.",
    "State news agency SANA said army units liberated two villages from terrorist groups "
    "near the town.",
    "Dozens of fighters were wounded in the clashes.",
]
GOOD = {
    "summary": "Shelling killed at least 12 civilians in Kafr Nabl, according to the Syrian "
    "Observatory for Human Rights. SANA said army units took two villages from groups it "
    "described as \"terrorist groups\".",
    "events": [{"description": "Shells hit a market.", "event_type": "shelling",
                "location": "Kafr Nabl", "date_text": "on Monday", "actors": []}],
    "claims": [
        {"claim": "At least 12 civilians were killed in shelling.", "source": "the Syrian "
         "Observatory for Human Rights", "source_type": "monitor", "cue": "said",
         "quote": SENTENCES[0], "direct_quote": False},
        {"claim": "Army units captured two villages.", "source": "State news agency SANA",
         "source_type": "government", "cue": "said", "quote": SENTENCES[1],
         "direct_quote": False},
    ],
    "casualties": [
        {"quantity_text": "At least 12", "outcome": "killed", "victims": "civilians",
         "victim_category": "civilian", "quantity_type": "at_least", "low": 12, "high": None,
         "stated_by": "the Syrian Observatory for Human Rights", "perpetrator": None,
         "quote": SENTENCES[0]},
        {"quantity_text": "Dozens", "outcome": "wounded", "victims": "fighters",
         "victim_category": "combatant", "quantity_type": "vague", "low": 12, "high": None,
         "stated_by": "Example News", "perpetrator": None, "quote": SENTENCES[2]},
    ],
    "loaded_terms": [
        {"term": "terrorist", "quote": SENTENCES[1], "neutral_alternative": "armed groups"},
        {"term": "liberated", "quote": SENTENCES[1], "neutral_alternative": "captured"},
    ],
}


def good_with(**changes) -> dict:
    """A copy of the good answer with top-level fields replaced."""
    data = copy.deepcopy(GOOD)
    data.update(changes)
    return data


def ungrounded_claim() -> dict:
    data = copy.deepcopy(GOOD)
    data["claims"][0]["quote"] = "The Observatory said the market attack was a war crime."
    return data


def settings_for(server, **changes) -> Settings:
    values = dict(backend="openai", base_url=server.base_url, api_key="test-key-not-secret",
                  model="gpt-4o-mini", max_retries=2, max_reasks=2, timeout=5.0,
                  backoff_initial=0.01, backoff_max=0.05)
    values.update(changes)
    return Settings(**values)


def run(server, **changes):
    article = article_from_text(ARTICLE, title="Shelling kills civilians", source="Example News")
    return summarize_article(article, settings=settings_for(server, **changes))


# ---- recorded scenarios (replayed from cassettes) -------------------------------------


@pytest.mark.vcr
def test_reask_after_ungrounded_quote(fake_server):
    server = fake_server(scripted([answer(ungrounded_claim()), answer(GOOD)]))
    record = run(server)
    assert record.status == "ok"
    assert record.usage.requests == 2
    assert record.usage.reasks == 1
    assert record.usage.prompt_tokens == 200 and record.usage.completion_tokens == 100
    assert all(c.span is not None for c in record.summary.claims)
    assert not [w for w in record.warnings if w.code == "ungrounded_quote"]


@pytest.mark.vcr
def test_reask_after_loaded_term_in_summary(fake_server):
    loaded = good_with(summary="Terrorists were pushed out of two villages by the army.")
    server = fake_server(scripted([answer(loaded), answer(GOOD)]))
    record = run(server)
    assert record.status == "ok"
    assert record.usage.requests == 2
    assert "Terrorists" not in record.summary.summary
    assert not [w for w in record.warnings if w.code == "loaded_term_in_summary"]


@pytest.mark.vcr
def test_429_with_retry_after_then_success(fake_server):
    server = fake_server(scripted([status(429, "slow down", headers={"retry-after": "1"}),
                                   answer(GOOD)]))
    started = time.monotonic()
    record = run(server)
    assert record.status == "ok"
    assert record.usage.requests == 2, "the 429 and the successful request both count"
    assert record.usage.prompt_tokens == 100
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was not honoured"


@pytest.mark.vcr
def test_500_then_success(fake_server):
    server = fake_server(scripted([status(500, "upstream exploded"), answer(GOOD)]))
    record = run(server)
    assert record.status == "ok"
    assert record.usage.requests == 2


@pytest.mark.vcr
def test_retries_exhausted_gives_error_record(fake_server):
    server = fake_server(scripted([status(503, "overloaded")]))
    record = run(server, max_retries=2)
    assert record.status == "error"
    assert record.summary is None
    assert record.error.type == "model_error"
    assert record.error.reason == "http_503"
    assert record.error.attempts == 3
    assert "overloaded" in record.error.message
    assert record.usage.requests == 3


# ---- live scenarios (the server's side is checked too) --------------------------------


def test_quote_still_ungrounded_after_last_reask_is_flagged(fake_server):
    server = fake_server(scripted([answer(ungrounded_claim())]))
    record = run(server, max_reasks=2)
    assert len(server.requests) == 3, "one request and two re-asks"
    assert record.usage.reasks == 2
    reask = server.requests[1]["messages"][-1]["content"]
    assert "is not in the article" in reask
    assert record.status == "ok"
    flagged = record.summary.claims[0]
    assert flagged.span is None
    assert any(w.code == "ungrounded_quote" and w.item == "claims[0]" for w in record.warnings)
    assert any(w.code == "reasks_exhausted" for w in record.warnings)
    grounded = [c for c in record.summary.claims[1:]]
    assert grounded and all(c.span is not None for c in grounded)


def test_api_error_is_never_fed_back_to_the_model(fake_server):
    server = fake_server(scripted([status(500, "secret internal detail"), answer(GOOD)]))
    record = run(server)
    assert record.status == "ok"
    assert server.requests[0]["messages"] == server.requests[1]["messages"]
    assert "secret internal detail" not in str(server.requests[1])


def test_spans_point_at_the_quotes(fake_server):
    server = fake_server(scripted([answer(GOOD)]))
    record = run(server)
    for claim in record.summary.claims:
        assert ARTICLE[claim.span.start:claim.span.end] == claim.quote
        assert claim.span.match == "exact"


def test_refusal_is_an_error_record_without_retry(fake_server):
    server = fake_server(scripted([Action("refusal", payload="I cannot help with that.")]))
    record = run(server)
    assert record.status == "error"
    assert record.error.reason == "refusal"
    assert len(server.requests) == 1


def test_truncated_output_is_an_error_record_naming_max_tokens(fake_server):
    server = fake_server(scripted([Action("length", payload='{"summary": "Shel')]))
    record = run(server, max_tokens=50)
    assert record.status == "error"
    assert record.error.reason == "length"
    assert "max_tokens=50" in record.error.message
    assert len(server.requests) == 1


def test_empty_choices_are_retried(fake_server):
    server = fake_server(scripted([Action("empty_choices"), answer(GOOD)]))
    record = run(server)
    assert record.status == "ok"
    assert record.usage.requests == 2


def test_unparseable_answer_is_reasked(fake_server):
    server = fake_server(scripted([answer('{"summary": "Shelling in Kafr'), answer(GOOD)]))
    record = run(server)
    assert record.status == "ok"
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", ["json_schema", "md_json"])
def test_other_modes(fake_server, mode):
    server = fake_server(scripted([answer(GOOD)]))
    record = run(server, mode=mode)
    assert record.status == "ok", record.error
    sent = server.requests[0]
    assert "tools" not in sent
    if mode == "json_schema":
        assert sent["response_format"]["type"] == "json_schema"


def test_key_is_never_written_to_the_record(fake_server):
    server = fake_server(scripted([answer(GOOD)]))
    record = run(server, api_key="sk-abcdefghijklmnopqrstuvwxyz123456")
    assert "sk-abcdefghijklmnopqrstuvwxyz" not in record.model_dump_json()


async def test_async_api(fake_server):
    server = fake_server(scripted([answer(GOOD)]))
    record = await asummarize_article(ARTICLE, settings=settings_for(server))
    assert record.status == "ok"
    assert record.provenance.backend == "openai"
    assert record.provenance.prompt == "neutral-v2"
    assert len(record.provenance.prompt_sha256) == 64


def test_article_text_is_sent_verbatim_even_with_template_syntax(fake_server):
    tricky = ARTICLE + " Posters read {{ article }} and {% raw %} and {# x #}."
    server = fake_server(scripted([answer(GOOD)]))
    article = article_from_text(tricky, title="T", source="Example News")
    record = summarize_article(article, settings=settings_for(server))
    assert record.status == "ok", record.error
    sent = server.requests[0]["messages"][-1]["content"]
    assert f"<article>\n{tricky}\n</article>" in sent


async def test_the_sdk_client_is_made_only_for_a_request_that_goes_over_http():
    """A Transport that answers every request (the Batch API's replay) needs no SDK client;
    closing a client that never made one still closes the HTTP client it was given."""
    import httpx2

    from summarize.model.bodies import request_body
    from summarize.model.client import ModelClient
    from summarize.model.exchange import RequestDeferred

    async def defer(kwargs, tally, send):
        raise RequestDeferred(request_body(kwargs))

    given = httpx2.AsyncClient()
    client = ModelClient(Settings(api_key="sk-test-0123456789", base_url="http://127.0.0.1:9/v1"),
                         http_client=given, transport=defer)
    with pytest.raises(RequestDeferred):
        await client.extract([{"role": "user", "content": ARTICLE}], article_text=ARTICLE)
    assert client._sdk is None
    await client.aclose()
    assert given.is_closed
