"""Write docs/cli.md: the `--help` of every command, so that docs and code cannot drift.

    python scripts/cli_reference.py            # rewrite docs/cli.md
    python scripts/cli_reference.py --check    # exit 1 if docs/cli.md is out of date

tests/test_docs.py runs the check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def command_paths(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of ``group`` and of every command and subcommand under it, sorted."""
    paths = [path]
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            paths += command_paths(command, (*path, name))
        else:
            paths.append((*path, name))
    return paths


def reference() -> str:
    """The markdown page: one section per command (subcommands too), its --help in a
    code block."""
    from summarize.cli import cli

    runner = CliRunner()
    sections = ["# Command-line reference", "",
                "Generated from `--help` by `python scripts/cli_reference.py`; do not edit.", ""]
    for path in command_paths(cli):
        args = [*path, "--help"]
        result = runner.invoke(cli, args, prog_name="summarize", terminal_width=100,
                               env={"COLUMNS": "100"})
        if result.exit_code != 0:
            raise SystemExit(f"summarize {' '.join(args)} failed: {result.output}")
        title = " ".join(["summarize", *path])
        sections += [f"## `{title}`", "", "```", result.output.rstrip(), "```", ""]
    return "\n".join(sections)


def main(argv: list[str]) -> int:
    text = reference()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text("utf-8") != text:
            print(f"{DOC} is out of date: run python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
