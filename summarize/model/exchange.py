"""One article's exchange with the model, as the client and a Transport share it: the
:class:`Tally` of its requests and tokens (the one of the article running in this task
is :data:`CURRENT_TALLY`), the :data:`Transport` that may send a request instead of the
client's HTTP exchange (the Batch API's replay, summarize.batch.replay), and
:class:`RequestDeferred`, raised for a request answered later.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from openai.types.chat import ChatCompletion

from summarize.records import Usage
from summarize.settings import Settings


class RequestDeferred(BaseException):
    """Raised by a :data:`Transport` for a request it will not answer now: ``body`` is
    the JSON body of the request as text (what the live path posts, see
    summarize.model.bodies.request_body), to be sent elsewhere (a Batch API file) and
    replayed when its answer comes back.

    A BaseException, like asyncio's CancelledError, so that it passes the handlers that
    turn every Exception of one article into its error record (instructor's retry loop,
    summarize.model.client.ModelClient.extract, summarize.pipeline): it is not an error
    but a pause, and the caller that installed the transport catches it."""

    def __init__(self, body: str) -> None:
        super().__init__("request deferred")
        self.body = body


@dataclass
class Tally:
    """Requests and tokens of one article, updated by every HTTP attempt (a
    :data:`Transport` updates it for the requests it answers)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    parse_errors: int = 0

    def parse_error(self, error: Exception, **_: Any) -> None:
        self.parse_errors += 1

    def count(self, response: ChatCompletion) -> None:
        """Add the tokens ``response`` reports (missing, negative, absurd or non-integer
        counts, which broken endpoints send, count as 0)."""
        usage = getattr(response, "usage", None)
        self.prompt_tokens += _token_count(getattr(usage, "prompt_tokens", None))
        self.completion_tokens += _token_count(getattr(usage, "completion_tokens", None))

    def usage(self, settings: Settings, *, reasks: int = 0) -> Usage:
        return Usage(
            requests=self.requests,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            reasks=reasks,
        ).priced(settings.model, base_url=settings.base_url, pricing=settings.pricing)


#: The tally of the article whose exchange runs in this task: one patched ``create`` and
#: one set of hooks serve every article of a client (instructor.patch per article cost
#: a new wrapper, retry set-up and hooks object each time).
CURRENT_TALLY: ContextVar[Tally] = ContextVar("summarize_article_tally")


def count_parse_error(error: Exception, **_: Any) -> None:
    """instructor's parse-error hook: one more invalid answer for the article of this task."""
    CURRENT_TALLY.get().parse_errors += 1


#: More tokens than any one response can report; a larger count is nonsense.
_MAX_TOKEN_COUNT = 10**9


def _token_count(value: Any) -> int:
    """``value`` as a token count: 0 unless it is a plausible integer."""
    plausible = isinstance(value, int) and not isinstance(value, bool)
    return value if plausible and 0 <= value <= _MAX_TOKEN_COUNT else 0


#: What sends one request of an exchange instead of the model client's HTTP exchange: called
#: with the request's keyword arguments for ``chat.completions.create``, the article's
#: :class:`Tally` (to count what it answers) and the live sender (the HTTP exchange with
#: transport retries, for the keyword arguments); returns the completion or raises
#: RequestDeferred.
Transport = Callable[[dict[str, Any], Tally, Callable[[dict[str, Any]], Awaitable[ChatCompletion]]],
                     Awaitable[Any]]
