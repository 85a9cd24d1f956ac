"""What happened to the people a number counts: the outcome words around a figure.

Read, for a quantity of people in a sentence (summarize.rules.casualties), from:

- **before** it: a verb ("killing at least 17", "wounded dozens", "shot dead four"), also
  across an aside ("killing, according to the latest toll, 44"), "the death of 64",
  "claiming the lives of two", "claimed the life of one", and a companion of someone
  killed ("was killed along with tens of his comrades");
- **after** it, across auxiliaries, short asides and breakdowns ("were reportedly
  killed", "mostly schoolchildren killed", ", including three children, were killed",
  "who were killed", "succumbed to their wounds", "burned to death", "lost their lives",
  "suffered breathing problems" = wounded, "are among the dead"), stopping at any other
  verb ("300 members entered", "who were granted safe passage");
- a **toll** it completes ("the death toll ... reached at least 112", "a toll of 48",
  "the casualties ... have risen to at least 137", "the number of people killed rose to
  25", "deaths reached 40", "bringing to 30 the death toll").

"killed and wounded", "killed or injured", "dead and wounded", "Killed Injured" (a
headline that lost its slash) and "casualties" give killed_or_wounded.
"""

from __future__ import annotations

from summarize.rules.asides import count_aside_end, relative_clause_end
from summarize.rules.denials import IRREALIS as _IRREALIS, SENTENCED as _SENTENCED, excepted_outcome, negates, unrealised
from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import TIME_WORDS
from summarize.rules.vocabulary import (
    AUXILIARIES,
    DESCRIPTIVE_PARTICIPLES,
    FAMILIES,
    OUTCOME_BEFORE,
    OUTCOME_NOUNS,
    OUTCOME_OF,
    OUTCOME_VERBS,
    PEOPLE,
)

STOP = {";", ":", ".", "!", "?", "\"", "“", "”", "(", ")"}
FUNCTION = {"in", "on", "at", "by", "from", "with", "to", "for", "and", "or", "who", "which",
            "that", "while", "as", "after", "when", "during", "since", "near", "across",
            "outside", "inside", "into", "over", "amid", "including", "the", "a", "an", ","}
BREAKDOWN = {"including", "among", "them", "whom", "mostly", "mainly", "incl"}
#: Words between a verb and its count that belong to the context ("killed another two").
CONTEXT_BEFORE = {"another", "further", "additional", "also", "a", "an", "at", "more", "the", "its", "their", "his", "her"}
#: Words that open an aside after a count: ", including three children,", ", most of them".
_ASIDE_OPENERS = {"including", "among", "mostly", "mainly", "most", "many", "some", "all", "not",
                  "half", "incl", "of", "both", "nearly", "almost", "about", "around"}
_TOLL_LINKS = {":", "toll", "tolls", "at", "of", "to", "reached", "reaches", "is", "was", "stood", "stands", "hit",
               "passed", "exceeded", "topped", "estimated", "rose", "risen", "climbed",
               "jumped", "increased", "surpassed", "now", "has", "had", "numbered", "totalled",
               "totaled", "mounted", "hits", "rises", "climbs", "included", "includes", "include",
               "tops", "passes", "exceeds", "surpasses", "jumps", "soared", "soars",
               "range", "ranged", "ranges", "vary", "varied", "varies"}
#: Verbs that make a noun before them ("deaths", "the casualties") a toll: "rose to 40".
_RISE = {"reached", "reaches", "rose", "risen", "rises", "climbed", "climbs", "jumped",
         "increased", "surpassed", "exceeded", "topped", "passed", "hit", "hits", "stood",
         "stands", "numbered", "totalled", "totaled", "mounted", "grew", "soared", "soars", "tops",
         "passes", "exceeds", "surpasses", "jumps", "range", "ranged", "ranges", "vary", "varied", "varies"}
