"""Quotes are found in their article: exact, normalised, fuzzy, never with other numbers."""

from __future__ import annotations

import pytest

from summarize.alignment import FUZZY_MIN_CHARS, contains, locate, normalize, normalized_text

ARTICLE = (
    "“The regime is launching counter-attacks to absorb the fierce rebel offensive,” said "
    "Observatory head Rami Abdel Rahman.  Clashes — and shelling — went on.\n\n"
    "At least 22 fighters were killed in the southwest suburbs."
)


def test_exact_match_gives_offsets_of_the_quote():
    quote = "At least 22 fighters were killed"
    found = locate(quote, ARTICLE)
    assert found.match == "exact"
    assert ARTICLE[found.start:found.end] == quote


@pytest.mark.parametrize("quote", [
    '"The regime is launching counter-attacks to absorb the fierce rebel offensive," said',
    "clashes - and shelling - went on.",
    "Rami Abdel Rahman. Clashes",
])
def test_normalised_match_folds_quotes_dashes_spaces_and_case(quote):
    found = locate(quote, ARTICLE)
    assert found is not None and found.match == "normalized"
    assert normalize(ARTICLE[found.start:found.end]).text == normalize(quote).text


def test_fuzzy_match_tolerates_a_typo():
    found = locate("at least 22 fighters were kiled in the southwest suburbs", ARTICLE)
    assert found.match == "fuzzy"
    assert 90 <= found.score < 100
    assert ARTICLE[found.start:found.end].startswith("At least 22")


def test_fuzzy_match_never_changes_a_number():
    assert locate("At least 23 fighters were killed in the southwest suburbs", ARTICLE) is None


def test_short_quotes_are_not_fuzzy_matched():
    short = "22 fighters kiled"
    assert len(short) < FUZZY_MIN_CHARS
    assert locate(short, ARTICLE) is None


def test_unrelated_quote_is_not_found():
    assert locate("The ceasefire was respected by all sides across the country.", ARTICLE) is None


def test_contains_is_exact_or_normalised_only():
    assert contains(ARTICLE, "at least 22")
    assert not contains(ARTICLE, "at least 23")


def test_offsets_map_back_through_multibyte_and_spaces():
    text = "Ａ  b\u00a0c “d”"
    norm = normalize(text)
    assert norm.text == 'a b c "d"'
    start = norm.text.index('"d"')
    assert norm.original_span(start, start + 3) == (text.index("“"), len(text))


@pytest.mark.parametrize("text", [
    "Ａ  b\u00a0c “d”", "  Plain ASCII,\ttext -- with `ticks`\n\n", "", " \n ", "ﬁne İstanbul ß",
    "accent \u00b4 and diaeresis \u00a8 keep their space", "e\u0301 \u2028line\u3000ideographic",
    "Dashes – — and ‘quotes’ «here»",
])
def test_normalized_text_is_the_text_of_normalize(text):
    assert normalized_text(text) == normalize(text).text


def test_quantities_match_whole_numbers_only():
    from summarize.alignment import contains_quantity

    text = "Killed: 120 people in 2012; 1,200 wounded; 12, mostly children, missing; dozens fled."
    assert contains_quantity(text, "12")
    assert contains_quantity(text, "1,200") and contains_quantity(text, "Dozens")
    assert not contains_quantity(text, "20")
    assert not contains_quantity(text, "200")
    assert not contains_quantity("3.5 km away", "5")


def _normalize_one_character_at_a_time(text: str) -> tuple[str, tuple[int, ...]]:
    """normalize() as a plain loop over the characters: what the fast version must equal."""
    import unicodedata

    from summarize.alignment import _FOLD

    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        folded = unicodedata.normalize("NFKC", char).translate(_FOLD).lower()
        if pending_space:
            chars.append(" ")
            offsets.append(index - 1)
            pending_space = False
        for piece in folded:
            chars.append(piece)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(chars), tuple(offsets)


def test_normalize_equals_the_character_loop_on_random_text():
    import random

    pieces = list("abcXYZ 12,.`'\"-\t\n") + [
        "\u00a0", "\u2019", "\u201c", "—", "…", "ﬁ", "İ", "Σ", "é", "e\u0301", "¨", "½",
        "Ａ", "\u2028", "  ", "\n\n", "\u3000\t"]
    rng = random.Random(12)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected_text, expected_offsets = _normalize_one_character_at_a_time(text)
        found = normalize(text)
        offsets = tuple(found.offset(i) for i in range(len(found.text) + 1))
        assert (found.text, offsets) == (expected_text, expected_offsets), repr(text)


def test_the_normalize_caches_are_bounded_by_the_characters_they_hold():
    from summarize.alignment import CACHE_CHARS, normalized_text

    article = "Five people were killed in \u201cHoms\u201d on Monday, activists said. " * 2300
    assert len(article) > 140_000
    for number in range(20):  # 20 long articles: 3 million characters
        text = f"{number} {article}"
        assert normalize(text) is normalize(text), "a repeated text is not answered from the cache"
        assert normalized_text(text) == normalize(text).text
    for cached in (normalize, normalized_text):
        texts, chars = cached.cache_size()
        assert chars <= CACHE_CHARS and 1 <= texts < 20
