"""One exception tree, split by who must act on the error.

- ConfigError: the user must fix a flag, an environment variable or a file name.
- InputError: one article is unusable (empty, binary, too large); the batch goes on.
- ModelError: the model endpoint failed or answered something unusable; keeps the
  original exception, the number of attempts and the tokens spent.
- EvalDataError: a gold file does not follow the annotation format.

The CLI turns each of them into a one-line message in one place (summarize.cli).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

    from summarize.records import Usage


def problems(error: ValidationError) -> list[str]:
    """Every problem pydantic found, one line each as ``where: what`` in this project's
    words: the item path as records name it (``casualties[0].outcome``), the message
    without pydantic's type codes, input dumps or documentation links."""
    return [_problem(detail) for detail in error.errors(include_url=False)]


def first_problem(error: ValidationError) -> str:
    """The first problem pydantic found, as ``location: message`` (see :func:`problems`)."""
    return problems(error)[0]


def _problem(detail: Any) -> str:
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                    for part in detail.get("loc", ())).lstrip(".")
    what = _in_our_words(detail)
    if where:
        return f"{where}: {what}"
    return f"the answer {what}" if what.startswith("must ") else what


#: pydantic's type errors, named as a reader of the schema says them.
_EXPECTED = {"string_type": "a string", "int_type": "a whole number", "int_parsing": "a whole number",
             "int_from_float": "a whole number", "float_type": "a number",
             "float_parsing": "a number", "bool_type": "true or false",
             "bool_parsing": "true or false", "list_type": "a list",
             "model_type": "an object", "dict_type": "an object", "model_attributes_type": "an object"}


def _in_our_words(detail: Any) -> str:
    kind, message = detail.get("type", ""), str(detail.get("msg", ""))
    context = detail.get("ctx") or {}
    if kind == "missing":
        return "missing"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, not {_shown(detail.get('input'))}"
    if kind == "enum":
        return f"{_shown(detail.get('input'))} is not one of {context.get('expected', '')}".rstrip()
    if kind == "greater_than_equal":
        return f"must be {context.get('ge')} or more, not {_shown(detail.get('input'))}"
    if kind == "json_invalid":
        return f"the answer is not valid JSON ({context.get('error', message)})"
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return " ".join(message.split())


def _shown(value: Any, limit: int = 60) -> str:
    """A short repr of ``value`` for a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class SummarizeError(Exception):
    """Root of every error this package raises on purpose."""

    #: Short machine-readable kind, written to a record's ``error.type``.
    kind: str = "error"


class ConfigError(SummarizeError):
    """A setting is missing or invalid (exit code 2 on the command line)."""

    kind = "config_error"


class EndpointUnreachableError(ConfigError):
    """No request of a batch ever reached the model endpoint (nothing listens at the base
    URL, or the host does not resolve): the batch stopped after the first failures.
    ``records`` holds one error record per article, as a finished batch would."""

    kind = "endpoint_unreachable"

    def __init__(self, message: str, *, records: list | None = None) -> None:
        super().__init__(message)
        self.records = records or []


class InputError(SummarizeError):
    """An article cannot be read or is not usable as text."""

    kind = "input_error"


class ModelError(SummarizeError):
    """The model call failed for good: transport retries or re-asks are exhausted,
    or the answer cannot be used (refusal, truncated output, no choices).

    ``cause`` is the original exception (an ``openai`` or ``instructor`` error),
    ``attempts`` counts HTTP requests sent, ``usage`` the tokens they cost.
    """

    kind = "model_error"

    def __init__(
        self,
        message: str,
        *,
        reason: str = "model_error",
        cause: BaseException | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.cause = cause
        self.attempts = attempts
        self.usage = usage


class EvalDataError(SummarizeError):
    """A gold-set file is malformed or contradicts its article."""

    kind = "eval_data_error"


class LocalServerError(SummarizeError):
    """llama.cpp's server for --local-model exited or did not answer while starting."""

    kind = "local_server_error"
