"""Settings: every option of a run in one object, read from flags and the environment.

Environment variables (flags override them):
    OPENAI_API_KEY      key for the endpoint (a local server needs none)
    OPENAI_BASE_URL     any OpenAI-compatible endpoint (Azure, Ollama, vLLM, llama.cpp)
    SUMMARIZE_MODEL     model name (default gpt-4o-mini)
    SUMMARIZE_BACKEND   auto | openai | rules (default auto)
    SUMMARIZE_MODE      tools | json_schema | md_json (default tools)
    SUMMARIZE_PROMPT    prompt name or path (default neutral-v2)
    SUMMARIZE_PRICING   auto | openai | none: which price table gives cost_usd (default auto)
    SUMMARIZE_BACKOFF_INITIAL, SUMMARIZE_BACKOFF_MAX, SUMMARIZE_MAX_RETRY_AFTER
                        seconds: first backoff wait, its cap, longest Retry-After honoured
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from numbers import Integral, Real
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from summarize.errors import ConfigError
from summarize.prompts import DEFAULT_PROMPT
from summarize.records import PRICINGS

Backend = Literal["auto", "openai", "rules"]
Mode = Literal["tools", "json_schema", "md_json"]

BACKENDS: tuple[str, ...] = ("auto", "openai", "rules")
MODES: tuple[str, ...] = ("tools", "json_schema", "md_json")
DEFAULT_MODEL = "gpt-4o-mini"
#: Longest article accepted, in characters (about 25,000 words; far above a news story).
#: Longer input gets an error record instead of a truncated or very costly request.
DEFAULT_MAX_CHARS = 150_000
#: Settings that are whole numbers, numbers of either kind, and text (checked by type
#: first, so that a wrong type is a ConfigError naming the setting, not a TypeError).
_WHOLE = ("max_reasks", "max_retries", "max_tokens", "max_chars")
_NUMBERS = ("timeout", "backoff_initial", "backoff_max", "max_retry_after", "temperature")
_TEXT = ("model",)
_TEXT_OR_NONE = ("base_url", "api_key")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a run needs to know. Build with :meth:`from_env` and ``replace``."""

    backend: Backend = "auto"
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: Mode = "tools"
    prompt: str = DEFAULT_PROMPT
    #: Re-asks after a validation failure (instructor's max_retries).
    max_reasks: int = 2
    #: Retries of one HTTP request after a transport fault (429, 5xx, connection, timeout).
    max_retries: int = 4
    #: Seconds before one HTTP request is abandoned (then retried).
    timeout: float = 60.0
    #: Exponential backoff: first wait and cap, in seconds (jitter added).
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    #: Longest wait honoured from a Retry-After header, in seconds.
    max_retry_after: float = 60.0
    max_tokens: int = 4096
    #: Sampling temperature sent with every request (0 to 2).
    temperature: float = 0.0
    #: Sampling seed sent with every request, for endpoints that honour it (None: none).
    seed: int | None = None
    #: OpenAI's strict structured outputs: the strict form of the schema, marked
    #: ``strict: true``. None: on for OpenAI's own endpoint only (see :attr:`strict_outputs`).
    strict: bool | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    #: Which price table gives cost_usd: auto (OpenAI's, on OpenAI's endpoint only),
    #: openai (OpenAI's, whatever the endpoint) or none (see summarize.records.PRICINGS).
    pricing: str = "auto"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from environment variables, then ``overrides`` (None values ignored)."""
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {
            "backend": env.get("SUMMARIZE_BACKEND") or "auto",
            "model": env.get("SUMMARIZE_MODEL") or DEFAULT_MODEL,
            "base_url": env.get("OPENAI_BASE_URL") or None,
            "api_key": env.get("OPENAI_API_KEY") or None,
            "mode": env.get("SUMMARIZE_MODE") or "tools",
            "prompt": env.get("SUMMARIZE_PROMPT") or DEFAULT_PROMPT,
            "pricing": env.get("SUMMARIZE_PRICING") or "auto",
        }
        for name in ("backoff_initial", "backoff_max", "max_retry_after"):
            variable = f"SUMMARIZE_{name.upper()}"
            if env.get(variable):
                try:
                    values[name] = float(env[variable])
                except ValueError:
                    raise ConfigError(f"{variable} must be a number of seconds, "
                                      f"not {env[variable]!r}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        _check_names(values)
        settings = cls(**values)
        settings.check()
        return settings

    def with_(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied (None values ignored), checked."""
        given = {k: v for k, v in changes.items() if v is not None}
        _check_names(given)
        updated = replace(self, **given)
        updated.check()
        return updated

    def check(self) -> None:
        """Raise ConfigError for a value no run can use."""
        self._check_types()
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown backend {self.backend!r}; choose one of {', '.join(BACKENDS)}")
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")
        for name in ("max_reasks", "max_retries"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be 0 or more")
        if self.timeout <= 0:
            raise ConfigError("timeout must be positive")
        for name in ("backoff_initial", "backoff_max", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be 0 or more")
        for name in ("max_tokens", "max_chars"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be 1 or more")
        if not 0 <= self.temperature <= 2:
            raise ConfigError("temperature must be between 0 and 2")
        if self.seed is not None and (not isinstance(self.seed, int) or isinstance(self.seed, bool)):
            raise ConfigError(f"seed must be a whole number, not {self.seed!r}")
        if self.pricing not in PRICINGS:
            raise ConfigError(f"unknown pricing {self.pricing!r}; choose one of {', '.join(PRICINGS)}")

    def _check_types(self) -> None:
        def wrong(name: str, kind: str) -> ConfigError:
            value = getattr(self, name)
            return ConfigError(f"{name} must be {kind}, not {value!r}")

        for name in _WHOLE:
            value = getattr(self, name)
            if not isinstance(value, Integral) or isinstance(value, bool):
                raise wrong(name, "a whole number")
        for name in _NUMBERS:
            value = getattr(self, name)
            if not isinstance(value, Real) or isinstance(value, bool):
                raise wrong(name, "a number")
        for name in _TEXT:
            if not isinstance(getattr(self, name), str):
                raise wrong(name, "text")
        if not isinstance(self.prompt, str | os.PathLike):  # a name, or a path to a prompt file
            raise wrong("prompt", "a prompt name or a path")
        for name in _TEXT_OR_NONE:
            if not isinstance(getattr(self, name), str | None):
                raise wrong(name, "text or None")
        if not isinstance(self.strict, bool | None):
            raise wrong("strict", "True, False or None")

    @property
    def strict_outputs(self) -> bool:
        """Whether requests use strict structured outputs: as :attr:`strict` says, else
        only on OpenAI's own endpoint (others' support for ``strict`` varies)."""
        return self.strict if self.strict is not None else is_openai_endpoint(self.base_url)

    @property
    def endpoint_configured(self) -> bool:
        """True when a model endpoint can be called: a key (OpenAI) or a base URL."""
        return bool(self.api_key or self.base_url)

    def resolved_backend(self) -> Literal["openai", "rules"]:
        """The backend a run uses: ``auto`` means openai when an endpoint is configured,
        else rules. Raises ConfigError when openai is asked for and cannot be called."""
        if self.backend == "rules":
            return "rules"
        if self.endpoint_configured:
            return "openai"
        if self.backend == "openai":
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY or a base URL "
                "(--base-url or OPENAI_BASE_URL); or use --backend rules"
            )
        return "rules"


def public_url(url: str | None) -> str | None:
    """``url`` without credentials or query string (safe to write into a record)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def is_openai_endpoint(base_url: str | None) -> bool:
    """True for OpenAI's own API (no base URL, or one on api.openai.com)."""
    return base_url is None or urlsplit(base_url).hostname == "api.openai.com"


def _check_names(values: dict[str, Any]) -> None:
    """ConfigError for a name that is not a setting (a typo in an API call's keywords)."""
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; the settings are "
                          f"{', '.join(sorted(known))}")
