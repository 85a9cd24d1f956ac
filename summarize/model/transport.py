"""The HTTP connections under the openai SDK: aiohttp, through the SDK's own adapter.

The SDK speaks httpx2; its default transport (httpcore2) costs more CPU per request than
anything else in a concurrent batch: its connection pool looks at every connection for
every request and response, and it writes the headers and the body of a request in two
system calls. The SDK ships an adapter that runs httpx2 requests over aiohttp instead
(``openai.DefaultAioHttpClient``, "for improved concurrency performance"); this module
uses it as the innermost transport, under summarize.model.ratelimit's limits and guards.

What the adapter does not do the way the rest of this package expects, this module does:

- **errors**: the adapter maps aiohttp's errors to httpx2's coarsely (a connection
  closed by the server becomes a connect *timeout*); here each one becomes the httpx2
  error it is (ConnectError, ConnectTimeout, ReadTimeout, RemoteProtocolError,
  ReadError), so that summarize.model.faults names the reason right;
- **connections**: at most ``connections`` open at once (the adapter's default is 100
  whatever the concurrency), idle ones kept for reuse;
- **credentials in the URL** (``--base-url http://user:pw@host/v1``): sent as the Basic
  authorization httpx2 makes of them, the URL without them (aiohttp refuses both);
- **nothing else**: no decompression (summarize.model.guards decodes the body within
  its size limit), no redirects followed, no environment proxies read.

Without the adapter (an SDK that does not ship it), httpx2's own transport is used.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx2

try:  # the SDK's aiohttp adapter (openai >= 3.3); aiohttp comes with instructor
    import aiohttp
    from openai._vendor.httpx_aiohttp.transport import AiohttpTransport
except ImportError:  # pragma: no cover - an SDK without the adapter
    aiohttp = None  # type: ignore[assignment]
    AiohttpTransport = None  # type: ignore[assignment,misc]


def _httpx_error(exc: BaseException) -> BaseException:
    """The httpx2 error that says what ``exc`` (an aiohttp error, or the adapter's
    coarse mapping of one) is; ``exc`` itself when it is no transport fault."""
    original = exc.__cause__ if isinstance(exc, httpx2.TransportError) and exc.__cause__ else exc
    message = str(original) or type(original).__name__
    if aiohttp is None:  # pragma: no cover
        return exc
    if isinstance(original, aiohttp.ConnectionTimeoutError):
        return httpx2.ConnectTimeout(message)
    if isinstance(original, (aiohttp.ServerTimeoutError, asyncio.TimeoutError)):
        return httpx2.ReadTimeout(message)
    if isinstance(original, aiohttp.ClientConnectorError):
        return httpx2.ConnectError(message)
    if isinstance(original, aiohttp.ServerDisconnectedError):
        return httpx2.RemoteProtocolError(f"the server closed the connection ({message})")
    if isinstance(original, (aiohttp.ClientPayloadError, aiohttp.ClientResponseError)):
        return httpx2.RemoteProtocolError(message)
    if isinstance(original, (aiohttp.ClientOSError, aiohttp.ClientConnectionResetError,
                             ConnectionError)):
        return httpx2.ReadError(message)
    if isinstance(original, (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError)):
        return httpx2.UnsupportedProtocol(message)
    if isinstance(original, aiohttp.ClientError):
        return httpx2.TransportError(message)
    return exc


class _Body(httpx2.AsyncByteStream):
    """A response body of the adapter, with its errors mapped as :func:`_httpx_error`."""

    def __init__(self, inner: httpx2.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except Exception as exc:  # noqa: BLE001 - re-raised as the httpx2 error it is
            mapped = _httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        except Exception as exc:  # noqa: BLE001
            mapped = _httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc


if AiohttpTransport is not None:

    class _AiohttpTransport(AiohttpTransport):  # type: ignore[misc,valid-type]
        """The SDK's aiohttp adapter with the errors mapped as :func:`_httpx_error`."""

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if request.url.userinfo:
                # Credentials in the base URL: the client has already made them the
                # request's Basic authorization (as httpx2 does); aiohttp refuses a URL
                # that still carries them beside that header.
                request.url = request.url.copy_with(userinfo=b"")
            try:
                response = await super().handle_async_request(request)
            except Exception as exc:  # noqa: BLE001 - re-raised as the httpx2 error it is
                mapped = _httpx_error(exc)
                if mapped is exc:
                    raise
                raise mapped from exc
            response.stream = _Body(response.stream)  # type: ignore[arg-type]
            return response


def connection_transport(*, connections: int | None) -> httpx2.AsyncBaseTransport:
    """The innermost transport: aiohttp (see the module docstring) keeping at most
    ``connections`` connections open (None: no bound), else httpx2's own."""
    keep = max(connections, 1) if connections else 20
    if AiohttpTransport is None:  # pragma: no cover
        return httpx2.AsyncHTTPTransport(
            limits=httpx2.Limits(max_connections=None, max_keepalive_connections=keep))
    # aiohttp's limit 0 means no bound; the transport above bounds the requests in flight.
    limits = httpx2.Limits(max_connections=max(connections, 1) if connections else 0,
                           max_keepalive_connections=keep)
    return _AiohttpTransport(limits=limits, trust_env=False)
