"""Word lists the casualty rules read: people, outcomes, victim categories, actors.

Lower-case, one word each. Kept in one place so that a reader can see every word the
rules react to, and a missing word is a one-line fix.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that civilians are described by (evals/GUIDELINES.md: civilians, residents,
#: children, women, students, worshippers, evacuees ...).
CIVILIAN = _words("""
    civilian civilians child children kid kids woman women girl girls boy boys baby babies
    infant infants toddler toddlers schoolchildren pupil pupils student students teacher
    teachers worshipper worshippers worshiper worshipers evacuee evacuees resident
    residents inhabitant inhabitants villager villagers citizen citizens refugee refugees
    migrants displaced passenger passengers patient patients medic medics doctor doctors
    nurse nurses paramedic paramedics rescuer rescuers volunteer volunteers journalist
    journalists reporter reporters photographer photographers farmer farmers shepherd
    shepherds fishermen worker workers employees staff family families relatives elderly
    men man crewmembers crew pilgrims mourners shoppers protesters demonstrators
    teenagers teenager youths youth minors minor infants aid unarmed non-combatants
    neighbours neighbors guests
""")

#: Words that combatants are described by (soldiers, fighters, militants, rebels,
#: members of armed groups, "terrorists"; police and security forces are state forces).
COMBATANT = _words("""
    soldier soldiers fighter fighters militant militants rebel rebels terrorist terrorists
    jihadist jihadists jihadis insurgent insurgents gunman gunmen militiaman militiamen
    combatants troops trooper servicemen serviceman personnel officer officers
    policeman policemen police guard guards commander commanders recruit recruits
    conscripts mercenaries extremists attackers attacker bombers assailants snipers
    sniper marines pilot pilots islamists loyalists defectors operatives paratroopers
    takfiris hezbollah militiamen paramilitaries
""")
#: Words that mark combatants only as modifiers ("security forces", "army officers").
COMBATANT_MODIFIERS = _words("army military forces security regime rebel militia militias")

#: Head nouns that count people, besides the category words above.
PEOPLE = CIVILIAN | COMBATANT | _words("""
    people persons person individuals others member members victims victim leaders
    leader officials official hostages hostage prisoners prisoner detainees detainee
    captives captive activists activist them whom kurds shiites sunnis alawites
    christians yazidis iraqis syrians lebanese palestinians iranians russians americans
    turks afghans opponents comrades allies enemies foreigners nationals locals
    bodyguards colleagues companions advisers advisors experts contractors peacekeepers
    inmates pedestrians motorists drivers bystanders passers-by tourists diplomats
    engineers firefighters surgeons cameramen correspondents staffers schoolboys
    schoolgirls newborns adolescents males females siblings brothers sisters sons
    daughters mothers fathers husbands wives souls tribesmen clansmen herders bedouins
    druze turkmen chechens saudis egyptians jordanians britons europeans westerners
    dissidents vendors defenders forces friends
