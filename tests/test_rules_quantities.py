"""Whole quantity phrases read as the annotation guide's table says (summarize.quantities)."""

from __future__ import annotations

import pytest

from summarize.quantities import number_value, read_quantity, vague_reading


@pytest.mark.parametrize("text, expected", [
    ("22", ("exact", 22, 22)),
    ("twenty-two", ("exact", 22, 22)),
    ("six", ("exact", 6, 6)),
    ("1,300", ("exact", 1300, 1300)),
    ("a total of 1500", ("exact", 1500, 1500)),
    ("at least 137", ("at_least", 137, None)),
    ("no fewer than 12", ("at_least", 12, None)),
    ("more than 400", ("at_least", 401, None)),
    ("over 20", ("at_least", 21, None)),
    ("more than a quarter of a million", ("at_least", 250_001, None)),
    ("up to 30", ("at_most", None, 30)),
    ("as many as 30", ("at_most", None, 30)),
    ("nearly 50", ("at_most", None, 50)),
    ("almost 50", ("at_most", None, 50)),
    ("fewer than 20", ("at_most", None, 19)),
    ("about 20", ("approximate", 20, 20)),
    ("around 20", ("approximate", 20, 20)),
    ("some 20", ("approximate", 20, 20)),
    ("an estimated 20", ("approximate", 20, 20)),
    ("some 5 thousand", ("approximate", 5000, 5000)),
    ("a dozen", ("approximate", 12, 12)),
    ("half a dozen", ("approximate", 6, 6)),
    ("two dozen", ("approximate", 24, 24)),
    ("2 dozen", ("approximate", 24, 24)),
    ("30-odd", ("approximate", 30, 30)),
    ("thirty-odd", ("approximate", 30, 30)),
    ("between 20 and 30", ("range", 20, 30)),
    ("20 to 30", ("range", 20, 30)),
    ("20-30", ("range", 20, 30)),
    ("two or three", ("range", 2, 3)),
    ("from 10000 to more than 30000", ("range", 10000, None)),
    ("a few", ("vague", 2, None)),
    ("a number of", ("vague", 2, None)),
    ("a large number of", ("vague", 2, None)),
    ("many", ("vague", 2, None)),
    ("several", ("vague", 3, None)),
    ("tens", ("vague", 10, None)),
    ("dozens", ("vague", 12, None)),
    ("Scores", ("vague", 20, None)),
    ("hundreds", ("vague", 100, None)),
    ("thousands", ("vague", 1000, None)),
    ("hundreds of thousands", ("vague", 100_000, None)),
    ("several hundred", ("vague", 300, None)),
    ("several dozen", ("vague", 36, None)),
    ("a few hundred", ("vague", 200, None)),
    ("at least dozens", ("vague", 12, None)),
])
def test_read_quantity(text, expected):
    reading = read_quantity(text)
    assert reading is not None
    assert (reading.quantity_type, reading.low, reading.high) == expected


@pytest.mark.parametrize("text", ["", "people", "at least", "between 30 and 20", "some of them", "odd", "-odd"])
def test_not_quantities(text):
    assert read_quantity(text) is None


def test_existing_readings_are_unchanged():
    assert number_value("two hundred and five") == 205
    assert number_value("a dozen") == 12
    assert vague_reading("Dozens") == 12
    assert number_value("a") is None
