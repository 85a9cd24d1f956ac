"""The one module that talks to a model: the openai client through instructor.

Two separate retry loops:

- **Transport retries** (tenacity, around each HTTP request): 429, 5xx, 408/409,
  connection errors, timeouts, a 200 whose body is not a chat completion (HTML, text,
  cut-off or undecodable JSON, an error object), and a response with no choices.
  Exponential backoff with jitter. An API error is never shown to the model.
- **429s**: the request waits as long as Retry-After says (up to ``--max-retry-after``)
  but never less than ``RATE_LIMIT_FLOOR``, plus up to half again at random, so that
  requests refused together do not come back together (summarize.model.faults.Backoff,
  which the Batch API client uses too); meanwhile the whole batch slows
  down (summarize.model.pace). A 429 *with* a Retry-After the client waits out (one
  within ``--max-retry-after``) is the endpoint scheduling the request, not a failure:
  it does not use up ``--max-retries``; an article gives up after
  ``RATE_LIMIT_WAITS_PER_RETRY`` of them per allowed attempt, so that an endpoint that
  never stops answering 429 still ends the batch.
- **No retry**: other 4xx, redirects (never followed), a body above the size limit, a
  refusal, ``finish_reason`` ``content_filter`` or ``length``: the same request would fail
  the same way, so the article gets an error record naming the reason at once.
- **Re-asks** (instructor, around the whole exchange): an answer that fails validation
  (unparseable JSON, a quote not in the article, a loaded term in the summary) is sent
  back with the validation error so that the model corrects itself.

Usage counts every HTTP request (failed ones too) and the tokens of every response,
over both loops. After the last re-ask, the last answer is returned unvalidated
(``salvage``) so that the caller can keep what is usable and flag the rest.

A Transport (summarize.model.exchange) given to the client replaces the HTTP exchange
of each request and nothing else: the Batch API (summarize.batch.replay) answers an
article's requests from the lines of its output files and raises RequestDeferred with
the request that has no answer yet, which is exactly the body this client would have
posted (summarize.model.bodies.request_body). Prompt, schema, parsing, validators,
re-ask messages, salvage and usage are this client's, for both paths.
"""

from __future__ import annotations

import json
import logging
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import HookName, Hooks
from openai.types.chat import ChatCompletion
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from summarize.errors import ModelError
from summarize.model.answers import (ModelAnswer, answer_json, is_validation_failure,
                                     validation_problems)
from summarize.model.bodies import BodyEncoder, as_json_object_schema, rejects_json_schema_format
from summarize.model.exchange import CURRENT_TALLY, Tally, Transport, count_parse_error
from summarize.model.faults import (Backoff, BadResponseError, ContentFilterError,
                                    NoChoicesError, RefusalError, check_completion, describe,
                                    is_transient, is_unreachable, retry_after_seconds)
from summarize.model.guards import redact_text, remember_secret
from summarize.model.ratelimit import RateLimits, limited_http_client
from summarize.model.response_models import marked_strict, plain_summary, response_model_for
from summarize.records import Usage
from summarize.schema import validating_against
from summarize.settings import Settings

logger = logging.getLogger(__name__)
# instructor logs every failed attempt at ERROR; the record already says what failed, so
# its messages stay out of the user's terminal unless logging is configured to show them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

T = TypeVar("T")

_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "md_json": instructor.Mode.MD_JSON,
}
#: Placeholder key for endpoints that need none (local servers); never a real secret.
NO_KEY = "sk-no-key-required"

#: Request options of a chat completion as ``chat.completions.create`` sets them.
_POST_OPTIONS: dict[str, Any] = {"security": {"bearer_auth": True}}


#: 429s with a Retry-After an article may wait out per attempt --max-retries allows.
RATE_LIMIT_WAITS_PER_RETRY = 4


