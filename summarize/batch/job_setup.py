"""Making and opening a Batch API job: its options, settings, inputs and rows.

A job keeps every setting its answers depend on (model, prompt and its sha256, mode,
max tokens, temperature ...): collecting takes them from the job, and only how to reach
the endpoint (base URL, key, timeouts, retries, pricing) from the command line. Its
inputs are read again at every collect, in the same order, with the same ids.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from summarize.articles import Article, unique_ids
from summarize.batch.cache import cache_key
from summarize.batch.job import Job, JobState
from summarize.batch.job_output import JobOutput
from summarize.batch.replay import replay_transport
from summarize.batch.runner import BatchOptions, reusable
from summarize.errors import ConfigError
from summarize.inputs import iter_articles
from summarize.model.batch_api import BatchClients, check_endpoint
from summarize.model.batch_lines import custom_id_base
from summarize.model.batch_limits import MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE
from summarize.pipeline import Summarizer
from summarize.records import Record
from summarize.settings import Settings, public_url

#: Where a notice goes (stderr on the command line).
Echo = Callable[[str], None]
REASKS = ("batch", "live")
#: Settings the answers depend on (besides the prompt): a job's, never changed by a
#: later command (which refuses a different value).
ANSWER_SETTINGS = ("model", "mode", "max_reasks", "max_tokens", "max_chars", "temperature",
                   "seed", "strict")
#: Settings that may differ between submit and collect (how to reach the endpoint).
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
    #: Batch ids the user named lost (``collect --lost-batch``): when the endpoint answers
    #: 404 for one, its unanswered requests are sent again (never without being named).
    lost_batches: frozenset[str] = frozenset()
    #: The replay's options as ``summarize run`` has them: the articles replayed at once,
    #: the live requests' limits (reask "live") and the cache.
    batch: BatchOptions = field(default_factory=BatchOptions)

    def check(self) -> None:
        """ConfigError for a value no job can use."""
        if self.reask not in REASKS:
            raise ConfigError(f"unknown --reask {self.reask!r}; choose batch or live")
        if self.max_requests < 1 or self.max_bytes < 1024:
            raise ConfigError("request files must hold at least 1 request and 1 KiB")
        if self.poll_interval <= 0 or self.poll_max < self.poll_interval:
            raise ConfigError("--poll-interval must be positive (and at most the longest wait)")
        self.batch.check()


# ---- settings and inputs --------------------------------------------------------------------


def snapshot(settings: Settings) -> dict[str, Any]:
    """The settings a job keeps (every setting but the key; the URL without credentials)."""
    kept = {f.name: getattr(settings, f.name) for f in fields(Settings) if f.name != "api_key"}
    kept["base_url"] = public_url(settings.base_url)
    if "strict" in kept:  # decided by the endpoint when not given: keep what was decided
        kept["strict"] = settings.strict_outputs
    return kept


def endpoint_url(job: Job, given: Settings, *, override: Collection[str] = ()) -> str | None:
    """The base URL to send ``job``'s new files and batches to: the job's, unless
    ``override`` (the endpoint flags given on the command line) names ``base_url``; the
    URL ``given`` (a flag or the environment) replaces the job's when it is the same
    URL with the credentials the job file leaves out."""
    if "base_url" in override:
        return given.base_url
    kept = job.settings.get("base_url")
    if given.base_url and public_url(given.base_url) == kept:
        return given.base_url
    return kept


def job_settings(job: Job, given: Settings, *, override: Collection[str] = ()) -> Settings:
    """The settings to run ``job`` with: the job's, with the key from ``given`` (the
    command line and the environment) and the endpoint settings named in ``override``
    (the flags given on the command line; see :func:`endpoint_url` for the base URL).
    A file job's answers come from an engine summarize did not call (vLLM ...): they
    are priced only with ``pricing`` "openai", never by "auto". ConfigError when the
    prompt changed since the job was made."""
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in job.settings.items() if k in known}
    values["api_key"] = given.api_key
    for name in override:
        if name in ENDPOINT_SETTINGS:
            values[name] = getattr(given, name)
    values["base_url"] = endpoint_url(job, given, override=override)
    values["backend"] = "openai"
    if job.mode == "file" and values.get("pricing") == "auto":
        values["pricing"] = "none"  # answered by an engine of the user's: no price known
    settings = Settings(**values)
    settings.check()
    from summarize.prompts import load_prompt

    prompt = load_prompt(settings.prompt)
    if job.settings.get("prompt_sha256") and prompt.sha256 != job.settings["prompt_sha256"]:
        raise ConfigError(f"the prompt {settings.prompt} changed since the job was made "
                          f"(sha256 {prompt.sha256[:12]}, the job's {job.settings['prompt_sha256'][:12]}): "
                          "its answers are for the old text; restore it or make a new job")
    return settings


def decided_strict(settings: Settings, *, mode: str) -> bool:
    """Whether a job of ``mode`` sends OpenAI's strict structured outputs: as --strict or
    --no-strict say; when neither is given, as the endpoint decides for an ``api`` job
    (on for OpenAI's only), and on for a ``file`` job, whose requests go to an engine
    summarize does not call (so that export and collect --results agree whatever
    --base-url either is given)."""
    if settings.strict is not None:
        return settings.strict
    return True if mode == "file" else settings.strict_outputs


def check_same_job(job: Job, given: Settings, *, inputs: list[str] | None = None,
                   names: Collection[str] | None = None,
                   override: Collection[str] = ()) -> None:
    """ConfigError (one line, exit 2) when ``inputs`` (absolute, as :func:`check_inputs`
    gives them) are not the job's, or when a setting its answers depend on differs in
    ``given``: every one of ANSWER_SETTINGS and the prompt, or only those in ``names``
    (the flags given on the command line). ``override`` as for :func:`job_settings`."""
    where = f"job {job.path} was made for"
    if inputs is not None and list(inputs) != list(job.inputs):
        raise ConfigError(f"{where} {_some(job.inputs)}, not {_some(inputs)}; choose another "
                          "--job (or give its inputs)")
    url = endpoint_url(job, given, override=override)
    for name in (*ANSWER_SETTINGS, "prompt"):
        if names is not None and name not in names:
            continue
        if name == "prompt":
            from summarize.prompts import load_prompt

            now, kept = load_prompt(given.prompt).sha256, job.settings.get("prompt_sha256")
            if kept and now != kept:
                raise ConfigError(f"{where} another prompt (sha256 {kept[:12]}) than "
                                  f"{given.prompt} (sha256 {now[:12]}); choose another --job")
            continue
        if name == "strict":
            now = decided_strict(replace(given, base_url=url), mode=job.mode)
        else:
            now = getattr(given, name)
        if name in job.settings and now != job.settings[name]:
            flag = f"--{name.replace('_', '-')}"
            shown = {True: "on", False: "off"}.get(now, now) if name == "strict" else now
            kept = job.settings[name]
            kept = {True: "on", False: "off"}.get(kept, kept) if name == "strict" else kept
            raise ConfigError(f"{where} {flag} {kept} (not {shown}); choose another --job")


def _some(paths: list[str], shown: int = 2) -> str:
    names = ", ".join(paths[:shown])
    return names + (f" and {len(paths) - shown} more" if len(paths) > shown else "")


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
    # The job's own files are left out first, then the ids numbered: the same numbering
    # as ``summarize run`` (:func:`unique_ids`), so a live rerun finds the same ids.
    yield from unique_ids(article for article in iter_articles(job.inputs, exclude=exclude)
                          if not (article.path
                                  and folder in Path(article.path).resolve().parents))


def open_summarizer(settings: Settings, options: JobOptions) -> Summarizer:
    """A Summarizer whose model backend answers from the job's replay (and, with reask
    "live", sends follow-up requests to the endpoint within the rate limits)."""
    from summarize.model.backend import OpenAIBackend
    from summarize.model.ratelimit import RateLimits

    # The HTTP client, only for live re-asks, is made when the first one is sent.
    live = options.reask == "live"
    backend = OpenAIBackend(
        settings, transport=replay_transport,
        limits=RateLimits(rpm=options.batch.rpm, tpm=options.batch.tpm) if live else None,
        connections=options.batch.concurrency if live else None)
    return Summarizer(settings, backend=backend, close_backend=True)


def open_clients(settings: Settings) -> BatchClients:
    """The Batch API clients of a command: new batches go to the endpoint ``settings``
    name, a batch made earlier is read where it was created."""
    return BatchClients(api_key=settings.api_key, base_url=settings.base_url,
                        timeout=settings.timeout, max_retries=settings.max_retries,
                        backoff_initial=settings.backoff_initial, backoff_max=settings.backoff_max,
                        max_retry_after=settings.max_retry_after)


# ---- making a job ---------------------------------------------------------------------------


async def create_job(path: Path, *, mode: str, inputs: list[str], output: str | None,
                     settings: Settings, options: JobOptions, echo: Echo,
                     scratch: bool = False) -> tuple[Job, JobState]:
    """Make the job at ``path``: a row for every input article (to send, already ok in
    the output, in the cache, or unusable), then the job file (``scratch``: a job
    deleted afterwards, not named in the notice). ConfigError when a job
    file is there already."""
    if path.exists():
        raise ConfigError(f"{path} exists already")
    if settings.backend == "rules":
        raise ConfigError("the Batch API needs a model backend (not --backend rules)")
    if mode == "api":
        check_endpoint(settings.base_url, settings.api_key)
    settings = replace(settings.with_(backend="openai"),  # export: nothing is sent, no key
                       strict=decided_strict(settings, mode=mode))
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
    # The custom_ids leave the endpoint out: collect --results --base-url (for a live
    # re-ask, or the prices) reads the results of an export made without it.
    anywhere = provenance.model_copy(update={"base_url": None})
    previous = JobOutput(output) if output and Path(output).exists() else None
    if previous is not None:
        previous.index(state, ok_only=True)
    cache = options.batch.open_cache()
    counts = {"skipped": 0, "cached": 0, "unusable": 0, "to send": 0}
    try:
        state.begin()
        for position, article in enumerate(job_articles(job)):
            if check_input(article) is not None:
                state.add_article(position, article.id, text_sha256=None, key=None, base=None)
                counts["unusable"] += 1
                continue
            key = cache_key(article, provenance)
            base = custom_id_base(cache_key(article, anywhere), article.id)
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
    named = "" if scratch else f"job {job.path}: "
    echo(f"summarize: {named}{sum(counts.values())} articles: {counts['to send']} to send, "
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


