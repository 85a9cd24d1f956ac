"""Reporting cues in a sentence: the verbs and phrases that attribute words to a speaker.

Cues: reporting verbs ("said", "told AFP", "reported", "claimed", "denied", "warned" ...
with the auxiliaries before them: "has said"), "according to X", "X quoted Y as saying",
"X was quoted as saying", "A and B traded accusations", and the toll phrases "gave a
toll", "put the toll at". A verb preceded by a determiner ("the reports", "a reported
attack"), by "not" or by a passive auxiliary ("was reported") is not a cue, nor is one
whose object is the noun before it ("the proposal the council rejects is ...").
"""

from __future__ import annotations

import re

from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import TIME_WORDS, phrase_after
from summarize.rules.vocabulary import REPORTING_VERBS

#: Speech acts with an object, read only in the active voice: "the ministry welcomed the move".
_ACTS = frozenset("""
    criticised criticized criticises criticizes criticising criticizing welcomed welcomes
    hailed hails slammed slams documented disputed
""".split())
#: Verbs that report speech only before "that": "the ministry charged that ...".
_THAT_ONLY = frozenset({"charged"})
#: Verbs that report speech: a cue.
_VERBS = frozenset("""
    say says said saying tell tells told telling add adds added adding states stated
    announce announces announced announcing report reported reporting claim claimed
    claiming confirm confirms confirmed confirming deny denies denied denying acknowledge
    acknowledges acknowledged admit admits admitted accuse accuses accused accusing warn
    warns warned warning note noted noting stress stressed stressing insist insists
    insisted declare declares declared explain explained allege alleges alleged condemn
    condemns condemned urge urged estimate estimated quoted wrote tweeted blamed blames
    blame suggested suggests reiterated reiterates vowed vows pledged pledges appealed
    appeals cited cites mentioned emphasized emphasised emphasizes emphasises affirmed
    affirms asserted asserts argued argues arguing threatened demanded demands revealed
    disclosed indicated indicates suspect suspects maintained maintains reaffirmed
    reaffirms clarified underlined highlighted predicted promised conceded rejected
    dismissed believes described
    urges stresses explains rejects dismisses threatens reveals predicts promises concedes
    recalled recalls complained complains replied replies recounted lamented pleaded
    contended countered assured remarked commented
    urging condemning blaming insisting vowing stating
    claims reports
""".split()) | _ACTS | _THAT_ONLY
#: Speech acts that also take in people: "welcomed 300 refugees" (not "documented 112 deaths").
_HOSTS = frozenset({"welcomed", "welcomes"})
#: Speech acts named by a phrase: "expressed concern that", "voiced alarm over".
_EXPRESSED = re.compile(r"\b(?:expressed|expresses|expressing|voiced|voices|voicing)\s+(?:(?:its|his|her|their|deep|grave|"
                        r"serious|great)\s+){0,2}(?:concern|alarm|regret|outrage|hope|fears?|condolences|shock)\b",
                        re.IGNORECASE)
#: Verbs that report speech only with their particle: "called on", "pointed out".
_PARTICLE_VERBS = {"called": ("on", "upon", "for"), "calls": ("on", "upon", "for"),
                   "pointed": ("out",), "points": ("out",)}
