"""The response models instructor is given for an ArticleSummary, made once: the schema as
pydantic writes it, and its strict form for OpenAI's strict structured outputs
(``Settings.strict_outputs``), with the request marked ``strict: true`` where OpenAI
takes the flag. A validated answer comes back as a plain ArticleSummary
(:func:`plain_summary`).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import instructor
import openai
from pydantic import BaseModel

from summarize.schema import ArticleSummary
from summarize.settings import Settings

#: ArticleSummary as instructor wraps it, made once: given the plain model, instructor
#: builds a new class and its JSON schema on every call (about 10 ms of CPU each, which
#: caps a concurrent batch); its schema cache then hits.
RESPONSE_MODEL = instructor.response_schema(ArticleSummary)


def strict_json_schema() -> dict[str, Any]:
    """ArticleSummary's JSON schema in the subset OpenAI's strict structured outputs
    accept, made by the openai SDK's own transformation (``pydantic_function_tool``, which
    applies ``to_strict_json_schema``): ``additionalProperties: false`` on every object,
    every property required (an optional one as a union with null), no ``default``, and
    a ``$ref`` with sibling keywords inlined."""
    return openai.pydantic_function_tool(ArticleSummary)["function"]["parameters"]


def _strict_response_model() -> type[BaseModel]:
    """ArticleSummary (as instructor wraps it) whose JSON schema is the strict one, so that
    instructor puts that schema in the request in every mode (the tool's parameters, the
    json_schema response format, the md_json instructions). It validates as ArticleSummary."""
    schema = strict_json_schema()

    def model_json_schema(cls: type, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return copy.deepcopy(schema)

    return type(ArticleSummary.__name__, (RESPONSE_MODEL,), {
        "__doc__": ArticleSummary.__doc__, "__module__": __name__,
        "model_json_schema": classmethod(model_json_schema)})


#: The response model of a request with strict structured outputs (see Settings.strict).
STRICT_RESPONSE_MODEL = _strict_response_model()


def response_model_for(settings: Settings) -> type[BaseModel]:
    """The response model instructor builds the request from: the strict form of the
    schema when ``settings.strict_outputs``, else the schema as pydantic writes it."""
    return STRICT_RESPONSE_MODEL if settings.strict_outputs else RESPONSE_MODEL


def marked_strict(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request instructor built, with its schema marked ``strict: true`` where OpenAI
    takes the flag: each tool's function (tools mode) and the json_schema response format
    (json_schema mode). md_json sends the schema as text, which nothing enforces."""
    marked = dict(kwargs)
    if marked.get("tools"):
        marked["tools"] = [{**tool, "function": {**tool["function"], "strict": True}}
                           if isinstance(tool, dict) and isinstance(tool.get("function"), dict)
                           else tool for tool in marked["tools"]]
    sent = marked.get("response_format")
    if isinstance(sent, dict) and sent.get("type") == "json_schema":
        marked["response_format"] = {**sent, "json_schema": {**sent["json_schema"], "strict": True}}
    return marked


def _check_async_validators_once(*models: type) -> None:
    """instructor 1.17 rejects response models with async validators (it cannot run
    them) by walking every class of the model, and does so six times per request: about
    40% of this client's CPU per article, which caps a concurrent batch. The answer
    depends only on the class, so for our response models it is checked once, here, and
    the walk is skipped afterwards. Every other model still gets instructor's check."""
    from instructor.v2.core import patch as instructor_patch
    from instructor.v2.validation import async_validators

    original = async_validators.reject_async_validators
    for model in models:
        original(model)  # raises if our own model ever gains an async validator
    if getattr(original, "__wrapped__", None) is not None:
        return  # already installed (module reloaded)

    @functools.wraps(original)
    def reject_async_validators(response_model: Any) -> None:
        if not any(response_model is model for model in models):
            original(response_model)

    async_validators.reject_async_validators = reject_async_validators
    if getattr(instructor_patch, "reject_async_validators", None) is original:
        instructor_patch.reject_async_validators = reject_async_validators


_check_async_validators_once(RESPONSE_MODEL, STRICT_RESPONSE_MODEL)


def plain_summary(summary: ArticleSummary) -> ArticleSummary:
    """The validated answer as a plain ArticleSummary (not RESPONSE_MODEL's subclass),
    so that it compares equal to the same summary read back from a record."""
    fields = {name: getattr(summary, name) for name in ArticleSummary.model_fields}
    return ArticleSummary.model_construct(_fields_set=summary.model_fields_set, **fields)
