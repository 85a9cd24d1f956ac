"""What an article's exchange with the model produced (:class:`ModelAnswer`), and, when
the re-asks ran out, what is left of it: the JSON object the last answer holds
(:func:`answer_json`, for the salvage) and what was still wrong with it, one line per
problem (:func:`validation_problems`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from summarize.alignment import ArticleMatcher
from summarize.errors import problems
from summarize.records import Usage
from summarize.schema import ArticleSummary


@dataclass
class ModelAnswer:
    """What one article's exchange with the model produced.

    ``summary`` is the validated answer; when the re-asks ran out it is None and
    ``salvage`` holds the last answer's JSON (a dict) with ``validation_error`` saying
    what was still wrong (one line per problem).
    """

    summary: ArticleSummary | None
    usage: Usage
    salvage: dict[str, Any] | None = None
    validation_error: str | None = None
    #: What the validators found in the article (grounding reuses it).
    matcher: ArticleMatcher | None = None


def answer_json(completion: Any, mode: str) -> dict[str, Any] | None:
    """The JSON object a completion holds (tool-call arguments or message content)."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError):
        return None
    try:
        texts = [call.function.arguments for call in (message.tool_calls or [])]
        texts.append(message.content or "")
    except (AttributeError, TypeError):  # a malformed message: nothing to salvage
        return None
    for text in texts:
        if isinstance(text, dict):  # arguments sent as an object, not a JSON string
            return text
        if not text or not isinstance(text, str):
            continue
        if mode == "md_json" and "```" in text:
            text = text.split("```json", 1)[-1].split("```", 1)[0]
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, TypeError):
            start, end = text.find("{"), text.rfind("}")
            try:
                value = json.loads(text[start : end + 1]) if 0 <= start < end else None
            except json.JSONDecodeError:
                value = None
        if isinstance(value, dict):
            return value
    return None


def validation_problems(exc: BaseException) -> str:
    """What was wrong with the last answer: one line per problem, in this project's words
    (summarize.errors.problems), never pydantic's multi-line text with its links."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "\n".join(problems(exc))
    if isinstance(exc, json.JSONDecodeError):
        return f"the answer is not valid JSON ({exc.msg} at character {exc.pos})"
    return " ".join(str(exc).split())


def is_validation_failure(exc: BaseException) -> bool:
    from pydantic import ValidationError

    return isinstance(exc, (ValidationError, json.JSONDecodeError)) or type(exc).__name__ in (
        "ResponseParsingError", "AsyncValidationError")
