"""Spanish lexicon rules: the same policy and public functions as lexicon.py, in Spanish.

Written for the Spanish of Spain, Mexico, Argentina, Colombia and Chile, with the slang and
spellings people type in a hurry (no accents, "q", "xq", "kiero"). Text and patterns are both
folded before matching (lower case, accents removed), so every accent is optional; the character
classes such as [aá] in the patterns only keep them readable.

Crisis rules stop on three kinds of guard:
- CRISIS_IDIOMS and negations are removed before matching ("me muero de risa", "no quiero
  morir"), so an idiom only neutralises its own words, never a real cry for help beside it;
- CRISIS_GUARDS cancel the whole text: the past and recovery, support for someone else, talking
  about the subject (research, a song, a course) and hyperbole markers ("jaja", "xd", "💀").
"""

import re
import unicodedata

_ME = r"(?:me|yo)"
_QUIERO = r"(?:quiero|qiero|kiero|qero|quisiera|necesito|deseo)"
_KILL_MYSELF = (
    r"(?:matarme|suicidarme|quitarme la vida|morirme|ahorcarme|colgarme|tirarme|aventarme|"
    r"envenenarme|desaparecer para siempre|acabar con mi vida|terminar con mi vida)"
)
_NOW = r"(?:hoy|esta noche|ahora|ahora mismo|ahorita|ya|ma[ñn]ana|este finde|este fin de semana|pronto)"
_PILLS = (
    r"(?:pastillas|pastis|pildoras|p[ií]ldoras|medicamentos|medicinas|comprimidos|tabletas|"
    r"clonazepam|alprazolam|rivotril|xanax|trankimazin|lorazepam|diazepam|valium|orfidal|"
    r"paracetamol|ibuprofeno|antidepresivos|somn[ií]feros|ansiol[ií]ticos)"
)
_HIGH_PLACE = (
    r"(?:puente|balc[oó]n|azotea|terraza|edificio|ventana|acantilado|precipicio|barranco|"
    r"tejado|techo|cornisa|v[ií]as|tren|metro|and[eé]n|autopista|viaducto|piso \d+)"
)

