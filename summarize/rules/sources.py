"""Who speaks: the noun phrase naming a source, and its type (``memory.py`` keeps the
sources an article has named, for pronouns and descriptions).

A source phrase is read off the words next to a reporting cue: capitalised words (names,
acronyms, "UK-based"), a short parenthesis ("(SOHR)"), the connectors of names ("for",
"of", "and", "al") and lower-case words that name sources ("monitor", "spokesman",
"state media", "military sources"). The phrase stops at any other lower-case word, at a
weekday or month, and includes a leading determiner ("the", "a").

The type comes from cue words, checked in order of strength (evals/GUIDELINES.md lists
the decisions): a defence ministry is military before a ministry is government; a named
organisation decides before a generic "source"; a foreign country's government or
ministry is international.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarize.rules.placelists import sure_place
from summarize.rules.sentences import TITLE_ABBREVIATIONS, Token
from summarize.schema import SourceType

#: Lower-case words that can be part of a source's name or description.
SOURCE_WORDS = frozenset("""
    monitor monitors monitoring group groups observatory network office agency agencies
    spokesman spokeswoman spokesperson spokesmen official officials source sources
    ministry minister ministers director head chief commander commanders leader leaders
    activist activists resident residents witness witnesses eyewitness eyewitnesses
    doctor doctors medic medics nurse nurses hospital hospitals medical health
    army military forces force troops police security defence defense interior foreign
    state media television tv news channel radio newspaper reporter reporters
    correspondent correspondents journalist journalists photographer
    government authorities authority administration presidency president premier
    council committee commission coalition command headquarters directorate
    civil rescue rescuers rescue-workers workers volunteers
    rights human independent local field battlefield opposition rebel rebels
    militant militants fighters jihadist jihadists insurgents group's statement website
    diplomats diplomat envoy ambassador analysts analyst expert experts senior top
    unnamed anonymous informed private official's people officer officers general
    representative representatives coordinator commissioner regime
    colonel lieutenant major captain sergeant governor mayor member members team
    britain-based uk-based london-based us-led u.s.-led russian-led pro-government
    pro-damascus opposition-run state-run state-owned reports report organisation
    organization organisations organizations movement party union front brigade
    battalion faction factions militia militias federation association department
    in-charge local-coordination medical-sources terrorist islamist armed kurdish syrian
    east west north south eastern western northern southern central rural
    adviser advisers advisor advisors aide aides chairman chairwoman unit units
    broadcaster broadcasters humanitarian aid relief man woman mother father survivor survivors daily weekly
    interim transitional
""".split())

#: Lower-case words that may stand right before a person's name ("spokesman Nawaf Khalil").
_TITLE_WORDS = frozenset("""
    spokesman spokeswoman spokesperson director head chief minister leader commander
    official president secretary envoy governor colonel general lieutenant major captain
    representative coordinator commissioner
    sergeant doctor nurse activist resident mayor ambassador member officer correspondent
    reporter journalist photographer analyst expert senior top former deputy acting