#: Nouns that, before a rise verb, make the number a toll ("deaths reached 40").
_TOLL_HEADS = {"deaths": "killed", "dead": "killed", "fatalities": "killed",
               "killed": "killed", "casualties": "killed_or_wounded",
               "wounded": "wounded", "injured": "wounded", "injuries": "wounded",
               "victims": "killed_or_wounded"}
_SUFFIX_VERB = ("ed", "ing")
_PAIR = {frozenset({"killed", "wounded"}): "killed_or_wounded"}
_HARM_NOUNS = {"injuries", "injury", "wounds", "wound", "symptoms", "burns", "suffocation",
               "poisoning", "fractures", "shrapnel", "asphyxiation", "choking", "trauma"}
_BREATHING = {"breathing", "respiratory"}
_SAVING = {"saved", "saving", "save", "saves", "spare", "spared", "sparing", "protect",
           "protected", "protecting", "risked", "risking", "risk", "risks"}
_AMONG_THE = {"dead": "killed", "deceased": "killed", "killed": "killed", "victims": "killed", "wounded": "wounded",
              "injured": "wounded", "casualties": "killed_or_wounded", "fatalities": "killed"}


#: Two-word verbs of killing: "shot dead four policemen", "Five shot dead" (a headline).
KILLING_PAIRS = frozenset({("shot", "dead"), ("gunned", "down"), ("mowed", "down")})


#: Words of a short aside that describes the dead before "included": "mostly women and children".
_DESCRIBING_ASIDE = {"mostly", "mainly", "most", "of", "them", "women", "children", "and",
                     "civilians", "men", "elderly", "the"}


def _aside_opening(tokens: tuple[Token, ...], comma: int) -> int | None:
    """The comma that opens the aside the comma at ``comma`` closes ("The dead, most of
    them civilians, included"), at most 10 tokens back in the same sentence, else None."""
    if comma < 2 or tokens[comma].text != ",":
        return None
    for index in range(comma - 1, max(comma - 11, 1), -1):
        if tokens[index].text == ",":
            return index
        if tokens[index].text in STOP:
            return None
    return None


def is_verb_like(token: Token) -> bool:
    """True for a word that looks like a verb form other than a descriptive participle."""
    lower = token.lower
    if lower in DESCRIPTIVE_PARTICIPLES or lower in AUXILIARIES:
        return False
    return len(lower) > 4 and lower.endswith(_SUFFIX_VERB) and token.text.isalpha()


def outcome_pair(tokens: tuple[Token, ...], index: int, outcome: str) -> str:
    """``outcome`` widened to killed_or_wounded for "killed and wounded" at ``index``, or
    made killed for wounded who died of it ("were injured and later died")."""
    nxt = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    if outcome == "wounded" and nxt == "and" and later_died(tokens, index + 2):
        return "killed"
    if nxt in ("and", "or", "&", "/") and index + 2 < len(tokens):
        nxt = tokens[index + 2].lower
        if nxt in ("were", "was") and index + 3 < len(tokens):
            nxt = tokens[index + 3].lower
    elif not (tokens[index].is_capitalized and nxt[:1] and tokens[index + 1].is_capitalized):
        return outcome  # "Killed Injured": only a headline runs the two together
    other = OUTCOME_VERBS.get(nxt) or OUTCOME_NOUNS.get(nxt) or OUTCOME_BEFORE.get(nxt)
    if other and other != outcome:
        return _PAIR.get(frozenset({outcome, other}), outcome)
    return outcome


#: Verbs of dying without an agent: the wounded who "later died" are the same people.
_DYING = {"died", "succumbed", "perished"}
_LATER = {"later", "subsequently", "eventually", "then", "afterwards", "since", "have", "has", "had"}


def later_died(tokens: tuple[Token, ...], index: int) -> bool:
    """True when the words from ``index`` (after "wounded and", or after the people a
    verb wounded) say the same people died: "later died", "subsequently succumbed",
    "died of their wounds", ", who later died". After the people a verb wounded only a
    relative clause speaks of them: "The gunman wounded 30 people, then died" is the
    gunman's death."""
    if index + 1 < len(tokens) and tokens[index].text == "," and tokens[index + 1].lower == "who":
        index += 2
    elif index < len(tokens) and tokens[index].lower == "who":
        index += 1
    elif index < len(tokens) and tokens[index].text == ",":
        return False
    while index < len(tokens) and tokens[index].lower in _LATER:
        index += 1
    return index < len(tokens) and tokens[index].lower in _DYING


