"""Articles for the fake Batch API server (tests/fake_batch_api.py) and the answers it
gives them: copies of the dev-split gold articles, an oracle answering each copy with its
gold labels, and answers broken on purpose. Test-split gold articles are never used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.fake_openai import Action, Responder, answer, article_text_of, gold_answer, status


#: The line the copies of gold articles end with (see copies_oracle, write_copies).
COPY_MARK = "\n\nArchive copy "


def copies_oracle(gold_dir: Path) -> Responder:
    """Answers an article with the gold labels of the gold article it is a copy of (the
    gold text, optionally followed by a line ``Archive copy N.``). Test-split gold
    articles are never used."""
    by_text = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        if gold.get("split") == "test":
            continue
        by_text[gold["article"]["text"].strip()] = gold

    def respond(request: dict[str, Any], index: int) -> Action:
        text = article_text_of(request).split(COPY_MARK, 1)[0].strip()
        gold = by_text.get(text)
        if gold is None:
            return status(404, "no gold labels for this article")
        return answer(gold_answer(gold))

    return respond


def gold_articles(gold_dir: Path) -> list[dict[str, Any]]:
    """The dev-split gold articles (id, title, source, published, text)."""
    found = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        if gold.get("split") != "test":
            found.append(gold["article"])
    return found


def write_copies(path: Path, gold_dir: Path, count: int) -> list[str]:
    """Write ``count`` articles to the JSONL file ``path``: the dev gold articles, then
    copies of them (each with its own id and a line ``Archive copy N.``); their ids."""
    golds = gold_articles(gold_dir)
    ids = []
    with open(path, "w", encoding="utf-8") as out:
        for number in range(count):
            gold = golds[number % len(golds)]
            copy = number // len(golds)
            text = gold["text"] if copy == 0 else f"{gold['text']}{COPY_MARK}{copy}."
            article_id = gold["id"] if copy == 0 else f"{gold['id']}-copy{copy}"
            out.write(json.dumps({"id": article_id, "title": gold.get("title"),
                                  "source": gold.get("source"), "published": gold.get("published"),
                                  "text": text}) + "\n")
            ids.append(article_id)
    return ids


def broken(payload: dict[str, Any], how: float) -> dict[str, Any]:
    """``payload`` made invalid: a claim whose quote is not in the article, or no summary."""
    bad = dict(payload)
    if how < 0.5:
        bad["claims"] = list(payload.get("claims") or []) + [{
            "claim": "An invented statement.", "source": "Nobody", "source_type": "other",
            "cue": "said", "quote": "This sentence does not occur in the article at all.",
            "direct_quote": True}]
    else:
        bad.pop("summary", None)
    return bad
