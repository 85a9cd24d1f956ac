"""Options shared by the commands that call a backend (run, eval)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from summarize.batch import BatchOptions
from summarize.errors import ConfigError
from summarize.records import PRICINGS
from summarize.settings import BACKENDS, MODES, Settings

#: The prefix of every environment variable that sets an option (see summarize.cli).
ENV_PREFIX = "SUMMARIZE"
#: context_settings of a command whose options are read as SUMMARIZE_<OPTION> (run, eval).
FLAT_ENV = {"auto_envvar_prefix": ENV_PREFIX}

#: Defaults with --local-model (flags override): a CPU answers slowly, one at a time,
#: within the server's 8192-token context (prompt, article and answer together).
LOCAL_TIMEOUT = 1800.0
LOCAL_MAX_TOKENS = 2048

_SETTING_NAMES = ("backend", "model", "base_url", "mode", "max_retries", "max_reasks",
                  "timeout", "max_tokens", "max_chars", "backoff_initial", "backoff_max",
                  "max_retry_after", "temperature", "seed", "strict", "pricing")


def env(name: str) -> str:
    """The environment variable of option ``name`` when it is shared by several commands:
    SUMMARIZE_<NAME>, whatever the command (see summarize.cli)."""
    return f"{ENV_PREFIX}_{name.upper().replace('-', '_')}"


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the backend and model flags (each also read from SUMMARIZE_<NAME>; the base URL
    also from OPENAI_BASE_URL)."""
    options = [
        click.option("--backend", type=click.Choice(BACKENDS), envvar=env("backend"),
                     help="auto: the model when an endpoint is configured, else rules.  [default: auto]"),
        click.option("--model", "-m", envvar=env("model"), help="Model name.  [default: gpt-4o-mini]"),
        click.option("--base-url", envvar=[env("base_url"), "OPENAI_BASE_URL"],
                     help="OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, Azure ...)."),
        click.option("--mode", type=click.Choice(MODES), envvar=env("mode"),
                     help="How the schema is sent: tools, json_schema (llama.cpp, Ollama) or md_json.  [default: tools]"),
        click.option("--strict/--no-strict", default=None, envvar=env("strict"),
                     help="OpenAI's strict structured outputs: send the strict form of the "
                     "schema marked strict: true, so that the endpoint enforces it.  [default: "
                     "on for api.openai.com, off for other endpoints]"),
        click.option("--temperature", type=click.FloatRange(0, 2),
                     envvar=env("temperature"), help="Sampling temperature.  [default: 0]"),
        click.option("--seed", type=int, envvar=env("seed"),
                     help="Sampling seed sent to the endpoint, for endpoints that honour it "
                     "(repeatable answers).  [default: none]"),
        click.option("--max-retries", type=click.IntRange(min=0), envvar=env("max_retries"),
                     help="Retries of a request after 429, 5xx, timeout or connection errors.  [default: 4]"),
        click.option("--max-reasks", type=click.IntRange(min=0), envvar=env("max_reasks"),
                     help="Re-asks after an answer fails validation.  [default: 2]"),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), envvar=env("timeout"),
                     help="Seconds before a request is abandoned and retried.  [default: 60]"),
        click.option("--max-tokens", type=click.IntRange(min=1), envvar=env("max_tokens"),
                     help="Largest answer, in tokens.  [default: 4096]"),
        click.option("--max-chars", type=click.IntRange(min=1), envvar=env("max_chars"),
                     help="Longest article accepted, in characters.  [default: 150000]"),
        click.option("--backoff-initial", type=click.FloatRange(min=0),
                     envvar=env("backoff_initial"),
                     help="First wait before a retry, in seconds; it doubles, with jitter.  [default: 1]"),
        click.option("--backoff-max", type=click.FloatRange(min=0), envvar=env("backoff_max"),
                     help="Longest wait between retries, in seconds.  [default: 30]"),
        click.option("--max-retry-after", type=click.FloatRange(min=0),
                     envvar=env("max_retry_after"),
                     help="Longest wait a 429's Retry-After is honoured for, in seconds.  [default: 60]"),
        click.option("--pricing", type=click.Choice(PRICINGS), envvar=env("pricing"),
                     help="Which price table gives cost_usd: auto (OpenAI's prices on OpenAI's "
                     "endpoint only), openai (OpenAI's prices whatever the endpoint), none.  "
                     "[default: auto]"),
        click.option("--local-model", type=click.Path(dir_okay=False), envvar=env("local_model"),
                     help="A GGUF model file to run with llama.cpp's server on 127.0.0.1 for "
                     "this command (needs: pip install -e '.[local]'). Uses json_schema "
                     "mode: the schema becomes a grammar."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


class Duration(click.ParamType):
    """A length of time: seconds (``3600``) or a number with a unit s, m, h, d or w
    (``90m``, ``12h``, ``7d``); converted to seconds."""

    name = "duration"
    _UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            seconds = float(value)
        else:
            text = str(value).strip().lower()
            unit = self._UNITS.get(text[-1:], None)
            number = text[:-1] if unit else text
            try:
                seconds = float(number) * (unit or 1)
            except ValueError:
                self.fail(f"{value!r} is not a duration (say 3600, 90m, 12h or 7d)", param, ctx)
        if not seconds > 0:
            self.fail(f"{value!r} is not a positive duration", param, ctx)
        return seconds


def batch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the flags of a batch: concurrency, rate limits and the cache."""
    options = [
        click.option("-j", "--concurrency", type=click.IntRange(min=1), default=8,
                     show_default=True, envvar=env("concurrency"),
                     help="Requests in flight at once."),
        click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                     envvar=env("workers"),
                     help="Processes the model calls are spread over (more cores: more requests "
                     "a second); each gets a share of -j, --rpm and --tpm. Not for Batch API "
                     "jobs."),
        click.option("--rpm", type=click.FloatRange(min=0, min_open=True), envvar=env("rpm"),
                     help="Send at most this many requests per minute (without it, 429s set the "
                     "pace)."),
        click.option("--tpm", type=click.FloatRange(min=0, min_open=True), envvar=env("tpm"),
                     help="Spend at most this many tokens (prompt + completion) per minute."),
        click.option("--no-cache", is_flag=True, envvar=env("no_cache"),
                     help="Neither read nor write the record cache."),
        click.option("--cache-dir", type=click.Path(file_okay=False), envvar=env("cache_dir"),
                     help="Cache folder.  [default: $SUMMARIZE_CACHE_DIR, else "
                     "$XDG_CACHE_HOME/summarize, else ~/.cache/summarize]"),
        click.option("--cache-ttl", type=Duration(), envvar=env("cache_ttl"),
                     help="Keep the records this run stores in the cache for this long "
                     "(3600, 90m, 12h, 7d), then ask again.  [default: until the 2 GiB "
                     "cache is full, oldest first]"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def batch_options_from(params: dict[str, Any]) -> BatchOptions:
    """The BatchOptions of the flags added by :func:`batch_options` (removed from
    ``params``), checked."""
    cache_dir = params.pop("cache_dir")
    options = BatchOptions(concurrency=params.pop("concurrency"), rpm=params.pop("rpm"),
                           tpm=params.pop("tpm"), use_cache=not params.pop("no_cache"),
                           cache_dir=Path(cache_dir) if cache_dir else None,
                           cache_ttl=params.pop("cache_ttl"), workers=params.pop("workers"))
    options.check()
    return options


def settings_from(params: dict[str, Any], **extra: Any) -> Settings:
    """Settings from the environment, overridden by the flags given in ``params``."""
    overrides = {name: params.get(name) for name in _SETTING_NAMES}
    overrides.update(extra)
    return Settings.from_env(**overrides)


_ENDPOINT_PARAMS = ("backend", "base_url", "model", "mode")


def _on_command_line(name: str) -> bool:
    """True when flag ``name`` was given on the command line (not by an environment
    variable or a default); also outside a click command, where params are the caller's."""
    context = click.get_current_context(silent=True)
    if context is None:
        return True
    return context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE


@contextmanager
def run_settings(params: dict[str, Any], *, need_endpoint: bool = True,
                 **extra: Any) -> Iterator[Settings]:
    """The Settings of a command that calls a backend, as a context. With --local-model,
    llama.cpp's server is started for the GGUF file on entry (the run then uses its base
    URL, json_schema mode and the file's name as model, unless flags say otherwise) and
    stopped on exit, also on Ctrl-C or SIGTERM. Raises ConfigError for unusable flags, and
    for ``--backend openai`` without an endpoint unless ``need_endpoint`` is False (a dry
    run, which calls nothing)."""
    local_model = params.get("local_model")
    if not local_model:
        settings = settings_from(params, **extra)
        if need_endpoint:
            settings.resolved_backend()  # an openai backend without an endpoint fails here
        yield settings
        return
    # The environment names the usual endpoint (OPENAI_BASE_URL, SUMMARIZE_MODEL ...);
    # with --local-model only flags given on the command line apply to these settings.
    params = {**params, **{name: None for name in _ENDPOINT_PARAMS if not _on_command_line(name)}}
    if params.get("base_url"):
        raise ConfigError("--local-model and --base-url exclude each other: choose one endpoint")
    if params.get("backend") == "rules":
        raise ConfigError("--local-model needs a model backend, not --backend rules")
    from summarize.model.local_server import LocalModelServer

    server = LocalModelServer(local_model)  # checks the file before anything starts
    click.echo(f"summarize: starting llama.cpp's server for {server.model_path.name} ...", err=True)
    with server as base_url:
        yield settings_from(
            {**params, "backend": "openai", "base_url": base_url,
             "mode": params.get("mode") or "json_schema",
             "model": params.get("model") or server.model_name,
             # llama-cpp-python answers one request at a time: the others wait in its
             # queue, so a request's time includes the answers before it.
             "timeout": params.get("timeout") or LOCAL_TIMEOUT,
             "max_tokens": params.get("max_tokens") or LOCAL_MAX_TOKENS},
            **extra,
        )


def backend_notice(settings: Settings) -> str | None:
    """The one line a command prints on stderr when ``--backend auto`` fell back to rules."""
    if settings.backend == "auto" and settings.resolved_backend() == "rules":
        return ("summarize: no model endpoint configured (OPENAI_API_KEY, OPENAI_BASE_URL or "
                "--base-url): using the rules backend (deterministic, no model)")
    return None