def _skip_aside_back(tokens: tuple[Token, ...], index: int) -> int:
    """The index before an "according to ..." aside that ends at ``index``, else ``index``:
    "killing, according to the latest toll, 44" and the same without commas."""
    end = index - 1 if index >= 0 and tokens[index].text == "," else index
    for position in range(end, max(end - 8, 0), -1):
        token = tokens[position]
        if token.lower == "to" and position > 0 and tokens[position - 1].lower == "according":
            before = position - 2
            if before >= 0 and tokens[before].text == ",":
                before -= 1
            return before
        if token.text in STOP or token.text == "," or any(ch.isdigit() for ch in token.text) \
                or is_verb_like(token):
            break
    return index


def outcome_before(sentence: Sentence, first: int) -> str | None:
    """The outcome a verb or noun before the count at token ``first`` gives it, or None."""
    tokens = sentence.tokens
    index = first - 1
    while index >= 0 and tokens[index].lower in CONTEXT_BEFORE:
        index -= 1
    index = _skip_aside_back(tokens, index)
    if index < 0:
        return None
    if tokens[index].text == "," and index >= 3 and tokens[index - 1].lower in _AMONG_THE \
            and tokens[index - 2].lower in ("the", "those") and tokens[index - 3].lower in ("of", "among", "amongst"):
        return _AMONG_THE[tokens[index - 1].lower]  # "Of the dead, 10 were children"
    lower = tokens[index].lower
    previous = tokens[index - 1].lower if index else ""
    if lower == "except":
        return excepted_outcome(tokens, index, OUTCOME_BEFORE)  # "No one was killed except 3 children"
    if lower in OUTCOME_BEFORE:
        if unrealised(tokens, index):
            return None  # "threatened to kill 20 hostages", "would have killed dozens"
        outcome = OUTCOME_BEFORE[lower]
        if index >= 2 and previous in ("and", "or"):
            other = OUTCOME_BEFORE.get(tokens[index - 2].lower)
            if other and other != outcome:
                return "killed_or_wounded"
        return outcome
    if lower == "of" and previous in OUTCOME_OF:
        saver = tokens[index - 3].lower if index >= 3 else ""
        if previous in ("lives", "life") and saver in _SAVING:
            return None  # "saved the lives of 40 people"
        if index >= 3 and tokens[index - 2].lower in ("and", "or"):
            other = OUTCOME_OF.get(tokens[index - 3].lower)
            if other and other != OUTCOME_OF[previous]:
                return "killed_or_wounded"  # "the killing or wounding of tens"
        return OUTCOME_OF[previous]
    if lower in ("were", "was", "are", "included", "include", "includes") and index >= 2:
        noun = index - 1
        opening = _aside_opening(tokens, index - 1) if lower.startswith("includ") else None
        if opening is not None:  # "The victims, many of them students, included 25": any aside
            noun = opening - 1
        elif lower.startswith("includ"):  # "The victims mostly women and children included 25"
            while noun > 1 and index - noun < 7 and (tokens[noun].lower in _DESCRIBING_ASIDE
                                                      or tokens[noun].text == ","):
                noun -= 1
        if tokens[noun].lower in _AMONG_THE and (tokens[noun - 1].lower in ("the", "those")
                                                 or tokens[noun - 1].text.isdigit()):
            return _AMONG_THE[tokens[noun].lower]  # "the dead included 25", "among the dead were 11"
    if (previous, lower) in KILLING_PAIRS:
        return "killed"  # "shot dead four policemen"
    if lower in ("with", "alongside"):
        start = index - 1 if lower == "with" and previous in ("along", "together") else index
        for token in tokens[max(0, start - 3):start]:
            if token.lower in OUTCOME_VERBS and token.lower not in ("missing", "seized"):
                return OUTCOME_VERBS[token.lower]  # "was killed along with tens of others"
    return None


