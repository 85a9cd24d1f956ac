"""The ``summarize`` command line: a click group whose commands live in this package.

Errors are turned into one-line messages here, in one place: a ConfigError, an
invalid gold file, a local model server that does not start, or a file that cannot be
written (any usage or configuration error) exits 2; an interrupted run 130. Data goes to
stdout or -o; progress and notices go to stderr.

Conventions every command gets from the group (a new command only has to be added in
:func:`_register`, or to a :class:`SummarizeGroup` for a command with subcommands):

- ``-h/--help`` and ``-v/--verbose`` (log lines on stderr, keys blanked; see
  summarize.cli.verbosity), added to every command and subcommand;
- every option can be set from the environment: ``SUMMARIZE_<COMMAND>_<OPTION>``
  (click's ``auto_envvar_prefix``, e.g. ``SUMMARIZE_REPORT_TITLE``); a command whose
  options are settings shared by all (run, eval) uses ``context_settings=FLAT_ENV`` and
  reads ``SUMMARIZE_<OPTION>`` instead; an option with its own ``envvar=`` (the model and
  batch options, ``OPENAI_BASE_URL``) reads that first. click names the variable after
  the option's parameter: one whose parameter is not named after its long flag
  (``--format`` as ``fmt``) says ``envvar=`` itself (tests/test_cli_conventions.py checks).
"""

from __future__ import annotations

import gc
import signal
import sys

import click

from summarize.cli.group import CONTEXT_SETTINGS, SummarizeGroup, with_conventions
from summarize.model.backend import freeze_later_imports


@click.group(cls=SummarizeGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="summarize", message="summarize %(version)s",
                      allow_from_autoenv=False)
def cli() -> None:
    """Neutral, structured, verifiable summaries of conflict reporting.

    \b
    Examples:
      summarize run examples/articles -o out.jsonl
      summarize run news/ --base-url http://127.0.0.1:8080/v1 -o out.jsonl
      summarize report out.jsonl -o review.html
      summarize events out.jsonl -o events.html
      summarize batch submit news/ --job news.job.json -o news.jsonl   # OpenAI's Batch API
      summarize eval --backend rules --report evals/runs/rules.json
      summarize prompts
      summarize cache info

    Every option can also be set from the environment: SUMMARIZE_<OPTION> for run and eval
    (SUMMARIZE_CONCURRENCY=16), SUMMARIZE_<COMMAND>_<OPTION> for the others.

    Data goes to stdout or -o; progress and notices to stderr. Exit codes: 0 all ok,
    1 some articles failed (or an eval threshold was missed), 2 usage or configuration error.
    """


def _register() -> None:
    # Each command's module is imported when that command runs (or --help lists them).
    for name, target in [("run", "run_cmd:run"), ("batch", "batch_cmd:batch"),
                         ("eval", "eval_cmd:eval_"), ("prompts", "prompts_cmd:prompts"),
                         ("report", "report_cmd:report"), ("cache", "cache_cmd:cache"),
                         ("events", "events_cmd:events")]:
        cli.add_lazy(name, f"summarize.cli.{target}")


with_conventions(cli)
_register()


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    # The tens of thousands of objects made by the imports live as long as the process;
    # frozen, the garbage collector stops re-scanning them in every full collection,
    # which otherwise stalls a concurrent batch now and then. Those of the openai and
    # instructor import, made when the first article needs the model, are frozen too.
    gc.freeze()
    freeze_later_imports()
    # SIGTERM unwinds like Ctrl-C, so that a local model server is stopped and the output
    # file closed (the records written so far are already on disk).
    signal.signal(signal.SIGTERM, _terminate)
    cli.main(prog_name="summarize")
    sys.exit(0)  # pragma: no cover - click exits itself
