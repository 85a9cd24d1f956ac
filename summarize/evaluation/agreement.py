"""Inter-pass agreement: how far the two labelling passes of the gold set agree, per field.

A gold file may keep its first labelling pass in ``first_pass`` (claims, casualty
figures, loaded terms); the file's own items are the final pass, made by a second
reviewer who checked every label against the guide. Agreement scores the first pass
against the final one **with the same scorers a model is scored with**
(summarize.evaluation.scorers): the first pass is the "prediction", the final pass the
"gold". So claims.precision is the share of first-pass claims the final pass kept (as
matched by the claim scorer's rules), claims.recall the share of final claims the first
pass already had, claims.f1 their harmonic mean; source_type, exact-number and stated_by
accuracies say how often the passes agreed on an attribute of an item both had. The
figures are micro-averaged over the articles that have a first pass, with the same 95%
bootstrap interval over articles as every eval metric (summarize.evaluation.statistics).

Agreement is the ceiling to read model scores against: a model that agrees with the
final labels as often as the first labeller did is as good as a careful first reading.

A second pass that checks the first one sees the first pass's labels, so the two agree
more than two people reading alone would. **Independent agreement** measures that: an
independent labeller labels some gold articles from scratch without seeing their gold
files (``evals/agreement/<id>.json``, in the gold file format), and those labels are
scored against the final gold labels in the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pathlib import Path

from summarize.evaluation.gold import GoldArticle, GoldPass, load_gold
from summarize.evaluation.metrics import METRICS, counts_of
from summarize.evaluation.scorers import default_scorers, score_record
from summarize.evaluation.statistics import CountTable, Resampling, bootstrap_intervals
from summarize.records import Record

#: The labelled fields whose passes are compared.
FIELDS: tuple[str, ...] = ("claims", "casualties", "loaded_terms")
#: The metrics agreement reports, in table order.
AGREEMENT_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS if m.field in FIELDS)


def first_pass_record(gold: GoldArticle) -> Record:
    """The first pass's items as a record of ``gold``'s article (quotes grounded as a
    model's would be)."""
    if gold.first_pass is None:
        raise ValueError(f"{gold.id} has no first_pass")
    first = gold.model_copy(update={"claims": gold.first_pass.claims, "casualties": gold.first_pass.casualties,
                                    "loaded_terms": gold.first_pass.loaded_terms})
    return gold.to_record(first.to_summary("First labelling pass."))


def with_independent_passes(golds: Sequence[GoldArticle], directory: str | Path) -> list[GoldArticle]:
    """The golds that an independent labelling in ``directory`` (gold-format files) also
    labelled, each with those independent labels as its ``first_pass``."""
    independent = {other.id: other for other in load_gold(directory)}
    return [gold.model_copy(update={"first_pass": GoldPass(
                claims=independent[gold.id].claims, casualties=independent[gold.id].casualties,
                loaded_terms=independent[gold.id].loaded_terms)})
            for gold in golds if gold.id in independent]


def inter_pass_agreement(golds: Sequence[GoldArticle], resampling: Resampling | None = None
                         ) -> dict[str, Any] | None:
    """Agreement of the first pass with the final pass over the golds that have one:
    ``{"articles", "ids", "items": {"first_pass", "final"}, "metrics": {name: {"value",
    "ci95"}}}``; None when no gold file has a first pass."""
    with_pass = [g for g in golds if g.first_pass is not None]
    if not with_pass:
        return None
    scorers = {name: scorer for name, scorer in default_scorers().items() if name in FIELDS}
    per_article = [[counts_of(score_record(g, first_pass_record(g), scorers))] for g in with_pass]
    table = CountTable(per_article)
    point, intervals = table.point(), bootstrap_intervals(table, resampling or Resampling())
    return {
        "articles": len(with_pass),
        "ids": [g.id for g in with_pass],
        "items": {
            "first_pass": {field: sum(len(getattr(g.first_pass, field)) for g in with_pass) for field in FIELDS},
            "final": {field: sum(len(getattr(g, field)) for g in with_pass) for field in FIELDS},
        },
        "metrics": {name: {"value": point[name], "ci95": intervals[name]} for name in AGREEMENT_METRICS},
    }


def agreement_markdown(agreement: dict[str, Any], *, independent: bool = False) -> str:
    """The agreement as a markdown table, with its item counts; ``independent`` when the
    "first pass" is an independent labelling (see :func:`with_independent_passes`)."""
    items = agreement["items"]
    what, column = (("Independent agreement: an independent labelling, made without seeing the gold files, "
                     "scored against the final gold labels", "independent vs final") if independent else
                    ("Inter-pass agreement: the first labelling pass scored against the final pass",
                     "first pass vs final"))
    lines = [f"{what} ({agreement['articles']} articles; items {column.split(' vs ')[0]} / final: "
             + ", ".join(f"{field} {items['first_pass'][field]} / {items['final'][field]}" for field in FIELDS)
             + ")", "", f"| metric | {column} | 95% CI |", "|---|---|---|"]
    for name, row in agreement["metrics"].items():
        value, ci = row["value"], row["ci95"]
        lines.append(f"| {name} | {'n/a' if value is None else f'{value:.3f}'} | "
                     f"{'n/a' if not ci else f'[{ci[0]:.3f}, {ci[1]:.3f}]'} |")
    return "\n".join(lines)


def agreement_line(agreement: dict[str, Any]) -> str:
    """One line for the end of an eval: the F1 of each field between the two passes."""
    parts = []
    for field in FIELDS:
        value = agreement["metrics"][f"{field}.f1"]["value"]
        parts.append(f"{field}.f1 {'n/a' if value is None else f'{value:.3f}'}")
    return (f"Inter-pass agreement of the gold labels ({agreement['articles']} articles with a first pass): "
            + ", ".join(parts) + " (every field: summarize eval --agreement)")
