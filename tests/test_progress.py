"""The live bar's counts and the summary line (summarize.batch.progress)."""

from __future__ import annotations

from summarize.batch.progress import BatchTally, _StatsColumn
from summarize.records import Usage
from tests.test_report import make_record


def tally_of(cost_usd: float | None) -> BatchTally:
    tally = BatchTally(total=2)
    usage = Usage(requests=1, prompt_tokens=100, completion_tokens=50, cost_usd=cost_usd)
    tally.add(make_record().model_copy(update={"usage": usage}))
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
