"""Articles: the input unit, its stable id, and ids made unique across a batch.

Where articles come from (files, folders, globs, stdin) is summarize.inputs; how one
file's bytes become articles, format by format, is summarize.readers.

Ids are stable, so that reruns line up: a record's own ``id`` field, else the first 16 hex
digits of the sha256 of its text as the file gives it; a repeated id gets ``#2``, ``#3``
... in input order (:func:`unique_ids`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr


class Article(BaseModel):
    """One article to summarise. ``error`` is set when the input could not be used."""

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None
    text: str = ""
    error: str | None = Field(default=None, description="why this input is not usable")
    warnings: list[str] = Field(default_factory=list)

    #: The text the digest below was made of, and the digest (worked out once per text).
    _digest: tuple[str, str] | None = PrivateAttr(default=None)

    @property
    def text_sha256(self) -> str:
        """Hex sha256 of the text (the cache and resume key of the content)."""
        known = self._digest
        if known is not None and known[0] is self.text:
            return known[1]
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        self._digest = (self.text, digest)
        return digest


def text_id(text: str) -> str:
    """Stable id for an article without one: the first 16 hex digits of its sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def article_from_text(text: str, *, title: str | None = None, **fields: Any) -> Article:
    """An article from raw text (the Python API's entry point for plain strings)."""
    return Article(id=fields.pop("id", None) or text_id(text), title=title, text=text, **fields)


def unique_ids(articles: Iterable[Article]) -> Iterator[Article]:
    """``articles`` with unique ids, lazily: an id already given gets ``#2``, ``#3`` ...
    (the first free one), so that each input keeps its own record. Remembers the ids it
    gave (about a hundred bytes each)."""
    seen: dict[str, int] = {}
    for article in articles:
        if article.id in seen:
            base = article.id
            count = seen[base]
            while f"{base}#{count + 1}" in seen:
                count += 1
            seen[base] = count + 1
            article.id = f"{base}#{count + 1}"
        seen[article.id] = 1
        yield article

