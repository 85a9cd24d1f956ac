"""The command group every ``summarize`` command belongs to, and the conventions it
gives each command (see summarize.cli): -v/--verbose on every command and subcommand,
SummarizeError reported as one line with its exit code."""

from __future__ import annotations

import sys
from typing import Any

import click

from summarize.cli.options import ENV_PREFIX
from summarize.cli.verbosity import verbose_option
from summarize.errors import ConfigError, EvalDataError, LocalServerError, SummarizeError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100,
                    "auto_envvar_prefix": ENV_PREFIX}


def with_conventions(command: click.Command) -> click.Command:
    """``command`` (and its subcommands) with the options every command has (-v), each
    option's environment variable shown in its --help."""
    if not any(param.name == "verbose" for param in command.params):
        command.params.append(verbose_option())
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            param.show_envvar = True
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            with_conventions(sub)
    return command


class SummarizeGroup(click.Group):
    """A click group that gives each command it holds the common options, and reports
    SummarizeError as one line, without a traceback."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(with_conventions(cmd), name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ConfigError, EvalDataError, LocalServerError) as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except SummarizeError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            # The reader went away (`summarize run ... | head`): nothing more to say.
            sys.stderr.close()
            ctx.exit(1)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
