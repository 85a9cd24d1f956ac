"""What stands for this run's record of an article: an earlier run's, found in its output.

A record stands when it is ok, is of the same article (id, text, and the title, outlet
and date the prompt shows: :func:`article_key_of`) and was made by the same run (the
backend, model, endpoint, mode, temperature, seed, strictness, prompt, schema and
package version: :func:`run_fingerprint`). A resume source says so from keys alone:
a journal's index (summarize.batch.journal), or :class:`RecordsResume` over records in
memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from summarize.articles import Article
from summarize.batch.index import article_key, run_key
from summarize.records import ArticleRef, Provenance, Record


def run_fingerprint(provenance: Provenance) -> tuple[Any, ...]:
    """What must match for a record to stand for this run's (the resume check): the
    backend, model, endpoint, mode, temperature, seed, strictness, prompt, schema and
    package version."""
    return (provenance.backend, provenance.model, provenance.base_url, provenance.mode,
            provenance.temperature, provenance.seed, provenance.strict,
            provenance.prompt_sha256, provenance.schema_version, provenance.version)


def article_key_of(article: Article | ArticleRef) -> str:
    """:func:`summarize.batch.index.article_key` of an article or of a record's article."""
    if isinstance(article, Article):
        text_sha256 = article.text_sha256 if article.text else None
    else:
        text_sha256 = article.text_sha256
    return article_key(text_sha256, article.title, article.source, article.published)


class Previous(Protocol):
    """What a resume source knows of an earlier record: enough to tell whether it stands."""

    status: str
    article: str
    run: str


class ResumeSource(Protocol):
    """Records of an earlier run, by id: a journal (summarize.batch.journal) or
    :class:`RecordsResume`."""

    def lookup(self, article_id: str) -> Previous | None:
        """What is known of the earlier record of ``article_id``, or None."""
        ...

    def load(self, previous: Previous) -> Record:
        """The earlier record itself."""
        ...


@dataclass(frozen=True, slots=True)
class _Known:
    status: str
    article: str
    run: str
    record: Record


class RecordsResume:
    """A resume source over records in memory (an id -> record mapping)."""

    def __init__(self, records: Mapping[str, Record]) -> None:
        self._records = records

    def lookup(self, article_id: str) -> _Known | None:
        """The record of ``article_id`` with its keys, or None."""
        record = self._records.get(article_id)
        if record is None:
            return None
        return _Known(record.status, article_key_of(record.article),
                      run_key(run_fingerprint(record.provenance)), record)

    def load(self, previous: Previous) -> Record:
        """The record itself (the same object)."""
        assert isinstance(previous, _Known)
        return previous.record


def stands(previous: Previous | None, article: Article, run: str) -> bool:
    """True when ``previous`` is an ok record of ``article`` made by the run ``run``
    (a :func:`summarize.batch.index.run_key`)."""
    return (previous is not None and previous.status == "ok" and previous.run == run
            and previous.article == article_key_of(article))


def reusable(previous: Record | None, article: Article, provenance: Provenance) -> bool:
    """True when ``previous`` (say, a line of an earlier run's output) is an ok record of
    this same article (id, text and the title, outlet and date the prompt shows) made with
    this run's backend, model, temperature, seed, strictness, prompt and schema."""
    if previous is None or previous.id != article.id:
        return False
    known = RecordsResume({article.id: previous}).lookup(article.id)
    return stands(known, article, run_key(run_fingerprint(provenance)))


def as_resume_source(resume: ResumeSource | Mapping[str, Record] | None) -> ResumeSource | None:
    """``resume`` as a resume source (records in memory wrapped), or None when there is
    nothing to resume from."""
    if resume is None or hasattr(resume, "lookup"):
        if getattr(resume, "empty", False):
            return None  # nothing to resume from: no lookups
        return resume  # type: ignore[return-value]
    return RecordsResume(resume)  # type: ignore[arg-type]
