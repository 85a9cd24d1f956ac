"""Prompt versions: one file each in prompts/, YAML front matter plus a Jinja2 body.

The body defines two blocks, ``system`` and ``user``; the user block puts the article
between a line ``<article>`` and a line ``</article>``. A prompt is named on the command
line by its ``name`` (``neutral-v1``) or by a path to a file. Its sha256 (of the file's
bytes) goes into every record's provenance and into the cache key, so editing a prompt
never reuses answers produced by the old text.

The parsing, lookup and rendering of such files (TemplateFile, load_template,
list_templates) serve other prompt files too: the eval judge's rubrics
(summarize.evaluation.judge).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

import frontmatter
import jinja2

from summarize.errors import ConfigError

if TYPE_CHECKING:
    from summarize.articles import Article

DEFAULT_PROMPT = "neutral-v2"

_PACKAGE_DIR = Path(__file__).resolve().parent


def prompt_dirs() -> list[Path]:
    """Where prompt files are looked up, first match wins: $SUMMARIZE_PROMPTS_DIR, the
    repository's prompts/ (editable install), the copy inside an installed wheel."""
    dirs = []
    if os.environ.get("SUMMARIZE_PROMPTS_DIR"):
        own = Path(os.environ["SUMMARIZE_PROMPTS_DIR"]).expanduser()
        if not own.is_dir():  # else its prompts would be "unknown" with no word of why
            raise ConfigError(f"SUMMARIZE_PROMPTS_DIR={own}: "
                              f"{'a file, not a folder' if own.exists() else 'no such folder'}")
        dirs.append(own)
    dirs += [_PACKAGE_DIR.parent / "prompts", _PACKAGE_DIR / "_prompts"]
    return [d for d in dirs if d.is_dir()]


def _tag_pattern(tags: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(tag) for tag in tags)
    return re.compile(rf"<(\s*/?\s*(?:{names})\b[^<>]*)>", re.IGNORECASE)


def defused(text: str, tags: tuple[str, ...] = ("article",)) -> str:
    """Text safe to place in a data block: an opening or closing tag of ``tags`` in it
    (``<article>``, ``</article>``), in any case or spacing, gets its angle brackets
    replaced (‹/article›), so that the block can neither be closed early nor opened a
    second time."""
    return _tag_pattern(tags).sub(r"‹\1›", text)


def _delimited(text: str) -> str:
    """``text`` with article tags defused (the prompts' ``delimited`` filter)."""
    return defused(text)


def _one_line(value: str | None) -> str | None:
    """A title, outlet or date for the header lines: one line, no article tags."""
    return None if value is None else _delimited(" ".join(str(value).split()))