CRISIS_PATTERNS = [
    # Suicidal intent, wishes and plans, in the first person and the present.
    rf"\b{_QUIERO} (?:matarme|suicidarme|quitarme la vida|morirme|morir|estar muert[oa]|"
    r"acabar con (?:mi vida|todo)|terminar con (?:mi vida|todo)|dejar de (?:existir|vivir|respirar)|"
    r"irme de este mundo|desaparecer (?:para siempre|de este mundo|y no volver))\b",
    rf"\b{_ME} {_QUIERO} (?:morir|matar|suicidar|ir de este mundo)\b",
    r"\b(?:me voy a|me vo a|me vy a) (?:matar|suicidar|colgar|ahorcar|tirar (?:de|por|desde|a)|"
    r"morir (?:hoy|esta noche|ma[ñn]ana|pronto)|quitar la vida)\b",
    r"\bvoy a (?:matarme|suicidarme|quitarme la vida|colgarme|ahorcarme|tirarme (?:de|por|desde|a)|"
    r"acabar con (?:mi vida|todo)|terminar con (?:mi vida|todo)|terminarla)\b",
    r"\b(?:suicidarme|me suicido|me suicidare|me mato (?:hoy|esta noche|ya)|quitarme la vida|"
    r"acabar con mi vida|terminar con mi vida)\b",
    r"\b(?:ganas|deseos) de (?:morir(?:me)?|matarme|suicidarme|desaparecer para siempre|"
    r"hacerme da[ñn]o|cortarme|dejar de vivir|no despertar|meterme debajo de un (?:cami[oó]n|tren|coche|carro|auto))\b",
    r"\b(?:pienso|pensando|pensar|penso|pienso todo el tiempo|no dejo de pensar|pensado) "
    r"(?:todo el tiempo |mucho |seriamente |en serio |cada dia )?(?:en )?(?:como |c[oó]mo )?"
    rf"(?:{_KILL_MYSELF}|saltar|cortarme|hacerme da[ñn]o|la muerte y hoy)\b",
    r"\b(?:acabar|terminar|termino|acabo|acabare|terminare|acabar[eé]|terminar[eé]) con todo"
    r"(?: esto)?\b(?!\s+(?:el|la|los|las|lo|mi|tu|su|de|del|que)\b)",
    r"\b(?:ya )?no (?:quiero|puedo|aguanto) (?:seguir )?(?:vivo|viva|viviendo|vivir|existiendo|"
    r"existir|respirando|en este mundo)\b(?! (?:en|con|asi|sin|de|aqui en|solo|sola)\b)",
    r"\b(?:no|tampoco) quiero seguir(?: (?:vivo|viva|viviendo|aqui|aca|en este mundo|respirando|"
    r"existiendo|adelante))?\s*(?:[,.;!]|$|y\b|ya\b|me\b)",
    r"\b(?:no tengo|no me quedan|sin|perd[ií]|se me fueron las) ganas de (?:vivir|seguir (?:vivo|viva|viviendo|respirando|aqui))\b",
    r"\bno (?:le )?(?:encuentro|veo|tiene) (?:ning[uú]n |mas |m[aá]s )?sentido (?:a |en )?"
    r"(?:vivir|la vida|seguir|seguir viviendo|mi vida|estar viv[oa]|existir)\b",
    r"\b(?:vivir|mi vida|seguir viviendo) (?:ya )?no tiene (?:ning[uú]n )?sentido\b",
    r"\bno soporto (?:estar viv[oa]|vivir|seguir viv[oa]|mi vida)\b",
    r"\b(?:hart[oa]|cansad[oa]) de (?:vivir|estar viv[oa]|existir|la vida)\b",
    r"\bojal[aá] (?:me muera|me muriera|estuviera muert[oa]|no despertar|no despierte|"
    r"no hubiera nacido|me atropelle|no existiera|desapareciera)\b",
    rf"\bno {_QUIERO} (?:volver a )?despertar(?:me)?\b(?! (?:temprano|pronto|tarde|a las|antes|hasta|tan)\b)",
    r"\bno me quiero (?:volver a )?despertar\b(?! (?:temprano|pronto|tarde|a las|antes|hasta|tan)\b)",
    r"\b(?:dormir(?:me)?|duermo)\b[^.!?\n]{0,30}\bno (?:me )?(?:despert(?:ar|arme|ara)|despierto)"
    r"(?: nunca| jam[aá]s| mas| m[aá]s)?\b(?! (?:temprano|pronto|tarde|a las|antes|hasta)\b)",
    r"\b(?:dormir para siempre|cerrar los ojos y no (?:volver a )?abrirlos)\b",
    r"\b(?:mejor|tranquil[oa]s|felices|bien) sin m[ií]\b",
    r"\bmejor (?:para todos )?si (?:yo )?(?:no (?:estuviera|existiera|estoy)|me muero|desaparezco)\b",
    r"\bsi (?:me muero|me mato|desaparezco|no estuviera)\b[^.!?\n]{0,40}\bnadie\b",
    r"\bnadie (?:me )?(?:va a |iba a )?(?:extra[ñn]ar|echar de menos|notar)\w*\b[^.!?\n]{0,10}\bsi (?:me muero|me mato|desaparezco|no estoy)",
    r"\b(?:si )?me muero (?:hoy|esta noche|ma[ñn]ana)\b",
    r"\b(?:unica|[uú]nica|mejor) (?:solucion|soluci[oó]n|salida|forma|manera|opcion|opci[oó]n)\b"
    r"[^.!?\n]{0,40}\b(?:morir|morirme|muriendome|muri[eé]ndome|matarme|matandome|mat[aá]ndome|"
    r"suicid\w*|quitarme la vida|acabar con (?:todo|mi vida))\b",
    r"\b(?:me quiero ir|irme|me voy a ir|me voy) de este mundo\b",
    r"\b(?:ma[ñn]ana|pronto|la semana que viene) ya no (?:voy a estar|estar[eé]|estare)\b",
    r"\bno (?:creo que|s[eé] si) (?:pase|llegue|aguante|vea) (?:de |a |el )?(?:esta noche|ma[ñn]ana|hoy)\b",
    r"\bno (?:voy a|pienso|quiero) llegar a (?:ma[ñn]ana|mi cumple\w*|fin de (?:mes|a[ñn]o)|navidad)\b",
    # "ya no aguanto más" and its kin are exhaustion; with goodbye or intent, a crisis.
    r"\b(?:ya no|no) (?:aguanto|puedo|doy|soporto)(?: m[aá]s)?\b[^\n]{0,80}"
    r"\b(?:perd[oó]n (?:a todos|por todo|mam[aá]|pap[aá])|adi[oó]s|me despido|os quiero|los quiero|"
    r"quiero que (?:todo )?se acabe|ya fue|me voy a (?:ir|dejar ir)|hoy (?:termino|acabo)|"
    r"tengo (?:las pastillas|todo preparado|todo planeado))",
    r"\b(?:hoy|esta noche|ma[ñn]ana) me mato\b|\bme mato (?:hoy|esta noche|ma[ñn]ana)\b",
    r"\b(?:terminarla|acabar con ella|terminar con esto|acabar con esto)\b[^\n]{0,30}\b(?:hoy|esta noche|ya)\b|\b(?:voy a|quiero) (?:terminar|acabar) con esto\b",
    r"\bquiero (?:terminarla|terminar con ella)\b",
    r"\bme voy (?:esta noche|hoy)\b(?= *(?:[,.;!]|$|y no))",
    r"\bno (?:voy a|pienso) volver\b[^\n]{0,60}\b(?:s[eé] lo que voy a hacer|adi[oó]s|perd[oó]n)",
    r"\b(?:ya no quiero|no quiero) estar (?:aqu[ií]|viv[oa]|en este mundo)\b",
    r"\b(?:ya )?(?:tengo|tom[eé]) la decisi[oó]n tomada\b|\bno hay vuelta atr[aá]s\b",
    r"\b(?:adi[oó]s a todos|me despido)\s*[.!]*\s*$",
    r"\bhoy es mi [uú]ltimo d[ií]a\b|\bes (?:el|mi) [uú]ltimo (?:d[ií]a|mensaje)\b",
    r"\b(?:ya )?escog[ií] (?:la fecha|el d[ií]a|el lugar|el momento)\b",
    r"\bel plan es (?:este finde|esta noche|hoy|ma[ñn]ana|el (?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo))\b",
    r"\b(?:quiero que alguien me mate|que me busquen|no me busquen)\b",
    r"\bme (?:he vuelto|volv[ií]) a hacer da[ñn]o\b|\bme hice da[ñn]o (?:otra vez|de nuevo|hoy|anoche)\b",
    r"\b(?:me voy a hacer|voy a hacerme) (?:algo|da[ñn]o)\b",
    rf"\b(?:las|mis|todas mis) {_PILLS} (?:est[aá]n )?(?:en mi mano|delante|preparadas|listas)\b|\bcontando (?:las|mis) {_PILLS}\b",
    rf"\b(?:con|y) (?:las |todas (?:mis|las) ){_PILLS} (?:delante|en la mano)\b|\bcon todas mis {_PILLS}\b",
    r"\bme acabo de (?:meter|tomar|tragar|beber)\b[^.!?\n]{0,30}\b(?:pastillas|pastis|un mont[oó]n|todo|todas|pildoras|p[ií]ldoras)\b",
    r"\b(?:tom[eé]|me tom[eé]|me inyect[eé])\b[^.!?\n]{0,30}\b(?:a prop[oó]sito|queriendo|m[aá]s de la cuenta|m[aá]s de lo normal)\b",
    r"\bme tomo todo\b|\bme he tomado algo\b",
    r"\b(?:se (?:est[aá] )?ahogando|est[aá] morad[oa]|labios azules|no despierta)\b",
    r"\bquiero que (?:todo )?se (?:acabe|termine)(?: todo| ya| de una vez)?\s*(?:[,.;!]|$)",
    # Goodbye notes.
    r"\b(?:esta es|este es|ser[aá]) (?:mi|el) [uú]ltim[oa] (?:publicaci[oó]n|mensaje|post|entrada|vez que escribo)\b",
    r"\bmi [uú]ltim[oa] (?:publicaci[oó]n|mensaje|post)\b",
    r"\b(?:cartas?|notas?|mensajes?) de (?:despedida|suicidio)\b",
    r"\b(?:he escrito|escrib[ií]|dej[eé]|estoy escribiendo) (?:las|unas|mis) cartas (?:para|a) (?:mi|mis)\b",
    r"\bme despido de (?:todos|todas|ustedes|vosotros|vosotras|este foro|la vida|este mundo|mi familia)\b",
    r"\b(?:ya )?me desped[ií] de (?:todos|todas|mi familia|mis padres|mi perro|mi gato|ustedes)\b",
    r"\bsi (?:ma[ñn]ana )?no (?:escribo|contesto|aparezco|vuelvo|respondo)\b[^.!?\n]{0,20}\bya (?:sab[eé]is|saben|sabes|sab[eé]s) (?:por que|porque|por qu[eé])\b",
    r"\b(?:regal[eé]|he regalado|estoy regalando|repart[ií]) (?:todas )?mis cosas\b",
    r"\bgracias (?:a todos|por todo)\b[^\n]{0,80}\badi[oó]s\s*[.!]*\s*$",
    # Means and plans.
    r"\bya tengo (?:las|mis|suficientes) (?:pastillas|pastis|cuchillas|pildoras|p[ií]ldoras)\b",
    rf"\btengo (?:las |todas las |mis |suficientes |bastantes |muchas |\d+ ){_PILLS} (?:guardadas|aca|ac[aá]|aqui|aqu[ií]|preparadas|listas|juntas|contadas|en la mano|delante)\b",
    rf"\b(?:acumulando|guardando|juntando|ahorrando|acumul[eé]|junt[eé]) (?:mis |las |todas las |suficientes )?{_PILLS}\b",
    rf"\bcu[aá]nt[oa]s {_PILLS}(?: de \w+)? (?:hacen falta|necesito|son mortales|para morir|matan)\b",
    rf"\b(?:escog[ií]|eleg[ií]|compr[eé]) (?:las |unas |mis )?{_PILLS}\b[^.!?\n]{{0,60}}\b(?:momento|lo que voy a hacer|para (?:morir|matarme|hoy|esta noche))",
    r"\b(?:ya )?tengo todo (?:planeado|preparado|listo|decidido)\b(?! para (?:el|la|los|las|mi|tu|su)\b)",
    r"\b(?:ya lo tengo decidido|ya (?:eleg[ií]|escog[ií]) el (?:lugar|momento|d[ií]a|m[eé]todo))\b",
    r"\b(?:falta|queda) (?:decidir|elegir) (?:el|la) (?:d[ií]a|fecha|momento)\b",
    r"\b(?:tengo|saqu[eé]|compr[eé]) (?:la|una) (?:soga|cuchilla|pistola|escopeta|navaja)\b",
    r"\b(?:tengo|con) (?:el|la|un|una) (?:cuchillo|cuchilla|navaja|pistola) en la mano\b",
    r"\b(?:s[eé]|mirando) (?:por )?d[oó]nde cortar\b",
    r"\b(?:beberme|tomarme|beb[eé]rmela|tom[aá]rmela|bebermela|tomarmela)\b[^.!?\n]{0,30}\b(?:lej[ií]a|cloro|veneno|matarratas)\b",
    r"\b(?:lej[ií]a|cloro|veneno|matarratas)\b[^.!?\n]{0,50}\b(?:beberme|tomarme|beb[eé]rmela|tom[aá]rmela)\b",
    r"\b(?:garaje|cochera)\b[^.!?\n]{0,60}\bmotor encendido\b|\bmotor encendido\b[^.!?\n]{0,60}\b(?:garaje|cochera)\b",
    rf"\b(?:tirarme|me tiro|me voy a tirar|me quiero tirar|saltar|aventarme|lanzarme) (?:a|al|a la|a las|a los|por|por el|por la|desde|de|del|de la|de un|de una|desde el|desde la|desde un|desde una|bajo|debajo de) (?:\w+ )?{_HIGH_PLACE}\b",
    rf"\b(?:estoy|sigo|llevo \w+ \w+) en (?:el|la|lo alto del|lo alto de la) {_HIGH_PLACE}\b[^\n]{{0,80}}\b(?:saltar|tirarme|bajarme|no me atrevo|mirando)\b",
    r"\bmirando (?:las v[ií]as|al vac[ií]o)\b",
    r"\b(?:subido|sub[ií]) a (?:la|el) (?:terraza|azotea|tejado|techo|puente)\b[^\n]{0,40}\bno (?:pienso|voy a) bajar\b",
    rf"\b(?:estoy en|sentad[oa] en) (?:la|el) (?:orilla del? |borde del? )?(?:acantilado|cornisa|ventana con las piernas|{_HIGH_PLACE})\b[^\n]{{0,60}}\b(?:para fuera|saltar|tirarme|no pienso bajar)",
    r"\bir a las v[ií]as\b|\bno pienso frenar\b",
    r"\b(?:a punto de|voy a) (?:saltar|tirarme|hacer una locura|matarme|suicidarme|cortarme|colgarme)\b",
    r"\bestrellar (?:el|mi) (?:coche|carro|auto)\b",
    # Self-harm now.
    r"\b(?:me cort[eé]|me he cortado|me volv[ií] a cortar|volv[ií] a cortarme|me he vuelto a cortar|"
    r"me corto|me voy a cortar|me estoy cortando|me acabo de cortar|me quiero cortar)\b"
    r"(?! (?:el|la|las|los|un|una|con|cortando|afeit\w*|al|mientras|de|en el dedo|en la mano|el pelo|las u[ñn]as)\b)",
    r"\bme cort[eé] (?:otra vez|de nuevo|m[aá]s|los brazos|las piernas|las mu[ñn]ecas|las venas)\b",
    r"\bcortarme (?:otra vez|de nuevo|las venas|los brazos|las piernas|las mu[ñn]ecas|hoy|esta noche)\b",
    rf"\b(?:{_QUIERO}|voy a|ganas de) (?:hacerme da[ñn]o|lastimarme|cortarme|quemarme|autolesionarme)\b",
    r"\bme estoy (?:quemando|haciendo da[ñn]o|lastimando|pegando|golpeando|dando golpes|autolesionando|cortando)\b",
    r"\b(?:me autolesion[eé]|me he vuelto a autolesionar|volv[ií] a autolesionarme|reca[ií]) (?:otra vez|de nuevo|hoy|ayer|anoche|esta noche)?\b(?!\s+(?:hace|en el pasado))",
    r"\b(?:estoy sangrando|no para de sangrar|hasta sangrar)\b",
    # Overdose and someone in danger now.
    rf"\b(?:me tom[eé]|me he tomado|me acabo de tomar|acabo de tomarme|me trag[ué]|acabo de tragarme|me he tragado|"
    rf"me beb[ií]|acabo de beberme|se tom[oó]|se ha tomado|se trag[oó])\b[^.!?\n]{{0,40}}\b(?:todas|todo el|un bote|una caja|dos cajas|el blister|un blister|un mont[oó]n|un pu[ñn]ado|el frasco|un frasco|la caja|el bote|con las pastillas|{_PILLS})",
    r"\b(?:me he pasado|me pas[eé]) con (?:las|los|mis) (?:pastillas|pastis|medicamentos|pildoras|p[ií]ldoras)\b",
    r"\b(?:me (?:tom[eé]|he tomado|di|met[ií]|provoqu[eé])|tengo|hacerme|provocarme|darme) una sobredosis\b",
    rf"\b(?:{_PILLS}|se tom[oó]|se meti[oó]|se ha tomado|sangr\w+|se cort[oó]|se colg[oó])\b[^\n]{{0,120}}\b(?:no respira|no reacciona|no responde|inconsciente|no (?:se )?despierta)\b",
    rf"\b(?:no respira|no reacciona|inconsciente)\b[^\n]{{0,120}}\b(?:{_PILLS}|se tom[oó]|se meti[oó]|sangr\w+)",
    r"\b(?:dice|dijo) que se (?:quiere|va a) (?:matar|suicidar|tirar|cortar|colgar|morir)\b",
    r"\bse (?:quiere|va a) (?:tirar|matar|suicidar) (?:de|del|desde|por|ahora|hoy|esta noche)",
    r"\b(?:est[aá] en el borde|va a hacer (?:algo|una locura)|hacer una locura)\b",
    r"\b(?:me|le|nos) est[aá] (?:pegando|golpeando|amenazando|ahorcando)\b",
    r"\bme amenaz[oó] con (?:un|una|el|la) (?:cuchillo|pistola|arma|navaja|matarme)\b",
    r"\b(?:tengo miedo de que (?:me|la|lo|nos) mate|me va a matar (?:de verdad|en serio))\b",
    r"\b(?:llamen|llamad|que alguien llame) (?:a )?(?:una ambulancia|al 112|al 911|a emergencias|a la polic[ií]a)\b",
]

