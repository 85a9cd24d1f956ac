"""What the benchmarks share: synthetic articles, the fake endpoint in a child process, and
a child ``summarize run`` measured from start to exit.

- :func:`article_text`: a distinct article (its own cache key) that every quote of
  :data:`ANSWER` grounds in, padded with neutral sentences to a news story's length;
- :class:`ServerProcess`: tests.fake_openai's server in a process of its own (its own
  interpreter and GIL, as a real endpoint has), answering ANSWER after a latency, behind
  an optional rate limit (tests.fake_openai.RateLimited);
- :func:`run_summarize`: ``python -m summarize ARGS`` in a child process, with its wall
  time, CPU time, peak memory (max RSS) and the bytes it wrote, from ``os.wait4``. The
  package's modules are compiled to bytecode first, once, as ``pip install`` does: with
  ``PYTHONDONTWRITEBYTECODE`` set (as on the development machine) an editable install
  would otherwise compile every module from source at every start (about 0.25 s of CPU).
"""

from __future__ import annotations

import compileall
import json
import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_SENTENCES = [
    "At least 12 civilians were killed on Monday when shells hit a market in Kafr Nabl, "
    "the Syrian Observatory for Human Rights said.",
    "State news agency SANA said army units liberated two villages from terrorist groups "
    "near the town.",
    "Dozens of fighters were wounded in the clashes.",
]
#: Neutral sentences that pad an article to a news story's length (no figure, no term).
_FILLER = [
    "Residents described long queues for bread and fuel in the days before the attack.",
    "The market had reopened a week earlier after repairs to its roof and stalls.",
    "Aid groups said they were trying to reach the area but roads remained closed.",
    "Local officials asked families to stay away from the damaged buildings.",
    "Schools in the district were closed for the rest of the week.",
    "The town lies on a road that links the province to the coast.",
]
#: The fake model's answer: every quote is a sentence of every synthesised article.
ANSWER: dict[str, Any] = {
    "summary": "Shelling killed at least 12 civilians in Kafr Nabl, according to the Syrian "
    "Observatory for Human Rights. SANA said army units took two villages from groups it "
    "described as \"terrorist groups\".",
    "events": [{"description": "Shells hit a market.", "event_type": "shelling",
                "location": "Kafr Nabl", "date_text": "on Monday", "actors": []}],
    "claims": [{"claim": "At least 12 civilians were killed in shelling.",
                "source": "the Syrian Observatory for Human Rights", "source_type": "monitor",
                "cue": "said", "quote": _SENTENCES[0], "direct_quote": False}],
    "casualties": [{"quantity_text": "At least 12", "outcome": "killed", "victims": "civilians",
                    "victim_category": "civilian", "quantity_type": "at_least", "low": 12,
                    "high": None, "stated_by": "the Syrian Observatory for Human Rights",
                    "perpetrator": None, "quote": _SENTENCES[0]}],
    "loaded_terms": [{"term": "terrorist", "quote": _SENTENCES[1],
                      "neutral_alternative": "armed groups"}],
}


def article_text(number: int, *, chars: int = 0) -> str:
    """Article ``number``: the three sentences ANSWER quotes, its dispatch number, and
    neutral filler up to about ``chars`` characters."""
    parts = [*_SENTENCES, f"The report was filed as dispatch number {number}."]
    size = sum(len(p) + 1 for p in parts)
    index = number
    while size < chars:
        sentence = _FILLER[index % len(_FILLER)]
        parts.append(sentence)
        size += len(sentence) + 1
        index += 1
    return " ".join(parts)


def write_jsonl(path: Path, count: int, *, chars: int = 0, start: int = 0) -> None:
    """``count`` articles as one JSONL file, written a line at a time."""
    with open(path, "w", encoding="utf-8") as out:
        for number in range(start, start + count):
            out.write(json.dumps({"id": f"d{number}", "title": f"Dispatch {number}",
                                  "source": "Example News",
                                  "text": article_text(number, chars=chars)}) + "\n")