#: Auxiliaries that make the count before them the subject of its own verb: "were killed".
_FINITE = {"were", "was", "are", "is", "have", "has", "had"}
#: Words an auxiliary and its participle may carry between them: "have reportedly been".
_BETWEEN = {"been", "being", "reportedly", "also", "allegedly", "all", "later", "subsequently",
            "either", "now", "confirmed", "believed", "presumed", "feared", "since"}


def own_predicate(tokens: tuple[Token, ...], start: int, amount_starts: set[int]) -> str | None:
    """The outcome of a verb whose subject is the count whose people end at token ``start``,
    else None: an auxiliary and an outcome participle ("six children were killed"), or,
    in a title-case headline, an outcome participle right after the people ("9 Civilians
    Injured"). Such a count is not the object of an outcome verb before it, which then
    belongs to an earlier clause that lost its full stop ("... injured At least six
    children were killed") or to a headline's first subject ("Child killed 9 Civilians
    Injured"). A participle with a count of its own after it ("killed 9 civilians wounded
    20 others", a list that lost its comma) is not the count's verb."""
    index = start
    while index < len(tokens) and tokens[index].lower in _BETWEEN - {"been", "being"}:
        index += 1
    if index >= len(tokens):
        return None
    headline = tokens[index].is_capitalized
    if tokens[index].lower in _FINITE:
        index += 1
        while index < len(tokens) and tokens[index].lower in _BETWEEN:
            index += 1
    elif not headline and tokens[index].lower not in ("died", "perished"):
        return None
    if index >= len(tokens) or tokens[index].lower not in OUTCOME_VERBS or index + 1 in amount_starts \
            or (index + 1 < len(tokens) and any(ch.isdigit() for ch in tokens[index + 1].text)):
        return None
    return outcome_pair(tokens, index, OUTCOME_VERBS[tokens[index].lower])


def _after_harm(tokens: tuple[Token, ...], index: int) -> str | None:
    """Outcome of the words at ``index`` that tell of harm without an outcome verb."""
    lower = tokens[index].lower
    words = [t.lower for t in tokens[index + 1:index + 5]]
    if lower == "lost" and " ".join(words[:2]) in ("their lives", "his life", "her life"):
        return "killed"
    if lower in ("succumbed", "succumb"):
        return "killed"
    if words[:2] == ["to", "death"] and lower.endswith("ed") and lower not in _SENTENCED:
        return "killed"  # "burned to death", "stabbed to death"; not "sentenced to death"
    if lower == "found" and words[:1] in (["dead"], ["killed"]):
        return "killed"
    if lower in ("gunned", "mowed", "cut") and words[:1] == ["down"]:
        return "killed"  # "were gunned down"
    if lower in ("fallen", "fell") and words[:1] in (["victims"], ["victim"]):
        return "killed_or_wounded"
    if lower in ("fallen", "fell") and (words[:1] in (["martyrs"], ["martyr"], ["dead"])
                                        or words[:2] in (["as", "martyrs"], ["as", "martyr"])):
        return "killed"  # "30 people fell martyrs"
    if lower in ("suffered", "sustained", "suffering", "sustaining", "treated", "experienced"):
        rest = words[1:4] if words[:1] in (["from"], ["for"]) else words[:3]
        if any(w in _HARM_NOUNS for w in rest) or any(w in _BREATHING for w in rest[:2]):
            return "wounded"
    if lower == "taken" and words[:1] and words[0] in ("prisoner", "prisoners", "captive", "hostage"):
        return "captured"
    if lower == "among" and len(words) >= 2 and words[0] == "the" and words[1] in _AMONG_THE:
        return _AMONG_THE[words[1]]  # "two soldiers are reportedly among the dead"
    return None


