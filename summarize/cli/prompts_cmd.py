"""``summarize prompts``: list prompt versions, and the eval judge's rubrics, with their sha256."""

from __future__ import annotations

import click

from summarize.prompts import DEFAULT_PROMPT, list_prompts


@click.command()
@click.option("--full-hash", is_flag=True, help="Print the whole sha256, not its first 12 digits.")
def prompts(full_hash: bool) -> None:
    """List prompt versions with their sha256 (the default is starred), then the rubrics
    of the eval's model judge (summarize eval --judge-model; prompts/judges/)."""
    from summarize.evaluation.judge import DEFAULT_RUBRIC, list_rubrics

    for prompt in list_prompts():
        digest = prompt.sha256 if full_hash else prompt.sha256[:12]
        star = "*" if prompt.name == DEFAULT_PROMPT else " "
        click.echo(f"{star} {prompt.name:<16} {digest}  {prompt.description}")
    rubrics = list_rubrics()
    if rubrics:
        click.echo("Judge rubrics (summarize eval --judge-model M --judge-rubric NAME):")
        for rubric in rubrics:
            digest = rubric.sha256 if full_hash else rubric.sha256[:12]
            star = "*" if rubric.name == DEFAULT_RUBRIC else " "
            click.echo(f"{star} {rubric.name:<16} {digest}  {rubric.description}")
