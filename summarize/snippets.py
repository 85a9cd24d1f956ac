"""Short renderings of long text for messages, warnings and reports."""

from __future__ import annotations


def snippet(value: object, limit: int, *, squash: bool = True, quoted: bool = True) -> str:
    """``value`` as text cut to ``limit`` characters (with "…" when cut); runs of whitespace
    squashed to one space unless ``squash`` is false; in repr quotes when ``quoted``."""
    text = " ".join(str(value).split()) if squash else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if quoted else text
