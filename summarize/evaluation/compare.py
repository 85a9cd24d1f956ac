"""Compare two runs: per metric the delta, its paired-bootstrap 95% interval and a
randomisation p-value; per outlet the deltas; per article which metrics moved and which
gold items one run found and the other missed.

Both runs are report entries (summarize.evaluation.report.run_entry), from one eval with
two prompts or from two report files (version 1 reports too: their per-article counts
are all a comparison needs). Articles are paired by id and only articles both runs
scored are compared (summarize.evaluation.statistics: method, test, seed). Per-article
metric values are means over repeats; gained and lost gold items come from each run's
first repeat. Only articles where something differs are listed, largest change first.

The comparison's JSON holds, besides ``a``, ``b`` (the labels), ``n``, ``resampling``,
``by_outlet``, ``articles``, ``unchanged_articles`` and ``unshared_articles``, one entry
per metric name (the judge's only when a run was judged): ``comparison[metric] = {"a",
"b", "delta", "ci95", "p_value", "n", "significant", "better"}``.
"""

from __future__ import annotations

from typing import Any

from summarize.evaluation.metrics import METRICS, METRICS_BY_NAME
from summarize.evaluation.outlets import deltas_markdown, outlet_deltas
from summarize.evaluation.statistics import Resampling, paired_comparison

#: Per-article metrics a comparison looks at, in display order.
COMPARED_METRICS: tuple[str, ...] = (
    "schema_valid_rate",
    "claims.f1",
    "claims.exact_span_f1",
    "casualties.f1",
    "casualties.exact_number_accuracy",
    "casualties.stated_by_accuracy",
    "loaded_terms.f1",
    "grounding_rate",
    "invented_number_rate",
    "summary.unattributed_loaded_terms",
    "summary.numbers_not_in_article",
    "summary.names_not_in_article",
    "summary.unattributed_figures",
    "summary.coverage",
    "summary.unattributed_evaluative_terms",
)
_ITEM_FIELDS = ("claims", "casualties", "loaded_terms")


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def better(name: str, delta: float | None) -> bool | None:
    """True when ``delta`` (B - A) of metric ``name`` is an improvement, False when it
    is a loss, None when there is no change or no better direction."""
    direction = METRICS_BY_NAME[name].higher_is_better
    if delta is None or abs(delta) < 1e-12 or direction is None:
        return None
    return (delta > 0) == direction


def _counts(article: dict[str, Any]) -> list[dict[str, Any]]:
    return [repeat["counts"] for repeat in article["repeats"]]


def compare_runs(a: dict[str, Any], b: dict[str, Any], *,
                 gold_items: dict[str, dict[str, Any]] | None = None,
                 resampling: Resampling | None = None) -> dict[str, Any]:
    """Differences from run ``a`` to run ``b``: every metric's delta with its interval
    and p-value over the shared articles, the deltas by outlet, and per article the
    metrics that changed and the gold items gained or lost (described from
    ``gold_items``, the report's ``gold.items``, when given)."""
    resampling = resampling or Resampling()
    articles_b = {art["id"]: art for art in b["articles"]}
    shared = [art for art in a["articles"] if art["id"] in articles_b]
    tests = paired_comparison([_counts(art) for art in shared],
                              [_counts(articles_b[art["id"]]) for art in shared], resampling)
    comparison: dict[str, Any] = {"a": a["label"], "b": b["label"], "n": len(shared),
                                  "resampling": resampling.as_dict()}
    for metric in METRICS:
        result = tests[metric.name]
        if metric.optional and result.a is None and result.b is None:
            continue  # the judge's metrics, when neither run was judged
        comparison[metric.name] = {**result.as_dict(), "better": better(metric.name, result.delta)}
    changed = []
    for art_a in shared:
        art_b = articles_b[art_a["id"]]
        changes = []
        for name in COMPARED_METRICS:
            va, vb = art_a["metrics"].get(name), art_b["metrics"].get(name)
            if va == vb:
                continue
            delta = _delta(va, vb)
            changes.append({"metric": name, "a": va, "b": vb, "delta": delta, "better": better(name, delta)})
        items = (gold_items or {}).get(art_a["id"], {})
        gained: dict[str, list[str]] = {}
        lost: dict[str, list[str]] = {}
        for field in _ITEM_FIELDS:
            found_a = set(art_a["matched_gold"].get(field, []))
            found_b = set(art_b["matched_gold"].get(field, []))
            describe = items.get(field) or []
            if found_b - found_a:
                gained[field] = [_describe(describe, j, field) for j in sorted(found_b - found_a)]
            if found_a - found_b:
                lost[field] = [_describe(describe, j, field) for j in sorted(found_a - found_b)]
        if changes or gained or lost:
            changed.append({"id": art_a["id"], "title": art_a.get("title"), "source": art_a.get("source"),
                            "changes": changes, "gained": gained, "lost": lost,
                            "size": sum(abs(c["delta"] or 0) for c in changes)})
    changed.sort(key=lambda art: (-art["size"], art["id"]))
    comparison.update({
        "by_outlet": outlet_deltas(a, b),
        "articles": changed,
        "unchanged_articles": len(shared) - len(changed),
        # articles scored by one run only (the runs used different gold sets or splits)
        "unshared_articles": len(a["articles"]) + len(b["articles"]) - 2 * len(shared),
    })
    return comparison


