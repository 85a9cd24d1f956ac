"""Making and opening a Batch API job: its options, settings, inputs and rows.

A job keeps every setting its answers depend on (model, prompt and its sha256, mode,
max tokens, temperature ...): collecting takes them from the job, and only how to reach
the endpoint (base URL, key, timeouts, retries, pricing) from the command line. Its
inputs are read again at every collect, in the same order, with the same ids.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from summarize.articles import Article, iter_articles
from summarize.batch.cache import RecordCache, cache_key, default_cache_dir
from summarize.batch.job import Job, JobState
from summarize.batch.job_output import JobOutput
from summarize.batch.replay import replay_transport
from summarize.batch.runner import reusable
from summarize.errors import ConfigError
from summarize.model.batch_api import (MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE, BatchClient,
                                       check_endpoint, custom_id)
from summarize.pipeline import Summarizer, public_url
from summarize.records import Record
from summarize.settings import Settings

#: Where a notice goes (stderr on the command line).
Echo = Callable[[str], None]
REASKS = ("batch", "live")
#: Settings that may differ between submit and collect (how to reach the endpoint); all
#: the others shape the answers and come from the job.
ENDPOINT_SETTINGS = ("base_url", "api_key", "timeout", "backoff_initial", "backoff_max",
                     "max_retry_after", "max_retries", "pricing")


@dataclass(frozen=True, kw_only=True)
class JobOptions:
    """How a job runs (what it runs with is in Settings)."""

    #: Largest request file: lines and bytes (the Batch API's limits by default).
    max_requests: int = MAX_REQUESTS_PER_FILE
    max_bytes: int = MAX_BYTES_PER_FILE
    #: Where follow-up requests go: "batch" (the next round) or "live" (the endpoint).
    reask: str = "batch"
    #: Seconds between status checks while waiting (growing by half up to poll_max).
    poll_interval: float = 10.0
    poll_max: float = 300.0
    #: Articles replayed at once, and the live requests' limits (reask "live").
    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    #: Seconds the new cache entries are kept (None: until evicted).
    cache_ttl: float | None = None

    def check(self) -> None:
        """ConfigError for a value no job can use."""
        if self.reask not in REASKS:
            raise ConfigError(f"unknown --reask {self.reask!r}; choose batch or live")
        if self.max_requests < 1 or self.max_bytes < 1024:
            raise ConfigError("request files must hold at least 1 request and 1 KiB")
        if self.poll_interval <= 0 or self.poll_max < self.poll_interval:
            raise ConfigError("--poll-interval must be positive (and at most the longest wait)")
        if self.concurrency < 1:
            raise ConfigError("--concurrency must be 1 or more")

    def open_cache(self) -> RecordCache | None:
        """The record cache these options ask for, or None."""
        if not self.use_cache:
            return None
        return RecordCache(self.cache_dir or default_cache_dir(), ttl=self.cache_ttl)


# ---- settings and inputs --------------------------------------------------------------------


def snapshot(settings: Settings) -> dict[str, Any]:
    """The settings a job keeps (every setting but the key; the URL without credentials)."""
    kept = {f.name: getattr(settings, f.name) for f in fields(Settings) if f.name != "api_key"}
    kept["base_url"] = public_url(settings.base_url)
    if "strict" in kept:  # decided by the endpoint when not given: keep what was decided
        kept["strict"] = settings.strict_outputs
    return kept


def job_settings(job: Job, given: Settings, *, override: tuple[str, ...] = ()) -> Settings:
    """The settings to collect ``job`` with: the job's, with the key and the endpoint
    settings named in ``override`` taken from ``given`` (the command line and the
    environment). ConfigError when the prompt changed since the job was made."""
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in job.settings.items() if k in known}
    values["api_key"] = given.api_key
    for name in override:
        values[name] = getattr(given, name)
    if given.base_url:  # the endpoint as given now (its URL may carry what the job omits)
        values["base_url"] = given.base_url
    values["backend"] = "openai"
    settings = Settings(**values)
    settings.check()
    from summarize.prompts import load_prompt

    prompt = load_prompt(settings.prompt)
    if job.settings.get("prompt_sha256") and prompt.sha256 != job.settings["prompt_sha256"]:
        raise ConfigError(f"the prompt {settings.prompt} changed since the job was made "
                          f"(sha256 {prompt.sha256[:12]}, the job's {job.settings['prompt_sha256'][:12]}): "
                          "its answers are for the old text; restore it or make a new job")
    return settings


def check_inputs(inputs: tuple[str, ...] | list[str]) -> list[str]:
    """The inputs as absolute paths (a job reads them again at every collect).
    ConfigError for stdin and for a name that does not exist."""
    absolute = []
    for item in inputs:
        if item == "-":
            raise ConfigError("a Batch API job reads its inputs again when it collects: give "
                              "files or folders, not - (stdin)")
        if not glob.has_magic(item) and not Path(item).exists() and not Path(item).is_symlink():
            raise ConfigError(f"{item}: no such file or folder")
        absolute.append(str(Path(item).absolute()))
    return absolute


def job_articles(job: Job) -> Iterator[Article]:
    """The job's input articles in order, with unique ids (as ``summarize run`` numbers
    repeated ids), leaving out the job's own files and its output."""
    exclude = [job.path] + ([job.output] if job.output else [])
    folder = job.folder.resolve()
    seen: dict[str, int] = {}
    for article in iter_articles(job.inputs, exclude=exclude):
        if article.path and folder in Path(article.path).resolve().parents:
            continue
        count = seen.get(article.id, 0) + 1
        seen[article.id] = count
        if count > 1:
            article.id = f"{article.id}#{count}"
        yield article