""".split())
#: Lower-case rank words before a title: "the former president", "the acting governor".
_RANKS = frozenset({"former", "deputy", "acting"})
DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "this", "these",
                          "one", "another"})
_OF_PHRASE = frozenset({"for", "of", "in", "at", "from", "with", "to"})
_SOURCE_HEADS = frozenset({"source", "sources", "spokesman", "spokeswoman", "spokesperson",
                           "representative", "envoy", "coordinator", "commissioner",
                           "official", "officials", "head", "director", "chief", "member",
                           "reporter", "correspondent", "activists", "residents",
                           "journalist", "journalists", "photographer", "witness",
                           "ministry", "office", "hospital", "doctors", "doctor", "medics",
                           "council", "committee", "authorities", "police", "envoy",
                           "envoys", "ambassador", "adviser", "advisers", "advisor",
                           "advisors", "aide", "aides", "chairman", "chairwoman", "fighters",
                           "members", "leader", "leaders", "commander", "unit"})
#: Place nouns after a name, inside a source phrase: "a source in Hasaka province".
_PLACE_NOUNS = frozenset("province city town countryside governorate district region area crossing camp "
                         "airport border checkpoint base neighbourhood neighborhood".split())


def _named(token: Token) -> bool:
    return token.is_capitalized or bool(_ARABIC_PREFIX.match(token.text))
#: Adjectives that tie a source to the phrase after them: "fighters loyal to the government".
_TIED = frozenset("loyal close allied linked affiliated opposed".split())
#: Lower-case words that may stand before a place name inside a source ("in east Aleppo").
_PLACE_WORDS = frozenset("east west north south eastern western northern southern central "
                         "rural".split())
#: Sentence adverbs that are capitalised at the start of a clause and never begin a name.
_ADVERBS = frozenset({"meanwhile", "however", "moreover", "furthermore", "separately",
                      "elsewhere", "also", "but", "and", "earlier", "later", "still", "yet"})
_BODY_WORDS = frozenset({"group", "organisation", "organization", "network", "monitor", "body",
                         "agency", "coalition", "alliance", "movement", "faction", "outlet"})
_CONNECTORS = frozenset({"of", "for", "and", "al", "el", "de", "bin", "ibn", "&"})
_ARABIC_PREFIX = re.compile(r"^(?:al|el|ad|as|ash|at|az|ar|an|abu|bin|ibn)-[A-Z]")
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
TIME_WORDS = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec morning evening night afternoon
    earlier later week weekend month year
""".split())
#: Capitalised words that open a sentence or clause and never start a name.
_OPENERS = frozenset("""
    but and or meanwhile however also in on at for from with after before while when as
    earlier later then still yet so moreover furthermore separately elsewhere according
    speaking citing quoting asked when where this that these those there it he she they
    we i if although though because since during despite amid over under last
""".split())

