"""The docs that are generated or quoted from the code stay in step with it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_up_to_date():
    result = subprocess.run([sys.executable, "scripts/cli_reference.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Run the tests", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^    (\S.*)$", section, re.M)
    assert commands, "README's 'Run the tests' section shows no command"
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert ci_lines[-1] == commands[0], "the last command of .ci/run is not README's test command"


# ---- every flag and environment variable the docs name exists ----------------------------

#: Flags of programs that are not this project's, named in the docs.
EXTERNAL_FLAGS = {"--basetemp": "pytest", "--dump-dom": "chromium", "--no-cache-dir": "pip",
                  "--record-mode": "pytest-recording", "--clear": "python -m venv"}
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
_VARIABLE = re.compile(r"\b(?:SUMMARIZE|OPENAI)_[A-Z0-9_]*[A-Z0-9]\b")
#: A command line of this project: summarize, one of its test servers, benchmarks or scripts;
#: it runs to the end of the inline code span, a pipe, a ; or && or a comment.
_INVOCATION = re.compile(
    r"(?:(?<=^)|(?<=[\s`$(]))(summarize|python -m tests\.\w+|python (?:benchmarks|scripts)/\w+\.py)"
    r"(?=\s|$)([^`|;&#\n]*)")


def _cli_tree():
    from summarize.cli import cli

    def walk(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, (*path, name))

    return cli, dict(walk(cli, ()))


def _flags_of(command) -> set[str]:
    flags = {"--help"}
    for param in command.params:
        flags.update(o for o in [*param.opts, *param.secondary_opts] if o.startswith("--"))
    return flags


def _script_flags(path: Path) -> set[str]:
    """The long flags an argparse script of the repository declares."""
    return set(re.findall(r"add_argument\(\s*\"(--[a-z][a-z0-9-]*)\"", path.read_text("utf-8")))


def _variables_of_the_cli(tree) -> set[str]:
    """Every environment variable an option reads: its own, and click's automatic one."""
    import click

    found: set[str] = set()
    cli = tree[()]
    for path, command in tree.items():
        context = cli.make_context("summarize", [], resilient_parsing=True)
        current = cli
        for name in path:
            current = current.commands[name]
            context = current.make_context(name, [], parent=context, resilient_parsing=True)
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            own = param.envvar if isinstance(param.envvar, list) else [param.envvar]
            found.update(v for v in own if v)
            if context.auto_envvar_prefix and param.name:
                found.add(f"{context.auto_envvar_prefix}_{param.name.upper()}")
    return found


def _read_by_code(name: str) -> bool:
    """True when this package, or the openai SDK it drives, reads ``name`` itself."""
    import openai

    sources = [*(ROOT / "summarize").rglob("*.py"), *Path(openai.__file__).parent.rglob("*.py")]
    quoted = (f'"{name}"', f"'{name}'")
    return any(q in path.read_text("utf-8", "replace") for path in sources for q in quoted)


def undocumented(text: str, *, where: str = "text") -> list[str]:
    """Flags and environment variables in ``text`` that do not exist: a flag given to a
    command of this project that the command lacks, any other flag that no command of
    this project nor a known external program has, a variable nothing reads."""
    cli, tree = _cli_tree()
    every_flag = set().union(*(_flags_of(c) for c in tree.values()))
    scripts = {p: _script_flags(p) for p in [*ROOT.glob("benchmarks/*.py"),
                                             *ROOT.glob("scripts/*.py"), *ROOT.glob("tests/*.py")]}
    every_flag |= set().union(*scripts.values()) | set(EXTERNAL_FLAGS)
    variables = _variables_of_the_cli(tree)
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for program, rest in _INVOCATION.findall(line):
            flags = set(_FLAG.findall(rest))
            if program == "summarize":
                words = rest.split()
                path = tuple(words[:1])
                if path not in tree:
                    continue  # "summarize" as a word of prose
                if len(words) > 1 and (*path, words[1]) in tree:
                    path = (*path, words[1])
                known = _flags_of(tree[path]) | _flags_of(cli)
            else:
                name = program.split()[-1]
                script = ROOT / (name.replace(".", "/") + ".py" if program.startswith("python -m")
                                 else name)
                known = scripts.get(script, set()) | {"--help"}
            for flag in sorted(flags - known):
                problems.append(f"{where}:{number}: {program} has no {flag}")
        for flag in sorted(set(_FLAG.findall(line)) - every_flag):
            problems.append(f"{where}:{number}: no command has {flag}")
        for name in sorted(set(_VARIABLE.findall(line))):
            if name not in variables and not _read_by_code(name):
                problems.append(f"{where}:{number}: nothing reads {name}")
    return problems


def test_every_flag_and_variable_the_docs_name_exists():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    problems = []
    for page in pages:
        if page.name != "cli.md":  # generated from --help: checked above
            problems += undocumented(page.read_text("utf-8"), where=str(page.relative_to(ROOT)))
    assert problems == []


def test_the_docs_check_finds_what_does_not_exist():
    text = ("    $ summarize run in --no-such-flag --concurrency 2\n"
            "Use `summarize eval --rpm 10 --gold x` or SUMMARIZE_NO_SUCH_VARIABLE=1.\n"
            "`summarize run --fail-under x=1` and --made-up-flag alone; "
            "`python -m tests.fault_server --port 1 --concurrency 3`\n"
            "SUMMARIZE_CONCURRENCY, SUMMARIZE_PROMPTS_DIR, OPENAI_LOG and summarize cache info --json.\n")
    assert undocumented(text) == [
        "text:1: summarize has no --no-such-flag",
        "text:1: no command has --no-such-flag",
        "text:2: nothing reads SUMMARIZE_NO_SUCH_VARIABLE",
        "text:3: summarize has no --fail-under",
        "text:3: python -m tests.fault_server has no --concurrency",
        "text:3: no command has --made-up-flag",
    ]


def test_no_page_shows_a_machines_absolute_path():
    """Docs show paths relative to the repository (scratch files under /tmp are made by
    the commands shown beside them)."""
    pattern = re.compile(r"(?<![\w.])/(?:work|home|Users|root|opt|srv)/\S*")
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        found = pattern.findall(page.read_text("utf-8"))
        assert found == [], f"{page.relative_to(ROOT)}: {found[:3]}"
