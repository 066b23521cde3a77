"""Personal data: contact details and identifying facts that would break a member's anonymity.

Rules, not a model: the shapes are regular (phone numbers, e-mail addresses, handles, street
addresses, full names with places), recall matters most, and every finding is shown to the
writer so they can edit it out.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

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


# Each match starts where a token starts (the look-behinds): a long run such as "1-1-1-…" is
# then read once, not again from every character of it.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
OBFUSCATED_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\sat\s)\s*[\w-]+\s*(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s|\.)"
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
    rf"\b\d{{1,5}}[a-h]?,?\s+(?:{_NOT_STREET_WORD}(?:[A-Za-z'’-]+|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}"
    rf"(?:{STREET_TYPES})\b\.?",
    re.IGNORECASE,
)
# Letters typed one by one to get past filters: "f r a n c o . p a z @ g m a i l . c o m".
SPACED_LETTERS = re.compile(r"(?<!\S)(?:[\w.@+-] ){6,80}[\w.@+-](?!\S)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b\d{5}(?:-\d{4})\b")
SOCIAL_SITES = (
    r"instagram|insta|ig|snapchat|snap|tiktok|tik tok|twitter|x|facebook|fb|discord|telegram|"
    r"whatsapp|kik|reddit|youtube|twitch|tumblr|threads|bluesky|bsky|linkedin|signal|wechat"
)
REDDIT_USER = re.compile(r"(?<![\w/])u/[A-Za-z0-9_-]{3,}")
PROFILE_URL = re.compile(
    r"\b(?:https?://)?(?:www\.)?(?:instagram\.com|tiktok\.com|twitter\.com|x\.com|facebook\.com|"
    r"fb\.com|snapchat\.com|discord\.gg|discord\.com/users|t\.me|wa\.me|reddit\.com/u(?:ser)?|"
    r"linkedin\.com/in|youtube\.com/@|twitch\.tv|bsky\.app/profile|kick\.com|"
    r"open\.spotify\.com/user|steamcommunity\.com/(?:id|profiles)|pinterest\.[a-z.]+|"
    r"threads\.net/@|vm\.tiktok\.com|onlyfans\.com|github\.com|linktr\.ee|"
    r"wattpad\.com/user|gofundme\.com/f|ko-fi\.com|patreon\.com|buymeacoffee\.com|cafecito\.app|"
    r"vaki\.co|medium\.com/@|soundcloud\.com|deviantart\.com|behance\.net|ngl\.link|"
    r"tellonym\.me|ask\.fm|curiouscat\.(?:me|qa)|substack\.com/@|paypal\.me|venmo\.com(?:/u)?|"
    r"cash\.app)/\S+",
    re.IGNORECASE,
)
# A blog or page of one's own, named by its subdomain: "diariodeandrea.blogspot.com".
PERSONAL_SITE = re.compile(
    r"(?<![\w-])(?:https?://)?[\w-]{3,}\.(?:blogspot|wordpress|tumblr|wixsite|carrd|neocities|substack)"
    r"\.(?:com|org|co|es|mx|ar|cl)\b\S*",
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
    r"serial|flight|batch|isbn(?:-1[03])?|issn|doi)\s*(?:number|no\.?|#|id)?\s*:?\s*$"
)
TIME_OR_DATE = re.compile(
    r"^\d{1,2}[:.]\d{2}$|^\d{4}-\d{2}-\d{2}$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|^(?:1[89]|20)\d{2}\s?-\s?(?:1[89]|20)\d{2}$"
)


# Spanish-speaking countries (Spain, Mexico, Argentina, Colombia, Chile and their neighbours).
# The phone shapes above already cover +34 612 34 56 78, 55-1234-5678, +54 9 11 1234-5678 and
# the like; what follows adds the words, addresses, names and ID numbers written in Spanish.
# Catalan and Galician letters too ("Passeig de Gràcia", "Rúa do Vilar", "Lluïsa Puig").
_ES_LOWER = r"a-záéíóúñüàèòïç'’"
_ES_UPPER = r"A-ZÁÉÍÓÚÑÜÀÈÒÏÇ"
CAPITALISED_ES = rf"[{_ES_UPPER}][{_ES_LOWER}]+(?:-[{_ES_UPPER}][{_ES_LOWER}]+)?"
_PARTICLE = r"(?:de|del|de la|de las|de los|y)"
NAME_ES = rf"{CAPITALISED_ES}(?:\s+(?:{_PARTICLE}\s+)?{CAPITALISED_ES}){{1,3}}"
# E-mail addresses spelt out in Spanish: "ana punto perez arroba hotmail punto com",
# "juan (arroba) hotmail.es", "martina @ gmail . com". Every part has a length cap, so a long
# run of dots or dashes cannot make the engine try every split of it.
_ES_MAIL_USER = r"[\w+-]{1,64}(?:(?:\.|\s+punto\s+)[\w+-]{1,64}){0,5}"
_ES_AT = r"(?:\((?:arroba|at)\)|\[(?:arroba|at)\]|\{arroba\}|\barroba\b|\s@\s|@\s|\s@)"
_ES_DOT = r"(?:\(punto\)|\[punto\]|\{punto\}|\bpunto\b|\.)"
_ES_TLD = (
    r"com|es|mx|ar|co|cl|pe|uy|ve|ec|bo|py|cr|gt|hn|sv|ni|pa|do|cu|pr|org|net|edu|info|io|me|eu|"
    r"cat|gal"
)
_ES_MAIL_PROVIDER = r"gmail|hotmail|yahoo|outlook|icloud|live|protonmail|proton|msn"
ES_OBFUSCATED_EMAIL = re.compile(
    rf"\b{_ES_MAIL_USER}\s*{_ES_AT}\s*(?:[\w-]{{1,64}}\s*{_ES_DOT}\s*){{1,4}}(?:{_ES_TLD})\b"
    r"(?:\s*(?:\.|\bpunto\b)\s*(?:mx|ar|co|cl|pe|uy|ve|ec|es|br))?"
    # "lucia (arroba) gmail", with no ending at all.
    rf"|\b[\w.+-]{{1,64}}\s*(?:\(arroba\)|\[arroba\]|\barroba\b)\s*(?:{_ES_MAIL_PROVIDER})\b",
    re.IGNORECASE,
)
_ES_UNIT = r"cero|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve"
_ES_TEEN = r"diez|once|doce|trece|catorce|quince|diecis[eé]is|diecisiete|dieciocho|diecinueve|veinte|veinti(?:uno|d[oó]s|tr[eé]s|cuatro|cinco|s[eé]is|siete|ocho|nueve)"
_ES_TENS = r"treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa"
# Hundreds count as one digit: "novecientos once" is three, "doscientos" then "treinta y..."
_ES_HUNDREDS = (
    r"cien|ciento|doscient[oa]s|trescient[oa]s|cuatrocient[oa]s|quinient[oa]s|seiscient[oa]s|"
    r"setecient[oa]s|ochocient[oa]s|novecient[oa]s"
)
_ES_NUMBER_WORD = (
    rf"(?:{_ES_HUNDREDS}|(?:{_ES_TENS})(?:\s+y\s+(?:{_ES_UNIT}))?|{_ES_TEEN}|{_ES_UNIT})"
)
ES_SPOKEN_PHONE = re.compile(
    rf"\b{_ES_NUMBER_WORD}(?:[\s,./-]+{_ES_NUMBER_WORD}){{2,}}\b", re.IGNORECASE
)
_ES_STREET_TYPES = (
    r"calle|c/|c\.|avenida|av\.?|avda\.?|paseo|plaza|pza\.?|carrera|cra\.?|kr\.?|diagonal|"
    r"transversal|camino|carretera|ctra\.?|ronda|traves[ií]a|pasaje|psje\.?|glorieta|bulevar|"
    r"boulevard|blvd\.?|bulevard|rambla|alameda|calzada|prolongaci[oó]n|jir[oó]n|jr\.?|callej[oó]n|"
    r"urbanizaci[oó]n|urb\.?|"
    # Catalan and Galician street words: "Passeig de Gràcia 43", "Carrer de Mallorca 250".
    r"carrer|passeig|avinguda|pla[çc]a|travessera|r[úu]a"
)
_ES_NOT_HOUSE = (
    r"(?!\s*(?:km|kil[oó]metros?|metros?|m\b|minutos?|mins?|horas?|h\b|veces|personas|d[ií]as|"
    r"semanas|meses|a[ñn]os|euros?|€|pesos|d[oó]lares|%|de la (?:ma[ñn]ana|tarde|noche)))"
)
_ES_FLOOR = (
    r"(?:,?\s*(?:\d{1,2}\s*[º°ª]\s?(?:izda|dcha|izq|der|izquierda|derecha|[A-Za-z](?![a-z]))?\.?|"
    r"(?:piso|depto|dpto|depa|apto|int|interior|puerta|pta|portal)\.?\s*\w+|bajo|\d{1,2}-\d{1,2}\b|"
    r"\d{1,2}(?:r|n|t|o)\s+\d{1,2}a\b))?"
)
_ES_HOUSE = (
    rf"(?:,\s*|\s+)(?:n[º°o]\.?\s*|n[uú]m\.?\s*|n[uú]mero\s*|#\s*)?"
    # Ecuador numbers by quadrant: "Av. Amazonas N34-123", "Calle Olmedo Oe5-42".
    rf"(?:(?:N|S|E|Oe?)\d{{1,3}}-\d{{1,4}}\b|\d{{1,5}}[A-Za-z]?(?:\s*bis)?\b{_ES_NOT_HOUSE})"
)
# A street word ends there ("calle", not "called"), unless it ends in "." or "/" ("C/Alcalá").
_ES_TYPE_END = r"(?:(?<=[./])|(?![^\W\d_]))"
ES_ADDRESS = re.compile(
    # "Calle Mayor 12, 3ºB", "C/ Alcalá 45", "Av. Insurgentes Sur 1234", "Paseo de Gracia 92".
    rf"(?<![\w/])(?i:{_ES_STREET_TYPES}){_ES_TYPE_END}\s*(?:(?:{_PARTICLE}|el|la|los|las)\s+)?"
    rf"(?:\d{{1,2}}\s+de\s+)?{CAPITALISED_ES}"
    rf"(?:\s+(?:(?:{_PARTICLE}|el|la|los|las)\s+)?(?:{CAPITALISED_ES}|[IVX]+\b))*"
    rf"{_ES_HOUSE}{_ES_FLOOR}(?:,?\s*(?i:col\.|colonia)\s+{CAPITALISED_ES}(?:\s+{CAPITALISED_ES}){{0,2}})?"
    # "calle mayor 12, 3ºB" typed in lower case: only with a comma, floor or end after the number.
    rf"|(?<![\w/])(?i:calle|c/|avenida|av\.|avda\.?|pasaje|psje\.|paseo|carrera|cra\.|jir[oó]n|jr\.|"
    r"calzada|callej[oó]n|prolongaci[oó]n|carrer|passeig|rambla|alameda|bulevar)"
    rf"{_ES_TYPE_END}\s*(?:[a-záéíóúñü]+\s+){{1,3}}?\d{{1,5}}"
    rf"(?=\s*(?:$|[,.;)\n]|\d{{1,2}}\s*[º°ª]|\d{{1,2}}-\d{{1,2}}\b|piso\b|depto\b|dpto\b|apto\b|"
    r"int\b|bajo\b))"
    rf"(?<!\bde \d)(?<!\bde \d\d)"
    # Colombia: "Carrera 7 # 45-10", "Calle 72 No. 10-34".
    r"|(?<![\w/])(?i:calle|carrera|cra\.?|kr\.?|cl\.?|diagonal|transversal|avenida|av\.?|ak|ac)"
    rf"{_ES_TYPE_END}\s*"
    r"\d{1,3}[A-Za-z]?(?:\s*bis)?(?:\s+(?i:sur|norte|este))?\s*(?i:#|no\.?|n[º°]|n[uú]mero|nro\.?)\s*"
    r"\d{1,3}[A-Za-z]?\s*-\s*\d{1,3}"
    r"(?:,?\s*(?i:apto|apartamento|int|interior|casa|torre|piso)\.?\s*\w+)?"
)
ES_POSTCODE = re.compile(r"(?i:\bc\.\s?p\.|\bc[oó]digo postal\b|\bcp\b)\s*:?\s*\d{4,5}\b")
ES_REFERENCE_WORDS = re.compile(
    r"(?i:pedido|referencia|ref|seguimiento|factura|env[ií]o|ticket|expediente|localizador|isbn|issn|"
    r"reserva|cuenta|paquete|albar[aá]n|n[uú]mero de (?:pedido|seguimiento|referencia|serie|"
    r"factura|cliente|socio|expediente|historia cl[ií]nica|paciente|afiliado|reclamo|"
    r"reclamaci[oó]n|orden|caso|queja|incidencia)|historia cl[ií]nica|n[º°]|"
    r"c[oó]digo(?: de (?:descuento|barras|pedido))?|"
    # Paperwork, where a few words may come between, ending in "es" or "tiene", but never a
    # phone's own words: "la historia clínica que me dieron en urgencias es 2023-004581", "mi
    # solicitud tiene folio 0098213". (Not "cuenta": "mi cuenta en el BCP es ..." is a bank's.)
    r"(?:folio|radicado|tr[aá]mite|solicitud|derivaci[oó]n|historia cl[ií]nica|expediente|referencia|"
    r"isbn)"
    r"(?:(?!tel|cel|m[oó]vil|whats|wasap|n[uú]mero)[^.!?\n\d@]){0,40}?\b(?:es|era|tiene|lleva|folio)\b)"
    r"\s*(?:n[uú]mero|n[º°o]\.?|#|nro\.?|id)?\s*:?\s*(?:es\s+)?(?:el\s+)?(?:[A-Z]{1,4}-)?$"
)
_ES_AMOUNT_AFTER = re.compile(
    r"^\s*(?:€|\$|euros?|eur\b|pesos|d[oó]lares|usd|mxn|ars|cop|clp|soles|bol[ií]vares|millones|mil\b)",
    re.IGNORECASE,
)
_ES_AMOUNT_BEFORE = re.compile(
    r"(?:\$|€|us\$|\bpor\b|\bcuesta\b|\bcost[oó]\b|\bpagu[eé]\b)\s*$", re.IGNORECASE
)
ES_HANDLE_WITH_SITE = re.compile(
    # "mi insta es @lau.sanchez_98", "mi ig privado es @noelia.llora", "snapchat: flor_rodri01".
    r"\b(?:instagram|insta|ig|snapchat|snap|tiktok|twitter|facebook|face|fb|discord|telegram|kik|"
    r"twitch|tumblr|threads|bluesky|wechat|whats|whatsapp|usuario|cuenta|bereal|steam|kick|"
    r"spotify|pinterest|roblox|xbox|psn|epic|nick|nickname|gamertag|minecraft|fortnite|kik|line|"
    r"tele|dc)\b"
    r"(?:\s+(?:de|en)\s+(?:roblox|xbox|psn|steam|minecraft|fortnite|discord|lol|free fire))?"
    r"(?:\s+(?:privad[oa]|personal|nuev[oa]|de (?:mi|tu|su) \w+|de \w+|secundari[oa]))*"
    r"(?:\s+(?:es|era)\b\s*:?|\s*:|,\s+usuario)\s*(?:mi nombre real:?\s*)?"
    r"(@?[A-Za-z0-9_ñÑ]+(?:[.-][A-Za-z0-9_ñÑ]+)*(?:#\d{4})?)",
    re.IGNORECASE,
)
ES_HANDLE_NEAR_SITE = re.compile(
    r"\b(?:instagram|insta|ig|snapchat|snap|tiktok|twitter|facebook|discord|telegram|twitch)\b"
    r"[^@\n.!?]{0,25}(@[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)",
    re.IGNORECASE,
)
ES_SPELLED_HANDLE = re.compile(
    r"\b(?:insta|ig|instagram|tiktok|snap|snapchat|twitter|discord|telegram|twitch|usuario|user)\b"
    r"[^.!?\n]{0,20}?\b([a-z0-9]+(?:\s+(?:underscore|gui[oó]n bajo|gui[oó]n|punto|barra baja)\s+[a-z0-9]+)+)",
    re.IGNORECASE,
)
_ES_INTRO = (
    r"(?i:me llamo|mi nombre(?: completo| real)? es|mi nombre:|nombre\s*:|se llama|se llamaba|soy|"
    r"(?:perfil|cuenta) de (?:facebook|face|fb|linkedin)(?: es)?|(?:facebook|face|fb)\s*:)"
)
_ES_RELATION = (
    r"(?i:mi|su|tu)\s+(?i:hermana|hermano|novio|novia|madre|padre|mam[aá]|pap[aá]|jefe|jefa|hijo|"
    r"hija|pareja|marido|mujer|esposo|esposa|amigo|amiga|profe|profesor|profesora|vecino|vecina|"
    r"ex|abuela|abuelo|t[ií]o|t[ií]a|primo|prima|psic[oó]loga|psic[oó]logo|psiquiatra|terapeuta|"
    r"m[eé]dico|m[eé]dica|compa[ñn]ero|compa[ñn]era|acosador|agresor|padrastro|madrastra),?"
)
ES_NAME = re.compile(rf"(?:{_ES_INTRO}|{_ES_RELATION})\s+({NAME_ES})")
ES_TITLED_NAME = re.compile(
    rf"\b(?:Dr|Dra|Sr|Sra|Srta|Lic|Licda|Ing|Profa?|Mtro|Mtra|Arq|(?i:miss|m[ií]ster|don|do[ñn]a))"
    rf"\.?\s+({CAPITALISED_ES}\s+{CAPITALISED_ES})"
)
# A nickname and a surname, how a neighbourhood knows someone: "la flaca Benítez", "el chino
# Takahashi", "la Negra Villalba".
ES_NICKNAME_SURNAME = re.compile(
    r"\b(?i:el|la)\s+(?i:flac[oa]|negr[oa]|chin[oa]|gord[oa]|rubi[oa]|g[üu]er[oa]|grin[gc][oa]|"
    r"petis[oa]|mon[oa]|turc[oa]|colorad[oa]|pelad[oa]|chat[oa]|gallego|gallega|tano|tana|"
    rf"rus[oa]|nen[ae])\s+({CAPITALISED_ES})"
)
ES_MY_FULL_NAME = re.compile(
    rf"(?i:mi nombre (?:completo|real) es)\s+([{_ES_LOWER}-]{{2,}}\s+[{_ES_LOWER}-]{{2,}})\b",
    re.IGNORECASE,
)
ES_NOT_NAMES = {
    "de", "del", "la", "el", "los", "las", "y", "lunes", "martes", "miércoles", "miercoles",
    "jueves", "viernes", "sábado", "sabado", "domingo", "enero", "febrero", "marzo", "abril",
    "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre", "noviembre",
    "diciembre", "dios", "navidad", "semana", "santa", "hola", "gracias", "muy", "una", "uno",
    "nuevo", "nueva", "madre", "padre", "mamá", "papá", "hospital", "universidad", "colegio",
    "instituto", "centro", "salud", "mental", "línea", "linea", "vida", "esperanza", "teléfono",
    "telefono", "roja", "crisis", "ayuda", "feliz", "yo", "tú", "tu", "mi", "así", "asi",
}  # fmt: skip
# Capitalised words that open Spanish sentences, not names: "Ayer Marta...", "Hoy Trabaja...".
ES_SENTENCE_STARTS = {
    "ayer", "hoy", "mañana", "ahora", "luego", "después", "antes", "pero", "porque", "cuando",
    "si", "no", "sí", "ya", "aquí", "allí", "en", "con", "por", "para", "que", "qué", "como",
    "cómo", "ella", "él", "ellos", "nosotros", "usted", "este", "esta", "ese", "esa", "todo",
    "todos", "nadie", "alguien", "mis", "sus", "tus", "nuestra", "nuestro", "buenos", "buenas",
    "puerto", "san", "santo", "nueva", "costa", "el", "la", "los", "las", "lo",
}  # fmt: skip
# Identification numbers named as such: "mi DNI es 30.123.456", "cédula 1.023.456.789".
_ID_KEYWORD = (
    r"(?i:\bdni\b|\bd\.n\.i\.?|\bnie\b|\bnif\b|\bc[eé]dula\b|\bcc\b|\bc\.c\.|\brut\b|\brun\b|\bcurp\b|"
    r"\brfc\b|\bpasaporte\b|\bmatr[ií]cula\b|\bplacas?\b|\bpatente\b|\btablilla\b|\bseguridad social\b|\bnss\b|"
    r"\bdocumento(?: de identidad| nacional de identidad)?\b|\bcuil\b|\bcuit\b|\bine\b|\bipc\b|"
    # Venezuelan "C.I.", Peruvian RUC, bank details (CLABE, CBU/CVU, IBAN, account, card).
    r"\bc\.\s?i\.|\bci\b|\bruc\b|\bclabe\b|\bcbu\b|\bcvu\b|\bcci\b|\biban\b|\bafiliad[oa]\b|"
    r"\blicencia de (?:conducir|manejo)\b|\bcarn[eé]t? de conducir\b|\btarjeta sanitaria\b|"
    r"\bn[uú]mero de cuenta\b|\bcuenta (?:bancaria|corriente|de ahorros?)\b|\btarjeta\b)"
)
# Words people put between the keyword and the number: "la placa de mi carro es ABC-123".
_ID_WORDS = r"(?:\s+[a-záéíóúñü]{1,15}){0,6}?"
_ID_GAP = (
    r"(?:\s*(?i:es|era|:|-|n[º°]|no\.|n[uú]m\.?|n[uú]mero|#|el|de ciudadan[ií]a|de identidad|"
    r"de extranjero|de afiliaci[oó]n|nuevo|viejo|mexicano|argentino|chileno|colombiano|espa[ñn]ol))*\s*[:#]?\s*"
)
_ID_PART = r"[A-Z0-9]+"
ES_ID_WITH_KEYWORD = re.compile(
    rf"{_ID_KEYWORD}{_ID_GAP}(?:{_ID_WORDS}{_ID_GAP})?({_ID_PART}(?:[.\-/ ]{_ID_PART})*)"
)
# An ID word at most 80 characters before the end, in the same sentence.
ES_ID_KEYWORD_BEFORE = re.compile(rf"{_ID_KEYWORD}[^.!?\n]{{0,80}}$")
ES_DNI = re.compile(r"\b(\d{2}\.?\d{3}\.?\d{3})\s?-?\s?([A-HJ-NP-TV-Z])\b")
ES_NIE = re.compile(r"\b([XYZ])\s?-?\s?(\d{7})\s?-?\s?([A-HJ-NP-TV-Z])\b")
ES_CURP = re.compile(
    r"\b[A-Z][AEIOUX][A-Z]{2}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[HM]"
    r"(?:AS|BC|BS|CC|CS|CH|CL|CM|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL|VZ|YN|ZS|NE)"
    r"[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d\b"
)
ES_RFC = re.compile(r"\b[A-ZÑ&]{4}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[A-Z\d]{2}[A\d]\b")
# Help lines of Spanish-speaking countries beyond the shared crisis list: never personal data.
ES_HELPLINE_DIGITS = frozenset(
    {
        "08009990091",  # Argentina, salud mental
        "08003451435",  # Argentina, Centro de Asistencia al Suicida
        "6003607777",  # Chile, Salud Responde
        "900202010",  # Spain, Fundación ANAR
        "08000767",  # Uruguay, prevención del suicidio
        "5552598121",  # Mexico, SAPTEL
        "18009810023",  # Puerto Rico, Línea PAS
        "18886289454",  # United States, the 988 Lifeline's line in Spanish
        "5556581111",  # Mexico City, Locatel (psychological support)
        "01152751135",  # Argentina, Centro de Asistencia al Suicida from Buenos Aires
    }
)
_ES_SITES = (
    r"instagram|insta|ig|snapchat|snap|tiktok|twitter|x|facebook|face|fb|discord|dc|telegram|"
    r"tele|whats|whatsapp|wsp|wa|kik|line|twitch|tumblr|threads|bluesky|skype|linkedin|youtube|"
    r"yt|bereal|steam|kick|spotify|pinterest|roblox|xbox|psn|minecraft|fortnite|free fire|lol"
)
_ES_HANDLE = r"@?[A-Za-z0-9_ñÑ]+(?:[.-][A-Za-z0-9_ñÑ]+)*(?:#\d{4})?"
# "búscame como dani.sevilla en insta", "agrégame al discord, soy fercho.dev".
ES_HANDLE_VERB = re.compile(
    r"\b(?i:b[uú]scame|agr[eé]game|a[ñn][aá]deme|s[ií]gueme|encu[eé]ntrame|me encuentras|"
    r"escr[ií]beme|escrib[ií]me|h[aá]blame|b[uú]squenme|agr[eé]guenme|s[ií]ganme|"
    r"encu[eé]ntrenme|b[uú]scadme|agregadme|seguidme|encontradme|"
    r"me (?:pueden|puedes|pod[eé]s) (?:encontrar|buscar|agregar|seguir))\b[^.!?\n]{0,30}?"
    rf"(?:\b(?i:como|soy|es)\b|:)\s*({_ES_HANDLE})"
)
# "sígueme en el insta, caro.vazquez.ok": the verb, the site, then the handle.
ES_VERB_SITE_HANDLE = re.compile(
    r"\b(?i:b[uú]scame|agr[eé]game|a[ñn][aá]deme|s[ií]gueme|escr[ií]beme|h[aá]blame)\s+"
    rf"(?i:en|por|al)\s+(?i:el\s+|la\s+|mi\s+)?(?i:{_ES_SITES})\b\s*[,:]\s*({_ES_HANDLE})"
)
# The site first, then who the writer is there: "en bereal soy sofi.gz", "en X me encuentran
# como @elchinovzla", "en steam estoy como panchito_cl".
ES_SITE_THEN_HANDLE = re.compile(
    rf"\b(?i:en|por)\s+(?i:el\s+|la\s+|mi\s+)?(?:(?i:{_ES_SITES.replace('|x|', '|')})|X)\b"
    r"(?:\s*\((?i:x)\))?[^.!?\n]{0,25}?\b"
    r"(?i:soy|estoy como|aparezco como|me (?:encuentran|encuentras|encontr[aá]s|buscan|buscas) como|"
    r"me llamo|se llama|salgo como|canal|usuario|nick|uso|como)\b[:,]?\s+"
    rf"({_ES_HANDLE})"
)
# A dotted @handle is never a member here (pseudonyms have no dots): "@brayan.mtz.sv".
DOTTED_HANDLE = re.compile(
    r"(?<![\w.@])@((?!(?i:gmail|hotmail|outlook|yahoo|icloud|live|proton(?:mail)?)\.)"
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)(?![\w@])"  # a letter first: not "@3.30pm"
)
# Money sent to a person by their tag: "cashapp $lupita713", "venmo @ana-r", "zelle ...".
PAYMENT_HANDLE = re.compile(
    r"\b(?i:cash ?app|venmo|zelle|paypal|bizum|nequi|yape|plin|mercado ?pago)\b[^.!?\n]{0,15}?"
    r"([$@][A-Za-z][\w.-]{2,30})"
)
# "en gmail soy sofiaquispe7": the user name at a mail provider.
ES_MAIL_USER = re.compile(
    r"\b(?i:en|por)\s+(?i:gmail|hotmail|outlook|yahoo|icloud|proton(?:mail)?)\b[^.!?\n]{0,10}?"
    r"\b(?i:soy|estoy como|me encuentran como|como)\s+([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)"
)
# The handle first: "kenji_lima_nikkei, así me encuentran en line".
ES_HANDLE_THEN_HOW = re.compile(
    rf"(?<![\w.@-])({_ES_HANDLE}),?\s+(?i:as[ií])\s+(?i:me (?:encuentran|encuentras|encontr[aá]s|buscan|"
    r"buscas|llaman)|salgo|aparezco)\b"
)
# An @handle as someone's own account: "ahora uso @luchi.backup2", "síganme: @..."
ES_OWN_HANDLE = re.compile(
    r"\b(?i:uso|usa|usando|mi (?:nueva|otra) cuenta(?: es)?|mi cuenta(?: nueva)? es|"
    r"s[ií]ganme|agr[eé]guenme|b[uú]squenme|encu[eé]ntrenme|escr[ií]banme)\b[^.!?\n@]{0,20}?"
    r"(@[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)"
)
# "dm a @santi_rosario en ig": an @handle followed by the site it lives on.
ES_HANDLE_THEN_SITE = re.compile(
    rf"(@[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s+(?i:en|de|por)\s+(?i:el\s+|mi\s+)?(?i:{_ES_SITES})\b"
)
# "mi skype es felipe.alarcon.cl": sites not in the older list.
ES_HANDLE_NEW_SITE = re.compile(
    rf"\b(?i:skype|linkedin|yt|youtube|wa)\b(?:\s+(?i:es|era|sigue siendo|ahora es)\b\s*:?|\s*:)"
    rf"\s*({_ES_HANDLE})"
)
# Who one is on a site: "soy dj_tristeza en spotify", "soy kev.87 en el discord".
ES_HANDLE_ON_SITE = re.compile(
    rf"\b(?i:soy|estoy como|aparezco como|salgo como)\s+({_ES_HANDLE})\s+(?i:en|por)\s+"
    rf"(?i:el\s+|la\s+)?(?i:{_ES_SITES})\b"
)
# A full name given as a Facebook or LinkedIn profile: "búscame en face como Brenda Caballero".
ES_PROFILE_NAME = re.compile(
    r"\b(?i:facebook|face|fb|linkedin)\b[^.!?\n]{0,20}?(?:\b(?i:como|a|es)\b|,|:)\s*"
    rf"({NAME_ES})"
)
# "mi gmail es carlitos.rdz99": the user name, the provider named before it.
ES_PROVIDER_USER = re.compile(
    rf"\b(?i:{_ES_MAIL_PROVIDER})\b(?:\s+(?i:es|era)\b\s*:?|\s*:)\s*"
    r"([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)"
)
# "mi correo es pablo punto mendez en gmail", "mi correo es juanca99 en hotmail".
ES_USER_AT_PROVIDER = re.compile(
    r"\b(?i:correo|mail|email|e-mail|emilio)\b(?:\s+[a-záéíóúñ]+)?(?:\s+(?i:es|era)\b\s*:?|\s*:)\s*"
    r"([A-Za-z0-9_]+(?:(?:\.|\s+(?i:punto)\s+)[A-Za-z0-9_]+)*)\s+(?i:en|de|@|arroba)\s+"
    rf"(?i:{_ES_MAIL_PROVIDER})\b"
)
# A marked user name at a provider, spelt: "kari.benitez en outlook punto es".
ES_USER_AT_PROVIDER_SPELT = re.compile(
    r"(?<![\w.])([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+|[A-Za-z_]+\d+[A-Za-z0-9_]*)\s+(?i:en|@|arroba)\s+"
    rf"(?i:{_ES_MAIL_PROVIDER})\s*(?i:punto|\.)\s*(?i:{_ES_TLD})\b"
)
# Digits and number words mixed: "612 345 seis siete ocho", "55 trece 45 67 89".
_EN_DIGIT_WORD = r"zero|oh|one|two|three|four|five|six|seven|eight|nine"
_ES_PHONE_TOKEN = rf"(?:\d{{1,4}}|\b{_ES_NUMBER_WORD}\b|\b(?:{_EN_DIGIT_WORD})\b)"
ES_MIXED_PHONE = re.compile(
    rf"(?<![\w.,/:]){_ES_PHONE_TOKEN}(?:[\s,.-]+{_ES_PHONE_TOKEN}){{2,11}}(?![\w/]|:\d)",
    re.IGNORECASE,
)
_ES_BUILDING_PART = (
    r"mz|manzana|lt|lote|casa|bloque|block|blq|escalera|esc|portal|torre|edificio|edif|depto|"
    r"dpto|departamento|apto|apartamento|int|interior|piso|calle|pasaje|puerta|pta|sector|etapa|"
    r"villa|solar|n[uú]mero|nro"
)
_ES_UNIT_NUMBER = (
    rf"(?i:{_ES_BUILDING_PART})\.?\s*(?:#|(?i:n[º°]|no\.|nro\.?|n[uú]mero)\s*)?"
    r"(?:\d{1,4}[A-Za-z]?|[A-Z](?:-\d{1,4})?)\b"
)
ES_UNITS = re.compile(
    # Two building parts in a row: "Mz 4 Lt 12", "bloque 4, escalera 2", "calle 3, casa 15".
    rf"(?<![\w/]){_ES_UNIT_NUMBER}(?:\s*,\s*|\s+){_ES_UNIT_NUMBER}"
    # A block, then the floor and door: "bloque 4, escalera izquierda, 5ºD".
    rf"|(?<![\w/]){_ES_UNIT_NUMBER}(?:\s*,\s*(?i:escalera|esc\.?)\s+(?i:izquierda|derecha|izda|dcha)\.?)?"
    r"\s*,\s*\d{1,2}\s*[º°ª]\s?[A-Za-z]?\b"
    # A named building or estate, then its part: "Edif. Parque Cristal, piso 8".
    r"|(?<![\w/])(?i:edificio|edif\.?|torre|residencial|conjunto|urbanizaci[oó]n|urb\.?|villa|"
    r"condominio|fraccionamiento|poblaci[oó]n|barriada|barrio|colonia|col\.|reparto|sector|"
    r"ciudadela|cdla\.)\s+"
    rf"{CAPITALISED_ES}(?:\s+{CAPITALISED_ES}){{0,3}},?\s*{_ES_UNIT_NUMBER}"
    # The flat first, then the building, as typed on a phone: "apto 5B, edificio Los Samanes",
    # "edificio ph ocean, apto 12c".
    r"|(?<![\w/])(?i:apto|apartamento|depto|dpto|departamento|piso)\.?\s*\d{1,4}[A-Za-z]?\s*,\s*"
    r"(?i:edificio|edif\.?|torre|residencial|conjunto)\s+[\wáéíóúñü]+"
    r"|(?<![\w/])(?i:edificio|edif\.?|residencial|conjunto)\s+(?:[\wáéíóúñü]+\s+){0,3}?"
    r"[\wáéíóúñü]+\s*,\s*(?i:apto|apartamento|depto|dpto|departamento|piso)\.?\s*\d{1,4}[A-Za-z]?\b"
)
# A street named without its street word, told by the flat after the number:
# "Insurgentes Sur 1602 int. 5", "Corrientes 3456 4°C", "Defensa 1020, 2°A".
ES_BARE_STREET = re.compile(
    rf"(?<![\w/]){CAPITALISED_ES}(?:\s+{CAPITALISED_ES}){{0,3}}\s+\d{{1,5}}(?:,\s*|\s+)"
    r"(?:\d{1,2}\s*[º°ª]\s?[A-Za-z]?\b|(?i:piso|depto|dpto|apto|int|interior)\.?\s*\w+)"
)
# "vivo en el 345 de la calle Real", "la número 12 de la calle Olivo".
ES_HOUSE_OF_STREET = re.compile(
    r"\b(?i:el|la)\s+(?i:n[uú]mero\s+|n[º°]\s*)?\d{1,5}[A-Za-z]?\s+(?i:de\s+la|del|de)\s+"
    r"(?i:calle|avenida|av\.|avda\.?|carrera|paseo|plaza|callej[oó]n|pasaje|camino|ronda|carrer)\s+"
    rf"(?:(?i:de|del|de la|de los|de las)\s+)?{CAPITALISED_ES}"
)
# "entre calles Juárez y Morelos": the two cross streets of a house.
ES_CROSS_STREETS = re.compile(
    rf"\b(?i:entre\s+(?:las\s+)?calles?)\s+{CAPITALISED_ES}(?:\s+{CAPITALISED_ES})*\s+(?i:y|e)\s+"
    rf"{CAPITALISED_ES}"
)
# A street and the two it lies between: "calle hidalgo entre morelos y juarez", "Calle 23
# entre F y G".
ES_STREET_BETWEEN = re.compile(
    r"(?<![\w/])(?i:calle|avenida|av\.|avda\.?|carrera|cra\.|pasaje|jir[oó]n|calzada)\s+"
    r"(?:[\wáéíóúñü]+\s+){1,3}?(?i:entre)\s+(?:(?i:las\s+)?(?i:calles?)\s+)?"
    r"(?!(?i:semana)\b)[\wáéíóúñü]+\s+(?i:y|e)\s+[\wáéíóúñü]+"
)
# A house number and the two streets it lies between, the street word left out: "Hidalgo 58
# entre Morelos y Allende".
ES_NUMBER_BETWEEN = re.compile(
    rf"(?<![\w/]){CAPITALISED_ES}(?:\s+{CAPITALISED_ES}){{0,2}}\s+\d{{1,5}}[A-Za-z]?,?\s+"
    rf"(?i:entre)\s+(?:(?i:las\s+)?(?i:calles?)\s+)?{CAPITALISED_ES}(?:\s+{CAPITALISED_ES})*\s+"
    rf"(?i:y|e)\s+{CAPITALISED_ES}"
)
# Havana's numbered streets: "23 #1054 entre 12 y 14".
CU_ADDRESS = re.compile(
    r"(?<![\w/])\d{1,3}[A-Z]?\s*(?:#|(?i:n[º°]|no\.))\s*\d{1,5}[A-Z]?\s+(?i:entre)\s+"
    rf"(?:\d{{1,3}}|{CAPITALISED_ES})\s+(?i:y|e)\s+(?:\d{{1,3}}|{CAPITALISED_ES})"
)
# Argentina numbers a house by its block on the street: "sobre Brasil al 700", "en Rivadavia
# al 5400".
AR_STREET_AT = re.compile(
    rf"\b(?i:sobre|en|por)\s+(?:(?i:la|calle|avenida|av\.)\s+)?{CAPITALISED_ES}"
    rf"(?:\s+(?:(?i:de\s+)?{CAPITALISED_ES}|\d{{1,2}}\s+de\s+{CAPITALISED_ES})){{0,2}}"
    r"\s+al\s+\d{2,5}\b(?!\s*%|\s*(?i:por ciento))"
)
# Quito numbers houses by quadrant and block, then the corner: "10 de Agosto N23-45 y Roca",
# "Av. Amazonas N34-120 y República".
EC_ADDRESS = re.compile(
    r"(?<![\w-])[NSEO]\d{1,3}[A-Z]?-\d{1,4}[A-Z]?(?![\w-])\s+(?i:y)\s+"
    rf"(?:(?i:av\.?|avenida|calle|pasaje)\s+)?(?:{CAPITALISED_ES}|\d{{1,2}})"
)
# Guatemala numbers streets and houses by zone: "12 calle 3-45 zona 10".
GT_ADDRESS = re.compile(
    r"\b\d{1,2}\s*(?:a\.?|ª)?\s+(?i:calle|avenida|av\.)\s+\d{1,2}-\d{1,3}\b"
    r"(?:,?\s*(?i:zona)\s+\d{1,2})?"
)
# Costa Rica and Nicaragua give directions from a landmark: "del Walmart de Curridabat 200
# metros norte", "de donde fue el cine González 2 cuadras al lago".
ES_DIRECTIONS = re.compile(
    r"\b\d{1,4}\s*(?i:metros|mts\.?|varas|vrs\.?|cuadras|cdras\.?|c\.?)\s+(?i:al\s+)?"
    r"(?i:norte|sur|este|oeste|lago|arriba|abajo)\b"
)
# A house told by what stands next to it on a named street: "la casa azul al lado de la
# farmacia de la calle Rivadavia".
ES_HOUSE_BY_LANDMARK = re.compile(
    r"\b(?i:casa|edificio|departamento|depa|piso|portal|vivo|vive|viven|vivimos)\b[^.!?\n]{0,40}?"
    r"\b(?i:al lado de|frente a|enfrente de|junto a|a la vuelta de|detr[aá]s de|en la esquina de|"
    r"arriba de|encima de|debajo de)\b"
    r"[^.!?\n]{0,40}?\b(?i:calle|avenida|av\.|avda\.?|plaza|carrera|pasaje)\s+"
    rf"{CAPITALISED_ES}"
)
# Where someone is, shared as a map: a link, coordinates, a plus code.
MAP_LOCATION = re.compile(
    r"\b(?:https?://)?(?:maps\.app\.goo\.gl|goo\.gl/maps|(?:www\.)?google\.[a-z.]+/maps|"
    r"maps\.google\.[a-z.]+|maps\.apple\.com|waze\.com/ul)\S*"
    r"|(?<![\d.])-?\d{1,2}\.\d{4,8},\s*-?\d{1,3}\.\d{4,8}(?![\d.])"
    r"|\b[23456789CFGHJMPQRVWX]{4,8}\+[23456789CFGHJMPQRVWX]{2,3}\b"
)
# Rural addresses: "Km 23 de la ruta 5", "vereda El Salitre", "finca La Esperanza", "ejido San
# Isidro", "Parcela 17 del loteo Los Aromos", "privada Olmos 33".
ES_RURAL_PLACE = re.compile(
    r"\b(?i:km\.?|kil[oó]metro)\s*\d{1,4}(?:[.,]\d+)?\s+(?i:de\s+la\s+|del\s+)?"
    r"(?i:ruta|carretera|autopista|v[ií]a|camino|panamericana)\b"
    # Not "lote", "quinta" or "hacienda": "un lote de ropa", "la Quinta Sinfonía", "Hacienda".
    r"|\b(?i:vereda|finca|caser[ií]o|ejido|parcela|loteo|parcelaci[oó]n|rancho|aldea|"
    r"corregimiento|fraccionamiento|fracc\.|condominio|privada)\s+"
    rf"(?:\d{{1,4}}\b|(?:(?i:el|la|los|las|de|del)\s+)?{CAPITALISED_ES})"
)
# Two streets meeting: "Insurgentes esquina Félix Cuevas", "Av. 8 de Octubre esquina Propios".
ES_CORNER = re.compile(
    rf"{CAPITALISED_ES}\s+(?i:esquina|esq\.)\s+(?:(?i:con)\s+)?{CAPITALISED_ES}"
    # Numbered streets meeting: "la esquina de Calle 8 con Avenida 3".
    r"|\b(?i:calle|avenida|av\.|carrera|cra\.|diagonal|transversal)\s+\d{1,3}[A-Za-z]?\s+(?i:con)\s+"
    r"(?i:calle|avenida|av\.|carrera|cra\.|diagonal|transversal)\s+\d{1,3}[A-Za-z]?\b"
)
# A street, then a room, flat or door: "hostal de la calle Pelayo, habitación 12".
ES_STREET_THEN_UNIT = re.compile(
    r"(?<![\w/])(?i:calle|avenida|av\.|avda\.?|carrera|pasaje|paseo|jir[oó]n)\s+"
    rf"{CAPITALISED_ES}(?:\s+{CAPITALISED_ES}){{0,2}},?\s+"
    r"(?i:habitaci[oó]n|hab\.|cuarto|depto|dpto|piso|apto|apartamento|casa|portal|puerta)\s*\d"
)
# "vivo en el 46022": the postcode one lives in.
ES_HOME_POSTCODE = re.compile(r"\b(?i:vivo|vive|viven|vivimos)\s+(?i:en)\s+(?i:el\s+)?\d{5}\b")
# "apartado de correos 1234", "casilla de correo 55": a post-office box.
ES_PO_BOX = re.compile(
    r"\b(?i:apartado (?:de correos|postal)|apdo\.? (?:de correos|postal)|"
    r"casilla (?:de correos?|postal))"
    r"\s*(?:n[º°]\.?\s*)?\d{1,6}\b"
)
# A Spanish postal code then its town after a comma: ", 46080 Valencia".
ES_POSTCODE_TOWN = re.compile(rf",\s*(?:0[1-9]|[1-4]\d|5[0-2])\d{{3}}\s+{CAPITALISED_ES}")
# A role at a named school or workplace, which points at one person: "soy la única psicóloga
_ES_JOBS = (
    r"veterinari[oa]|enfermer[oa]|m[eé]dic[oa]|doctor|doctora|farmac[eé]utic[oa]|psic[oó]log[oa]|"
    r"maestr[oa]|profesor|profesora|profe|cura|p[aá]rroco|polic[ií]a|abogad[oa]|dentista|"
    r"carter[oa]|bibliotecari[oa]|recepcionista|cajer[oa]|conductor|conductora|chofer|taxista|"
    r"peluquer[oa]|panader[oa]|carnicer[oa]|mec[aá]nic[oa]|guardia|vigilante|portero|portera|"
    r"conserje|secretari[oa]|jef[ea](?: de [a-z]+)?|encargad[oa]|gerente|due[ñn][oa]|meser[oa]|"
    r"camarer[oa]|cociner[oa]|ali[ñn]ador[a]?|entrenador[a]?|directora?|subdirectora?|"
    r"coordinador[a]?|trabajador[a]? social|psiquiatra|terapeuta|pediatra|matrona|partera|"
    r"bombero|bombera|juez|jueza|notari[oa]|alcalde|alcaldesa|concejal[a]?|pastor[a]?|"
    r"barista|reponedor[a]?|repositor[a]?|dependient[ea]|vendedor[a]?|repartidor[a]?"
)
# del CESFAM de Lo Prado", "estudio en la prepa 6", "mi hijo va al CEIP Miguel de Cervantes".
_ES_INSTITUTION = (
    r"colegio|instituto|liceo|escuela|prepa|preparatoria|secundaria|primaria|hospital|"
    r"cl[ií]nica|centro de salud|cesfam|consultorio|ies|ceip|cbtis|cetis|"
    r"conalep|cecyt|enet|academia|guarder[ií]a|jard[ií]n de (?:infantes|niños)|residencia|"
    # Workplaces and clubs, named: "la farmacia Cruz Verde de Ñuñoa", "el Club Atlético de Tigre".
    r"club|equipo|gimnasio|parroquia|iglesia|biblioteca|farmacia|banco|sucursal|tienda|"
    r"restaurante|oficina|empresa|f[aá]brica|ayuntamiento|municipalidad|alcald[ií]a"
)
ES_ROLE_AT_INSTITUTION = re.compile(
    r"\b(?i:soy (?:el|la)|trabajo|trabaja|estudio|estudia|doy clases?|vo[ys]|va|van|"
    rf"soy (?:{_ES_JOBS})|me (?:pueden|puedes|pod[eé]s) encontrar|me encuentran|me encuentras)\b"
    r"[^.!?\n]{0,60}?\b(?i:del?|en|al|a)\s+(?i:el\s+|la\s+)?"
    rf"(?i:{_ES_INSTITUTION})\b(?:\s+\d{{1,3}}\b|(?:\s+[a-záéíóúñ]+){{0,2}}?\s+"
    rf"(?:(?i:de|en)\s+(?:(?i:la|el|los|las|calle)\s+){{0,2}})?(?:{CAPITALISED_ES}|[A-Z]{{2,}}))"
)
# Chains with shops in many places: one of them in a named place points at a few people.
# (Not any capitalised name then "de …": "la Secretaría de Salud", "la Ciudad de México".)
_ES_CHAINS = (
    r"mercadona|carrefour(?: express| market)?|lidl|aldi|d[ií]a|alcampo|eroski|hiperdino|"
    r"el corte ingl[eé]s|corte ingl[eé]s|zara|primark|decathlon|ikea|oxxo|walmart|bodega aurrer[aá]|"
    r"soriana|chedraui|la comer|coppel|elektra|liverpool|sanborns|farmacias? del ahorro|"
    r"farmacias? guadalajara|farmacias? similares|[eé]xito|jumbo|l[ií]der|tottus|unimarc|"
    r"santa isabel|plaza vea|wong|metro|supermaxi|mi comisariato|coto|la an[oó]nima|"
    r"disco|changom[aá]s|cruz verde|inkafarma|farmacity|pricesmart|la colonia|la sirena|"
    r"supermercados? nacional|pollo campero|starbucks|mcdonald'?s|burger king|kfc|subway|"
    r"domino'?s|pizza hut|home depot|costco|target|walgreens|cvs|dollar general|sams?'? club"
)
ES_JOB_AT_PLACE = re.compile(
    rf"\b(?:(?i:soy|era|es)\s+(?i:el|la)\s+(?:(?i:[uú]nic[oa])\s+)?(?i:{_ES_JOBS})"
    # Without the article, only at a workplace named as one: "soy cajero del supermercado La
    # Colonia", not "soy psicóloga en la Ciudad de México".
    rf"|(?i:soy)\s+(?i:{_ES_JOBS})(?=\s+(?i:del|de la|en el|en la)\s+"
    rf"(?i:supermercado|{_ES_INSTITUTION}|{_ES_CHAINS})\b)"
    rf"|(?i:el|la)\s+(?i:[uú]nic[oa])\s+(?i:{_ES_JOBS})"
    rf"|(?i:trabajo|trabaja|curro|laburo|currando|trabajando|laburando|chambeando)\s+"
    rf"(?i:de|como)\s+(?i:{_ES_JOBS})"
    r"|(?i:atiendo|atiende)\s+(?i:la|el)\s+(?i:ventanilla|caja|mostrador|farmacia|tienda|kiosco|"
    r"recepci[oó]n|puesto|ferreter[ií]a|negocio|local))"
    r"\b[^.!?\n]{0,30}?\b(?i:del|de la|de los|de|en el|en la|en)\s+"
    rf"(?:[a-záéíóúñü]+\s+){{0,2}}?(?:{CAPITALISED_ES}|[A-Z]{{2,}}|\d{{1,3}}\b)"
)
ES_BRANCH_AT_STREET = re.compile(
    r"\b(?i:trabajo|trabaja|curro|laburo|chambeo|atiendo|atiende|currando|trabajando|laburando|"
    r"chambeando|soy el|soy la)\b[^.!?\n]{0,40}?"
    r"\b(?i:en el|en la|en|del|de la)\s+(?:[A-ZÁÉÍÓÚÑ][\w'’&]+\s+){0,2}?[A-ZÁÉÍÓÚÑ][\w'’&]+\s+"
    r"(?i:de|en)\s+(?:(?i:la\s+)?(?i:avenida|av\.|avda\.?|calle|gran avenida|carrera|calzada|"
    r"boulevard|bulevar|paseo|plaza|ruta)\s+[A-ZÁÉÍÓÚÑ\d]"
    # ... or on a corner: "en el Carrefour Express de Cabildo y Juramento".
    rf"|{CAPITALISED_ES}(?:\s+{CAPITALISED_ES})?\s+(?i:y|e)\s+{CAPITALISED_ES})"
)
ES_CHAIN_BRANCH = re.compile(
    r"\b(?i:trabajo|trabaja|curro|laburo|chambeo|currando|trabajando|laburando|chambeando)\s+"
    r"(?i:en|de\s+\w+\s+en)\s+(?i:el|la|un|una)\s+(?:[a-záéíóúñ]+\s+(?i:del|de la|de)\s+)?"
    rf"(?i:{_ES_CHAINS})\b(?:\s+[A-Z][\w'’]+)?\s+(?i:de|en)\s+(?:(?i:la|el)\s+)?"
    rf"(?:(?i:zona)\s+\d{{1,2}}\b|{CAPITALISED_ES})"
)
ES_SCHOOL_SUBJECTS = frozenset(
    {
        "historia", "matematicas", "mates", "mate", "lengua", "literatura", "ingles", "frances",
        "fisica", "quimica", "biologia", "musica", "filosofia", "arte", "plastica", "educacion",
        "geografia", "religion", "ciencias", "tecnologia", "informatica", "economia", "dibujo",
        "latin", "griego", "psicologia", "derecho", "medicina", "enfermeria",
    }
)  # fmt: skip
# A job title before a full name: "la enfermera Ana Belén Prieto", "la doctora Elena Varela".
ES_ROLE_NAME = re.compile(
    r"\b(?i:el|la)\s+(?i:doctor|doctora|enfermer[oa]|profesor|profesora|profe|maestr[oa]|"
    r"licenciad[oa]|ingenier[oa]|psic[oó]log[oa]|psiquiatra|terapeuta|abogad[oa]|director|"
    r"directora|entrenador|entrenadora|coordinador|coordinadora|se[ñn]or|se[ñn]ora|se[ñn]orita|"
    r"padre|cura|pastor|pastora|sacerdote|hermana|vecin[oa]|jef[ea]|due[ñn][oa]|cajer[oa]|"
    rf"polic[ií]a|agente|oficial)\s+({NAME_ES})"
)
# A full name, then where that person works, lives or studies: "Marta Gil trabaja en el Zara".
# Found from the verb backwards (see _names_before), so long capitalised runs stay cheap.
ES_PLACE_CUE = re.compile(
    r"\b(?i:trabaja|vive|estudia|va)\s+(?i:en|al|a la|cerca de)\s+(?i:el\s+|la\s+)?[A-ZÁÉÍÓÚÑ]"
)
# Spanish speakers carry two surnames, so three capitalised words in a row inside a Spanish
# sentence are mostly a person: "mi padrastro es Héctor Morales Díaz". Places and bodies
# ("San Pedro Sula", "Universidad Nacional Autónoma") are told by their words.
ES_THREE_NAMES = re.compile(
    rf"(?<![\w.])({CAPITALISED_ES}\s+(?:(?:de|del|de la)\s+)?{CAPITALISED_ES}\s+"
    # Not a model's name: "un Xiaomi Redmi Note 12".
    rf"(?:(?:de|del|de la|y)\s+)?{CAPITALISED_ES})(?!\s+{CAPITALISED_ES})(?!\s+\d)"
)
ES_NOT_PERSON_WORDS = {
    "universidad", "hospital", "ciudad", "san", "santa", "santo", "club", "real", "banco",
    "instituto", "colegio", "escuela", "liceo", "calle", "avenida", "plaza", "puerto", "costa",
    "río", "rio", "buenos", "aires", "cruz", "estados", "unidos", "república", "reino", "unido",
    "comunidad", "centro", "atlético", "deportivo", "fundación", "asociación", "ministerio",
    "secretaría", "gobierno", "policía", "guardia", "partido", "iglesia", "parroquia", "museo",
    "teatro", "parque", "copa", "liga", "día", "año", "querido", "querida", "nacional",
    "regional", "general", "central", "superior", "técnica", "técnico", "salud", "mental",
    "seguridad", "social", "cuidados", "intensivos", "urgencias", "servicio", "servicios",
    "programa", "plan", "manual", "guía", "normas", "haven", "madrid", "méxico", "mexico",
    "america", "américa", "latina", "norte", "sur", "este", "oeste", "nuevo", "nueva", "viejo",
    "vieja", "gran", "grande", "mayor", "menor", "primera", "primero", "segunda", "segundo",
    "tercera", "tercero", "reyes", "magos", "noche", "buena", "papá", "noel", "virgen",
    "señor", "señora", "jesús", "cristo", "semana",
}  # fmt: skip
# A full name set off by a comma, then what the person does or where: "Fernanda Ugalde,
# cajera del Supermaxi", "Sebastián Lugo Rivas, mi novio, atiende en la Cruz Verde de Viña".
ES_NAME_THEN_PLACE = re.compile(
    rf"({NAME_ES}),\s+[^.!?\n]{{0,40}}?\b(?i:del|de la|de los|de|en el|en la|en|al)\s+"
    rf"(?:[a-záéíóúñü]+\s+){{0,2}}?(?:{CAPITALISED_ES}|[A-Z]{{2,}}|\d{{1,3}}\b)"
)
# Full names typed any way ("luisa fernanda ortiz", "roberto carlos ñañez"): a common given name,
# perhaps a second one, then a surname, either a common one or a patronymic (-ez, -iz, -az,
# -oz). Given names that are also ordinary words ("luz", "paz", "rosa", "dolores", "santiago")
# are left out. Kept to names; a surname alone is not enough.
_SPANISH_NAMES = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "spanish_names.json").read_text("utf-8")
)
ES_GIVEN_NAMES = frozenset(_SPANISH_NAMES["given_names"])
ES_SURNAMES = frozenset(_SPANISH_NAMES["surnames"])
_PATRONYMIC = re.compile(r"[a-zñ]{2,}(?:ez|iz|az|oz)")
_WORD = re.compile(r"[^\W\d_]+")


def _plain(word: str) -> str:
    return word.lower().translate(str.maketrans("áéíóúüñ", "aeiouun"))


_NAME_PARTICLES = frozenset({"de", "del", "la", "los", "las"})


def _is_surname(word: str) -> bool:
    plain = _plain(word)
    return plain in ES_SURNAMES or bool(
        _PATRONYMIC.fullmatch(plain) and plain not in ES_ORDINARY_WORDS
    )


def _spanish_full_names(text: str) -> list[str]:
    """A given name, then up to three more given names, particles ("del pilar", "de los
    ángeles") or an initial ("Ana M. Torres"), then a surname; the words one after another."""
    words = list(_WORD.finditer(text))
    found = []
    for i, match in enumerate(words[:-1]):
        if _plain(match.group()) not in ES_GIVEN_NAMES:
            continue
        after_particle = False
        for j in range(i + 1, min(i + 5, len(words))):
            gap = text[words[j - 1].end() : words[j].start()]
            if gap.strip() not in ("", ".") or (
                gap.strip() == "." and len(words[j - 1].group()) > 1
            ):
                break  # the words must follow one another: "juan, garcía dijo" is not a name
            word = words[j].group()
            if _is_surname(word) and not after_particle:
                found.append(text[match.start() : words[j].end()])
                break
            lower = _plain(word)
            if lower in _NAME_PARTICLES:
                after_particle = True
            elif lower in ES_GIVEN_NAMES or after_particle or (len(word) == 1 and word.isupper()):
                after_particle = False
            else:
                break
    return found


_OPENING_QUOTE = r"""['"«“‘]"""
_CLOSING_QUOTE = r"""['"»”’]"""
ES_WORK_OF = re.compile(
    r"\b(?i:libros?|novelas?|canci[oó]n|canciones|pel[ií]culas?|series?|podcast|charlas?|"
    r"v[ií]deos?|obras?|poemas?|frases?|discos?|cuadros?|autor|autora|escritor|escritora|"
    rf"cantante|actor|actriz)\s+(?:{_OPENING_QUOTE}[^\n]{{1,60}}?{_CLOSING_QUOTE},?\s+)?"
    r"(?i:de|del)\s+$"
    # A quoted title, then its author: "'Ojalá', de Silvio Rodríguez".
    rf"|{_CLOSING_QUOTE},?\s+(?i:de|del)\s+$"
    # A title by its name: "mi podcast favorito se llama Entiende Tu Mente".
    r"|\b(?i:podcast|canal|libro|serie|programa|app|aplicaci[oó]n|pel[ií]cula|banda|grupo|"
    r"cuenta|p[aá]gina|blog|novela|canci[oó]n|disco)\b[^.!?\n]{0,20}?\b(?i:se llama|llamad[oa])\s+$"
)
# "me llamo tomas ezequiel benitez": a lower-case name, up to the first ordinary word.
ES_CALLED_LOWER = re.compile(r"\b(?i:me llamo|mi nombre es)\s+((?:[a-záéíóúñü]{2,}\s*){2,4})")
ES_ORDINARY_WORDS = {
    "y", "e", "o", "de", "del", "la", "el", "los", "las", "que", "tengo", "soy", "estoy",
    "pero", "porque", "desde", "hace", "años", "vivo", "me", "mi", "te", "se", "no", "si",
    "sí", "con", "en", "por", "para", "un", "una", "muy", "ya", "hoy", "aquí", "también",
    "aunque", "bueno", "pues", "igual", "como", "cuando", "siempre", "nunca", "ahora", "jaja",
    "jajaja", "xd", "ok", "vale", "así", "asi", "solo", "sólo", "todos", "todas", "nada",
    "gracias", "hola", "chau", "bien", "mal", "triste", "sola", "perdón", "lo", "le", "les",
    "nos", "su", "tu", "al", "a", "ni", "tampoco", "sin", "entre",
    # Words shaped like a patronymic (-ez, -iz, -az, -oz) that are not surnames.
    "feliz", "capaz", "veloz", "tenaz", "eficaz", "audaz", "atroz", "feroz", "voraz", "arroz",
    "diez", "nariz", "actriz", "matriz", "lapiz", "raiz", "disfraz", "antifaz", "ajedrez",
    "vejez", "ninez", "timidez", "rapidez", "madurez", "estupidez", "escasez", "lucidez",
}  # fmt: skip
# A class at a named school: "estoy en 3ºB del colegio San José", "3er semestre grupo 302 del
# CCH Sur", "sexto grado sección B de la escuela Simón Bolívar".
_ES_GRADE = (
    r"(?:\d{1,2}\s*(?:[º°ª]|ro|do|er|to|vo|mo|no|avo)\.?|(?:primer|primero|segundo|tercer|"
    r"tercero|cuarto|quinto|sexto|s[eé]ptimo|octavo|noveno|d[eé]cimo)(?![a-záéíóúñ]))"
)
ES_CLASS_AT_SCHOOL = re.compile(
    rf"(?<![\w/])(?i:{_ES_GRADE})[^.!?\n]{{0,40}}?(?:\b(?i:del|de la|en el|en la|en|al)\s+|,\s*)"
    r"(?i:colegio|instituto|liceo|escuela|ies|ceip|cch|prepa|preparatoria|secundaria|"
    r"universidad|uni|nacional|cbtis|cetis|conalep|cecyt|utn|uba|unam|ipn|t[eé]cnica|normal)\b"
    rf"(?:\s+(?:[a-záéíóúñü]+\s+){{0,2}}?(?:(?i:n[º°]\.?|nro\.?|n[uú]mero|#)\s*)?"
    rf"(?:{CAPITALISED_ES}|[A-Z]{{2,}}|\d{{1,4}}\b))"
)
# A named school, then the class in it: "estoy en el liceo Carmela Carvajal, 3ro medio B",
# "estudio en la UNAM, en la facultad de ingenieria, grupo 1204".
ES_SCHOOL_THEN_CLASS = re.compile(
    r"(?:\b(?i:colegio|instituto|liceo|escuela|ies|ceip|prepa|preparatoria|secundaria|"
    r"universidad|unam|ipn|uba|facultad)\b|\b(?i:en el|en la|al|del|el|la)\s+[A-Z]{3,}\b)[^.!?\n]{1,60}?"
    rf"(?:\b(?i:grupo|secci[oó]n|sal[oó]n|paralelo)\s+\d{{3,4}}\b"
    # A grade, then its section or division: "segundo año de bachillerato sección 3".
    rf"|(?<![\w/]){_ES_GRADE}\s*(?i:medio|b[aá]sico|a[ñn]o|grado|curso|de secundaria|"
    r"de bachillerato|de primaria|de b[aá]sica|secundaria|primaria)\b[^.!?\n]{0,25}?"
    r"\b(?:(?i:secci[oó]n|divisi[oó]n|grupo|paralelo)\s+(?:\d{1,4}|[A-F])\b"
    r"|(?i:turno)\s+(?i:ma[ñn]ana|tarde|noche|matutino|vespertino|nocturno)\b)"
    # A university's campus and the student's term: "la UCV sede Lima Norte, ciclo 4".
    rf"|\b(?i:sede|campus|filial)\s+{CAPITALISED_ES}[^.!?\n]{{0,30}}?\b(?i:ciclo|semestre)\s+\d{{1,2}}\b"
    rf"|(?<![\w/]){_ES_GRADE}\s*(?i:medio|b[aá]sico|a[ñn]o|grado|de secundaria|de bachillerato|"
    r"de primaria|eso|bachillerato)\s+[A-F]\b)"
)
# A full name next to a date of birth: "Camila Ortiz, fecha de nacimiento 22-07-2004".
_ES_BIRTH = (
    r"(?i:fecha de nacimiento|f\.\s?(?:de\s)?nac\.?|nacid[oa] el|nac[ií] el|naci[oó] el)\s*:?\s*"
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2} de [a-z]+ de \d{4})"
)
ES_BIRTH_CUE = re.compile(_ES_BIRTH)
# The full name just before a cue: at most 30 other characters in between, same sentence.
ES_NAME_BEFORE_CUE = re.compile(rf"({NAME_ES})\b[^.!?\n]{{0,30}}$")
CL_RUT = re.compile(r"\b(\d{1,2}\.?\d{3}\.?\d{3})-([\dkK])\b")
# Venezuelan cédula with its letter: "V-12.345.678", "E-84.123.456", "v 20123456".
VE_CEDULA = re.compile(r"(?<![\w-])[VEve]\s?-?\s?\d{1,2}\.?\d{3}\.?\d{3}\b")
# Payment cards: 13 to 19 digits, in groups or not.
CARD_NUMBER = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?![\d-])")
# Staff and student numbers, short as they are, point at one person in one workplace or school:
# "número de empleado 48213", "legajo 10234", "mi ficha en Pemex es 456789".
STAFF_NUMBER = re.compile(
    r"\b(?i:n[uú]mero de (?:empleado|empleada|trabajador|trabajadora|n[oó]mina|colaborador|"
    r"estudiante|alumno|alumna|carnet|carn[eé])|legajo|boleta|"
    # "ficha clínica" is a medical record's reference, like the ones in ES_REFERENCE_WORDS.
    r"ficha(?!\s+(?:cl[ií]nica|m[eé]dica))|"
    r"c[oó]digo de (?:estudiante|alumno|empleado)|n[º°] de (?:empleado|alumno|estudiante)|"
    # A professional's registration and a social insurance number: "número de colegiada es
    # 28/47193", "número de afiliación del IHSS 0801199814523001".
    r"n[uú]mero de (?:colegiad[oa]|colegiatura|afiliaci[oó]n)|c[eé]dula profesional)"
    r"(?:\s+[a-záéíóúñü]{1,12}){0,4}?(?:\s+[A-ZÁÉÍÓÚ][\wáéíóúñ]+){0,3}?\s*(?i:es|:|#)?\s*"
    r"[A-Z]{0,3}-?(?:\d{1,3}(?:\.\d{3})+|\d{1,3}/\d{3,7}|\d{4,18})\b"
)
# A number plate by its shape, next to the vehicle it is on: "el auto de mi viejo es el AB 123 CD"
# (Argentina), "el de mi ex era el 9053 HJD" (Spain), "la camioneta ABC-1234".
ES_VEHICLE_PLATE = re.compile(
    r"\b(?i:auto|carro|coche|moto|camioneta|camión|camion|guagua|furgoneta|taxi|clio|"
    r"veh[ií]culo|troca|nave|placas?|patente|dominio|matr[ií]cula|tablilla|plate|pick ?up|picop|"
    r"minib[uú]s|microb[uú]s|buseta|combi|jeep|toyota|nissan|chevrolet|chevy|ford|honda|hyundai|kia|"
    r"mazda|corolla|jetta|tsuru|vocho|sentra|hilux|f-150|renault|peugeot|seat|volkswagen|vw|"
    r"fiat|citro[eë]n|bmw|audi|mercedes|suzuki|mitsubishi|dodge|subaru|volvo|opel|skoda|chery)\b"
    r"[^.!?\n]{0,50}?"
    r"(?<![\w-])([A-Z]{2}\s?\d{3}\s?[A-Z]{2}|\d{4}\s?[B-DF-HJ-NP-TV-Z]{3}|[A-Z]{3}-?\s?\d{3,4}"
    r"|[A-Z]{3}-\d{2}-\d{2}|[A-Z]{4}\s?\d{3}|[A-Z]\s\d{3}\s?[A-Z]{3}"
    # Peru's "F4K-729", Spain's old provincial "M-4829-ZB", a letter and six digits "A482917".
    r"|[A-Z]\d[A-Z]-?\d{3}|[A-Z]{1,2}-\d{4}-[A-Z]{1,2}|[A-Z]\d{6})(?![\w-])"
)
# Argentina's payment alias, three words with dots: "alias juli.gomez.mp".
AR_PAYMENT_ALIAS = re.compile(
    r"\b(?i:alias)(?:\s+(?i:cbu|cvu|de mp|de mercado ?pago|mp))?\s*:?\s*(?i:es\s+)?"
    r"([a-z0-9]{1,20}(?:\.[a-z0-9]{1,20}){1,3})\b"
)
# A medical or insurance record's number, told with the place that keeps it: "mi número de
# historia clínica en el Gregorio Marañón es 3847291", "mi expediente del ISSSTE es 2023-448172",
# "paciente #A-38291 de la Clínica San Felipe". At least five digits ("la historia clínica dice
# 50 mg" is a dose), and the place named in the sentence (ES_RECORD_KEEPER): without it, "el
# número de historia clínica que me dieron en urgencias es 2021-007731" is paperwork.
ES_RECORD_NUMBER = re.compile(
    r"\b(?i:historia cl[ií]nica|historial cl[ií]nico|expediente(?:\s+cl[ií]nico)?|"
    r"ficha(?:\s+cl[ií]nica|\s+m[eé]dica)?|n[uú]mero de (?:paciente|afiliad[oa]|asegurad[oa]|"
    r"beneficiari[oa]|seguro|p[oó]liza)|autogenerado|n\.?\s?h\.?\s?c\.?|paciente)\b"
    r"[^.!?\n]{0,40}?(?:\b(?i:es|era)\s+(?:(?i:el|la)\s+)?|:\s*|#\s*|\b(?i:n[º°]|nro\.?)\s*)"
    r"(#?[A-Z]{0,3}-?\d[\dA-Z/-]{3,24})(?![\w/-])"
)
ES_RECORD_KEEPER = re.compile(
    rf"\b(?i:del|de la|de|en el|en la|en|al)\s+(?:{CAPITALISED_ES}|[A-Z](?:[a-z]{{0,2}}[A-Z])+)"
)
_ES_DAY_MONTH = r"(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-]"
# A date of birth with its year after a full name: "Diego Arriaga, 22/07/1995".
ES_NAME_THEN_BIRTH_DATE = re.compile(
    rf"({NAME_ES}),?\s+(?:(?i:nacid[oa] el|del|el)\s+)?"
    # Born since 1940: a member or someone they know, not "García Márquez, 06/03/1927".
    rf"{_ES_DAY_MONTH}(?:19[4-9]\d|20[0-2]\d)\b"
)
# A date of birth in full, after "nací el" / "nació el": the day and the year tell a lot.
ES_BIRTH_DATE = re.compile(
    r"\b(?i:nac[ií] el|naci[oó] el|nacid[oa] el|fecha de nacimiento:?)\s+"
    rf"{_ES_DAY_MONTH}(?:19|20)\d\d\b"
)
# One's own channel, podcast or blog by its name: "tengo un podcast en spotify que se llama
# 'Ansiedad con Pan Dulce'", "mi canal se llama Noches de Tinta". Not a favourite one.
ES_OWN_CHANNEL = re.compile(
    r"\b(?i:tengo un|tengo una|hago un|llevo un|mi|nuestro|nuestra)\s+"
    # (Not "cuenta": "una cuenta que se llama Ahorro Programado" is at a bank.)
    r"(?i:canal|podcast|blog|fanzine|newsletter|p[aá]gina|emprendimiento|tiendita|tienda)\b(?![^.!?\n]{0,30}?\b(?i:favorit[oa]s?|preferid[oa]s?|que (?:escucho|sigo|veo|leo)))"
    r"[^.!?\n]{0,40}?\b(?i:se llama|llamad[oa]|que es|:)\s*"
    rf"({_OPENING_QUOTE}[^\n'\"»”’]{{3,60}}{_CLOSING_QUOTE}|{CAPITALISED_ES}(?:\s+(?:(?i:de|del|con|y|en|la|el|los|las|sin)\s+)?{CAPITALISED_ES})*)"
)
# A site of one's own: "mi portfolio es www.danielacorreaphoto.com".
ES_OWN_SITE = re.compile(
    r"\b(?i:mi|nuestra|nuestro)\s+(?i:portfolio|portafolio|p[aá]gina|web|sitio|blog|tienda|"
    r"negocio|emprendimiento|consulta)\b(?!\s+(?i:favorit[oa]|preferid[oa]))[^\n]{0,50}?"
    r"((?:https?://)?(?:www\.)?(?!(?i:wikipedia|youtube|google|facebook|instagram|gob|gov)\.)"
    r"[\w-]{4,}\.(?i:com|es|mx|ar|co|cl|pe|net|org|me|io|uy|ec|ve|bo|py|cr|gt|hn|sv|do|pr|site|"
    r"online|studio|art)(?:\.[a-z]{2})?(?:/\S*)?)(?![\w.])"
)
# A handle that changed or is the one now: "el de discord ahora es elmanco_69".
ES_HANDLE_NOW = re.compile(
    rf"\b(?i:{_ES_SITES})\b\s+(?i:ahora|ya|todav[ií]a|a[uú]n|sigue siendo|nuevo)\s+(?i:es\s+)?:?\s*"
    rf"({_ES_HANDLE})"
)
# A user name with an underscore, near the site or the channel it names: "tengo un canal de
# telegram, noches_sin_dormir_mx". (Pseudonyms here have no underscores in prose.)
ES_UNDERSCORED_NEAR_SITE = re.compile(
    rf"\b(?i:{_ES_SITES}|canal|server|servidor|grupo|usuario|nick|cuenta|perfil)\b"
    # Not a file's name: "mandaron informe_final.pdf".
    r"[^.!?\n]{0,30}?(?<![\w@.])([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+)(?![\w@]|\.\w)"
)
# Directions from a landmark with the distance in words: "del semáforo de la Rotonda dos
# cuadras al lago" (Nicaragua), "de la iglesia cien varas al sur".
ES_DIRECTIONS_IN_WORDS = re.compile(
    # (Not a distance between two places: "de la casa de mi madre a la mía son tres cuadras".)
    r"\b(?i:del|de la|de donde|desde el|desde la)\s+"
    r"(?:(?!\b(?i:son|hay|est[aá]n?|queda|quedan|camin\w*|a la m[ií]a|a mi casa|hasta)\b)[^.!?\n])"
    r"{3,60}?\b"
    r"(?i:una|media|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|cien|doscientas?|"
    r"trescientas?|cincuenta)\s+(?i:cuadras?|varas|metros|manzanas?)\s+(?i:al|hacia el|para el|"
    r"para)\s+(?i:norte|sur|este|oeste|lago|arriba|abajo|oriente|poniente|monta[ñn]a|mar)\b"
)
# A workplace of a named employer in a named town: "trabajo en el call center de Teleperformance
# de Rionegro", "estoy de becario en la oficina de Deloitte en Bilbao".
ES_EMPLOYER_IN_TOWN = re.compile(
    # (Not "estoy en la oficina de Migraciones de Lima": a visitor, not who works there.)
    r"\b(?i:trabajo|trabaja|curro|laburo|chambeo|hago (?:las\s+)?pr[aá]cticas|"
    r"estoy de \w+|soy \w+)\s+(?i:en|para)\s+(?i:el|la)\s+"
    r"(?i:call ?center|planta|oficina|sucursal|f[aá]brica|almac[eé]n|bodega|maquila(?:dora)?|"
    r"centro de distribuci[oó]n|cedis|sede|mina|uci|estaci[oó]n|obra)\s+(?i:de|del)\s+"
    rf"(?:{CAPITALISED_ES}|[A-Z][\w&]*[A-Z][\w&]*)(?:\s+{CAPITALISED_ES})?\s+(?i:de|en)\s+"
    rf"(?:(?i:la|el)\s+)?{CAPITALISED_ES}"
)
# A named workplace and the shift or line one works: "soy guardia en la estación Baquedano del
# metro, turno tarde", "en la planta de Bimbo en Toluca, línea 2, turno nocturno".
ES_WORKPLACE_SHIFT = re.compile(
    r"\b(?i:en|de)\s+(?i:el|la)\s+(?i:estaci[oó]n|planta|sucursal|tienda|oficina|hospital|"
    r"cl[ií]nica|f[aá]brica|almac[eé]n|call ?center|uci)\s+(?:(?i:de|del)\s+)?"
    rf"(?:{CAPITALISED_ES}|[A-Z]{{2,}})[^.!?\n]{{0,30}}?\b(?i:turno|l[ií]nea|m[oó]dulo|caja)\s+"
    r"(?:\d{1,2}\b|(?i:ma[ñn]ana|tarde|noche|nocturno|matutino|vespertino)\b)"
)
# A named school or university and what narrows it to a few students: the group or campus, with
# the year or the degree. "estudio tercero de Psicología en la Complu, campus de Somosaguas,
# grupo B", "estoy en la PUCP, facultad de Letras, ciclo 4". "Estudio medicina en la UNAM" or
# "segundo año de derecho en la UBA" alone is thousands of people, and is left alone.
ES_STUDY_CUE = re.compile(
    r"\b(?i:estudio|estudia|estudiamos|estoy en|est[aá] en|voy en|va en|voy a|va a|vas a|"
    r"soy del|soy de la|curso|cursa|cursando|entr[eé] a)\b"
)
_ES_ACRONYM = r"[A-Z](?:[a-z]{0,2}[A-Z])+[a-z]?"
ES_NAMED_SCHOOL = re.compile(
    r"\b(?i:en|de|del|a|al)\s+(?:(?i:la|el)\s+)?(?:"
    r"(?i:universidad|facultad|colegio|instituto|escuela|liceo|prepa|preparatoria|secundaria|"
    r"cbtis|cetis|conalep|cecyt|cch|fes|ies)\s+(?:(?i:de|del|de la)\s+)?"
    rf"(?:{CAPITALISED_ES}|[A-Z]{{2,}}|\d{{1,3}}\b)"
    rf"|({_ES_ACRONYM})\b"
    r"|(?i:complu|tec|poli|uni\s+de\s+[A-ZÁÉÍÓÚ]\w+)\b"
    rf"|{CAPITALISED_ES}(?:\s+{CAPITALISED_ES})*\s+(?:Senior\s+|Junior\s+)?"
    r"(?:High|School|Academy|College)\b)"
)
# Acronyms that are diagnoses, documents or services, not schools.
ES_NOT_SCHOOLS = {
    "TDAH", "TOC", "TLP", "TCA", "TEPT", "TAG", "TEA", "ISRS", "IMSS", "DNI", "NIE", "CURP",
    "RFC", "RUT", "EPS", "ISSSTE", "SUS", "ONG", "EEUU", "USA", "UCI", "PDF", "IA", "TV",
}  # fmt: skip
ES_STUDY_DETAILS = {
    "year": re.compile(
        rf"(?<![\w/]){_ES_GRADE}\s*(?i:semestre|a[ñn]o|ciclo|cuatrimestre|curso|grado|trimestre)\b"
        r"|\b(?i:semestre|ciclo|cuatrimestre)\s+\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)\s+grade\b"
        r"|\b(?i:primero|segundo|tercero|cuarto|quinto|sexto)\s+(?i:de)\s+[A-ZÁÉÍÓÚ]"
        r"|\b(?i:me grad[uú]o|me recibo|egreso)\b"
    ),
    "group": re.compile(
        r"\b(?i:grupo|secci[oó]n|comisi[oó]n|paralelo|sal[oó]n|homeroom|aula)\s+(?:(?i:de)\s+)?\w"
    ),
    "campus": re.compile(r"\b(?i:campus|sede|plantel|facultad|filial|recinto|fes)\b"),
    "degree": re.compile(
        r"\b(?i:psicolog[ií]a|medicina|enfermer[ií]a|ingenier[ií]a|derecho|letras|arquitectura|"
        r"administraci[oó]n|contadur[ií]a|contabilidad|econom[ií]a|comunicaci[oó]n|periodismo|"
        r"odontolog[ií]a|farmacia|biolog[ií]a|qu[ií]mica|f[ií]sica|matem[aá]ticas|filosof[ií]a|"
        r"historia|sociolog[ií]a|trabajo social|educaci[oó]n|pedagog[ií]a|magisterio|nutrici[oó]n|"
        r"veterinaria|dise[ñn]o|inform[aá]tica|sistemas|turismo|marketing|mercadotecnia)\b"
        r"|\b(?:LAE|ADE|LCP|IQ|ISC)\b"
    ),
}


