"""Lines of the Batch API's files: the custom_id of each request line, and one line of
an output or error file read liberally.

A request line (the same in OpenAI's Batch API and vLLM's ``run-batch``):

    {"custom_id": "...", "method": "POST", "url": "/v1/chat/completions", "body": {...}}

where ``body`` is exactly what the live path posts (summarize.model.bodies.request_body,
put in the line as it was encoded). One line of an output or error file:

    {"id": "batch_req_...", "custom_id": "...",
     "response": {"status_code": 200, "request_id": "...", "body": {chat completion}} | null,
     "error": {"code": "...", "message": "..."} | null}

:func:`read_result_line` reads one such line liberally (see there). The files and
batches themselves go through summarize.model.batch_api.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from summarize.model.bodies import completion_from_body
from summarize.model.faults import (QUOTA_CODE, BadResponseError, NoChoicesError, check_completion,
                                    describe, status_fault)

#: The endpoint every request line names.
ENDPOINT = "/v1/chat/completions"
#: A custom_id: at most this many characters of [A-Za-z0-9_-] (a portable subset of what
#: the Batch API and vLLM accept).
CUSTOM_ID_MAX = 64
#: Per-line error codes of a batch that ended before the line ran: the request was not
#: answered, so it is sent again in the next round.
UNRUN_CODES = frozenset({"batch_expired", "batch_cancelled", "batch_failed"})
#: Error codes of a line (or of a failed batch) whose request is worth sending again.
TRANSIENT_CODES = frozenset({"server_error", "internal_error", "rate_limit_exceeded", "timeout"})


def custom_id_base(key: str, article_id: str) -> str:
    """The part of an article's custom_ids that names the article: ``s`` and 48 hex
    digits of the sha256 of its ``key`` and its id (two articles with the same text and
    run share a key, never a custom_id)."""
    return "s" + hashlib.sha256(f"{key}\0{article_id}".encode()).hexdigest()[:48]


def custom_id(base: str, send: int) -> str:
    """The custom_id of the ``send``-th request (1 = the first ask, then re-asks and
    resends) of the article whose :func:`custom_id_base` is ``base``. ValueError beyond
    CUSTOM_ID_MAX characters (a send number no job reaches)."""
    value = f"{base}-{send}"
    if len(value) > CUSTOM_ID_MAX:
        raise ValueError(f"custom_id {value!r} is longer than {CUSTOM_ID_MAX} characters")
    return value


def split_custom_id(value: str) -> tuple[str, int] | None:
    """(the article's part, send number) of a custom_id made by :func:`custom_id`; None
    for one it did not make."""
    base, _, send = value.rpartition("-")
    if not base.startswith("s") or len(base) != 49 or not send.isdigit():
        return None
    return base, int(send)


@dataclass(frozen=True)
class ResultLine:
    """One line of an output or error file, read.

    ``kind``: ``answer`` (``body`` is a chat completion the live path would accept for
    parsing), ``retry`` (not answered for a reason worth sending the request again for:
    a 5xx or 429, a batch that expired, was cancelled or failed before the line ran, a
    body that is not a usable completion) or ``fail`` (an answer that the same request
    would get again: other 4xx). ``reason`` and ``message`` say why for the last two,
    with the live path's reason codes where there is one (http_500, rate_limited ...).
    """

    custom_id: str
    kind: str
    body: Any = None
    reason: str | None = None
    message: str | None = None


class UnreadableLine(ValueError):
    """A line of a result file that is not a result line at all (cut off, not JSON, no
    custom_id)."""


def read_result_line(raw: bytes | str) -> ResultLine:
    """Read one line of an output or error file (OpenAI's or vLLM's) liberally: a
    ``response`` without ``status_code`` is a 200, a ``status_code`` sent as text
    ("200") is that number, a body sent as JSON text is read as its object, a line with
    only ``error`` is that error, an error status whose body says nothing takes the
    line's ``error`` (vLLM's form: ``"error": "<message>"``) as its message, and a
    response body that is a chat completion without a usable first choice (no choices,
    an error object, HTML) is a ``retry`` as on the live path. A failed line is
    classified as the live path classifies an HTTP error (faults.status_fault). Raises
    UnreadableLine for a line that is not JSON or names no custom_id."""
    try:
        line = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise UnreadableLine(f"not JSON ({exc})") from None
    if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
        raise UnreadableLine("no custom_id")
    cid = line["custom_id"]
    response = line.get("response") if isinstance(line.get("response"), dict) else None
    code, said = _error_fields(line.get("error"))
    if response is None:
        return _error_only(cid, code, said)
    status = response.get("status_code", 200)
    if isinstance(status, str) and status.strip().isdigit():
        status = int(status)
    body = response.get("body")
    if isinstance(body, str):  # a body sent as JSON text rather than as an object
        try:
            body = json.loads(body)
        except (json.JSONDecodeError, RecursionError):
            pass
    if not isinstance(status, int) or isinstance(status, bool):
        return ResultLine(cid, "retry", reason="bad_response",
                          message=f"the result line's status_code is {status!r}")
    if status != 200:
        fault = status_fault(status, body, fallback=said or "")
        return ResultLine(cid, "retry" if fault.transient else "fail", reason=fault.reason,
                          message=fault.message)
    try:
        check_completion(completion_from_body(body))
    except (BadResponseError, NoChoicesError) as exc:
        reason, message = describe(exc)
        return ResultLine(cid, "retry", reason=reason, message=message)
    except Exception:  # noqa: BLE001 - refusal, content filter: the replay says so, as live
        pass
    return ResultLine(cid, "answer", body=body)


def _error_only(cid: str, code: str | None, message: str | None) -> ResultLine:
    """A line with no response: the request did not run (its batch ended first: sent
    again), failed for a transient reason (sent again) or for good. An error code that
    is an HTTP status (500, "429") is classified as that status is."""
    if code == QUOTA_CODE:
        fault = status_fault(429, {"code": code, "message": message})
        return ResultLine(cid, "fail", reason=fault.reason, message=fault.message)
    if code is not None and code.isdigit() and 400 <= int(code) < 600:  # an HTTP status
        fault = status_fault(int(code), {"message": message}, fallback=message or "")
        return ResultLine(cid, "retry" if fault.transient else "fail", reason=fault.reason,
                          message=fault.message)
    kind = "retry" if code in UNRUN_CODES or code in TRANSIENT_CODES or code is None else "fail"
    return ResultLine(cid, kind, reason=code or "no_response",
                      message=message or "the result line has neither a response nor an error")


def _error_fields(error: Any) -> tuple[str | None, str | None]:
    """(code, message) of a line's ``error``: an object, or a message as text."""
    if isinstance(error, dict):
        code = error.get("code")
        return (str(code) if code is not None else None), (
            str(error.get("message")) if error.get("message") is not None else None)
    if error:
        return None, str(error)
    return None, None

