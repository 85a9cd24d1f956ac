"""A hostile OpenAI-compatible HTTP server on 127.0.0.1: faults switched per test, per
article, or injected at random at a given rate with a seed.

A request that gets no fault is answered correctly: with the article's gold labels when
it is one of evals/gold (``FaultServer(gold_dir=...)``), else with an answer built from
the article's own sentences (:func:`grounded_answer`), so that an article whose faults
stop ends ok. The server counts, per article, the valid answers it delivered in full
(``server.answers``): a client that never pays twice makes each count at most 1.

Which fault a request gets, first match wins:

1. a marker in the article text, ``[[fault:NAME]]`` (every request of that article) or
   ``[[fault:NAME*N]]`` (its first N requests, then correct answers);
2. ``server.set(NAME, times=N)``: every article, the same way;
3. ``rate``: each request independently with probability ``rate``, one of ``kinds``,
   drawn from ``random.Random(f"{seed}:{article}:{attempt}")`` so that an article's faults
   do not depend on the order in which concurrent requests arrive.

``FAULTS`` lists every fault with what it does (tests/fault_responses.py does it).
Articles are keyed by :func:`article_key` (sha256 of the text between the ``<article>``
lines), which a test computes from a record's ``article.text``.

``python -m tests.fault_server --port 8099 --rate 0.3`` serves faults until Ctrl-C (then
prints what it did), for a ``summarize run`` started by hand (``--help`` for the rest).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.fake_openai import LocalServer, gold_answer
from tests.fault_responses import handler_for

#: Every fault the server can inject, with what the client receives.
FAULTS: dict[str, str] = {
    "ok": "a valid answer (after `latency` seconds)",
    "slow": "a valid answer after `slow_seconds` (below the client's timeout)",
    # HTTP errors in the OpenAI error format
    "http_400": "400 bad request", "http_401": "401 invalid key", "http_403": "403 forbidden",
    "http_404": "404 model not found", "http_408": "408 request timeout",
    "http_409": "409 conflict", "http_413": "413 payload too large",
    "http_422": "422 unprocessable entity", "http_500": "500 internal error",
    "http_502": "502 bad gateway (HTML body)", "http_503": "503 overloaded",
    "http_504": "504 gateway timeout",
    "http_429": "429 with retry-after: 0 and retry-after-ms: 20",
    "http_429_seconds": "429 with retry-after: 1 only",
    "http_429_bare": "429 without any retry-after header",
    "http_429_huge": "429 with retry-after: 86400 (the client must cap it)",
    "http_429_odd": "429 with retry-after: soon and retry-after-ms: nan (meaningless)",
    "http_503_date": "503 with Retry-After as an HTTP date 1 s ahead",
    "http_429_quota": "429 insufficient_quota, as OpenAI answers for an account without credit",
    "http_500_no_retry": "500 with x-should-retry: false (the server forbids a retry)",
    "http_400_retry": "400 with x-should-retry: true (the server asks for a retry)",
    "echo_key": "401 whose message and a header echo the Authorization header",
    "echo_masked_key": "401 naming the key masked, as OpenAI does (sk-proj-ab****wxyz)",
    "leaky_headers": "a valid answer with set-cookie, openai-organization, openai-project headers",
    # the connection
    "drop": "close the connection without answering",
    "reset": "send the headers and half the body, then reset (RST)",
    "cut": "send the headers (full content-length) and half the body, then close",
    "stall": "never answer (until the client hangs up)",
    "stall_headers": "send the status line, then never finish the headers",
    "trickle": "a valid answer, one byte every `trickle_pause` seconds (longer than any timeout)",
    "bad_chunked": "chunked transfer encoding with an invalid chunk size",
    "bad_gzip": "a valid answer labelled content-encoding: gzip that is not gzip",
    "gzip_ok": "a valid answer, gzip-compressed",
    "gzip_bomb": "64 KB of gzip that expands to 64 MiB",
    "huge_body": "a 200 of 64 MiB (a valid answer padded with whitespace)",
    "huge_length": "content-length: 10^12 and a small body",
    "redirect": "302 to /v2/chat/completions on the same server",
    "redirect_307": "307 to /v2/chat/completions on the same server",
    # the body of a 200
    "truncated_json": "a 200 whose JSON body is cut off mid-way (content-length matches)",
    "bad_utf8": "a 200 whose body is not UTF-8",
    "html": "a 200 text/html error page",
    "text": "a 200 text/plain error message",
    "json_not_object": "a 200 whose JSON body is a list",
    "error_200": "a 200 whose body is an OpenAI error object",
    "wrong_content_type": "a valid answer with content-type text/plain",
    "empty_choices": "a 200 with choices: []",
    "null_choices": "a 200 with choices: null",
    "no_usage": "a valid answer without a usage field",
    "odd_usage": "a valid answer whose usage fields are a string, negative and null",
    "huge_usage": "a valid answer whose usage counts 10^400 tokens",
    "message_null": "a 200 whose first choice's message is null",
    "function_null": "a 200 whose tool call has function: null",
    "deep_json": "a 200 whose body is a list nested 100,000 deep",
    # the model's answer
    "schema_invalid": "tool-call arguments that do not fit the schema",
    "bad_quote": "an answer whose claim quotes a sentence that is not in the article",
    "no_arguments": "a tool call without arguments",
    "arguments_object": "tool-call arguments as a JSON object instead of a string",
    "arguments_number": "tool-call arguments that are a number, not an object",
    "prose_wrapped": "the JSON answer wrapped in prose",
    "content_not_tool": "tools mode answered as message content, without a tool call",
    "refusal": "message.refusal set",
    "content_filter": "finish_reason content_filter and no answer",
    "length": "finish_reason length and a cut-off answer",
}

#: Faults a client recovers from when they stop: the mix of the random mode.
TRANSIENT: tuple[str, ...] = (
    "http_429", "http_500", "http_502", "http_503", "http_504", "drop", "reset", "cut",
    "stall", "truncated_json", "schema_invalid", "bad_quote", "empty_choices",
)

_MARKER = re.compile(r"\[\[fault:(\w+)(?:\*(\d+))?\]\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def article_key(text: str) -> str:
    """The key under which the server counts an article (sha256 of its text, 16 hex)."""
    return hashlib.sha256(_comparable(text).strip().encode("utf-8")).hexdigest()[:16]


#: An article tag as an article may hold it, or as the prompt shows it defused.
_ARTICLE_TAG = re.compile(r"[<\u2039]\s*/?\s*article\b[^<>\u2039\u203a]*[>\u203a]",
                          re.IGNORECASE)


def _comparable(text: str) -> str:
    """``text`` with every article tag in one form: the same for an article's own text and
    for that text as the prompt shows it (summarize.prompts defuses tags inside it)."""
    return _ARTICLE_TAG.sub("<article-tag>", text)


def grounded_answer(text: str) -> dict[str, Any]:
    """A valid ArticleSummary built from ``text``'s own sentences: a summary and one
    claim quoting the first sentence that carries no loaded term."""
    from summarize.lexicon import load_lexicon

    lexicon = load_lexicon()
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    neutral = [s for s in sentences if not lexicon.find(s)] or sentences[:1]
    first = neutral[0] if neutral else text.strip()
    summary = first if not lexicon.find(first) else "The article reports on a conflict."
    return {
        "summary": summary,
        "events": [],
        "claims": [{"claim": "The outlet reports this.", "source": "the outlet",
                    "source_type": "media", "cue": "reported", "quote": first,
                    "direct_quote": False}],
        "casualties": [],
        "loaded_terms": [],
    }


class FaultServer(LocalServer):
    """The fault-injecting server; use as a context manager (see the module docstring)."""

    def __init__(self, *, rate: float = 0.0, seed: int = 0, kinds: tuple[str, ...] = TRANSIENT,
                 latency: float = 0.0, gold_dir: Path | None = None,
                 slow_seconds: float = 0.3, trickle_pause: float = 0.2,
                 stall_seconds: float = 120.0, port: int = 0) -> None:
        self.rate = rate
        self.seed = seed
        self.kinds = kinds
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.trickle_pause = trickle_pause
        self.stall_seconds = stall_seconds
        self._fault: tuple[str, int | None] | None = None
        self._gold = _load_gold(gold_dir) if gold_dir else {}
        #: Valid answers delivered in full, per article key.
        self.answers: Counter[str] = Counter()
        #: Requests received, per article key.
        self.requests: Counter[str] = Counter()
        #: (article key, attempt, fault) of every request, in arrival order.
        self.log: list[tuple[str, int, str]] = []
        #: Authorization headers received (to check what the client sent).
        self.authorizations: set[str] = set()
        #: Every request body received, parsed, in arrival order.
        self.received: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._serve(handler_for(self), port)

    def set(self, fault: str | None, *, times: int | None = None) -> None:
        """Give every article ``fault`` (its first ``times`` requests; None: all of them)."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        self._fault = None if fault is None else (fault, times)

    def choose(self, text: str, attempt: int) -> str:
        """The fault for request number ``attempt`` (0-based) of the article ``text``."""
        marker = _MARKER.search(text)
        if marker:
            times = int(marker.group(2)) if marker.group(2) else None
            if marker.group(1) not in FAULTS:
                return "unknown"
            return marker.group(1) if times is None or attempt < times else "ok"
        if self._fault is not None:
            fault, times = self._fault
            return fault if times is None or attempt < times else "ok"
        if self.rate:
            draw = random.Random(f"{self.seed}:{article_key(text)}:{attempt}")
            if draw.random() < self.rate:
                return draw.choice(self.kinds)
        return "ok"

    def answer_for(self, text: str) -> dict[str, Any]:
        """The correct answer for the article ``text``: its gold labels (and the reference
        summary, if the file has one), else one built from its sentences."""
        gold = self._gold.get(_comparable(text).strip())
        if gold is None:
            return grounded_answer(text)
        answer = gold_answer(gold)
        if gold.get("summary"):  # a reference answer (evals/adversarial) has its own
            answer["summary"] = gold["summary"]
        return answer

    def _arrived(self, text: str) -> tuple[str, int, str]:
        key = article_key(text)
        with self._lock:
            attempt = self.requests[key]
            self.requests[key] += 1
            fault = self.choose(text, attempt)
            self.log.append((key, attempt, fault))
        return key, attempt, fault

    def _delivered(self, key: str) -> None:
        with self._lock:
            self.answers[key] += 1

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        super().__exit__(*exc)


