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
tests/batch_copies.py: ``copies_oracle``) as a chat completion, in tool-call form when
the request has ``tools``. Plain rules decide what goes wrong; a rate r picks every 1/r-th case in the
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
  (``invalid_file``, ``token_limit_exceeded`` ...): status ``failed``, no line run;
  ``fail_running``: batches that fail with ``reject_code`` after they started running
  (a gateway's worker lost: ``runner_lost``), no line answered.

Ways another server may legitimately differ from OpenAI's (all off by default):

- ``hold_validating``: a batch stays ``validating`` for that many more reads;
  ``jump``: from ``validating`` straight to ``completed`` in one read;
- ``counts``: ``"null"`` sends ``request_counts: null``, ``"missing"`` leaves it out;
- ``keep_metadata=False``: the batch's metadata is dropped (``null``);
  ``metadata_text``: the batch's metadata is sent as JSON text (a gateway that stores
  it so);
- ``list_batches``: ``"404"`` (``GET /v1/batches`` not implemented) or ``"array"`` (a
  bare JSON array, not a list page);
- ``file_status``: the ``status`` an uploaded file is reported with (``uploaded``);
  ``pending_reads``: an uploaded file is ``pending`` until read that many times
  (``GET /v1/files/{id}``), and a batch of a pending file is refused with a 400 (as
  Azure's Batch API does);
- ``poll_faults``: the reads of a batch (numbered from 1, over all batches) answered
  with a 503 instead;
- ``cut_content``: the downloads of a file's content (numbered from 1) cut off half-way
  (the full length promised, half the bytes sent, the connection closed);
- ``create_faults``: the batch creations (numbered from 1) whose batch is made but
  answered with a 502 (a gateway that lost the upstream's answer);
- ``extra_fields``: unknown fields on every batch, file, result line and completion;
- ``trailing_newline=False``: result files end without a newline;
- ``line_errors="error"``: a failed line is ``"response": null`` with ``"error":
  {"code": "server_error", ...}`` rather than a response with status 500;
- ``redirect_content``: ``GET /v1/files/{id}/content`` answers with a 302 to
  ``/storage/{id}`` (a server that serves its files from a store), which sends the bytes;
- ``no_usage``: answers carry no ``usage``;
- ``status_case="upper"``: statuses in capitals (``VALIDATING`` ... ``COMPLETED``, a
  file's ``PENDING``, ``PROCESSED``);
- ``id_prefix``: batch ids are this prefix, a long base64-like text and ``=`` padding
  (as a gateway's encoded ids are) when it is not ``batch_``.

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

# The articles and answers, imported from here by the tests and benchmarks.
from tests.batch_copies import (COPY_MARK, broken, copies_oracle,  # noqa: F401
                                gold_articles, write_copies)
from tests.fake_openai import JSONHandler, LocalServer, Responder, answer, completion_body

STEPS = ("validating", "in_progress", "finalizing", "completed")
TERMINAL = ("completed", "failed", "expired", "cancelled")
_CUSTOM_ID = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _is_reask(request: dict[str, Any]) -> bool:
    return any(m.get("role") in ("assistant", "tool") for m in request.get("messages", []))


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
    fail_running: Iterable[int] = ()
    max_requests: int = 50_000
    usage: tuple[int, int] = (1000, 200)
    hold_validating: int = 0
    jump: bool = False
    counts: str = "full"
    keep_metadata: bool = True
    metadata_text: bool = False
    list_batches: str = "page"
    file_status: str = "processed"
    pending_reads: int = 0
    poll_faults: Iterable[int] = ()
    create_faults: Iterable[int] = ()
    cut_content: Iterable[int] = ()
    #: Downloads of a file's content so far.
    content_reads: int = 0
    extra_fields: bool = False
    trailing_newline: bool = True
    line_errors: str = "response"
    id_prefix: str = "batch_"
    redirect_content: bool = False
    no_usage: bool = False
    status_case: str = "lower"
    #: Reads of a batch (GET /v1/batches/{id}) so far.
    batch_reads: int = 0
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
                               "created_at": int(time.time()),
                               "pending": self.pending_reads if purpose == "batch" else 0}
        return self.file_object(file_id)

    def file_object(self, file_id: str) -> dict[str, Any]:
        stored = self.files[file_id]
        found = {"id": file_id, "object": "file", "bytes": len(stored["data"]),
                 "created_at": stored["created_at"], "filename": stored["filename"],
                 "purpose": stored["purpose"],
                 "status": "pending" if stored["pending"] else self.file_status}
        if self.status_case == "upper":
            found["status"] = found["status"].upper()
        if self.extra_fields:
            found.update(expires_at=None, status_details=None, x_vendor={"region": "local"})
        return found

    # ---- batches ----

    def create(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        file_id = request.get("input_file_id")
        if file_id not in self.files:
            return 404, {"error": {"message": f"No such File object: {file_id}"}}
        if self.files[file_id]["pending"]:
            return 400, {"error": {"code": "invalid_request_error", "message": (
                f"The input file '{file_id}' is in 'pending' state. Only files with status "
                "'Processed' are accepted for batch inferencing.")}}
        if request.get("endpoint") != "/v1/chat/completions" or request.get("completion_window") != "24h":
            return 400, {"error": {"message": "endpoint must be /v1/chat/completions, window 24h"}}
        number = len(self.batches) + 1
        batch_id = f"batch_{number:06d}"
        if self.id_prefix != "batch_":
            batch_id = f"{self.id_prefix}{'bGl0ZWxsbV9wcm94eTpiYXRjaF8' * 4}{number:06d}=="
        batch = {"id": batch_id, "object": "batch", "endpoint": request["endpoint"],
                 "errors": None, "input_file_id": file_id, "completion_window": "24h",
                 "status": "validating", "output_file_id": None, "error_file_id": None,
                 "created_at": int(time.time()),
                 "metadata": (request.get("metadata") or {}) if self.keep_metadata else None,
                 "request_counts": {"total": 0, "completed": 0, "failed": 0},
                 "_number": number, "_step": 0}
        self.batches[batch_id] = batch
        return 200, self.public(batch)

    def public(self, batch: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in batch.items() if not k.startswith("_")}
        if self.status_case == "upper":
            shown["status"] = shown["status"].upper()
        if self.metadata_text and shown["metadata"] is not None:
            shown["metadata"] = json.dumps(shown["metadata"])
        if self.counts == "null":
            shown["request_counts"] = None
        elif self.counts == "missing":
            shown.pop("request_counts")
        if self.extra_fields:
            shown.update(model="gpt-4o-mini", usage={"input_tokens": 0, "output_tokens": 0},
                         x_vendor={"queue": "default", "priority": 3})
        return shown

    def advance(self, batch: dict[str, Any]) -> None:
        """One step further (validating -> in_progress -> finalizing -> completed)."""
        if batch["status"] in TERMINAL:
            return
        if batch["status"] == "cancelling":
            batch["status"] = "cancelled"
            batch["cancelled_at"] = int(time.time())
            return
        if batch["status"] == "validating" and batch.get("_held", 0) < self.hold_validating:
            batch["_held"] = batch.get("_held", 0) + 1
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
        if batch["status"] == "in_progress" and batch["_number"] in set(self.fail_running):
            batch.update(status="failed", failed_at=int(time.time()), errors={
                "object": "list", "data": [{"code": self.reject_code, "line": None,
                                            "message": "the batch stopped while running"}]})
            return
        batch["_step"] = len(STEPS) - 1 if self.jump else batch["_step"] + 1
        if STEPS[batch["_step"]] != "completed":
            batch[f"{STEPS[batch['_step']]}_at"] = int(time.time())
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
                if self.line_errors == "error":
                    errors.append({"id": f"batch_req_{request_id}", "custom_id": cid,
                                   "response": None, "error": {
                                       "code": "server_error", "message": "The server had an "
                                       "error processing your request."}})
                    continue
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
        if self.extra_fields:
            for line in output + errors:
                line["x_vendor"] = {"latency_ms": 12}
        batch["request_counts"] = {"total": len(lines), "completed": len(output),
                                   "failed": len(errors)}
        if output:
            batch["output_file_id"] = self.add_file(self._file(output), purpose="batch_output",
                                                    filename=f"{batch['id']}_output.jsonl")["id"]
        if errors:
            batch["error_file_id"] = self.add_file(self._file(errors), purpose="batch_output",
                                                   filename=f"{batch['id']}_error.jsonl")["id"]
        batch["status"] = "expired" if expires else "completed"
        batch[f"{batch['status']}_at"] = int(time.time())

    def _file(self, lines: list[dict[str, Any]]) -> bytes:
        data = _jsonl(lines)
        return data if self.trailing_newline else data.rstrip(b"\n")

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
        if self.no_usage:
            body.pop("usage", None)
        if self.extra_fields:
            body.update(system_fingerprint="fp_local", service_tier="batch",
                        x_vendor={"gpu": "none"})
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

            def _cut(self, data: bytes) -> None:
                self.send_response(200)
                self.send_header("content-type", "application/octet-stream")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[:len(data) // 2])
                self.wfile.flush()
                self.close_connection = True

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                url = urlsplit(self.path)
                parts = url.path.rstrip("/").split("/")
                with api.lock:
                    api.calls.append(("GET", url.path))
                    if url.path.startswith("/v1/files/") and parts[-1] == "content":
                        stored = api.files.get(parts[-2])
                        if stored is None:
                            return self._json(404, {"error": {"message": "no such file"}})
                        if api.redirect_content:
                            return self._send(302, b"", headers={
                                "location": f"/storage/{parts[-2]}"})
                        api.content_reads += 1
                        if api.content_reads in set(api.cut_content):
                            return self._cut(stored["data"])
                        return self._send(200, stored["data"], content_type="application/octet-stream")
                    if url.path.startswith("/storage/") and parts[-1] in api.files:
                        return self._send(200, api.files[parts[-1]]["data"],
                                          content_type="application/octet-stream")
                    if url.path.startswith("/v1/files/"):
                        if parts[-1] not in api.files:
                            return self._json(404, {"error": {"message": "no such file"}})
                        found = api.file_object(parts[-1])
                        stored = api.files[parts[-1]]
                        stored["pending"] = max(0, stored["pending"] - 1)
                        return self._json(200, found)
                    if url.path == "/v1/batches" and api.list_batches == "404":
                        return self._json(404, {"error": {"message": "Not Found"}})
                    if url.path == "/v1/batches" and api.list_batches == "array":
                        return self._json(200, [api.public(b) for b in api.batches.values()])
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
                        api.batch_reads += 1
                        if api.batch_reads in set(api.poll_faults):
                            return self._json(503, {"error": {"message": "upstream unavailable"}})
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
                        code, made = api.create(json.loads(raw or b"{}"))
                        if code == 200 and len(api.batches) in set(api.create_faults):
                            return self._json(502, {"error": {"message": "bad gateway"}})
                        return self._json(code, made)
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


def main(argv: list[str] | None = None) -> None:
    """Serve OpenAI's Batch API on 127.0.0.1 until Ctrl-C, for ``summarize batch`` run by
    hand: each article that is a dev-split gold article (or a copy that --copies wrote) is
    answered with its gold labels, any other with a 404 line."""
    import argparse
    import signal

    from tests.conftest import GOLD_DIR

    parser = argparse.ArgumentParser(prog="python -m tests.fake_batch_api", description=main.__doc__)
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--copies", nargs=2, metavar=("N", "FILE"),
                        help="first write N articles (the dev gold articles, then copies) to the JSONL FILE")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of lines failing with a 500")
    parser.add_argument("--break-rate", type=float, default=0.0,
                        help="share of first asks answered in a way that breaks the schema (re-asked)")
    parser.add_argument("--expire", type=int, action="append", default=[],
                        help="a batch (1 = the first created) that expires half done")
    args = parser.parse_args(argv)
    if args.copies:
        count, path = int(args.copies[0]), Path(args.copies[1])
        write_copies(path, GOLD_DIR, count)
        print(f"wrote {count} articles to {path}", flush=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)  # also when started in the background (SIGINT ignored)
    signal.signal(signal.SIGTERM, stop)
    api = FakeBatchAPI(copies_oracle(GOLD_DIR), fail_rate=args.fail_rate, break_rate=args.break_rate,
                       expire=tuple(args.expire))
    try:
        started = FakeBatchServer(api, port=args.port)
    except OSError as exc:  # the port taken (another server of the docs' example still running)
        parser.error(f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}; choose another --port")
    with started as server:
        print(f"Batch API server on {server.base_url} (Ctrl-C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        print(f"batches {len(api.batches)}, lines answered {api.answered_lines}, "
              f"answers broken {api.broken_answers}, lines failed {api.failed_lines}", flush=True)


if __name__ == "__main__":
    main()