def _study_details(text: str) -> list[str]:
    found = []
    for sentence in re.split(r"[.!?\n]", text):
        if not ES_STUDY_CUE.search(sentence):
            continue
        details = {k for k, pattern in ES_STUDY_DETAILS.items() if pattern.search(sentence)}
        if len(details) < 3 and not (len(details) == 2 and details & {"group", "campus"}):
            continue
        for school in ES_NAMED_SCHOOL.finditer(sentence):
            if not (school.group(1) and school.group(1) in ES_NOT_SCHOOLS):
                found.append(school.group())
                break
    return found


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni_valid(number: str, letter: str) -> bool:
    return _DNI_LETTERS[int(number) % 23] == letter.upper()


def _rut_valid(number: str, check: str) -> bool:
    total, factor = 0, 2
    for digit in reversed(number):
        total += int(digit) * factor
        factor = 2 if factor == 7 else factor + 1
    expected = 11 - total % 11
    return {11: "0", 10: "K"}.get(expected, str(expected)) == check.upper()


def _spanish_ids(text: str) -> list[str]:
    found = []
    for match in ES_ID_WITH_KEYWORD.finditer(text):
        value = match.group(1).strip(" .-/")
        digits = re.sub(r"\D", "", value)
        size = len(re.sub(r"\W", "", value))
        # Number plates are short and mostly letters: "patente KJXT-45", "placa ABC-12D".
        plate = re.match(r"(?i:placas?|patente|tablilla|matr[ií]cula)", match.group())
        fewest_digits = 2 if plate and re.search(r"[A-Z]", value) else 3
        if len(digits) < fewest_digits or not 6 <= size <= 26 or digits in CRISIS_LINE_DIGITS:
            continue
        if TIME_OR_DATE.match(value) or _ES_AMOUNT_AFTER.match(text[match.end(1) :]):
            continue
        found.append(value)
    for match in ES_DNI.finditer(text):
        # A mistyped DNI is still one when the sentence says so: "el DNI ... se lo di, 48392017K".
        # The pattern is bounded (an ID word, then at most 80 characters), so the last 130
        # characters give the same answer as the whole prefix, whose search per number took
        # seconds on a long post full of numbers (_ends_with is for unbounded patterns).
        named = ES_ID_KEYWORD_BEFORE.search(text[max(0, match.start() - 130) : match.start()])
        if named or _dni_valid(match.group(1).replace(".", ""), match.group(2)):
            found.append(match.group())
    for match in ES_NIE.finditer(text):
        number = str("XYZ".index(match.group(1))) + match.group(2)
        if _dni_valid(number, match.group(3)):
            found.append(match.group())
    found += [match.group() for match in ES_CURP.finditer(text)]
    found += [match.group() for match in ES_RFC.finditer(text)]
    for match in CL_RUT.finditer(text):
        if _rut_valid(match.group(1).replace(".", ""), match.group(2)):
            found.append(match.group())
    found += [match.group() for match in VE_CEDULA.finditer(text)]
    found += [match.group() for match in STAFF_NUMBER.finditer(text)]
    found += [match.group(1) for match in AR_PAYMENT_ALIAS.finditer(text)]
    for match in ES_VEHICLE_PLATE.finditer(text):
        # "el IVA 2024", "la FIA 2024", "ISRS 100 mg": a year or an amount, not a plate.
        digits = re.sub(r"\D", "", match.group(1))
        after = text[match.end(1) :]
        if re.fullmatch(r"(?:19|20)\d\d", digits) or _ES_AMOUNT_AFTER.match(after):
            continue
        if re.match(r"\s*(?i:mg|mcg|ml|g|kg|km|%)(?!\w)", after):
            continue
        found.append(match.group(1))
    for match in CARD_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # Four groups of four is a card's shape on its own; other groupings must pass Luhn.
        if re.fullmatch(r"\d{4}(?:[ -]\d{4}){3}", match.group()) or _luhn_valid(digits):
            found.append(match.group())
    return found


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _spoken_digit_count(words: str) -> int:
    count = 0
    for word in re.findall(_ES_NUMBER_WORD, words, re.IGNORECASE):
        one = re.fullmatch(f"{_ES_UNIT}|{_ES_HUNDREDS}", word, re.IGNORECASE)
        count += 1 if one else 2
    return count


