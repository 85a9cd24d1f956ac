"""The gold set: hand-labelled articles (evals/gold/*.json), loaded and checked.

A gold file holds one article and the claims, casualty figures and loaded terms a careful
reader finds in it (format and labelling rules: evals/GUIDELINES.md). Loading checks what
the scorers rely on and raises :class:`~summarize.errors.EvalDataError` naming the file
and the item for the first problem found:

- the file parses into the schema's item models (AttributedClaim, CasualtyFigure with
  ``alt_quotes``, LoadedTerm), so enum values and ``low <= high`` hold;
- every ``quote``, ``alt_quotes`` entry, ``quantity_text`` and ``term`` occurs verbatim
  (character for character) in ``article.text``; a figure's ``quantity_text`` is inside
  its ``quote`` and a term inside its ``quote``;
- no item has a field its model does not know (a misspelt field name), no two claims
  share a source and a quote (the guide labels one claim per source per sentence), and
  no two files share an article id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarize.articles import Article
from summarize.errors import ConfigError, EvalDataError
from summarize.records import ArticleRef, Provenance, Record
from summarize.schema import SCHEMA_VERSION, ArticleSummary, AttributedClaim, CasualtyFigure, LoadedTerm
from summarize.snippets import snippet

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: A credit line naming the outlet of an article that has no ``source`` ("Source: ARA News").
_CREDIT_LINE = re.compile(r"^[ \t]*Source:[ \t]*(\S[^\n]{0,60}?)[ \t]*$", re.MULTILINE)


class GoldFigure(CasualtyFigure):
    """A gold casualty figure: a CasualtyFigure plus the other sentences that state the
    same number for the same people (title, lead and body repeats)."""

    alt_quotes: list[str] = Field(default_factory=list)


class GoldText(BaseModel):
    """The article as the gold file stores it: exactly the text summarize reads."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    text: str = Field(min_length=1)


class GoldPass(BaseModel):
    """The items of one labelling pass (a gold file's ``first_pass``; the file's own
    items are the final, second pass), for inter-pass agreement."""

    model_config = ConfigDict(extra="forbid")

    claims: list[AttributedClaim] = Field(default_factory=list)
    casualties: list[GoldFigure] = Field(default_factory=list)
    loaded_terms: list[LoadedTerm] = Field(default_factory=list)


class GoldArticle(BaseModel):
    """One gold file: an article and its labels. ``split`` says whether prompts and rules
    may be tuned on it (``dev``) or it is held back for reporting (``test``)."""

    model_config = ConfigDict(extra="allow")

    id: str
    origin: str = ""
    split: Literal["dev", "test"] = "dev"
    article: GoldText
    claims: list[AttributedClaim] = Field(default_factory=list)
    casualties: list[GoldFigure] = Field(default_factory=list)
    loaded_terms: list[LoadedTerm] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    annotation: dict[str, Any] = Field(default_factory=dict)
    first_pass: GoldPass | None = None
    path: str | None = Field(default=None, exclude=True)

    @property
    def text(self) -> str:
        """The article text every quote refers to."""
        return self.article.text

    @cached_property
    def outlet_names(self) -> frozenset[str]:
        """Names that mean "the outlet itself" for this article: "the outlet", the
        article's ``source`` and, when it has none, a "Source: NAME" credit line."""
        names = {"the outlet"}
        if self.article.source:
            names.add(self.article.source)
        else:
            names.update(m.group(1) for m in _CREDIT_LINE.finditer(self.text))
        return frozenset(names)

    def spans_of(self, quote: str) -> list[tuple[int, int]]:
        """Every ``[start, end)`` where ``quote`` occurs verbatim in the text."""
        spans, start = [], self.text.find(quote)
        while quote and start >= 0:
            spans.append((start, start + len(quote)))
            start = self.text.find(quote, start + 1)
        return spans

    def evidence_of(self, figure: GoldFigure) -> list[tuple[int, int]]:
        """Spans of a figure's quote and of each of its alt_quotes."""
        return [span for quote in (figure.quote, *figure.alt_quotes) for span in self.spans_of(quote)]

    def to_article(self) -> Article:
        """The article to summarise, exactly as the labellers read it."""
        return Article(id=self.id, title=self.article.title, source=self.article.source,
                       published=self.article.published, path=self.path, text=self.text)

    def to_summary(self, summary_text: str | None = None) -> ArticleSummary:
        """The gold labels as an ArticleSummary (no events, spans unset)."""
        return ArticleSummary(
            summary=summary_text or f"Gold labels of article {self.id}.",
            claims=[AttributedClaim.model_validate(c.model_dump()) for c in self.claims],
            casualties=[CasualtyFigure.model_validate(f.model_dump(exclude={"alt_quotes"}))
                        for f in self.casualties],
            loaded_terms=[LoadedTerm.model_validate(t.model_dump()) for t in self.loaded_terms],
        )

    def to_record(self, summary: ArticleSummary | None = None) -> Record:
        """An ok record whose summary is ``summary`` (default: the gold labels, grounded),
        as if a backend named "gold" had produced it: the reference for scorer tests."""
        from summarize.grounding import ground
        from summarize.pipeline import package_version

        grounded, warnings = ground(summary or self.to_summary(), self.text)
        return Record(
            id=self.id, status="ok", article=ArticleRef.of(self.to_article()), summary=grounded,
            warnings=warnings,
            provenance=Provenance(backend="gold", schema_version=SCHEMA_VERSION, version=package_version()),
        )