_SOURCE_TYPE_CUES: tuple[tuple[SourceType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        (SourceType.military, r"\b(?:defen[cs]e ministry|ministry of defen[cs]e|defen[cs]e minist"
         r"|pentagon|us-led|u\.s\.-led|coalition spokes|spokes\w* for the (?:\S+ )?coalition|asayesh"
         r"|military sources?|army sources?)"),
        (SourceType.monitor, r"\b(?:observatory|sohr|monitor(?:s|ing)?\b|network for human rights"
         r"|snhr|violations documentation|documentation cent)"),
        (SourceType.humanitarian, r"\b(?:civil defen[cs]e|white helmets|red crescent|red cross|icrc"
         r"|unicef|unhcr|ocha|wfp|msf|doctors without borders|save the children|amnesty"
         r"|human rights watch|rescue workers|rescuers|(?:aid|relief) (?:groups?|agency|agencies|workers|organi[sz]ations?)|ngos?)"),
        (SourceType.international, r"\b(?:u\.?n\.?(?:'s|s)?\b|united nations|security council|who\b"
         r"|world health|opcw|arab league|nato|european union|eu\b|white house"
         r"|state department|kremlin|envoy|secretary[- ]general|high commissioner)"),
        (SourceType.government, r"\b(?:sana|state (?:media|television|tv|news)|news agency sana|official (?:syrian )?news agency"
         r"|ministry|minister|government|presidency|president|authorities|regime|police"
         r"|syrian arab news|assad\b|^(?:syria|damascus)$)"),
        (SourceType.military, r"\b(?:army|military|armed forces|troops|general|colonel|commander"
         r"|(?:col|gen|brig|maj|lt)\.\s"
         r"|brigadier|officer|kurdish forces|ypg|sdf|syrian democratic forces|pmu)"),
        (SourceType.armed_group, r"\b(?:rebels?|militants?|jihadists?|islamic state|isis|isil|daesh"
         r"|\bis\b|nusra|qaeda|ahrar|jaish|jabhat|free syrian army|fsa|hezbollah|hizbollah"
         r"|amaq|faylaq|brigades?|battalions?|factions?|terrorist|armed group|insurgents?"
         r"|militias?|fighters|levant front|tahrir)"),
        (SourceType.media, r"\b(?:reuters|afp|agence france|associated press|\bap\b|bbc|cnn"
         r"|al[- ]?jazeera|al[- ]?arabiya|sputnik|tass|ria|fna|fars|press tv|asharq"
         r"|journalist|correspondent|reporter|newspaper|channel|television|tv\b|media|broadcaster"
         r"|news agency|daily|times|post|guardian|ara news|smart news|anha|hawar|rudaw)"),
        (SourceType.witness, r"\b(?:activists?|residents?|witness(?:es)?|eyewitness(?:es)?"
         r"|locals\b|villagers?|survivors?|evacuees|inhabitants|citizens|(?:wo)?m[ae]n\b|mother|father"
         r"|teachers?|farmers?|students?|shopkeepers?|refugees?|civilians?|neighbou?rs?|relatives?)"),
        (SourceType.medical, r"\b(?:doctors?|hospitals?|medics?|nurses?|medical|paramedics?"
         r"|physicians?|health (?:official|worker|director))"),
        (SourceType.official, r"\b(?:national coalition|syrian coalition|interim government"
         r"|opposition|official|officials|mayor|governor|council|party|committee|administration)"),
        (SourceType.international, r"\b(?:united states|u\.s\.|washington|russia|moscow"
         r"|britain|london|france|paris|turkey|ankara|iran|tehran|israel|china|beijing"
         r"|germany|berlin|jordan|saudi|qatar|foreign secretary|foreign minister)"),
        (SourceType.unnamed, r"\b(?:sources?|reports?|diplomats?|analysts?|experts?|some)\b"),
    )
)
_FOREIGN = re.compile(
    r"\b(?:russian|american|u\.s\.|us|british|french|turkish|iranian|israeli|chinese|german"
    r"|saudi|qatari|jordanian|lebanese|iraqi|emirati|egyptian"
    r"|(?:iran|russia|turkey|israel|france|britain|china|germany|jordan|lebanon|iraq|egypt|qatar"
    r"|moscow|tehran|ankara|washington|paris|london|beijing)(?:'s|’s|s)?)\b", re.IGNORECASE)


_OPPONENTS = re.compile(r"^(?:the |some )?(?:opponents?|critics|enemies) of\b", re.IGNORECASE)
#: Opposition political bodies and their officers are official (evals/GUIDELINES.md).
_OPPOSITION_BODY = re.compile(r"\b(?:syrian|national) coalition\b|\binterim (?:government|minist)"
                              r"|\bnegotiations? committee\b", re.IGNORECASE)