def _names_before(text: str, cue: re.Pattern) -> list[str]:
    """Full names ending within 30 characters before each match of a cue."""
    names = []
    for match in cue.finditer(text):
        window = text[max(0, match.start() - 100) : match.start()]
        before = ES_NAME_BEFORE_CUE.search(window)
        names.append(before.group(1) if before else "")
    return names


def _ends_with(pattern: re.Pattern, text: str, end: int) -> bool:
    """pattern.search(text[:end]) for the "...$" patterns, without rescanning the whole prefix.

    Their words take under 100 characters, so a match longer than the last 200 characters would
    need over 100 of them to be spaces: only then is the whole prefix searched. Same answer.
    """
    window = text[max(0, end - 200) : end]
    if end > 200 and sum(c.isspace() for c in window) > 100:
        return bool(pattern.search(text[:end]))
    return bool(pattern.search(window))


def _mixed_digit_count(tokens: str) -> int:
    """Digits in "612 345 seis siete ocho" or "939 two one four": each typed digit, plus the
    number words' digits."""
    words = re.sub(r"\d", " ", tokens)
    english = len(re.findall(rf"\b(?:{_EN_DIGIT_WORD})\b", words, re.IGNORECASE))
    return len(re.sub(r"\D", "", tokens)) + _spoken_digit_count(words) + english