CUE_WORDS = _VERBS | frozenset(_PARTICLE_VERBS) | {"according"}
#: Third-person present forms that are also plural nouns ("the reports", "its claims").
_NOUN_TWINS = frozenset({"reports", "claims", "states", "notes", "warns", "estimates"})
#: Cue words that are also nouns: before a reporting verb they are the noun ("A UN report said").
_NOUN_FORMS = frozenset("report reports claim claims statement estimate estimates".split())
#: Participles that report for the subject of their clause: "X said A, adding B".
PARTICIPLES_NEED_SUBJECT = frozenset({
    "adding", "noting", "stressing", "warning", "claiming", "accusing", "denying",
    "confirming", "reporting", "announcing", "telling", "arguing", "saying",
    "urging", "condemning", "blaming", "insisting", "vowing", "stating",
})
#: Auxiliaries and adverbs that belong to the cue before its verb: "has also said".
AUXILIARIES = frozenset("""
    has have had also previously earlier later always repeatedly already would will did
    does do further again then subsequently officially publicly separately reportedly
""".split())
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
PASSIVE = frozenset({"was", "were", "is", "are", "been", "being", "be"})
_DETERMINERS_ONLY = frozenset("the a an these those this that such his her their its our".split())
_NOUN_MARKERS = frozenset("""
    the a an these those this that such latest initial unconfirmed his her their its our
    media news press of conflicting further earlier recent other some many
""".split())
#: Mutual accusations as one phrase: "A and B have traded accusations" (a claim per side).
_TRADED = re.compile(r"\b(?:trad|exchang)(?:e|es|ed|ing)\s+(?:accusations|blame|charges)\b", re.IGNORECASE)
#: Phrases that report speech without a reporting verb of their own: "X carried an appeal",
#: "X issued an ultimatum", "X called the attack a massacre" (calling = characterising),
#: "what one rebel dubbed ...", "they went on to say".
_PHRASES = re.compile(
    r"\b(?:(?:carried|carries|issued|issues|released|releases|broadcast|aired)\s+(?:an?|its|their)\s+"
    r"(?:appeal|ultimatum|warning|call)\b"
    r"|(?:called|calls|calling|termed|terms|branded|brands|labell?ed)\s+(?!it\s+an?\s+(?:day|night)\b)(?:it|this|them|the\s+(?:[a-z]+\s+){0,2}?"
    r"(?:attack|attacks|strike|strikes|bombing|bombings|killing|killings|raid|raids|shelling|move|decision"
    r"|offensive|operation|incident|massacre|assault))\s+(?:an?\s|as\s)"
    r"|(?<=what\s)(?:[A-Za-z\-]+\s+){1,4}?(?:dubbed|called|termed|branded)\b"
    r"|(?:went|goes|go|going)\s+on\s+to\s+(?:say|add|explain|stress|warn|note)"
    r"|posted\s+(?:a\s+\w+\s+)?on\s+(?:its\s+|his\s+|her\s+|their\s+|the\s+)?(?:official\s+)?"
    r"(?:twitter|facebook|telegram|website|social media|instagram|youtube|account|page|channel)\b)",
    re.IGNORECASE)
#: The verb of a phrase cue, where its speaker is looked up: "called", "dubbed", "went".
_PHRASE_HEADS = frozenset("""
    carried carries issued issues released releases broadcast aired called calls calling termed
    terms branded brands labelled labeled dubbed went goes go going posted
""".split())
_TOLL = re.compile(r"\b(?:gave|gives|giving|put|puts|putting|raised|raising|set|sets)\s+"
                   r"(?:a|the|its|their)\s+(?:death\s+|casualty\s+)?toll\b", re.IGNORECASE)


_PHRASE_HINT = re.compile(r"appeal|ultimatum|warning|call|term|brand|label|dubbed|went on|goes on|go on|posted")


