"""The structured summary a model must return (field names are a public contract).

Field descriptions are prompt text: the model reads them in the JSON schema. Review a
change to them like a prompt change and bump ``SCHEMA_VERSION``; it goes into every
record's provenance and into the cache key.

Validators that need the article read it from a validation context
``{"article": <text>, "strict": True}`` or, during a model call, from
``VALIDATION_ARTICLE`` (see there why). With the article a quote that
is not in the article, a quantity the article does not state, or a loaded term in the
summary is a validation error, and instructor re-asks with the error message. Without
it (the salvage path after the last re-ask) only the structural checks run and grounding
problems become warnings (see summarize.grounding).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from summarize.alignment import ArticleMatcher, contains_quantity
from summarize.lexicon import load_lexicon

#: 1: the first schema. 2: with strict structured outputs (on by default on OpenAI's
#: endpoint) the schema is sent in its strict form (summarize.model.response_models); the
#: fields and their descriptions are unchanged.
SCHEMA_VERSION = "2"


class EventType(StrEnum):
    """Kinds of event a conflict report describes."""

    armed_clash = "armed_clash"
    airstrike = "airstrike"
    shelling = "shelling"
    bombing = "bombing"
    chemical_attack = "chemical_attack"
    territorial_change = "territorial_change"
    siege = "siege"
    arrest = "arrest"
    evacuation = "evacuation"
    ceasefire = "ceasefire"
    negotiation = "negotiation"
    protest = "protest"
    humanitarian = "humanitarian"
    statement = "statement"
    other = "other"


class SourceType(StrEnum):
    """Who a source is."""

    government = "government"
    military = "military"
    armed_group = "armed_group"
    monitor = "monitor"
    media = "media"
    official = "official"
    witness = "witness"
    medical = "medical"
    humanitarian = "humanitarian"
    international = "international"
    unnamed = "unnamed"
    other = "other"


class Outcome(StrEnum):
    """What happened to the people counted."""

    killed = "killed"
    wounded = "wounded"
    killed_or_wounded = "killed_or_wounded"
    captured = "captured"
    missing = "missing"


class VictimCategory(StrEnum):
    """Whether the people counted are civilians, fighters or both."""

    civilian = "civilian"
    combatant = "combatant"
    mixed = "mixed"
    unknown = "unknown"


class QuantityType(StrEnum):
    """How precise the stated number is."""

    exact = "exact"
    at_least = "at_least"
    at_most = "at_most"
    approximate = "approximate"
    range = "range"
    vague = "vague"


class MatchKind(StrEnum):
    """How a quote was found in the article."""

    exact = "exact"
    normalized = "normalized"
    fuzzy = "fuzzy"


class Span(BaseModel):
    """Character offsets ``[start, end)`` of a quote in the article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    match: MatchKind
    score: float = Field(default=100.0, description="rapidfuzz similarity, 100 unless fuzzy")


#: The article being validated, for validators called by instructor. instructor renders
#: every message as a Jinja2 template when it is given a context, and the messages hold
#: the article: an article containing "{{" would be rewritten or crash. So the client
#: passes no context to instructor and sets this variable instead (one value per asyncio
#: task). An explicit ``context=`` to ``model_validate`` takes precedence.
#: It holds an :class:`ArticleMatcher`, which remembers what it found: grounding the
#: validated answer afterwards (summarize.grounding) asks it again for free.
VALIDATION_ARTICLE: ContextVar[ArticleMatcher | None] = ContextVar("validation_article",
                                                                  default=None)


@contextmanager
def validating_against(article: str) -> Iterator[ArticleMatcher]:
    """Within this block, validation without an explicit context checks against
    ``article``; yields the matcher that remembers the checks' answers."""
    matcher = ArticleMatcher(article)
    token = VALIDATION_ARTICLE.set(matcher)
    try:
        yield matcher
    finally:
        VALIDATION_ARTICLE.reset(token)


def _strict_article(info: ValidationInfo) -> ArticleMatcher | None:
    """The article (as a matcher) when strict grounding checks are on, else None."""
    context: Any = info.context
    if isinstance(context, dict):
        if context.get("strict") and context.get("article"):
            return ArticleMatcher(str(context["article"]))
        return None
    return VALIDATION_ARTICLE.get()


def _check_quote(value: str, info: ValidationInfo) -> str:
    article = _strict_article(info)
    if article is not None and article.locate(value) is None:
        raise ValueError(
            f"quote {value!r} is not in the article. Copy the words exactly as they "
            "appear between <article> and </article>; do not paraphrase or join sentences."
        )
    return value


_QUOTE_DESCRIPTION = (
    "The sentence or clause of the article this item comes from, copied character for "
    "character from between <article> and </article>. Never paraphrase, translate, "
    "shorten with '...', or join two sentences."
)


class Event(BaseModel):
    """Something that happened, in neutral words."""

    model_config = ConfigDict(use_enum_values=False)

    description: str = Field(
        description="What happened, one neutral sentence: who did what to whom. Use the "
        "names of groups, not labels such as 'terrorists' or 'regime'."
    )
    event_type: EventType = Field(description="The kind of event.")
    location: str | None = Field(
        default=None, description="Place as the article names it (town, district, province)."
    )
    date_text: str | None = Field(
        default=None, description="When, copied as the article says it ('late Tuesday')."
    )
    actors: list[str] = Field(
        default_factory=list, description="Parties involved, as the article names them."
    )