_ARMED_HEAD = re.compile(r"^(?:the |some |a group of )?(?:fighters|gunmen|militiamen|militias?)\b"
                         r"|\b(?:rebel|militant|jihadist) (?:commanders?|leaders?|officers?)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def source_type(source: str) -> SourceType:
    """The type of a source named as ``source`` ("SANA" -> government), or ``other``.
    Cached: a source is typed again at every mention and every merge."""
    source = " ".join(source.split())  # no-break spaces of web text: "Levant\u00a0Front"
    if _FOREIGN.search(source) and re.search(r"\b(?:ministry|minister|government|president"
                                             r"|foreign|embassy)\b", source, re.IGNORECASE) \
            and not re.search(r"\bdefen[cs]e\b", source, re.IGNORECASE):
        return SourceType.international
    first, joint, _ = source.partition(" and ")
    if joint and source_type(first) not in (SourceType.other, SourceType.unnamed):
        return source_type(first)  # a joint source takes the type of the first one named
    if _OPPONENTS.match(source) or _OPPOSITION_BODY.search(source):
        return SourceType.official  # "Opponents of Assad", "President of the Syrian Coalition": the opposition
    if _ARMED_HEAD.search(source):
        return SourceType.armed_group  # "fighters loyal to the government", "a rebel commander"
    for kind, pattern in _SOURCE_TYPE_CUES:
        if pattern.search(source):
            return kind
    return SourceType.other


#: People named by their tie to someone, whose name may follow in commas: "His father, Omar Khalil,".
KIN = frozenset("""
    father mother brother sister son daughter wife husband uncle aunt cousin friend neighbour neighbor
    widow relative grandmother grandfather
""".split())
#: Words that end the description after a speaker's name: a clause of its own.
_DESCRIPTION_ENDS = frozenset("who which that whose said says told adding saying added when while as".split())


def apposition_type(tokens: tuple[Token, ...], end: int) -> SourceType | None:
    """The type a person's apposition gives, for a speaker whose name ends before token
    ``end`` and gives none: the description set off by a comma ("said Noha Saleh, a doctor
    at the hospital": medical; "Noha Saleh, an activist in Douma, said": witness), else,
    for a name given with an age ("Noha Saleh, 45, said"), witness: the guide's resident
    or eyewitness (officials and spokesmen are named by office, not by age)."""
    index, aged = end, False
    if index + 2 < len(tokens) and tokens[index].text == "," and tokens[index + 1].text.isdigit() \
            and 0 < int(tokens[index + 1].text) < 110 and tokens[index + 2].text in (",", ".", ";"):
        index, aged = index + 2, True  # "Noha Saleh, 45,"
    if index + 1 < len(tokens) and tokens[index].text == "," \
            and (tokens[index + 1].lower in ("a", "an", "the") or tokens[index + 1].lower in _TITLE_WORDS):
        words = []
        for token in tokens[index + 1:index + 10]:
            if token.text in ",;.:()\"“”" or token.lower in _DESCRIPTION_ENDS:
                break
            words.append(token.text)
        kind = source_type(" ".join(words))
        if kind not in (SourceType.other, SourceType.unnamed) and not any(w.lower() in KIN for w in words):
            return kind  # not "the mother of a soldier", "a commander's wife": a tie, no trade
    return SourceType.witness if aged and not sure_place(tokens, end - 1, end) else None  # "Aleppo, 45,": a count


def is_pronoun(token: Token) -> bool:
    """True for a personal pronoun that can stand for a source."""
    return token.lower in _PRONOUNS


def _is_time(token: Token) -> bool:
    return token.lower in TIME_WORDS or token.text.isdigit()


def _name_like(token: Token, *, at_sentence_start: bool) -> bool:
    """True for a word that can belong to a source's name or description."""
    if _is_time(token) or token.lower in _ADVERBS:
        return False
    if token.lower in SOURCE_WORDS or token.lower.removesuffix("'s") in SOURCE_WORDS \
            or lost_possessive(token.lower):
        return True  # "the ministry's spokesman", "the ministrys spokesman"
    if token.is_capitalized or token.text.isupper():
        return not (at_sentence_start and token.lower in _OPENERS)
    return _ARABIC_PREFIX.match(token.text) is not None  # "Ali al-Zaatari"


def lost_possessive(lower: str) -> bool:
    """True for a source word whose apostrophe the corpus lost ("ministrys", "regimes",
    "armys"): the word with its "s" taken off is a source word and the word itself is not
    one ("officials", "forces"). Many such words are plurals too ("governments"), so a
    caller reads one as a possessive only before a lower-case noun ("the regimes forces",
    not "Western governments Syrian officials")."""
    return len(lower) > 4 and lower.endswith("s") and lower not in SOURCE_WORDS \
        and lower[:-1] in SOURCE_WORDS and not lower.endswith("ss")


def _has_head(tokens: list[Token]) -> bool:
    return any(t.is_capitalized or t.lower in SOURCE_WORDS for t in tokens
               if t.lower not in DETERMINERS | _CONNECTORS)


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].lower in _CONNECTORS or tokens[0].text in "(,"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].lower in _CONNECTORS | DETERMINERS or tokens[-1].text in "(,"):
        tokens = tokens[:-1]
    return tokens


