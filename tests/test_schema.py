"""Schema validators: grounding checks run with the article as validation context."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from summarize.prompts import list_prompts
from summarize.schema import ArticleSummary, CasualtyFigure

ARTICLE = "Scores of fighters were killed and wounded in Aleppo, battlefield sources said."
STRICT = {"article": ARTICLE, "strict": True}


def figure(**changes):
    data = {"quantity_text": "Scores", "outcome": "killed_or_wounded", "victims": "fighters",
            "victim_category": "combatant", "quantity_type": "vague", "low": 20, "high": None,
            "stated_by": "battlefield sources", "perpetrator": None, "quote": ARTICLE}
    data.update(changes)
    return data


def summary(**changes):
    data = {"summary": "Fighters were killed and wounded in Aleppo, battlefield sources said.",
            "casualties": [figure()]}
    data.update(changes)
    return data


def test_valid_answer_passes_strict_validation():
    parsed = ArticleSummary.model_validate(summary(), context=STRICT)
    assert parsed.casualties[0].span is None, "spans are filled by grounding, not the model"


def test_quote_not_in_article_is_rejected_with_a_clear_message():
    bad = summary(casualties=[figure(quote="Dozens of fighters died in Aleppo yesterday.")])
    with pytest.raises(ValidationError, match="is not in the article"):
        ArticleSummary.model_validate(bad, context=STRICT)


def test_invented_quantity_is_rejected():
    with pytest.raises(ValidationError, match="does not occur in the article"):
        ArticleSummary.model_validate(summary(casualties=[figure(quantity_text="40")]), context=STRICT)


def test_low_above_high_is_rejected_even_without_context():
    with pytest.raises(ValidationError, match="greater than high"):
        CasualtyFigure.model_validate(figure(low=30, high=20))


def test_loaded_term_in_summary_is_rejected_unless_attributed():
    with pytest.raises(ValidationError, match="loaded terms without attribution"):
        ArticleSummary.model_validate(summary(summary="Terrorists were killed in Aleppo."), context=STRICT)
    ok = summary(summary='Fighters described by the army as "terrorists" were killed in Aleppo.')
    ArticleSummary.model_validate(ok, context=STRICT)


def test_without_context_only_structure_is_checked():
    ArticleSummary.model_validate(summary(summary="Terrorists were killed.",
                                          casualties=[figure(quote="not in the text")]))


def test_span_is_not_part_of_the_schema_the_model_sees():
    schema = json.dumps(ArticleSummary.model_json_schema())
    assert '"span"' not in schema
    assert "quantity_text" in schema


WITH_EXAMPLES = [p for p in list_prompts() if "<example>" in p.path.read_text("utf-8")]


def test_some_prompt_has_a_worked_example():
    assert WITH_EXAMPLES


@pytest.mark.parametrize("prompt", WITH_EXAMPLES, ids=lambda p: p.name)
def test_worked_examples_in_prompts_pass_the_validators(prompt):
    source = prompt.path.read_text("utf-8")
    example = source.split("<example>", 1)[1].split("</example>", 1)[0]
    article = example.split("<article>\n", 1)[1].split("\n</article>", 1)[0]
    output = json.loads(example.split("Output:\n", 1)[1])
    ArticleSummary.model_validate(output, context={"article": article, "strict": True})


def test_validation_problems_are_one_line_each_in_the_projects_words():
    from summarize.errors import first_problem, problems

    answer = {"summary": 42, "casualties": [{
        "quantity_text": "12", "outcome": "died", "victims": "people", "victim_category": "civilian",
        "quantity_type": "exact", "low": -1, "high": "x", "stated_by": "SANA"}]}
    with pytest.raises(ValidationError) as raised:
        ArticleSummary.model_validate(answer)
    assert problems(raised.value) == [
        "summary: must be a string, not 42",
        "casualties[0].outcome: 'died' is not one of 'killed', 'wounded', 'killed_or_wounded', "
        "'captured' or 'missing'",
        "casualties[0].low: must be 0 or more, not -1",
        "casualties[0].high: must be a whole number, not 'x'",
        "casualties[0].quote: missing",
    ]
    assert first_problem(raised.value) == "summary: must be a string, not 42"
    with pytest.raises(ValidationError) as raised:
        CasualtyFigure.model_validate({**answer["casualties"][0], "outcome": "killed", "low": 5,
                                       "high": 3, "quote": "12 people"})
    assert problems(raised.value) == ["low (5) is greater than high (3)"]
