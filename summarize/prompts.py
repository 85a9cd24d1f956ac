"""Prompt versions: one file each in prompts/, YAML front matter plus a Jinja2 body.

The body defines two blocks, ``system`` and ``user``; the user block puts the article
between a line ``<article>`` and a line ``</article>``. A prompt is named on the command
line by its ``name`` (``neutral-v1``) or by a path to a file. Its sha256 (of the file's
bytes) goes into every record's provenance and into the cache key, so editing a prompt
never reuses answers produced by the old text.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

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
        dirs.append(Path(os.environ["SUMMARIZE_PROMPTS_DIR"]))
    dirs += [_PACKAGE_DIR.parent / "prompts", _PACKAGE_DIR / "_prompts"]
    return [d for d in dirs if d.is_dir()]


_ARTICLE_TAG = re.compile(r"<(\s*/?\s*article\b[^<>]*)>", re.IGNORECASE)


def _delimited(text: str) -> str:
    """Text safe to place in the prompt: an ``<article>`` or ``</article>`` tag in it, in
    any case or spacing, gets its angle brackets replaced (‹/article›), so that the data
    block can neither be closed early nor opened a second time."""
    return _ARTICLE_TAG.sub(r"‹\1›", text)


def _one_line(value: str | None) -> str | None:
    """A title, outlet or date for the header lines: one line, no article tags."""
    return None if value is None else _delimited(" ".join(str(value).split()))


_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=False,
)
_ENV.filters["delimited"] = _delimited


@dataclass(frozen=True)
class Prompt:
    """A parsed prompt file."""

    name: str
    version: str
    description: str
    path: Path
    sha256: str
    template: jinja2.Template

    def render(self, article: Article) -> list[dict[str, str]]:
        """Chat messages (system, user) for ``article``. Raises ConfigError when the
        template cannot be rendered (an unknown variable, a failing filter)."""
        shown = SimpleNamespace(
            id=article.id, title=_one_line(article.title), source=_one_line(article.source),
            published=_one_line(article.published), text=article.text,
        )
        try:
            system = "".join(self.template.blocks["system"](self.template.new_context({"article": shown})))
            user = "".join(self.template.blocks["user"](self.template.new_context({"article": shown})))
        except jinja2.TemplateError as exc:
            raise ConfigError(f"prompt {self.name} ({self.path}) cannot be rendered: {exc}") from exc
        return [{"role": "system", "content": system.strip()},
                {"role": "user", "content": user.strip()}]


def _parse(path: Path) -> Prompt:
    raw = path.read_bytes()
    try:
        post = frontmatter.loads(raw.decode("utf-8"))
        template = _ENV.from_string(post.content)
    except (UnicodeDecodeError, ValueError, jinja2.TemplateError) as exc:
        raise ConfigError(f"prompt file {path} cannot be parsed: {exc}") from exc
    missing = {"system", "user"} - set(template.blocks)
    if missing:
        raise ConfigError(f"prompt file {path} lacks the block(s) {', '.join(sorted(missing))}")
    prompt = Prompt(
        name=str(post.get("name") or path.stem),
        version=str(post.get("version", "")),
        description=str(post.get("description", "")),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        template=template,
    )
    from summarize.articles import article_from_text

    # Fail when the prompt is chosen, not on every article of a batch.
    user = prompt.render(article_from_text("Probe text.", title="Probe"))[1]["content"]
    if "<article>\nProbe text.\n</article>" not in user:
        raise ConfigError(f"prompt file {path}: the user block must put the article text "
                          "between a line <article> and a line </article>")
    return prompt


@cache
def _load_cached(path: Path, mtime_ns: int) -> Prompt:
    return _parse(path)


def load_prompt(name_or_path: str | Path | None = None) -> Prompt:
    """The prompt named ``name_or_path`` (default ``neutral-v2``), or the file it points to."""
    wanted = str(name_or_path or DEFAULT_PROMPT)
    candidate = Path(wanted)
    if candidate.suffix == ".md" and candidate.is_file():
        path = candidate.resolve()
    else:
        path = next((d / f"{wanted}.md" for d in prompt_dirs() if (d / f"{wanted}.md").is_file()), None)
        if path is None:
            known = ", ".join(p.name for p in list_prompts()) or "none found"
            raise ConfigError(f"unknown prompt {wanted!r} (known: {known})")
    return _load_cached(path, path.stat().st_mtime_ns)


def list_prompts() -> list[Prompt]:
    """Every prompt version found, by name (the first directory wins on a clash)."""
    found: dict[str, Prompt] = {}
    for directory in prompt_dirs():
        for path in sorted(directory.glob("*.md")):
            if path.stem not in found and path.name.lower() != "readme.md":
                found[path.stem] = _load_cached(path.resolve(), path.stat().st_mtime_ns)
    return list(found.values())
