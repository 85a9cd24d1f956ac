"""The live bar's counts and the summary line (summarize.batch.progress)."""

from __future__ import annotations

from summarize.batch.progress import BatchTally, _StatsColumn
from summarize.records import Usage
from tests.test_report import make_record


def tally_of(cost_usd: float | None, *, model: str = "no-such-model", tokens: tuple[int, int] = (100, 50)
             ) -> BatchTally:
    tally = BatchTally(total=2)
    usage = Usage(requests=1, prompt_tokens=tokens[0], completion_tokens=tokens[1], cost_usd=cost_usd)
    record = make_record()
    provenance = record.provenance.model_copy(update={"model": model})
    tally.add(record.model_copy(update={"usage": usage, "provenance": provenance}))
    return tally


def test_a_known_cost_is_in_the_bar_and_the_summary():
    tally = tally_of(0.0012)
    bar = _StatsColumn(tally).render(None).plain  # type: ignore[arg-type]
    assert bar == "1 ok · 0 failed · 150 tokens · $0.0012"
    assert "$0.0012" in tally.summary_line(elapsed=1.0)


def test_an_unknown_cost_is_left_out_of_the_bar_and_named_in_the_summary():
    tally = tally_of(None)
    bar = _StatsColumn(tally).render(None).plain  # type: ignore[arg-type]
    assert bar == "1 ok · 0 failed · 150 tokens"
    assert "cost unknown (no price for this model)" in tally.summary_line(elapsed=1.0)
    assert "$" not in tally.summary_line(elapsed=1.0)


def test_a_model_priced_only_on_openais_endpoint_says_so():
    tally = tally_of(None, model="gpt-4o-mini")
    assert "cost unknown (not priced at this endpoint: see --pricing)" in tally.summary_line(elapsed=1.0)


def test_answers_without_a_usage_block_and_no_price_are_not_free():
    """No tokens reported and no cost known: the summary does not say $0.0000."""
    tally = tally_of(None, model="gpt-4o-mini", tokens=(0, 0))
    line = tally.summary_line(elapsed=1.0)
    assert "cost unknown" in line and "$" not in line
    assert "$0.0000" in tally_of(0.0, model="gpt-4o-mini", tokens=(0, 0)).summary_line(elapsed=1.0)