def phrase_before(tokens: tuple[Token, ...], end: int) -> list[Token]:
    """The source phrase ending just before token index ``end`` (may be empty)."""
    taken: list[Token] = []
    index = end - 1
    while index >= 0:
        token = tokens[index]
        if token.text == ")":
            opening = next((j for j in range(index - 1, max(index - 6, -1), -1)
                            if tokens[j].text == "("), None)
            if opening is None:
                break
            taken[:0] = tokens[opening:index + 1]
            index = opening - 1
            continue
        if not taken and token.lower in _PLACE_NOUNS and index > 2 and _named(tokens[index - 1]):
            named = index - 1
            while named > 0 and _named(tokens[named - 1]):
                named -= 1
            the = int(named > 2 and tokens[named - 1].lower == "the")  # "an official at the Bab al-Hawa crossing"
            if named > 1 + the and tokens[named - 1 - the].lower in _OF_PHRASE \
                    and tokens[named - 2 - the].lower in _SOURCE_HEADS:
                taken = list(tokens[named - 2 - the:index + 1])  # "a source in Hasaka province"
                index = named - 3 - the
                continue
            break
        if token.lower in DETERMINERS:
            taken.insert(0, token)
            if index >= 2 and tokens[index - 1].lower in _OF_PHRASE \
                    and tokens[index - 2].lower in SOURCE_WORDS:
                taken.insert(0, tokens[index - 1])  # "a spokesman for the coalition"
                index -= 2
                continue
            if index >= 3 and tokens[index - 1].lower in _OF_PHRASE and tokens[index - 2].lower in _TIED \
                    and tokens[index - 3].lower in SOURCE_WORDS:
                taken[:0] = tokens[index - 2:index]  # "fighters loyal to the government"
                index -= 3
                continue
            if token.lower in ("a", "an", "the") and _apposition_name(tokens, index, taken):
                return _apposition_name(tokens, index, taken)
            break
        if token.lower in _OF_PHRASE and taken and index > 0 \
                and tokens[index - 1].lower in _SOURCE_HEADS:
            taken[:0] = [tokens[index - 1], token]  # "a medical source at Aleppo Health ..."
            index -= 2
            continue
        if token.lower in _CONNECTORS and taken or token.lower in _RANKS and taken:
            taken.insert(0, token)  # "the former president"
        elif token.text == "." and taken and _abbreviated_title(tokens, index):
            taken[:0] = tokens[index - 1:index + 1]  # "Col. Ahmad Ali said"
            index -= 1
        elif (taken and taken[0].is_capitalized and not token.is_capitalized
              and token.lower not in _TITLE_WORDS and taken[0].lower not in SOURCE_WORDS
              and token.lower not in _PLACE_WORDS
              and not (token.lower in _OFFICE_NOUNS and index and tokens[index - 1].lower in _OFFICE_BEFORE)):
            break  # "rebels Pillay said": a plural noun does not describe a named person
        elif _name_like(token, at_sentence_start=index == 0) and not (
                taken and not token.is_capitalized and _is_plural_noun(token.lower)
                and not (lost_possessive(token.lower) and not taken[0].is_capitalized)):
            taken.insert(0, token)  # not "militants media": a plural noun is no modifier
        else:
            if taken and not any(t.is_capitalized for t in taken):
                named = _apposition_across_modifiers(tokens, index, taken)
                if named:
                    return named  # "the Syrian Observatory ... a Britain-based war monitor said"
            break
        index -= 1
    taken = _trim(taken)
    return taken if _has_head(taken) else []


