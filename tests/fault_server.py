"""A hostile OpenAI-compatible HTTP server on 127.0.0.1: faults switched per test, per
article, or injected at random at a given rate with a seed.

A request that gets no fault is answered correctly: with the article's gold labels when
it is one of evals/gold (``FaultServer(gold_dir=...)``), else with an answer built from
the article's own sentences (:func:`grounded_answer`), so that an article whose faults
stop ends ok. The server counts, per article, the valid answers it delivered in full
(``server.answers``): a client that never pays twice makes each count at most 1.

Which fault a request gets, first match wins:

1. a marker in the article text, ``[[fault:NAME]]`` (every request of that article) or
   ``[[fault:NAME*N]]`` (its first N requests, then correct answers);
2. ``server.set(NAME, times=N)``: every article, the same way;
3. ``rate``: each request independently with probability ``rate``, one of ``kinds``,
   drawn from ``random.Random(f"{seed}:{article}:{attempt}")`` so that an article's faults
   do not depend on the order in which concurrent requests arrive.

``FAULTS`` lists every fault with what it does. Articles are keyed by :func:`article_key`
(sha256 of the text between the ``<article>`` lines), which a test computes from a
record's ``article.text``.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import random
import re
import select
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.fake_openai import Action, article_text_of, completion_body, gold_answer

#: Every fault the server can inject, with what the client receives.
FAULTS: dict[str, str] = {
    "ok": "a valid answer (after `latency` seconds)",
    "slow": "a valid answer after `slow_seconds` (below the client's timeout)",
    # HTTP errors in the OpenAI error format
    "http_400": "400 bad request", "http_401": "401 invalid key", "http_403": "403 forbidden",
    "http_404": "404 model not found", "http_408": "408 request timeout",
    "http_409": "409 conflict", "http_413": "413 payload too large",
    "http_422": "422 unprocessable entity", "http_500": "500 internal error",
    "http_502": "502 bad gateway (HTML body)", "http_503": "503 overloaded",
    "http_504": "504 gateway timeout",
    "http_429": "429 with retry-after: 0 and retry-after-ms: 20",
    "http_429_seconds": "429 with retry-after: 1 only",
    "http_429_bare": "429 without any retry-after header",
    "http_429_huge": "429 with retry-after: 86400 (the client must cap it)",
    "http_503_date": "503 with Retry-After as an HTTP date 1 s ahead",
    "echo_key": "401 whose message and a header echo the Authorization header",
    # the connection
    "drop": "close the connection without answering",
    "reset": "send the headers and half the body, then reset (RST)",
    "cut": "send the headers (full content-length) and half the body, then close",
    "stall": "never answer (until the client hangs up)",
    "stall_headers": "send the status line, then never finish the headers",
    "trickle": "a valid answer, one byte every `trickle_pause` seconds (longer than any timeout)",
    "bad_chunked": "chunked transfer encoding with an invalid chunk size",
    "bad_gzip": "a valid answer labelled content-encoding: gzip that is not gzip",
    "huge_body": "a 200 of 64 MiB (a valid answer padded with whitespace)",
    "huge_length": "content-length: 10^12 and a small body",
    "redirect": "302 to /v2/chat/completions on the same server",
    "redirect_307": "307 to /v2/chat/completions on the same server",
    # the body of a 200
    "truncated_json": "a 200 whose JSON body is cut off mid-way (content-length matches)",
    "bad_utf8": "a 200 whose body is not UTF-8",
    "html": "a 200 text/html error page",
    "text": "a 200 text/plain error message",
    "json_not_object": "a 200 whose JSON body is a list",
    "error_200": "a 200 whose body is an OpenAI error object",
    "wrong_content_type": "a valid answer with content-type text/plain",
    "empty_choices": "a 200 with choices: []",
    "null_choices": "a 200 with choices: null",
    "no_usage": "a valid answer without a usage field",
    "odd_usage": "a valid answer whose usage fields are a string, negative and null",
    # the model's answer
    "schema_invalid": "tool-call arguments that do not fit the schema",
    "bad_quote": "an answer whose claim quotes a sentence that is not in the article",
    "no_arguments": "a tool call without arguments",
    "arguments_object": "tool-call arguments as a JSON object instead of a string",
    "prose_wrapped": "the JSON answer wrapped in prose",
    "content_not_tool": "tools mode answered as message content, without a tool call",
    "refusal": "message.refusal set",
    "content_filter": "finish_reason content_filter and no answer",
    "length": "finish_reason length and a cut-off answer",
}

#: Faults a client recovers from when they stop: the mix of the random mode.
TRANSIENT: tuple[str, ...] = (
    "http_429", "http_500", "http_502", "http_503", "http_504", "drop", "reset", "cut",
    "stall", "truncated_json", "schema_invalid", "bad_quote", "empty_choices",
)

_MARKER = re.compile(r"\[\[fault:(\w+)(?:\*(\d+))?\]\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
#: The claim quote of ``bad_quote``: no article says it.
INVENTED_QUOTE = "The minister said that the war had ended and every soldier had gone home."


def article_key(text: str) -> str:
    """The key under which the server counts an article (sha256 of its text, 16 hex)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def grounded_answer(text: str) -> dict[str, Any]:
    """A valid ArticleSummary built from ``text``'s own sentences: a summary and one
    claim quoting the first sentence that carries no loaded term."""
    from summarize.lexicon import load_lexicon

    lexicon = load_lexicon()
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    neutral = [s for s in sentences if not lexicon.find(s)] or sentences[:1]
    first = neutral[0] if neutral else text.strip()
    summary = first if not lexicon.find(first) else "The article reports on a conflict."
    return {
        "summary": summary,
        "events": [],
        "claims": [{"claim": "The outlet reports this.", "source": "the outlet",
                    "source_type": "media", "cue": "reported", "quote": first,
                    "direct_quote": False}],
        "casualties": [],
        "loaded_terms": [],
    }


