"""The eval report: one self-describing JSON document per eval, its markdown table and
its HTML page.

The JSON (``format: "summarize-eval"``, ``format_version: 2``) holds what is needed to
read, reproduce and compare a run without the code or the gold files at hand: when it
was made, the package and schema versions, the gold set (folder, split, article count, a
sha256 of its files and a short description of every gold item), the metric
definitions, how intervals were drawn (``resampling``), and for each run its provenance
(backend, model, prompt name and sha256, mode), every metric's mean and spread over
repeats with its 95% bootstrap interval over articles (``ci95``, ``n``, ``resamples``,
``seed``; summarize.evaluation.statistics), the metrics by outlet, the loaded-term table
by family, every error record, and per article: status and counts of each repeat, the
per-article metric values (mean over repeats), the gold items matched and the scorer
findings (of the first repeat). Two such files are compared by
summarize.evaluation.compare. Version 1 reports (no intervals, no outlets) still load:
what they lack is computed from their per-article counts or left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from summarize.evaluation.compare import format_p
from summarize.evaluation.gold import GoldArticle
from summarize.evaluation.metrics import (
    METRICS,
    METRICS_BY_NAME,
    Counts,
    MetricStats,
    compute_metrics,
    counts_of,
    family_table,
)
from summarize.evaluation.outlets import by_outlet, outlet_markdown
from summarize.evaluation.runner import RunResult
from summarize.evaluation.statistics import CountTable, Resampling, bootstrap_intervals
from summarize.paths import recorded_path
from summarize.pipeline import package_version
from summarize.schema import SCHEMA_VERSION
from summarize.snippets import snippet

FORMAT = "summarize-eval"
FORMAT_VERSION = 2
#: Report format versions this code reads.
READABLE_VERSIONS = (1, 2)


def gold_digest(golds: Sequence[GoldArticle]) -> str:
    """sha256 over the gold articles' JSON (ids, texts and labels), in order."""
    digest = hashlib.sha256()
    for gold in golds:
        digest.update(gold.model_dump_json().encode("utf-8"))
    return digest.hexdigest()


def _gold_items(gold: GoldArticle) -> dict[str, list[str]]:
    return {
        "claims": [f"{c.source}: {snippet(c.quote, 100, quoted=False)}" for c in gold.claims],
        "casualties": [f"{f.quantity_text!r} {f.outcome} ({f.stated_by}): {snippet(f.quote, 100, quoted=False)}" for f in gold.casualties],
        "loaded_terms": [t.term for t in gold.loaded_terms],
    }


def build_report(results: Sequence[RunResult], golds: Sequence[GoldArticle], *,
                 gold_dir: str | None = None, command: str | None = None,
                 comparison: dict[str, Any] | None = None, split: str = "all",
                 resampling: Resampling | None = None) -> dict[str, Any]:
    """The JSON-ready report of ``results`` over ``golds`` (the articles of ``split``);
    ``gold_dir`` is recorded by summarize.paths.recorded_path (no machine's folders)."""
    resampling = resampling or Resampling()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "package_version": package_version(),
        "schema_version": SCHEMA_VERSION,
        "gold": {
            "dir": recorded_path(gold_dir) if gold_dir is not None else None,
            "split": split,
            "articles": len(golds),
            "sha256": gold_digest(golds),
            "items": {g.id: {"title": g.article.title, "source": g.article.source, "outlet": g.outlet,
                             **_gold_items(g)}
                      for g in golds},
        },
        "metrics": [{"name": m.name, "field": m.field, "higher_is_better": m.higher_is_better,
                     "description": m.description} for m in METRICS],
        "resampling": resampling.as_dict(),
        "runs": [run_entry(result, golds, resampling=resampling) for result in results],
        "comparison": comparison,
    }


def article_counts(run: dict[str, Any]) -> list[list[Counts]]:
    """A report run's counts: per article, one set per repeat."""
    return [[repeat["counts"] for repeat in article["repeats"]] for article in run["articles"]]


def add_intervals(run: dict[str, Any], resampling: Resampling) -> None:
    """Give every metric of a report run its percentile bootstrap interval over the run's
    articles (``ci95``, with ``n``, ``resamples`` and ``seed``), as drawn: an interval
    that misses its figure (a very skewed ratio) is shown as it is."""
    intervals = bootstrap_intervals(CountTable(article_counts(run)), resampling)
    for name, stats in run["metrics"].items():
        if name in intervals:
            # The percentile interval as drawn: never widened to reach the mean.
            stats.update({"ci95": intervals[name], "n": len(run["articles"]),
                          "resamples": resampling.resamples, "seed": resampling.seed})