# Idioms and negations: removed before matching, so they neutralise only their own words.
_IDIOM_OF = (
    r"(?:(?:la |el )?(?:risa|ganas|hambre|verg[uü]enza|sue[ñn]o|calor|fr[ií]o|sed|envidia|amor|"
    r"aburrimiento|cansancio|nervios|miedo|celos|ternura|emoci[oó]n|felicidad|alegr[ií]a|"
    r"curiosidad|pena|asco|frio|pereza|flojera|ilusi[oó]n|la risa|lo (?:rico|rica|bueno|buena|lindo|linda|bonito|bonita|guapo|guapa|tierno|gracioso|divertido)))"
)
CRISIS_IDIOMS = [
    rf"\b(?:me muero|me mor[ií]a|me voy a morir|me quiero morir|morirme|morir|muriendo|me estoy muriendo|muert[oa]s?) de {_IDIOM_OF}\b",
    r"\bme muero (?:por|si)\b",
    r"\bme (?:mata|matan|est[aá] matando|est[aá]n matando|va a matar|mat[oó]) (?:el|la|los|las|este|esta|estos|mi|tu|de|con)\b",
    r"\b(?:me|te) mata si\b",
    r"\bm[aá]tame cami[oó]n\b",
    r"\btierra tr[aá]game\b",
    r"\bme tiro (?:a la piscina|a la pileta|en el sof[aá]|en la cama)\b",
    # Negation: "no quiero morir", "no me voy a matar", "nunca me haría daño".
    r"\b(?:no|nunca|jam[aá]s) (?:me )?(?:quiero|voy a|pienso|planeo|har[ií]a|quisiera) "
    r"(?:morir(?:me)?|matar(?:me)?|suicidar(?:me)?|quitarme la vida|hacerme da[ñn]o|cortar(?:me)?|"
    r"hacer nada|hacerlo)\b",
    r"\bno (?:estoy pensando|pienso) en (?:matarme|suicidarme|quitarme la vida|hacerme da[ñn]o)\b",
]
CRISIS_GUARDS = [
    # Told about the past, or recovering.
    r"(?<!desde )\bhace (?:ya )?(?:unos |varios |muchos |un par de |dos |tres |cuatro |cinco |\d+ )?(?:a[ñn]os|a[ñn]o|meses)\b",
    r"\bcuando (?:era|ten[ií]a|estaba|iba al|iba a la|viv[ií]a) ",
    r"\b(?:antes|de joven|de peque[ñn][oa]|en el pasado|en mi peor momento) (?:pensaba|quer[ií]a|me cortaba|me autolesionaba|sol[ií]a|me hac[ií]a da[ñn]o|intent[eé])\b",
    r"\bsol[ií]a (?:cortarme|autolesionarme|pensar|querer)\b",
    r"\bllevo (?:ya )?(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|varios|varias|muchos|muchas) "
    r"(?:d[ií]as|semanas|meses|a[ñn]os|mes|a[ñn]o) (?:sin|limpi[oa]) ",
    r"\b(?:sobreviv[ií]|lo super[eé]|he salido de|sal[ií] de eso|estoy en recuperaci[oó]n|me recuper[eé]|"
    r"desde mi intento|cicatrices viejas|hoy estoy mejor|ya estoy mejor|estoy viv[oa] y)\b",
    # Supporting someone else.
    r"\bsi (?:est[aá]s|alguien est[aá]|te sientes|sent[ií]s|est[aá]is|alguna vez) (?:pensando|as[ií]|mal|sintiendo)\b",
    r"\b(?:llama|llam[aá]|llame|llamad|llamen|marca|escribe) (?:al|a la) (?:024|112|911|135|106|141|988|800|717|l[ií]nea|tel[eé]fono de la esperanza)\b",
    r"\bno (?:est[aá]s|est[aá]is|est[aá]n) sol[oa]s?\b",
    r"\bl[ií]nea (?:de|contra el) (?:crisis|ayuda|prevenci[oó]n|la vida|suicidio)\b",
    r"\b(?:tel[eé]fono de la esperanza|aqu[ií] estamos para|estamos para (?:escucharte|ti|vos|lo que necesites)|pide ayuda|busca ayuda|p[ií]dele ayuda)\b",
    r"\bcuando (?:un|una|alguien|tu|mi) \w+ (?:te |me )?(?:dice|cuenta|habla)\b",
    r"\b(?:c[oó]mo|qu[eé]) (?:le )?(?:puedo|se (?:le )?puede|deber[ií]a|hay que) (?:responder|decir|ayudar)\b",
    # Talking about the subject.
    r"\b(?:investigaci[oó]n|documental|canci[oó]n|curso|prevenci[oó]n|art[ií]culo|estad[ií]sticas|"
    r"pel[ií]cula|peli|cap[ií]tulo|episodio|libro|novela|tesis|charla|taller|voluntari[oa]s?|letra de|concienciaci[oó]n)\b",
    # Hyperbole markers.
    r"\bj[ajes]*j[ajes]*\b|\bx+d+\b|\blol\b|\blmao\b|😂|🤣|💀|😹",
]
TOXIC_PATTERNS = [
    # Insults at the reader.
    r"\b(?:eres|sos|es usted|sois|ser[aá]s|tu eres|t[uú] eres|vos sos|que eres|qu[eé] eres) "
    r"(?:un |una |un puto |una puta |un maldito |una maldita |un pinche |una pinche |un pedazo de |"
    r"una pedazo de |tan |muy |lo m[aá]s |la m[aá]s |el m[aá]s |solo un |solo una |un simple |una simple |"
    r"tremend[oa] |flor de |un grand[ií]simo |una grand[ií]sima )?"
    r"(?:in[uú]til|idiota|imb[eé]cil|basura|asco|asqueros[oa]|estupid[oa]|est[uú]pid[oa]|pendej[oa]|"
    r"subnormal|retrasad[oa]|mierda|perdedor[a]?|fracasad[oa]|pat[eé]tic[oa]|escoria|par[aá]sit[oa]|"
    r"payas[oa]|rid[ií]cul[oa]|gilipollas|boludo|boluda|pelotud[oa]|cretin[oa]|estorbo|carga|"
    r"desgracia|cobarde|tarad[oa]|mong[oó]lic[oa]|culer[oa]|malparid[oa]|hijo de puta|hija de puta|"
    r"verg[uü]enza|lacra|despojo|gusano|rata|cerd[oa]|zorra|puta|maric[oó]n|aborto|error)\b",
    r"\b(?:das|me das|nos das) (?:asco|grima|vergüenza ajena|verg[uü]enza ajena)\b",
    r"\b(?:no vales nada|no vales para nada|no sirves para nada|no sirves ni para)\b",
    r"\b(?:nadie|ninguno) te (?:quiere|soporta|aguanta|necesita|extra[ñn]ar[ií]a|echar[ií]a de menos|va a extra[ñn]ar|va a echar de menos|pidi[oó] tu opini[oó]n|ha preguntado|pregunt[oó])\b",
    r"\ba nadie le (?:importas|importa lo que (?:digas|pienses|sientas))\b",
    r"\b(?:el mundo|todos|todo el mundo) (?:estar[ií]a|estar[ií]amos|ser[ií]a|estar[ií]an) mejor sin ti\b",
    r"\b(?:desperdicio|p[eé]rdida) de (?:ox[ií]geno|espacio|aire)\b",
    # Telling the reader to die or hurt themselves.
    r"\b(?:m[aá]tate|suic[ií]date|ah[oó]rcate|cu[eé]lgate|mu[eé]rete|murete|matate|suicidate)\b",
    r"\bc[oó]rtate (?:las venas|m[aá]s (?:hondo|profundo)|el cuello)\b",
    r"\bt[ií]rate (?:de|desde|por|a|al|bajo) (?:un|una|el|la|las)? ?(?:puente|ventana|balc[oó]n|edificio|azotea|tren|metro|v[ií]as|precipicio|barranco)\b",
    r"\bojal[aá] (?:te mueras|te murieras|te suicides|te maten|te pase algo|te atropellen|te pudras|revientes)\b",
    r"\b(?:vete a morir|ve a morirte|deber[ií]as (?:matarte|morirte|suicidarte|desaparecer)|haz(?:nos)? (?:un|a todos un) favor y (?:m[aá]tate|mu[eé]rete|desaparece|suic[ií]date))\b",
    r"\b(?:vete a la mierda|vete al carajo|que te jodan|chinga tu madre|la concha de tu madre|me cago en tu (?:madre|puta madre|familia|vida))\b",
    # Threats.
    r"\b(?:s[eé]|sabemos) d[oó]nde vives\b",
    r"\bte (?:voy|vamos) a (?:encontrar|buscar|matar|partir|romper|reventar|destrozar|hacer da[ñn]o|dar una paliza|joder la vida|arruinar la vida|partir la cara|romper la cara)\b",
    r"\b(?:vas a pagar|te vas a arrepentir|te vas a enterar|te voy a hacer la vida imposible)\b",
    # Regional insults, aimed.
    r"\b(?:maldit[oa]|pinche|put[oa]|pedazo de|grand[ií]sim[oa]|so|c[aá]llate,?|cierra el pico,?) "
    r"(?:pendej[oa]|boludo|boluda|pelotud[oa]|gilipollas|imb[eé]cil|idiota|in[uú]til|culer[oa]|malparid[oa]|"
    r"hijo de puta|hija de puta|tarad[oa]|subnormal|bastard[oa]|cabr[oó]n|cabrona|mierda|basura)\b",
    r"(?<!\bel )(?<!\bla )(?<!\bese )(?<!\besa )(?<!\bdel )(?<!\bal )(?<!\bmi )(?<!\bsu )\b(?:hijo de puta|hija de puta|hijueputa|hijo de la chingada|gonorrea|malparid[oa]|culer[oa]|gilipollas|pendej[oa]|pelotud[oa]|cabr[oó]n)\s*(?:,|!)?\s*(?:t[uú]\b|vete\b|c[aá]llate\b|eres\b|sos\b)",
    r"^\W*(?:hijo de puta|hija de puta|hijueputa|malparid[oa]|gilipollas|pendej[oa]|culer[oa]|imb[eé]cil)\s*[!.]*\s*$",
    r"(?:^|[.!?¡¿,]\s*)(?:c[aá]llate|calla|cierra el pico)?\s*,?\s*(?:subnormal|retrasad[oa]|imb[eé]cil|idiota|est[uú]pid[oa]|gilipollas|mong[oó]l[oi]c?[oa]|tarad[oa]|anormal|pendej[oa]|perdedor[a]?|fracasad[oa]|cerda|gorda|zorra|puta|maric[oó]n|maricona|payas[oa]|enferm[oa] mental|adefesio|mocos[oa]|boluda)\s*(?:,|!|$)",
    r"\b(?:subnormal|retrasad[oa]|imb[eé]cil|idiota|est[uú]pid[oa]|gilipollas|tarad[oa]|anormal|pendej[oa]|perdedor[a]?|cerd[oa]|zorra|puta|maric[oó]n|maricona|payas[oa]|adefesio|gila|gil|boluda)\s*[.!]*\s*$",
    r"\b(?:maric[oó]n|mentiros[oa]|loc[oa]|enan[oa]|mocos[oa]|t[oó]xic[oa]|gord[oa]|vag[oa]|negr[oa]|put[oa]|zorra|imb[eé]cil|idiota|pendej[oa]|cabr[oó]n|hijo de perra) de mierda\b",
    r"\bqu[eé] (?:asco|mierda|verg[uü]enza) de (?:persona|madre|padre|hija|hijo|ser humano|gente)\b|\bvaya mierda de persona\b",
    r"\bqu[eé] (?:tont[oa]|retrasad[oa]|fe[oa]|gord[oa]|idiota|est[uú]pid[oa]|imb[eé]cil|asqueros[oa]|pat[eé]tic[oa]|in[uú]til) (?:eres|sos|est[aá]s)\b",
    r"\b(?:eres|sos) (?:un[ao]? |tan |muy )?(?:vag[oa]|mantenid[oa]|llor[oó]n|llorona|exagerad[oa]|pringad[oa]|fe[oa]|gord[oa]|monstruo|insoportable|tont[oa]|mentiros[oa]|anormal|cag[oó]n|pajero|we[oó]n|lo peor)\b",
    r"\bojal[aá] (?:que )?(?:te (?:violen|maten|atropell\w*|mueras|echen|quedes sol[oa]|pase (?:lo mismo|algo)|vaya mal|enfermes|pudras)|se te muera|no hubieras nacido)\b",
    r"\b(?:te mereces (?:todo lo malo|lo peor|sufrir|lo que te pasa|estar sol[oa])|te deseo lo peor|te lo mereces|me alegro de que te vaya mal)\b",
    r"\b(?:ni tu (?:madre|padre|familia|perro)|nadie) te (?:quiere|va a querer|quiso|soporta)\b",
    r"\bnadie te (?:dio bola|hace caso|contesta|va a contratar)\b",
    r"\b(?:a ver si te (?:mueres|tiras|matas|callas de una vez)|si tanto quieres morirte hazlo|ve a cortarte|deber[ií]an (?:haberte abortado|encerrarte|castrarte)|te deber[ií]an encerrar)\b",
    r"\b(?:te parto la cara|te quedas sin dientes|te (?:voy|vamos) a dar una lecci[oó]n|te la voy a dar yo|te vas a acordar de m[ií]|s[eé] a qu[eé] hora sales|te estoy vigilando|sabemos d[oó]nde estudias|voy a publicar tus fotos|te mato)\b",
    r"\b(?:me cago en tus muertos|tonto del culo|que te den|ctm|hijo de perra|vete al manicomio|loca de remate)\b",
    r"\b(?:los|las|todos los|todas las) (?:gays?|lesbianas|trans|maricones|negros|negras|moros|jud[ií]os|musulmanes|sudacas|venezolanos|indios|gitanos|inmigrantes|mujeres|hombres|feministas|gordos|gordas|autistas|viejos|bipolares|chinos|mexicanos|colombianos|bolivianos|peruanos|personas con \w+)"
    r" (?:son|vienen a|deber[ií]an|controlan)\b(?:\s+(?:unos|unas|todos|todas))?\s+(?:enferm\w*|inferiores|terroristas|flojos|borrach\w*|peligros\w*|in[uú]tiles|hist[eé]ricas|amargad\w*|vagas|vagos|basura|escoria|animales|ladrones|violadores|delincuentes|par[aá]sitos|robar|quitarnos|morirse|volverse|dejar de comer|estar encerrad\w*|desaparecer|todo|iguales)",
    r"\b(?:esa gente que|los que) se (?:corta|cortan)\b[^.!?\n]{0,60}\b(?:llamar la atenci[oó]n|pat[eé]tic\w*|hacerlo bien)\b",
    r"\b(?:llenadle|llenenle|llenarle|id a decirle|vayan a decirle|ll[aá]menlo y d[ií]ganle|reportadle|acosadla|acosadlo)\b",
    # "People like you", "your kind".
    r"\b(?:la )?gente como (?:t[uú]|vos|usted|ustedes|vosotros)\b",
    r"\b(?:los|las) (?:que son )?como (?:t[uú]|vos)\b(?= (?:no|deber[ií]an|sobran|dan))",
    r"\b(?:tu|los de tu) (?:cala[ñn]a|especie|clase|tipo)\b",
]
MISINFORMATION_PATTERNS = [
    # Stopping medication.
    r"(?<!\bno )(?<!\bnunca )(?<!\bjam[aá]s )\b(?:deja|dej[aá]|dejen|dejad|tira|tir[aá]|tiren|tirad|suelta|abandona|olv[ií]date de|"
    r"deja de tomar|dej[aá] de tomar|deje de tomar|dejen de tomar|dejad de tomar|para de tomar|par[aá] de tomar|"
    r"deja de usar|quitate|qu[ií]tate|corta|cort[aá]|suspende|suspend[eé]) "
    r"(?:ya |todas |todos |toda |todo )?(?:tus|las|los|la|el|esas|esos|esa|ese|tu|su|sus) "
    r"(?:pastillas|pastis|medicaci[oó]n|medicamentos|medicinas|antidepresivos|ansiol[ií]ticos|antipsic[oó]ticos|"
    r"psicof[aá]rmacos|pildoras|p[ií]ldoras|benzos|benzodiacepinas|litio|isrs|sertralina|fluoxetina|"
    r"escitalopram|paroxetina|venlafaxina|quetiapina|clonazepam|tratamiento)\b(?! (?:caducad|vencid|viej|que (?:te )?sobr))",
    r"\b(?:de golpe|en seco|de un d[ií]a para otro|sin consultar|sin preguntar al m[eé]dico|sin avisar al m[eé]dico)\b[^.!?\n]{0,40}\b(?:es lo mejor|funciona|no pasa nada|y listo|y ya|sin problema)\b",
    r"(?<!\bno )(?<!\bnunca )\b(?:dejarlas|dejarla|dejarlos|dejarlo|d[eé]jalas|d[eé]jalos|d[eé]jala|dejalas|dejalos|d[eé]jal[ao]s?|t[ií]ralas|t[ií]ralos|c[oó]rtalas|qu[ií]tatelas|las dej[eé]|los dej[eé]|la dej[eé]|dej[eé] las pastillas|dej[eé] la medicaci[oó]n|dej[eé] los antidepresivos|hay que dejarlas|pod[eé]s dejarlas|puedes dejarlas) de golpe\b",
    # Treatment is a scam.
    r"\b(?:la terapia|las terapias|la psiquiatr[ií]a|la psicolog[ií]a|los psiquiatras|los psic[oó]logos|"
    r"las pastillas|los antidepresivos|la medicaci[oó]n|los medicamentos|los psicof[aá]rmacos|los ansiol[ií]ticos|"
    r"las farmac[eé]uticas|la salud mental) (?:es|son|no es m[aá]s que|no son m[aá]s que|solo es|solo son) "
    r"(?:una |un |todo un |toda una |pur[oa] |pur[oa]s |solo |un gran |una gran )?(?:estafa|estafas|veneno|venenos|enga[ñn]o|"
    r"mentira|mentiras|timo|fraude|farsa|cuento|negocio|droga|drogas|basura|invento|mafia|secta)\b",
    # Dosing.
    r"(?<!\bno )(?<!\bme )(?<!\ble )(?<!\bnos )\b(?:dobla|dobl[aá]|duplica|duplic[aá]|triplica|aumenta|aument[aá]|sube) "
    r"(?:t[uú] mism[oa] |vos |por tu cuenta )?(?:tu|la|su|el) (?:dosis|dosificaci[oó]n|medicaci[oó]n)\b",
    r"\b(?:t[oó]mate|toma|tom[aá]|tomate|t[oó]mense) (?:el doble|el triple|doble dosis|dos veces la dosis|el doble de la dosis)\b",
    r"\b(?:puedes|pod[eé]s|hay que|deber[ií]as|tienes que|ten[eé]s que) (?:doblar|duplicar|triplicar) (?:la|tu) dosis\b",
    # Cures and denial.
    r"(?<!\bno )(?<!\bnunca )(?<!\bni )\b(?:cura|curan|curar[aá]|te cura|te curan|elimina|eliminan) (?:la |tu |el |los |las )?"
    r"(?:depresi[oó]n|ansiedad|bipolaridad|trastorno bipolar|esquizofrenia|toc|tdah|tept|estr[eé]s postraum[aá]tico|ataques de p[aá]nico|autismo)\b",
    r"\b(?:la depresi[oó]n|la ansiedad|el tdah|la bipolaridad|el toc|el autismo|las enfermedades mentales|los trastornos mentales|la esquizofrenia)"
    r" se (?:cura|quita|curan|quitan) (?:con|rezando|comiendo|haciendo|solo con|s[oó]lo con|ayunando)\b",
    r"\b(?:la depresi[oó]n|la ansiedad|el tdah|la bipolaridad|el toc|las enfermedades mentales|los trastornos mentales|la enfermedad mental)"
    r" (?:no existe|no existen|no es real|no son reales|es un invento|son un invento|es mentira|es un mito|son un mito|"
    r"es de d[eé]biles|es cosa de d[eé]biles|es flojera|es pereza|son excusas|es una excusa|es falta de voluntad)\b",
    r"\b(?:big pharma|las farmac[eé]uticas (?:solo )?(?:quieren|te quieren|nos quieren|inventaron|inventan|te mienten|mienten|nos mienten|os mienten|ocultan|esconden|no quieren|te enferman|nos enferman))\b",
    # Mixing with alcohol.
    r"(?<!\bno )(?<!\bnunca )\b(?:mezcla|mezcl[aá]|mezclar|combina|combin[aá]|t[oó]mate|tomate|toma|tom[aá]|acompa[ñn]a|baja|baj[aá]) "
    r"(?:el |la |los |las |tus |tu |unos |unas )?(?:clonazepam|alprazolam|rivotril|xanax|trankimazin|lorazepam|diazepam|"
    r"valium|orfidal|lexatin|benzos?|benzodiacepinas|pastillas|pastis|ansiol[ií]ticos|tranquilizantes|antidepresivos|somn[ií]feros) "
    r"con (?:alcohol|vino|cerveza|una cerveza|unas cervezas|unos tragos|un trago|tequila|vodka|ron|copas|unas copas|una copa|birra|birras|fernet|pisco|aguardiente|whisky)\b",
    r"\b(?:las pastillas|los antidepresivos|los psicof[aá]rmacos|las pastillas psiqui[aá]tricas|el litio|la fluoxetina|la sertralina|los isrs|la medicaci[oó]n) (?:son|es) (?:un |una )?(?:veneno|droga|drogas|estafa|experimento)\b",
    r"\b(?:la depresi[oó]n|la ansiedad|la esquizofrenia|el tdah|el toc|el estr[eé]s postraum[aá]tico|el trastorno \w+|la anorexia) (?:es|son) (?:de vagos|de d[eé]biles|cuento|un cuento|un don|solo mental|culpa de|falta de fe|un invento|mentira|para d[eé]biles)",
    r"\b(?:los antidepresivos|las pastillas|la medicaci[oó]n|las benzos|los psicof[aá]rmacos) (?:son para d[eé]biles|no crean adicci[oó]n|causan (?:los )?suicidios|te (?:pudren|cambian|lavan|convierten|hacen est[eé]ril))",
    r"\b(?:se (?:cura|quita)|te curas?|se te (?:quita|pasa)) (?:con|rezando|bebiendo|comiendo|haciendo|pensando en positivo)\b",
    r"\b(?:no vayas|nunca vayas|no vay[aá]s nunca|no vayas nunca) al (?:psiquiatra|psic[oó]logo|m[eé]dico)\b|\bte van a drogar\b|\bno dejes que te droguen\b",
    r"\b(?:dejadlos|d[eé]jalos|d[eé]jala|d[eé]jalas|t[ií]ralos|t[ií]ralas) (?:ya|hoy|hoy mismo|de una vez)\b",
    r"\b(?:con|se potencia con|mezclar \w+ con) (?:un par de |unas |dos )?(?:copas|cervezas|cerveza|vino|alcohol)\b[^.!?\n]{0,40}\b(?:relaja|es lo mejor|es genial|duermes|no pasa nada|lo recomiendo)",
    r"\bno (?:necesitas|necesit[aá]s|te hacen falta|te sirven) (?:las |los |la )?(?:pastillas|antidepresivos|medicaci[oó]n|psiquiatras?|psic[oó]logos?|terapia)\b[^.!?\n]{0,40}\b(?:solo|s[oó]lo|basta con|con)\b",
]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