def outcome_after(sentence: Sentence, start: int, ages: list[tuple[int, int]],
                  amount_starts: set[int]) -> tuple[str | None, bool]:
    """(outcome, blocked) of the words after a count's people, from token ``start``:
    ``blocked`` is True when another verb was met first ("300 members entered"), so that
    the count does not take the outcome of a list it stands in either."""
    tokens = sentence.tokens
    index = start
    limit = min(len(tokens), index + 16)
    aside = passive = False
    while index < limit:
        token = tokens[index]
        lower = token.lower
        if any(a <= token.start < b for a, b in ages):
            index += 1
            continue
        if token.text == "," and index + 1 < len(tokens) and tokens[index + 1].lower in _ASIDE_OPENERS:
            closing = next((j for j in range(index + 2, min(index + 12, len(tokens)))
                            if tokens[j].text == ","), None)
            if closing is not None:
                index = closing + 1  # ", including three children," / ", most of them women,"
                continue
            aside = True
            index += 1
            continue
        closing = count_aside_end(tokens, index, amount_starts) or (  # "12 soldiers who fled were killed"
            relative_clause_end(tokens, index, amount_starts, OUTCOME_VERBS) if index == start else None)
        if closing is not None:  # "Nine people, six of them children, were killed"
            index = closing
            continue
        if lower == "among" and _after_harm(tokens, index):
            return _after_harm(tokens, index), False  # "are reportedly among the deceased"
        if lower in BREAKDOWN:
            aside = True  # "at least 15 people including a number of children were killed"
            index += 1
            continue
        following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
        if negates(tokens, index):
            return None, True  # "12 soldiers were not killed", "did not die"
        if (lower in _NEW_SUBJECTS and following not in _SPEAKING) or (lower in _MODALS and following in ("be", "die", "perish")) \
                or (lower in _IRREALIS and following == "have"):
            return None, True  # "fear they will be killed", "1,000 more could die", "50 could have been killed"
        if index in amount_starts and index + 1 < len(tokens) and tokens[index + 1].lower in FAMILIES:
            index += 2  # "Five members of one family were killed": no count of people
            continue
        if index in amount_starts and not aside:
            return None, False
        if lower in OUTCOME_VERBS:
            if index + 1 in amount_starts and index > 0 and tokens[index - 1].lower in ("and", ","):
                return None, True  # "displaced 11 million people and killed 400000": its own object
            if not passive and not aside and governs_people(tokens, index, amount_starts):
                return None, True  # "Three gunmen killed five people": the count is the killers
            if lower == "dead" and index > 0 and tokens[index - 1].lower == "shot":
                return "killed", False
            return outcome_pair(tokens, index, OUTCOME_VERBS[lower]), False
        harm = _after_harm(tokens, index)
        if harm:
            return harm, False
        if token.text in STOP:
            return None, False
        if any(ch.isdigit() for ch in lower) and not aside:
            return None, False
        if is_verb_like(token) and lower != "according" and not (aside and lower in ("including",)):
            return None, True
        if lower in ("shot",):
            index += 1
            continue
        if lower not in AUXILIARIES and lower not in FUNCTION and lower not in BREAKDOWN \
                and not lower.isalpha() and "-" not in lower and not (aside and index in amount_starts):
            return None, False  # but "32 people including 10 children died": the 10 is an aside
        passive = passive or lower in _PASSIVE
        index += 1
    return None, False


#: Pronouns that open a clause of their own: the outcome after them is not the count's.
_NEW_SUBJECTS = {"they", "he", "she", "it", "we", "i", "you"}
#: Modals that, with "be", make an outcome a risk, not an event: "could be killed"
#: ("may have been killed", an estimate of what happened, stays a figure).
_MODALS = {"will", "would", "could", "can", "should", "might", "may", "must"}
#: Auxiliaries that make an outcome participle after them passive: "were killed".
_PASSIVE = {"were", "was", "are", "is", "been", "be", "being", "got", "get", "gets"}
#: Outcome verbs that take the people they harm as object: "gunmen killed five people".
_TRANSITIVE = {"killed", "executed", "massacred", "murdered", "slaughtered", "beheaded",
               "assassinated", "wounded", "injured", "captured", "arrested", "detained",
               "abducted", "kidnapped", "seized", "eliminated", "liquidated", "shot"}