class FaultServer:
    """The fault-injecting server; use as a context manager (see the module docstring)."""

    def __init__(self, *, rate: float = 0.0, seed: int = 0, kinds: tuple[str, ...] = TRANSIENT,
                 latency: float = 0.0, gold_dir: Path | None = None,
                 slow_seconds: float = 0.3, trickle_pause: float = 0.2,
                 stall_seconds: float = 120.0) -> None:
        self.rate = rate
        self.seed = seed
        self.kinds = kinds
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.trickle_pause = trickle_pause
        self.stall_seconds = stall_seconds
        self._fault: tuple[str, int | None] | None = None
        self._gold = _load_gold(gold_dir) if gold_dir else {}
        #: Valid answers delivered in full, per article key.
        self.answers: Counter[str] = Counter()
        #: Requests received, per article key.
        self.requests: Counter[str] = Counter()
        #: (article key, attempt, fault) of every request, in arrival order.
        self.log: list[tuple[str, int, str]] = []
        #: Authorization headers received (to check what the client sent).
        self.authorizations: set[str] = set()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of this server."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def set(self, fault: str | None, *, times: int | None = None) -> None:
        """Give every article ``fault`` (its first ``times`` requests; None: all of them)."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        self._fault = None if fault is None else (fault, times)

    def choose(self, text: str, attempt: int) -> str:
        """The fault for request number ``attempt`` (0-based) of the article ``text``."""
        marker = _MARKER.search(text)
        if marker:
            times = int(marker.group(2)) if marker.group(2) else None
            return marker.group(1) if times is None or attempt < times else "ok"
        if self._fault is not None:
            fault, times = self._fault
            return fault if times is None or attempt < times else "ok"
        if self.rate:
            draw = random.Random(f"{self.seed}:{article_key(text)}:{attempt}")
            if draw.random() < self.rate:
                return draw.choice(self.kinds)
        return "ok"

    def answer_for(self, text: str) -> dict[str, Any]:
        """The correct answer for the article ``text``."""
        gold = self._gold.get(text.strip())
        return gold_answer(gold) if gold is not None else grounded_answer(text)

    def _arrived(self, text: str) -> tuple[str, int, str]:
        key = article_key(text)
        with self._lock:
            attempt = self.requests[key]
            self.requests[key] += 1
            fault = self.choose(text, attempt)
            self.log.append((key, attempt, fault))
        return key, attempt, fault

    def _delivered(self, key: str) -> None:
        with self._lock:
            self.answers[key] += 1

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()


def _load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    by_text = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        by_text[gold["article"]["text"].strip()] = gold
    return by_text


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def _error(code: int, message: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "fault", "code": code}}).encode()


_STATUS_FAULTS = {
    "http_400": (400, "the request is malformed (fault injected)"),
    "http_401": (401, "Incorrect API key provided (fault injected)"),
    "http_403": (403, "this key may not use this model (fault injected)"),
    "http_404": (404, "The model `gpt-4o-mini` does not exist (fault injected)"),
    "http_408": (408, "request timeout (fault injected)"),
    "http_409": (409, "conflict (fault injected)"),
    "http_413": (413, "request entity too large (fault injected)"),
    "http_422": (422, "unprocessable entity (fault injected)"),
    "http_500": (500, "internal error (fault injected)"),
    "http_503": (503, "overloaded (fault injected)"),
    "http_504": (504, "gateway timeout (fault injected)"),
    "http_429": (429, "rate limited (fault injected)"),
    "http_429_seconds": (429, "rate limited (fault injected)"),
    "http_429_bare": (429, "rate limited (fault injected)"),
    "http_429_huge": (429, "rate limited for a day (fault injected)"),
    "http_503_date": (503, "overloaded, come back later (fault injected)"),
}
_STATUS_HEADERS = {
    "http_429": {"retry-after": "0", "retry-after-ms": "20"},
    "http_429_seconds": {"retry-after": "1"},
    "http_429_huge": {"retry-after": "86400"},
}


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            self._send(200, json.dumps({"object": "list", "data": [{"id": "fake-model"}]}).encode())

        def do_POST(self) -> None:  # noqa: N802 - http.server API
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                request = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._send(400, _error(400, "bad json"))
                return
            with server._lock:
                server.authorizations.add(self.headers.get("authorization") or "")
            text = article_text_of(request)
            key, attempt, fault = server._arrived(text)
            if server.latency:
                time.sleep(server.latency)
            method = getattr(self, f"_fault_{fault}", None)
            if method is not None:
                method(request, key, text, attempt)
            else:
                self._status_fault(fault)

        # ---- helpers -----------------------------------------------------------------

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

        def _completion(self, request: dict[str, Any], payload: Any, *, kind: str = "answer",
                        number: int = 0) -> dict[str, Any]:
            return completion_body(request, Action(kind, payload=payload), number)

        def _answer_body(self, request: dict[str, Any], text: str, attempt: int) -> bytes:
            return json.dumps(self._completion(request, server.answer_for(text),
                                               number=attempt)).encode()

        def _answer(self, request: dict[str, Any], key: str, text: str, attempt: int,
                    **send: Any) -> None:
            if self._send(200, self._answer_body(request, text, attempt), **send):
                server._delivered(key)

        def _status_fault(self, fault: str) -> None:
            code, message = _STATUS_FAULTS[fault]
            headers = dict(_STATUS_HEADERS.get(fault, {}))
            if fault == "http_503_date":
                headers["retry-after"] = email.utils.formatdate(time.time() + 1, usegmt=True)
            self._send(code, _error(code, message), headers)

        def _raw(self, data: bytes) -> bool:
            try:
                self.wfile.write(data)
                self.wfile.flush()
                return True
            except OSError:
                return False

        def _wait_for_hangup(self) -> None:
            """Block until the client closes the connection (or the stall limit)."""
            self.close_connection = True
            deadline = time.monotonic() + server.stall_seconds
            while time.monotonic() < deadline and not server._closing.is_set():
                readable, _, _ = select.select([self.connection], [], [], 0.1)
                if readable:
                    try:
                        if not self.connection.recv(1024):
                            return
                    except OSError:
                        return

        def _headers_only(self, length: int, extra: dict[str, str] | None = None) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(length))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()

        # ---- faults (one method each; status faults are in _STATUS_FAULTS) --------------

        def _fault_ok(self, request, key, text, attempt) -> None:
            self._answer(request, key, text, attempt)

        def _fault_slow(self, request, key, text, attempt) -> None:
            time.sleep(server.slow_seconds)
            self._answer(request, key, text, attempt)

        def _fault_http_502(self, request, key, text, attempt) -> None:
            self._send(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                       content_type="text/html")

        def _fault_echo_key(self, request, key, text, attempt) -> None:
            auth = self.headers.get("authorization") or ""
            self._send(401, _error(401, f"Incorrect API key provided: {auth}. You sent {auth!r}."),
                       {"x-echo-authorization": auth, "www-authenticate": f"Bearer realm={auth}"})

        def _fault_drop(self, request, key, text, attempt) -> None:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _fault_reset(self, request, key, text, attempt) -> None:
            body = self._answer_body(request, text, attempt)
            self.close_connection = True
            try:
                self._headers_only(len(body))
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass

        def _fault_cut(self, request, key, text, attempt) -> None:
            body = self._answer_body(request, text, attempt)
            self.close_connection = True
            try:
                self._headers_only(len(body))
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _fault_stall(self, request, key, text, attempt) -> None:
            self._wait_for_hangup()

        def _fault_stall_headers(self, request, key, text, attempt) -> None:
            if self._raw(b"HTTP/1.1 200 OK\r\n"):
                self._wait_for_hangup()

        def _fault_trickle(self, request, key, text, attempt) -> None:
            body = self._answer_body(request, text, attempt)
            self.close_connection = True
            try:
                self._headers_only(len(body))
                self.wfile.flush()
                for byte in range(len(body)):
                    if server._closing.is_set():
                        return
                    self.wfile.write(body[byte : byte + 1])
                    self.wfile.flush()
                    time.sleep(server.trickle_pause)
            except OSError:
                return
            server._delivered(key)  # a client without a deadline would take this answer

        def _fault_bad_chunked(self, request, key, text, attempt) -> None:
            self.close_connection = True
            self._raw(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                      b"transfer-encoding: chunked\r\n\r\nzz\r\n{\"id\"\r\n0\r\n\r\n")

        def _fault_bad_gzip(self, request, key, text, attempt) -> None:
            self._send(200, self._answer_body(request, text, attempt), {"content-encoding": "gzip"})

        def _fault_huge_body(self, request, key, text, attempt) -> None:
            body = self._answer_body(request, text, attempt)
            padding = 64 * 2**20
            self.close_connection = True
            try:
                self._headers_only(len(body) + padding)
                chunk = b" " * 2**20
                for _ in range(padding // len(chunk)):
                    self.wfile.write(chunk)
                self.wfile.write(body)
                self.wfile.flush()
            except OSError:
                return
            server._delivered(key)

        def _fault_huge_length(self, request, key, text, attempt) -> None:
            self.close_connection = True
            try:
                self._headers_only(10**12)
                self.wfile.write(b'{"id": "chatcmpl-huge", ')
                self.wfile.flush()
            except OSError:
                return
            self._wait_for_hangup()

        def _fault_redirect(self, request, key, text, attempt) -> None:
            self._send(302, b"", {"location": "/v2/chat/completions"})

        def _fault_redirect_307(self, request, key, text, attempt) -> None:
            self._send(307, b"", {"location": "/v2/chat/completions"})

        def _fault_truncated_json(self, request, key, text, attempt) -> None:
            body = self._answer_body(request, text, attempt)
            self._send(200, body[: len(body) // 2])

        def _fault_bad_utf8(self, request, key, text, attempt) -> None:
            self._send(200, b'{"id": "chatcmpl-\xff\xfe", "choices": [\xc3\x28]}')

        def _fault_html(self, request, key, text, attempt) -> None:
            self._send(200, b"<!DOCTYPE html><html><head><title>Sign in</title></head>"
                            b"<body><p>Please sign in to continue.</p></body></html>",
                       content_type="text/html; charset=utf-8")

        def _fault_text(self, request, key, text, attempt) -> None:
            self._send(200, b"upstream connect error or disconnect/reset before headers",
                       content_type="text/plain")

        def _fault_json_not_object(self, request, key, text, attempt) -> None:
            self._send(200, b'["not", "a", "completion"]')

        def _fault_error_200(self, request, key, text, attempt) -> None:
            self._send(200, _error(500, "The server had an error while processing your request."))

        def _fault_wrong_content_type(self, request, key, text, attempt) -> None:
            if self._send(200, self._answer_body(request, text, attempt),
                          content_type="text/plain; charset=utf-8"):
                server._delivered(key)

        def _fault_empty_choices(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text), kind="empty_choices")
            self._send(200, json.dumps(body).encode())

        def _fault_null_choices(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            body["choices"] = None
            self._send(200, json.dumps(body).encode())

        def _fault_no_usage(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            del body["usage"]
            if self._send(200, json.dumps(body).encode()):
                server._delivered(key)

        def _fault_odd_usage(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            body["usage"] = {"prompt_tokens": "lots", "completion_tokens": -5, "total_tokens": None}
            if self._send(200, json.dumps(body).encode()):
                server._delivered(key)

        def _fault_schema_invalid(self, request, key, text, attempt) -> None:
            invalid = {"summary": 42, "claims": "none", "casualties": [{"quantity_text": 7}]}
            self._send(200, json.dumps(self._completion(request, invalid)).encode())

        def _fault_bad_quote(self, request, key, text, attempt) -> None:
            answer = server.answer_for(text)
            answer["claims"] = [{**answer["claims"][0], "quote": INVENTED_QUOTE}] if answer.get(
                "claims") else [{"claim": "x", "source": "the minister", "source_type": "official",
                                 "cue": "said", "quote": INVENTED_QUOTE, "direct_quote": False}]
            self._send(200, json.dumps(self._completion(request, answer)).encode())

        def _tool_body(self, request: dict[str, Any], text: str, arguments: Any) -> bytes:
            body = self._completion(request, server.answer_for(text))
            message = body["choices"][0]["message"]
            if message.get("tool_calls"):
                function = message["tool_calls"][0]["function"]
                if arguments is _MISSING:
                    del function["arguments"]
                else:
                    function["arguments"] = arguments
            else:
                message["content"] = None if arguments is _MISSING else (
                    arguments if isinstance(arguments, str) else json.dumps(arguments))
            return json.dumps(body).encode()

        def _fault_no_arguments(self, request, key, text, attempt) -> None:
            self._send(200, self._tool_body(request, text, _MISSING))

        def _fault_arguments_object(self, request, key, text, attempt) -> None:
            if self._send(200, self._tool_body(request, text, server.answer_for(text))):
                server._delivered(key)

        def _fault_prose_wrapped(self, request, key, text, attempt) -> None:
            wrapped = ("Sure! Here is the summary you asked for:\n\n"
                       + json.dumps(server.answer_for(text)) + "\n\nLet me know if you need more.")
            self._send(200, self._tool_body(request, text, wrapped))

        def _fault_content_not_tool(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            choice = body["choices"][0]
            choice["message"] = {"role": "assistant",
                                 "content": json.dumps(server.answer_for(text))}
            choice["finish_reason"] = "stop"
            self._send(200, json.dumps(body).encode())

        def _fault_refusal(self, request, key, text, attempt) -> None:
            body = self._completion(request, "I can't help with that.", kind="refusal")
            self._send(200, json.dumps(body).encode())

        def _fault_content_filter(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            body["choices"][0]["message"] = {"role": "assistant", "content": None}
            body["choices"][0]["finish_reason"] = "content_filter"
            self._send(200, json.dumps(body).encode())

        def _fault_length(self, request, key, text, attempt) -> None:
            cut = json.dumps(server.answer_for(text))[:40]
            self._send(200, json.dumps(self._completion(request, cut, kind="length")).encode())

    return Handler


_MISSING = object()


def start(**kwargs: Any) -> FaultServer:
    """A running FaultServer (stop it with ``__exit__``); kwargs as for FaultServer."""
    return FaultServer(**kwargs).__enter__()

