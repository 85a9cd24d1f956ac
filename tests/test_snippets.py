from summarize.snippets import snippet


def test_snippet_cuts_long_text_to_the_limit_with_an_ellipsis():
    assert snippet("a" * 50, 10, quoted=False) == "a" * 9 + "…"
    assert snippet("short", 10, quoted=False) == "short"


def test_snippet_squashes_whitespace_unless_told_not_to():
    assert snippet("two\n  lines", 40) == "'two lines'"
    assert snippet("two\n  lines", 40, squash=False) == "'two\\n  lines'"
