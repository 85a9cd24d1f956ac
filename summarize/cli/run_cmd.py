"""``summarize run``: summarise articles, one record per article."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import click

from summarize.articles import load_articles
from summarize.cli.options import model_options, settings_from
from summarize.pipeline import Summarizer


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write records here instead of stdout.")
@click.option("--prompt", "-p", envvar="SUMMARIZE_PROMPT", help="Prompt name or path.  [default: neutral-v2]")
@model_options
def run(inputs: tuple[str, ...], output: str | None, prompt: str | None, **params: Any) -> None:
    """Summarise INPUT... (files, folders, globs, - for stdin) into JSONL records."""
    settings = settings_from(params, prompt=prompt)
    articles = load_articles(inputs)

    async def go() -> int:
        failed = 0
        async with Summarizer(settings) as summarizer:
            out = open(output, "w", encoding="utf-8") if output else sys.stdout
            try:
                for article in articles:
                    record = await summarizer.run(article)
                    failed += record.status != "ok"
                    out.write(record.model_dump_json() + "\n")
                    out.flush()
            finally:
                if output:
                    out.close()
        return failed

    failed = asyncio.run(go())
    sys.exit(1 if failed else 0)
