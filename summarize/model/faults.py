"""What went wrong in one exchange with a model endpoint, and what to do about it.

- :func:`is_transient`: whether the same request is worth sending again (429, 5xx,
  408/409, connection faults, timeouts, a 200 that is not a chat completion, no choices;
  an ``x-should-retry`` header decides for an HTTP error, as in the openai SDK; an
  exhausted quota never is);
- :func:`status_fault`: what an HTTP error status with its error body means (worth
  the same request again or not, reason, message), for a live request's error and for
  a failed line of a Batch API result file alike;
- :func:`retry_after_seconds`: how long the endpoint asked the client to wait, and
  :class:`Backoff`: how long a retried request waits (the live client's and the Batch
  API client's);
- :func:`check_completion`: a 200's body checked for what the model layer needs (a chat
  completion with a usable first choice), or the error that says what it is instead;
- :func:`describe`: the ``reason`` code and the one-line message of an error record.

The reason codes are listed, with what causes each, in docs/faults.md.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx2
import openai
from openai.types.chat import ChatCompletion

from summarize.model.guards import ResponseTooLargeError
from summarize.snippets import snippet

if TYPE_CHECKING:
    from tenacity import RetryCallState


class NoChoicesError(Exception):
    """The endpoint answered 200 with an empty ``choices`` list (treated as transient)."""


class BadResponseError(Exception):
    """A 200 whose body is not a chat completion: HTML or text, JSON that is cut off or not
    UTF-8, a list, an error object (treated as transient)."""


class ContentFilterError(Exception):
    """The endpoint's content filter withheld the answer (``finish_reason``)."""


class RefusalError(Exception):
    """The model refused to answer (``message.refusal`` is set)."""

    def __init__(self, refusal: str) -> None:
        super().__init__(refusal)
        self.refusal = refusal


#: The error code (or type) of OpenAI's 429 for an account without credit.
QUOTA_CODE = "insufficient_quota"


@dataclass(frozen=True)
class StatusFault:
    """What an HTTP error status means: ``transient`` (the same request is worth sending
    again), and the ``reason`` code and one-line ``message`` of an error record."""

    transient: bool
    reason: str
    message: str


def status_fault(status: int, body: Any, *, fallback: str = "") -> StatusFault:
    """The fault of HTTP ``status`` with error ``body`` (the response body, or its
    ``error`` object; ``fallback`` is the message when the body carries none): 408, 409,
    429 and 5xx are transient, other statuses are not, and a 429 whose error code or
    type is ``insufficient_quota`` is an exhausted quota (never transient). The live
    path classifies an APIStatusError with it, the Batch API a failed result line."""
    error = body.get("error", body) if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        detail = str(error["message"])[:300]
    else:
        detail = str(fallback)[:300]
    if status == 429 and isinstance(error, dict) and QUOTA_CODE in (error.get("code"), error.get("type")):
        return StatusFault(False, "quota_exceeded", (
            f"the account has no credit left (HTTP 429 {QUOTA_CODE}): {detail}; check the key's "
            "plan and billing, then rerun"))
    transient = status in (408, 409, 429) or status >= 500
    if status == 429:
        return StatusFault(transient, "rate_limited", f"rate limited (HTTP 429): {detail}")
    if status == 401:
        return StatusFault(transient, "authentication",
                           f"the endpoint rejected the API key (HTTP 401): {detail}")
    if status == 404:
        return StatusFault(transient, "not_found",
                           f"HTTP 404 (wrong model name or base URL?): {detail}")
    return StatusFault(transient, f"http_{status}", f"HTTP {status}: {detail}")


def _status_fault(exc: openai.APIStatusError) -> StatusFault:
    return status_fault(exc.status_code, exc.body, fallback=str(exc.message))