def default_gold_dir() -> Path:
    """./evals/gold when it exists, else the repository copy next to the package, else
    the copy inside an installed wheel."""
    for candidate in (Path.cwd() / "evals" / "gold", _PACKAGE_DIR.parent / "evals" / "gold",
                      _PACKAGE_DIR / "_gold"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("no gold set found in ./evals/gold or next to the package; pass --gold DIR")


def load_gold(directory: str | Path | None = None) -> list[GoldArticle]:
    """Every gold file in ``directory`` (default :func:`default_gold_dir`), sorted by file
    name and validated; raises EvalDataError for the first problem, ConfigError when the
    directory does not exist or holds no gold file."""
    folder = Path(directory) if directory is not None else default_gold_dir()
    if not folder.is_dir():
        raise ConfigError(f"gold directory {folder} does not exist")
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise ConfigError(f"gold directory {folder} holds no *.json file")
    golds: list[GoldArticle] = []
    seen: dict[str, Path] = {}
    for path in paths:
        gold = load_gold_file(path)
        if gold.id in seen:
            raise EvalDataError(f"{path}: id {gold.id!r} is also the id of {seen[gold.id].name}")
        seen[gold.id] = path
        golds.append(gold)
    return golds


#: The values of ``eval --split``.
SPLITS: tuple[str, ...] = ("all", "dev", "test")


def select_split(golds: Iterable[GoldArticle], split: str) -> list[GoldArticle]:
    """The golds of ``split`` ("dev", "test", or "all" for every one); ConfigError when
    none is left (an eval of nothing is a mistake, not a result)."""
    if split not in SPLITS:
        raise ConfigError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    golds = list(golds)
    chosen = golds if split == "all" else [g for g in golds if g.split == split]
    if not chosen:
        raise ConfigError(f"no gold article has \"split\": \"{split}\" (of {len(golds)} loaded)")
    return chosen


def load_gold_file(path: str | Path) -> GoldArticle:
    """One gold file, parsed and checked (see the module docstring)."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8 or JSON
        raise EvalDataError(f"{path}: cannot be read as JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise EvalDataError(f"{path}: expected a JSON object, got {type(raw).__name__}")
    try:
        gold = GoldArticle.model_validate({**raw, "path": str(path)})
    except ValidationError as exc:
        error = exc.errors()[0]
        where = _item_path(error.get("loc", ()))
        raise EvalDataError(f"{path}: {where}: {error.get('msg')}") from exc
    for where, problem in [*_unknown_fields(raw), *_problems(gold)]:
        raise EvalDataError(f"{path}: {where}: {problem}")
    return gold


def _unknown_fields(raw: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """(item path, problem) for a key an item model does not know (a misspelt field
    would otherwise be dropped without a word)."""
    for name, model in (("claims", AttributedClaim), ("casualties", GoldFigure), ("loaded_terms", LoadedTerm)):
        for index, item in enumerate(raw.get(name) or []):
            unknown = sorted(set(item) - set(model.model_fields)) if isinstance(item, dict) else []
            if unknown:
                yield f"{name}[{index}]", f"unknown field(s) {', '.join(map(repr, unknown))}"


def _item_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _problems(gold: GoldArticle) -> Iterable[tuple[str, str]]:
    """(item path, problem) for every verbatim or convention check that fails."""
    text = gold.text

    def verbatim(where: str, value: str, haystack: str = text, name: str = "article.text") -> Iterable[tuple[str, str]]:
        if not value.strip():
            yield where, "is empty"
        elif value not in haystack:
            yield where, f"{snippet(value, 80, squash=False)} does not occur verbatim in {name}"

    seen_claims: dict[tuple[str, str], int] = {}
    for index, claim in enumerate(gold.claims):
        yield from verbatim(f"claims[{index}].quote", claim.quote)
        key = (" ".join(claim.source.lower().split()), claim.quote)
        if key in seen_claims:
            yield (f"claims[{index}]", f"same source and quote as claims[{seen_claims[key]}] "
                   "(the guide labels one claim per source per sentence)")
        seen_claims.setdefault(key, index)
    for index, figure in enumerate(gold.casualties):
        where = f"casualties[{index}]"
        yield from verbatim(f"{where}.quote", figure.quote)
        yield from verbatim(f"{where}.quantity_text", figure.quantity_text)
        yield from verbatim(f"{where}.quantity_text", figure.quantity_text, figure.quote, "its quote")
        for alt, quote in enumerate(figure.alt_quotes):
            yield from verbatim(f"{where}.alt_quotes[{alt}]", quote)
    for index, term in enumerate(gold.loaded_terms):
        where = f"loaded_terms[{index}]"
        yield from verbatim(f"{where}.quote", term.quote)
        yield from verbatim(f"{where}.term", term.term)
        yield from verbatim(f"{where}.term", term.term, term.quote, "its quote")
