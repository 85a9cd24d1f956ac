"""OpenAI's Batch API through the openai SDK: files and batches.

The Batch API runs a JSONL file of requests within a completion window (24 h) at half
the live price, under a separate and much larger rate limit; vLLM runs the same files
offline (``vllm run-batch``). The lines of those files are summarize.model.batch_lines'.

:class:`BatchClient` uploads files (``purpose="batch"``), creates, retrieves, lists and
cancels batches, and downloads output and error files to disk in a stream, each call
retried on transport faults (tenacity, as the live path's requests are);
:class:`BatchInfo` is what the endpoint says about one batch, read liberally.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import openai
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from summarize.errors import ConfigError, ModelError
from summarize.settings import public_url
from summarize.model.batch_lines import ENDPOINT, TRANSIENT_CODES
from summarize.model.faults import Backoff, describe, is_transient, is_unreachable
from summarize.model.guards import redact_text, remember_secret

logger = logging.getLogger(__name__)

#: OpenAI's API, the endpoint of a job made with no base URL (named, never left to the SDK,
#: which would read OPENAI_BASE_URL from the environment of each later command).
OPENAI_URL = "https://api.openai.com/v1"
#: The only completion window there is.
COMPLETION_WINDOW = "24h"
#: Batch statuses after which nothing more will happen to a batch.
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})

#: Statuses of an uploaded file that the endpoint is still processing (Azure's Batch API
#: refuses a batch of a ``pending`` file), and how many times it is read again at most.
PROCESSING = frozenset({"pending", "running", "processing"})
FILE_READS = 10

T = TypeVar("T")


@dataclass(frozen=True)
class BatchInfo:
    """What the Batch API says about one batch."""

    id: str
    status: str
    input_file_id: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: str | None = None
    metadata: dict[str, str] | None = None
    #: True for a batch that failed for a reason that would fail the same file again
    #: (it failed validation: invalid_file, token_limit_exceeded ...): any error code
    #: but a transient one, before the batch started running. A failed batch that names
    #: no error, or that failed once running, may be sent again.
    final: bool = False

    @classmethod
    def of(cls, batch: Any) -> BatchInfo:
        """From the SDK's Batch object, read liberally: a status in capitals is that
        status, counts sent as text are numbers, ``errors`` may be a list page, a bare
        list or a text, and a field left out is empty."""
        counts = getattr(batch, "request_counts", None)
        raw = getattr(batch, "errors", None)
        errors = raw if isinstance(raw, list) else _field(raw, "data") or []
        described = ("; ".join(_described(e) for e in errors[:3])
                     or (raw.strip() if isinstance(raw, str) else "") or None)
        codes = {str(code) for code in (_field(e, "code") for e in errors) if code}
        status = str(batch.status).lower()
        # A batch that failed once it had started running (a gateway's worker lost) did
        # not fail for its file: only one that failed before may not be sent again.
        started = getattr(batch, "in_progress_at", None) is not None
        metadata = getattr(batch, "metadata", None)
        return cls(id=batch.id, status=status,
                   input_file_id=getattr(batch, "input_file_id", None),
                   output_file_id=getattr(batch, "output_file_id", None) or None,
                   error_file_id=getattr(batch, "error_file_id", None) or None,
                   total=_count(_field(counts, "total")),
                   completed=_count(_field(counts, "completed")),
                   failed=_count(_field(counts, "failed")), errors=described,
                   metadata={str(k): str(v) for k, v in metadata.items()}
                   if isinstance(metadata, dict) else {},
                   final=status == "failed" and bool(codes) and not codes & TRANSIENT_CODES
                   and not started)


def _field(value: Any, name: str) -> Any:
    """Field ``name`` of an SDK object, or of a dict the SDK left unparsed; None."""
    return value.get(name) if isinstance(value, dict) else getattr(value, name, None)


def _count(value: Any) -> int:
    """A request count: a number, or a number sent as text; 0 for anything else."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _described(error: Any) -> str:
    """``code: message`` of one of a batch's errors, with the input file's line when
    it names one."""
    line = _field(error, "line")
    return (f"{_field(error, 'code') or ''}: {_field(error, 'message') or ''}"
            + (f" (line {line})" if line is not None else ""))


