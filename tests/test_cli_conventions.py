"""Conventions every command follows: -v/--verbose (log lines on stderr, keys blanked),
every option settable from the environment, --temperature and --seed sent to the
endpoint, prompts --json and eval -q."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from summarize.cli import cli
from tests.conftest import run_cli, run_python
from tests.fault_server import FaultServer
from tests.test_cli_run import read_records

TEXT = "At least 12 civilians were killed in Aleppo on Monday, the Syrian Observatory said."


def every_command(group: click.Group = cli, path: tuple[str, ...] = ()):
    """(path, command) for every command and subcommand of the CLI."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))
        else:
            yield (*path, name), command


def expected_variable(path: tuple[str, ...], option: click.Option) -> str:
    """SUMMARIZE_<OPTION> for run and eval, SUMMARIZE_<COMMAND>_<OPTION> for the others
    (the option named by its long flag)."""
    flag = max(option.opts, key=len).lstrip("-").upper().replace("-", "_")
    where = [] if path in (("run",), ("eval",)) else [p.upper() for p in path]
    return "_".join(["SUMMARIZE", *where, flag])


def context_of(path: tuple[str, ...]) -> click.Context:
    """The context click makes for the (sub)command at ``path``."""
    context = cli.make_context("summarize", [], resilient_parsing=True)
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
        context = command.make_context(name, [], parent=context, resilient_parsing=True)
    return context


#: Options that must come from the command line only, never from the environment:
#: (command path, option name) -> why.
COMMAND_LINE_ONLY = {
    (("batch", "collect"), "lost_batches"): "resends a batch's requests: named for one job, by hand",
}


@pytest.mark.parametrize("path, command", list(every_command()),
                         ids=[" ".join(path) for path, _ in every_command()])
def test_every_option_is_read_from_its_environment_variable(path, command, monkeypatch):
    context = context_of(path)
    options = [p for p in command.params if isinstance(p, click.Option) and p.name != "help"]
    assert any(p.name == "verbose" for p in options), f"{path}: no -v/--verbose"
    for option in options:
        own = option.envvar if isinstance(option.envvar, list) else [option.envvar] if option.envvar else []
        for name in own:  # the test's own environment sets some (SUMMARIZE_CACHE_DIR)
            monkeypatch.delenv(name, raising=False)
        variable = expected_variable(path, option)
        monkeypatch.setenv(variable, "from-the-environment")
        expected = None if (path, option.name) in COMMAND_LINE_ONLY else "from-the-environment"
        assert option.resolve_envvar_value(context) == expected, (path, variable)
        monkeypatch.delenv(variable)


def test_documented_variables_still_set_their_options(tmp_path: Path):
    (tmp_path / "a.txt").write_text(f"Title\n{TEXT}\n")
    with FaultServer() as server:
        result = run_cli("run", "a.txt", "-o", "out.jsonl", cwd=tmp_path,
                         env={"OPENAI_BASE_URL": server.base_url, "SUMMARIZE_MODEL": "m-1",
                              "SUMMARIZE_TEMPERATURE": "0.3", "SUMMARIZE_SEED": "42",
                              "SUMMARIZE_MAX_TOKENS": "777", "SUMMARIZE_QUIET": "1"})
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        [body] = server.received
    assert (body["model"], body["temperature"], body["seed"], body["max_tokens"]) == (
        "m-1", 0.3, 42, 777)
    [record] = read_records(tmp_path / "out.jsonl")
    provenance = record["provenance"]
    assert (provenance["temperature"], provenance["seed"], provenance["strict"]) == (0.3, 42, False)


def test_temperature_and_seed_flags_reach_the_request_and_change_the_cache_key(tmp_path: Path):
    (tmp_path / "a.txt").write_text(f"Title\n{TEXT}\n")
    with FaultServer() as server:
        def run(*flags: str) -> dict:
            result = run_cli("run", "a.txt", "--base-url", server.base_url, *flags, cwd=tmp_path)
            assert result.returncode == 0, result.stderr
            return json.loads(result.stdout)

        first = run("--temperature", "0.5", "--seed", "7")
        assert server.received[-1]["temperature"] == 0.5 and server.received[-1]["seed"] == 7
        assert run("--temperature", "0.5", "--seed", "7")["provenance"]["cached"] is True
        assert run("--temperature", "0.5", "--seed", "8")["provenance"]["cached"] is False
        assert run("--temperature", "0.5")["provenance"]["cached"] is False
        assert "seed" not in server.received[-1], "no seed is sent unless one is given"
    assert first["provenance"]["seed"] == 7
    bad = run_cli("run", "a.txt", "--temperature", "3", cwd=tmp_path)
    assert bad.returncode == 2 and "--temperature" in bad.stderr


