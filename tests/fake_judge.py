"""A deterministic model judge for tests/fake_openai.py's server: it grades a summary by
plain checks, never by a model, so that recordings of judge traffic are reproducible.

It reads the article and the summary from the request (between the ``<article>`` and
``<summary>`` lines the judge rubric writes) and answers a JudgeVerdict:

- faithful: every number in digits the summary states also occurs in the article;
- neutral: the summary contains none of "terrorist(s)", "regime", "martyr(s)",
  "liberated" outside double quotes;
- attributes_contested_claims: a summary with a number in digits has "said" or
  "according to";
- covers_main_event: at least two words of five letters or more of the title occur in
  the summary.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fake_openai import Action, answer, status

_LOADED = re.compile(r"\b(?:terrorists?|regime|martyrs?|liberated)\b", re.IGNORECASE)


def _between(text: str, tag: str) -> str | None:
    opening, closing = f"<{tag}>\n", f"\n</{tag}>"
    if opening not in text or closing not in text:
        return None
    return text.split(opening, 1)[1].split(closing, 1)[0]


def verdict(title: str, article: str, summary: str) -> dict[str, Any]:
    """The grades of ``summary`` by the module docstring's checks."""
    numbers = re.findall(r"\d+", summary)
    unquoted = re.sub(r'"[^"]*"', "", summary)
    title_words = {w.lower() for w in re.findall(r"[A-Za-z]{5,}", title)}
    grades = {
        "faithful": all(re.search(rf"(?<!\d){n}(?!\d)", article) for n in numbers),
        "neutral": _LOADED.search(unquoted) is None,
        "attributes_contested_claims": not numbers or bool(re.search(r"\bsaid\b|according to", summary, re.I)),
        "covers_main_event": len({w.lower() for w in re.findall(r"[A-Za-z]{5,}", summary)} & title_words) >= 2,
    }
    failed = [name for name, passed in grades.items() if not passed]
    return {**grades, "reason": "all pass" if not failed else "fails " + ", ".join(failed)}


def judge() -> Any:
    """A responder answering every judge request with :func:`verdict`."""

    def respond(request: dict[str, Any], index: int) -> Action:
        user = next((m["content"] for m in request.get("messages", []) if m.get("role") == "user"), "")
        article, summary = _between(user, "article"), _between(user, "summary")
        if article is None or summary is None:
            return status(400, "not a judge request: no <article> and <summary> blocks")
        title = re.search(r"^Title: (.*)$", user, re.M)
        return answer(verdict(title.group(1) if title else "", article, summary))

    return respond
