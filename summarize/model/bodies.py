"""Chat completion bodies as JSON, as the openai SDK writes and reads them: the body a
request posts (:func:`request_body`, what a Batch API request line holds too), its
encoding with the parts that never change encoded once (:class:`BodyEncoder`), the form
llama-cpp-python's server wants a JSON schema in, and a chat completion built from a
response body (:func:`completion_from_body`, for the Batch API's result lines).
"""

from __future__ import annotations

import json
from typing import Any

import openai
from openai.types.chat import ChatCompletion


def request_body(kwargs: dict[str, Any]) -> str:
    """The JSON body the openai SDK posts for ``chat.completions.create(**kwargs)``: the
    keyword arguments instructor prepared (messages, model, max_tokens, temperature and
    the schema as tools/tool_choice or response_format), as JSON text encoded once, the
    way the live path encodes it (compact, UTF-8, no NaN)."""
    return _dumps(kwargs).decode("utf-8")


def completion_from_body(body: Any) -> Any:
    """A chat completion built from a response body the way the openai SDK builds it
    (lenient: unknown fields kept, missing ones absent); ``body`` as is when it is not a
    JSON object, so that summarize.model.faults.check_completion names what it is."""
    if not isinstance(body, dict):
        return body
    return ChatCompletion.construct(**body)


def rejects_json_schema_format(exc: openai.APIStatusError, kwargs: dict[str, Any]) -> bool:
    """True when the server refused OpenAI's json_schema response_format (llama-cpp-python)."""
    sent = kwargs.get("response_format")
    message = str(exc.body or exc.message)
    return (isinstance(sent, dict) and sent.get("type") == "json_schema"
            and "response_format" in message and "json_object" in message)


def as_json_object_schema(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with a json_schema response_format rewritten as json_object+schema."""
    sent = kwargs.get("response_format")
    if not (isinstance(sent, dict) and sent.get("type") == "json_schema"):
        return kwargs
    schema = (sent.get("json_schema") or {}).get("schema")
    return {**kwargs, "response_format": {"type": "json_object", "schema": schema}}


class BodyEncoder:
    """Request bodies as JSON bytes, as the SDK would write them (compact, UTF-8), with
    the parts that do not change from one article to the next (the tools or response
    format that carry the schema, the tool choice) encoded once: instructor hands over
    equal copies of them with every request, and the schema is most of the body."""

    #: Keys whose values are the same for every request of a client.
    STEADY = ("tools", "tool_choice", "response_format")

    def __init__(self) -> None:
        self._known: dict[str, tuple[Any, bytes]] = {}

    def encode(self, body: dict[str, Any]) -> bytes:
        """``body`` as JSON bytes."""
        parts = []
        for key, value in body.items():
            known = self._known.get(key) if key in self.STEADY else None
            if known is not None and known[0] == value:
                encoded = known[1]
            else:
                encoded = _dumps(value)
                if key in self.STEADY:
                    self._known[key] = (value, encoded)
            parts.append(_dumps(key) + b":" + encoded)
        return b"{" + b",".join(parts) + b"}"


def _dumps(value: Any) -> bytes:
    """``value`` as the openai SDK serialises a request (compact, UTF-8, no NaN)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")