class BatchClient:
    """The Batch API of an OpenAI-compatible endpoint (``base_url``; None: OpenAI's).

    Every call is retried on transport faults (429, 5xx, connection errors, timeouts)
    with exponential backoff; another failure raises ModelError naming it, with the key
    blanked out. Close with :meth:`aclose`."""

    def __init__(self, *, api_key: str | None, base_url: str | None, timeout: float = 600.0,
                 max_retries: int = 4, backoff_initial: float = 1.0, backoff_max: float = 30.0,
                 max_retry_after: float = 60.0) -> None:
        from summarize.model.client import NO_KEY

        remember_secret(api_key)  # blanked by redact_text in every message below
        self._file_wait = (backoff_initial, backoff_max)
        self._openai = openai.AsyncOpenAI(api_key=api_key or NO_KEY, base_url=base_url,
                                          timeout=timeout, max_retries=0)
        self._retries = max_retries
        self._wait = Backoff(initial=backoff_initial, cap=backoff_max,
                             max_retry_after=max_retry_after)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._openai.close()

    async def _call(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        retrying = AsyncRetrying(stop=stop_after_attempt(self._retries + 1), wait=self._wait,
                                 retry=retry_if_exception(is_transient), reraise=True)
        try:
            async for attempt in retrying:
                with attempt:
                    return await call()
        except openai.OpenAIError as exc:
            reason, message = describe(exc)
            raise ModelError(redact_text(f"Batch API: {what} failed: {message}"),
                             reason=reason, cause=exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def upload(self, path: Path) -> str:
        """Upload the request file at ``path`` (purpose ``batch``); its file id, once
        the endpoint has processed it (:meth:`_processed`)."""
        async def call() -> Any:
            with open(path, "rb") as handle:
                return await self._openai.files.create(
                    file=(path.name, handle, "application/jsonl"), purpose="batch")

        uploaded = await self._call(f"uploading {path.name}", call)
        await self._processed(uploaded)
        return uploaded.id

    async def _processed(self, uploaded: Any) -> None:
        """Wait while the endpoint says the uploaded file is still being processed
        (:data:`PROCESSING`), reading it again after growing waits, at most
        :data:`FILE_READS` times (then the batch is created all the same, and the
        endpoint says if the file is not ready). ModelError when the file's status is
        ``error``. Any other status (``processed``, OpenAI's ``uploaded``, none) is ready;
        a status in capitals is that status."""
        found = uploaded
        initial, cap = self._file_wait
        for attempt in range(FILE_READS + 1):
            status = str(getattr(found, "status", None) or "").lower()
            if status == "error":
                details = getattr(found, "status_details", None) or "no details"
                raise ModelError(redact_text(f"Batch API: the endpoint could not process "
                                             f"{uploaded.id}: {details}"), reason="invalid_file")
            if status not in PROCESSING:
                return
            if attempt == FILE_READS:
                logger.warning("the endpoint still says %s is %s after %d reads; creating its "
                               "batch all the same", uploaded.id, status, FILE_READS)
                return
            if attempt == 0:
                logger.info("the endpoint says %s is %s: waiting until it is processed",
                            uploaded.id, status)
            await asyncio.sleep(min(cap, initial * 2 ** attempt))
            found = await self._call(f"reading file {uploaded.id}",
                                     lambda: self._openai.files.retrieve(uploaded.id))

    async def create(self, input_file_id: str, *, metadata: dict[str, str]) -> BatchInfo:
        """Create a batch of the uploaded file (``/v1/chat/completions``, ``24h``). A
        create that failed once the request was sent (a timeout, a gateway's 5xx) may
        have made the batch all the same: before it is sent again the batch is looked for
        (:meth:`find`), so that no batch is made (and billed) twice; only an endpoint
        that cannot list its batches gets the create sent again blind."""
        sent = False

        async def call() -> BatchInfo:
            nonlocal sent
            if sent:
                found = await self.find_or_none(metadata, input_file_id=input_file_id)
                if found is not None:
                    return found
            try:
                return BatchInfo.of(await self._openai.batches.create(
                    input_file_id=input_file_id, endpoint=ENDPOINT,
                    completion_window=COMPLETION_WINDOW, metadata=metadata))
            except openai.OpenAIError as exc:
                sent = sent or not is_unreachable(exc)
                raise

        return await self._call(f"creating the batch of {input_file_id}", call)

    async def find_or_none(self, metadata: dict[str, str], *,
                           input_file_id: str | None) -> BatchInfo | None:
        """:meth:`find`, None (and a warning) also when the endpoint cannot list its
        batches: what is done before a create that may have happened already."""
        try:
            return await self.find(metadata, input_file_id=input_file_id)
        except ModelError as exc:
            logger.warning("cannot look for the batch of %s (%s); creating it",
                           input_file_id, exc)
            return None

    async def retrieve(self, batch_id: str) -> BatchInfo:
        """The batch's current status, counts and files."""
        return BatchInfo.of(await self._call(f"reading batch {batch_id}",
                                             lambda: self._openai.batches.retrieve(batch_id)))

    async def cancel(self, batch_id: str) -> BatchInfo:
        """Ask the endpoint to cancel the batch (it then moves to cancelling, cancelled)."""
        return BatchInfo.of(await self._call(f"cancelling batch {batch_id}",
                                             lambda: self._openai.batches.cancel(batch_id)))

    async def find(self, metadata: dict[str, str], *, input_file_id: str | None = None,
                   limit: int = 1000) -> BatchInfo | None:
        """The most recent batch whose metadata holds ``metadata``, or (on an endpoint
        that drops metadata) that was made of the file ``input_file_id``, among the
        ``limit`` most recent; None when there is none: how a batch created just before
        a crash is found again. ModelError when the endpoint cannot list its batches
        (no such route, or an answer that is not a list page)."""
        async def scan() -> BatchInfo | None:
            seen = 0
            async for batch in _pages(await self._openai.batches.list(limit=100)):
                seen += 1
                info = BatchInfo.of(batch)  # read liberally: metadata that is no mapping is {}
                held = info.metadata or {}
                if all(held.get(k) == v for k, v in metadata.items()) or (
                        input_file_id and info.input_file_id == input_file_id):
                    return info
                if seen >= limit:
                    break
            return None

        try:
            return await self._call("listing batches", scan)
        except (AttributeError, TypeError, ValueError) as exc:  # not a list page at all
            raise ModelError(f"Batch API: listing batches failed: the answer is not a list "
                             f"of batches ({type(exc).__name__})", reason="bad_response",
                             cause=exc) from exc

    async def download(self, file_id: str, destination: Path) -> int:
        """Stream the content of file ``file_id`` into ``destination`` (written whole or
        not at all: a temporary file renamed at the end); the bytes written. A body cut
        off half-way is a connection fault, retried as the others are."""
        part = destination.with_name(destination.name + ".part")

        async def call() -> int:
            size = 0
            async with self._openai.files.with_streaming_response.content(file_id) as response:
                with open(part, "wb") as out:
                    try:
                        async for chunk in response.iter_bytes():
                            out.write(chunk)
                            size += len(chunk)
                    except httpx2.TransportError as exc:  # the SDK leaves a body's faults raw
                        raise openai.APIConnectionError(
                            message=f"the download broke off after {size:,} bytes",
                            request=response.http_request) from exc
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(part, destination)
            return size

        try:
            return await self._call(f"downloading file {file_id}", call)
        finally:
            part.unlink(missing_ok=True)


class BatchClients:
    """The Batch API clients of one command: the endpoint ``base_url`` names (None:
    OpenAI's), where new files and batches go, and every other endpoint a batch was
    created on earlier (a batch is read, and its files downloaded, where it lives,
    whatever endpoint a later command names). Each is made when first needed, with the
    same key and options. Close with :meth:`aclose`."""

    def __init__(self, *, base_url: str | None, api_key: str | None, **options: Any) -> None:
        self._base_url = base_url or OPENAI_URL
        self._api_key = api_key
        self._options = options
        self._clients: dict[str, BatchClient] = {}

    @property
    def url(self) -> str:
        """Where new files and batches go, without credentials (what a part records)."""
        return public_url(self._base_url) or OPENAI_URL

    def current(self) -> BatchClient:
        """The client of the endpoint new files and batches go to."""
        return self._client(self._base_url)

    def at(self, url: str | None) -> BatchClient:
        """The client of the endpoint at ``url`` (a part's, without credentials; None:
        a part made before parts kept theirs, read at the current endpoint). The
        current endpoint's client when ``url`` is its URL, credentials and all."""
        if url is None or url == self.url:
            return self.current()
        return self._client(url)

    def _client(self, url: str) -> BatchClient:
        if url not in self._clients:
            self._clients[url] = BatchClient(api_key=self._api_key, base_url=url, **self._options)
        return self._clients[url]

    async def aclose(self) -> None:
        """Close every client made."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


async def _pages(page: Any) -> AsyncIterator[Any]:
    """Every item of an SDK list page and the pages after it."""
    async for item in page:
        yield item


def batch_unknown(exc: ModelError) -> bool:
    """True when a Batch API call failed because the endpoint answered 404: it does not
    know the batch (gone, or created under another key or project)."""
    return isinstance(exc.cause, openai.APIStatusError) and exc.cause.status_code == 404


def check_endpoint(base_url: str | None, api_key: str | None) -> None:
    """ConfigError when no Batch API endpoint can be called (no key and no base URL)."""
    if not (api_key or base_url):
        raise ConfigError("the Batch API needs OPENAI_API_KEY or a base URL "
                          "(--base-url or OPENAI_BASE_URL)")
