"""npm pluralize 8.0.0 rules, checked word by word against the reference's own ``pluralize`` package."""

from __future__ import annotations

from novu_framework.templating.inflection import IRREGULAR, UNCOUNTABLE, NpmPluralize
from tests.templating.oracle import inflect_with_reference

COMMON_TEXT = """
person box item child sheep category reply message comment event user post order invoice notification
mouse goose ox axis cactus analysis bus quiz hero photo leaf knife wife life city day toy church dish
fish series species news money information criterion phenomenon datum index matrix vertex alumnus tooth
foot man woman human status virus octopus genus passerby echo potato tomato piano radio zoo staff chief
roof belief thief wolf half calf elf self scarf dwarf buffalo volcano bonus campus census alias canvas
gas bias atlas iris kiss boss class glass process address business feedback equipment rice deer moose
aircraft pokemon pokémon emoji tuxedo proof movie twelve abuse menu emu seraph cherub appendix codex
bureau chateau tableau cookie zombie monkey smiley money journey valley alley key lady baby party story
penny ax test testis crisis thesis diagnosis ellipsis syllabus radius nucleus fungus stimulus terminus
bacillus focus uterus locus stratum agenda addendum millennium medium bacterium memorandum curriculum
automaton criterion hedron organon alga vertebra formula antenna nebula larva chinese japanese portuguese
reindeer blowfish measles famous pox smallpox thou you we they it i me he she was is were has have this
that
"""
COMMON = COMMON_TEXT.split()
PHRASES = [
    "new message",
    "user account",
    "mother-in-law",
    "person-in-charge",
    "T-shirt",
    "e-mail",
    "[T:apple]",
    "apple]",
]


def _words() -> list[str]:
    words = set(COMMON) | set(PHRASES)
    for single, plural in IRREGULAR:
        words |= {single, plural}
    words |= {word for word in UNCOUNTABLE if isinstance(word, str)}
    variants = {variant for word in words for variant in (word.title(), word.upper())}
    return sorted(words | variants | {"", "s", "S", "é", "ñandú", "café", "naïve", "résumé"})


def test_plural_and_singular_match_npm_pluralize() -> None:
    words = _words()
    reference = inflect_with_reference(words)
    inflector = NpmPluralize()
    ours = [{"plural": inflector.plural(word), "singular": inflector.singular(word)} for word in words]
    differences = [
        (word, mine, theirs)
        for word, mine, theirs in zip(words, ours, reference, strict=True)
        if mine != theirs
    ]
    assert len(words) > 700
    assert differences == []
