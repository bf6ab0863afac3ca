"""English inflection exactly as npm ``pluralize`` 8.0.0 does it (the reference's dependency).

The algorithm comes from the ``pluralizer`` package (a Python port of npm ``pluralize``); its rule tables
follow a later release (``canvas``, ``species`` differ), so the 8.0.0 tables are loaded here instead.
JavaScript's ASCII ``\\w`` / ``\\b`` are spelled out, since Python's are Unicode-aware.

Rule tables: copyright (c) Blake Embrey, MIT license (https://github.com/plurals/pluralize).
"""

from __future__ import annotations

import re

from pluralizer import Pluralizer


def R(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


IRREGULAR: list[tuple[str, str]] = [
    # Pronouns.
    ("I", "we"),
    ("me", "us"),
    ("he", "they"),
    ("she", "they"),
    ("them", "them"),
    ("myself", "ourselves"),
    ("yourself", "yourselves"),
    ("itself", "themselves"),
    ("herself", "themselves"),
    ("himself", "themselves"),
    ("themself", "themselves"),
    ("is", "are"),
    ("was", "were"),
    ("has", "have"),
    ("this", "these"),
    ("that", "those"),
    # Words ending in with a consonant and `o`.
    ("echo", "echoes"),
    ("dingo", "dingoes"),
    ("volcano", "volcanoes"),
    ("tornado", "tornadoes"),
    ("torpedo", "torpedoes"),
    # Ends with `us`.
    ("genus", "genera"),
    ("viscus", "viscera"),
    # Ends with `ma`.
    ("stigma", "stigmata"),
    ("stoma", "stomata"),
    ("dogma", "dogmata"),
    ("lemma", "lemmata"),
    ("schema", "schemata"),
    ("anathema", "anathemata"),
    # Other irregular rules.
    ("ox", "oxen"),
    ("axe", "axes"),
    ("die", "dice"),
    ("yes", "yeses"),
    ("foot", "feet"),
    ("eave", "eaves"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("quiz", "quizzes"),
    ("human", "humans"),
    ("proof", "proofs"),
    ("carve", "carves"),
    ("valve", "valves"),
    ("looey", "looies"),
    ("thief", "thieves"),
    ("groove", "grooves"),
    ("pickaxe", "pickaxes"),
    ("passerby", "passersby"),
]

PLURAL: list[tuple[re.Pattern[str] | str, str]] = [
    (R(r"s?$"), "s"),
    (R(r"[^\u0000-\u007F]$"), "$0"),
    (R(r"([^aeiou]ese)$"), "$1"),
    (R(r"(ax|test)is$"), "$1es"),
    (R(r"(alias|[^aou]us|t[lm]as|gas|ris)$"), "$1es"),
    (R(r"(e[mn]u)s?$"), "$1s"),
    (R(r"([^l]ias|[aeiou]las|[ejzr]as|[iu]am)$"), "$1"),
    (R(r"(alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$"), "$1i"),
    (R(r"(alumn|alg|vertebr)(?:a|ae)$"), "$1ae"),
    (R(r"(seraph|cherub)(?:im)?$"), "$1im"),
    (R(r"(her|at|gr)o$"), "$1oes"),
    (
        R(
            r"(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor)(?:a|um)$"
        ),
        "$1a",
    ),
    (
        R(
            r"(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)(?:a|on)$"
        ),
        "$1a",
    ),
    (R(r"sis$"), "ses"),
    (R(r"(?:(kni|wi|li)fe|(ar|l|ea|eo|oa|hoo)f)$"), "$1$2ves"),
    (R(r"([^aeiouy]|qu)y$"), "$1ies"),
    (R(r"([^ch][ieo][ln])ey$"), "$1ies"),
    (R(r"(x|ch|ss|sh|zz)$"), "$1es"),
    (R(r"(matr|cod|mur|sil|vert|ind|append)(?:ix|ex)$"), "$1ices"),
    (R(r"(?<![A-Za-z0-9_])((?:tit)?m|l)(?:ice|ouse)$"), "$1ice"),
    (R(r"(pe)(?:rson|ople)$"), "$1ople"),
    (R(r"(child)(?:ren)?$"), "$1ren"),
    (R(r"eaux$"), "$0"),
    (R(r"m[ae]n$"), "men"),
    ("thou", "you"),
]

SINGULAR: list[tuple[re.Pattern[str] | str, str]] = [
    (R(r"s$"), ""),
    (R(r"(ss)$"), "$1"),
    (R(r"(wi|kni|(?:after|half|high|low|mid|non|night|[^A-Za-z0-9_]|^)li)ves$"), "$1fe"),
    (R(r"(ar|(?:wo|[ae])l|[eo][ao])ves$"), "$1f"),
    (R(r"ies$"), "y"),
    (
        R(
            r"(?<![A-Za-z0-9_])([pl]|zomb|(?:neck|cross)?t|coll|faer|food|gen|goon|group|lass|talk|goal|cut)ies$"
        ),
        "$1ie",
    ),
    (R(r"(?<![A-Za-z0-9_])(mon|smil)ies$"), "$1ey"),
    (R(r"(?<![A-Za-z0-9_])((?:tit)?m|l)ice$"), "$1ouse"),
    (R(r"(seraph|cherub)im$"), "$1"),
    (R(r"(x|ch|ss|sh|zz|tto|go|cho|alias|[^aou]us|t[lm]as|gas|(?:her|at|gr)o|[aeiou]ris)(?:es)?$"), "$1"),
    (R(r"(analy|diagno|parenthe|progno|synop|the|empha|cri|ne)(?:sis|ses)$"), "$1sis"),
    (R(r"(movie|twelve|abuse|e[mn]u)s$"), "$1"),
    (R(r"(test)(?:is|es)$"), "$1is"),
    (R(r"(alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$"), "$1us"),
    (
        R(
            r"(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|quor)a$"
        ),
        "$1um",
    ),
    (
        R(r"(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)a$"),
        "$1on",
    ),
    (R(r"(alumn|alg|vertebr)ae$"), "$1a"),
    (R(r"(cod|mur|sil|vert|ind)ices$"), "$1ex"),
    (R(r"(matr|append)ices$"), "$1ix"),
    (R(r"(pe)(rson|ople)$"), "$1rson"),
    (R(r"(child)ren$"), "$1"),
    (R(r"(eau)x?$"), "$1"),
    (R(r"men$"), "man"),
]

UNCOUNTABLE: list[re.Pattern[str] | str] = [
    # Singular words with no plurals.
    "adulthood",
    "advice",
    "agenda",
    "aid",
    "aircraft",
    "alcohol",
    "ammo",
    "analytics",
    "anime",
    "athletics",
    "audio",
    "bison",
    "blood",
    "bream",
    "buffalo",
    "butter",
    "carp",
    "cash",
    "chassis",
    "chess",
    "clothing",
    "cod",
    "commerce",
    "cooperation",
    "corps",
    "debris",
    "diabetes",
    "digestion",
    "elk",
    "energy",
    "equipment",
    "excretion",
    "expertise",
    "firmware",
    "flounder",
    "fun",
    "gallows",
    "garbage",
    "graffiti",
    "hardware",
    "headquarters",
    "health",
    "herpes",
    "highjinks",
    "homework",
    "housework",
    "information",
    "jeans",
    "justice",
    "kudos",
    "labour",
    "literature",
    "machinery",
    "mackerel",
    "mail",
    "media",
    "mews",
    "moose",
    "music",
    "mud",
    "manga",
    "news",
    "only",
    "personnel",
    "pike",
    "plankton",
    "pliers",
    "police",
    "pollution",
    "premises",
    "rain",
    "research",
    "rice",
    "salmon",
    "scissors",
    "series",
    "sewage",
    "shambles",
    "shrimp",
    "software",
    "species",
    "staff",
    "swine",
    "tennis",
    "traffic",
    "transportation",
    "trout",
    "tuna",
    "wealth",
    "welfare",
    "whiting",
    "wildebeest",
    "wildlife",
    "you",
    R(r"pok[eé]mon$"),
    # Regexes.
    R(r"[^aeiou]ese$"),  # "chinese", "japanese"
    R(r"deer$"),  # "deer", "reindeer"
    R(r"fish$"),  # "fish", "blowfish", "angelfish"
    R(r"measles$"),
    R(r"o[iu]s$"),  # "carnivorous"
    R(r"pox$"),  # "chickpox", "smallpox"
    R(r"sheep$"),
]


class NpmPluralize(Pluralizer):
    """npm ``pluralize`` 8.0.0: ``plural``, ``singular`` and ``pluralize(word, count)``."""

    def __init__(self) -> None:
        # The parent constructor loads its own tables; start from empty ones instead.
        self.pluralRules = []
        self.singularRules = []
        self.uncountables = {}
        self.irregularPlurals = {}
        self.irregularSingles = {}
        for single, plural in IRREGULAR:
            self.add_irregular_rule(single, plural)
        for pattern, replacement in PLURAL:
            self.add_plural_rule(pattern, replacement)
        for pattern, replacement in SINGULAR:
            self.add_singular_rule(pattern, replacement)
        for word in UNCOUNTABLE:
            self.add_uncountable_rule(word)