def _fold(text: str) -> str:
    """Lower case without accents ("Mátame" -> "matame"), keeping emoji and punctuation."""
    return _strip_accents(text.lower())


def _compile(patterns: list[str]) -> list[re.Pattern[str]]:
    # Patterns lose their accents too (never their case: \W and \w differ).
    return [re.compile(_strip_accents(p), re.IGNORECASE | re.MULTILINE) for p in patterns]


_CRISIS = _compile(CRISIS_PATTERNS)
_CRISIS_IDIOMS = _compile(CRISIS_IDIOMS)
_CRISIS_GUARDS = _compile(CRISIS_GUARDS)
_TOXIC = _compile(TOXIC_PATTERNS)
_MISINFORMATION = _compile(MISINFORMATION_PATTERNS)


def _normalise(text: str) -> str:
    return _fold(text.replace("’", "'").replace("‘", "'").replace("´", "'"))


# Double quotes of every kind, guillemets, long single-quoted passages and "> " quote lines.
_QUOTED = re.compile(
    r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»|‹[^›]*›|'[^']{12,}'|^\s*>.*$", re.MULTILINE
)


def unquoted(text: str) -> str:
    """The writer's own words: quotes of someone else's crisis words are not a crisis."""
    return _QUOTED.sub(" ", text)


