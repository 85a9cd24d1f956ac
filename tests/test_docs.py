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


# ---- pasted outputs are what their commands print now ------------------------------------


def _paste(tmp_path: Path, block: str, *args: str) -> subprocess.CompletedProcess:
    page = tmp_path / "page.md"
    page.write_text(block, "utf-8")
    return subprocess.run([sys.executable, "scripts/paste_outputs.py", *args, str(page)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_paste_check_fails_on_a_number_that_differs_and_the_rewrite_fixes_it(tmp_path: Path):
    block = ("Six times seven:\n\n<!-- paste_outputs: run -->\n\n"
             "    $ python -c 'print(6 * 7); print(\"ran in 9.9 s\")'\n    41\n    ran in 0.1 s\n\nThe end.\n")
    checked = _paste(tmp_path, block, "--check")
    assert checked.returncode == 1 and "-    41\n+    42" in checked.stderr
    assert _paste(tmp_path, block).returncode == 0
    # the number is fixed; the seconds a run took are not compared and stay as pasted
    assert (tmp_path / "page.md").read_text("utf-8") == block.replace("    41\n", "    42\n")
    assert _paste(tmp_path, (tmp_path / "page.md").read_text("utf-8"), "--check").returncode == 0


def test_the_paste_check_matches_lines_around_an_ellipsis_and_keeps_status(tmp_path: Path):
    script = "print(\"header\"); [print(f\"| row{i} | {i * i} |\") for i in range(9)]; print(\"total 204\")"
    block = ("<!-- paste_outputs: run -->\n\n"
             f"    $ python -c '{script}'; false\n    header\n    | row0 | 0 |\n    ...\n    | row5 | 26 |\n"
             "    ...\n    total 204\n    $ echo $?\n    1\n")
    assert _paste(tmp_path, block, "--check").returncode == 1, "row5 is 25"
    assert _paste(tmp_path, block).returncode == 0
    assert "    | row5 | 25 |\n    ...\n    total 204\n    $ echo $?\n    1\n" in (tmp_path / "page.md").read_text("utf-8")


def test_a_pasted_command_needs_a_marker(tmp_path: Path):
    result = _paste(tmp_path, "Text:\n\n    $ summarize --version\n    summarize 0.1.0\n", "--check")
    assert result.returncode == 1 and "page.md:3: a block with a '$ ' command has no" in result.stderr
    recorded = "<!-- paste_outputs: recorded on another machine -->\n\n    $ summarize --version\n    summarize 9\n"
    assert _paste(tmp_path, recorded, "--check").returncode == 0, "a recording is left alone"


def test_a_fenced_block_with_a_command_fails_the_check(tmp_path: Path):
    # a fenced block cannot be re-pasted, so its output would go stale unseen
    fenced = "Text:\n\n```\n$ summarize --version\nsummarize 0.1.0\n```\n"
    result = _paste(tmp_path, fenced, "--check")
    assert result.returncode == 1 and "page.md:3: a block with a '$ ' command has no" in result.stderr
    plain = "Text:\n\n```sh\nsummarize run --backend rules examples/articles -o rules.jsonl\n```\n"
    assert _paste(tmp_path, plain, "--check").returncode == 0, "a fenced block that shows no output is fine"


def test_the_outputs_pasted_in_the_docs_are_what_their_commands_print_now():
    # README.md, docs/evals.md, docs/events.md and docs/rules.md (paste_outputs.DEFAULT_FILES):
    # every rules-backend figure is re-run and compared.
    result = subprocess.run([sys.executable, "scripts/paste_outputs.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-6000:]


def test_the_paste_check_reads_every_page_of_the_docs():
    # a command's output pasted in any page a user reads is checked, or marked as recorded
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import paste_outputs
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    pages = {"README.md", *(f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md"))}
    assert pages - {"docs/cli.md"} == set(paste_outputs.DEFAULT_FILES)


def test_the_paste_check_ignores_the_seconds_on_a_run_summary_line(tmp_path: Path):
    shown = "45 of 45 articles: 45 ok, 0 failed · 0 requests · 0.4 s -> out.jsonl"
    block = ("<!-- paste_outputs: run -->\n\n"
             f"    $ python -c 'print(\"{shown.replace('0.4 s', '1.7 s')}\")'\n    {shown}\n")
    assert _paste(tmp_path, block, "--check").returncode == 0
    changed = block.replace("45 ok", "44 ok", 1)
    assert _paste(tmp_path, changed, "--check").returncode == 1, "the counts are still compared"
