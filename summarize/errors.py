"""One exception tree, split by who must act on the error.

- ConfigError: the user must fix a flag, an environment variable or a file name.
- InputError: one article is unusable (empty, binary, too large); the batch goes on.
- ModelError: the model endpoint failed or answered something unusable; keeps the
  original exception, the number of attempts and the tokens spent.
- EvalDataError: a gold file does not follow the annotation format.

The CLI turns each of them into a one-line message in one place (summarize.cli).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

    from summarize.records import Usage


def first_problem(error: ValidationError) -> str:
    """The first problem pydantic found, as ``location: message``."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))


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
