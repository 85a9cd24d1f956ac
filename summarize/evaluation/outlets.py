"""Every metric of a run by outlet, and the per-outlet differences between two runs, so
that a prompt that helps on one outlet and hurts on another shows it.

An article's outlet is its ``source`` ("(no outlet)" when it has none). A figure per
outlet is computed as on the whole set (micro-averaged over that outlet's articles, mean
over repeats), from the per-article counts the report keeps. With two or three articles
per outlet these are descriptions, not estimates: no interval is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarize.evaluation.metrics import Counts
from summarize.evaluation.statistics import CountTable

NO_OUTLET = "(no outlet)"
#: The metrics the compact text tables show per outlet.
KEY_METRICS: tuple[str, ...] = ("claims.f1", "casualties.f1", "loaded_terms.f1", "summary.coverage",
                                "summary.unattributed_figures")


def outlet_of(article: dict[str, Any]) -> str:
    """The outlet of a report's article entry."""
    return article.get("source") or NO_OUTLET


def _counts(articles: Sequence[dict[str, Any]]) -> list[list[Counts]]:
    return [[repeat["counts"] for repeat in article["repeats"]] for article in articles]


def _grouped(articles: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        groups.setdefault(outlet_of(article), []).append(article)
    return dict(sorted(groups.items(), key=lambda item: item[0].lower()))


def by_outlet(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{outlet: {"n": articles, "metrics": {name: value}}}`` for a report's run entry."""
    return {outlet: {"n": len(articles), "metrics": CountTable(_counts(articles)).point()}
            for outlet, articles in _grouped(run["articles"]).items()}


def outlet_deltas(a: dict[str, Any], b: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per outlet, over the articles both runs scored: ``{"n", "metrics": {name: {"a",
    "b", "delta"}}}``."""
    in_b = {article["id"]: article for article in b["articles"]}
    shared = [article for article in a["articles"] if article["id"] in in_b]
    out = {}
    for outlet, articles in _grouped(shared).items():
        point_a = CountTable(_counts(articles)).point()
        point_b = CountTable(_counts([in_b[article["id"]] for article in articles])).point()
        out[outlet] = {"n": len(articles), "metrics": {
            name: {"a": point_a[name], "b": point_b[name],
                   "delta": None if point_a[name] is None or point_b[name] is None
                   else point_b[name] - point_a[name]}
            for name in point_a}}
    return out


def _cell(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def outlet_markdown(run: dict[str, Any]) -> str:
    """A compact table of a run's key metrics by outlet (computed from its articles when
    the entry has no ``by_outlet``, as in reports written before it existed)."""
    table = run.get("by_outlet") or by_outlet(run)
    lines = [f"| outlet ({run['label']}) | n | " + " | ".join(KEY_METRICS) + " |",
             "|---|---|" + "---|" * len(KEY_METRICS)]
    for outlet, row in table.items():
        lines.append(f"| {outlet} | {row['n']} | "
                     + " | ".join(_cell(row["metrics"].get(name)) for name in KEY_METRICS) + " |")
    return "\n".join(lines)


def deltas_markdown(deltas: dict[str, dict[str, Any]], a: str, b: str) -> str:
    """A compact table of the key metrics' deltas (B - A) by outlet."""
    lines = ["| outlet | n | " + " | ".join(f"Δ {name}" for name in KEY_METRICS) + " |",
             "|---|---|" + "---|" * len(KEY_METRICS)]
    for outlet, row in deltas.items():
        lines.append(f"| {outlet} | {row['n']} | "
                     + " | ".join(_cell(row["metrics"][name]["delta"], signed=True) for name in KEY_METRICS)
                     + " |")
    return f"Per outlet, {a} → {b}:\n\n" + "\n".join(lines)
