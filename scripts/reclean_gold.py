"""Bring gold files in line with the text summarize reads after a change to
summarize/textclean.py: a mechanical edit, never a relabelling.

    python scripts/reclean_gold.py [GOLD_DIR] [--check]

For each gold file whose ``article.text`` changes under ``clean_text``:

- ``article.text`` becomes the cleaned text;
- every ``quote`` and ``alt_quotes`` entry (also in a ``first_pass`` block) becomes the
  same stretch of the cleaned text: the quote's characters, minus what the cleaning
  removed. When the cleaning split the stretch at a line break (a caption run into a
  sentence is now its own line), the quote is the piece that holds the item's own words
  (the cue of a claim, the quantity of a figure, the term of a loaded term), as the
  guide says a quote is the sentence that states the item;
- nothing else changes: no label is added, removed or re-read.

Files are rewritten in the gold set's format (two-space indent, UTF-8). ``--check``
changes nothing and exits 1 when a file would change. Prints one line per file changed
and never prints article text, so it may run over held-back test files.
"""

from __future__ import annotations

import argparse
import json
import sys
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.textclean import clean_text  # noqa: E402

_ANCHOR = {"claims": "cue", "casualties": "quantity_text", "loaded_terms": "term"}


class _Map:
    """Old text offsets to new text offsets, from the cleaning's edit script."""

    def __init__(self, old: str, new: str) -> None:
        self.blocks = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()

    def __call__(self, offset: int) -> int:
        for tag, a1, a2, b1, b2 in self.blocks:
            if a1 <= offset < a2 or (offset == a2 and tag == "equal"):
                return b1 + (offset - a1 if tag == "equal" else 0)
            if offset < a1:
                return b1
        return self.blocks[-1][4] if self.blocks else 0


def _requote(quote: str, anchor: str | None, old: str, new: str, mapping: _Map) -> str:
    if quote in new and clean_text(quote) == quote:
        return quote
    start = old.find(quote)
    if start < 0:
        raise ValueError("a quote is not in the old text")
    piece = new[mapping(start):mapping(start + len(quote))].strip()
    if "\n" in piece and "\n" not in quote:
        parts = [p.strip() for p in piece.split("\n") if p.strip()]
        holding = [p for p in parts if anchor and anchor in p]
        piece = holding[0] if len(holding) == 1 else max(parts, key=len)
    if piece not in new:
        raise ValueError("a re-cut quote is not in the new text")
    return piece


def _update_items(block: dict, old: str, new: str, mapping: _Map) -> int:
    changed = 0
    for field, anchor_key in _ANCHOR.items():
        for item in block.get(field, []):
            anchor = item.get(anchor_key)
            quote = _requote(item["quote"], anchor, old, new, mapping)
            changed += quote != item["quote"]
            item["quote"] = quote
            if "alt_quotes" in item:
                alts = [_requote(q, anchor, old, new, mapping) for q in item["alt_quotes"]]
                changed += alts != item["alt_quotes"]
                item["alt_quotes"] = alts
    return changed


def update(path: Path, *, write: bool) -> bool:
    """Update one gold file; True when it changes."""
    data = json.loads(path.read_text("utf-8"))
    old = data["article"]["text"]
    new = clean_text(old)
    if new == old:
        return False
    mapping = _Map(old, new)
    quotes = _update_items(data, old, new, mapping)
    if isinstance(data.get("first_pass"), dict):
        quotes += _update_items(data["first_pass"], old, new, mapping)
    data["article"]["text"] = new
    if write:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"{path.name}: text cleaned ({len(new) - len(old):+d} characters), {quotes} quote(s) re-cut")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=ROOT / "evals" / "gold")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    args = parser.parse_args()
    changed = [p for p in sorted(args.gold.glob("*.json")) if update(p, write=not args.check)]
    print(f"{len(changed)} file(s) {'would change' if args.check else 'changed'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