def test_verbose_logs_to_stderr_with_the_key_blanked(tmp_path: Path):
    key = "sk-test-verbose-0123456789abcdef"
    (tmp_path / "a.txt").write_text(f"Title\n{TEXT}\n")
    with FaultServer() as server:
        server.set("echo_key")
        result = run_cli("run", "a.txt", "-vv", "--base-url", server.base_url, "--max-retries",
                         "0", cwd=tmp_path, env={"OPENAI_API_KEY": key})
    assert result.returncode == 1
    loggers = {line.split()[1].rstrip(":").split(".")[0] for line in result.stderr.splitlines()
               if line.startswith(("DEBUG ", "INFO ", "WARNING ", "ERROR "))}
    # The HTTP stack's own lines come from httpx2 (the SDK's client; the connections under
    # it are aiohttp's, which logs no request line).
    assert {"openai", "instructor", "httpx2"} <= loggers, loggers
    assert key not in result.stderr and key[3:] not in result.stderr
    assert "[redacted]" in result.stderr
    quiet = run_cli("run", "a.txt", "--backend", "rules", cwd=tmp_path)
    assert not any(line.startswith(("DEBUG ", "INFO ")) for line in quiet.stderr.splitlines())


def test_verbose_is_accepted_by_every_command_and_the_group(tmp_path: Path):
    for path, _ in every_command():
        result = run_cli(*path, "-v", "--help", cwd=tmp_path)
        assert result.returncode == 0, (path, result.stderr)
    assert run_cli("-v", "prompts", cwd=tmp_path).returncode == 0


def test_prompts_json_lists_every_prompt(tmp_path: Path):
    result = run_cli("prompts", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    plain = run_cli("prompts", "--full-hash", cwd=tmp_path).stdout.splitlines()
    assert len(listed) == len(plain) and sum(p["default"] for p in listed) == 1
    for prompt, line in zip(listed, plain, strict=True):
        assert prompt["name"] in line and prompt["sha256"] in line and len(prompt["sha256"]) == 64


def test_eval_quiet_prints_the_table_and_nothing_else(tmp_path: Path):
    result = run_cli("eval", "-q", "--backend", "rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "| casualties.f1" in result.stdout
    loud = run_cli("eval", "--backend", "rules", cwd=tmp_path)
    assert "Loaded" in loud.stderr


def test_the_command_line_starts_without_importing_the_sdk():
    """openai and instructor are imported when a request is to be sent, not when the
    command line is loaded: a resume, a warm-cache rerun, --help or the rules backend
    would otherwise spend about a second importing the SDK's types."""
    probe = ("import sys, summarize.cli, summarize.batch.runner, summarize.pipeline; "
             "print(sorted(m for m in ('openai', 'instructor') if m in sys.modules))")
    assert run_python(probe).strip() == "[]"


def test_a_command_is_imported_when_looked_up_and_the_group_still_lists_them_all():
    """``summarize run`` imports run's module, not those of eval, events or report (a fresh
    interpreter: this one imported them all); --help and an unknown command see every
    command, a misspelt one gets the nearest name."""
    probe = ("import sys, click\n"
             "from summarize.cli import cli\n"
             "cli.get_command(click.Context(cli), 'run')\n"
             "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('summarize.cli.')"
             " and m.endswith('_cmd')))")
    assert run_python(probe).split() == ["['batch_cmd',", "'run_cmd']"]  # run has the batch flags
    assert cli.list_commands(click.Context(cli)) == sorted(cli.commands) == [
        "batch", "cache", "eval", "events", "prompts", "report", "run"]
    misspelt = run_cli("rnu", cwd=Path.cwd())
    assert misspelt.returncode == 2 and "No such command 'rnu'. Did you mean 'run'?" in misspelt.stderr