def run_entry(result: RunResult, golds: Sequence[GoldArticle], *,
              resampling: Resampling | None = None) -> dict[str, Any]:
    """The report's entry for one run."""
    first = result.repeats[0]
    articles = []
    for index, gold in enumerate(golds):
        per_repeat = [compute_metrics(counts_of(r.scores[index])) for r in result.repeats]
        articles.append({
            "id": gold.id,
            "title": gold.article.title,
            "source": gold.article.source,
            "outlet": gold.outlet,
            "repeats": [{"status": r.records[index].status,
                         "counts": counts_of(r.scores[index])} for r in result.repeats],
            "metrics": {name: stats.mean for name, stats in
                        ((m.name, MetricStats.of(v[m.name] for v in per_repeat)) for m in METRICS)},
            "matched_gold": {field: list(score.matched_gold) for field, score in first.scores[index].items()
                             if field in ("claims", "casualties", "loaded_terms")},
            "findings": {field: list(score.findings) for field, score in first.scores[index].items()
                         if score.findings},
        })
    errors = [
        {"article": record.id, "repeat": number, "type": record.error.type,
         "reason": record.error.reason, "message": record.error.message}
        for number, repeat in enumerate(result.repeats, start=1)
        for record in repeat.records if record.status == "error" and record.error is not None
    ]
    entry = {
        "label": result.label,
        "baseline": result.is_baseline,
        "provenance": result.provenance.model_dump(mode="json", exclude={"cached", "cached_usage"}),
        "repeat": len(result.repeats),
        "seconds": [round(r.seconds, 3) for r in result.repeats],
        "cached_records": sum(r.provenance.cached for rep in result.repeats for r in rep.records),
        # the judge's metrics only when the run was judged
        "metrics": {name: stats.as_dict() for name, stats in result.stats.items()
                    if not (METRICS_BY_NAME[name].optional and stats.mean is None)},
        "by_outlet": {},
        "loaded_term_families": family_table(s["loaded_terms"] for s in first.scores),
        "errors": errors,
        "articles": articles,
    }
    add_intervals(entry, resampling or Resampling())
    entry["by_outlet"] = {outlet: {**row, "metrics": {name: value for name, value in row["metrics"].items()
                                                      if name in entry["metrics"]}}
                          for outlet, row in by_outlet(entry).items()}
    return entry


