"""An optional model judge: a model grades each summary against its article on a short
written rubric, as promptfoo's llm-rubric and inspect_ai's model-graded scorers do.

The rubric is a prompt file, versioned like the summarisation prompts: front matter and a
Jinja2 body with ``system`` and ``user`` blocks, in ``prompts/judges/NAME.md`` (default
``judge-v1``). The user block gets the article (title, outlet, date, text between
``<article>`` lines) and the summary (between ``<summary>`` lines); both are data, and
tags inside them are defused. The file's sha256 goes into the report and the cache key.

The judge answers a :class:`JudgeVerdict` (four pass/fail criteria and a reason) through
summarize.model.client, so its requests get the same transport retries, re-asks, rate
limits (``--rpm``, ``--tpm``), concurrency (``-j``) and token and cost accounting as a
run, and its verdicts are cached in the same on-disk cache (``--cache-dir``,
``--no-cache``), keyed on the judge model, endpoint, mode, temperature, seed, rubric
sha256, article and summary. Every ok record of every repeat is judged; an error record has no
summary to judge. A verdict that cannot be had (the endpoint fails, the answer never
validates) is counted as a judge error, not as a failed summary.

Per run, the verdicts become counts of the field ``judge`` (asked, judged, faithful,
neutral, attributed, covers, passed, errors) and so the optional metrics ``judge.*``, with the
same intervals as every metric. The judge's **agreement with the deterministic
metrics** is reported per criterion over every judged summary: how often the judge's
pass/fail equals the deterministic check's, and Cohen's kappa:

    faithful            <-> no number and no name the article does not contain
    neutral             <-> no unattributed loaded term (the lexicon)
    attributes_contested_claims <-> no figure stated without a reporting cue
    covers_main_event   <-> mentions at least one gold casualty figure or claim source
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import frontmatter
import jinja2
from pydantic import BaseModel, Field

from summarize.batch import BatchOptions
from summarize.errors import ConfigError, ModelError
from summarize.evaluation.gold import GoldArticle
from summarize.evaluation.runner import RunResult
from summarize.evaluation.scorers import Score
from summarize.pipeline import public_url, run_blocking
from summarize.prompts import prompt_dirs
from summarize.records import Record, Usage
from summarize.settings import Settings

DEFAULT_RUBRIC = "judge-v1"
#: The rubric's criteria (JudgeVerdict fields) and their count names.
CRITERIA: dict[str, str] = {
    "faithful": "faithful",
    "neutral": "neutral",
    "attributes_contested_claims": "attributed",
    "covers_main_event": "covers",
}
_KEY_LAYOUT = "judge-1"


class JudgeVerdict(BaseModel):
    """The judge's grades of one summary."""

    faithful: bool = Field(description="Everything the summary states is stated in the article.")
    neutral: bool = Field(description="No one-sided label in the summary's own voice.")
    attributes_contested_claims: bool = Field(
        description="Every casualty figure, accusation or contested statement says who makes it.")
    covers_main_event: bool = Field(description="The summary says what the article's main event is.")
    reason: str = Field(description="One or two sentences: what made a criterion fail, or 'all pass'.")


# ---- the rubric file -----------------------------------------------------------------

_TAG = re.compile(r"<(\s*/?\s*(?:article|summary)\b[^<>]*)>", re.IGNORECASE)


def _delimited(text: str) -> str:
    """Text safe inside the judge's data blocks: article and summary tags defused."""
    return _TAG.sub(r"‹\1›", text)


_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
_ENV.filters["delimited"] = _delimited


@dataclass(frozen=True)
class Rubric:
    """A parsed rubric file."""

    name: str
    version: str
    description: str
    path: Path
    sha256: str
    template: jinja2.Template

    def render(self, gold: GoldArticle, summary: str) -> list[dict[str, str]]:
        """Chat messages (system, user) asking for the verdict on ``summary``."""
        article = SimpleNamespace(title=gold.article.title, source=gold.article.source,
                                  published=gold.article.published, text=gold.text)
        context = {"article": article, "summary": summary}
        system = "".join(self.template.blocks["system"](self.template.new_context(context)))
        user = "".join(self.template.blocks["user"](self.template.new_context(context)))
        return [{"role": "system", "content": system.strip()}, {"role": "user", "content": user.strip()}]


