"""``summarize prompts``: list prompt versions with their sha256."""

from __future__ import annotations

import json

import click

from summarize.cli.display import shown_path
from summarize.prompts import DEFAULT_PROMPT, list_prompts


@click.command()
@click.option("--full-hash", is_flag=True, help="Print the whole sha256, not its first 12 digits.")
@click.option("--json", "as_json", is_flag=True, envvar="SUMMARIZE_PROMPTS_JSON",
              help="Print a JSON list of {name, version, sha256, description, default, path}.")
def prompts(full_hash: bool, as_json: bool) -> None:
    """List prompt versions with their sha256 (the default is starred).

    \b
    Examples:
      summarize prompts
      summarize prompts --json
    """
    found = list_prompts()
    if as_json:
        click.echo(json.dumps([
            {"name": p.name, "version": p.version, "sha256": p.sha256,
             "description": p.description, "default": p.name == DEFAULT_PROMPT,
             "path": shown_path(p.path)}
            for p in found], indent=2, ensure_ascii=False))
        return
    for prompt in found:
        digest = prompt.sha256 if full_hash else prompt.sha256[:12]
        star = "*" if prompt.name == DEFAULT_PROMPT else " "
        click.echo(f"{star} {prompt.name:<16} {digest}  {prompt.description}")