def _marked_handle(handle: str) -> bool:
    """A user name, not a word: letters, and an @, a digit, a dot, an underscore or a #tag."""
    name = handle.strip("@")
    if len(name) < 3 or name.lower() in ES_NOT_NAMES or not any(c.isalpha() for c in name):
        return False
    mixed_case = re.search(r"[a-z][A-Z]", name) is not None
    return handle.startswith("@") or mixed_case or any(c.isdigit() or c in "._#-" for c in name)


def _is_amount(text: str, start: int, end: int) -> bool:
    """Prices and counts in Spanish: "1.250.000 pesos", "$ 3.500.000", "1.250.000 habitantes"."""
    candidate = text[start:end].strip()
    if _ES_AMOUNT_AFTER.match(text[end:]) or _ends_with(_ES_AMOUNT_BEFORE, text, start):
        return True
    # Dots between thousands ("1.250.000"): a number, unless shaped like a Spanish phone.
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", candidate):
        return not re.fullmatch(r"[6-9]\d{2}\.\d{3}\.\d{3}", candidate)
    return False


def _looks_like_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if not 7 <= len(digits) <= 15:
        return False
    if digits in CRISIS_LINE_DIGITS or TIME_OR_DATE.match(candidate.strip()):
        return False
    # A crisis line and the start of its hours: "717 003 717 (24 horas, todos los días)".
    line, _, hours = candidate.partition(" (")
    if re.sub(r"\D", "", line) in CRISIS_LINE_DIGITS and len(re.sub(r"\D", "", hours)) <= 2:
        return False
    # "2019-2023", "1,000,000", "3.14159": ranges and numbers, not phone numbers. Only years
    # make a range: "7012-3456" is a phone number in El Salvador.
    if re.fullmatch(r"(?:1[89]|20)\d{2}\s*[-–]\s*(?:1[89]|20)\d{2}", candidate.strip()):
        return False
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", candidate.strip()):
        return False
    return not re.fullmatch(r"\d+\.\d+", candidate.strip())


