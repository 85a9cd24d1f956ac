"""OpenAI's strict structured outputs: the request a strict run sends, in every mode,
checked against the subset of JSON Schema that strict mode accepts; strict on by default
on OpenAI's own endpoint only; the non-strict request unchanged (the recorded endpoints
in tests/cassettes still replay, see test_seed_articles.py and test_smollm2.py).

The subset, as OpenAI's Structured Outputs guide documents it ("Supported schemas"):
the root is an object, not ``anyOf``; every object has ``additionalProperties: false``;
every property is required (an optional field is a union with null); types are string,
number, boolean, integer, object, array, enum and ``anyOf``; besides ``description`` and
``title`` the only keywords are ``pattern`` and ``format`` (strings), ``minimum``,
``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum`` and ``multipleOf`` (numbers),
``minItems`` and ``maxItems`` (arrays), ``$defs`` and ``$ref`` (a ``$ref`` stands alone,
without sibling keywords); at most 10 levels of nesting, 5,000 properties and 1,000 enum
values in all. Anything else (``default``, ``allOf``, ``oneOf``, ``not``, ``if``,
``minLength``, ``uniqueItems``, ``patternProperties`` ...) is rejected.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from summarize import ArticleSummary, Settings, summarize_article
from summarize.model.client import ModelClient
from summarize.model.response_models import strict_json_schema
from tests.fault_server import FaultServer
from tests.test_client import ARTICLE

_TYPES = {"string", "number", "boolean", "integer", "object", "array", "null"}
_KEYWORDS = {"type", "properties", "required", "additionalProperties", "items", "enum",
             "const", "anyOf", "$ref", "$defs", "description", "title", "pattern", "format",
             "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
             "minItems", "maxItems"}
MAX_DEPTH, MAX_PROPERTIES, MAX_ENUM_VALUES = 10, 5000, 1000


def strict_problems(root: dict[str, Any]) -> list[str]:
    """Every way ``root`` falls outside OpenAI's strict subset, as ``where: what``."""
    found: list[str] = []
    counts = {"properties": 0, "enum": 0}
    if root.get("type") != "object" or "anyOf" in root:
        found.append("root: must be an object, not anyOf")

    def check(node: Any, where: str, depth: int) -> None:
        if not isinstance(node, dict):
            found.append(f"{where}: not a schema object")
            return
        if depth > MAX_DEPTH:
            found.append(f"{where}: nested more than {MAX_DEPTH} levels")
        for key in sorted(set(node) - _KEYWORDS):
            found.append(f"{where}: unsupported keyword {key!r}")
        if "$ref" in node:
            if len(node) > 1:
                found.append(f"{where}: $ref with sibling keywords {sorted(set(node) - {'$ref'})}")
            ref = node["$ref"]
            if ref != "#" and not (ref.startswith("#/$defs/") and ref[8:] in root.get("$defs", {})):
                found.append(f"{where}: $ref {ref!r} does not point into $defs")
        types = node.get("type")
        for name in types if isinstance(types, list) else [types] if types else []:
            if name not in _TYPES:
                found.append(f"{where}: unsupported type {name!r}")
        if types == "object" or "properties" in node:
            properties = node.get("properties", {})
            counts["properties"] += len(properties)
            if node.get("additionalProperties") is not False:
                found.append(f"{where}: additionalProperties is not false")
            missing = sorted(set(properties) - set(node.get("required", [])))
            if missing:
                found.append(f"{where}: properties not required: {missing}")
            for name, child in properties.items():
                check(child, f"{where}.{name}", depth + 1)
        if "items" in node:
            check(node["items"], f"{where}[]", depth + 1)
        for number, variant in enumerate(node.get("anyOf", [])):
            check(variant, f"{where}|{number}", depth)
        counts["enum"] += len(node.get("enum", []))

    check(root, "root", 1)
    for name, definition in root.get("$defs", {}).items():
        check(definition, f"$defs.{name}", 1)
    if counts["properties"] > MAX_PROPERTIES:
        found.append(f"{counts['properties']} properties in all (at most {MAX_PROPERTIES})")
    if counts["enum"] > MAX_ENUM_VALUES:
        found.append(f"{counts['enum']} enum values in all (at most {MAX_ENUM_VALUES})")
    return found


def test_the_check_rejects_the_schema_as_pydantic_writes_it():
    """The check can fail: the plain schema breaks each rule the issue found."""
    problems = strict_problems(ArticleSummary.model_json_schema())
    text = "\n".join(problems)
    assert sum("additionalProperties is not false" in p for p in problems) == 5, text
    assert "unsupported keyword 'default'" in text
    assert "properties not required" in text
    assert "$ref with sibling keywords ['description']" in text
    assert strict_problems({"anyOf": [{"type": "object"}]})[0].startswith("root:")


