"""Personal data: contact details and identifying facts that would break a member's anonymity.

Rules, not a model: the shapes are regular (phone numbers, e-mail addresses, handles, street
addresses, full names with places), recall matters most, and every finding is shown to the
writer so they can edit it out.
"""

import re
from dataclasses import dataclass

from haven.safety.crisis_lines import CRISIS_LINE_DIGITS


@dataclass(frozen=True)
class Finding:
    kind: str  # phone, email, address, handle, name, id_number
    text: str

    @property
    def description(self) -> str:
        return {
            "phone": "a phone number",
            "email": "an e-mail address",
            "address": "a street address",
            "handle": "a social-media account",
            "name": "a full name",
            "id_number": "an identification number",
        }[self.kind]


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
OBFUSCATED_EMAIL = re.compile(
    r"\b[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\sat\s)\s*[\w-]+\s*(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s|\.)"
    r"\s*(?:com|org|net|co|uk|edu|io|me|de|fr|ca|au|info|mail)\b",
    re.IGNORECASE,
)
# Digits with the separators people type between them; judged by digit count afterwards.
PHONE = re.compile(r"(?<![\w/.])(?:\+|00)?\(?\d[\d\s().\-]{5,18}\d(?![\w/])")
SPOKEN_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
SPOKEN_PHONE = re.compile(rf"\b{SPOKEN_DIGIT}(?:[\s,-]+{SPOKEN_DIGIT}){{6,}}\b", re.IGNORECASE)
STREET_TYPES = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|way|close|"
    r"crescent|cres|place|pl|terrace|gardens|grove|square|sq|parade|hill|row|mews|walk|highway|"
    r"hwy|vale|rise|park|view|green|gate|wharf|quay|heights|circle|cir|alley|crossing|"
    r"strasse|straße|rue"
)
_NOT_STREET_WORD = r"(?!(?:by|the|at|in|on|to|a|of|my|for|and|mins?|minutes|km|miles|steps)\b)"
ADDRESS = re.compile(
    rf"\b\d{{1,5}}[a-h]?,?\s+(?:{_NOT_STREET_WORD}[A-Za-z'’-]+\s+){{1,3}}(?:{STREET_TYPES})\b\.?",
    re.IGNORECASE,
)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b\d{5}(?:-\d{4})\b")
SOCIAL_SITES = (
    r"instagram|insta|ig|snapchat|snap|tiktok|tik tok|twitter|x|facebook|fb|discord|telegram|"
    r"whatsapp|kik|reddit|youtube|twitch|tumblr|threads|bluesky|bsky|linkedin|signal|wechat"
)
REDDIT_USER = re.compile(r"(?<![\w/])u/[A-Za-z0-9_-]{3,}")
PROFILE_URL = re.compile(
    r"\b(?:https?://)?(?:www\.)?(?:instagram\.com|tiktok\.com|twitter\.com|x\.com|facebook\.com|"
    r"fb\.com|snapchat\.com|discord\.gg|discord\.com/users|t\.me|wa\.me|reddit\.com/u(?:ser)?|"
    r"linkedin\.com/in|youtube\.com/@|twitch\.tv|bsky\.app/profile)/\S+",
    re.IGNORECASE,
)
HANDLE_WITH_SITE = re.compile(
    rf"\b(?:{SOCIAL_SITES})\b(?:\s+(?:is|at|me|name|handle|username|id|:|-))*\s*[:\-]?\s*"
    rf"(@?[A-Za-z0-9_.]{{3,30}}(?:#\d{{4}})?)",
    re.IGNORECASE,
)
HANDLE_VERB = re.compile(
    rf"\b(?:add|follow|dm|message|find|hit)\s+me\s+(?:on|at|@)\s*(?:{SOCIAL_SITES})?\s*[:\-]?\s*"
    rf"(@[A-Za-z0-9_.]{{3,30}})",
    re.IGNORECASE,
)
DISCORD_TAG = re.compile(r"\b[A-Za-z0-9_.]{2,32}#\d{4}\b")
INTRO = r"(?i:my name is|my name's|i'm|i am|im|this is|it's|call me|name is|named|as)"
CAPITALISED = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
PLACE_CUE = (
    r"(?i:from|in|at|on|near|live in|living in|lives in|lives on|work at|works at|working at|"
    r"runs|go to|goes to|study at|studies at|teaches at)"
)
FULL_NAME_WITH_PLACE = re.compile(
    rf"\b(?:{INTRO}\s+)?({CAPITALISED}(?:\s+{CAPITALISED}){{1,2}})\b[^.!?\n]{{0,60}}?\b"
    rf"{PLACE_CUE}\s+(?:the\s+)?[A-Z]"
)
TITLED_NAME = re.compile(
    rf"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor)\.?\s+({CAPITALISED}\s+{CAPITALISED})"
)
MY_FULL_NAME = re.compile(
    r"\bmy (?:full |real )?name(?: is|'s)\s+([a-z'’-]{2,}\s+[a-z'’-]{2,})\b", re.IGNORECASE
)
COMMON_CAPITALISED = {
    "i", "the", "my", "a", "an", "and", "but", "so", "if", "when", "it", "this", "that", "we",
    "you", "he", "she", "they", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "christmas", "easter", "god",
    "nhs", "find", "crisis", "text", "line", "suicide", "samaritans", "lifeline", "mental",
    "health", "happy", "new", "year", "dear", "hi", "hello", "thanks", "thank", "please", "just",
    "today", "tonight", "yesterday", "tomorrow", "also", "after", "before", "then", "now", "one",
    "last", "first", "every", "some", "all", "no", "not", "our", "your", "his", "her", "their",
    "what", "why", "how", "where", "who", "there", "here", "is", "was", "are", "be", "been",
}  # fmt: skip
NOT_NAMES = {
    "not", "so", "really", "just", "very", "too", "feeling", "going", "trying", "still", "here",
    "back", "sorry", "fine", "okay", "ok", "tired", "done", "sure", "glad", "happy", "sad",
    "scared", "afraid", "alone", "lost", "new", "the", "a", "an", "in", "at", "on", "from",
    "and", "but", "or", "struggling", "worried", "anxious", "having", "getting", "being",
    "unknown", "withheld", "private", "secret", "irrelevant", "anonymous",
}  # fmt: skip
ID_NUMBER = re.compile(
    r"\b(?:[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]|\d{3}-\d{2}-\d{4})\b"
)
REFERENCE_WORDS = re.compile(
    r"(?i:order|ref|reference|tracking|invoice|account|case|ticket|booking|parcel|item|model|"
    r"serial|flight|batch)\s*(?:number|no\.?|#|id)?\s*:?\s*$"
)
TIME_OR_DATE = re.compile(
    r"^\d{1,2}[:.]\d{2}$|^\d{4}-\d{2}-\d{2}$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|^\d{4}\s?-\s?\d{4}$"
)