#: A body before a person's name in a title: "Minister of Health in the interim government
#: Mohammad Jundi" (not a medium: "the news website Example Post" names the website).
_OFFICE_NOUNS = frozenset("government health defence defense interior council coalition".split())
_OFFICE_BEFORE = frozenset("interim transitional of the".split())


_PLURAL_MODIFIERS = frozenset("rights forces news affairs arms relations nations operations "
                              "services emergencies".split())


def _is_plural_noun(lower: str) -> bool:
    return lower.endswith("s") and not lower.endswith(("ss", "'s")) and lower not in _PLURAL_MODIFIERS


def _apposition_across_modifiers(tokens: tuple[Token, ...], index: int,
                                 taken: list[Token]) -> list[Token]:
    """The name before "a Britain-based war monitor" when the description's lower-case
    modifiers ("war") stopped the phrase at ``index``."""
    for article in range(index, max(index - 3, -1), -1):
        if tokens[article].lower in ("a", "an", "the"):
            description = [*tokens[article + 1:index + 1], *taken]
            return _apposition_name(tokens, article, description)
        if tokens[article].is_capitalized and not tokens[article].lower.endswith("-based"):
            return []
    return []


def _apposition_name(tokens: tuple[Token, ...], article_index: int,
                     description: list[Token]) -> list[Token]:
    """For "the Syrian Observatory for Human Rights a Britain-based monitoring group",
    the name before the apposition (when there is one)."""
    if article_index == 0 or not any(
        t.lower.endswith("-based") or t.lower in _BODY_WORDS for t in description
    ):
        return []
    before = tokens[article_index - 1]
    if not (before.is_capitalized or before.text == ")") or _is_time(before):
        return []
    name = phrase_before(tokens, article_index)
    capitalized = [t for t in name if t.is_capitalized]
    if tokens[article_index].lower == "the" and (
            description[-1].lower not in _BODY_WORDS
            or source_type(" ".join(t.text for t in name)) in (SourceType.other, SourceType.unnamed)):
        return []  # "the Syrian National Coalition the main opposition group": a body named, then described
    return name if len(capitalized) >= 2 else []


def _abbreviated_title(tokens: tuple[Token, ...], index: int) -> bool:
    """True when the full stop at ``index`` ends a title written short before a name
    ("Col." in "Col. Ahmad Ali"): it belongs to the speaker's phrase."""
    return 0 < index < len(tokens) - 1 and tokens[index - 1].lower in TITLE_ABBREVIATIONS \
        and tokens[index - 1].is_capitalized and tokens[index + 1].is_capitalized


def phrase_after(tokens: tuple[Token, ...], start: int) -> list[Token]:
    """The source phrase starting at token index ``start`` (may be empty)."""
    taken: list[Token] = []
    index = start
    while index < len(tokens):
        token = tokens[index]
        if token.lower in DETERMINERS:
            if taken and _has_head(taken):
                break
            taken.append(token)
        elif token.text == "(" and taken:
            closing = next((j for j in range(index + 1, min(index + 6, len(tokens)))
                            if tokens[j].text == ")"), None)
            if closing is None:
                break
            taken.extend(tokens[index:closing + 1])
            index = closing
        elif token.lower in _CONNECTORS and taken:
            taken.append(token)
        elif token.text == "." and _abbreviated_title(tokens, index):
            taken.append(token)  # "said Col. Ahmad Ali": the title's full stop
        elif _name_like(token, at_sentence_start=False):
            taken.append(token)
        else:
            break
        index += 1
    taken = _trim(taken)
    return taken if _has_head(taken) else []


def join(tokens: list[Token], text: str, offset: int) -> str:
    """The article text covered by ``tokens`` (verbatim), given the sentence ``text``
    that starts at article offset ``offset``."""
    if not tokens:
        return ""
    return text[tokens[0].start - offset:tokens[-1].end - offset]
