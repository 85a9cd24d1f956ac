"""A Batch API server on 127.0.0.1 whose behaviour is plain code (files, batches, chat).

It answers the openai SDK's ``files`` and ``batches`` calls the way OpenAI's Batch API
does, and ``POST /v1/chat/completions`` (for ``collect --reask live``):

- ``POST /v1/files`` (multipart, ``purpose=batch``), ``GET /v1/files/{id}``,
  ``GET /v1/files/{id}/content``;
- ``POST /v1/batches`` (checks the input file: JSONL, unique custom_ids, method, url,
  at most ``max_requests`` lines), ``GET /v1/batches/{id}``, ``GET /v1/batches`` (newest
  first, ``after``/``limit``), ``POST /v1/batches/{id}/cancel``.

A batch moves one status further each time it is read: validating -> in_progress ->
finalizing -> completed (or ``failed`` when its file is invalid). When it completes, each
request line is answered by the responder (tests/fake_openai.py: ``oracle``, or
:func:`copies_oracle` below) as a chat completion, in tool-call form when the request has
``tools``. Plain rules decide what goes wrong; a rate r picks every 1/r-th case in the
order the server meets them (r = 0.05: the 20th, the 40th ...), so that the counts do
not depend on the custom_ids (which change with the server's port):

- ``fail_rate``: that share of the lines it runs get a 500 in the error file (a resend
  is another line: it fails only if it too is picked);
- ``bad_request_rate``: that share of first-seen lines get a 400 (the same request would
  fail the same way: no resend);
- ``break_rate``: that share of first asks (a request with no earlier answer in its
  messages) is answered with an answer that breaks the schema (a quote the article does
  not contain, or no summary, in turn): the re-ask carries the validation error and is
  answered correctly;
- ``expire``: batches (by creation number, 1 = the first) that expire half done: the
  first half of their lines is answered, the rest gets ``batch_expired`` in the error
  file, and the status is ``expired``;
- ``shuffle``: output lines are written in an order of their own (not the input's);
- ``content_answers``: in tools mode the answer comes as JSON message content instead of
  a tool call (a server that ignores ``tools``);
- ``fenced_answers``: an answer sent as message content (the JSON modes, or with
  ``content_answers``) comes in a ```json fence, after a line of text;
- ``quota_rate``: that share of first-seen lines get a 429 whose error code is
  ``insufficient_quota`` (an account without credit);
- ``reject``: batches (by creation number) that fail validation with ``reject_code``
  (``invalid_file``, ``token_limit_exceeded`` ...): status ``failed``, no line run.

:func:`run_batch_file` plays ``vllm run-batch`` on a request file, with vLLM's error
lines (a status code, no body, the message as the line's ``error``) for ``error_rate``
of the lines.

Every uploaded line, created batch and chat request, and the method and path of every
HTTP request, are kept for the tests to inspect.
"""

from __future__ import annotations

import email.parser
import json
import random
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_openai import (Action, JSONHandler, LocalServer, Responder, answer, article_text_of,
                               completion_body, gold_answer, status)

STEPS = ("validating", "in_progress", "finalizing", "completed")
TERMINAL = ("completed", "failed", "expired", "cancelled")
_CUSTOM_ID = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


#: The line the copies of gold articles end with (see copies_oracle, write_copies).
COPY_MARK = "\n\nArchive copy "


def copies_oracle(gold_dir: Path) -> Responder:
    """Answers an article with the gold labels of the gold article it is a copy of (the
    gold text, optionally followed by a line ``Archive copy N.``). Test-split gold
    articles are never used."""
    by_text = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        if gold.get("split") == "test":
            continue
        by_text[gold["article"]["text"].strip()] = gold

    def respond(request: dict[str, Any], index: int) -> Action:
        text = article_text_of(request).split(COPY_MARK, 1)[0].strip()
        gold = by_text.get(text)
        if gold is None:
            return status(404, "no gold labels for this article")
        return answer(gold_answer(gold))

    return respond


