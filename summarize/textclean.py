"""Page debris fused into an article's text, removed when the article is read (for every
backend, so that a model and the rules see the same text and every quote is a slice of it).

Web pages and the FA-KES corpus lose the breaks between a photo caption, a dateline and
the story, and keep bits of the page. Three repairs, each small and local:

- **Share widgets**: "Get short URL 9832" (Sputnik) and "SEND http..." (a share link
  whose URL lost its punctuation) are removed.
- **Photo credits**: "(File photo)", "(Photo AP)", "(Photo by AFP)", and "File photo"
  ending a caption line, are removed; the caption's own words stay.
- **Fused words**: a caption or a dateline run into the next sentence with no space,
  "Syrian forcesMilitants and their allies ..." or "28.04.2017Over 100 ...", gets the
  break back: a line break after a word (the caption becomes its own line), a space
  after a number. Brand names written that way ("WhatsApp", "YouTube") are left alone;
  so are names like "McCain" (fewer than three lower-case letters before the capital).

Nothing else changes: spacing and line breaks elsewhere are kept as they are.
"""

from __future__ import annotations

import re

_SHORT_URL = re.compile(r"[ \t]*(?:Get short URL(?:[ \t]*\d+)?|\bSEND[ \t]+https?\S+)[ \t]*")
_PHOTO_CREDIT = re.compile(
    r"[ \t]*\((?:File )?[Pp]hoto(?:[: ]+(?:by[ \t]+)?[A-Z][\w .&/-]{0,30})?\)"
    r"|[ \t]*\bFile [Pp]hoto\b\.?(?=[ \t]*(?:\n|$))"
)
_LETTERS = re.compile(r"[A-Za-z]{5,}")
_INNER_BREAK = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")
_FUSED_NUMBER = re.compile(r"(?<=\d)(?=[A-Z][a-z]{2})")
#: Each byte of a text's UTF-8 as its class: a (a-z), A (A-Z), 0 (0-9), else a space.
_CLASSES = bytes((ord("a") if chr(b).islower() and b < 128 else ord("A") if chr(b).isupper()
                  and b < 128 else ord("0") if chr(b).isdigit() and b < 128 else ord(" "))
                 for b in range(256))
#: A digit other than 0-9 (Arabic-Indic ...) right before a capital.
_WIDE_DIGIT_CAPITAL = re.compile(r"[^\D0-9][A-Z]")


def _may_be_fused(text: str) -> bool:
    """False when no capital follows a lower-case letter or a digit anywhere in ``text``:
    then neither fused words nor fused numbers can be there. Most texts have none, and
    this tells in a few microseconds (the byte classes of the text, searched for "aA"
    and "0A"), where the look-behinds of the two patterns above are tried at every
    character."""
    classes = text.encode("utf-8", "surrogatepass").translate(_CLASSES)
    return (b"aA" in classes or b"0A" in classes
            or (not text.isascii() and _WIDE_DIGIT_CAPITAL.search(text) is not None))
#: Words written with an inner capital on purpose.
_CAMEL_CASE = frozenset("""
    WhatsApp PlayStation JavaScript PowerPoint LinkedIn SoundCloud FaceTime GoFundMe
    BlackBerry DailyMotion LiveLeak SkyNews SmartNews AlMasdar MasterCard SpaceX
    BuzzFeed HuffPost WikiLeaks TweetDeck MySpace OpenAI ChatGPT
""".split())


def _split_fused(match: re.Match[str]) -> str:
    """A run of letters with a capital inside after three lower-case letters, split there
    (every such place at once, so that cleaning twice changes nothing more)."""
    word = match.group(0)
    if word in _CAMEL_CASE:
        return word
    return _INNER_BREAK.sub("\n", word)


def clean_text(text: str) -> str:
    """``text`` without share widgets and photo credits, with fused captions and
    datelines split from the sentence that follows them (``text`` stripped, if nothing
    but debris is left)."""
    original = text
    if "short URL" in text or "SEND" in text:
        text = _SHORT_URL.sub(" ", text)
    if "hoto" in text:
        text = _PHOTO_CREDIT.sub("", text)
    if _may_be_fused(text):
        text = _LETTERS.sub(_split_fused, text)
        text = _FUSED_NUMBER.sub(" ", text)
    text = text.strip()
    return text or original.strip()