def comparison_report(old: dict[str, Any], new: dict[str, Any], a: dict[str, Any], b: dict[str, Any],
                      comparison: dict[str, Any], *, paths: Sequence[str], command: str | None,
                      resampling: Resampling) -> dict[str, Any]:
    """The report ``eval --compare A B --report PATH`` writes: the two compared runs (A's
    and B's main runs), the comparison, and the gold set of B (noting A's when it
    differs)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "package_version": package_version(),
        "schema_version": SCHEMA_VERSION,
        "compared_reports": {"a": recorded_path(paths[0]), "b": recorded_path(paths[1]),
                             "a_gold_sha256": old["gold"]["sha256"], "b_gold_sha256": new["gold"]["sha256"]},
        "gold": new["gold"],
        "metrics": [{"name": m.name, "field": m.field, "higher_is_better": m.higher_is_better,
                     "description": m.description} for m in METRICS],
        "resampling": resampling.as_dict(),
        "runs": [a, b],
        "comparison": comparison,
    }


def primary_run(report: dict[str, Any], label: str | None = None) -> dict[str, Any]:
    """The run a threshold or a comparison looks at: the one named ``label``, else the
    first non-baseline run, else the baseline."""
    runs = report["runs"]
    if label is not None:
        for run in runs:
            if run["label"] == label:
                return run
        raise KeyError(label)
    return next((r for r in runs if not r["baseline"]), runs[0])


# ---- text forms ----------------------------------------------------------------------


_PLAIN_COUNTS = ("tokens_per_article", "requests_per_article", "summary.words_per_summary",
                 "summary.sentences_per_summary")


def format_number(name: str, value: float) -> str:
    """One figure of metric ``name`` as tables print it."""
    if name == "cost_per_article_usd":
        return f"${value:.6f}"
    if name in _PLAIN_COUNTS:
        return f"{value:,.1f}"
    return f"{value:.3f}"


def format_value(name: str, stats: dict[str, Any] | None, *, interval: bool = True) -> str:
    """A metric's mean (± standard deviation over several repeats) and its 95% interval
    for a table: ``0.842 [0.764, 0.902]``. "n/a" when undefined, "–" when the report has
    no such metric (an older report)."""
    if stats is None:
        return "–"
    mean, values = stats.get("mean"), stats.get("values") or []
    if mean is None:
        return "n/a"
    text = format_number(name, mean)
    if len(values) > 1:
        spread = stats.get("std") or 0.0
        text += f" ± {spread:.6f}" if name == "cost_per_article_usd" else f" ± {spread:.3f}"
    ci = stats.get("ci95")
    if interval and ci:
        text += f" [{format_number(name, ci[0])}, {format_number(name, ci[1])}]"
    return text


def shown_metrics(runs: Sequence[dict[str, Any]]) -> list[str]:
    """The metrics a table shows: all but an optional one no run has a value for."""
    return [m.name for m in METRICS
            if not m.optional or any((r["metrics"].get(m.name) or {}).get("mean") is not None for r in runs)]


def markdown_table(report: dict[str, Any]) -> str:
    """Metrics as rows, runs as columns: the figure (mean ± std over repeats when
    repeated) and its 95% bootstrap interval over articles."""
    runs = report["runs"]
    header = ["metric", *(f"{r['label']} (baseline)" if r["baseline"] else r["label"] for r in runs)]
    split = report["gold"].get("split") or "all"
    resampling = report.get("resampling") or {}
    rows = [
        ["backend / model", *(_model_cell(r) for r in runs)],
        ["prompt sha256", *((r["provenance"].get("prompt_sha256") or "–")[:12] for r in runs)],
        ["split · articles / repeats", *(f"{split} · {len(r['articles'])} / {r['repeat']}" for r in runs)],
        ["error records", *(str(len(r["errors"])) for r in runs)],
    ]
    for name in shown_metrics(runs):
        rows.append([name, *(format_value(name, r["metrics"].get(name)) for r in runs)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    if resampling:
        which = "all gold articles" if split == "all" else f"the {split} split's articles"
        lines += ["", f"[low, high]: 95% percentile bootstrap interval over {which} "
                      f"({resampling.get('resamples')} resamples, seed {resampling.get('seed')})."]
    return "\n".join(lines)


def outlets_markdown(report: dict[str, Any]) -> str:
    """The key metrics of every run by outlet, one compact table per run."""
    return "\n\n".join(outlet_markdown(run) for run in report["runs"])


def _model_cell(run: dict[str, Any]) -> str:
    provenance = run["provenance"]
    if provenance.get("backend") == "rules":
        return "rules"
    return f"{provenance.get('backend')} / {provenance.get('model')}"


# ---- files ---------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("summarize.evaluation", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["metric"] = lambda stats, name: format_value(name, stats, interval=False)
    env.filters["number"] = lambda value, name: format_number(name, value)
    env.filters["p_value"] = format_p
    return env


def render_html(report: dict[str, Any]) -> str:
    """The self-contained HTML page of ``report`` (inline CSS, no script, no external load)."""
    template = _environment().get_template("eval_report.html.j2")
    return template.render(report=report, metrics=METRICS, by_name=METRICS_BY_NAME,
                           shown=shown_metrics(report["runs"]))


def write_report(report: dict[str, Any], path: str | Path) -> tuple[Path, Path]:
    """Write the JSON report and its HTML page side by side (same name, .json and
    .html; ``path`` may name either), each atomically. Returns (json, html) paths."""
    from summarize.batch.writers import write_atomically

    given = Path(path)
    if given.suffix.lower() == ".html":
        json_path, html_path = given.with_suffix(".json"), given
    else:
        json_path, html_path = given, given.with_suffix(".html")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(json_path, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode())
    write_atomically(html_path, render_html(report).encode("utf-8"))
    return json_path, html_path


def read_report(path: str | Path) -> dict[str, Any]:
    """A report written by :func:`write_report`; ConfigError when it is not one."""
    from summarize.errors import ConfigError

    try:
        report = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8 or JSON
        raise ConfigError(f"cannot read eval report {path}: {exc}") from exc
    if not isinstance(report, dict) or report.get("format") != FORMAT:
        raise ConfigError(f"{path} is not a summarize eval report (no \"format\": \"{FORMAT}\")")
    if report.get("format_version") not in READABLE_VERSIONS:
        raise ConfigError(f"{path} has report format version {report.get('format_version')}; "
                          f"this summarize reads versions {', '.join(map(str, READABLE_VERSIONS))}")
    return report
