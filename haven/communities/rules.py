"""Moderators' watched words: what they are, how they are checked, and what they do to a text.

A rule is a word, a phrase or a pattern, site-wide (admins) or for one community (its
moderators), with one action: block the text, hold it for a moderator, flag it, hide the words
(■■■) or replace them with a link to a wellness library page. Actions that store member text
(forums, updates, rooms, direct messages) call `apply_watched_words` after screening:

    outcome = apply_watched_words(text, community=community, surface="reply")
    if outcome.refused: raise WatchedWordsRefused(outcome.refused)
    ... store outcome.text, HELD if outcome.hold ...
    file_verdict(verdict_with_rules(verdict, outcome), post=post)   # queue items

Patterns are checked before they are saved (`check_pattern`): Python's `re` has no time limit,
so a pattern whose matching time can explode (a repeat inside a repeat, repeated alternatives,
back-references) is refused with an explanation, and patterns are kept short.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from re import _constants as sre_constants  # the parser's opcodes, to inspect a pattern
from re import _parser as sre_parser

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop

from haven.communities.models import Community, WatchedWord
from haven.safety.pipeline import Verdict
from haven.safety.policy import Queue
from haven.safety.screening import TextRefused

CENSORED = "■■■"
MAX_REGEX_LENGTH = 120
# Repeats multiply the ways a pattern can match: their product stays under this budget
# (a bounded repeat {0,n} counts n + 1, an open-ended one of a narrow set OPEN_ENDED_COST).
MAX_REPEAT_COST = 10_000
OPEN_ENDED_COST = 100
NARROW_RANGE = 10  # [0-9] is narrow, [a-z] is not
# Library pages are local: a link rule can never send a member off-site.
RESOURCE_PATH = re.compile(r"/library/[A-Za-z0-9_\-/]*")
DEFAULT_RESOURCE_TITLE = "a resource that may help"
# Where text is Markdown, a link rule writes a Markdown link; elsewhere the title and address.
MARKDOWN_SURFACES = {"thread", "reply"}

# Plain English marked for translation: each refusal says it in the language active then.
BLOCKED_MESSAGE = gettext_noop(
    "Some of the words in your post aren't allowed here. "
    "Please change them and post again — everything else you wrote is still in the box."
)


@dataclass(frozen=True)
class RulesOutcome:
    """What the rules did: `text` to store (words hidden or linked), `refused` the message for
    the writer when a rule blocks it, `hold` when it waits for a moderator, `flagged` the labels
    of the rules that put it on the moderation queue (also set when held)."""

    text: str
    refused: str | None
    hold: bool
    flagged: list[str]


class WatchedWordsRefused(TextRefused):
    """A rule blocks the text. A TextRefused, so every form that shows refused text shows this
    too; the API answers it with code "watched_words". Nothing was written."""

    code = "watched_words"

    def __init__(self, message: str | None = None) -> None:
        self.verdict = Verdict(frozenset(), {})  # no findings: we never repeat the words
        Exception.__init__(self, message if message is not None else gettext(BLOCKED_MESSAGE))


# --- Checking a pattern before it is saved -----------------------------------------------

_REPEATS = {
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    sre_constants.POSSESSIVE_REPEAT,
}


_NARROW_CATEGORIES = {sre_constants.CATEGORY_SPACE, sre_constants.CATEGORY_DIGIT}


def _subpatterns(value) -> Iterable[sre_parser.SubPattern]:
    """Every SubPattern inside one parsed item's arguments (groups, branches, lookarounds)."""
    if isinstance(value, sre_parser.SubPattern):
        yield value
    elif isinstance(value, (tuple, list)):
        for part in value:
            yield from _subpatterns(part)


def _walk(pattern: sre_parser.SubPattern) -> Iterable[tuple]:
    for op, av in pattern:
        yield op, av
        for sub in _subpatterns(av):
            yield from _walk(sub)


def _is_narrow(body: sre_parser.SubPattern) -> bool:
    """One character from a small set (a letter, a space, a digit, a short list): a run of
    them can be matched only one way, so repeating it open-endedly stays fast."""
    items = list(body)
    if len(items) != 1:
        return False
    op, av = items[0]
    if op == sre_constants.LITERAL:
        return True
    if op != sre_constants.IN:
        return False  # ".", [^x] and the like match almost anything
    for inner_op, inner_av in av:
        if inner_op == sre_constants.LITERAL:
            continue
        if inner_op == sre_constants.RANGE and inner_av[1] - inner_av[0] < NARROW_RANGE:
            continue
        if inner_op == sre_constants.CATEGORY and inner_av in _NARROW_CATEGORIES:
            continue
        return False
    return True


