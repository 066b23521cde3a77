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
_ES_AT = r"(?:\(arroba\)|\[arroba\]|\{arroba\}|\barroba\b|\s@\s|@\s|\s@)"
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
_ES_NUMBER_WORD = rf"(?:(?:{_ES_TENS})(?:\s+y\s+(?:{_ES_UNIT}))?|{_ES_TEEN}|{_ES_UNIT})"
ES_SPOKEN_PHONE = re.compile(
    rf"\b{_ES_NUMBER_WORD}(?:[\s,.-]+{_ES_NUMBER_WORD}){{2,}}\b", re.IGNORECASE
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
_ES_HOUSE = rf"(?:,\s*|\s+)(?:n[º°o]\.?\s*|n[uú]m\.?\s*|n[uú]mero\s*|#\s*)?\d{{1,5}}[A-Za-z]?(?:\s*bis)?\b{_ES_NOT_HOUSE}"
# A street word ends there ("calle", not "called"), unless it ends in "." or "/" ("C/Alcalá").
_ES_TYPE_END = r"(?:(?<=[./])|(?![^\W\d_]))"
ES_ADDRESS = re.compile(
    # "Calle Mayor 12, 3ºB", "C/ Alcalá 45", "Av. Insurgentes Sur 1234", "Paseo de Gracia 92".
    rf"(?<![\w/])(?i:{_ES_STREET_TYPES}){_ES_TYPE_END}\s*(?:(?:{_PARTICLE}|el|la|los|las)\s+)?"
    rf"(?:\d{{1,2}}\s+de\s+)?{CAPITALISED_ES}"
    rf"(?:\s+(?:(?:{_PARTICLE}|el|la|los|las)\s+)?(?:{CAPITALISED_ES}|[IVX]+\b))*"
    rf"{_ES_HOUSE}{_ES_FLOOR}(?:,?\s*(?i:col\.|colonia)\s+{CAPITALISED_ES}(?:\s+{CAPITALISED_ES}){{0,2}})?"
    # "calle mayor 12, 3ºB" typed in lower case: only with a comma, floor or end after the number.
    rf"|(?<![\w/])(?i:calle|c/|avenida|av\.|avda\.?){_ES_TYPE_END}\s*(?:[a-záéíóúñü]+\s+){{1,3}}?\d{{1,5}}"
    rf"(?=\s*(?:$|[,.;)\n]|\d{{1,2}}\s*[º°ª]|piso\b|depto\b|dpto\b|apto\b|int\b|bajo\b))"
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
    r"(?i:pedido|referencia|ref|seguimiento|factura|env[ií]o|ticket|expediente|localizador|"
    r"reserva|cuenta|paquete|albar[aá]n|n[uú]mero de (?:pedido|seguimiento|referencia|serie|"
    r"factura|cliente|socio|expediente|historia cl[ií]nica|paciente|afiliado)|historia cl[ií]nica|n[º°]|c[oó]digo(?: de (?:descuento|barras|pedido))?)"
    r"\s*(?:n[uú]mero|n[º°o]\.?|#|nro\.?|id)?\s*:?\s*(?:es\s+)?(?:el\s+)?$"
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
    r"twitch|tumblr|threads|bluesky|wechat|whats|whatsapp|usuario|cuenta)\b"
    r"(?:\s+(?:privad[oa]|personal|nuev[oa]|de \w+|secundari[oa]))*"
    r"(?:\s+(?:es|era)\b\s*:?|\s*:)\s*(@?[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*(?:#\d{4})?)",
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
    rf"\b(?:Dr|Dra|Sr|Sra|Srta|Lic|Licda|Ing|Profa?)\.?\s+({CAPITALISED_ES}\s+{CAPITALISED_ES})"
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
    r"\brfc\b|\bpasaporte\b|\bmatr[ií]cula\b|\bplaca\b|\bpatente\b|\bseguridad social\b|\bnss\b|"
    r"\bdocumento(?: de identidad| nacional de identidad)?\b|\bcuil\b|\bcuit\b|\bine\b|\bipc\b|"
    # Venezuelan "C.I.", Peruvian RUC, bank details (CLABE, CBU/CVU, IBAN, account, card).
    r"\bc\.\s?i\.|\bci\b|\bruc\b|\bclabe\b|\bcbu\b|\bcvu\b|\biban\b|\bafiliad[oa]\b|"
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
    }
)
_ES_SITES = (
    r"instagram|insta|ig|snapchat|snap|tiktok|twitter|x|facebook|face|fb|discord|telegram|"
    r"whats|whatsapp|wa|kik|twitch|tumblr|threads|bluesky|skype|linkedin|youtube|yt"
)
_ES_HANDLE = r"@?[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*(?:#\d{4})?"
# "búscame como dani.sevilla en insta", "agrégame al discord, soy fercho.dev".
ES_HANDLE_VERB = re.compile(
    r"\b(?i:b[uú]scame|agr[eé]game|a[ñn][aá]deme|s[ií]gueme|encu[eé]ntrame|me encuentras|"
    r"escr[ií]beme|escrib[ií]me|h[aá]blame)\b[^.!?\n]{0,30}?"
    rf"(?:\b(?i:como|soy|es)\b|:)\s*({_ES_HANDLE})"
)
# "dm a @santi_rosario en ig": an @handle followed by the site it lives on.
ES_HANDLE_THEN_SITE = re.compile(
    rf"(@[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s+(?i:en|de|por)\s+(?i:el\s+|mi\s+)?(?i:{_ES_SITES})\b"
)
# "mi skype es felipe.alarcon.cl": sites not in the older list.
ES_HANDLE_NEW_SITE = re.compile(
    rf"\b(?i:skype|linkedin|yt|youtube|wa)\b(?:\s+(?i:es|era)\b\s*:?|\s*:)\s*({_ES_HANDLE})"
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
# Digits and number words mixed: "612 345 seis siete ocho", "55 trece 45 67 89".
_ES_PHONE_TOKEN = rf"(?:\d{{1,4}}|\b{_ES_NUMBER_WORD}\b)"
ES_MIXED_PHONE = re.compile(
    rf"(?<![\w.,/:]){_ES_PHONE_TOKEN}(?:[\s,.-]+{_ES_PHONE_TOKEN}){{2,11}}(?![\w/:])",
    re.IGNORECASE,
)
_ES_BUILDING_PART = (
    r"mz|manzana|lt|lote|casa|bloque|blq|escalera|esc|portal|torre|edificio|edif|depto|dpto|"
    r"apto|apartamento|int|interior|piso|calle|puerta|pta|sector|etapa"
)
_ES_UNIT_NUMBER = rf"(?i:{_ES_BUILDING_PART})\.?\s*(?:\d{{1,4}}[A-Za-z]?|[A-Z])\b"
ES_UNITS = re.compile(
    # Two building parts in a row: "Mz 4 Lt 12", "bloque 4, escalera 2", "calle 3, casa 15".
    rf"(?<![\w/]){_ES_UNIT_NUMBER}(?:\s*,\s*|\s+){_ES_UNIT_NUMBER}"
    # A named building or estate, then its part: "Edif. Parque Cristal, piso 8".
    r"|(?<![\w/])(?i:edificio|edif\.?|torre|residencial|conjunto|urbanizaci[oó]n|urb\.?)\s+"
    rf"{CAPITALISED_ES}(?:\s+{CAPITALISED_ES}){{0,3}},?\s*{_ES_UNIT_NUMBER}"
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
# "apartado de correos 1234", "casilla de correo 55": a post-office box.
ES_PO_BOX = re.compile(
    r"\b(?i:apartado (?:de correos|postal)|apdo\.? (?:de correos|postal)|"
    r"casilla (?:de correos?|postal))"
    r"\s*(?:n[º°]\.?\s*)?\d{1,6}\b"
)
# A Spanish postal code then its town after a comma: ", 46080 Valencia".
ES_POSTCODE_TOWN = re.compile(rf",\s*(?:0[1-9]|[1-4]\d|5[0-2])\d{{3}}\s+{CAPITALISED_ES}")
# A role at a named school or workplace, which points at one person: "soy la única psicóloga
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
    r"\b(?i:soy (?:el|la)|trabajo|trabaja|estudio|estudia|doy clases?|vo[ys]|va|van)\b"
    r"[^.!?\n]{0,60}?\b(?i:del?|en|al|a)\s+(?i:el\s+|la\s+)?"
    rf"(?i:{_ES_INSTITUTION})\b(?:\s+\d{{1,3}}\b|(?:\s+[a-záéíóúñ]+){{0,2}}?\s+"
    rf"(?:(?i:de|en)\s+(?:(?i:la|el|los|las|calle)\s+){{0,2}})?(?:{CAPITALISED_ES}|[A-Z]{{2,}}))"
)
# A job title before a full name: "la enfermera Ana Belén Prieto", "la doctora Elena Varela".
ES_ROLE_NAME = re.compile(
    r"\b(?i:el|la)\s+(?i:doctor|doctora|enfermer[oa]|profesor|profesora|profe|maestr[oa]|"
    r"licenciad[oa]|ingenier[oa]|psic[oó]log[oa]|psiquiatra|terapeuta|abogad[oa]|director|"
    rf"directora|entrenador|entrenadora|coordinador|coordinadora)\s+({NAME_ES})"
)
# A full name, then where that person works, lives or studies: "Marta Gil trabaja en el Zara".
# Found from the verb backwards (see _names_before), so long capitalised runs stay cheap.
ES_PLACE_CUE = re.compile(
    r"\b(?i:trabaja|vive|estudia|va)\s+(?i:en|al|a la|cerca de)\s+(?i:el\s+|la\s+)?[A-ZÁÉÍÓÚÑ]"
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
        if len(digits) < 3 or not 6 <= size <= 26 or digits in CRISIS_LINE_DIGITS:
            continue
        if TIME_OR_DATE.match(value) or _ES_AMOUNT_AFTER.match(text[match.end(1) :]):
            continue
        found.append(value)
    for match in ES_DNI.finditer(text):
        if _dni_valid(match.group(1).replace(".", ""), match.group(2)):
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
    return found


def _spoken_digit_count(words: str) -> int:
    count = 0
    for word in re.findall(_ES_NUMBER_WORD, words, re.IGNORECASE):
        count += 1 if re.fullmatch(_ES_UNIT, word, re.IGNORECASE) else 2
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
    """Digits in "612 345 seis siete ocho": each typed digit, plus the number words' digits."""
    return len(re.sub(r"\D", "", tokens)) + _spoken_digit_count(re.sub(r"\d", " ", tokens))


def _marked_handle(handle: str) -> bool:
    """A user name, not a word: letters, and an @, a digit, a dot, an underscore or a #tag."""
    name = handle.strip("@")
    if len(name) < 3 or name.lower() in ES_NOT_NAMES or not any(c.isalpha() for c in name):
        return False
    return handle.startswith("@") or any(c.isdigit() or c in "._#" for c in name)


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
    for match in ES_OBFUSCATED_EMAIL.finditer(text):
        if not any(
            match.group().lower() in found or found in match.group().lower() for found in seen
        ):
            add("email", match.group())
    # Spanish ID numbers first: "mi dni es 30.123.456" is an ID, not a phone number.
    for value in _spanish_ids(text):
        add("id_number", value)
    for match in PHONE.finditer(text):
        if _looks_like_phone(match.group()) and not _ends_with(
            REFERENCE_WORDS, text, match.start()
        ):
            if _ends_with(ES_REFERENCE_WORDS, text, match.start()):
                continue
            if _is_amount(text, match.start(), match.end()):
                continue
            if re.sub(r"\D", "", match.group()) in ES_HELPLINE_DIGITS:
                continue
            add("phone", match.group())
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
        if any(c.isalpha() for c in handle) and (
            handle.startswith("@") or any(c.isdigit() or c in "._#" for c in handle)
        ):
            add("handle", handle)
    for match in ES_SPELLED_HANDLE.finditer(text):
        add("handle", match.group(1))
    for pattern in (ES_HANDLE_VERB, ES_HANDLE_THEN_SITE, ES_HANDLE_NEW_SITE):
        for match in pattern.finditer(text):
            handle = match.group(1)
            if _marked_handle(handle) and not any(handle.strip("@").lower() in f for f in seen):
                add("handle", handle)
    for pattern in (ES_PROVIDER_USER, ES_USER_AT_PROVIDER):
        for match in pattern.finditer(text):
            user = match.group(1)
            if any(user.lower() in found for found in seen):
                continue  # part of an address already found
            if pattern is ES_USER_AT_PROVIDER or _marked_handle(user):
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
            add("name", match.group(1))
    named = [match.group(1) for match in ES_PROFILE_NAME.finditer(text)]
    named += [match.group(1) for match in ES_ROLE_NAME.finditer(text)]
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
    for match in ID_NUMBER.finditer(text):
        add("id_number", match.group())
    return findings