#: Reporting verbs after what would be an object: the subject of a reporting clause.
_SPEAKING = {"said", "says", "say", "told", "reported", "reports", "added", "stated", "claimed",
             "confirmed", "announced", "according"}
_OBJECT_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "two", "several", "many"}


def governs_people(tokens: tuple[Token, ...], index: int, amount_starts: set[int]) -> bool:
    """True when the outcome verb at ``index`` is active with the people it harms as its
    object ("killed five people", "killed the driver"): the count before it then counts
    the killers ("Three gunmen killed five people", "Two suicide bombers killed 30"), not
    victims. A count after the verb with an outcome of its own is a list that lost its
    comma ("10 civilians killed 15 injured"), not an object."""
    shot_dead = tokens[index].lower == "dead" and index > 0 and tokens[index - 1].lower == "shot"
    if (tokens[index].lower not in _TRANSITIVE and not shot_dead) or index + 1 >= len(tokens):
        return False  # "Five soldiers shot dead 3 protesters" is read at "dead"
    following = index + 1
    words = [t.lower for t in tokens[following + 1:following + 7]]
    clause = next((words[:k] for k, t in enumerate(tokens[following + 1:following + 7])
                   if t.text in STOP or t.text == ","), words)
    if any(w in _SPEAKING for w in clause):
        return False  # "Five civilians killed the activists said": a text that lost its comma
    if following in amount_starts:
        if tokens[index - 1].lower in ("who", "that"):
            return True  # "Two men who killed 12 civilians were arrested": the men are killers
        if words[:2] in (["of", "them"], ["of", "whom"]) or "among" in words[:3]:
            return False  # "Five civilians killed 3 of them children": a breakdown
        for token in tokens[following + 1:following + 6]:
            if token.lower in OUTCOME_VERBS or token.lower in OUTCOME_NOUNS:
                return False  # "10 civilians killed 15 injured", "9 Civilians Injured"
            if token.text in STOP or token.text == "," or token.lower in FUNCTION:
                break
        return True
    if tokens[following].lower in _OBJECT_DETERMINERS:
        return any(t.lower in PEOPLE or t.lower + "s" in PEOPLE for t in tokens[following + 1:following + 4])
    return False


def _number_of(tokens: tuple[Token, ...], index: int) -> str | None:
    """Outcome of "the number of [people] killed / dead / victims" starting at ``index``
    (the word "number"), also "the number / total killed" with no "of", else None."""
    if index + 1 < len(tokens) and tokens[index + 1].lower in ("killed", "dead", "wounded", "injured") \
            and index > 0 and tokens[index - 1].lower in ("the", "its", "a"):
        return OUTCOME_VERBS[tokens[index + 1].lower]  # "bringing the number killed this week to 60"
    if index + 1 >= len(tokens) or tokens[index + 1].lower != "of":
        return None
    for token in tokens[index + 2:index + 6]:
        lower = token.lower
        if lower in OUTCOME_NOUNS:
            return OUTCOME_NOUNS[lower]
        if lower in OUTCOME_VERBS and lower not in ("missing", "seized"):
            return OUTCOME_VERBS[lower]
        if lower == "victims":
            return "killed_or_wounded"
        if lower not in PEOPLE and lower not in ("the", "those", "people", "civilian", "civilians"):
            return None
    return None


#: Nouns after "toll" that make it a charge, not a count of the dead: "the toll road".
_TOLL_THINGS = {"road", "roads", "booth", "booths", "gate", "gates", "plaza", "plazas", "bridge",
                "bridges", "highway", "highways", "motorway", "motorways", "lane", "lanes", "fee",
                "fees", "charge", "charges", "collector", "collectors", "free", "station", "stations",
                "tunnel", "operator", "operators", "revenue", "revenues", "rates", "rate", "payments"}
