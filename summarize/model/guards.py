"""What every exchange with a model endpoint is held to, before anything reads the answer.

:class:`ExchangeGuard` is applied by the HTTP transport (summarize.model.ratelimit) to each
request:

- **deadline**: from the moment the request leaves (after its waits for a free slot and
  for the rate limits) to the last byte of its body, at most the request's timeout (the
  read timeout the openai SDK sets from ``--timeout``). httpx's own timeouts bound each
  read only, so a body trickling in a byte at a time would otherwise never end;
- **size**: a body above :data:`MAX_RESPONSE_BYTES` once decoded, or announced as such by
  its content-length, is cut off with :class:`ResponseTooLargeError`;
- **encoding**: gzip and deflate are decoded here, within the size limit (a small gzip
  body that expands to gigabytes stops at the limit);
- **secrets**: the key the request carries (bearer token, ``api-key`` header, key in the
  query string) is replaced by ``[redacted]`` wherever the endpoint echoes it, in headers
  and body, so that it cannot reach a record, an exception or a log line. httpcore2 logs
  raw response headers at DEBUG before this code sees them; a filter on its loggers
  blanks the same secrets there.

Errors are httpx2 errors (ReadTimeout, DecodingError, a TransportError subclass), which
the openai SDK turns into APITimeoutError and APIConnectionError like any other.
"""

from __future__ import annotations

import asyncio
import logging
import re
import zlib
from collections.abc import AsyncIterator, Callable

import httpx2

#: Largest response body read (decoded): an answer of 4,096 tokens is about 20 KB, one of
#: 100,000 tokens under 1 MB; a body beyond this is a broken or hostile endpoint.
MAX_RESPONSE_BYTES = 16 * 2**20
#: What a secret echoed by the endpoint is replaced with.
REDACTED = b"[redacted]"
#: Request headers whose values are secrets.
_SECRET_HEADERS = ("authorization", "api-key", "x-api-key")
#: Query parameters that carry keys on some endpoints (Azure, Gemini-compatible ...),
#: lowercase (a parameter's name is compared in any case).
_SECRET_PARAMS = ("api-key", "api_key", "apikey", "key", "access_token", "token")
#: Secrets sent by this process's requests, for the log filter.
_SENT_SECRETS: set[str] = set()


class ResponseTooLargeError(httpx2.TransportError):
    """A response body (decoded) longer than the limit."""


def request_secrets(request: httpx2.Request) -> list[bytes]:
    """The secrets ``request`` carries (its key in a header or in the query string),
    longest first; values under 8 characters are not taken for secrets."""
    found = set()
    headers = request.headers
    for name in _SECRET_HEADERS:
        value = headers.get(name, "")
        scheme, _, token = value.partition(" ")
        found.add(token if token and scheme.lower() in ("bearer", "basic", "token") else value)
    if request.url.query:  # parsed once, and only when there is one
        # Names in any case: "apiKey" and "API-KEY" carry a key as "apikey" does.
        found.update(value for name, value in request.url.params.multi_items()
                     if name.lower() in _SECRET_PARAMS)
    return sorted((s.strip().encode() for s in found if len(s.strip()) >= 8), key=len,
                  reverse=True)


#: Key-shaped text an endpoint may echo even when it is not the key we sent: OpenAI's
#: 401 message shows a masked form ("sk-proj-ab****wxyz"); a proxy may show another key.
_KEY_LIKE = re.compile(rb"\bsk-[A-Za-z0-9_*.\-]{6,}")
_KEY_LIKE_TEXT = re.compile(_KEY_LIKE.pattern.decode())


def _redact(data: bytes, secrets: list[bytes]) -> bytes:
    for secret in secrets:
        data = data.replace(secret, REDACTED)
    return _KEY_LIKE.sub(REDACTED, data)


def remember_secret(value: str | None) -> None:
    """Treat ``value`` (a key from the settings or the environment) as a secret that
    :func:`redact_text` blanks, before any request has carried it."""
    if value and len(value.strip()) >= 8:
        _SENT_SECRETS.add(value.strip())


#: The credentials (``user:password@``) and the query string of a URL in a log line.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")
_URL_QUERY = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s?#\"'<>]*)\?[^\s#\"'<>]*")


def redact_text(text: str) -> str:
    """``text`` with every secret this process has sent (or been told of), every
    key-shaped string, and the credentials and query string of every URL replaced by
    ``[redacted]``."""
    shown = REDACTED.decode()
    for secret in sorted(_SENT_SECRETS, key=len, reverse=True):
        text = text.replace(secret, shown)
    text = _URL_USERINFO.sub(rf"\1{shown}@", text)
    text = _URL_QUERY.sub(rf"\1?{shown}", text)
    return _KEY_LIKE_TEXT.sub(shown, text)