def sent_schema(body: dict[str, Any], mode: str) -> tuple[dict[str, Any], bool | None]:
    """The schema a request carries and its strict flag (None: md_json has none)."""
    if mode == "tools":
        function = body["tools"][0]["function"]
        return function["parameters"], function.get("strict")
    if mode == "json_schema":
        form = body["response_format"]["json_schema"]
        return form["schema"], form.get("strict")
    text = body["messages"][0]["content"]
    start = text.index("json_schema:") + len("json_schema:")
    end = text.index("Make sure to return an instance")
    return json.loads(text[start:end]), None


def comparable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without its root title and description (tools mode moves them to the
    function), its required list in order (instructor sorts it)."""
    kept = {k: v for k, v in schema.items() if k not in ("title", "description")}
    return {**kept, "required": sorted(kept["required"])}


@pytest.mark.parametrize("mode", ["tools", "json_schema", "md_json"])
def test_a_strict_run_sends_a_schema_in_the_strict_subset(mode):
    with FaultServer() as server:
        record = summarize_article(ARTICLE, backend="openai", base_url=server.base_url, mode=mode,
                                   strict=True, max_retries=0)
        [body] = server.received
    assert record.status == "ok", record.error
    assert record.provenance.strict is True and record.provenance.schema_version == "2"
    schema, flag = sent_schema(body, mode)
    assert strict_problems(schema) == []
    assert flag is (None if mode == "md_json" else True)
    assert comparable(schema) == comparable(strict_json_schema()), "the same schema in every mode"


@pytest.mark.parametrize("mode", ["tools", "json_schema", "md_json"])
def test_a_non_strict_run_sends_the_schema_as_before(mode):
    with FaultServer() as server:
        record = summarize_article(ARTICLE, backend="openai", base_url=server.base_url, mode=mode,
                                   max_retries=0)
        [body] = server.received
    assert record.status == "ok" and record.provenance.strict is False
    schema, flag = sent_schema(body, mode)
    assert flag is None
    assert schema["$defs"] == ArticleSummary.model_json_schema()["$defs"]


@pytest.mark.parametrize("base_url, strict, expected", [
    (None, None, True), ("https://api.openai.com/v1", None, True),
    ("http://127.0.0.1:8080/v1", None, False), ("https://example.openai.azure.com/v1", None, False),
    ("http://127.0.0.1:8080/v1", True, True), ("https://api.openai.com/v1", False, False),
])
def test_strict_is_on_by_default_only_on_openais_endpoint(base_url, strict, expected):
    assert Settings(base_url=base_url, strict=strict).strict_outputs is expected


async def test_a_request_to_openais_endpoint_is_strict_by_default():
    """The request for api.openai.com, delivered to the local server by a request hook
    (the network is blocked), carries the strict schema and flag without any option."""
    with FaultServer() as server:
        local = httpx2.URL(server.base_url)

        async def to_local(request: httpx2.Request) -> None:
            request.url = request.url.copy_with(scheme=local.scheme, host=local.host,
                                                port=local.port)

        client = ModelClient(Settings(backend="openai", api_key="sk-test-not-a-key", max_retries=0),
                             http_client=httpx2.AsyncClient(event_hooks={"request": [to_local]}))
        try:
            answer = await client.extract([{"role": "user", "content": f"<article>\n{ARTICLE}\n</article>"}],
                                          article_text=ARTICLE)
        finally:
            await client.aclose()
        [body] = server.received
    assert answer.summary is not None
    schema, flag = sent_schema(body, "tools")
    assert flag is True and strict_problems(schema) == []


def test_strict_flags_on_the_command_line(tmp_path):
    from tests.conftest import run_cli

    (tmp_path / "a.txt").write_text(f"Title\n{ARTICLE}\n")
    with FaultServer() as server:
        def flag_sent(*args: str, env: dict[str, str] | None = None) -> bool | None:
            result = run_cli("run", "a.txt", "--base-url", server.base_url, "--no-cache", *args,
                             cwd=tmp_path, env=env)
            assert result.returncode == 0, result.stderr
            return server.received[-1]["tools"][0]["function"].get("strict")

        assert flag_sent() is None
        assert flag_sent("--strict") is True
        assert flag_sent("--strict", "--no-strict") is None
        assert flag_sent(env={"SUMMARIZE_STRICT": "true"}) is True