#: Words that may stand between two numbers of one toll's coordinated verbs: "passed 30 on
#: Monday and reached 45", "rose to 30, then climbed to 45 by the evening".
_BETWEEN_TOLL_STEPS = {"on", "in", "by", "at", "and", "then", "later", "to", ",", "the", "least",
                       "more", "than", "over", "nearly", "almost", "about", "around", "some", "of",
                       "late", "early", "overnight", "now", "has", "had", "have", "since"}
_QUALIFIER_WORDS = {"at", "least", "more", "than", "over", "nearly", "almost", "about", "around",
                    "some", "up", "to", "as", "many"}


def _earlier_toll_step(sentence: Sentence, digit: int, first: int) -> str | None:
    """The outcome of a toll whose earlier number ends at token ``digit`` when the count at
    ``first`` is the same toll's next number, the object of a second rise verb joined by
    "and" or "then" ("The toll passed 30 on Monday and reached 45"), else None."""
    tokens = sentence.tokens
    between = tokens[digit + 1:first]
    words = [t.lower for t in between]
    if not any(w in ("and", "then") for w in words) or not any(w in _RISE for w in words):
        return None
    if any(w not in _BETWEEN_TOLL_STEPS and w not in _RISE and w not in TIME_WORDS for w in words):
        return None  # "The toll reached 30 and rescuers reached 45 villages": another subject
    verb = max(i for i, w in enumerate(words) if w in _RISE)
    if not any(w in ("and", "then") for w in words[:verb]):
        return None
    start = digit
    while start > 0 and (tokens[start - 1].lower in _QUALIFIER_WORDS - {"to"}
                         or any(ch.isdigit() for ch in tokens[start - 1].text)):
        start -= 1  # "passed at least 30": the toll verb before the qualifier
    if start and tokens[start - 1].lower in _QUALIFIER_WORDS and tokens[start - 1].lower != "to":
        start -= 1
    return outcome_from_toll(sentence, start, digit + 1)


def outcome_from_toll(sentence: Sentence, first: int, last: int) -> str | None:
    """The outcome of a toll the count at tokens ``[first, last)`` completes, or None."""
    tokens = sentence.tokens
    after = [t.lower for t in tokens[last:last + 4]]
    if after[:1] == ["the"] and ("toll" in after[1:3] or after[1:3] == ["number", "of"]):
        if "toll" in after[1:3]:
            return "killed"  # "bringing to 30 the death toll"
        return _number_of(tokens, last + 1)
    if first == 0 or tokens[first - 1].lower not in _TOLL_LINKS:
        return None
    rise = aside = False
    for index in range(first - 1, max(first - 26, -1), -1):  # "the death toll in ... has risen to"
        token = tokens[index]
        lower = token.lower
        if any(ch.isdigit() for ch in lower):
            return _earlier_toll_step(sentence, index, first)  # "passed 30 on Monday and reached 45"
        if token.text in STOP and index != first - 1:
            return None
        aside = aside or token.text == ","  # "The toll, which could rise, reached 30": an aside's forecast
        if not aside and (lower in _IRREALIS or token.text in ("may", "might") or lower in ("expected", "feared")):
            return None  # "the toll could rise to 50": a forecast, not a toll
        rise = rise or lower in _RISE
        if lower in ("toll", "tolls"):  # "the death toll rose to 30", "Death toll: 30"
            if index + 1 < len(tokens) and tokens[index + 1].lower in _TOLL_THINGS:
                return None  # "the toll road", "toll booths": a charge, not the dead
            before = tokens[index - 1].lower if index else ""
            return "killed_or_wounded" if before == "casualty" else "killed"
        if lower in ("number", "total", "tally"):
            found = _number_of(tokens, index)
            if found:
                return found
        if rise and lower in _TOLL_HEADS and index + 1 < len(tokens) \
                and tokens[index + 1].lower not in ("and", "or"):
            return _TOLL_HEADS[lower]  # "the casualties ... have risen to at least 137"
    return None
