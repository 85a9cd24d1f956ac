"""Compare two runs article by article: which metrics moved, which gold items one run
found and the other missed.

Both runs are report entries (summarize.evaluation.report.run_entry), from one eval with
two prompts or from two report files. Articles are paired by id; per-article metric
values are means over repeats; gained and lost gold items come from each run's first
repeat. Only articles where something differs are listed, largest change first.
"""

from __future__ import annotations

from typing import Any

from summarize.evaluation.metrics import METRICS_BY_NAME

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
)
_ITEM_FIELDS = ("claims", "casualties", "loaded_terms")


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def _better(name: str, delta: float | None) -> bool | None:
    direction = METRICS_BY_NAME[name].higher_is_better
    if delta is None or abs(delta) < 1e-12 or direction is None:
        return None
    return (delta > 0) == direction


def compare_runs(a: dict[str, Any], b: dict[str, Any], *,
                 gold_items: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Differences from run ``a`` to run ``b``: overall metrics and, per article, the
    metrics that changed and the gold items gained or lost (described from
    ``gold_items``, the report's ``gold.items``, when given)."""
    overall = []
    for name in METRICS_BY_NAME:
        va, vb = a["metrics"][name]["mean"], b["metrics"][name]["mean"]
        delta = _delta(va, vb)
        overall.append({"metric": name, "a": va, "b": vb, "delta": delta, "better": _better(name, delta)})
    articles_b = {art["id"]: art for art in b["articles"]}
    shared = [art for art in a["articles"] if art["id"] in articles_b]
    changed = []
    for art_a in shared:
        art_b = articles_b[art_a["id"]]
        changes = []
        for name in COMPARED_METRICS:
            va, vb = art_a["metrics"].get(name), art_b["metrics"].get(name)
            if va == vb:
                continue
            delta = _delta(va, vb)
            changes.append({"metric": name, "a": va, "b": vb, "delta": delta, "better": _better(name, delta)})
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
    return {"a": a["label"], "b": b["label"], "metrics": overall, "articles": changed,
            "unchanged_articles": len(shared) - len(changed),
            # articles scored by one run only (the runs used different gold sets)
            "unshared_articles": len(a["articles"]) + len(b["articles"]) - 2 * len(shared)}


def _describe(descriptions: list[str], index: int, field: str) -> str:
    return descriptions[index] if index < len(descriptions) else f"{field}[{index}]"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _fmt_delta(delta: float | None, better: bool | None) -> str:
    if delta is None:
        return "n/a"
    mark = "" if better is None else (" ▲" if better else " ▼")
    return f"{delta:+.3f}{mark}"


def comparison_markdown(comparison: dict[str, Any]) -> str:
    """The comparison as markdown: overall table, then one bullet per changed article."""
    a, b = comparison["a"], comparison["b"]
    lines = [f"### {a} → {b}", "", f"| metric | {a} | {b} | Δ |", "|---|---|---|---|"]
    for row in comparison["metrics"]:
        if row["a"] is None and row["b"] is None:
            continue
        lines.append(f"| {row['metric']} | {_fmt(row['a'])} | {_fmt(row['b'])} | "
                     f"{_fmt_delta(row['delta'], row['better'])} |")
    unshared = comparison.get("unshared_articles") or 0
    in_one = f", {unshared} in one run only" if unshared else ""
    lines += ["", f"Per-article differences ({len(comparison['articles'])} articles changed, "
                  f"{comparison['unchanged_articles']} unchanged{in_one}; ▲ better, ▼ worse):", ""]
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