def _person_name(name: str, stop: set[str]) -> str:
    """The name without sentence openers in front ("Hoy Marta Gil" is "Marta Gil"), or "" when
    fewer than two name words are left, one word belongs to a place or a body ("San Pedro
    Sula", "Hospital Clínico Universitario"), or no word looks Spanish ("Good Will Hunting")."""
    words = re.split(r"\s+", name.strip())
    if any(word.lower() in ES_NOT_PERSON_WORDS for word in words):
        return ""
    while words and words[0].lower() in stop:
        words = words[1:]
    capitalised = [word for word in words if word[:1].isupper()]
    if len({word.lower() for word in capitalised}) < 2 or words[-1].lower() in stop:
        return ""  # "Promo Promo Promo" is not a name
    spanish = any(
        _plain(word) in ES_GIVEN_NAMES
        or _plain(word) in ES_SURNAMES
        or _PATRONYMIC.fullmatch(_plain(word))
        or re.search("[áéíóúñ]", word.lower())
        for word in capitalised
    )
    return " ".join(words) if spanish else ""


def _phones(text: str) -> list[str]:
    found = []
    for match in PHONE.finditer(text):
        if not _looks_like_phone(match.group()):
            continue
        if _ends_with(REFERENCE_WORDS, text, match.start()):
            continue
        if _ends_with(ES_REFERENCE_WORDS, text, match.start()):
            continue
        if _is_amount(text, match.start(), match.end()):
            continue
        if re.sub(r"\D", "", match.group()) in ES_HELPLINE_DIGITS:
            continue
        found.append(match.group())
    return found