class RedactingFilter(logging.Filter):
    """Blanks secrets (see :func:`redact_text`) out of a log record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


for _name in ("httpcore2.http11", "httpcore2.http2", "httpcore2.connection", "httpcore2.proxy",
              "httpcore2.socks"):
    logging.getLogger(_name).addFilter(RedactingFilter())


class _Decoder:
    """Decodes a gzip or deflate body (or passes an identity one through), counting the
    decoded bytes against ``limit``."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        self.limit = limit
        self.size = 0
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            # 32 + MAX_WBITS: a gzip or zlib header, detected.
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)
        else:
            raise httpx2.DecodingError(f"unsupported content-encoding {encoding!r} "
                                       "(gzip and deflate were asked for)")
        self.encoding = encoding or "identity"

    def decode(self, chunk: bytes) -> bytes:
        """The decoded bytes of ``chunk``."""
        if self._zlib is None:
            return self._count(chunk)
        try:
            data = self._zlib.decompress(chunk, self.limit - self.size + 1)
        except zlib.error as exc:
            raise httpx2.DecodingError(f"the body is not valid {self.encoding} although "
                                       f"content-encoding says so ({exc})") from None
        return self._count(data)

    def flush(self) -> bytes:
        """What the decoder still holds at the end of the body."""
        return b"" if self._zlib is None else self._count(self._zlib.flush())

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise ResponseTooLargeError(f"the response body is larger than "
                                        f"{self.limit // 2**20} MiB")
        return data


class _GuardedStream(httpx2.AsyncByteStream):
    """A response body read whole under a deadline, decoded and redacted; ``settle`` gets
    the body (empty if it was not read in full) when the stream closes."""

    def __init__(self, inner: httpx2.AsyncByteStream, *, deadline: float | None,
                 decoder: _Decoder, secrets: list[bytes], settle: Callable[[bytes], None]) -> None:
        self._inner = inner
        self._deadline = deadline
        self._decoder = decoder
        self._secrets = secrets
        self._settle = settle
        self._body = b""
        self._settled = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = aiter(self._inner)
        body = bytearray()
        while True:
            try:
                async with asyncio.timeout_at(self._deadline):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise httpx2.ReadTimeout("the response body did not arrive in time") from None
            body += self._decoder.decode(chunk)
        body += self._decoder.flush()
        self._body = _redact(bytes(body), self._secrets)
        yield self._body

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            if not self._settled:
                self._settled = True
                self._settle(self._body)
                # Let a request that waits for the freed slot go out now, before this
                # answer's parsing and checks, which need no slot.
                await asyncio.sleep(0)


class ExchangeGuard:
    """The guards of one request: :meth:`send` it, then :meth:`wrap` its response."""

    def __init__(self, request: httpx2.Request, *, max_body: int = MAX_RESPONSE_BYTES) -> None:
        self.request = request
        self.max_body = max_body
        self.secrets = request_secrets(request)
        self.deadline: float | None = None
        _SENT_SECRETS.update(secret.decode() for secret in self.secrets)
        # Only encodings this guard decodes itself (within the size limit).
        request.headers["accept-encoding"] = "gzip, deflate"

    async def send(self, inner: httpx2.AsyncBaseTransport) -> httpx2.Response:
        """Send the request through ``inner``; the deadline starts now."""
        timeout = (self.request.extensions.get("timeout") or {}).get("read")
        if timeout:
            self.deadline = asyncio.get_running_loop().time() + timeout
        try:
            async with asyncio.timeout_at(self.deadline):
                return await inner.handle_async_request(self.request)
        except TimeoutError:
            raise httpx2.ReadTimeout("no response in time", request=self.request) from None

    async def wrap(self, response: httpx2.Response, settle: Callable[[bytes], None]) -> None:
        """Put the guards on ``response``'s unread body; ``settle(body)`` runs when it
        closes. Raises ResponseTooLargeError or DecodingError (and closes the body) when
        its headers already rule it out."""
        stream = response.stream
        assert isinstance(stream, httpx2.AsyncByteStream)
        try:
            declared = _declared_length(response)
            if declared is not None and declared > self.max_body:
                raise ResponseTooLargeError(
                    f"the response announces {declared:,} bytes, more than the "
                    f"{self.max_body // 2**20} MiB limit", request=self.request)
            decoder = _Decoder(response.headers.get("content-encoding", ""), self.max_body)
        except BaseException:
            await stream.aclose()
            settle(b"")
            raise
        # The body is decoded and may shrink when redacted: its old length is wrong.
        for name in ("content-encoding", "content-length"):
            response.headers.pop(name, None)
        for name, value in list(response.headers.multi_items()):
            raw = value.encode("latin-1", "replace")
            if _redact(raw, self.secrets) != raw:
                response.headers[name] = _redact(raw, self.secrets).decode("latin-1")
        response.stream = _GuardedStream(stream, deadline=self.deadline, decoder=decoder,
                                         secrets=self.secrets, settle=settle)


def _declared_length(response: httpx2.Response) -> int | None:
    try:
        return int(response.headers.get("content-length", ""))
    except ValueError:
        return None