def _scheduled(exc: BaseException | None, max_retry_after: float) -> bool:
    """True for a 429 whose Retry-After says when to come back, within what the client
    waits (not a failure; one asking for a day is: it is not waited out)."""
    if not isinstance(exc, openai.RateLimitError):
        return False
    asked = retry_after_seconds(exc)
    return asked is not None and asked <= max_retry_after


class _Stop:
    """tenacity stop for one request: after ``max_retries + 1`` failed attempts, where a
    429 with a Retry-After is no failure but counts apart, up to
    RATE_LIMIT_WAITS_PER_RETRY per attempt; or as ``unreachable`` says."""

    def __init__(self, settings: Settings, unreachable: Any) -> None:
        self.attempts = settings.max_retries + 1
        self.waits = self.attempts * RATE_LIMIT_WAITS_PER_RETRY
        self.max_retry_after = settings.max_retry_after
        self.scheduled = 0
        self.unreachable = unreachable

    def __call__(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if _scheduled(exc, self.max_retry_after):
            self.scheduled += 1
            return self.scheduled > self.waits
        return (state.attempt_number - self.scheduled >= self.attempts
                or self.unreachable(state))


def _prime_platform(client: openai.AsyncOpenAI) -> None:
    """Detect the platform for the SDK's headers now, once. The SDK otherwise does it on a
    client's first request, in a thread, and every request of a concurrent batch that
    starts before the first detection ends starts its own thread: the whole first wave
    of a batch then waits for them. (It reads /etc/os-release; no network.)"""
    if getattr(client, "_platform", "missing") is None:
        from openai._base_client import get_platform

        client._platform = get_platform()


class ModelClient:
    """Sends rendered prompts to an OpenAI-compatible endpoint and returns parsed answers.

    One client serves many concurrent articles; close it with :meth:`aclose`.
    """

    def __init__(self, settings: Settings, *, http_client: Any = None,
                 transport: Transport | None = None) -> None:
        self.settings = settings
        #: Sends each request instead of the HTTP exchange (None: HTTP); see Transport.
        self.transport = transport
        self._http_client = http_client
        self._sdk: openai.AsyncOpenAI | None = None
        self._json_object_schema = False
        #: True once the endpoint answered anything (any HTTP status) to this client.
        self.answered = False
        self._connect_failed = False
        self._patched = instructor.patch(create=self._send_for_article, mode=_MODES[settings.mode])
        self._body = BodyEncoder()
        self._hooks = Hooks()
        self._hooks.on(HookName.PARSE_ERROR, count_parse_error)

    @property
    def unreachable(self) -> bool:
        """True when no connection to the endpoint could be made and it never answered."""
        return self._connect_failed and not self.answered

    @property
    def _openai(self) -> openai.AsyncOpenAI:
        """The SDK's client, made for the first request that goes over HTTP (a Transport
        that answers every request, as the Batch API's replay does, never needs one)."""
        if self._sdk is None:
            settings = self.settings
            self._sdk = openai.AsyncOpenAI(
                api_key=settings.api_key or NO_KEY,
                base_url=settings.base_url,
                timeout=settings.timeout,
                max_retries=0,
                # Without a client of the caller's, one whose transport enforces the
                # timeout over the whole exchange, caps the body and redacts the key
                # (guards.py).
                http_client=self._http_client or limited_http_client(RateLimits(), connections=None),
            )
            _prime_platform(self._sdk)
        return self._sdk

    async def aclose(self) -> None:
        """Close the HTTP connections (and the caller's HTTP client, as the SDK's client
        closes it)."""
        if self._sdk is not None:
            await self._sdk.close()
        elif self._http_client is not None:
            await self._http_client.aclose()

    async def _send_for_article(self, **kwargs: Any) -> ChatCompletion:
        """What instructor calls: :meth:`_send` for the article of this task (its schema
        marked strict when the settings ask for strict structured outputs), or the
        client's Transport when it has one."""
        tally = CURRENT_TALLY.get()
        if self.settings.strict_outputs:
            kwargs = marked_strict(kwargs)
        if self.transport is not None:
            return await self.transport(kwargs, tally, lambda more: self._send(tally, **more))
        return await self._send(tally, **kwargs)

    async def _send(self, tally: Tally, **kwargs: Any) -> ChatCompletion:
        """One chat completion, retried on transport faults."""
        retrying = AsyncRetrying(
            stop=_Stop(self.settings, self._stop_unreachable),
            wait=Backoff(initial=self.settings.backoff_initial, cap=self.settings.backoff_max,
                         max_retry_after=self.settings.max_retry_after),
            retry=retry_if_exception(is_transient),
            reraise=True,
            before_sleep=lambda s: logger.info(
                "retrying after %s (attempt %d)", self._redacted(describe(
                    s.outcome.exception(), timeout=self.settings.timeout)[1]), s.attempt_number
            ),
        )
        async for attempt in retrying:
            with attempt:
                response = await self._create(tally, kwargs)
                if isinstance(response, ChatCompletion):
                    tally.count(response)
                return check_completion(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _stop_unreachable(self, state: RetryCallState) -> bool:
        """Stop after one retry when no connection can be made to an endpoint that never
        answered this client: a wrong --base-url or a server that is not running should
        not cost every article its whole backoff (a server that answered before and
        goes away gets every retry)."""
        exc = state.outcome.exception() if state.outcome else None
        return (exc is not None and not self.answered and is_unreachable(exc)
                and state.attempt_number >= 2)

    async def _create(self, tally: Tally, kwargs: dict[str, Any]) -> ChatCompletion:
        """One HTTP request. llama-cpp-python's server takes a JSON schema only as
        ``{"type": "json_object", "schema": ...}``; when it rejects OpenAI's
        ``json_schema`` form, this client switches to its form for good and resends (so does
        every request that was already in flight in the old form)."""
        if self._json_object_schema:
            kwargs = as_json_object_schema(kwargs)
        tally.requests += 1
        try:
            response = await self._post(kwargs)
            self.answered = True
            return response
        except BadResponseError:
            self.answered = True
            raise
        except openai.APIConnectionError as exc:
            self._connect_failed = self._connect_failed or is_unreachable(exc)
            raise
        except openai.APIStatusError as exc:
            self.answered = True
            if not rejects_json_schema_format(exc, kwargs):
                raise
            if not self._json_object_schema:
                logger.info("the endpoint wants response_format json_object+schema; switching")
                self._json_object_schema = True
            tally.requests += 1
            return await self._post(as_json_object_schema(kwargs))

    async def _post(self, kwargs: dict[str, Any]) -> Any:
        """The SDK's chat completion call, through its documented ``post`` for custom
        requests: ``chat.completions.create`` would first walk the whole body against
        its typed parameters (the unchanging JSON schema included), a tenth of this
        client's CPU per article, to send the same JSON. A body that is not JSON at all
        surfaces as a transport fault (retried), never as the model's invalid answer
        (re-asked)."""
        try:
            return await self._openai.post("/chat/completions", content=self._body.encode(kwargs),
                                           cast_to=ChatCompletion, options=_POST_OPTIONS)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise BadResponseError(f"the response body is not valid JSON ({exc})") from exc

    def _redacted(self, text: str) -> str:
        """``text`` without secrets (the transport already blanks a key echoed by the
        endpoint; this also covers an http_client passed in by the caller): this client's
        key, every secret a request has carried, key-shaped strings and URL credentials."""
        remember_secret(self.settings.api_key)
        return redact_text(text)

    async def extract(self, messages: list[dict[str, str]], *, article_text: str) -> ModelAnswer:
        """Ask for an ArticleSummary of ``article_text``; re-ask on validation errors.

        Raises ModelError when no usable answer came back (transport retries exhausted,
        refusal, output cut at max_tokens).
        """
        settings = self.settings
        tally = Tally()
        token = CURRENT_TALLY.set(tally)
        try:
            with validating_against(article_text) as matcher:
                summary = await self._patched(
                    response_model=response_model_for(settings),
                    messages=messages,
                    model=settings.model,
                    max_tokens=settings.max_tokens,
                    temperature=settings.temperature,
                    **({"seed": settings.seed} if settings.seed is not None else {}),
                    max_retries=settings.max_reasks,
                    hooks=self._hooks,
                )
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if cause is not None and not is_validation_failure(cause):
                raise self._model_error(cause, tally) from cause
            salvage = answer_json(exc.last_completion, settings.mode)
            reasks = max(0, tally.parse_errors - 1)
            return ModelAnswer(
                summary=None,
                usage=tally.usage(self.settings, reasks=reasks),
                salvage=salvage,
                validation_error=validation_problems(cause or exc),
            )
        except IncompleteOutputException as exc:
            raise ModelError(
                f"the answer was cut off at max_tokens={settings.max_tokens} "
                "(finish_reason=length); raise --max-tokens",
                reason="length",
                cause=exc,
                attempts=tally.requests,
                usage=tally.usage(self.settings),
            ) from exc
        except (openai.OpenAIError, NoChoicesError, RefusalError, BadResponseError,
                ContentFilterError, json.JSONDecodeError) as exc:
            raise self._model_error(exc, tally) from exc
        finally:
            CURRENT_TALLY.reset(token)
        return ModelAnswer(
            summary=plain_summary(summary),
            usage=tally.usage(self.settings, reasks=tally.parse_errors),
            matcher=matcher,
        )

    async def ask(self, messages: list[dict[str, str]], *, response_model: type[T]) -> tuple[T, Usage]:
        """A structured answer of ``response_model`` (any pydantic model: the eval's judge
        verdict) with its usage, through the same transport retries, re-asks, rate limits
        and accounting as :meth:`extract`. Raises ModelError when no valid answer came
        back (reason ``reasks_exhausted`` when the re-asks ran out)."""
        settings = self.settings
        tally = Tally()

        async def send(*args: Any, **kwargs: Any) -> ChatCompletion:
            return await self._send(tally, *args, **kwargs)

        hooks = Hooks()
        hooks.on(HookName.PARSE_ERROR, tally.parse_error)
        create = instructor.patch(create=send, mode=_MODES[settings.mode])
        try:
            # Sent as pydantic writes the schema, never strict: OpenAI's strict subset needs
            # a schema rewritten for it, which only ArticleSummary gets (strict_json_schema).
            answer = await create(response_model=response_model, messages=messages, model=settings.model,
                                  max_tokens=settings.max_tokens, temperature=settings.temperature,
                                  **({"seed": settings.seed} if settings.seed is not None else {}),
                                  max_retries=settings.max_reasks, hooks=hooks)
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if cause is not None and not is_validation_failure(cause):
                raise self._model_error(cause, tally) from cause
            raise ModelError(f"no valid answer after {max(0, tally.parse_errors - 1)} re-asks: {cause or exc}",
                             reason="reasks_exhausted", cause=exc, attempts=tally.requests,
                             usage=tally.usage(settings)) from exc
        except IncompleteOutputException as exc:
            raise ModelError(f"the answer was cut off at max_tokens={settings.max_tokens} "
                             "(finish_reason=length)", reason="length", cause=exc, attempts=tally.requests,
                             usage=tally.usage(settings)) from exc
        except (openai.OpenAIError, NoChoicesError, RefusalError, BadResponseError,
                ContentFilterError, json.JSONDecodeError) as exc:
            raise self._model_error(exc, tally) from exc
        return answer, tally.usage(settings, reasks=tally.parse_errors)

    def _model_error(self, exc: BaseException, tally: Tally) -> ModelError:
        if isinstance(exc, RefusalError):
            reason, message = "refusal", f"the model refused: {exc.refusal[:300]}"
        else:
            reason, message = describe(exc, timeout=self.settings.timeout)
            if is_transient(exc):
                message += f" (gave up after {tally.requests} requests)"
        return ModelError(self._redacted(message), reason=reason, cause=exc,
                          attempts=tally.requests, usage=tally.usage(self.settings))
