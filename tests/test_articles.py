"""Loading articles: every input becomes an article, bad ones with a specific error."""

from __future__ import annotations

import io
import json
from pathlib import Path

from summarize.inputs import iter_articles, load_articles

ROOT = Path(__file__).resolve().parent.parent


def test_txt_title_is_the_first_non_empty_line(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("\n\nHeadline here\n\nBody line one.\nBody line two.\n")
    [article] = load_articles(path)
    assert article.title == "Headline here"
    assert article.text == "Body line one.\nBody line two."
    assert article.error is None and len(article.id) == 16


def test_json_record_list_and_jsonl(tmp_path: Path):
    (tmp_path / "one.json").write_text(json.dumps({"id": "x1", "title": "T", "source": "sana",
                                                   "published": "1/2/17", "text": "Body."}))
    (tmp_path / "many.json").write_text(json.dumps([{"headline": "A", "body": "Alpha."},
                                                    {"title": "B", "content": "Beta."}]))
    (tmp_path / "lines.jsonl").write_text('{"id": "l1", "text": "One."}\n\n{"id": "l2", "text": "Two."}\n')
    articles = load_articles(tmp_path)
    by_text = {a.text: a for a in articles}
    assert set(by_text) == {"Body.", "Alpha.", "Beta.", "One.", "Two."}
    assert by_text["Body."].id == "x1" and by_text["Body."].source == "sana"
    assert by_text["Alpha."].title == "A"
    assert [a.id for a in articles if a.path.endswith("lines.jsonl")] == ["l1", "l2"]


def test_bad_inputs_become_articles_with_specific_errors(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "broken.json").write_text('{"text": ')
    (tmp_path / "notext.json").write_text('{"title": "only a title"}')
    errors = {Path(a.path).name: a.error for a in load_articles(tmp_path)}
    assert "empty file" in errors["empty.txt"]
    assert "only whitespace" in errors["blank.txt"]
    assert "binary" in errors["binary.txt"]
    assert "invalid JSON" in errors["broken.json"]
    assert "no text field" in errors["notext.json"]


def test_missing_file_is_an_error_article(tmp_path: Path):
    [article] = load_articles(tmp_path / "nope.txt")
    assert "no such file" in article.error


def test_cp1252_is_decoded_with_a_warning(tmp_path: Path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Title\nThe \u201cregime\u201d said \u2013 caf\u00e9.".encode("cp1252"))
    [article] = load_articles(path)
    assert article.error is None
    assert "\u201cregime\u201d" in article.text
    assert any("decoded as cp1252" in w for w in article.warnings)


def test_html_main_text_is_extracted(tmp_path: Path):
    path = tmp_path / "page.html"
    body = " ".join(["Shelling killed at least 12 civilians in Aleppo, the monitor said."] * 5)
    path.write_text(f"<html><head><title>Shelling in Aleppo</title></head><body>"
                    f"<nav>Home | About</nav><article><p>{body}</p></article>"
                    f"<script>alert(1)</script></body></html>")
    [article] = load_articles(path)
    assert article.error is None
    assert "at least 12 civilians" in article.text
    assert "alert(1)" not in article.text and "Home | About" not in article.text


def test_json_that_python_cannot_parse_is_an_error_for_that_file_only(tmp_path: Path):
    (tmp_path / "deep.json").write_text("[" * 100_000)
    (tmp_path / "deep-line.jsonl").write_text('{"text": "fine"}\n' + "[" * 100_000 + "\n")
    (tmp_path / "huge-number.jsonl").write_text('{"text": "x", "id": ' + "9" * 5000 + "}\n")
    (tmp_path / "ok.txt").write_text("Title\nBody.")
    errors = {(Path(a.path).name, a.text): a.error for a in load_articles(tmp_path)}
    assert "nested too deeply" in errors[("deep.json", "")]
    assert errors[("deep-line.jsonl", "fine")] is None
    assert "nested too deeply" in errors[("deep-line.jsonl", "")]
    assert "digits" in errors[("huge-number.jsonl", "")]
    assert errors[("ok.txt", "Body.")] is None
    [sniffed] = list(iter_articles(["-"], stdin=io.BytesIO(b"[" * 100_000)))
    assert "nested too deeply" in sniffed.error


def test_stdin_plain_text_and_jsonl():
    [article] = list(iter_articles(["-"], stdin=io.BytesIO(b"Headline\nBody text.")))
    assert (article.title, article.text) == ("Headline", "Body text.")
    articles = list(iter_articles(["-"], stdin=io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n')))
    assert [a.text for a in articles] == ["a", "b"]


def test_repeated_ids_are_made_unique(tmp_path: Path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Same title\nSame body.")
    ids = [a.id for a in load_articles(tmp_path)]
    assert len(set(ids)) == 2 and ids[1] == ids[0] + "#2"


def test_example_articles_all_load():
    articles = load_articles(ROOT / "examples" / "articles")
    assert len(articles) == 45
    assert all(a.error is None and a.text for a in articles)


def test_records_of_an_earlier_run_are_read_as_their_articles(tmp_path: Path):
    from summarize.pipeline import summarize_article

    record = summarize_article("Shelling hit Aleppo on Monday, the monitor said.", backend="rules",
                               title="Shelling")
    (tmp_path / "out.jsonl").write_text(record.model_dump_json() + "\n")
    [article] = load_articles(tmp_path / "out.jsonl")
    assert (article.id, article.title, article.text) == (record.id, "Shelling", record.article.text)


def test_a_text_field_of_the_wrong_type_is_named(tmp_path: Path):
    (tmp_path / "odd.json").write_text('{"id": "x", "text": {"body": "nested"}}')
    [article] = load_articles(tmp_path / "odd.json")
    assert "text field that is not a string (dict)" in article.error