def _is_last(parsed: sre_parser.SubPattern, index: int) -> bool:
    """Nothing after it but anchors ($, \\b): an open-ended repeat there never backtracks."""
    return all(op == sre_constants.AT for op, _ in list(parsed)[index + 1 :])


def _risk(parsed: sre_parser.SubPattern) -> str | None:
    """Why matching could take too long, in plain words, or None. Python's re tries every
    way a pattern can match: repeats inside repeats, repeated choices and open-ended repeats
    of wide sets followed by more pattern multiply those ways with the length of a post."""
    trailing = {
        id(av)
        for index, (op, av) in enumerate(parsed)
        if op in _REPEATS and _is_last(parsed, index)
    }
    ops = list(_walk(parsed))
    if any(op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS) for op, _ in ops):
        return gettext("Patterns can't refer back to an earlier group (\\1). Please write it out.")
    cost = 1
    for op, av in ops:
        if op not in _REPEATS:
            continue
        _low, high, body = av
        inner = {inner_op for inner_op, _ in _walk(body)}
        if inner & _REPEATS:
            return gettext(
                "A repeat inside a repeat (like (a+)+ or (\\w*)*) can make checking a post "
                "very slow. Please repeat single characters or sets only."
            )
        if sre_constants.BRANCH in inner and high > 1:
            return gettext(
                "A repeated choice (like (a|ab)+) can make checking a post very slow. "
                "Please list the alternatives without repeating them."
            )
        if high != sre_constants.MAXREPEAT:
            cost *= high + 1
        elif id(av) in trailing:
            continue  # like suicid\w*: it ends the pattern, so it never backtracks
        elif _is_narrow(body):
            cost *= OPEN_ENDED_COST
        else:
            return gettext(
                "An open-ended repeat of a wide set (like .* or \\w+) in the middle of a "
                "pattern can make checking a long post very slow. Please give it a limit, "
                "like .{0,30} or \\w{1,20}."
            )
    if cost > MAX_REPEAT_COST:
        return gettext(
            "This pattern has too many repeats to check quickly. Please use fewer or smaller "
            "ones (like {0,10} instead of * where you can)."
        )
    return None


def check_pattern(kind: str, pattern: str) -> None:
    """Raise ValidationError, saying what is wrong and what to do, for an unusable rule."""
    pattern = pattern.strip()
    if not pattern:
        raise ValidationError(gettext("Please enter a word, a phrase or a pattern."))
    if kind == WatchedWord.Kind.WORD and len(pattern.split()) > 1:
        raise ValidationError(gettext("That is more than one word: choose “A phrase” instead."))
    if kind != WatchedWord.Kind.REGEX:
        return
    if len(pattern) > MAX_REGEX_LENGTH:
        raise ValidationError(
            gettext(
                "Please keep patterns to %(max)s characters or fewer (this one has %(length)s)."
            )
            % {"max": MAX_REGEX_LENGTH, "length": len(pattern)}
        )
    try:
        parsed = sre_parser.parse(pattern, re.IGNORECASE)
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        problem = (
            gettext("%(problem)s (at character %(position)s)")
            % {"problem": error.msg, "position": error.pos + 1}
            if error.pos is not None
            else error.msg
        )
        raise ValidationError(
            gettext(
                "This pattern can't be read: %(problem)s. Please check brackets, "
                "parentheses and backslashes, or use “A word” or “A phrase” instead."
            )
            % {"problem": problem}
        ) from None
    risk = _risk(parsed)
    if risk:
        raise ValidationError(risk)
    if compiled.search("") is not None:
        raise ValidationError(
            gettext(
                "This pattern also matches empty text, so it would match every post. "
                "Please make it need at least one character."
            )
        )


def check_resource_url(url: str) -> None:
    if not RESOURCE_PATH.fullmatch(url or ""):
        raise ValidationError(
            gettext(
                "Please choose a page of the wellness library: an address starting with /library/."
            )
        )


# --- Applying rules ----------------------------------------------------------------------