def rubric_dirs() -> list[Path]:
    """Where rubric files are looked up: ``judges/`` in every prompt folder."""
    return [d / "judges" for d in prompt_dirs() if (d / "judges").is_dir()]


@cache
def _parse(path: Path, mtime_ns: int) -> Rubric:
    raw = path.read_bytes()
    try:
        post = frontmatter.loads(raw.decode("utf-8"))
        template = _ENV.from_string(post.content)
    except (UnicodeDecodeError, ValueError, jinja2.TemplateError) as exc:
        raise ConfigError(f"rubric file {path} cannot be parsed: {exc}") from exc
    missing = {"system", "user"} - set(template.blocks)
    if missing:
        raise ConfigError(f"rubric file {path} lacks the block(s) {', '.join(sorted(missing))}")
    return Rubric(name=str(post.get("name") or path.stem), version=str(post.get("version", "")),
                  description=str(post.get("description", "")), path=path,
                  sha256=hashlib.sha256(raw).hexdigest(), template=template)


def list_rubrics() -> list[Rubric]:
    """Every rubric version found, by name (the first folder wins on a clash)."""
    found: dict[str, Rubric] = {}
    for directory in rubric_dirs():
        for path in sorted(directory.glob("*.md")):
            if path.stem not in found:
                found[path.stem] = _parse(path.resolve(), path.stat().st_mtime_ns)
    return list(found.values())


def load_rubric(name_or_path: str | Path | None = None) -> Rubric:
    """The rubric named ``name_or_path`` (default judge-v1), or the .md file it points to."""
    wanted = str(name_or_path or DEFAULT_RUBRIC)
    candidate = Path(wanted)
    if candidate.suffix == ".md" and candidate.is_file():
        path = candidate.resolve()
    else:
        path = next((d / f"{wanted}.md" for d in rubric_dirs() if (d / f"{wanted}.md").is_file()), None)
        if path is None:
            known = ", ".join(r.name for r in list_rubrics()) or "none found"
            raise ConfigError(f"unknown judge rubric {wanted!r} (known: {known})")
    return _parse(path, path.stat().st_mtime_ns)


# ---- asking the judge ----------------------------------------------------------------


@dataclass
class Judgement:
    """The judge's answer on one record: a verdict, or the error that prevented one."""

    verdict: JudgeVerdict | None
    usage: Usage
    cached: bool = False
    error: str | None = None

    def score(self) -> Score:
        """The verdict as counts of the ``judge`` field."""
        if self.verdict is None:
            return Score(counts={"asked": 1, "judged": 0, "passed": 0, "errors": 1,
                                 **{c: 0 for c in CRITERIA.values()}},
                         findings=(f"judge error: {self.error}",))
        grades = {count: int(getattr(self.verdict, name)) for name, count in CRITERIA.items()}
        failed = [name for name in CRITERIA if not getattr(self.verdict, name)]
        findings = (f"judge: fails {', '.join(failed)}: {self.verdict.reason}",) if failed else ()
        return Score(counts={"asked": 1, "judged": 1, "passed": int(not failed), "errors": 0, **grades},
                     findings=findings)


@dataclass
class JudgeRun:
    """What judging a whole eval took: the rubric, the judge's settings and usage."""

    rubric: Rubric
    settings: Settings
    usage: Usage = field(default_factory=Usage.nothing_spent)
    judged: int = 0
    cached: int = 0
    errors: int = 0


def judge_settings(settings: Settings, model: str) -> Settings:
    """The eval's endpoint settings with the judge's model; ConfigError without endpoint."""
    judged = settings.with_(backend="openai", model=model)
    if not judged.endpoint_configured:
        raise ConfigError("--judge-model needs a model endpoint: OPENAI_API_KEY, OPENAI_BASE_URL or --base-url")
    return judged


