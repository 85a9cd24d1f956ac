"""The command group every ``summarize`` command belongs to, and the conventions it
gives each command (see summarize.cli): -v/--verbose on every command and subcommand,
SummarizeError reported as one line with its exit code."""

from __future__ import annotations

import importlib
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
    SummarizeError as one line, without a traceback.

    A command added with :meth:`add_lazy` is imported when it is first looked up, so that
    ``summarize run`` does not import every other command's module (the evaluation, the
    events, the review page): about a sixth of its start-up. Reading :attr:`commands`
    imports them all."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: Commands not imported yet: name -> "module:attribute".
        self._lazy: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> dict[str, click.Command]:  # type: ignore[override]
        """Every command of the group (the lazy ones imported now)."""
        for name in list(self._lazy):
            self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self._lazy.pop(name, None)
        self._commands[name] = with_conventions(cmd)

    def add_lazy(self, name: str, target: str) -> None:
        """Add the command ``name``, the object ``target`` ("module:attribute") names,
        to be imported when it is first looked up."""
        self._lazy[name] = target

    def _load(self, name: str) -> None:
        module, _, attribute = self._lazy[name].partition(":")
        self.add_command(getattr(importlib.import_module(module), attribute), name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            self._load(cmd_name)
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._commands, *self._lazy})

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