def cue_candidates(sentence: Sentence) -> list[tuple[int, int]]:
    """Token index ranges ``[first, last)`` of the cue words in ``sentence``; none in a
    question the sentence itself asks ("Did the army say ...?", "Who said ...?")."""
    tokens = sentence.tokens
    found: list[tuple[int, int]] = []
    if is_question(sentence):
        return found
    for index, token in enumerate(tokens):
        lower = token.lower
        if lower in _ASKED and _after_question(tokens, index):
            found.append((index, index + 1))  # '"Where will we go?" asked one woman'
            continue
        if lower in _CLAIM_NOUNS and _noun_claim(tokens, index):
            found.append((index, index + 1))  # "rebel allegations that the regime used gas"
            continue
        if lower in _READS and _reads_document(tokens, index):
            found.append((index, index + 1))  # 'The statement read: "..."'
            continue
        if _progressive_cue(tokens, index):
            found.append((index, index + 1))  # "The army is warning that ..."
            continue
        if lower not in CUE_WORDS:
            continue
        if lower == "according" and index + 1 < len(tokens) and tokens[index + 1].lower == "to":
            found.append((index, index + 2))
        elif lower in _VERBS and _is_verb_use(tokens, index):
            found.append((index, index + 1))
        elif lower in _PARTICLE_VERBS and index + 1 < len(tokens) \
                and tokens[index + 1].lower in _PARTICLE_VERBS[lower] and _is_verb_use(tokens, index):
            found.append((index, index + 2))
    lowered = sentence.text.lower()
    matches = [*(_TOLL.finditer(sentence.text) if "toll" in lowered else ()),
               *(_EXPRESSED.finditer(sentence.text) if "express" in lowered or "voic" in lowered else ()),
               *(_TRADED.finditer(sentence.text) if "accusations" in lowered or "blame" in lowered else ())]
    for match in matches:
        first = sentence.token_index_at(sentence.start + match.start())
        last = sentence.token_index_at(sentence.start + match.end() - 1) + 1
        if not any(a <= first < b for a, b in found):
            found.append((first, last))
    for match in _PHRASES.finditer(sentence.text) if _PHRASE_HINT.search(lowered) else ():
        first = sentence.token_index_at(sentence.start + match.start())
        last = sentence.token_index_at(sentence.start + match.end() - 1) + 1
        while first < last and tokens[first].lower not in _PHRASE_HEADS:
            first += 1  # "what one rebel dubbed": the verb, its speaker before it
        last = first + 1 if tokens[first].lower in ("called", "calls", "calling", "termed", "terms", "branded",
                                                   "brands", "labelled", "labeled", "dubbed") else last
        if first < last and not (first and tokens[first - 1].lower in _DETERMINERS_ONLY) \
                and not any(a <= first < b or first <= a < last for a, b in found):
            found.append((first, last))
        elif first < last:  # "they went on to say": the phrase replaces its verb "say"
            found = [(a, b) for a, b in found if not (first <= a < last)] + [(first, last)]
    return sorted(found)


#: Questions open with these words: "Did the army say ...?", "Who said ...?".
_QUESTION_OPENERS = frozenset("""
    did does do who whom whose what which why how where when will would can could should
    is are was were has have had
""".split())
#: "read(s)" reports a document's words: 'The statement read: "..."'.
_READS = frozenset({"read", "reads"})
_READ_DOCUMENTS = frozenset("""
    statement letter message communique communiqué announcement note post tweet banner sign
    leaflet leaflets placard placards text declaration appeal notice
""".split())
#: Words after "said" that make it hearsay or no statement: "said to be", "said nothing".
_SAID_TO = frozenset("be have been number include belong contain hold lie live".split())
_NO_CONTENT = frozenset({"nothing", "little"})
_NO_CONTENT_AFTER = frozenset("about of on regarding concerning more else further . , ;".split())


def is_question(sentence: Sentence) -> bool:
    """True for a question the sentence asks itself, outside quotation marks: it ends
    with a bare "?" and opens with a question word ("Who said ...?")."""
    text = sentence.text.rstrip()
    tokens = sentence.tokens
    return text.endswith("?") and bool(tokens) and tokens[0].lower in _QUESTION_OPENERS \
        and not any(t.text in ("\"", "“", "”") for t in tokens)


_ASKED = frozenset({"asked", "asks", "wondered", "shouted", "cried"})


def _progressive_cue(tokens: tuple[Token, ...], index: int) -> bool:
    """True for the -ing form of a cue verb after "is/are/was/were" and before "that"
    ("is warning that", "are claiming that"); not the noun "a warning that"."""
    lower = tokens[index].lower
    return lower.endswith("ing") and 0 < index < len(tokens) - 1 and tokens[index - 1].lower in _BE \
        and tokens[index + 1].lower == "that" and f"{lower[:-3]}ed" in CUE_WORDS