class AttributedClaim(BaseModel):
    """A statement the article attributes to someone."""

    claim: str = Field(
        description="What the source asserts, paraphrased neutrally in one sentence. "
        "Keep the source's own loaded words only inside quotation marks."
    )
    source: str = Field(
        description="Who makes the claim, named as in the article ('Observatory head Rami "
        "Abdel Rahman', 'SANA'). Use 'unnamed sources' when the article does not say."
    )
    source_type: SourceType = Field(description="What kind of source it is.")
    cue: str = Field(
        description="The reporting words that attribute the claim, verbatim: 'said', "
        "'according to', 'reported', 'claimed', 'told ARA News'."
    )
    quote: str = Field(description=_QUOTE_DESCRIPTION)
    direct_quote: bool = Field(
        description="True when the article prints the source's words in quotation marks."
    )
    span: SkipJsonSchema[Span | None] = None

    _check = field_validator("quote")(_check_quote)


class CasualtyFigure(BaseModel):
    """A number of people killed, wounded, captured or missing, as the article states it."""

    quantity_text: str = Field(
        description="The quantity exactly as written in the article: 'at least 137', "
        "'scores', '22', 'dozens', 'more than 400'. Copy it; never compute or convert it."
    )
    outcome: Outcome = Field(
        description="killed, wounded, killed_or_wounded (when the article lumps them: "
        "'killed and wounded', 'casualties'), captured or missing."
    )
    victims: str = Field(description="Who the people are, as the article describes them.")
    victim_category: VictimCategory = Field(
        description="civilian, combatant (fighters, soldiers, militants), mixed, or unknown."
    )
    quantity_type: QuantityType = Field(
        description="exact ('22'), at_least ('at least 20', 'more than 20'), at_most "
        "('up to 20', 'nearly 20'), approximate ('about 20', 'some 20'), range ('20 to "
        "30'), vague ('dozens', 'scores', 'several')."
    )
    low: int | None = Field(
        default=None,
        ge=0,
        description="Smallest number the text commits to. Vague words: a few, a number "
        "of, many = 2; several = 3; tens = 10; dozens = 12; scores = 20; hundreds = 100; "
        "thousands = 1000. 'more than 20' = 21. Null for 'up to 20'.",
    )
    high: int | None = Field(
        default=None,
        ge=0,
        description="Largest number the text allows: the number itself when exact or "
        "approximate, the upper end of a range, 20 for 'up to 20'; null when open-ended.",
    )
    stated_by: str = Field(
        description="Who states the figure ('the Syrian Observatory for Human Rights', "
        "'SANA'). When the article gives it without attribution, the outlet's name."
    )
    perpetrator: str | None = Field(
        default=None,
        description="Who caused the casualties according to the text, or null if not said.",
    )
    quote: str = Field(description=_QUOTE_DESCRIPTION + " It must contain quantity_text.")
    span: SkipJsonSchema[Span | None] = None

    _check = field_validator("quote")(_check_quote)

    @field_validator("quantity_text")
    @classmethod
    def _quantity_in_article(cls, value: str, info: ValidationInfo) -> str:
        article = _strict_article(info)
        if article is not None and not article.contains_quantity(value):
            raise ValueError(
                f"quantity_text {value!r} does not occur in the article. Copy the quantity "
                "as written ('at least 20', 'dozens'); do not add, convert or compute numbers."
            )
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> CasualtyFigure:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        if _strict_article(info) is not None and not contains_quantity(self.quote, self.quantity_text):
            raise ValueError(
                f"quantity_text {self.quantity_text!r} is not inside its quote {self.quote!r}"
            )
        return self


class LoadedTerm(BaseModel):
    """One-sided wording the article itself uses."""

    term: str = Field(description="The loaded word as it appears ('terrorists', 'regime').")
    quote: str = Field(description=_QUOTE_DESCRIPTION + " It must contain the term.")
    neutral_alternative: str = Field(description="A neutral word that could replace it.")
    span: SkipJsonSchema[Span | None] = None

    _check = field_validator("quote")(_check_quote)


class ArticleSummary(BaseModel):
    """A neutral account of one article and the items it reports, each tied to its text."""

    summary: str = Field(
        description="2-5 sentences saying what happened, neutrally. Attribute every "
        "contested statement ('according to SANA'). Do not use loaded terms such as "
        "'terrorists', 'regime', 'liberated' or 'martyrs' unless attributed: 'described "
        "by SANA as \"terrorists\"'. State no number the article does not state."
    )
    events: list[Event] = Field(default_factory=list, description="The events reported.")
    claims: list[AttributedClaim] = Field(
        default_factory=list,
        description="Every statement the article attributes to a source (said, according "
        "to, reported, claimed, told), one item per statement.",
    )
    casualties: list[CasualtyFigure] = Field(
        default_factory=list,
        description="Every figure of people killed, wounded, captured or missing. Not "
        "dates, ages, distances, unit numbers or counts of things.",
    )
    loaded_terms: list[LoadedTerm] = Field(
        default_factory=list,
        description="One-sided words the article uses (terrorists, regime, Takfiri, "
        "martyrs, liberated, mercenaries, so-called ...), one item per distinct term.",
    )

    @field_validator("summary")
    @classmethod
    def _summary_is_neutral(cls, value: str, info: ValidationInfo) -> str:
        if _strict_article(info) is None:
            return value
        hits = load_lexicon().unattributed(value)
        if hits:
            found = ", ".join(f"{h.text!r} (neutral: {h.entry.neutral})" for h in hits)
            raise ValueError(
                f"the summary uses loaded terms without attribution: {found}. Replace them "
                "with the neutral word, or attribute them: described by <source> as \"...\"."
            )
        return value
