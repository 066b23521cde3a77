"""Hand-written signals that sharpen the learned models where wording is unambiguous.

Each rule names what it catches; guards stop the crisis rules on idioms, past-tense recovery
stories and supportive replies, which the models also learn from hard negatives.
"""

import re

_I = r"(?:i|i'm|im|i am|i've|ive|i'll|ill|i'd|me|my|myself)"
# "wake up" for good, not "wake up late" or "wake up until 10".
_WAKING_FOR_GOOD = r"wake (?:up|again)\b(?! (?:until|till|til|for|in time|once|at|when|before|on time|late|early|\d))"

CRISIS_PATTERNS = [
    # Suicidal intent, wishes and plans, in the first person and the present.
    r"\b(?:kill|killing|end|ending|take|taking)\s+(?:my\s*self|myself|my (?:own )?life)\b",
    r"\b(?:kms|ctb|unalive (?:myself|me)|sewerslide|su1c1de)\b",
    r"\b(?:want|wanna|going|gonna|planning|plan|ready|about) (?:to )?(?:die|end it|end it all|be dead|end things)\b",
    r"\b(?:ending|end) (?:it|things|everything)(?: all)? (?:tonight|today|soon|now|after)\b",
    r"\bthinking (?:about|abt|of) (?:ending (?:it|things|my life)|suicide|killing myself|dying)\b",
    r"\b(?:i'm|im|i am|feeling|feel|so|still|again|been) (?:really |very |so |pretty |actively )?suicidal\b",
    r"\bsuicidal (?:again|tonight|today|thoughts are (?:back|loud|getting))\b",
    r"\bi (?:wish|want) (?:i was|i were|to be) dead\b",
    r"\b(?:don't|dont|do not) want to (?:wake up|be alive|live|exist|be here)(?: anymore)?\b",
    # Sleep as a wish not to go on: never waking up, not tired or sleepless.
    r"\b(?:sleep|asleep|close my eyes)\b[^.!?\n]{0,30}\b(?:never|not|don't|dont|won't|wont) (?:have to )?"
    + _WAKING_FOR_GOOD,
    r"\b(?:hope|hoping|pray|praying|wish) (?:that )?(?:i )?(?:don't|dont|won't|wont|never|do not|will not|wouldn't) "
    + _WAKING_FOR_GOOD,
    r"\b(?:don't|dont|do not) let me wake up\b",
    r"\b(?:want|wanna|need) (?:a |to )?(?:permanent sleep|sleep permanently|sleep forever)\b",
    r"\b(?:better off|happier|easier|lighter) without me\b",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|going on|being here|carrying on)\b",
    r"\bno point (?:going on|carrying on|living)\b",
    r"\b(?:give|giving|given) up on (?:life|living)\b",
    r"\b(?:done|finished) with (?:life|living|everything)\b",
    r"\bplanning my (?:exit|death|suicide)\b",
    r"\bwent through with it\b",
    r"\b(?:won't|wont|will not) (?:matter|be around|be here|need it) (?:after|by|much longer|anymore|tomorrow|for long)\b",
    r"\b(?:this is|this'll be|it's|its) (?:my )?(?:the )?(?:last|final) (?:post|message|thing i'?ll write|night|update)\b",
    r"\b(?:final|last) (?:post|update|message)\b[.!]?\s*(?:peace|bye|goodbye|i'?m done|im done|sorry)",
    r"\b(?:wrote|written|writing|left|leaving) (?:a |my )?(?:goodbye|suicide|farewell) (?:note|notes|letters?)\b",
    r"\bletters? (?:to|for) (?:my family|everyone|my kids|my parents) (?:to say |saying )?goodbye\b",
    # Means and plans.
    r"\b(?:saving|stockpiling|stockpiled|hoarding|collected|collecting|saved) (?:up )?(?:my |all my |the |enough )?(?:pills|meds|tablets|prescription)\b",
    r"\b(?:took|swallowed|taken|taking) (?:a (?:whole )?(?:bottle|packet|handful|load)|all (?:of )?(?:my|the)|everything in the|a lot more than my|more than my) ",
    r"\b(?:have|got) everything (?:ready|i need)\b",
    r"\b(?:googled|looked up|searching|researching) how (?:many|much) (?:it )?(?:would|will|to) (?:take|kill)",
    r"\bhow (?:high|far) the (?:bridge|drop|building)\b",
    r"\b(?:stashed|stockpiled|hoarded|hoarding)\b",
    r"\b(?:bought|got|have|holding|found) (?:a |the )?(?:rope|razor|blade|gun|noose)\b",
    r"\bhave the means\b",
    r"\bhigh enough\b.*\b(?:me|jump|fall)\b",
    r"\btonight'?s the night\b",
    # Self-harm now.
    r"\b(?:cutting|cut|burning|burned|hurting|hurt|harming|harmed|harm) (?:myself|my (?:arms?|legs?|wrists?|skin|thighs?))\b",
    r"\b(?:self[- ]?harm(?:ed|ing)?|s/h|sh'?d) (?:again|rn|tonight|today|right now|for the first time)\b",
    r"\bjust self[- ]?harmed\b",
    r"\bnew cuts\b",
    r"\brelapsed\b.*\b(?:cut|hurt|harm|burn)",
    # Someone in danger now.
    r"\b(?:overdosed|took (?:some |a lot of |all )?(?:pills|tablets))\b.*\b(?:ambulance|not waking|won't wake|isn't responding|help|coming)\b",
    r"\b(?:not|isn't|isnt|won't|wont) (?:waking up|responding|breathing)\b",
    r"\b(?:he|she|they)(?:'s| is| are|'re| has| have) (?:threatening to|going to|got a|a) (?:kill|hurt|gun|knife)\b",
    r"\b(?:is |are |'s |'re )?hurting me right now\b",
    r"\bcall (?:the police|an ambulance|999|911|112)\b",
    r"\b(?:has|got) a (?:gun|knife) and (?:wants|says)\b",
    r"\bwants to die\b.*\bnot (?:responding|answering)\b",
]
CRISIS_GUARDS = [
    # Told about the past, or recovering.
    r"\b(?:used to|years ago|months ago|back then|back in (?:19|20)\d\d|when i was|in the past|at my lowest|"
    r"i remember (?:thinking|feeling|wanting)|survived|recovery|recovered|clean (?:for|from)|"
    r"\d+ (?:days|weeks|months|years) (?:clean|free|since|without)|(?:days?|weeks?|months?|years?) without (?:hurting|cutting|harming)|"
    r"didn'?t (?:hurt|cut|harm|act)|don'?t act on|i was so wrong|she'?s safe|he'?s safe|they'?re safe|is safe now)\b",
    # Supporting someone else, or talking about the subject.
    r"\b(?:if you(?:'re| are| ever)|if anyone|please (?:call|reach|talk|stay|don't|look after)|you matter|"
    r"reach out|crisis line|hotline|helpline|glad you|we want you here|asked (?:me )?if|told me to|"
    r"research|lyrics|documentary|training|awareness|prevention|lecture|course|module|class on)\b",
    # Aimed at someone else: hostile, not a crisis of the writer (the toxicity model sees it).
    r"\b(?:why don'?t you|you should|go and|go) (?:just )?(?:cut|kill|die|end|jump)\b",
    # Hyperbole markers.
    r"\b(?:lol|lmao|lmfao|haha+|jk)\b|💀|😂|🤣",
    r"\b(?:don't|dont|do not|never|not) (?:want|wanna) to (?:die|be dead)\b",
    # Idioms and hyperbole.
    r"\b(?:killing me|kill (?:the|this|that) (?:process|task|server|job|boss)|die (?:for|of|on|laughing)|"
    r"dying (?:to|of)|killed it|for a while|digital detox|taking a break|back (?:in|on|soon) )",
]
TOXIC_PATTERNS = [
    r"\b(?:kill|hang|shoot|hurt) yourself\b",
    r"\bkys\b",
    r"\bgo (?:die|away and die|jump)\b",
    r"\byou(?:'re| are|r)? (?:a |an |such a |so |just a )?(?:worthless|pathetic|disgusting|idiot|"
    r"stupid|moron|loser|waste|joke|failure|freak|parasite|attention[- ]seeking|attention whore|"
    r"clown|trash|garbage|useless|ugly)\b",
    r"\b(?:nobody|no one|noone) (?:wants|likes|cares about|asked) you\b",
    r"\bpeople like you\b",
    r"\bi know where you live\b",
    r"\bi(?:'ll| will|'m going to| am going to|m gonna) (?:hurt|find|kill|get|destroy|end) you\b",
    r"\bi hope you (?:suffer|die|rot|get hurt)\b",
    r"\bshut (?:the \w+ )?up\b.*\b(?:idiot|loser|moron|nobody)\b",
    r"\bwaste of (?:oxygen|space|air|skin)\b",
    r"\byour kind\b",
]
MISINFORMATION_PATTERNS = [
    r"\b(?:stop|quit|ditch|throw (?:away|out)|flush|bin) (?:taking )?(?:all )?(?:your|the|those|ur) "
    r"(?:meds|medication|medications|pills|antidepressants|ssris?|lithium|antipsychotics)\b",
    r"\bcold turkey\b",
    r"\b(?:therapy|therapists?|psychiatry|psychiatrists?|meds|medication|antidepressants|ssris?)"
    r" (?:is|are) (?:a |all a |just a )?(?:scam|poison|fraud|lie|con|hoax)\b",
    r"\b(?:double|triple|up) (?:your|the|ur) (?:dose|dosage)\b",
    r"\bcures? (?:depression|anxiety|bipolar|ptsd|adhd|schizophrenia|ocd)\b",
    r"\b(?:depression|anxiety|bipolar|adhd|ptsd) (?:is not|isn't|isnt) (?:real|a real)\b",
    r"\bbig pharma\b",
    r"\b(?:mix|take) (?:your |ur )?(?:benzos?|xanax|meds|pills) with (?:alcohol|a few drinks|booze|wine)\b",
]

_compile = lambda patterns: [re.compile(p, re.IGNORECASE) for p in patterns]  # noqa: E731
_CRISIS = _compile(CRISIS_PATTERNS)
_CRISIS_GUARDS = _compile(CRISIS_GUARDS)
_TOXIC = _compile(TOXIC_PATTERNS)
_MISINFORMATION = _compile(MISINFORMATION_PATTERNS)


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^']{12,}'|^\s*>.*$", re.MULTILINE)


def unquoted(text: str) -> str:
    """The writer's own words: quotes of someone else's crisis words are not a crisis."""
    return _QUOTED.sub(" ", text)


def crisis_rule(text: str) -> bool:
    text = unquoted(_normalise(text))
    if not any(p.search(text) for p in _CRISIS):
        return False
    return not any(g.search(text) for g in _CRISIS_GUARDS)


def toxic_rule(text: str) -> bool:
    text = _normalise(text)
    return any(p.search(text) for p in _TOXIC)


def misinformation_rule(text: str) -> bool:
    text = _normalise(text)
    return any(p.search(text) for p in _MISINFORMATION)
