"""Configuration errors: one line on stderr, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def test_openai_backend_without_key_or_base_url(tmp_path: Path):
    (tmp_path / "x.txt").write_text("Title\nShelling hit Aleppo.")
    result = run_cli("run", "x.txt", "--backend", "openai", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "OPENAI_API_KEY" in lines[0] and "Traceback" not in result.stderr


def test_unknown_prompt_is_a_configuration_error(tmp_path: Path):
    (tmp_path / "x.txt").write_text("Title\nShelling hit Aleppo.")
    result = run_cli("run", "x.txt", "--prompt", "no-such-prompt", "--base-url",
                     "http://127.0.0.1:9/v1", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown prompt 'no-such-prompt'" in result.stderr
    assert "Traceback" not in result.stderr


def test_prompts_command_lists_versions_with_hashes(tmp_path: Path):
    result = run_cli("prompts", cwd=tmp_path)
    assert result.returncode == 0
    assert "neutral-v1" in result.stdout and "neutral-v2" in result.stdout
