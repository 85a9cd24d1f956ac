"""``summarize prompts``: list prompt versions, and the eval judge's rubrics, with their sha256."""

from __future__ import annotations

import json

import click

from summarize.cli.display import shown_path
from summarize.prompts import DEFAULT_PROMPT, list_prompts


@click.command()
@click.option("--full-hash", is_flag=True, help="Print the whole sha256, not its first 12 digits.")
@click.option("--json", "as_json", is_flag=True, envvar="SUMMARIZE_PROMPTS_JSON",
              help="Print a JSON list of {name, kind, version, sha256, description, default, path}.")
def prompts(full_hash: bool, as_json: bool) -> None:
    """List prompt versions with their sha256 (the default is starred), then the rubrics
    of the eval's model judge (kind "judge": summarize eval --judge-model; prompts/judges/).

    \b
    Examples:
      summarize prompts
      summarize prompts --json
    """
    from summarize.evaluation.judge import list_rubrics

    found = [("prompt", p) for p in list_prompts()] + [("judge", r) for r in list_rubrics()]
    if as_json:
        click.echo(json.dumps([
            {"name": p.name, "kind": kind, "version": p.version, "sha256": p.sha256,
             "description": p.description, "default": kind == "prompt" and p.name == DEFAULT_PROMPT,
             "path": shown_path(p.path)}
            for kind, p in found], indent=2, ensure_ascii=False))
        return
    for kind, prompt in found:
        digest = prompt.sha256 if full_hash else prompt.sha256[:12]
        star = "*" if kind == "prompt" and prompt.name == DEFAULT_PROMPT else " "
        label = "judge rubric: " if kind == "judge" else ""
        click.echo(f"{star} {prompt.name:<16} {digest}  {label}{prompt.description}")
