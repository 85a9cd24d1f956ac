"""Secrets stay out of everything written: cassettes, records, outputs, logs and error
messages — also when a hostile endpoint echoes the key back (tests/fault_server.py)."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import httpx2
import openai
import pytest
import vcr
import yaml

from summarize import Settings, summarize_article
from summarize.articles import article_from_text
from summarize.model.backend import OpenAIBackend
from summarize.errors import ModelError
from tests.conftest import ROOT, SECRET_HEADERS, SECRET_PATTERN, _body_matches
from tests.conftest import run_cli
from tests.test_client import ARTICLE
from tests.test_faults import FAST, write_fault_articles

CASSETTES = sorted((ROOT / "tests" / "cassettes").rglob("*.yaml"))
#: Keys the tests themselves use: none may ever be written into a cassette.
TEST_KEYS = ("test-key-not-secret", "sk-no-key-required")


def fresh_key() -> str:
    """A key-shaped secret no file can contain by chance."""
    return "sk-proj-" + secrets.token_urlsafe(24)


def leaks(text: str) -> list[str]:
    """Key-like strings in ``text`` (sk-..., Bearer tokens, the tests' own keys)."""
    found = [m.group(0) for m in SECRET_PATTERN.finditer(text)]
    return found + [key for key in TEST_KEYS if key in text]


# ---- cassettes ---------------------------------------------------------------------------


def test_there_are_cassettes_to_scan():
    assert len(CASSETTES) >= 10


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_cassette_holds_a_secret(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not leaks(text), f"{path.name}: {leaks(text)[:3]}"
    for interaction in yaml.safe_load(text)["interactions"]:
        for side in ("request", "response"):
            names = {name.lower() for name in interaction[side].get("headers", {})}
            assert not names & set(SECRET_HEADERS), f"{path.name}: {side} {names}"
        assert "api-key=" not in interaction["request"]["uri"]


async def test_a_recording_keeps_no_key_header_cookie_org_or_query_key(fault_server, vcr_config,
                                                                     tmp_path: Path, monkeypatch):
    """Record real traffic with vcrpy and the suite's vcr_config: the key in the
    Authorization header, an api-key header and an api-key query parameter, organization
    and project headers, a cookie set by the server and sent back, and a 401 whose body
    echoes the key: none of them may reach the cassette."""
    key, org, project = fresh_key(), "org-" + secrets.token_hex(8), "proj_" + secrets.token_hex(8)
    monkeypatch.setenv("OPENAI_ORG_ID", org)
    monkeypatch.setenv("OPENAI_PROJECT_ID", project)
    server = fault_server()
    recorder = vcr.VCR(**vcr_config, cassette_library_dir=str(tmp_path), record_mode="all")
    recorder.register_matcher("chat_body", _body_matches)
    client = openai.AsyncOpenAI(api_key=key, base_url=server.base_url, max_retries=0,
                                default_headers={"api-key": key, "x-api-key": key},
                                default_query={"api-key": key})
    ask = {"model": "m", "messages": [{"role": "user", "content": "<article>\nA.\n</article>"}]}
    with recorder.use_cassette("leaky.yaml"):
        server.set("leaky_headers")
        await client.chat.completions.create(**ask)  # sets a cookie
        await client.chat.completions.create(**ask)  # sends it back
        server.set("echo_key")
        with pytest.raises(openai.AuthenticationError):
            await client.chat.completions.create(**ask)
    await client.close()
    assert f"Bearer {key}" in server.authorizations, "the key was not sent: the test proves nothing"

    text = (tmp_path / "leaky.yaml").read_text(encoding="utf-8")
    for secret in (key, org, project, "leaky-cookie-value", "org-leakyorganization",
                   "proj_leakyproject"):
        assert secret not in text
    assert "[redacted]" in text, "the echoed key was not blanked in the body"
    for interaction in yaml.safe_load(text)["interactions"]:
        for side in ("request", "response"):
            names = {name.lower() for name in interaction[side]["headers"]}
            assert not names & set(SECRET_HEADERS)


# ---- records, outputs, logs ----------------------------------------------------------------


def test_the_key_never_reaches_records_outputs_or_debug_logs(fault_server, tmp_path: Path):
    """Three real runs with OPENAI_LOG=debug (the SDK logs every request and response):
    faults whose messages end up in records, a server that echoes the key in a 401's
    message and headers, and stdout output. No file under the test's folder (outputs,
    journals, the cache's database), no stdout and no stderr holds the key."""
    key = fresh_key()
    server = fault_server()
    write_fault_articles(tmp_path / "in", ["ok", "leaky_headers", "http_500", "html", "refusal",
                                            "http_400"])
    write_fault_articles(tmp_path / "echo", ["echo_key", "ok"])
    env = {**FAST, "OPENAI_API_KEY": key, "OPENAI_LOG": "debug"}
    flags = ("--base-url", server.base_url, "--max-retries", "1", "--max-reasks", "0")
    runs = [
        run_cli("run", "in", "-o", "out.jsonl", *flags, cwd=tmp_path, env=env),
        run_cli("run", "echo", "-o", "echo.html", *flags, cwd=tmp_path, env=env),
        run_cli("run", "echo", "--no-cache", *flags, cwd=tmp_path, env=env),
    ]
    assert f"Bearer {key}" in server.authorizations, "the key was not sent: the test proves nothing"
    for result in runs:
        assert result.returncode == 1, result.stderr[-2000:]
        assert "HTTP Response" in result.stderr, "debug logging was not on"
        assert key not in result.stdout and key not in result.stderr
    assert "[redacted]" in runs[1].stderr + runs[2].stdout, "the echoed key was not blanked"
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any("summarize-cache" in str(p) for p in written), "the cache was not scanned"
    for path in written:
        assert key.encode() not in path.read_bytes(), f"the key is in {path}"


def test_the_python_api_redacts_an_echoed_key_in_records_and_logs(fault_server, caplog):
    key = fresh_key()
    server = fault_server()
    server.set("echo_key")
    caplog.set_level(logging.DEBUG)
    for name in ("openai", "httpx2", "instructor", "summarize"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        record = summarize_article(ARTICLE, backend="openai", base_url=server.base_url,
                                   api_key=key, max_retries=0)
    finally:
        for name in ("openai", "httpx2", "instructor", "summarize"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert f"Bearer {key}" in server.authorizations
    assert record.error.reason == "authentication"
    assert "[redacted]" in record.error.message
    assert key not in record.model_dump_json()
    assert caplog.records, "nothing was logged: the test proves nothing"
    assert key not in caplog.text


@pytest.mark.parametrize("echo", ["echo_key", "echo_masked_key"])
async def test_an_http_client_of_the_caller_still_gets_a_redacted_error(fault_server, echo):
    """A caller's own httpx client bypasses the guarded transport; the client still
    blanks out of the error it raises the key it sent and key-shaped text it did not
    send (the masked key OpenAI's 401 names)."""
    key = fresh_key()
    server = fault_server()
    server.set(echo)
    settings = Settings(backend="openai", base_url=server.base_url, api_key=key, max_retries=0)
    backend = OpenAIBackend(settings, http_client=httpx2.AsyncClient())
    try:
        with pytest.raises(ModelError) as raised:
            await backend.extract(article_from_text(ARTICLE))
    finally:
        await backend.aclose()
    message = str(raised.value)
    assert key not in message and "sk-" not in message
    shown = "Incorrect API key provided: [redacted]" if echo == "echo_masked_key" else "[redacted]"
    assert shown in message


def test_a_masked_key_in_an_error_message_is_blanked_too(fault_server):
    """OpenAI's 401 names the key masked ("sk-proj-ab****wxyz"): not the key we sent, so
    exact replacement misses it; key-shaped text is blanked all the same."""
    key = fresh_key()
    server = fault_server()
    server.set("echo_masked_key")
    record = summarize_article(ARTICLE, backend="openai", base_url=server.base_url,
                               api_key=key, max_retries=0)
    assert record.error.reason == "authentication"
    assert "Incorrect API key provided: [redacted]" in record.error.message
    assert "sk-" not in record.model_dump_json()


def test_credentials_in_the_base_url_are_sent_as_basic_auth_and_never_logged(fault_server,
                                                                              tmp_path: Path):
    import base64

    server = fault_server()
    write_fault_articles(tmp_path / "in", ["ok"])
    password = "PASSW0RD-" + secrets.token_hex(8)
    url = server.base_url.replace("://", f"://user:{password}@", 1)
    result = run_cli("run", "in", "-o", "out.jsonl", "--base-url", url + "?api-version=QSECRET",
                     "--max-retries", "0", "--max-reasks", "0", "-vv", cwd=tmp_path, env=FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    basic = "Basic " + base64.b64encode(f"user:{password}".encode()).decode()
    assert basic in server.authorizations, "the URL's credentials were not sent"
    assert "POST" in result.stderr, "debug logging was not on"
    assert password not in result.stderr and "QSECRET" not in result.stderr
    assert password.encode() not in (tmp_path / "out.jsonl").read_bytes()


# ---- the secrets a request carries ----------------------------------------------------------

@pytest.mark.parametrize("url, headers", [
    ("http://127.0.0.1:9/v1/chat/completions", {"AUTHORIZATION": "BEARER token-in-a-header"}),
    ("http://127.0.0.1:9/v1/chat/completions", {"Api-Key": "token-in-a-header"}),
    ("http://127.0.0.1:9/v1/chat/completions?api-version=1&api-key=token-in-a-query", {}),
    ("http://127.0.0.1:9/v1/chat/completions?API-KEY=token-in-a-query", {}),
    ("http://127.0.0.1:9/v1/chat/completions?Key=token-in-a-query&x=1", {}),
    ("http://127.0.0.1:9/v1/chat/completions?apiKey=token-in-a-query", {}),
])
def test_a_requests_secret_is_found_in_any_header_or_query_spelling(url, headers):
    from summarize.model.guards import request_secrets

    (secret,) = request_secrets(httpx2.Request("POST", url, headers=headers))
    assert secret.startswith(b"token-in-a-")


def test_a_request_without_secrets_has_none():
    from summarize.model.guards import request_secrets

    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions?api-version=2024-10-21",
                             headers={"Content-Type": "application/json"})
    assert request_secrets(request) == []
