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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
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


def _delimited(text: str) -> str:
    """Article text safe to place between the delimiter lines: a literal closing tag in
    the article cannot end the data block early."""
    return text.replace("</article>", "</ article>").replace("<article>", "< article>")


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
        """Chat messages (system, user) for ``article``."""
        context = self.template.new_context({"article": article})
        system = "".join(self.template.blocks["system"](context)).strip()
        context = self.template.new_context({"article": article})
        user = "".join(self.template.blocks["user"](context)).strip()
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]


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
    return Prompt(
        name=str(post.get("name") or path.stem),
        version=str(post.get("version", "")),
        description=str(post.get("description", "")),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        template=template,
    )


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
