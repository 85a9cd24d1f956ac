"""How the fault server of tests/fault_server.py answers: one handler method per fault
of its ``FAULTS`` catalogue (HTTP errors are a table). A method that delivers a valid
answer in full tells the server so (``server._delivered``), which is how the server
counts the answers an article was given."""

from __future__ import annotations

import email.utils
import functools
import gzip
import json
import select
import socket
import struct
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from tests.fake_openai import Action, JSONHandler, article_text_of, completion_body

if TYPE_CHECKING:
    from tests.fault_server import FaultServer

#: The claim quote of ``bad_quote``: no article says it.
INVENTED_QUOTE = "The minister said that the war had ended and every soldier had gone home."


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
    "http_429_odd": (429, "rate limited, come back soon (fault injected)"),
    "http_503_date": (503, "overloaded, come back later (fault injected)"),
    "http_500_no_retry": (500, "internal error, do not retry (fault injected)"),
    "http_400_retry": (400, "a transient 400, retry it (fault injected)"),
}
_STATUS_HEADERS = {
    "http_429": {"retry-after": "0", "retry-after-ms": "20"},
    "http_429_seconds": {"retry-after": "1"},
    "http_429_huge": {"retry-after": "86400"},
    "http_429_odd": {"retry-after": "soon", "retry-after-ms": "nan"},
    "http_500_no_retry": {"x-should-retry": "false"},
    "http_400_retry": {"x-should-retry": "true"},
}
#: OpenAI's answer to a key whose account has no credit left (its documented error code).
_QUOTA_BODY = json.dumps({"error": {
    "message": "You exceeded your current quota, please check your plan and billing details. "
               "(fault injected)",
    "type": "insufficient_quota", "param": None, "code": "insufficient_quota"}}).encode()


def handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(JSONHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                request = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._send(400, _error(400, "bad json"))
                return
            with server._lock:
                server.authorizations.add(self.headers.get("authorization") or "")
                server.received.append(request)
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

        def _fault_unknown(self, request, key, text, attempt) -> None:
            self._send(400, _error(400, "the article names a fault this server does not know"))

        def _fault_leaky_headers(self, request, key, text, attempt) -> None:
            self._answer(request, key, text, attempt, headers={
                "set-cookie": "__cf_bm=leaky-cookie-value-1234567890; path=/; HttpOnly",
                "openai-organization": "org-leakyorganization123456",
                "openai-project": "proj_leakyproject1234567890",
                "x-request-id": f"req_{key}_{attempt}"})

        def _fault_http_502(self, request, key, text, attempt) -> None:
            self._send(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                       content_type="text/html")

        def _fault_http_429_quota(self, request, key, text, attempt) -> None:
            self._send(429, _QUOTA_BODY, {"retry-after": "0"})

        def _fault_echo_key(self, request, key, text, attempt) -> None:
            auth = self.headers.get("authorization") or ""
            self._send(401, _error(401, f"Incorrect API key provided: {auth}. You sent {auth!r}."),
                       {"x-echo-authorization": auth, "www-authenticate": f"Bearer realm={auth}"})

        def _fault_echo_masked_key(self, request, key, text, attempt) -> None:
            # What OpenAI's 401 says: the key masked, its first and last characters shown.
            token = (self.headers.get("authorization") or "").partition(" ")[2]
            masked = f"{token[:10]}{'*' * 20}{token[-4:]}"
            self._send(401, _error(401, f"Incorrect API key provided: {masked}. You can find "
                                        "your API key at the dashboard."))

        def _half_answer(self, request: dict[str, Any], text: str, attempt: int) -> None:
            """Announce the whole answer's length, then send only its first half."""
            body = self._answer_body(request, text, attempt)
            self.close_connection = True
            self._headers_only(len(body))
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()

        def _fault_drop(self, request, key, text, attempt) -> None:
            self.drop()

        def _fault_reset(self, request, key, text, attempt) -> None:
            try:
                self._half_answer(request, text, attempt)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()  # with linger 0: a TCP reset
            except OSError:
                pass

        def _fault_cut(self, request, key, text, attempt) -> None:
            try:
                self._half_answer(request, text, attempt)
                self.connection.shutdown(socket.SHUT_RDWR)  # a clean close mid-body
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

        def _fault_gzip_ok(self, request, key, text, attempt) -> None:
            body = gzip.compress(self._answer_body(request, text, attempt))
            if self._send(200, body, {"content-encoding": "gzip"}):
                server._delivered(key)

        def _fault_gzip_bomb(self, request, key, text, attempt) -> None:
            self._send(200, _gzip_bomb(), {"content-encoding": "gzip"})

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

        def _fault_huge_usage(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            body["usage"] = {"prompt_tokens": 10**400, "completion_tokens": 10**400}
            if self._send(200, json.dumps(body).encode()):
                server._delivered(key)

        def _fault_message_null(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            body["choices"][0]["message"] = None
            self._send(200, json.dumps(body).encode())

        def _fault_function_null(self, request, key, text, attempt) -> None:
            body = self._completion(request, server.answer_for(text))
            body["choices"][0]["message"]["tool_calls"] = [{"id": "call_0", "type": "function",
                                                           "function": None}]
            self._send(200, json.dumps(body).encode())

        def _fault_deep_json(self, request, key, text, attempt) -> None:
            self._send(200, b"[" * 100_000 + b"]" * 100_000)

        def _fault_arguments_number(self, request, key, text, attempt) -> None:
            self._send(200, self._tool_body(request, text, "42"))

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


@functools.cache
def _gzip_bomb() -> bytes:
    return gzip.compress(b" " * 64 * 2**20, compresslevel=9)