def judge_cache_key(settings: Settings, rubric: Rubric, gold: GoldArticle, summary: str) -> str:
    """The cache key of one verdict: everything that shapes the judge's answer."""
    fields = {
        "layout": _KEY_LAYOUT, "model": settings.model, "base_url": public_url(settings.base_url),
        "mode": settings.mode, "temperature": settings.temperature, "seed": settings.seed,
        "rubric_sha256": rubric.sha256,
        "verdict_schema": hashlib.sha256(json.dumps(JudgeVerdict.model_json_schema(), sort_keys=True)
                                         .encode()).hexdigest(),
        "article": hashlib.sha256(json.dumps([gold.article.title, gold.article.source, gold.article.published,
                                              gold.text]).encode()).hexdigest(),
        "summary": hashlib.sha256(summary.encode()).hexdigest(),
    }
    return "judge:" + hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


async def ajudge_results(results: Sequence[RunResult], golds: Sequence[GoldArticle], *, settings: Settings,
                         rubric: Rubric, batch: BatchOptions | None = None) -> JudgeRun:
    """Judge every ok record of every repeat of ``results`` and add the verdicts to their
    scores (field ``judge``). ``settings`` are the judge's (see :func:`judge_settings`)."""
    from summarize.model.client import ModelClient
    from summarize.model.ratelimit import RateLimits, limited_http_client

    batch = batch or BatchOptions()
    batch.check()
    run = JudgeRun(rubric=rubric, settings=settings)
    client = ModelClient(settings, http_client=limited_http_client(RateLimits(rpm=batch.rpm, tpm=batch.tpm),
                                                                   connections=batch.concurrency))
    store = batch.open_cache()
    gate = asyncio.Semaphore(batch.concurrency)

    async def one(gold: GoldArticle, record: Record) -> Judgement:
        summary = record.summary.summary if record.summary else ""
        key = judge_cache_key(settings, rubric, gold, summary)
        stored = store.get_json(key) if store is not None else None
        if stored is not None:
            return Judgement(JudgeVerdict.model_validate(stored["verdict"]), Usage.nothing_spent(), cached=True)
        async with gate:
            try:
                verdict, usage = await client.ask(rubric.render(gold, summary), response_model=JudgeVerdict)
            except ModelError as exc:
                return Judgement(None, exc.usage or Usage(), error=f"{exc.reason or 'model_error'}: {exc}")
        if store is not None:
            store.put_json(key, {"verdict": verdict.model_dump(), "usage": usage.model_dump()})
        return Judgement(verdict, usage)

    try:
        for result in results:
            for repeat in result.repeats:
                pending = [(index, one(gold, record))
                           for index, (gold, record) in enumerate(zip(golds, repeat.records, strict=True))
                           if record.status == "ok" and record.summary is not None]
                judgements = await asyncio.gather(*(task for _, task in pending))
                for (index, _), judgement in zip(pending, judgements, strict=True):
                    repeat.scores[index]["judge"] = judgement.score()
                    run.usage = _add_usage(run.usage, judgement.usage)
                    run.judged += judgement.verdict is not None
                    run.cached += judgement.cached
                    run.errors += judgement.verdict is None
    finally:
        await client.aclose()
        if store is not None:
            store.close()
    return run


def judge_results(results: Sequence[RunResult], golds: Sequence[GoldArticle], *, settings: Settings,
                  rubric: Rubric, batch: BatchOptions | None = None) -> JudgeRun:
    """Blocking twin of :func:`ajudge_results`."""
    return run_blocking(ajudge_results(results, golds, settings=settings, rubric=rubric, batch=batch))


def _add_usage(total: Usage, more: Usage) -> Usage:
    cost = None if total.cost_usd is None or more.cost_usd is None else round(total.cost_usd + more.cost_usd, 8)
    return Usage(requests=total.requests + more.requests, prompt_tokens=total.prompt_tokens + more.prompt_tokens,
                 completion_tokens=total.completion_tokens + more.completion_tokens, cost_usd=cost,
                 reasks=total.reasks + more.reasks)


# ---- agreement with the deterministic metrics ---------------------------------------