def write_folder(path: Path, count: int, *, chars: int = 0, start: int = 0) -> None:
    """``count`` articles as .txt files (title on the first line) in ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    for number in range(start, start + count):
        (path / f"{number:07d}.txt").write_text(
            f"Dispatch {number}\n{article_text(number, chars=chars)}\n", encoding="utf-8")


def _serve(latency: float, rpm: float | None, burst: int, commands: Any, answers: Any) -> None:
    """Child process: serve until told to stop; answer "count" with what it has done."""
    sys.path.insert(0, str(ROOT))
    from tests.fake_openai import FakeOpenAIServer, RateLimited, answer

    # Requests are counted, not kept: thousands of kept request bodies would make the
    # server's own garbage collection pause it, and that would be timed as the client's.
    def respond(request: dict[str, Any], index: int) -> Any:
        return answer(ANSWER, delay=latency)

    limited = RateLimited(respond, per_minute=rpm, burst=burst) if rpm else None
    times: list[float] = []

    def responder(request: dict[str, Any], index: int) -> Any:
        action = (limited or respond)(request, index)
        if action.kind == "answer":
            times.append(time.monotonic())
        return action

    with FakeOpenAIServer(responder, keep_requests=False) as server:
        answers.put(server.base_url)
        while True:
            command = commands.get()
            answers.put({"requests": server.request_count, "answered": len(times),
                         "first": times[0] if times else None,
                         "last": times[-1] if times else None,
                         "refused": limited.refused if limited else 0})
            if command == "stop":
                return
            if command == "reset":
                times.clear()


class ServerProcess:
    """The fake endpoint in a child process; :meth:`stats` asks it what it has done."""

    def __init__(self, latency: float, *, rpm: float | None = None, burst: int = 10) -> None:
        context = multiprocessing.get_context("spawn")
        self._commands = context.Queue()
        self._answers = context.Queue()
        self._process = context.Process(target=_serve, daemon=True,
                                        args=(latency, rpm, burst, self._commands,
                                              self._answers))

    def __enter__(self) -> ServerProcess:
        self._process.start()
        self.base_url = self._answers.get(timeout=60)
        return self

    def stats(self, *, reset: bool = False) -> dict[str, Any]:
        """Requests received, answered (and the first and last answer's time), refused."""
        self._commands.put("reset" if reset else "count")
        return self._answers.get(timeout=30)

    def requests(self) -> int:
        """Requests received so far."""
        return self.stats()["requests"]

    def __exit__(self, *exc: object) -> None:
        if self._process.is_alive():
            self._commands.put("stop")
            self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)


@dataclass
class Measured:
    """A child process, measured from start to exit."""

    returncode: int
    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    written_mb: float
    stderr: str


_compiled = False


def load() -> str:
    """The machine's load average over the last minute, for a figure's line: on 2 shared
    cores a load of 4 leaves a process about half a core, and wall times stretch."""
    return f"load {os.getloadavg()[0]:.1f}"


def compile_package() -> None:
    """Compile summarize's modules to bytecode (``__pycache__``, ignored by git) once, as
    an installed package has them, so that a child's start-up is not timed compiling."""
    global _compiled
    if not _compiled:
        compileall.compile_dir(ROOT / "summarize", quiet=1)
        _compiled = True


def run_summarize(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> Measured:
    """``python -m summarize ARGS`` in ``cwd``; the environment has no OPENAI_ or
    SUMMARIZE_ variables but those of ``env``. Peak memory and CPU come from the child's
    own rusage (os.wait4), bytes written from its block output count."""
    compile_package()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZE_"))}
    clean.update(env or {})
    err = cwd / ".summarize-stderr.txt"
    with open(err, "w") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "summarize", *args], cwd=cwd,
                                   env=clean, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = err.read_text()
    err.unlink()
    return Measured(returncode=process.returncode, seconds=seconds,
                    cpu_seconds=usage.ru_utime + usage.ru_stime,
                    max_rss_mb=usage.ru_maxrss / 1024, written_mb=usage.ru_oublock * 512 / 2**20,
                    stderr=text)
