"""Themes a member may choose not to see: a small, fixed vocabulary, and a fast detector that
finds them in a text (a thread's title, warning, tags and opening post; an update).

The detector is deliberately simple and predictable: curated words and phrases matched as whole
words, each with a few guards for the common innocent uses ("my phone died", "dog grooming",
"drug abuse" is substance use, not abuse). It never decides anything about a member; it only
lets readers who asked for it be spared a theme. A miss shows the text as today, so the lists
lean towards plain, unmistakable wording.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Theme:
    key: str
    # Lazy translations: shown in the reader's language (str() them for JSON).
    label: str | Promise
    description: str | Promise
    # Whole-word alternatives (regular expressions, lower case, no anchors needed).
    phrases: tuple[str, ...]
    # A match is dropped when the few words just before it match one of these (the text is
    # lower-cased; "\b" anchors are added), or the words just after it match an after-guard.
    guards_before: tuple[str, ...] = ()
    guards_after: tuple[str, ...] = ()
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = "|".join(f"(?:{phrase})" for phrase in self.phrases)
        object.__setattr__(self, "pattern", re.compile(rf"\b(?:{joined})\b"))


_PEOPLE = (
    r"(?:mum|mom|mother|mam|dad|father|papa|parents?|husband|wife|partner|boyfriend|girlfriend"
    r"|son|daughter|child|kid|baby|brother|sister|sibling|twin|friend|best friend|grandad"
    r"|grandpa|grandfather|grandma|gran|nan|nana|grandmother|grandparents?|aunt|auntie|uncle"
    r"|cousin|fianc[eé]e?|dog|cat|pet)"
)

THEMES: tuple[Theme, ...] = (
    Theme(
        key="self_harm_detail",
        label=_("Self-harm detail"),
        description=_("Descriptions of hurting oneself, such as cutting or burning."),
        phrases=(
            r"self[- ]?harm(?:ing|ed|s)?",
            r"self[- ]?injur(?:y|ies|ing)",
            r"(?:cut|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|scratch|scratching)"
            r" (?:myself|herself|himself|themselves|yourself)",
            r"(?:cut|cutting|slit|slitting) (?:my|her|his|their) (?:wrists?|arms?|legs?|thighs?)",
            r"razor blades?",
            r"self[- ]?harm scars?",
        ),
    ),
    Theme(
        key="suicide",
        label=_("Suicide"),
        description=_("Thoughts of ending one's life, and losing someone to suicide."),
        phrases=(
            r"suicid(?:e|es|al|ality)",
            r"kill(?:ing|ed)? (?:myself|herself|himself|themselves)",
            r"end(?:ing|ed)? (?:my|her|his|their|it) (?:own )?li(?:fe|ves)",
            r"end(?:ing)? it all",
            r"take (?:my|her|his|their) (?:own )?li(?:fe|ves)",
            r"took (?:her|his|their) (?:own )?li(?:fe|ves)",
            r"(?:want|wanted|wanting|wish) to die",
            r"better off dead",
            r"(?:do not|don't|dont) want to (?:be here|live|exist) any ?more",
        ),
        # "I could kill myself laughing" is rare; "suicide squad" is a film, not a disclosure.
        guards_after=(r"squad", r"laughing"),
    ),
    Theme(
        key="eating",
        label=_("Eating and body image"),
        description=_("Eating disorders, restricting or bingeing, weight and calories."),
        phrases=(
            r"eating disorders?",
            r"disordered eating",
            r"anorexi(?:a|c)",
            r"bulimi(?:a|c)",
            r"orthorexi(?:a|c)",
            r"arfid",
            r"(?:binge[ds]?|bingeing|binging)(?: eating)?",
            r"purg(?:e|es|ed|ing)",
            r"calories?(?: counting)?",
            r"count(?:ing)? calories",
            r"restrict(?:ing|ed)? (?:food|eating|calories|meals)",
            r"skip(?:ping|ped)? meals",
            r"body image",
            r"(?:lose|losing|lost|gain|gaining|gained) (?:so much |a lot of )?weight",
            r"hate my body",
            r"body dysmorphi(?:a|c)",
        ),
        # Watching a whole series in one go is "binge-watching", not eating.
        guards_after=(r"-?watch\w*", r"-?read\w*", r"-?play\w*"),
    ),
    Theme(
        key="grief",
        label=_("Grief and loss"),
        description=_("A death, bereavement, funerals and missing someone who died."),
        phrases=(
            r"grie(?:f|ve|ves|ved|ving)",
            r"bereave(?:d|ment)",
            r"mourn(?:ing|ed|s)?",
            r"funerals?",
            r"passed away",
            r"(?:he|she) (?:died|passed)",
            r"lost my " + _PEOPLE,
            r"(?:my|our) " + _PEOPLE + r" (?:died|passed|is dead|was killed)",
            r"death of (?:my|our) " + _PEOPLE,
            r"since (?:my|our) " + _PEOPLE + r" died",
        ),
        # "Lost my dog" is often "ran off"; "lost my job" never matches (not a person).
        guards_after=(r"in the (?:park|woods|crowd)", r"at the (?:park|shops)"),
    ),
    Theme(
        key="abuse",
        label=_("Abuse and trauma"),
        description=_("Abuse, assault, violence at home, and what it leaves behind."),
        phrases=(
            r"abus(?:e|es|ed|er|ers|ive)",
            r"sexual(?:ly)? assault(?:ed)?",
            r"assault(?:ed)?",
            r"rap(?:e|ed|ist)",
            r"molest(?:ed|ation|er)?",
            r"domestic (?:violence|abuse)",
            r"coercive control",
            r"groom(?:ed|ing)",
            r"trauma(?:s|tic|tised|tized)?",
            r"ptsd|c-?ptsd",
            r"flashbacks?",
        ),
        # Misuse of drugs or drink is substance use; grooming a dog is a chore.
        guards_before=(
            r"(?:drug|drugs|substance|alcohol|opioid|pill|solvent)",
            r"(?:dog|dogs|cat|pet|horse|beard)",
        ),
        guards_after=(r"(?:my|the|our|his|her) (?:dog|dogs|cat|pet|horse|beard)",),
    ),
    Theme(
        key="substance",
        label=_("Substance use"),
        description=_("Drinking, drugs, addiction, withdrawal and staying sober."),
        phrases=(
            r"alcohol(?:ic|ics|ism)?",
            r"(?:drug|substance|alcohol) (?:abuse|misuse|use|problem)",
            r"drunk",
            r"hangovers?",
            r"drinking (?:again|problem|too much|every (?:night|day)|alone)",
            r"sober(?:ness)?|sobriety",
            r"addict(?:ed|ion|s)?",
            r"cocaine|heroin|crack cocaine|meth|ketamine|mdma|fentanyl|opioids?|opiates?",
            r"overdos(?:e|ed|es|ing)",
            r"(?:using|taking|doing) drugs",
            r"withdrawals?",
            r"relaps(?:e|ed|ing) (?:on|into) (?:drink|drinking|drugs|alcohol)",
        ),
        # Social withdrawal and bank withdrawals are something else.
        guards_before=(r"social", r"(?:bank|cash|atm)"),
        guards_after=(r"from (?:friends|people|everyone)",),
    ),
    Theme(
        key="pregnancy_loss",
        label=_("Pregnancy and baby loss"),
        description=_("Miscarriage, stillbirth, ectopic pregnancy and losing a baby."),
        phrases=(
            r"miscarr(?:y|ied|iage|iages|ying)",
            r"still ?(?:birth|births|born)",
            r"ectopic(?: pregnancy)?",
            r"(?:pregnancy|baby|infant) loss",
            r"lost (?:the|our|my) (?:baby|pregnancy)",
            r"chemical pregnancy",
            r"tfmr|termination for medical reasons",
            r"neonatal death",
        ),
    ),
)

THEMES_BY_KEY: dict[str, Theme] = {theme.key: theme for theme in THEMES}
THEME_CHOICES: list[tuple[str, str]] = [(theme.key, theme.label) for theme in THEMES]

# How far around a match the guards look (characters): a few words.
_GUARD_WINDOW = 24
_SPACES = re.compile(r"\s+")
_GUARDS = {
    theme.key: (
        re.compile(rf"\b(?:{'|'.join(theme.guards_before)})[\s-]*$")
        if theme.guards_before
        else None,
        re.compile(rf"^[\s-]*(?:{'|'.join(theme.guards_after)})\b") if theme.guards_after else None,
    )
    for theme in THEMES
}


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces: what the phrase lists are written for."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    return _SPACES.sub(" ", text)


def _guarded(theme: Theme, text: str, start: int, end: int) -> bool:
    before, after = _GUARDS[theme.key]
    if before is not None and before.search(text[max(0, start - _GUARD_WINDOW) : start]):
        return True
    return after is not None and bool(after.search(text[end : end + _GUARD_WINDOW]))


def detect_themes(*texts: str) -> list[str]:
    """The theme keys found in these texts, in vocabulary order."""
    text = normalise("\n".join(t for t in texts if t))
    if not text.strip():
        return []
    found = []
    for theme in THEMES:
        for match in theme.pattern.finditer(text):
            if not _guarded(theme, text, match.start(), match.end()):
                found.append(theme.key)
                break
    return found


def theme_label(key: str) -> str:
    """The theme's name in the language active now."""
    theme = THEMES_BY_KEY.get(key)
    return str(theme.label) if theme else key.replace("_", " ")