def _looks_like_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if not 7 <= len(digits) <= 15:
        return False
    if digits in CRISIS_LINE_DIGITS or TIME_OR_DATE.match(candidate.strip()):
        return False
    # "2019-2023", "1,000,000", "3.14159": ranges and numbers, not phone numbers.
    if re.fullmatch(r"\d{4}\s*[-–]\s*\d{4}", candidate.strip()):
        return False
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", candidate.strip()):
        return False
    return not re.fullmatch(r"\d+\.\d+", candidate.strip())


def find_personal_data(text: str) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[str] = set()

    def add(kind: str, value: str) -> None:
        value = value.strip(" .,;:()[]")
        if value and value.lower() not in seen:
            seen.add(value.lower())
            findings.append(Finding(kind, value))

    for match in EMAIL.finditer(text):
        add("email", match.group())
    for match in OBFUSCATED_EMAIL.finditer(text):
        add("email", match.group())
    for match in PROFILE_URL.finditer(text):
        add("handle", match.group())
    for match in PHONE.finditer(text):
        if _looks_like_phone(match.group()) and not REFERENCE_WORDS.search(text[: match.start()]):
            add("phone", match.group())
    for match in SPOKEN_PHONE.finditer(text):
        add("phone", match.group())
    for match in ADDRESS.finditer(text):
        add("address", match.group())
    for match in POSTCODE.finditer(text):
        add("address", match.group())
    for pattern in (HANDLE_WITH_SITE, HANDLE_VERB):
        for match in pattern.finditer(text):
            handle = match.group(1)
            if handle.lower() in NOT_NAMES or handle.isdigit() or len(handle.strip("@")) < 3:
                continue
            if any(handle.strip("@.").lower() in found for found in seen):
                continue  # part of a profile link already found
            has_letters = any(c.isalpha() for c in handle)
            marked = handle.startswith("@") or any(c.isdigit() or c in "._#" for c in handle)
            if has_letters and marked:
                add("handle", handle)
    for match in REDDIT_USER.finditer(text):
        add("handle", match.group())
    for match in DISCORD_TAG.finditer(text):
        add("handle", match.group())
    for pattern in (FULL_NAME_WITH_PLACE, MY_FULL_NAME, TITLED_NAME):
        for match in pattern.finditer(text):
            words = match.group(1).split()
            if any(
                word.lower() in NOT_NAMES or word.lower() in COMMON_CAPITALISED for word in words
            ):
                continue
            add("name", match.group(1))
    for match in ID_NUMBER.finditer(text):
        add("id_number", match.group())
    return findings