@lru_cache(maxsize=1024)
def compile_rule(kind: str, pattern: str) -> re.Pattern[str]:
    """Words and phrases match whole words, ignoring case and spacing between words."""
    if kind == WatchedWord.Kind.REGEX:
        return re.compile(pattern, re.IGNORECASE)
    words = [re.escape(word) for word in pattern.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _link_for(rule: WatchedWord, surface: str) -> str:
    if not RESOURCE_PATH.fullmatch(rule.resource_url or ""):
        return CENSORED  # an unusable link is never written into a post
    title = re.sub(r"[\[\]\(\)\n]", "", rule.resource_title).strip() or DEFAULT_RESOURCE_TITLE
    if surface in MARKDOWN_SURFACES:
        return f"[{title}]({rule.resource_url})"
    return f"{title} ({rule.resource_url})"


def apply_rules(text: str, rules: Sequence[WatchedWord], surface: str = "reply") -> RulesOutcome:
    """What `rules` (saved or not: the rule form tries unsaved ones) do to `text`."""
    compiled = [(rule, compile_rule(rule.kind, rule.pattern)) for rule in rules]
    matched = [(rule, regex) for rule, regex in compiled if regex.search(text)]
    if any(rule.action == WatchedWord.Action.BLOCK for rule, _ in matched):
        return RulesOutcome(text=text, refused=gettext(BLOCKED_MESSAGE), hold=False, flagged=[])
    hold = any(rule.action == WatchedWord.Action.HOLD for rule, _ in matched)
    flagged = [
        rule.label
        for rule, _ in matched
        if rule.action in (WatchedWord.Action.HOLD, WatchedWord.Action.FLAG)
    ]
    for rule, regex in matched:
        if rule.action == WatchedWord.Action.CENSOR:
            text = regex.sub(CENSORED, text)
        elif rule.action == WatchedWord.Action.LINK:
            link = _link_for(rule, surface)
            text = regex.sub(lambda _match, link=link: link, text)
    return RulesOutcome(text=text, refused=None, hold=hold, flagged=list(dict.fromkeys(flagged)))


# Every post, reply, update, room and direct message reads the rules: they are kept in the
# cache (shared by every process with Redis), one entry for the site-wide rules and one per
# community, forgotten whenever a rule changes (forget_rules, on save and delete).
RULES_CACHE_SECONDS = 10 * 60


def _rules_key(community_id: int | None) -> str:
    return f"haven:watched-words:{community_id or 'site'}"


def forget_rules(community_id: int | None) -> None:
    cache.delete(_rules_key(community_id))


def rules_for(community: Community | None) -> list[WatchedWord]:
    """Site-wide rules, and the community's own when there is one, oldest first."""
    scopes = [None] if community is None else [None, community.pk]
    found = cache.get_many([_rules_key(scope) for scope in scopes])
    rules: list[WatchedWord] = []
    for scope in scopes:
        key = _rules_key(scope)
        if key not in found:
            where = Q(community__isnull=True) if scope is None else Q(community_id=scope)
            found[key] = list(WatchedWord.objects.filter(where).order_by("id"))
            cache.set(key, found[key], RULES_CACHE_SECONDS)
        rules.extend(found[key])
    return sorted(rules, key=lambda rule: rule.pk)


def apply_watched_words(
    text: str, *, community: Community | None = None, surface: str
) -> RulesOutcome:
    """The rules in force for `community` (None: site-wide only) applied to `text`.
    `surface` ("thread", "reply", "update", "room", …) says where it is written; every rule
    applies on every surface today."""
    if not text:
        return RulesOutcome(text=text, refused=None, hold=False, flagged=[])
    return apply_rules(text, rules_for(community), surface)


def merge_outcomes(*outcomes: RulesOutcome) -> RulesOutcome:
    """One outcome for several parts of one post (a thread's title and body): texts are the
    callers' to keep apart, so `text` is the last part's."""
    refused = next((outcome.refused for outcome in outcomes if outcome.refused), None)
    flagged = [label for outcome in outcomes for label in outcome.flagged]
    return RulesOutcome(
        text=outcomes[-1].text if outcomes else "",
        refused=refused,
        hold=any(outcome.hold for outcome in outcomes),
        flagged=list(dict.fromkeys(flagged)),
    )


def verdict_with_rules(verdict: Verdict | None, outcome: RulesOutcome) -> Verdict:
    """The screening verdict with the rules' labels added, queued as FLAGGED when a rule held or
    flagged the text (an URGENT verdict stays urgent): filed with safety's `file_verdict`, it
    reaches moderation's queue through the usual signal."""
    verdict = verdict if verdict is not None else Verdict(frozenset(), {})
    if not outcome.flagged:
        return verdict
    decision = replace(
        verdict.decision,
        queue=verdict.decision.queue or Queue.FLAGGED,
        hold=verdict.decision.hold or outcome.hold,
    )
    return replace(verdict, labels=verdict.labels | frozenset(outcome.flagged), decision=decision)


def first_posts_to_approve(community: Community) -> int:
    """How many of a member's posts here wait for a moderator before theirs publish (0: off)."""
    limits = getattr(community, "limits", None) if community.pk else None
    return limits.approve_first_posts if limits is not None else 0


# The queue label of a post held because its writer is new to the community.
FIRST_POSTS_LABEL = "new member's first posts"
