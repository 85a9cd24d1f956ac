"""Inputs of a batch: globs, hidden files, the run's own output, binary and oversized
files, UTF-16 — each input becomes an article, a bad one with a specific error."""

from __future__ import annotations

from pathlib import Path

import pytest

import summarize.inputs as inputs_module
from summarize.inputs import load_articles


def test_glob_expands_and_a_glob_matching_nothing_is_an_error_article(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / "news" / name).write_text(f"Title {name}\nBody of {name}.")
    found = load_articles(["news/*.txt", "missing/*.html"])
    assert [Path(a.path).name for a in found[:2]] == ["a.txt", "b.txt"]
    assert found[2].error == "missing/*.html: no file matches this pattern"


def test_folders_skip_hidden_files_and_the_excluded_output(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("Not an article\nat all.")
    (tmp_path / ".draft.txt").write_text("Hidden\ndraft.")
    (tmp_path / "story.txt").write_text("Story\nShelling hit the town.")
    (tmp_path / "out.jsonl").write_text('{"id": "x", "status": "ok"}\n')
    found = load_articles([tmp_path], exclude=[tmp_path / "out.jsonl"])
    assert [Path(a.path).name for a in found] == ["story.txt"]


@pytest.mark.parametrize("walked, output", [
    ("news", "news/out.jsonl"),
    ("news", "{tmp}/news/out.jsonl"),        # absolute, the folder relative
    ("{tmp}/news", "news/out.jsonl"),        # the other way round
    ("linked", "news/out.jsonl"),            # the folder through a symlink
    ("news", "linked/out.jsonl"),            # the output through one
    ("news", "elsewhere/../news/out.jsonl"),
    ("news", "alias.jsonl"),                 # a symlink to the output, named otherwise
])
def test_the_output_is_excluded_however_its_path_is_written(tmp_path: Path, monkeypatch, walked,
                                                            output):
    """The walk resolves only names that can be the output (its name, or a symlink's):
    every way of reaching the same file still leaves it out."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "news" / "story.txt").write_text("Story\nShelling hit the town.")
    (tmp_path / "news" / "out.jsonl").write_text('{"id": "x", "status": "ok"}\n')
    (tmp_path / "news" / "link.jsonl").symlink_to(tmp_path / "news" / "out.jsonl")
    (tmp_path / "linked").symlink_to(tmp_path / "news", target_is_directory=True)
    (tmp_path / "alias.jsonl").symlink_to(tmp_path / "news" / "out.jsonl")
    found = load_articles([walked.format(tmp=tmp_path)], exclude=[output.format(tmp=tmp_path)])
    assert [Path(a.path).name for a in found] == ["story.txt"]


@pytest.mark.parametrize("data, expected", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document), not text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary file (a ZIP archive (docx, xlsx, epub ...)), not text"),
    (bytes(range(1, 32)) * 20, "binary file (mostly control characters), not text"),
])
def test_binary_files_get_a_specific_error(tmp_path: Path, data: bytes, expected: str):
    path = tmp_path / "upload.txt"
    path.write_bytes(data)
    [article] = load_articles(path)
    assert article.error == f"{path}: {expected}"
    assert article.text == ""


def test_undecodable_bytes_that_are_mostly_control_characters_are_binary(tmp_path: Path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x01, 0x02]) * 50)
    [article] = load_articles(path)
    assert "binary file" in article.error and "not valid UTF-8" in article.error


def test_utf16_with_a_byte_order_mark_is_decoded(tmp_path: Path):
    path = tmp_path / "windows.txt"
    path.write_bytes("Title\nShelling killed 12 people in Idlib.".encode("utf-16"))
    [article] = load_articles(path)
    assert article.error is None
    assert article.text == "Shelling killed 12 people in Idlib."


def test_a_file_too_large_for_one_article_is_not_read(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(inputs_module, "MAX_FILE_BYTES", 1024)
    path = tmp_path / "dump.txt"
    path.write_text("Title\n" + "word " * 1000)
    [article] = load_articles(path)
    assert "larger than any article" in article.error


def test_ids_are_stable_across_loads(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Title\nShelling hit Aleppo.")
    (tmp_path / "b.json").write_text('{"id": "own-id", "text": "Body."}')
    first = [a.id for a in load_articles(tmp_path)]
    assert first == [a.id for a in load_articles(tmp_path)]
    assert "own-id" in first
