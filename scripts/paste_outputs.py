"""Re-run the commands whose outputs are pasted in the docs and paste what they print now,
so that no figure in the docs is older than the code.

    python scripts/paste_outputs.py                 # rewrite the blocks of README.md and docs/*.md
    python scripts/paste_outputs.py --check         # exit 1, with a diff, when a block is out of date
    python scripts/paste_outputs.py docs/evals.md   # these files only

A pasted block is an indented code block right after the line ``<!-- paste_outputs: run
-->`` (blank lines between them are allowed). Its lines starting with ``$ `` are commands,
each followed by what it prints (stdout and stderr together, in the order a terminal
shows them); a command ending in ``\\`` goes on on the next line, and one with a here
document (``<<'EOF'``) runs to the document's end line. The commands of all blocks of a
file run in order in one scratch folder (a report one block writes, a later one reads)
that holds links to the repository's ``benchmarks/``, ``evals/``, ``examples/``,
``prompts/`` and ``scripts/``, so the commands and their outputs show repository-relative paths. They run
with the Python running this script (``summarize`` and ``python`` are its), no model
endpoint (no ``OPENAI_*`` or ``SUMMARIZE_*`` variable) and a scratch cache.

A line ``...`` in a block stands for output lines left out. When a block has such lines,
each shown output line is matched with a line of the new output with the same key (a
table row: its first cell; another line: its text with the numbers masked), or failing
that the most similar one, in order, and replaced by it; a line directly after another
shown line must directly follow its match. Parts that change on every run (the seconds a run took) are not
compared, and are left as pasted when nothing else changed on the line.

A block marked ``<!-- paste_outputs: recorded ... -->`` instead is a recording that cannot
be re-run here (a real model on another machine, a speed measurement): it is left alone.
``--check`` also fails on a block with a ``$ `` command line and no marker, and on a
fenced block (```` ``` ````) with one, which cannot be re-pasted: indent it under a
marker. tests/test_docs.py runs the check.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Every page a user reads: README.md and docs/*.md (docs/cli.md is generated from --help).
DEFAULT_FILES = ("README.md", *sorted(str(page.relative_to(ROOT)) for page in (ROOT / "docs").glob("*.md")
                                      if page.name != "cli.md"))
#: Folders of the repository linked into the scratch folder the commands run in.
LINKED = ("benchmarks", "evals", "examples", "prompts", "scripts")
RUN = "<!-- paste_outputs: run -->"
RECORDED = "<!-- paste_outputs: recorded"
ELLIPSIS = "..."
INDENT = "    "
#: Parts of an output that change from run to run: not compared.
VOLATILE = (re.compile(r"(?<= in )\d+(?:\.\d+)? s\b"),
            # the seconds on the summary line of `summarize run`: "... · 0 requests · 0.1 s -> out.jsonl"
            re.compile(r"(?<=· )\d+(?:\.\d+)? s(?= ->|$)"))
#: How alike (difflib ratio) a line of the new output must be to a pasted line whose key
#: it does not share, to replace it.
SIMILAR = 0.75
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(\w+)\1")
_SEPARATOR = "@@paste_outputs:{}@@"
TIMEOUT = 600


class PasteError(Exception):
    """A block that cannot be re-run or re-pasted."""


@dataclass
class Command:
    """One ``$`` command of a block: its lines as shown, and the output lines shown after it."""

    lines: list[str]
    shown: list[str]

    @property
    def script(self) -> str:
        """The command as bash runs it."""
        return "\n".join([self.lines[0][2:], *self.lines[1:]])


@dataclass
class Block:
    """A pasted block: where it is in its file (line indices, end excluded) and its commands."""

    start: int
    end: int
    commands: list[Command]


def _strip(line: str) -> str:
    return line[len(INDENT):] if line.startswith(INDENT) else line.strip()


def parse_commands(lines: list[str]) -> list[Command]:
    """The commands of a block's lines (indent removed)."""
    commands: list[Command] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            if not commands:
                raise PasteError(f"output before the first '$ ' command: {lines[i]!r}")
            commands[-1].shown.append(lines[i])
            i += 1
            continue
        command = [lines[i]]
        heredoc = _HEREDOC.search(lines[i])
        while command[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            command.append(lines[i])
        if heredoc:
            end = heredoc.group(2)
            while i + 1 < len(lines) and lines[i].strip() != end:
                i += 1
                command.append(lines[i])
            if command[-1].strip() != end:
                raise PasteError(f"here document {end} not closed in: {command[0]!r}")
        commands.append(Command(lines=command, shown=[]))
        i += 1
    return commands


def find_blocks(text: str) -> tuple[list[Block], list[int]]:
    """The marked blocks of a markdown text to re-run, and the line numbers (1-based) of
    unmarked blocks that show a ``$`` command (fenced blocks included: never re-run)."""
    lines = text.split("\n")
    blocks, unmarked = [], []
    i = 0
    while i < len(lines):
        marker = lines[i].strip()
        if marker == RUN or marker.startswith(RECORDED):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            start = j
            end = _block_end(lines, start)
            if start == end:
                raise PasteError(f"line {i + 1}: {marker} is not followed by an indented block")
            if marker == RUN:
                blocks.append(Block(start, end, parse_commands([_strip(line) for line in lines[start:end]])))
            i = end
            continue
        if lines[i].startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            if any(line.startswith("$ ") for line in lines[i + 1:end]):
                unmarked.append(i + 1)
            i = end + 1
            continue
        if lines[i].startswith(INDENT) and (i == 0 or not lines[i - 1].strip()):
            end = _block_end(lines, i)
            if any(line.startswith(INDENT + "$ ") for line in lines[i:end]):
                unmarked.append(i + 1)
            i = end
            continue
        i += 1
    return blocks, unmarked


def _block_end(lines: list[str], start: int) -> int:
    """The index after the indented block starting at ``start`` (trailing blank lines out)."""
    end = start
    while end < len(lines) and (lines[end].startswith(INDENT) or not lines[end].strip()):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def _environment(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZE_"))}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["SUMMARIZE_CACHE_DIR"] = str(scratch / ".cache")
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order they are written
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("COLUMNS", None)
    return env


def run_commands(commands: list[Command], scratch: Path) -> list[list[str]]:
    """Every command's output lines, the commands run one after another by one bash in
    ``scratch`` (``$?`` is kept from one command to the next)."""
    parts = []
    for number, command in enumerate(commands):
        parts.append(f"__status=$?; printf '\\n{_SEPARATOR.format(number)}\\n'; (exit $__status)")
        parts.append(command.script)
    result = subprocess.run(["bash", "-c", "\n".join(parts)], cwd=scratch, env=_environment(scratch),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=TIMEOUT)
    outputs = []
    text = result.stdout
    for number in range(len(commands)):
        separator = f"\n{_SEPARATOR.format(number)}\n"
        if separator not in text:
            raise PasteError(f"command {commands[number].lines[0]!r} did not run (bash stopped: {text[-500:]!r})")
        _, text = text.split(separator, 1)
        following = f"\n{_SEPARATOR.format(number + 1)}\n"
        own = text.split(following, 1)[0] if number + 1 < len(commands) else text
        outputs.append([line.rstrip() for line in own.rstrip("\n").split("\n")] if own.strip() else [])
    return outputs


def _masked(line: str) -> str:
    for pattern in VOLATILE:
        line = pattern.sub("#", line)
    return line


def _key(line: str) -> str:
    if line.startswith("|"):
        return line.split("|")[1].strip()
    return _NUMBER.sub("#", line)


def repaste(shown: list[str], output: list[str]) -> list[str]:
    """The lines to paste for a command that printed ``output`` where ``shown`` is pasted:
    the output (keeping a shown line that differs only in its volatile parts); with
    ``...`` lines in ``shown``, only the shown lines, each replaced by its match."""
    if ELLIPSIS not in shown:
        return [old if old != new and _masked(old) == _masked(new) else new
                for old, new in _aligned(shown, output)]
    pasted: list[str] = []
    position, free = 0, True
    for line in shown:
        if line == ELLIPSIS:
            pasted.append(line)
            free = True
            continue
        candidates = range(position, len(output)) if free else range(position, min(position + 1, len(output)))
        found = next((k for k in candidates if _key(output[k]) == _key(line)), None)
        if found is None:  # the line's words changed too: the most similar line, if close
            scored = [(difflib.SequenceMatcher(None, _key(output[k]), _key(line)).ratio(), k) for k in candidates]
            best = max(scored, default=(0.0, -1))
            found = best[1] if best[0] >= SIMILAR else None
        if found is None:
            raise PasteError(f"no line of the new output matches the pasted line {line!r}; "
                             "paste this block by hand")
        new = output[found]
        pasted.append(line if _masked(line) == _masked(new) else new)
        position, free = found + 1, False
    return pasted


def _aligned(shown: list[str], output: list[str]) -> list[tuple[str, str]]:
    return [(shown[k] if k < len(shown) else "", line) for k, line in enumerate(output)]


def repaste_text(text: str, scratch: Path) -> str:
    """``text`` with every marked block re-run and re-pasted."""
    blocks, _ = find_blocks(text)
    lines = text.split("\n")
    outputs = [run_commands(block.commands, scratch) for block in blocks]  # in order: one may read another's files
    for block, block_outputs in reversed(list(zip(blocks, outputs, strict=True))):  # earlier line numbers hold
        new: list[str] = []
        for command, output in zip(block.commands, block_outputs, strict=True):
            new += command.lines + repaste(command.shown, output)
        lines[block.start:block.end] = [INDENT + line if line else "" for line in new]
    return "\n".join(lines)


def _scratch_folder(base: Path) -> Path:
    for name in LINKED:
        if (ROOT / name).exists():
            (base / name).symlink_to(ROOT / name, target_is_directory=True)
    return base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="markdown files (default: " + " ".join(DEFAULT_FILES) + ")")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a block is out of date")
    args = parser.parse_args(argv)
    stale = False
    for name in args.files or DEFAULT_FILES:
        path = Path(name) if Path(name).is_absolute() else ROOT / name
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        text = path.read_text("utf-8")
        try:
            _, unmarked = find_blocks(text)
            with tempfile.TemporaryDirectory(prefix="paste-outputs-") as base:
                new = repaste_text(text, _scratch_folder(Path(base)))
        except (PasteError, subprocess.TimeoutExpired) as exc:
            print(f"{shown}: {exc}", file=sys.stderr)
            return 2
        for line in unmarked:
            print(f"{shown}:{line}: a block with a '$ ' command has no '{RUN}' or "
                  f"'{RECORDED} ...' marker", file=sys.stderr)
            stale = True
        if new == text:
            continue
        if args.check:
            sys.stderr.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                                       f"{shown} (pasted)", f"{shown} (now)"))
            print(f"{shown}: pasted outputs are out of date: run python scripts/paste_outputs.py",
                  file=sys.stderr)
            stale = True
        else:
            path.write_text(new, "utf-8")
            print(f"{shown}: pasted outputs rewritten", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