def worse(comparison: dict[str, Any], name: str) -> str | None:
    """Why B is significantly worse than A on metric ``name`` (a message), or None. A
    metric A has and B lost (undefined in B) counts as worse too."""
    row = comparison.get(name)
    if row is None:
        return None
    if row["delta"] is None:
        if row["a"] is not None and row["b"] is None:
            return f"{name} is undefined (n/a) for {comparison['b']} and {row['a']:.4f} for {comparison['a']}"
        return None
    if row["significant"] and row["better"] is False:
        return (f"{name} is significantly worse: {row['b']:.4f} for {comparison['b']} against "
                f"{row['a']:.4f} for {comparison['a']} (delta {row['delta']:+.4f}, 95% CI "
                f"[{row['ci95'][0]:+.4f}, {row['ci95'][1]:+.4f}], p = {row['p_value']:.4f}, n = {row['n']})")
    return None


def _describe(descriptions: list[str], index: int, field: str) -> str:
    return descriptions[index] if index < len(descriptions) else f"{field}[{index}]"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _fmt_delta(delta: float | None, is_better: bool | None) -> str:
    if delta is None:
        return "n/a"
    mark = "" if is_better is None else (" ▲" if is_better else " ▼")
    return f"{delta:+.3f}{mark}"


def _fmt_ci(ci: list[float] | None) -> str:
    return "n/a" if not ci else f"[{ci[0]:+.3f}, {ci[1]:+.3f}]"


def format_p(p_value: float | None) -> str:
    """A p-value for a table: three decimals, "<0.001" below that."""
    if p_value is None:
        return "n/a"
    return "<0.001" if p_value < 0.001 else f"{p_value:.3f}"


def _fmt_p(row: dict[str, Any]) -> str:
    return format_p(row["p_value"]) + (" *" if row["significant"] else "")


def comparison_markdown(comparison: dict[str, Any]) -> str:
    """The comparison as markdown: the metric table (delta, interval, p-value), the
    deltas by outlet, then one bullet per changed article."""
    a, b = comparison["a"], comparison["b"]
    lines = [f"### {a} → {b}", "", f"| metric | {a} | {b} | Δ | 95% CI of Δ | p |", "|---|---|---|---|---|---|"]
    for metric in METRICS:
        row = comparison.get(metric.name)
        if row is None or (row["a"] is None and row["b"] is None):
            continue
        lines.append(f"| {metric.name} | {_fmt(row['a'])} | {_fmt(row['b'])} | "
                     f"{_fmt_delta(row['delta'], row['better'])} | {_fmt_ci(row['ci95'])} | {_fmt_p(row)} |")
    lines += ["", f"Paired over the {comparison['n']} articles both runs scored; * significant (p < 0.05, "
                  "approximate randomisation); ▲ better, ▼ worse."]
    if comparison.get("by_outlet"):
        lines += ["", deltas_markdown(comparison["by_outlet"], a, b)]
    unshared = comparison.get("unshared_articles") or 0
    in_one = f", {unshared} in one run only" if unshared else ""
    lines += ["", f"Articles that moved, most first ({len(comparison['articles'])} changed, "
                  f"{comparison['unchanged_articles']} unchanged{in_one}):", ""]
    for art in comparison["articles"]:
        outlet = f"{art['source']}: " if art.get("source") else ""
        title = f" ({outlet}{art['title']})" if art.get("title") else ""
        lines.append(f"- **{art['id']}**{title}")
        if art["changes"]:
            lines.append("  - " + "; ".join(
                f"{c['metric']} {_fmt(c['a'])} → {_fmt(c['b'])}"
                + ("" if c["better"] is None else (" ▲" if c["better"] else " ▼"))
                for c in art["changes"]))
        for verb, groups in (("found only by " + b, art["gained"]), ("found only by " + a, art["lost"])):
            for field, items in groups.items():
                for item in items:
                    lines.append(f"  - {field} {verb}: {item}")
    return "\n".join(lines)