""")

#: Nouns that count households, not people: "killed two families", "members of one family".
FAMILIES = _words("family families household households clan clans")

#: Nouns that name the people counted and what happened to them ("44 dead").
OUTCOME_NOUNS: dict[str, str] = {
    "dead": "killed", "deaths": "killed", "fatalities": "killed", "bodies": "killed",
    "corpses": "killed", "martyrs": "killed", "killed": "killed",
    "wounded": "wounded", "injured": "wounded", "casualties": "killed_or_wounded",
}

#: Verbs (past participles and finite forms) that state an outcome after the people:
#: "12 fighters were killed", "19 civilians died".
OUTCOME_VERBS: dict[str, str] = {
    "killed": "killed", "dead": "killed", "died": "killed", "die": "killed",
    "perished": "killed", "martyred": "killed", "slain": "killed", "massacred": "killed",
    "murdered": "killed", "executed": "killed", "beheaded": "killed", "drowned": "killed",
    "slaughtered": "killed", "assassinated": "killed", "electrocuted": "killed",
    "wounded": "wounded", "injured": "wounded", "hurt": "wounded", "hospitalised": "wounded",
    "hospitalized": "wounded", "poisoned": "wounded", "suffocated": "wounded",
    "captured": "captured", "arrested": "captured", "detained": "captured",
    "abducted": "captured", "kidnapped": "captured", "seized": "captured",
    "missing": "missing", "disappeared": "missing", "dies": "killed", "perish": "killed",
    "eliminated": "killed", "liquidated": "killed", "neutralized": "killed", "neutralised": "killed",
}

#: Verbs that state an outcome before the people: "killing 17 people", "wounded dozens".
OUTCOME_BEFORE: dict[str, str] = {
    "kill": "killed", "kills": "killed", "killed": "killed", "killing": "killed",
    "executed": "killed", "executing": "killed", "executes": "killed",
    "wound": "wounded", "wounds": "wounded", "wounded": "wounded", "wounding": "wounded",
    "injure": "wounded", "injures": "wounded", "injured": "wounded", "injuring": "wounded",
    "capture": "captured", "captures": "captured", "captured": "captured",
    "capturing": "captured", "arrested": "captured", "arresting": "captured",
    "claimed": "killed", "claiming": "killed", "lost": "killed", "losing": "killed",
    "massacred": "killed", "massacring": "killed", "slaughtered": "killed", "slaughtering": "killed",
    "murdered": "killed", "murdering": "killed", "martyred": "killed", "beheaded": "killed",
    "beheading": "killed", "assassinated": "killed", "slew": "killed", "beheads": "killed",
    "behead": "killed", "massacres": "killed", "slaughters": "killed", "murders": "killed",
    "assassinates": "killed", "neutralizes": "killed", "neutralises": "killed", "liquidates": "killed",
    "loses": "killed",
    "detained": "captured", "detaining": "captured", "abducted": "captured",
    "abducting": "captured", "kidnapped": "captured", "kidnapping": "captured",
    "eliminated": "killed", "eliminating": "killed", "eliminate": "killed", "eliminates": "killed",
    "liquidated": "killed", "liquidating": "killed", "neutralized": "killed", "neutralizing": "killed",
    "neutralised": "killed", "neutralising": "killed", "destroyed": "killed", "destroying": "killed",
}

#: Verbs of OUTCOME_BEFORE whose object is often not people ("lost 13 towns", "destroyed 20
#: vehicles"): a count after them is a figure only with its people ("lost 13 soldiers",
#: "eliminated 30 militants").
NEEDS_PEOPLE = frozenset({"lost", "losing", "loses", "destroyed", "destroying", "eliminated",
                          "eliminating", "eliminate", "eliminates", "liquidated", "liquidating",
                          "neutralized", "neutralizing", "neutralised", "neutralising",
                          "neutralizes", "neutralises", "liquidates"})

#: "the death of 64", "claiming the lives of two", "the bodies of a dozen people".
OUTCOME_OF: dict[str, str] = {
    "death": "killed", "deaths": "killed", "lives": "killed", "bodies": "killed",
    "killing": "killed", "execution": "killed", "life": "killed", "massacre": "killed",
    "murder": "killed", "slaughter": "killed", "killings": "killed", "loss": "killed",
    "martyrdom": "killed", "assassination": "killed", "beheading": "killed", "remains": "killed",
    "injury": "wounded", "injuries": "wounded", "injuring": "wounded", "wounding": "wounded",
}

#: Words allowed between the people and their outcome verb: "were reportedly killed".
AUXILIARIES = _words("""
    were was are is have has had been be being got get reportedly also all allegedly later
    subsequently both who that already mostly reported said believed thought feared
    to remain remained remains still either further confirmed known presumed estimated
    feared understood may might could have
""")

#: Participles that describe people rather than tell what they did ("armed men").
DESCRIPTIVE_PARTICIPLES = _words("""
    armed linked backed affiliated based allied displaced trapped aged unidentified
    unarmed named including besieged trained supported loyal
""")

#: Words after a number that make it something other than a count of people.
NOT_PEOPLE_AFTER = _words("""
    km kms kilometres kilometers kilometre kilometer miles mile metres meters metre meter
    percent per cent % years year months month weeks week days day hours hour minutes
    minute seconds times pm am a.m. p.m. gmt utc o'clock tons tonnes dollars euros
    pounds liters litres feet inches kg
""")

#: Words before a number that make it a date, a unit number or a label.
NOT_PEOPLE_BEFORE = _words("""
    aged age brigade division regiment battalion corps resolution article route highway
    road no. number page chapter flight unit district zone sector phase
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
""")

#: Words that name a party able to cause casualties (for the perpetrator).
ACTORS = _words("""
    regime government army military forces troops rebels rebel militants militant jihadists
    jihadist coalition fighters gunmen bomber bombers attacker attackers militia militias
    group police insurgents terrorists terrorist soldiers sniper snipers jets warplanes
    aircraft force russian syrian israeli american turkish iranian iraqi kurdish
""")

#: Nouns that name an attack; "in Russian airstrikes" names an actor through them.
ATTACKS = _words("""
    strikes airstrikes raids raid strike shelling bombing bombings bombardment attack
    attacks fire barrage barrages clashes assault offensive
""")


#: Finite reporting verbs: "SOHR said", ", the monitor added,", "It said twelve of them ...".
REPORTING_VERBS = frozenset("said says say stated added adds reported claimed told announced confirmed".split())