# Digits dressed up to slip past a filter: keycap emoji ("6️⃣1️⃣2️⃣"), letters for digits ("8O2O-1I34",
# "3OO 4I2", "6S4 2B1 903"), slashes between groups ("55/2918/4470").
_DISGUISED_GROUP = re.compile(r"(?<![^\W\d_])[\dOoIlSB]*\d[\dOoIlSB]*(?![^\W\d_])")
_SLASHED_GROUPS = re.compile(r"(?<![\d/])(\d{2,4})/(\d{3,4})/(\d{3,4})(?![\d/])")


def _undisguised_digits(text: str) -> str:
    plain = text.replace("\ufe0f", "").replace("\u20e3", "")
    plain = _DISGUISED_GROUP.sub(lambda m: m.group().translate(_LOOKALIKE_DIGITS), plain)
    return _SLASHED_GROUPS.sub(r"\1-\2-\3", plain)


_LOOKALIKE_DIGITS = str.maketrans("OoIlSB", "001158")
# A phone number given in pieces around words: "empieza por 644 y luego sigue 21 88 09",
# "termina en 4471 y arranca con 311 809". Only near a word for a phone, and only when the
# pieces add up to a phone's length.
ES_PHONE_CUE = re.compile(
    r"\b(?i:cel|celu|celular|m[oó]vil|tel[eé]fono|tel|whats(?:app)?|wsp|wpp|fijo|prefijo|"
    r"mi n[uú]mero|el n[uú]mero|n[uú]mero de (?:cel|tel[eé]fono|m[oó]vil|whats))\b"
)
_PHONE_PIECE = re.compile(
    r"(?<![\d:/%$€])(?<!\d[.,])\d{2,4}(?![\d:/%]|[.,]\d|\s*(?i:€|\$|euros?|pesos|soles|d[oó]lares|mg|ml|"
    r"a[ñn]os|horas?|h\b|min|minutos|d[ií]as|veces|kg|km|cm|metros|%))"
)


