"""The rules backend: a deterministic extractor with no network and no model.

``extract_summary`` reads one article text into the same ArticleSummary a model
returns; ``RulesBackend`` wraps it for the pipeline, which grounds it and writes the
record exactly as for a model (provenance backend "rules", zero usage).
"""

from __future__ import annotations


from summarize.articles import Article
from summarize.lexicon import load_lexicon
from summarize.backend import Extraction
from summarize.records import Usage
from summarize.rules.attribution import Attribution, carried, find_attributions, opens_next_sentence
from summarize.rules.casualties import sentence_figures
from summarize.rules.lists import lets_through
from summarize.rules.repeats import merge_repeats
from summarize.rules.claims import carried_claim, sentence_claims
from summarize.rules.events import lead_events
from summarize.rules.headlines import drop_repeated, headline_attribution, headline_claim
from summarize.rules.layout import headline_indexes, outlet_name, related_blocks
from summarize.rules.loaded import article_hits, loaded_terms
from summarize.rules.memory import SpeakerMemory
from summarize.rules.naming import drop_headline_claims, fullest_names
from summarize.rules.sentences import split_sentences
from summarize.rules.singular import only_singular_deaths, sentence_singulars
from summarize.rules.summary import extractive_summary
from summarize.schema import ArticleSummary, AttributedClaim, CasualtyFigure

#: stated_by for an unattributed figure when the article names no outlet.
DEFAULT_OUTLET = "the outlet"


def extract_summary(text: str, *, title: str | None = None, source: str | None = None) -> ArticleSummary:
    """Summary, claims, casualty figures and loaded terms of one article, by rules.

    ``source`` is the outlet: it states the figures the article gives without
    attribution. Deterministic: the same text always gives the same summary."""
    outlet = source or outlet_name(None, text) or DEFAULT_OUTLET
    sentences = split_sentences(text)
    related = related_blocks(sentences)  # other stories' headlines
    read = [sentence for sentence in sentences if sentence.index not in related] if related else sentences
    memory = SpeakerMemory()
    found = load_lexicon().find(text)
    hits = article_hits(text, found=found)
    claims: list[AttributedClaim] = []
    figures: list[CasualtyFigure] = []
    singulars: list[CasualtyFigure] = []
    pending: Attribution | None = None
    heads = headline_indexes(read, title) | ({read[0].index} if read and title is None else set())
    headline: list[AttributedClaim] = []
    previous: CasualtyFigure | None = None  # the last figure of the sentence before
    carried_over = False  # previous kept across one sentence with no people and no number
    for index, sentence in enumerate(read):
        attributions = find_attributions(sentence, memory)
        own = headline_attribution(sentence) if sentence.index in heads and not attributions else None
        if own is not None:  # "Air strikes kill 20 in Idlib - monitor"
            attributions = [own]
            headline.append(headline_claim(sentence, own))
            claims.extend(headline[-1:])
            figures.extend(sentence_figures(sentence, attributions, outlet))
            continue
        if pending is not None:
            attributions.insert(0, carried(pending, sentence))
        claims.extend(sentence_claims(sentence, attributions, hits))
        pending = opens_next_sentence(sentence, attributions) if index + 1 < len(read) else None
        if pending is not None:
            claims.append(carried_claim(sentence, pending, read[index + 1], hits))
        found_here = sentence_figures(sentence, attributions, outlet, previous=previous)
        if found_here or carried_over or not lets_through(sentence):
            previous, carried_over = (found_here[-1] if found_here else None), False
        else:
            carried_over = True  # "30 were killed. The strikes hit the market. Twelve of them ..."
        figures.extend(found_here)
        singulars.extend(sentence_singulars(sentence, attributions, outlet))
    headlines = {read[i].text for i in headline_indexes(read, title)}
    singulars = only_singular_deaths(figures, singulars, outlet)
    fullest_names(claims, [*figures, *singulars], outlet=outlet)
    claims = drop_headline_claims(claims, headlines)
    heading = {read_sentence.text for read_sentence in read if read_sentence.index in heads}
    colon = [c for c in claims if c.cue == ":" and c.quote in heading]  # "UN: aid convoys reach Madaya"
    claims = drop_repeated(claims, headline + colon)
    figures = merge_repeats(figures, outlet) + singulars
    return ArticleSummary(
        summary=extractive_summary(read, title=title, claims=claims, figures=figures,
                                   outlet=outlet_name(source, text), outlet_code=outlet),
        events=lead_events(read, found),
        claims=claims,
        casualties=figures,
        loaded_terms=loaded_terms(hits, sentences),
    )


class RulesBackend:
    """The ``rules`` backend for summarize.pipeline (no model, no prompt, no cost)."""

    name = "rules"
    model: str | None = None
    prompt = None
    mode: str | None = None

    async def extract(self, article: Article) -> Extraction:
        """Extract ``article`` with the rules (never calls the network)."""
        summary = extract_summary(article.text, title=article.title, source=article.source)
        return Extraction(summary=summary, usage=Usage.nothing_spent())

    async def aclose(self) -> None:
        """Nothing to release."""