def should_retry_header(exc: BaseException) -> bool | None:
    """What the endpoint's ``x-should-retry`` header says about retrying the request of
    ``exc`` (True for "true", False for "false"), or None when it says nothing."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("x-should-retry") if headers else None
    return {"true": True, "false": False}.get((value or "").strip().lower())


def is_transient(exc: BaseException) -> bool:
    """True for faults worth retrying the same request for. For an HTTP error the
    endpoint's ``x-should-retry: true|false`` decides when it is sent (as the openai SDK
    does), except that an exhausted quota is never retried."""
    if isinstance(exc, openai.APIConnectionError):
        return not isinstance(exc.__cause__, ResponseTooLargeError)
    if isinstance(exc, (openai.APIResponseValidationError, json.JSONDecodeError,
                        NoChoicesError, BadResponseError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        fault = _status_fault(exc)
        if fault.reason == "quota_exceeded":
            return False
        told = should_retry_header(exc)
        return told if told is not None else fault.transient
    return False


def is_unreachable(exc: BaseException) -> bool:
    """True when no connection to the endpoint could be made at all (refused, no route,
    a name that does not resolve), as opposed to an exchange broken half-way."""
    return isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, httpx2.ConnectError)


def retry_after_seconds(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, or Retry-After in seconds or
    as an HTTP date), if any; None for a header that says nothing usable ("soon", NaN)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    millis = _seconds(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000
    value = headers.get("retry-after")
    seconds = _seconds(value)
    if seconds is not None or not value:
        return seconds
    import email.utils
    import time

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when.timestamp() - time.time())


#: Shortest wait before a 429'd request goes again, in seconds, whatever Retry-After says
#: (never more than ``max_retry_after``); up to half of it again is added at random.
RATE_LIMIT_FLOOR = 0.5


class Backoff:
    """tenacity wait: Retry-After when the server sends one (at most ``max_retry_after``),
    else exponential from ``initial`` up to ``cap`` plus jitter; after a 429, at least
    RATE_LIMIT_FLOOR plus up to half again at random, so that requests refused together
    do not come back together."""

    def __init__(self, *, initial: float, cap: float, max_retry_after: float) -> None:
        self.initial = initial
        self.cap = cap
        self.max_retry_after = max_retry_after

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(exc) if exc else None
        exponential = min(self.cap, self.initial * 2 ** (state.attempt_number - 1))
        if isinstance(exc, openai.RateLimitError):
            wait = exponential if asked is None else min(asked, self.max_retry_after)
            wait = max(wait, min(RATE_LIMIT_FLOOR, self.max_retry_after))
            return wait + random.uniform(0, wait / 2)
        if asked is not None:
            return min(asked, self.max_retry_after)
        return exponential + random.uniform(0, self.initial)


def _seconds(value: str | None) -> float | None:
    """``value`` as a finite number of seconds, 0 at least; None when it is not one."""
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return max(0.0, number) if number is not None and math.isfinite(number) else None


def describe(exc: BaseException, *, timeout: float | None = None) -> tuple[str, str]:
    """(reason, message) for a transport failure that survived every retry."""
    if isinstance(exc, openai.APITimeoutError):
        limit = f" within the {timeout:g} s timeout (--timeout)" if timeout else ""
        return "timeout", f"the request timed out: no complete response{limit}"
    if isinstance(exc, openai.APIConnectionError):
        return _describe_connection(exc.__cause__)
    if isinstance(exc, openai.APIStatusError) and 300 <= exc.status_code < 400:
        location = exc.response.headers.get("location") or "an unnamed location"
        return "redirect", (f"the endpoint redirects (HTTP {exc.status_code}) to {location}; "
                            "redirects are not followed: use the final URL as --base-url")
    if isinstance(exc, openai.APIStatusError):
        fault = _status_fault(exc)
        return fault.reason, fault.message
    if isinstance(exc, NoChoicesError):
        return "no_choices", "the endpoint answered with an empty choices list"
    if isinstance(exc, BadResponseError):
        return "bad_response", str(exc)
    if isinstance(exc, ContentFilterError):
        return "content_filter", ("the endpoint's content filter withheld the answer "
                                  "(finish_reason=content_filter)")
    if isinstance(exc, (openai.APIResponseValidationError, json.JSONDecodeError)):
        return "bad_response", f"the endpoint's response is not valid JSON: {exc}"
    return "model_error", f"{type(exc).__name__}: {exc}"


def _describe_connection(cause: BaseException | None) -> tuple[str, str]:
    """(reason, message) of a connection-level failure, from the httpx error behind it."""
    detail = f" ({cause})" if cause is not None and str(cause) else ""
    if isinstance(cause, ResponseTooLargeError):
        return "response_too_large", f"{cause}; not read (a broken or hostile endpoint?)"
    if isinstance(cause, httpx2.DecodingError):
        return "bad_response", f"the response body cannot be decoded{detail}"
    if isinstance(cause, httpx2.ConnectError):
        return "connection_error", f"cannot connect to the endpoint{detail}"
    if isinstance(cause, httpx2.RemoteProtocolError):
        return "connection_error", f"the endpoint broke the HTTP exchange{detail}"
    if isinstance(cause, (httpx2.ReadError, httpx2.WriteError)):
        return "connection_error", f"the connection was closed or reset mid-exchange{detail}"
    return "connection_error", f"connection error{detail or ''}"


def check_completion(response: Any) -> ChatCompletion:
    """``response`` when it is a chat completion with a usable first choice; else raise
    the error that says what it is (bad_response, no_choices, refusal, content_filter)."""
    if not isinstance(response, ChatCompletion):
        kind = "text" if isinstance(response, str) else f"a JSON {type(response).__name__}"
        raise BadResponseError(f"the endpoint answered 200 with {kind}, not a chat "
                                f"completion: {snippet(response, 120)}")
    if not response.choices:
        error = (response.model_extra or {}).get("error")
        if error:
            message = error.get("message") if isinstance(error, dict) else error
            raise BadResponseError(
                f"the endpoint answered 200 with an error: {snippet(message, 300)}")
        raise NoChoicesError()
    try:
        choice = response.choices[0]
        message = choice.message
        refusal = getattr(message, "refusal", None)
        calls = message.tool_calls
        if calls is not None and (not isinstance(calls, list) or any(
                getattr(call, "function", None) is None for call in calls)):
            raise TypeError("tool_calls is not a list of function calls")
    except (AttributeError, IndexError, KeyError, TypeError) as exc:
        raise BadResponseError(f"the completion's first choice is malformed ({exc})") from None
    if refusal:
        raise RefusalError(str(refusal))
    if getattr(choice, "finish_reason", None) == "content_filter":
        raise ContentFilterError()
    return response