def _after_question(tokens: tuple[Token, ...], index: int) -> bool:
    """True for "asked" right after a quoted question or outcry that opens the sentence,
    with at most a speaker between: '"Where will we go?" asked one woman', '"Why us?" she
    asked', '"Help us!" shouted a man'; not "asked not to be named"."""
    if not tokens or tokens[0].text not in ('"', "“"):
        return False
    closing = next((i for i in range(index - 1, max(index - 6, 0), -1) if tokens[i].text in ('"', "”")), None)
    return closing is not None and closing >= 2 and tokens[closing - 1].text in ("?", "!") \
        and all(t.text[:1].isalnum() for t in tokens[closing + 1:index])


#: Nouns that report a statement with its content: "rebel allegations that ...".
_CLAIM_NOUNS = frozenset("""
    allegations allegation accusations accusation claims denials denial assertions assertion
    warnings insistence
""".split())


def _noun_claim(tokens: tuple[Token, ...], index: int) -> bool:
    """True for a claim noun owned by a source and followed by its content: "rebel
    allegations that ...", "the government's denials that ...", "Moscow's claims that".
    Not "allegations that ..." with no owner, nor "claims of a massacre"."""
    if not index or index + 1 >= len(tokens) or tokens[index + 1].lower != "that":
        return False
    owner = tokens[index - 1]
    if owner.text in ("'s", "’s") or owner.lower.endswith(("'s", "’s")):
        return True
    return owner.lower in _OWNER_WORDS


_OWNER_WORDS = frozenset("""
    rebel rebels opposition government regime army military activist activists militant militants
    russian syrian american turkish iranian israeli kurdish western official
""".split())


def _reads_document(tokens: tuple[Token, ...], index: int) -> bool:
    """True for "read(s)" after a document noun and before its words ("The statement
    read:", "the letter reads, in part, that"), not "read the report"."""
    if not index or tokens[index - 1].lower not in _READ_DOCUMENTS or index + 1 >= len(tokens):
        return False
    return tokens[index + 1].text in (":", "\"", "“", ",", "-", "–") or tokens[index + 1].lower == "that"


