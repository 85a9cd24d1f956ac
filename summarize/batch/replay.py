"""An article's Batch API answers replayed through the live path, into its record.

The live path (summarize.pipeline.Summarizer -> OpenAIBackend -> ModelClient.extract)
asks instructor for an ArticleSummary; instructor sends the request, parses the answer,
runs the validators, and re-asks with the validation error appended when they fail.
Here the same code runs with a :data:`~summarize.model.exchange.Transport` that answers
each request of the exchange from the lines the Batch API returned for the article, in
order, instead of over HTTP:

- while there are answers, the n-th request gets the n-th answer: it is parsed,
  validated, grounded and salvaged exactly as a live answer would be, and its tokens are
  counted in the usage; failed attempts of a request (a 5xx line, an expired batch) are
  counted as the live path counts failed HTTP attempts;
- the first request without an answer is :class:`~summarize.model.exchange.RequestDeferred`
  with its body (the first ask, a re-ask carrying the validation error, or a resend of a
  request that failed), which goes into the next round; with ``live`` it is sent to the
  live endpoint instead (``collect --reask live``);
- a request that failed for good (a 4xx line, or more transient failures than
  ``--max-retries``) ends the exchange with an error record naming the reason.

Cost: the tokens of the Batch API's answers at the batch price, those of live requests
at the live price (summarize.records.price_for).
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from openai.types.chat import ChatCompletion

from summarize.articles import Article
from summarize.model.bodies import completion_from_body, request_body
from summarize.model.exchange import RequestDeferred, Tally
from summarize.model.faults import check_completion
from summarize.pipeline import Summarizer, error_record
from summarize.records import ArticleRef, Record, Usage
from summarize.settings import Settings


class GiveUp(BaseException):
    """Raised by the replay for a request that failed for good; like RequestDeferred it
    passes the live path's handlers, and :func:`replay_article` makes the record."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Replay:
    """What the Batch API returned for one article: the answers to its requests, in
    order, the failed attempts per request number, and ``stop`` (reason, message) when
    the request after the last answer failed for good."""

    answers: list[Any]
    failures: dict[int, int] = field(default_factory=dict)
    stop: tuple[str, str] | None = None
    #: True when ``stop`` is for a request that failed too often for reasons worth a
    #: retry (the message then says after how many requests, as on the live path).
    stop_after_retries: bool = False
    live: bool = False
    #: Filled in by the replay: requests seen, the tally, the batch part of the tokens,
    #: and how many answers had to be read liberally (see _liberal).
    sends: int = 0
    tally: Tally | None = None
    batch_tokens: tuple[int, int] = (0, 0)
    reshaped: int = 0


_CURRENT: ContextVar[Replay] = ContextVar("summarize_batch_replay")


async def replay_transport(kwargs: dict[str, Any], tally: Tally, live_send: Any) -> Any:
    """The Transport of the batch collect (see the module docstring)."""
    replay = _CURRENT.get()
    replay.tally = tally
    replay.sends += 1
    number = replay.sends
    tally.requests += replay.failures.get(number, 0)
    if number <= len(replay.answers):
        body, reshaped = _liberal(replay.answers[number - 1], kwargs)
        replay.reshaped += reshaped
        completion = completion_from_body(body)
        tally.requests += 1
        if isinstance(completion, ChatCompletion):
            tally.count(completion)
        replay.batch_tokens = (tally.prompt_tokens, tally.completion_tokens)
        return check_completion(completion)
    if replay.stop is not None:
        raise GiveUp(*replay.stop)
    if replay.live:
        return await live_send(kwargs)
    raise RequestDeferred(request_body(kwargs))


def _liberal(body: Any, request: dict[str, Any]) -> tuple[Any, bool]:
    """``body`` in the form ``request`` asked for, when the server answered in another
    one: in tools mode a JSON object sent as message content, bare or in a ```json
    fence (a server that ignores ``tools``), becomes the tool call; in the JSON modes
    (a ``response_format``) the arguments of a tool call with no content become the
    content, and a JSON object in a fence becomes the bare object (which the JSON
    modes' parser would otherwise re-ask for). (True when it was reshaped.)"""
    try:
        message = body["choices"][0]["message"]
    except (KeyError, IndexError, TypeError):
        return body, False
    if not isinstance(message, dict):
        return body, False
    calls = message.get("tool_calls")
    content = message.get("content")
    if request.get("tools") and not calls and isinstance(content, str) and _json_object(content):
        name = request["tools"][0]["function"]["name"]
        call = {"id": "call_batch", "type": "function",
                "function": {"name": name, "arguments": _json_object(content)}}
        reshaped = {**message, "content": None, "tool_calls": [call]}
    elif not request.get("tools") and not content and isinstance(calls, list) and calls:
        arguments = (calls[0] or {}).get("function", {}).get("arguments")
        if not isinstance(arguments, str):
            return body, False
        reshaped = {**message, "content": arguments, "tool_calls": None}
    elif (request.get("response_format") and isinstance(content, str) and "```" in content
          and _json_object(content)):
        reshaped = {**message, "content": _json_object(content)}
    else:
        return body, False
    choice = {**body["choices"][0], "message": reshaped}
    return {**body, "choices": [choice, *body["choices"][1:]]}, True


def _json_object(text: str) -> str | None:
    """The JSON object ``text`` holds (bare or in a ```json fence), as text; else None."""
    stripped = text.strip()
    if "```" in stripped:
        stripped = stripped.split("```json", 1)[-1].split("```", 1)[0].strip()
    try:
        value = json.loads(stripped)
    except (json.JSONDecodeError, RecursionError):
        return None
    return stripped if isinstance(value, dict) else None


@dataclass
class Deferred:
    """The article's next request: ``body`` (its JSON text) goes into the next round."""

    body: str


async def replay_article(summarizer: Summarizer, article: Article, replay: Replay) -> Record | Deferred:
    """The record of ``article`` from its answers (see the module docstring), or its
    next request. ``summarizer`` must use a backend made with :func:`replay_transport`."""
    token = _CURRENT.set(replay)
    try:
        record = await summarizer.run(article)
    except RequestDeferred as deferred:
        return Deferred(deferred.body)
    except GiveUp as stop:
        tally = replay.tally or Tally()
        message = stop.message
        if replay.stop_after_retries:
            message += f" (gave up after {tally.requests} requests)"
        record = error_record(ArticleRef.of(article), summarizer.provenance(), "model_error",
                              message, reason=stop.reason, attempts=tally.requests,
                              usage=tally.usage(summarizer.settings))
    finally:
        _CURRENT.reset(token)
    if replay.tally is not None:
        record.usage = batch_priced(record.usage, replay.batch_tokens, summarizer.settings)
    return record


def batch_priced(usage: Usage, batch_tokens: tuple[int, int], settings: Settings) -> Usage:
    """``usage`` with its cost: ``batch_tokens`` (prompt, completion) at the Batch API's
    price, the rest (live re-asks) at the live price; None when either is unknown."""
    prompt, completion = batch_tokens
    price = dict(base_url=settings.base_url, pricing=settings.pricing)
    batch = Usage(prompt_tokens=prompt, completion_tokens=completion).priced(
        settings.model, batch=True, **price)
    live = Usage(prompt_tokens=max(0, usage.prompt_tokens - prompt),
                 completion_tokens=max(0, usage.completion_tokens - completion)).priced(
        settings.model, **price)
    if batch.cost_usd is None or live.cost_usd is None:
        return usage.model_copy(update={"cost_usd": None})
    return usage.model_copy(update={"cost_usd": round(batch.cost_usd + live.cost_usd, 8)})