def gold_articles(gold_dir: Path) -> list[dict[str, Any]]:
    """The dev-split gold articles (id, title, source, published, text)."""
    found = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        if gold.get("split") != "test":
            found.append(gold["article"])
    return found


def write_copies(path: Path, gold_dir: Path, count: int) -> list[str]:
    """Write ``count`` articles to the JSONL file ``path``: the dev gold articles, then
    copies of them (each with its own id and a line ``Archive copy N.``); their ids."""
    golds = gold_articles(gold_dir)
    ids = []
    with open(path, "w", encoding="utf-8") as out:
        for number in range(count):
            gold = golds[number % len(golds)]
            copy = number // len(golds)
            text = gold["text"] if copy == 0 else f"{gold['text']}{COPY_MARK}{copy}."
            article_id = gold["id"] if copy == 0 else f"{gold['id']}-copy{copy}"
            out.write(json.dumps({"id": article_id, "title": gold.get("title"),
                                  "source": gold.get("source"), "published": gold.get("published"),
                                  "text": text}) + "\n")
            ids.append(article_id)
    return ids


def _is_reask(request: dict[str, Any]) -> bool:
    return any(m.get("role") in ("assistant", "tool") for m in request.get("messages", []))


def broken(payload: dict[str, Any], how: float) -> dict[str, Any]:
    """``payload`` made invalid: a claim whose quote is not in the article, or no summary."""
    bad = dict(payload)
    if how < 0.5:
        bad["claims"] = list(payload.get("claims") or []) + [{
            "claim": "An invented statement.", "source": "Nobody", "source_type": "other",
            "cue": "said", "quote": "This sentence does not occur in the article at all.",
            "direct_quote": True}]
    else:
        bad.pop("summary", None)
    return bad


