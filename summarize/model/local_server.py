"""A local GGUF model behind llama.cpp's OpenAI-compatible server (llama-cpp-python).

``LocalModelServer`` starts ``python -m llama_cpp.server`` on a free 127.0.0.1 port,
waits until it answers, and stops it when the block ends: also on Ctrl-C, on SIGTERM to
the command (the CLI turns it into an exception), and, on Linux, when our process dies
without cleaning up (the child gets SIGTERM through PR_SET_PDEATHSIG). Requests then
go through the same client path as any endpoint, in ``json_schema`` mode: the server
turns the schema into a grammar, so the model can only produce schema-shaped JSON.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from summarize.errors import ConfigError, LocalServerError

#: Context window asked of llama.cpp (tokens): a prompt, a long article and the answer.
DEFAULT_N_CTX = 8192


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to send SIGTERM to this process when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


#: How to install what --local-model needs, from the repository (README, docs/local.md).
INSTALL_HINT = "pip install -e '.[local]' in the repository (it compiles llama.cpp, a few minutes)"
#: The modules ``python -m llama_cpp.server`` imports: llama-cpp-python and its [server] extra.
SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context",
                  "pydantic_settings")


def missing_server_modules() -> list[str]:
    """The modules of llama-cpp-python's server that are not installed (found without
    importing them)."""
    return [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]


def check_gguf(path: str | Path) -> Path:
    """``path`` resolved, or ConfigError when it is missing or not a GGUF file."""
    model = Path(path).expanduser()
    if not model.is_file():
        raise ConfigError(f"--local-model {path}: no such file")
    with model.open("rb") as handle:
        if handle.read(4) != b"GGUF":
            raise ConfigError(f"--local-model {path}: not a GGUF model file")
    return model.absolute()


class LocalModelServer:
    """llama-cpp-python's server for one GGUF file, as a context manager yielding its
    base URL. ``model_name`` is what requests and records call the model. Raises
    ConfigError at once for a file that is not a GGUF model or without llama-cpp-python."""

    def __init__(self, model_path: str | Path, *, n_ctx: int = DEFAULT_N_CTX,
                 startup_timeout: float = 180.0, n_threads: int | None = None) -> None:
        self.model_path = check_gguf(model_path)
        missing = missing_server_modules()
        if missing:
            raise ConfigError(
                f"--local-model needs llama-cpp-python's server ({', '.join(missing)} not installed): "
                f"{INSTALL_HINT}"
            )
        self.model_name = self.model_path.stem
        self.n_ctx = n_ctx
        self.startup_timeout = startup_timeout
        self.n_threads = n_threads
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="summarize-llama-", suffix=".log", delete=False)

    @property
    def base_url(self) -> str:
        """The server's OpenAI base URL."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def log_path(self) -> str:
        """Where the server's own output goes."""
        return self._log.name

    def start(self) -> str:
        """Start the server and wait until it answers; return its base URL."""
        self.port = _free_port()
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path), "--model_alias", self.model_name,
            "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx),
        ]
        if self.n_threads:
            command += ["--n_threads", str(self.n_threads)]
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        try:
            self._wait_until_ready()
        except BaseException:  # also Ctrl-C while waiting: never leave the server behind
            self.stop()
            raise
        return self.base_url

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LocalServerError(
                    f"the llama.cpp server exited with code {self.process.returncode} while "
                    f"starting; its log: {self.log_path}"
                )
            with contextlib.suppress(urllib.error.URLError, OSError):
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2.0) as answer:
                    if answer.status == 200:
                        return
            time.sleep(0.25)
        raise LocalServerError(
            f"the llama.cpp server did not answer within {self.startup_timeout:.0f} s; "
            f"its log: {self.log_path}"
        )

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s: it would otherwise finish the
        answer it is generating first); safe to call twice."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
        self._log.close()
        if exc_type is None:
            with contextlib.suppress(OSError):
                os.unlink(self._log.name)