@cache
def _environment(tags: tuple[str, ...]) -> jinja2.Environment:
    """The Jinja2 environment of template files whose data blocks are ``tags``."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["delimited"] = lambda text: defused(text, tags)
    return env


T = TypeVar("T", bound="TemplateFile")


@dataclass(frozen=True)
class TemplateFile:
    """A parsed template file: YAML front matter (name, version, description) and a
    Jinja2 body with ``system`` and ``user`` blocks. Subclasses say what kind of file it
    is (for messages), which tags mark their data blocks (the ``delimited`` filter
    defuses them), and what they render."""

    kind: ClassVar[str] = "template"
    data_tags: ClassVar[tuple[str, ...]] = ("article",)

    name: str
    version: str
    description: str
    path: Path
    sha256: str
    template: jinja2.Template

    def messages(self, context: dict[str, object]) -> list[dict[str, str]]:
        """Chat messages (system, user) of the two blocks rendered with ``context``.
        Raises ConfigError when the template cannot be rendered (an unknown variable, a
        failing filter)."""
        try:
            system = "".join(self.template.blocks["system"](self.template.new_context(context)))
            user = "".join(self.template.blocks["user"](self.template.new_context(context)))
        except jinja2.TemplateError as exc:
            raise ConfigError(f"{self.kind} {self.name} ({self.path}) cannot be rendered: {exc}") from exc
        return [{"role": "system", "content": system.strip()}, {"role": "user", "content": user.strip()}]

    def check(self) -> None:
        """Raise ConfigError when the parsed file cannot do its job (run once, on load)."""

    @classmethod
    def parse(cls: type[T], path: Path) -> T:
        """The file at ``path``; ConfigError when it cannot be parsed or lacks a block."""
        raw = path.read_bytes()
        try:
            post = frontmatter.loads(raw.decode("utf-8"))
            template = _environment(cls.data_tags).from_string(post.content)
        except (UnicodeDecodeError, ValueError, jinja2.TemplateError) as exc:
            raise ConfigError(f"{cls.kind} file {path} cannot be parsed: {exc}") from exc
        missing = {"system", "user"} - set(template.blocks)
        if missing:
            raise ConfigError(f"{cls.kind} file {path} lacks the block(s) {', '.join(sorted(missing))}")
        parsed = cls(name=str(post.get("name") or path.stem), version=str(post.get("version", "")),
                     description=str(post.get("description", "")), path=path,
                     sha256=hashlib.sha256(raw).hexdigest(), template=template)
        parsed.check()
        return parsed


@dataclass(frozen=True)
class Prompt(TemplateFile):
    """A parsed prompt file."""

    kind: ClassVar[str] = "prompt"

    def render(self, article: Article) -> list[dict[str, str]]:
        """Chat messages (system, user) for ``article``. Raises ConfigError when the
        template cannot be rendered (an unknown variable, a failing filter)."""
        shown = SimpleNamespace(
            id=article.id, title=_one_line(article.title), source=_one_line(article.source),
            published=_one_line(article.published), text=article.text,
        )
        return self.messages({"article": shown})

    def check(self) -> None:
        """Fail when the prompt is chosen, not on every article of a batch: the user
        block must hold the article between a line <article> and a line </article>."""
        from summarize.articles import article_from_text

        user = self.render(article_from_text("Probe text.", title="Probe"))[1]["content"]
        if "<article>\nProbe text.\n</article>" not in user:
            raise ConfigError(f"prompt file {self.path}: the user block must put the article text "
                              "between a line <article> and a line </article>")


@cache
def _load_cached(kind: type[TemplateFile], path: Path, mtime_ns: int) -> TemplateFile:
    return kind.parse(path)


def load_template(kind: type[T], name_or_path: str | Path, *, dirs: Sequence[Path]) -> T:
    """The template file of class ``kind`` named ``name_or_path`` (looked up as NAME.md
    in ``dirs``, first match wins), or the .md file it points to. Parsed files are cached
    until they change."""
    wanted = str(name_or_path)
    candidate = Path(wanted)
    if candidate.suffix == ".md":
        if not candidate.is_file():
            named = candidate.parent == Path(".") and any((d / candidate.name).is_file() for d in dirs)
            hint = f"; the {kind.kind} {candidate.stem!r} is named without .md" if named else ""
            raise ConfigError(f"{kind.kind} file {wanted}: no such file{hint}")
        path = candidate.resolve()
    else:
        path = next((d / f"{wanted}.md" for d in dirs if (d / f"{wanted}.md").is_file()), None)
        if path is None and candidate.is_file():
            raise ConfigError(f"{kind.kind} file {wanted}: not a .md file (a {kind.kind} file is "
                              "markdown: front matter, then a system and a user block)")
        if path is None:
            known = ", ".join(t.name for t in list_templates(kind, dirs=dirs)) or "none found"
            raise ConfigError(f"unknown {kind.kind} {wanted!r} (known: {known})")
    return cast(T, _load_cached(kind, path, path.stat().st_mtime_ns))


def list_templates(kind: type[T], *, dirs: Sequence[Path]) -> list[T]:
    """Every template file of class ``kind`` in ``dirs`` (README.md aside), by name; the
    first folder wins on a clash."""
    found: dict[str, T] = {}
    for directory in dirs:
        for path in sorted(directory.glob("*.md")):
            if path.stem not in found and path.name.lower() != "readme.md":
                found[path.stem] = cast(T, _load_cached(kind, path.resolve(), path.stat().st_mtime_ns))
    return list(found.values())


def load_prompt(name_or_path: str | Path | None = None) -> Prompt:
    """The prompt named ``name_or_path`` (default ``neutral-v2``), or the file it points to."""
    return load_template(Prompt, name_or_path or DEFAULT_PROMPT, dirs=prompt_dirs())


def list_prompts() -> list[Prompt]:
    """Every prompt version found, by name (the first directory wins on a clash)."""
    return list_templates(Prompt, dirs=prompt_dirs())
