"""Options shared by the commands that call a backend (run, eval)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from summarize.settings import BACKENDS, MODES, Settings

_SETTING_NAMES = ("backend", "model", "base_url", "mode", "max_retries", "max_reasks",
                  "timeout", "max_tokens", "max_chars")


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the backend and model flags (each also read from its environment variable)."""
    options = [
        click.option("--backend", type=click.Choice(BACKENDS), envvar="SUMMARIZE_BACKEND",
                     help="auto: the model when an endpoint is configured, else rules.  [default: auto]"),
        click.option("--model", "-m", envvar="SUMMARIZE_MODEL", help="Model name.  [default: gpt-4o-mini]"),
        click.option("--base-url", envvar="OPENAI_BASE_URL",
                     help="OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, Azure ...)."),
        click.option("--mode", type=click.Choice(MODES), envvar="SUMMARIZE_MODE",
                     help="How the schema is sent: tools, json_schema (llama.cpp, Ollama) or md_json.  [default: tools]"),
        click.option("--max-retries", type=click.IntRange(min=0),
                     help="Retries of a request after 429, 5xx, timeout or connection errors.  [default: 4]"),
        click.option("--max-reasks", type=click.IntRange(min=0),
                     help="Re-asks after an answer fails validation.  [default: 2]"),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                     help="Seconds before a request is abandoned and retried.  [default: 60]"),
        click.option("--max-tokens", type=click.IntRange(min=1),
                     help="Largest answer, in tokens.  [default: 4096]"),
        click.option("--max-chars", type=click.IntRange(min=1),
                     help="Longest article accepted, in characters.  [default: 150000]"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def settings_from(params: dict[str, Any], **extra: Any) -> Settings:
    """Settings from the environment, overridden by the flags given in ``params``."""
    overrides = {name: params.get(name) for name in _SETTING_NAMES}
    overrides.update(extra)
    return Settings.from_env(**overrides)


@contextmanager
def run_settings(params: dict[str, Any], **extra: Any) -> Iterator[Settings]:
    """The Settings of a command that calls a backend, as a context: an option that has
    to start something for the run (a local model server that yields a base URL and a
    mode) starts it on entry and stops it on exit. Raises ConfigError for unusable flags."""
    settings = settings_from(params, **extra)
    settings.resolved_backend()  # an openai backend without an endpoint fails here
    yield settings


def backend_notice(settings: Settings) -> str | None:
    """The one line a command prints on stderr when ``--backend auto`` fell back to rules."""
    if settings.backend == "auto" and settings.resolved_backend() == "rules":
        return ("summarize: no model endpoint configured (OPENAI_API_KEY, OPENAI_BASE_URL or "
                "--base-url): using the rules backend (deterministic, no model)")
    return None