def _is_verb_use(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    if token.is_capitalized:
        return False  # "United States", "State television", "Reports" as a heading
    previous = tokens[index - 1].lower if index else ""
    following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    if token.lower in _THAT_ONLY and following != "that":
        return False  # "charged with murder"
    if token.lower in _ACTS and (previous in PASSIVE or previous in _DETERMINERS_ONLY or "-" in previous
                                 or previous in ("which", "who", "that")  # "the group which welcomes refugees"
                                 or following in ("from", "as")
                                 or token.lower in _HOSTS and (following[:1].isdigit() or following in _NUMBER_WORDS)):
        return False  # "were welcomed by residents", "the criticised plan", "hailed from Homs", "welcomed 300 refugees"
    if token.lower in ("documents", "documented") and previous in _NOUN_MARKERS:
        return False  # "the documents", "the documented cases"
    if token.lower == "said" and following == "to" and index + 2 < len(tokens) \
            and tokens[index + 2].lower in _SAID_TO:
        return False  # "a man said to be a commander": hearsay, no one says it
    if token.lower in ("said", "says", "say") and following in _NO_CONTENT and (
            index + 2 >= len(tokens) or tokens[index + 2].lower in _NO_CONTENT_AFTER):
        return False  # "The army said nothing about the casualties" (not "said nothing had changed")
    if previous in _NOUN_MARKERS and token.lower in _NOUN_TWINS:
        return False  # "the reports", "media reports"
    if previous in _DETERMINERS_ONLY and token.lower in ("reported", "claimed", "estimated", "alleged",
                                                        "suspected", "cited", "mentioned"):
        return False  # "the reported attack", "an alleged strike" (but "state media alleged")
    if previous in _DETERMINERS_ONLY and token.lower in ("said", "report", "claim", "statement"):
        return False
    if previous.rstrip("s").rstrip("'") in TIME_WORDS and token.lower in ("alleged", "reported", "claimed", "suspected"):
        return False  # "Wednesdays alleged attack" (an apostrophe lost)
    before = [t.lower for t in tokens[max(0, index - 3):index]]
    if any(word in _NEGATIONS for word in before[-2:]):
        return False
    if index + 1 < len(tokens) and tokens[index + 1].lower in REPORTING_VERBS \
            and token.lower in _NOUN_FORMS:
        return False  # "A UN report said", "the group's claim said": a noun before the verb
    if token.lower == "saying" and previous == "as" \
            and any(t.lower in ("quoted", "cited") for t in tokens[max(0, index - 10):index - 1]):
        return False  # part of "quoted (X) as saying"
    if index + 1 < len(tokens) and tokens[index + 1].lower in _COPULAS and token.lower in _OBJECT_VERBS:
        return False  # "the demands the council rejects are long": its object is the noun before
    if _opens_with_what(tokens, index):
        return False  # "What Russia says is not what happens", "Whatever the minister explains, ..."
    if token.lower == "described":
        return any(t.lower == "as" for t in tokens[index + 1:index + 8])  # "what one rebel described as"
    if previous in PASSIVE and token.lower in ("told", "urged"):
        return False  # "he was told by the army to leave": an order, not a statement
    if previous in PASSIVE and token.lower == "cited" and _as_saying(tokens, index + 1):
        return True  # "The army was cited as saying": as "was quoted as saying"
    if previous in PASSIVE and token.lower not in ("saying", "quoted"):
        return index + 1 < len(tokens) and tokens[index + 1].lower == "by"
    if token.lower in _NOUN_TWINS and not index:
        return False
    if token.lower in ("claims", "reports"):
        after = index + 1
        while after < len(tokens) and (tokens[after].lower.endswith("ly") or tokens[after].lower == "often"):
            after += 1  # "X reports daily on the siege": an adverb before the topic
        if after >= len(tokens) or tokens[after].lower in _NOT_AFTER_VERB:
            return False  # "rebel claims of a massacre were denied", "X reports on the siege"
    following = " ".join(t.lower for t in tokens[index + 1:index + 3])
    if token.lower.startswith("claim") and following in ("the lives", "their lives", "the life"):
        return False
    toll = next((i for i in range(index + 1, min(index + 7, len(tokens)))
                 if tokens[i].lower in ("lives", "life", "victims")), None)
    if token.lower.startswith("claim") and toll is not None \
            and all(_is_toll_word(t) for t in tokens[index + 1:toll]):
        return False  # "the conflict claims more than 300,000 lives": a toll, not a claim
    return not (token.lower == "estimated" and (previous in ("an", "the") or index == 0))


#: Reporting verbs whose object is a noun phrase: right before a copula, the object is a
#: noun before the speaker ("the proposal the council rejects is ..."), not a statement.
_OBJECT_VERBS = frozenset("""
    reject rejects rejected dismiss dismisses dismissed reveal reveals revealed promise
    promises promised condemn condemns condemned blame blames blamed cite cites cited demand
    demands demanded recall recalls recalled explain explains explained deny denies denied
    admit admits admitted threaten threatens threatened predict predicts predicted disclosed
    mentioned highlighted underlined criticised criticized welcomed hailed slammed documented
    disputed criticises criticizes welcomes hails slams
""".split())
_COPULAS = frozenset("is are was were".split())
#: Words that turn the clause they open into a noun or an adverbial: "What X says is ...".
_WHAT = frozenset({"what", "whatever"})


def _opens_with_what(tokens: tuple[Token, ...], index: int) -> bool:
    """True for a cue in a clause that "what" or "whatever" opens at the sentence start
    ("What Russia says is ...", "Whatever the minister explains, ..."): the clause names
    what is said without saying it. Not "in what activists said was ...", where the words
    after the verb are the statement."""
    return bool(tokens) and tokens[0].lower in _WHAT and 1 < index <= 6 \
        and all(t.text[:1].isalnum() for t in tokens[1:index])


#: Words between "claimed" and "lives" in a toll: "claimed at least 20 more civilian lives".
_TOLL_WORDS = frozenset("""
    the their its a an more than at least about nearly almost over some around up to of many
    dozens hundreds thousands scores tens millions hundred thousand million another further
    civilian innocent human young children's people's
""".split())
_NUMBER_WORDS = frozenset("""
    one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty seventy eighty ninety
""".split())


def _is_toll_word(token: Token) -> bool:
    return token.lower in _TOLL_WORDS or token.text.replace(",", "").isdigit() or token.lower in _NUMBER_WORDS


#: Words after "claims" or "reports" that make it a noun or a topic, not a statement.
_NOT_AFTER_VERB = frozenset("of about on were was are is have had by from in to and or , . ; : ( )".split())


def _as_saying(tokens: tuple[Token, ...], start: int) -> bool:
    """True when "as saying" follows within a few words of ``start`` ("(by X) as saying")."""
    words = [t.lower for t in tokens[start:start + 8]]
    return any(words[i:i + 2] == ["as", "saying"] for i in range(len(words) - 1))


def passive_aux(tokens: tuple[Token, ...], index: int) -> int | None:
    """Index of the passive auxiliary of the participle at ``index`` ("was (also) quoted"),
    else None."""
    before = index - 1
    while before >= 0 and tokens[before].lower not in PASSIVE \
            and (tokens[before].lower in AUXILIARIES or is_adverb(tokens[before])):
        before -= 1
    return before if before >= 0 and tokens[before].lower in PASSIVE else None


def skip_auxiliaries(tokens: tuple[Token, ...], index: int) -> int:
    """Start of the cue words before the verb at ``index``: "has said", "has always
    denied", "officially announced"."""
    progressive = index < len(tokens) and tokens[index].lower.endswith("ing")
    while index > 0 and (tokens[index - 1].lower in AUXILIARIES or is_adverb(tokens[index - 1])
                         or progressive and tokens[index - 1].lower in _BE):
        index -= 1  # "is expressing concern", "has been saying"
    return index


_BE = frozenset("is are was were been".split())


def is_adverb(token: Token) -> bool:
    """True for an -ly adverb ("strongly", "officially"), not a name ending so ("Italy")."""
    lower = token.lower
    return lower.endswith("ly") and len(lower) > 4 and not token.is_capitalized \
        and lower not in ("italy", "daily", "weekly", "monthly")  # "the Al-Watan daily reported"


def cue_extent(tokens: tuple[Token, ...], first: int, last: int) -> int:
    """End of the cue words: "told AFP", "said in a statement"."""
    verb = tokens[first].lower
    if verb in ("told", "tells", "tell", "telling") and last < len(tokens):
        obj = phrase_after(tokens, last)
        end = tokens.index(obj[-1]) + 1 if obj else last
        if obj and end < len(tokens) and tokens[end].text[:1].islower() and tokens[end].lower not in _AFTER_OBJECT:
            return last  # "told a news conference", "told his Turkish counterpart": the verb alone
        if obj and len(obj) <= 4:
            return end
        if tokens[last].lower in ("reporters", "journalists"):
            return last + 1
    if verb in ("quoted", "cited") and (passive_aux(tokens, first) is not None
                             or last < len(tokens) and tokens[last].lower == "by"):
        for index in range(last, min(last + 10, len(tokens) - 1)):  # "was quoted (by X) as saying"
            if tokens[index].lower == "as" and tokens[index + 1].lower == "saying":
                return index + 2
            if tokens[index].text in ".;:\"“”":
                break
    words = [t.lower for t in tokens[last:last + 4]]
    if words[:3] == ["in", "a", "statement"]:
        return last + 3
    return last


#: Words that may follow the object of "told": "told AFP that", "told Reuters on Friday".
_AFTER_OBJECT = frozenset("that on in at by late early last this via from after during when while about "
                          "of as and but".split())


#: What follows "said by" when it names a channel, not an agent: "said by telephone".
_CHANNELS = frozenset("telephone phone email e-mail text message video videolink satellite skype "
                      "whatsapp radio letter".split())


def is_agent(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """True for a passive agent after the cue ("claimed by the IS group"), not a channel
    ("said by telephone")."""
    return last + 1 < len(tokens) and tokens[last].lower == "by" and tokens[last + 1].lower not in _CHANNELS