@dataclass
class FakeBatchAPI:
    """The server's behaviour and what it saw (see the module docstring)."""

    responder: Responder
    fail_rate: float = 0.0
    bad_request_rate: float = 0.0
    break_rate: float = 0.0
    expire: Iterable[int] = ()
    shuffle: bool = True
    content_answers: bool = False
    fenced_answers: bool = False
    quota_rate: float = 0.0
    reject: Iterable[int] = ()
    reject_code: str = "invalid_file"
    max_requests: int = 50_000
    usage: tuple[int, int] = (1000, 200)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    chat_requests: list[dict[str, Any]] = field(default_factory=list)
    #: custom_id -> how many batches carried it so far.
    seen: dict[str, int] = field(default_factory=dict)
    #: Cases met so far, per rule (see _pick).
    met: dict[str, int] = field(default_factory=dict)
    #: (method, path) of every HTTP request received, in order.
    calls: list[tuple[str, str]] = field(default_factory=list)
    answered_lines: int = 0
    broken_answers: int = 0
    failed_lines: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _pick(self, rule: str, rate: float) -> bool:
        """True for every 1/rate-th case of ``rule``."""
        number = self.met.get(rule, 0)
        self.met[rule] = number + 1
        return int((number + 1) * rate) > int(number * rate)

    # ---- files ----

    def add_file(self, data: bytes, *, purpose: str, filename: str) -> dict[str, Any]:
        file_id = f"file-{len(self.files) + 1:06d}"
        self.files[file_id] = {"data": data, "purpose": purpose, "filename": filename,
                               "created_at": int(time.time())}
        return self.file_object(file_id)

    def file_object(self, file_id: str) -> dict[str, Any]:
        stored = self.files[file_id]
        return {"id": file_id, "object": "file", "bytes": len(stored["data"]),
                "created_at": stored["created_at"], "filename": stored["filename"],
                "purpose": stored["purpose"], "status": "processed"}

    # ---- batches ----

    def create(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        file_id = request.get("input_file_id")
        if file_id not in self.files:
            return 404, {"error": {"message": f"No such File object: {file_id}"}}
        if request.get("endpoint") != "/v1/chat/completions" or request.get("completion_window") != "24h":
            return 400, {"error": {"message": "endpoint must be /v1/chat/completions, window 24h"}}
        number = len(self.batches) + 1
        batch_id = f"batch_{number:06d}"
        batch = {"id": batch_id, "object": "batch", "endpoint": request["endpoint"],
                 "errors": None, "input_file_id": file_id, "completion_window": "24h",
                 "status": "validating", "output_file_id": None, "error_file_id": None,
                 "created_at": int(time.time()), "metadata": request.get("metadata") or {},
                 "request_counts": {"total": 0, "completed": 0, "failed": 0},
                 "_number": number, "_step": 0}
        self.batches[batch_id] = batch
        return 200, self.public(batch)

    @staticmethod
    def public(batch: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in batch.items() if not k.startswith("_")}

    def advance(self, batch: dict[str, Any]) -> None:
        """One step further (validating -> in_progress -> finalizing -> completed)."""
        if batch["status"] in TERMINAL:
            return
        if batch["status"] == "cancelling":
            batch["status"] = "cancelled"
            batch["cancelled_at"] = int(time.time())
            return
        if batch["status"] == "validating":
            problem, code = self._invalid(batch), "invalid_file"
            if problem is None and batch["_number"] in set(self.reject):
                problem, code = f"rejected as told ({self.reject_code})", self.reject_code
            if problem:
                batch["status"] = "failed"
                batch["errors"] = {"object": "list", "data": [
                    {"code": code, "message": problem, "line": None, "param": None}]}
                return
        batch["_step"] += 1
        if STEPS[batch["_step"]] == "completed":
            self._run(batch)
        else:
            batch["status"] = STEPS[batch["_step"]]

    def _lines(self, batch: dict[str, Any]) -> list[dict[str, Any]]:
        data = self.files[batch["input_file_id"]]["data"]
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    def _invalid(self, batch: dict[str, Any]) -> str | None:
        try:
            lines = self._lines(batch)
        except json.JSONDecodeError as exc:
            return f"the file is not JSONL: {exc}"
        if len(lines) > self.max_requests:
            return f"{len(lines)} requests, more than {self.max_requests}"
        ids = [line.get("custom_id") for line in lines]
        if len(set(ids)) != len(ids):
            return "duplicate custom_id"
        for line in lines:
            cid = line.get("custom_id")
            if not isinstance(cid, str) or not 0 < len(cid) <= 64 or set(cid) - _CUSTOM_ID:
                return f"bad custom_id {cid!r}"
            if line.get("method") != "POST" or line.get("url") != "/v1/chat/completions":
                return "method must be POST and url /v1/chat/completions"
        batch["request_counts"]["total"] = len(lines)
        return None

    def _run(self, batch: dict[str, Any]) -> None:
        """Answer the batch's lines; write its output and error files."""
        lines = self._lines(batch)
        expires = batch["_number"] in set(self.expire)
        cut = len(lines) // 2 if expires else len(lines)
        output, errors = [], []
        for index, line in enumerate(lines):
            cid = line["custom_id"]
            seen = self.seen.get(cid, 0)
            self.seen[cid] = seen + 1
            request_id = f"req_{batch['_number']}_{index}"
            if index >= cut:
                errors.append({"id": f"batch_req_{request_id}", "custom_id": cid, "response": None,
                               "error": {"code": "batch_expired", "message": "This request could "
                                         "not be executed before the completion window expired."}})
                continue
            if self._pick("fail", self.fail_rate):
                self.failed_lines += 1
                errors.append({"id": f"batch_req_{request_id}", "custom_id": cid, "error": None,
                               "response": {"status_code": 500, "request_id": request_id,
                                            "body": {"error": {"message": "The server had an error "
                                                               "processing your request.",
                                                               "type": "server_error"}}}})
                continue
            if seen == 0 and self._pick("quota", self.quota_rate):
                errors.append({"id": f"batch_req_{request_id}", "custom_id": cid, "error": None,
                               "response": {"status_code": 429, "request_id": request_id,
                                            "body": {"error": {
                                                "message": "You exceeded your current quota, "
                                                "please check your plan and billing details.",
                                                "type": "insufficient_quota",
                                                "code": "insufficient_quota"}}}})
                continue
            if seen == 0 and self._pick("bad", self.bad_request_rate):
                errors.append({"id": f"batch_req_{request_id}", "custom_id": cid, "error": None,
                               "response": {"status_code": 400, "request_id": request_id,
                                            "body": {"error": {"message": "Invalid request: "
                                                               "max_tokens is too large.",
                                                               "type": "invalid_request_error"}}}})
                continue
            output.append({"id": f"batch_req_{request_id}", "custom_id": cid, "error": None,
                           "response": {"status_code": 200, "request_id": request_id,
                                        "body": self.answer(line["body"], cid)}})
        if self.shuffle:
            random.Random(batch["_number"]).shuffle(output)
        batch["request_counts"] = {"total": len(lines), "completed": len(output),
                                   "failed": len(errors)}
        if output:
            batch["output_file_id"] = self.add_file(_jsonl(output), purpose="batch_output",
                                                    filename=f"{batch['id']}_output.jsonl")["id"]
        if errors:
            batch["error_file_id"] = self.add_file(_jsonl(errors), purpose="batch_output",
                                                   filename=f"{batch['id']}_error.jsonl")["id"]
        batch["status"] = "expired" if expires else "completed"
        batch[f"{batch['status']}_at"] = int(time.time())

    def answer(self, request: dict[str, Any], cid: str) -> dict[str, Any]:
        """The chat completion body the responder gives ``request`` (maybe broken)."""
        action = self.responder(request, self.answered_lines)
        self.answered_lines += 1
        if action.kind == "answer" and isinstance(action.payload, dict) and not _is_reask(request):
            if self._pick("break", self.break_rate):
                self.broken_answers += 1
                action = answer(broken(action.payload, self.broken_answers % 2 / 2),
                                usage=action.usage)
        action.usage = self.usage
        body = completion_body(request, action, self.answered_lines)
        if self.content_answers and request.get("tools"):
            message = body["choices"][0]["message"]
            message["content"] = message.pop("tool_calls")[0]["function"]["arguments"]
            body["choices"][0]["finish_reason"] = "stop"
        message = body["choices"][0]["message"]
        if self.fenced_answers and isinstance(message.get("content"), str):
            message["content"] = f"Here is the summary:\n```json\n{message['content']}\n```\n"
        return body

    def cancel(self, batch: dict[str, Any]) -> None:
        if batch["status"] not in TERMINAL:
            batch["status"] = "cancelling"
            batch["cancelling_at"] = int(time.time())


#: The message of vLLM's error lines made by run_batch_file.
VLLM_ERROR = ("This model's maximum context length is 8192 tokens. However, you requested "
              "12000 tokens. Please reduce the length of the messages or completion.")


def run_batch_file(api: FakeBatchAPI, requests: Path, results: Path, *,
                   error_rate: float = 0.0) -> int:
    """Answer the request file ``requests`` as ``vllm run-batch -i REQUESTS -o RESULTS``
    does (one result line per request, its format), with ``api``'s responder and rules
    (breaking answers; no 5xx, which vLLM does not produce); ``error_rate`` of the lines
    are vLLM's error lines (``{"response": {"status_code": 400, "request_id": ...},
    "error": VLLM_ERROR}``). The number of lines."""
    lines = [json.loads(line) for line in requests.read_bytes().splitlines() if line.strip()]
    out: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        if api._pick("vllm_error", error_rate):
            out.append({"id": f"vllm-{index}", "custom_id": line["custom_id"],
                        "response": {"status_code": 400, "request_id": f"vllm-batch-{index}"},
                        "error": VLLM_ERROR})
            continue
        out.append({"id": f"vllm-{index}", "custom_id": line["custom_id"],
                    "response": {"status_code": 200, "request_id": f"vllm-batch-{index}",
                                 "body": api.answer(line["body"], line["custom_id"])},
                    "error": None})
    results.write_bytes(_jsonl(out))
    return len(out)


def _jsonl(lines: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a multipart/form-data body: name -> (filename, bytes)."""
    message = email.parser.BytesParser().parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields = {}
    for part in message.get_payload():
        name = part.get_param("name", header="content-disposition")
        fields[name] = (part.get_filename(), part.get_payload(decode=True))
    return fields


class FakeBatchServer(LocalServer):
    """A threaded HTTP server on 127.0.0.1 (a free port) serving a :class:`FakeBatchAPI`."""

    def __init__(self, api: FakeBatchAPI, *, port: int = 0) -> None:
        self.api = api

        class Handler(JSONHandler):
            def _json(self, code: int, value: Any) -> None:
                self._send(code, json.dumps(value).encode())

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                url = urlsplit(self.path)
                parts = url.path.rstrip("/").split("/")
                with api.lock:
                    api.calls.append(("GET", url.path))
                    if url.path.startswith("/v1/files/") and parts[-1] == "content":
                        stored = api.files.get(parts[-2])
                        if stored is None:
                            return self._json(404, {"error": {"message": "no such file"}})
                        return self._send(200, stored["data"], content_type="application/octet-stream")
                    if url.path.startswith("/v1/files/"):
                        if parts[-1] not in api.files:
                            return self._json(404, {"error": {"message": "no such file"}})
                        return self._json(200, api.file_object(parts[-1]))
                    if url.path == "/v1/batches":
                        query = parse_qs(url.query)
                        limit = int(query.get("limit", ["20"])[0])
                        newest = sorted(api.batches.values(), key=lambda b: -b["_number"])
                        after = query.get("after", [None])[0]
                        if after:
                            numbers = [b["id"] for b in newest]
                            newest = newest[numbers.index(after) + 1:] if after in numbers else []
                        page = newest[:limit]
                        return self._json(200, {"object": "list",
                                                "data": [api.public(b) for b in page],
                                                "first_id": page[0]["id"] if page else None,
                                                "last_id": page[-1]["id"] if page else None,
                                                "has_more": len(newest) > limit})
                    if url.path.startswith("/v1/batches/"):
                        batch = api.batches.get(parts[-1])
                        if batch is None:
                            return self._json(404, {"error": {"message": "no such batch"}})
                        api.advance(batch)
                        return self._json(200, api.public(batch))
                super().do_GET()

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                url = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                with api.lock:
                    api.calls.append(("POST", url.path))
                    if url.path == "/v1/files":
                        fields = _multipart(self.headers.get("content-type", ""), raw)
                        name, data = fields.get("file", (None, b""))
                        purpose = (fields.get("purpose") or (None, b""))[1].decode()
                        if purpose != "batch":
                            return self._json(400, {"error": {"message": "purpose must be batch"}})
                        return self._json(200, api.add_file(data, purpose=purpose,
                                                            filename=name or "upload.jsonl"))
                    if url.path == "/v1/batches":
                        return self._json(*api.create(json.loads(raw or b"{}")))
                    if url.path.startswith("/v1/batches/") and url.path.endswith("/cancel"):
                        batch = api.batches.get(url.path.split("/")[-2])
                        if batch is None:
                            return self._json(404, {"error": {"message": "no such batch"}})
                        api.cancel(batch)
                        return self._json(200, api.public(batch))
                    if url.path == "/v1/chat/completions":
                        request = json.loads(raw or b"{}")
                        api.chat_requests.append(request)
                        action = api.responder(request, len(api.chat_requests) - 1)
                        action.usage = api.usage
                        if action.kind == "status":
                            return self._send(action.status, json.dumps(action.body).encode())
                        return self._json(200, completion_body(request, action,
                                                               len(api.chat_requests)))
                self._json(404, {"error": {"message": f"no route {url.path}"}})

        self._serve(Handler, port)


def serve_forever(api: FakeBatchAPI, port: int) -> None:  # pragma: no cover - benchmark helper
    """Run a server for ``api`` on ``port`` until killed (a child process of a benchmark)."""
    with FakeBatchServer(api, port=port):
        threading.Event().wait()
