"""An OpenAI-compatible HTTP server on 127.0.0.1 whose behaviour is plain code.

It answers ``POST /v1/chat/completions`` the way the OpenAI API does, in tool-call form
when the request has ``tools`` and as message content otherwise (JSON_SCHEMA, MD_JSON).
What it answers is decided per request by a *responder*: a function of the request
that returns an :class:`Action`. Helpers build the usual responders:

- ``scripted(actions)``: the n-th request gets the n-th action (the last one repeats);
- ``oracle(gold_dir)``: answers each article with its gold labels from evals/gold;
- ``RateLimited(responder, per_minute=600, burst=10)``: an account's rate limit in front
  of another responder, as OpenAI enforces one (429 with retry-after-ms when over).

Every request is kept in ``server.requests`` (parsed JSON) so that tests can check what
the client sent. Used by the tests, by the cassette recorder and by the benchmarks.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Action:
    """What the server does with one request.

    kind: "answer" (a 200 with ``payload`` as the model's JSON answer), "status"
    (``status`` with ``body``), "raw" (a 200 whose body is ``body`` as is), "drop"
    (close the connection without answering), "empty_choices", "refusal", "length".
    ``delay`` seconds are waited first (a stall when longer than the client's timeout).
    """

    kind: str = "answer"
    payload: Any = None
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    usage: tuple[int, int] = (100, 50)


def answer(payload: Any, **kw: Any) -> Action:
    """A 200 whose model answer is ``payload`` (a dict, or a string sent verbatim)."""
    return Action("answer", payload=payload, **kw)


def status(code: int, message: str = "fault injected", **kw: Any) -> Action:
    """An HTTP error in the OpenAI error format."""
    return Action("status", status=code, body={"error": {"message": message, "type": "fault",
                                                          "code": code}}, **kw)


Responder = Callable[[dict[str, Any], int], Action]


def scripted(actions: Sequence[Action]) -> Responder:
    """The n-th request gets ``actions[n]``; requests past the end get the last action."""
    items = list(actions)

    def respond(request: dict[str, Any], index: int) -> Action:
        return items[min(index, len(items) - 1)]

    return respond


def article_text_of(request: dict[str, Any]) -> str:
    """The article text between the ``<article>`` delimiter lines of a request."""
    for message in request.get("messages", []):
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, str) and "<article>\n" in content:
            return content.split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0]
    return ""


def gold_answer(gold: dict[str, Any]) -> dict[str, Any]:
    """An ArticleSummary built from a gold file's labels (events are not labelled)."""
    fields = {
        "claims": ("claim", "source", "source_type", "cue", "quote", "direct_quote"),
        "casualties": ("quantity_text", "outcome", "victims", "victim_category", "quantity_type",
                       "low", "high", "stated_by", "perpetrator", "quote"),
        "loaded_terms": ("term", "quote", "neutral_alternative"),
    }
    answer_ = {
        "summary": f"Answer built from the gold labels of article {gold['id']}.",
        "events": [],
    }
    for name, keys in fields.items():
        answer_[name] = [{k: item.get(k) for k in keys} for item in gold.get(name, [])]
    return answer_


def oracle(gold_dir: Path, *, fallback: Action | None = None) -> Responder:
    """Answers each article with its gold labels (matched on the article text)."""
    by_text = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        by_text[gold["article"]["text"].strip()] = gold

    def respond(request: dict[str, Any], index: int) -> Action:
        gold = by_text.get(article_text_of(request).strip())
        if gold is None:
            return fallback or status(404, "the oracle has no gold labels for this article")
        return answer(gold_answer(gold))

    return respond


class RateLimited:
    """A rate limit in front of ``responder``: a token bucket of ``burst`` requests that
    refills at ``per_minute`` a minute. A request that finds it empty gets a 429 whose
    ``retry-after-ms`` says when the next token comes (and ``retry-after`` the same,
    rounded up to whole seconds), as OpenAI answers; the others go to ``responder``.
    ``served`` and ``refused`` count them."""

    def __init__(self, responder: Responder, *, per_minute: float = 600, burst: int = 10) -> None:
        self.responder = responder
        self.per_second = per_minute / 60
        self.burst = burst
        self.served = 0
        self.refused = 0
        self._tokens = float(burst)
        self._updated: float | None = None
        self._lock = threading.Lock()

    def __call__(self, request: dict[str, Any], index: int) -> Action:
        with self._lock:
            now = time.monotonic()
            if self._updated is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.per_second)
            self._updated = now
            if self._tokens < 1:
                self.refused += 1
                wait = (1 - self._tokens) / self.per_second
                return status(429, "Rate limit reached for requests (fault injected)", headers={
                    "retry-after-ms": str(max(1, round(wait * 1000))),
                    "retry-after": str(max(1, int(wait + 0.999)))})
            self._tokens -= 1
            self.served += 1
        return self.responder(request, index)


def completion_body(request: dict[str, Any], action: Action, number: int) -> dict[str, Any]:
    """The JSON body of a chat completion carrying ``action``'s answer."""
    prompt_tokens, completion_tokens = action.usage
    text = action.payload if isinstance(action.payload, str) else json.dumps(action.payload)
    finish = "length" if action.kind == "length" else "stop"
    message: dict[str, Any] = {"role": "assistant", "content": None}
    if action.kind == "refusal":
        message["refusal"] = action.payload or "I can't help with that."
    elif request.get("tools"):
        name = request["tools"][0]["function"]["name"]
        message["tool_calls"] = [{"id": f"call_{number}", "type": "function",
                                  "function": {"name": name, "arguments": text}}]
        finish = finish if finish == "length" else "tool_calls"
    elif any("```json" in str(m.get("content")) for m in request.get("messages", [])):
        message["content"] = f"```json\n{text}\n```"
    else:
        message["content"] = text
    choices = [] if action.kind == "empty_choices" else [
        {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
    ]
    return {
        "id": f"chatcmpl-fake-{number}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request.get("model", "fake-model"),
        "choices": choices,
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


class JSONHandler(BaseHTTPRequestHandler):
    """What both test servers share: HTTP/1.1 keep-alive, quiet logs, a models list on
    GET, and whole JSON responses that tolerate a client that already hung up."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK hold every response back by up to 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self._send(200, json.dumps({"object": "list", "data": [{"id": "fake-model"}]}).encode())

    def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> bool:
        """Send a whole response; True when every byte was written."""
        try:
            self.send_response(code)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            return True
        except OSError:
            self.close_connection = True
            return False

    def drop(self) -> None:
        """Close the connection without answering."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many concurrent clients in the throughput benchmark


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 (port 0: a free one), served from a daemon
    thread while used as a context manager; the test servers build on it."""

    def _serve(self, handler: type[BaseHTTPRequestHandler], port: int) -> None:
        self._httpd = _Server(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of this server."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class FakeOpenAIServer(LocalServer):
    """A threaded HTTP server on 127.0.0.1 (a free port) driven by a responder."""

    def __init__(self, responder: Responder, *, port: int = 0, keep_requests: bool = True) -> None:
        self.responder = responder
        #: Every request received (parsed JSON), unless ``keep_requests`` is False.
        self.requests: list[dict[str, Any]] = []
        #: How many requests were received.
        self.request_count = 0
        self._keep_requests = keep_requests
        self._lock = threading.Lock()
        server = self

        class Handler(JSONHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    request = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._send(400, b'{"error": {"message": "bad json"}}')
                    return
                with server._lock:
                    index = server.request_count
                    server.request_count += 1
                    if server._keep_requests:
                        server.requests.append(request)
                action = server.responder(request, index)
                if action.delay:
                    time.sleep(action.delay)
                if action.kind == "drop":
                    self.drop()
                    return
                if action.kind == "status":
                    body = json.dumps(action.body).encode()
                    self._send(action.status, body, action.headers)
                elif action.kind == "raw":
                    body = action.body if isinstance(action.body, bytes) else str(action.body).encode()
                    self._send(200, body, action.headers)
                else:
                    body = json.dumps(completion_body(request, action, index)).encode()
                    self._send(200, body, action.headers)

        self._serve(Handler, port)
