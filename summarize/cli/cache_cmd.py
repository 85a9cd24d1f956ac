"""``summarize cache info|clear``: what the record cache holds, and emptying it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from summarize.batch.cache import cache_info, clear_cache, default_cache_dir
from summarize.cli.group import SummarizeGroup
from summarize.cli.options import env

_CACHE_DIR = click.option(
    "--cache-dir", type=click.Path(file_okay=False), envvar=env("cache_dir"),
    help="Cache folder.  [default: $SUMMARIZE_CACHE_DIR, else $XDG_CACHE_HOME/summarize, "
    "else ~/.cache/summarize]")


def _folder(cache_dir: str | None) -> Path:
    return Path(cache_dir) if cache_dir else default_cache_dir()


def _size(size: int) -> str:
    """``size`` bytes in the largest unit that keeps the number at 1 or more."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size:,} bytes" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


@click.group(cls=SummarizeGroup)
def cache() -> None:
    """Show or empty the record cache (the answers `run` and `eval` reuse).

    \b
    Examples:
      summarize cache info
      summarize cache info --json
      summarize cache clear
      summarize cache clear --expired
    """


@cache.command()
@_CACHE_DIR
@click.option("--json", "as_json", is_flag=True, envvar="SUMMARIZE_CACHE_INFO_JSON",
              help="Print {path, exists, entries, size_bytes, size_limit_bytes} as JSON.")
def info(cache_dir: str | None, as_json: bool) -> None:
    """Where the cache is, how many records it holds and its size on disk."""
    found = cache_info(_folder(cache_dir))
    if as_json:
        click.echo(json.dumps(found.as_dict(), indent=2))
        return
    click.echo(f"path     {found.path}{'' if found.exists else '  (no cache yet)'}")
    click.echo(f"entries  {found.entries:,}")
    click.echo(f"size     {_size(found.size_bytes)} (limit {_size(found.size_limit_bytes)})")


@cache.command()
@_CACHE_DIR
@click.option("--expired", is_flag=True, envvar="SUMMARIZE_CACHE_CLEAR_EXPIRED",
              help="Remove only the records older than the --cache-ttl they were stored with.")
def clear(cache_dir: str | None, expired: bool) -> None:
    """Remove the cached records (the next run asks the model again)."""
    folder = _folder(cache_dir)
    removed = clear_cache(folder, expired_only=expired)
    kind = "expired record(s)" if expired else "record(s)"
    click.echo(f"Removed {removed:,} {kind} from {folder}", err=True)