# Someone else's claim, reported to be questioned: "mi tía dice que la terapia es un timo".
_REPORTED = re.compile(
    r"\b(?:dice|dicen|dec[ií]a|dec[ií]an|cree|creen|piensa|piensan|dijo|afirma|afirman|asegura)"
    r" que\b[^\n]*\b(?:pero|rabia|me re[ií]|ojal[aá]|no es verdad|mentira|c[oó]mo le explico|falso|"
    r"enfermedad real|yo llevo|a m[ií] me|yo le digo)",
    re.IGNORECASE,
)

_REPORTING_VERB = re.compile(
    r"\b(?:dice|dicen|dec[ií]a|dec[ií]an|cree|creen|piensa|piensan|dijo|afirma|afirman|asegura) que\b"
)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\n])\s*|(?=¿)", text) if s.strip()]


def crisis_rule(text: str) -> bool:
    text = unquoted(_normalise(text))
    for idiom in _CRISIS_IDIOMS:
        text = idiom.sub(" ", text)
    if not any(p.search(text) for p in _CRISIS):
        return False
    return not any(g.search(text) for g in _CRISIS_GUARDS)


def toxic_rule(text: str) -> bool:
    # Quoted insults ("mi madre me decía «no sirves para nada»") are told, not aimed.
    text = unquoted(_normalise(text))
    return any(p.search(text) for p in _TOXIC)


def misinformation_rule(text: str) -> bool:
    # Questions ("¿puedo dejar la sertralina de golpe?") ask; they do not advise.
    text = unquoted(_normalise(text))
    reported = _REPORTED.search(text) is not None
    for sentence in _sentences(text):
        if "?" in sentence or sentence.lstrip().startswith("¿"):
            continue
        if reported and _REPORTING_VERB.search(sentence):
            continue
        if any(p.search(sentence) for p in _MISINFORMATION):
            return True
    return False