def open_summarizer(settings: Settings, options: JobOptions) -> Summarizer:
    """A Summarizer whose model backend answers from the job's replay (and, with reask
    "live", sends follow-up requests to the endpoint within the rate limits)."""
    from summarize.model.backend import OpenAIBackend
    from summarize.model.ratelimit import RateLimits, limited_http_client

    http_client = None
    if options.reask == "live":
        http_client = limited_http_client(RateLimits(rpm=options.rpm, tpm=options.tpm),
                                          connections=options.concurrency)
    backend = OpenAIBackend(settings, http_client=http_client, transport=replay_transport)
    return Summarizer(settings, backend=backend, close_backend=True)


def open_client(settings: Settings) -> BatchClient:
    """The Batch API client of the endpoint ``settings`` name."""
    return BatchClient(api_key=settings.api_key, base_url=settings.base_url,
                       max_retries=settings.max_retries, backoff_initial=settings.backoff_initial,
                       backoff_max=settings.backoff_max, max_retry_after=settings.max_retry_after)


# ---- making a job ---------------------------------------------------------------------------


async def create_job(path: Path, *, mode: str, inputs: list[str], output: str | None,
                     settings: Settings, options: JobOptions, echo: Echo) -> tuple[Job, JobState]:
    """Make the job at ``path``: a row for every input article (to send, already ok in
    the output, in the cache, or unusable), then the job file. ConfigError when a job
    file is there already."""
    if path.exists():
        raise ConfigError(f"{path} exists already")
    if settings.backend == "rules":
        raise ConfigError("the Batch API needs a model backend (not --backend rules)")
    if mode == "api":
        check_endpoint(settings.base_url, settings.api_key)
    settings = settings.with_(backend="openai")  # export: nothing is sent, no key needed
    from summarize.prompts import load_prompt

    kept = snapshot(settings)
    kept["prompt_sha256"] = load_prompt(settings.prompt).sha256
    prompt_path = Path(settings.prompt)
    if prompt_path.suffix == ".md" and prompt_path.is_file():
        kept["prompt"] = str(prompt_path.absolute())
    job = Job.new(path, mode=mode, inputs=inputs, output=output, settings=kept)
    state_file = job.folder / "state.sqlite"
    for leftover in (state_file, state_file.with_name("state.sqlite-wal"),
                     state_file.with_name("state.sqlite-shm")):
        leftover.unlink(missing_ok=True)  # a job that died before its job file was written
    state = JobState(job.folder)
    async with open_summarizer(settings, options) as summarizer:
        provenance = summarizer.provenance()
        check_input = summarizer.check_input
    previous = JobOutput(output) if output and Path(output).exists() else None
    if previous is not None:
        previous.index(state, ok_only=True)
    cache = options.open_cache()
    counts = {"skipped": 0, "cached": 0, "unusable": 0, "to send": 0}
    try:
        state.begin()
        for position, article in enumerate(job_articles(job)):
            if check_input(article) is not None:
                state.add_article(position, article.id, text_sha256=None, key=None, base=None)
                counts["unusable"] += 1
                continue
            key = cache_key(article, provenance)
            base = custom_id(key, article.id, 1).rsplit("-", 1)[0]
            status = "new"
            if previous is not None and reusable(_previous(previous, state, article.id),
                                                 article, provenance):
                status = "skipped"
            elif cache is not None and cache.get(key, article) is not None:
                status = "cached"
            counts["to send" if status == "new" else status] += 1
            state.add_article(position, article.id, text_sha256=article.text_sha256, key=key,
                              base=base, state=status)
            if position % 1000 == 999:
                state.commit()
                state.begin()
        state.commit()
    finally:
        if cache is not None:
            cache.close()
    if state.empty():
        raise ConfigError(f"no articles found in {' '.join(inputs)} "
                          "(looked for .txt .md .json .jsonl .html files)")
    job.save(state)
    echo(f"summarize: job {job.path}: {sum(counts.values())} articles: {counts['to send']} to send, "
         f"{counts['skipped']} already ok in the output, {counts['cached']} in the cache, "
         f"{counts['unusable']} unusable (their error records come at collect)")
    return job, state


def _previous(output: JobOutput, state: JobState, article_id: str) -> Record | None:
    found = state.db.execute("SELECT offset, length FROM lines WHERE id = ?", (article_id,)).fetchone()
    return output.record_at(*found) if found else None


def open_job(path: Path) -> tuple[Job, JobState]:
    """The job at ``path`` and its state."""
    job = Job.load(path)
    return job, JobState(job.folder)


