"""Settings.check: a value of the wrong type is a ConfigError naming the setting, as a
value out of range is (not a TypeError from comparing it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize import ConfigError, Settings, article_from_text, summarize_article


@pytest.mark.parametrize(("name", "value", "wanted"), [
    ("temperature", "hot", "temperature must be a number, not 'hot'"),
    ("timeout", "60", "timeout must be a number, not '60'"),
    ("backoff_max", True, "backoff_max must be a number, not True"),
    ("max_tokens", "many", "max_tokens must be a whole number, not 'many'"),
    ("max_retries", 1.5, "max_retries must be a whole number, not 1.5"),
    ("model", 4, "model must be text, not 4"),
    ("base_url", 8080, "base_url must be text or None, not 8080"),
    ("strict", "yes", "strict must be True, False or None, not 'yes'"),
    ("prompt", 2, "prompt must be a prompt name or a path, not 2"),
])
def test_a_setting_of_the_wrong_type_is_a_config_error(name, value, wanted):
    with pytest.raises(ConfigError, match=f"^{wanted}$"):
        Settings(**{name: value}).check()
    with pytest.raises(ConfigError, match=f"^{wanted}$"):
        Settings.from_env({}, **{name: value})


def test_the_python_api_says_which_setting_is_wrong():
    article = article_from_text("Shelling killed 3 people in Idlib.")
    with pytest.raises(ConfigError, match="temperature must be a number"):
        summarize_article(article, settings=Settings(backend="rules", temperature="hot"))
    with pytest.raises(ConfigError, match="^temperature must be a number, not None$"):
        Settings(temperature=None).check()  # type: ignore[arg-type]


def test_numbers_of_either_kind_and_none_where_allowed_pass():
    settings = Settings(timeout=30, temperature=1, backoff_initial=0.5, seed=None, strict=None,
                        base_url=None, max_tokens=100, prompt=Path("prompts/neutral-v2.md"))
    settings.check()
    assert Settings.from_env({}, temperature=0.7, timeout=5).temperature == 0.7