def _is_help_line(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return digits in CRISIS_LINE_DIGITS or digits in ES_HELPLINE_DIGITS


def _split_phones(text: str) -> list[str]:
    found = []
    for cue in ES_PHONE_CUE.finditer(text):
        window = text[max(0, cue.start() - 60) : cue.end() + 80].split("\n")
        around = next(part for part in window if cue.group() in part) if window else ""
        # Help lines and short codes ("0800 0767 o *0767") are not pieces of anyone's number.
        around = PHONE.sub(lambda m: " " if _is_help_line(m.group()) else m.group(), around)
        around = re.sub(r"[*#]\d+", " ", around)
        pieces = _PHONE_PIECE.findall(around)
        spoken = sum(_spoken_digit_count(m.group()) for m in ES_SPOKEN_PHONE.finditer(around))
        digits = "".join(pieces)
        if len(pieces) >= 2 and 8 <= len(digits) + spoken <= 13 and not _is_help_line(digits):
            found.append(" ".join(pieces))
    return found


def find_personal_data(text: str, languages: tuple[str, ...] = ("en", "es")) -> list[Finding]:
    """languages: what the text is written in (see language.detect_languages); the rules for
    Spanish names, which would misread English capitalised phrases, run only where "es" is."""
    findings: list[Finding] = []
    seen: set[str] = set()

    def add(kind: str, value: str) -> None:
        value = value.strip(" .,;:()[]")
        if value and value.lower() not in seen:
            seen.add(value.lower())
            findings.append(Finding(kind, value))

    for match in EMAIL.finditer(text):
        add("email", match.group())
    for match in SPACED_LETTERS.finditer(text):
        joined = re.sub(r"\s+", "", match.group())
        if EMAIL.fullmatch(joined):
            add("email", match.group())
    for match in OBFUSCATED_EMAIL.finditer(text):
        add("email", match.group())
    for match in PROFILE_URL.finditer(text):
        add("handle", match.group())
    for match in PERSONAL_SITE.finditer(text):
        add("handle", match.group())
    for match in ES_OBFUSCATED_EMAIL.finditer(text):
        if not any(
            match.group().lower() in found or found in match.group().lower() for found in seen
        ):
            add("email", match.group())
    # Spanish ID numbers first: "mi dni es 30.123.456" is an ID, not a phone number.
    for value in _spanish_ids(text):
        add("id_number", value)
    for phone in _phones(text):
        add("phone", phone)
    disguised = _undisguised_digits(text)
    if disguised != text:
        for phone in _phones(disguised):
            add("phone", phone)
    for phone in _split_phones(text):
        if not any(re.sub(r"\D", "", phone) in re.sub(r"\D", "", found) for found in seen):
            add("phone", phone)
    for match in SPOKEN_PHONE.finditer(text):
        add("phone", match.group())
    for match in ES_SPOKEN_PHONE.finditer(text):
        if _spoken_digit_count(match.group()) >= 7:
            add("phone", match.group())
    for match in ES_MIXED_PHONE.finditer(text):
        has_digit = re.search(r"\d", match.group())
        has_word = re.search(r"[^\W\d_]", match.group())
        if has_digit and has_word and _mixed_digit_count(match.group()) >= 8:
            add("phone", match.group())
    for match in ADDRESS.finditer(text):
        add("address", match.group())
    for match in POSTCODE.finditer(text):
        add("address", match.group())
    for match in ES_ADDRESS.finditer(text):
        add("address", match.group())
    for match in ES_POSTCODE.finditer(text):
        add("address", match.group())
    for pattern in (
        ES_UNITS,
        ES_BARE_STREET,
        ES_HOUSE_OF_STREET,
        ES_CROSS_STREETS,
        ES_PO_BOX,
        ES_POSTCODE_TOWN,
        ES_STREET_BETWEEN,
        ES_NUMBER_BETWEEN,
        AR_STREET_AT,
        EC_ADDRESS,
        CU_ADDRESS,
        GT_ADDRESS,
        ES_DIRECTIONS,
        ES_DIRECTIONS_IN_WORDS,
        ES_HOUSE_BY_LANDMARK,
        MAP_LOCATION,
        ES_RURAL_PLACE,
        ES_CORNER,
        ES_STREET_THEN_UNIT,
        ES_HOME_POSTCODE,
    ):
        for match in pattern.finditer(text):
            if not any(match.group().lower() in found for found in seen):
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
    es_handles = [*ES_HANDLE_WITH_SITE.finditer(text), *ES_HANDLE_NEAR_SITE.finditer(text)]
    for match in es_handles:
        handle = match.group(1)
        if handle.lower() in ES_NOT_NAMES or handle.isdigit() or len(handle.strip("@")) < 3:
            continue
        if any(handle.strip("@.").lower() in found for found in seen):
            continue
        if _marked_handle(handle):
            add("handle", handle)
    for match in ES_SPELLED_HANDLE.finditer(text):
        add("handle", match.group(1))
    for pattern in (
        ES_HANDLE_VERB,
        ES_HANDLE_THEN_SITE,
        ES_HANDLE_NEW_SITE,
        ES_SITE_THEN_HANDLE,
        ES_OWN_HANDLE,
        ES_HANDLE_THEN_HOW,
        ES_VERB_SITE_HANDLE,
        ES_HANDLE_ON_SITE,
        ES_HANDLE_NOW,
        ES_UNDERSCORED_NEAR_SITE,
        DOTTED_HANDLE,
        PAYMENT_HANDLE,
        ES_MAIL_USER,
    ):
        for match in pattern.finditer(text):
            handle = match.group(1)
            if _marked_handle(handle) and not any(handle.strip("@").lower() in f for f in seen):
                add("handle", handle)
    for pattern in (ES_PROVIDER_USER, ES_USER_AT_PROVIDER, ES_USER_AT_PROVIDER_SPELT):
        for match in pattern.finditer(text):
            user = match.group(1)
            if any(user.lower() in found for found in seen):
                continue  # part of an address already found
            if pattern is not ES_PROVIDER_USER or _marked_handle(user):
                add("email", match.group())
    for pattern in (FULL_NAME_WITH_PLACE, MY_FULL_NAME, TITLED_NAME):
        for match in pattern.finditer(text):
            words = match.group(1).split()
            if any(
                word.lower() in NOT_NAMES or word.lower() in COMMON_CAPITALISED for word in words
            ):
                continue
            add("name", match.group(1))
    for pattern in (ES_NAME, ES_TITLED_NAME, ES_MY_FULL_NAME):
        for match in pattern.finditer(text):
            words = re.split(r"\s+", match.group(1))
            if any(
                word.lower() in ES_NOT_NAMES or word.lower() in NOT_NAMES
                for word in words[:1] + words[-1:]
            ):
                continue
            if any(match.group(1).lower() in found for found in seen):
                continue
            if _ends_with(ES_WORK_OF, text, match.start(1)):
                continue  # a podcast's or a book's title: "mi podcast favorito se llama …"
            add("name", match.group(1))
    named = [match.group(1) for match in ES_PROFILE_NAME.finditer(text)]
    named += [match.group(1) for match in ES_ROLE_NAME.finditer(text)]
    for match in ES_NICKNAME_SURNAME.finditer(text):
        surname = match.group(1)
        # "la nena Sofía" is a child's first name, not a nickname and a surname.
        if _is_surname(surname) or (
            _plain(surname) not in ES_GIVEN_NAMES
            and surname.lower() not in ES_NOT_NAMES | ES_NOT_PERSON_WORDS | ES_SENTENCE_STARTS
        ):
            add("name", match.group())
    named += _names_before(text, ES_PLACE_CUE) + _names_before(text, ES_BIRTH_CUE)
    stop = ES_NOT_NAMES | NOT_NAMES | COMMON_CAPITALISED | ES_SENTENCE_STARTS
    for name in filter(None, named):
        words = re.split(r"\s+", name.lower())
        if any(word in stop or "'" in word or "’" in word for word in words[:1] + words[-1:]):
            continue
        if any(name.lower() in found or found in name.lower() for found in seen):
            continue  # the same name, already found by another rule
        add("name", name)
    for match in ES_ROLE_AT_INSTITUTION.finditer(text):
        add("name", match.group())
    for match in ES_JOB_AT_PLACE.finditer(text):
        last = _plain(match.group().split()[-1])
        if last in ES_SCHOOL_SUBJECTS or "haven" in match.group().lower():
            continue  # "es el profesor de Historia": a subject, not a place
        if not any(match.group().lower() in found for found in seen):
            add("name", match.group())
    for pattern in (
        ES_CLASS_AT_SCHOOL,
        ES_SCHOOL_THEN_CLASS,
        ES_BRANCH_AT_STREET,
        ES_CHAIN_BRANCH,
        ES_EMPLOYER_IN_TOWN,
        ES_WORKPLACE_SHIFT,
    ):
        for match in pattern.finditer(text):
            if not any(match.group().lower() in found for found in seen):
                add("name", match.group())
    for school in _study_details(text):
        if not any(school.lower() in found for found in seen):
            add("name", school)
    for match in ES_NAME_THEN_BIRTH_DATE.finditer(text):
        add("name", match.group())
    for match in ES_BIRTH_DATE.finditer(text):
        add("id_number", match.group())
    for match in ES_RECORD_NUMBER.finditer(text):
        number = match.group(1)
        # The sentence around it, read no further than 200 characters either way.
        before = text[max(0, match.start() - 200) : match.start()]
        sentence = re.split(r"[.!?\n]", before)[-1] + match.group()
        sentence += re.split(r"[.!?\n]", text[match.end() : match.end() + 200])[0]
        if len(re.sub(r"\D", "", number)) >= 5 and ES_RECORD_KEEPER.search(sentence):
            add("id_number", match.group())
    for match in ES_OWN_CHANNEL.finditer(text):
        add("handle", match.group(1))
    for match in ES_OWN_SITE.finditer(text):
        add("handle", match.group(1))
    for match in ES_CALLED_LOWER.finditer(text):
        name_words = []
        for word in match.group(1).split():
            if word.lower() in ES_ORDINARY_WORDS:
                break
            name_words.append(word)
        if len(name_words) >= 2 and not any(" ".join(name_words).lower() in f for f in seen):
            add("name", " ".join(name_words))
    if "es" in languages:
        for name in _spanish_full_names(text):
            if not any(name.lower() in f or f in name.lower() for f in seen):
                add("name", name)
        for pattern in (ES_THREE_NAMES, ES_NAME_THEN_PLACE):
            for match in pattern.finditer(text):
                if _ends_with(ES_WORK_OF, text, match.start()):
                    continue  # an author, not someone here: "el libro de Marian Rojas Estapé"
                name = _person_name(match.group(1), stop)
                if name and not any(name.lower() in f or f in name.lower() for f in seen):
                    add("name", name)
    for match in ID_NUMBER.finditer(text):
        add("id_number", match.group())
    return findings