def _deterministic(scores: dict[str, Score]) -> dict[str, bool | None]:
    """The deterministic checks' pass/fail for each criterion on one article."""
    def count(field_name: str, name: str) -> float:
        score = scores.get(field_name)
        return (score.counts.get(name) or 0) if score else 0

    coverage_gold = count("summary_coverage", "gold")
    return {
        "faithful": count("summary_numbers", "not_in_article") == 0 and count("summary_names", "not_in_article") == 0,
        "neutral": count("summary", "unattributed") == 0,
        "attributes_contested_claims": count("summary_attribution", "unattributed") == 0,
        "covers_main_event": None if not coverage_gold else count("summary_coverage", "mentioned") > 0,
    }


def _kappa(table: dict[str, int]) -> float | None:
    """Cohen's kappa of a 2x2 table (keys judge/deterministic: pp, pf, fp, ff)."""
    n = sum(table.values())
    if not n:
        return None
    observed = (table["pp"] + table["ff"]) / n
    judge_pass = (table["pp"] + table["pf"]) / n
    checks_pass = (table["pp"] + table["fp"]) / n
    expected = judge_pass * checks_pass + (1 - judge_pass) * (1 - checks_pass)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def judge_agreement(results: Sequence[RunResult]) -> dict[str, dict[str, Any]]:
    """Per criterion, over every judged summary of every run and repeat: ``n``, the
    share where judge and deterministic check agree, Cohen's kappa, and the 2x2 table
    (``pp``: both pass, ``pf``: judge passes and the check fails, ``fp``, ``ff``)."""
    tables = {name: {"pp": 0, "pf": 0, "fp": 0, "ff": 0} for name in CRITERIA}
    for result in results:
        for repeat in result.repeats:
            for scores in repeat.scores:
                judged = scores.get("judge")
                if judged is None or not judged.counts.get("judged"):
                    continue
                checks = _deterministic(scores)
                for name, count in CRITERIA.items():
                    if checks[name] is None:
                        continue
                    key = ("p" if judged.counts[count] else "f") + ("p" if checks[name] else "f")
                    tables[name][key] += 1
    out = {}
    for name, table in tables.items():
        n = sum(table.values())
        out[name] = {"n": n, "agreement": (table["pp"] + table["ff"]) / n if n else None,
                     "kappa": _kappa(table), "table": table}
    return out


def judge_section(run: JudgeRun, results: Sequence[RunResult]) -> dict[str, Any]:
    """The report's ``judge`` entry: model, rubric and its sha256, usage, agreement."""
    return {
        "model": run.settings.model, "base_url": public_url(run.settings.base_url), "mode": run.settings.mode,
        "rubric": run.rubric.name, "rubric_version": run.rubric.version, "rubric_sha256": run.rubric.sha256,
        "judged": run.judged, "cached": run.cached, "errors": run.errors,
        "usage": run.usage.model_dump(exclude={"reasks"}),
        "agreement": judge_agreement(results),
    }


def judge_markdown(section: dict[str, Any]) -> str:
    """The judge's agreement with the deterministic checks, as markdown."""
    usage = section["usage"]
    cost = "unknown" if usage["cost_usd"] is None else f"${usage['cost_usd']:.6f}"
    lines = [f"Judge {section['model']} with rubric {section['rubric']} (sha256 {section['rubric_sha256'][:12]}): "
             f"{section['judged']} summaries judged ({section['cached']} from the cache), {section['errors']} "
             f"errors; {usage['requests']} requests, {usage['prompt_tokens'] + usage['completion_tokens']:,} "
             f"tokens, cost {cost}.", "",
             "| criterion | n | agreement with the checks | kappa | both pass / judge only / checks only / both fail |",
             "|---|---|---|---|---|"]
    for name, row in section["agreement"].items():
        table = row["table"]
        agreement = "n/a" if row["agreement"] is None else f"{row['agreement']:.3f}"
        kappa = "n/a" if row["kappa"] is None else f"{row['kappa']:.3f}"
        lines.append(f"| {name} | {row['n']} | {agreement} | {kappa} | "
                     f"{table['pp']} / {table['pf']} / {table['fp']} / {table['ff']} |")
    return "\n".join(lines)