def _load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    by_text = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        by_text[_comparable(gold["article"]["text"]).strip()] = gold
    return by_text


def report(server: FaultServer) -> str:
    """What the server did: requests, faults by kind, articles answered more than once."""
    faults = Counter(fault for _, _, fault in server.log if fault != "ok")
    twice = sorted(key for key, count in server.answers.items() if count > 1)
    return "\n".join([
        f"requests {len(server.log)}, articles {len(server.requests)}, "
        f"answered {len(server.answers)}, answered more than once {len(twice)}",
        "faults " + (", ".join(f"{name} {n}" for name, n in faults.most_common()) or "none"),
    ])


def main(argv: list[str] | None = None) -> None:
    """Serve faults until Ctrl-C, for a ``summarize run`` started by hand."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.fault_server", description=main.__doc__)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--rate", type=float, default=0.0, help="share of requests faulted")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", default=",".join(TRANSIENT), help="faults of the random mode")
    parser.add_argument("--fault", choices=sorted(FAULTS), help="give every article this fault")
    parser.add_argument("--times", type=int, help="... for its first N requests only")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--gold", type=Path, help="answer gold articles with their labels")
    parser.add_argument("--list", action="store_true", help="list the faults and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(f"{name:20s} {what}" for name, what in FAULTS.items()))
        return
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)  # also when started in the background (SIGINT ignored)
    signal.signal(signal.SIGTERM, stop)
    with FaultServer(rate=args.rate, seed=args.seed, kinds=tuple(args.kinds.split(",")),
                     latency=args.latency, gold_dir=args.gold, port=args.port) as server:
        server.set(args.fault, times=args.times)
        print(f"fault server on {server.base_url} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        print(report(server), flush=True)


if __name__ == "__main__":
    main()

