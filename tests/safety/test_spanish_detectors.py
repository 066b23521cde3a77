"""Spanish lexicon rules and Spanish personal data: what they catch and what they leave alone."""

import pytest

from haven.safety.detectors import lexicon_es
from haven.safety.detectors.personal_data import find_personal_data


@pytest.mark.parametrize(
    "text",
    [
        "quiero morirme",
        "me quiero matar, ya no puedo más",
        "me voy a matar esta noche",
        "ya no quiero vivir",
        "quiero desaparecer para siempre",
        "no quiero despertar mañana",
        "todos estarían mejor sin mí",
        "ya no aguanto más, quiero que todo se acabe",
        "me corté otra vez y no para de sangrar",
        "ya tengo las pastillas guardadas",
        "esta es mi última publicación",
        "hoy escribí mi carta de despedida",
        "estoy pensando en quitarme la vida",
        "voy a suicidarme",
        "hoy termino con todo",
        "no le encuentro sentido a vivir",
        "Me quiero morir. No es broma.",
        "QUIERO MORIRME",
        "kiero matarme",
        "mi hermano se tomó todas las pastillas y no reacciona",
    ],
)
def test_crisis_positives(text):
    assert lexicon_es.crisis_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        "me muero de risa con el video jajaja",
        "me muero de ganas de verte el sábado",
        "me muero de hambre, ¿pedimos pizza?",
        "me quiero morir de la vergüenza",
        "me muero de sueño",
        "me mata el trabajo esta semana",
        "me mata el calor",
        "me estoy muriendo de calor",
        "estoy muerta de cansancio",
        "mátame camión, otra vez lunes",
        "ya no aguanto más el ruido de las obras",
        "hace años pensaba en suicidarme todos los días, hoy estoy mejor",
        "cuando era adolescente me cortaba",
        "llevo 6 meses sin autolesionarme",
        "sobreviví a mi intento y hoy estoy bien",
        "si estás pensando en quitarte la vida, llama al 024",
        "no estás sola, aquí estamos",
        "la línea de crisis me ayudó mucho",
        "estoy haciendo un curso de prevención del suicidio",
        "vi un documental sobre el suicidio en adolescentes",
        "la canción dice «quiero morir en tus brazos»",
        'mi amiga escribió "me quiero matar" y no sé qué decirle',
        "me quiero morir jaja",
        "me voy a matar estudiando xd",
        "no quiero morir, quiero que deje de doler",
        "me corté el dedo cortando cebolla",
        "voy a matar esta lasaña",
    ],
)
def test_crisis_hard_negatives(text):
    assert not lexicon_es.crisis_rule(text)


def test_idiom_does_not_hide_a_real_crisis():
    assert lexicon_es.crisis_rule("me muero de sueño, pero en serio, quiero suicidarme")


@pytest.mark.parametrize(
    "text",
    [
        "eres un inútil",
        "eres una basura",
        "sos un boludo",
        "nadie te quiere",
        "mátate",
        "ojalá te mueras",
        "muérete ya",
        "tírate de un puente",
        "sé dónde vives",
        "te voy a partir la cara",
        "eres un pendejo",
        "gilipollas, cállate",
        "pinche culero",
        "hijo de puta, vete",
        "la gente como tú sobra",
    ],
)
def test_toxic_positives(text):
    assert lexicon_es.toxic_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        "boludo ya fue, no doy más",
        "wey, te extraño",
        "me siento una inútil",
        'mi madre me decía "no sirves para nada" y ya no la creo',
        "mi jefe me dijo que era una basura y me dolió",
        "me voy a matar estudiando",
    ],
)
def test_toxic_hard_negatives(text):
    assert not lexicon_es.toxic_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        "deja las pastillas, no las necesitas",
        "deja de tomar los antidepresivos",
        "tira la medicación a la basura",
        "yo las dejé de golpe y estoy genial",
        "la psiquiatría es una estafa",
        "los antidepresivos son veneno",
        "dobla la dosis si no te hace efecto",
        "el ayuno cura la depresión",
        "la depresión no existe",
        "las farmacéuticas solo quieren tu dinero",
        "mezcla el clonazepam con alcohol y duermes genial",
    ],
)
def test_misinformation_positives(text):
    assert lexicon_es.misinformation_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        "no dejes la medicación sin hablar con tu psiquiatra",
        "¿es peligroso dejar la sertralina de golpe?",
        "mi psiquiatra me dobló la dosis",
        "nunca mezcles el clonazepam con alcohol",
        "la terapia no cura la depresión de un día para otro, pero ayuda",
        "mi tía dice que la depresión no existe, pero yo sé que es real",
        "dejé la paroxetina poco a poco con mi médico",
        "tomo 20 mg de escitalopram",
    ],
)
def test_misinformation_hard_negatives(text):
    assert not lexicon_es.misinformation_rule(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mi móvil es +34 612 34 56 78", "phone"),
        ("llámame al 612345678", "phone"),
        ("mi cel +52 55 1234 5678", "phone"),
        ("escríbeme al 55-1234-5678", "phone"),
        ("escribime al +54 9 11 1234-5678", "phone"),
        ("mi número es +57 310 1234567", "phone"),
        ("seis uno dos tres cuatro cinco seis siete ocho", "phone"),
        ("seis uno ocho, cuarenta y siete, veintitrés, noventa", "phone"),
        ("juan arroba gmail punto com", "email"),
        ("escríbeme a juan (arroba) hotmail.es", "email"),
        ("vivo en la Calle Mayor 12, 3ºB", "address"),
        ("estoy en C/ Alcalá 45", "address"),
        ("Av. Insurgentes Sur 1234, Col. Del Valle", "address"),
        ("Avenida Corrientes 1234, piso 3", "address"),
        ("Carrera 7 # 45-10", "address"),
        ("Calle 72 No. 10-34, Bogotá", "address"),
        ("Paseo de Gracia 92", "address"),
        ("Plaza Mayor 3", "address"),
        ("me llamo Juan Pérez García", "name"),
        ("mi nombre es Ana María López", "name"),
        ("soy Ana López de Sevilla", "name"),
        ("mi novio Alejandro Pérez no me deja en paz", "name"),
        ("mi DNI es 12345678Z", "id_number"),
        ("12345678Z", "id_number"),
        ("NIE X1234567L", "id_number"),
        ("mi CURP es GODE561231HDFRRN09", "id_number"),
        ("RFC GODE561231GR8", "id_number"),
        ("mi dni es 30.123.456", "id_number"),
        ("mi cédula es 1.023.456.789", "id_number"),
        ("CC 1023456789", "id_number"),
        ("mi insta es @lau.sanchez_98", "handle"),
        ("mi snap es caro_mnz", "handle"),
    ],
)
def test_finds_spanish_personal_data(text, kind):
    assert kind in {finding.kind for finding in find_personal_data(text)}


@pytest.mark.parametrize(
    "text",
    [
        "si estás en crisis llama al 024, o al 112 si es una emergencia",
        "en México la Línea de la Vida es el 800 911 2000",
        "el Teléfono de la Esperanza es el 717 003 717",
        # A listener's crisis-lines message: a line, then its hours in brackets.
        "Teléfono de la Esperanza: llama al 717 003 717 (24 horas, todos los días)",
        "llama al 911",
        "me costó 45 euros la consulta",
        "el piso cuesta 1.250.000 pesos",
        "pagué $ 3.500.000 por el coche",
        "tomo 50 mg de sertralina por la mañana",
        "la pastilla es de 0,5 mg",
        "mi cita es el 12/03/2024 a las 10:30",
        "el pedido 48392017 todavía no ha llegado",
        "número de pedido: 123456789",
        "el número de historia clínica 0045872",
        "estoy en la habitación 214 del hospital",
        "el autobús 27 tarda 20 minutos",
        "me llamo Ana, tengo 24 años",
        "mi psicóloga se llama Laura",
        "vivo en Buenos Aires, en un barrio tranquilo",
        "fui a la plaza 3 veces",
        "en la calle hay 3 perros",
        "llevo 365 días sin fumar",
        "uno dos tres, respira",
    ],
)
def test_leaves_spanish_help_numbers_prices_and_doses_alone(text):
    assert find_personal_data(text) == []


def test_a_phone_in_brackets_after_a_help_line_is_still_found():
    found = find_personal_data("llama al 024 o a mí (612 345 678)")
    assert [f.kind for f in found] == ["phone"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mi num es 612 345 seis siete ocho", "phone"),
        ("el 6 doce 34 56 78 es mi móvil", "phone"),
        ("mi cel es 55 trece 45 67 89", "phone"),
        ("agrégame al discord, soy fercho.dev", "handle"),
        ("búscame como dani.sevilla en insta", "handle"),
        ("dm a @santi_rosario en ig", "handle"),
        ("si quieres hablar, mi skype es felipe.alarcon.cl", "handle"),
        ("búscame en fb como Brenda Yulissa Caballero", "name"),
        ("mi face es Andrea Salazar Quispe, la de foto con un perro", "name"),
        ("mi gmail es carlitos.rdz99 por si acaso", "email"),
        ("mi correo es pablo punto mendez en gmail", "email"),
        ("mi correo es juanca99 en hotmail", "email"),
        ("vivo en Insurgentes Sur 1602 int. 5", "address"),
        ("vivo en Corrientes 3456 4°C", "address"),
        ("Calle 5 de Mayo 87, int. 3, Col. Centro, Puebla", "address"),
        ("Jr. de la Unión 456, Cercado de Lima", "address"),
        ("Blvd. Agua Caliente 10440, Tijuana", "address"),
        ("vivo en Passeig de Gràcia 43, 3r 1a, Barcelona", "address"),
        ("Urb. La Florida, calle 3, casa 15, Caracas", "address"),
        ("Av. Francisco de Miranda, Edif. Parque Cristal, piso 8", "address"),
        ("vivo en Mz B Lt 7, Ate", "address"),
        ("vivo en el 345 de la calle Real, en Cádiz", "address"),
        ("vivo entre calles Juárez y Morelos, casa 45", "address"),
        ("apartado de correos 1234, 46080 Valencia, a nombre de Pilar Soler", "address"),
        ("soy la única psicóloga del CESFAM de Lo Prado", "name"),
        ("soy la delegada de 2º de bachillerato del IES Luis Vives", "name"),
        ("mi hijo va al CEIP Miguel de Cervantes de Getafe, 3ºB", "name"),
        ("soy la enfermera Ana Belén Prieto, planta 3 del Clínico de Salamanca", "name"),
        ("la zorra de Marta Gil trabaja en el Zara de Plaza Norte", "name"),
        ("estudio en la prepa 6 de la UNAM, me llamo Itzel Cruz", "name"),
        ("Camila Ortiz, fecha de nacimiento 22-07-2004", "name"),
        ("Valeria Montes Díaz, f. nac. 30-09-2000", "name"),
        ("C.I. V-18.456.321", "id_number"),
        ("la placa de mi carro es ABC-123-D", "id_number"),
        ("la matrícula del tipo que me sigue es 1234 BCD, un Audi negro", "id_number"),
        ("IBAN ES91 2100 0418 4502 0005 1332", "id_number"),
        ("mi CLABE es 012180001234567891", "id_number"),
        ("CBU 2850590940090418135201", "id_number"),
        ("mi INE dice MRTLCS95031209M800", "id_number"),
        ("cédula de extranjería 456789", "id_number"),
    ],
)
def test_finds_harder_spanish_personal_data(text, kind):
    assert kind in {finding.kind for finding in find_personal_data(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Chile: Salud Responde 600 360 7777 y la línea 4141",
        "en Argentina también está el 0800 999 0091",
        "la fundación ANAR tiene un teléfono para niños, el 900 20 20 10",
        "en Uruguay la línea de prevención del suicidio es el 0800 0767",
        "estudio en la Universidad de Chile y la carga académica es brutal",
        "hay un curso gratuito en Coursera de la Universidad Autónoma de Barcelona",
        "soy de Puerto Rico y vivo en Orlando",
        "trabajo en una tienda de ropa",
        "trabajo en el banco de 8 a 3",
        "mi hijo va al colegio y llora",
        "estudio en la universidad y no me da la vida",
        "gracias @lunanueva por tu respuesta, me ayudó mucho",
        "mi correo está lleno de spam",
        "tengo el correo en gmail",
        "cinco cosas que ves, cuatro que tocas, tres que oyes",
        "cuento 4 7 8 para respirar: 4 segundos, 7, 8",
        "estuve internada del 03/01/2023 al 15/02/2023",
        "necesito renovar el DNI y me da ansiedad ir",
        "el Hospital 12 de Octubre tiene buena unidad de psiquiatría",
        "Lionel Messi dijo que fue a terapia",
    ],
)
def test_leaves_harder_spanish_negatives_alone(text):
    assert find_personal_data(text) == []


def test_spanish_patterns_do_not_backtrack_on_long_runs():
    import re
    import time

    from haven.safety.detectors import personal_data

    spanish = [
        value
        for name, value in vars(personal_data).items()
        if isinstance(value, re.Pattern)
        and name.startswith(
            ("ES_", "CL_", "VE_", "GT_", "AR_", "CARD_", "STAFF_", "SPACED_", "MAP_", "_")
        )
    ]
    for text in (
        "1." * 2500,
        "1-" * 2500,
        "Calle " + "Mayor " * 830,
        "Ana " * 1250,
        "1 " * 2500,
        "a " * 2500,
        "casa al lado de " * 300,
        "Ana García, " * 400,
        "mi cel " + "12 " * 1600,
        "O1" * 2500,
        "soy el único " * 400,
        "estudio en la UNAM " * 260,
        "del " * 1250,
        # Many numbers in one long post: each is checked against the words near it only.
        "12345678A " * 2000,
        "paciente #A-38291 del IMSS " * 740,
    ):
        for pattern in spanish:
            start = time.perf_counter()
            list(pattern.finditer(text))
            assert time.perf_counter() - start < 0.5, pattern.pattern[:60]
        # The rules that combine patterns, too (a school per sentence, not per school named).
        start = time.perf_counter()
        find_personal_data(text, ("es",))
        assert time.perf_counter() - start < 0.5, text[:30]


@pytest.mark.parametrize(
    "text",
    [
        "My son posted a goodbye. I've called 911, police are on the way.",  # "called", not "calle"
        "We called 112 straight away and she is safe now.",
        "The avenue 5 minutes from here has a quiet park.",
    ],
)
def test_spanish_street_words_do_not_match_inside_english_words(text):
    assert [f for f in find_personal_data(text) if f.kind == "address"] == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Phones: El Salvador's eight digits, number words with hundreds, a colon after.
        ("tel 7012-3456, solo por whatsapp", "phone"),
        ("novecientos doce, trescientos cuarenta, cincuenta y seis setenta: llámame", "phone"),
        ("seis dos cero, 11 22 33: es mi número nuevo", "phone"),
        # E-mail with "(at)", and typed letter by letter.
        ("escríbeme a marta_gil (at) yahoo (punto) es", "email"),
        ("m a r t a . g i l @ g m a i l . c o m", "email"),
        # Handles on more sites, and named as one's own.
        ("en bereal soy caro.mtz, agrégame", "handle"),
        ("en X me encuentran como @eltucu_poeta", "handle"),
        ("ahora uso @vale.cuenta3, la otra me la cerraron", "handle"),
        ("el snapchat de mi ex es bruno_k_2004", "handle"),
        ("steam: xXPabloGamerXx si alguien quiere jugar", "handle"),
        ("transmito en kick.com/la_nena_ar los sábados", "handle"),
        # Identification: Venezuelan letter, cards, plates, payment aliases, staff numbers.
        ("V-20.345.678 es mi cédula", "id_number"),
        ("la tarjeta 4539 1488 0343 6467, ¿la habrán clonado?", "id_number"),
        ("el coche tiene patente HJKL-32", "id_number"),
        ("pasame a mi alias sol.rios.mp si podés", "id_number"),
        ("mi número de empleado es 55120 en Bimbo", "id_number"),
        ("legajo 20345 de la municipalidad", "id_number"),
        # Addresses: lower case with more street words, cross streets, zones, directions.
        ("pasaje las rosas 128, villa el sol", "address"),
        ("avda meridiana 350 2-3 barcelona", "address"),
        ("calle allende entre hidalgo y juárez, la casa blanca", "address"),
        ("Calle 17 entre B y C, Vedado", "address"),
        ("7 avenida 12-30 zona 1, Guatemala", "address"),
        ("de la pulpería La Amistad 150 varas al sur, casa con rejas verdes", "address"),
        ("Av. 6 de Diciembre N24-253, Quito", "address"),
        ("2210 NW 7th Ave, Miami", "address"),
        ("la casa amarilla frente a la iglesia de la calle Sarmiento", "address"),
        # Names: two surnames, a comma and a place, lower case, titles, classes.
        ("mi padrastro es Julio Ramos Prieto y me pega", "name"),
        ("Lorena Vidal, enfermera del hospital de Jaén, me trató fatal", "name"),
        ("me llamo karina soledad funes, de córdoba", "name"),
        ("ana lucia quispe es mi compañera y me defiende", "name"),
        ("el señor Tomás Arce del kiosco me grita", "name"),
        ("estoy en 2ºC del colegio Santa Ana de Murcia", "name"),
        ("4to semestre grupo 405 del CCH Oriente", "name"),
    ],
)
def test_finds_less_obvious_spanish_personal_data(text, kind):
    assert kind in {finding.kind for finding in find_personal_data(text, ("es",))}


@pytest.mark.parametrize(
    "text",
    [
        "Puerto Rico: Línea PAS 1-800-981-0023, a cualquier hora",
        "en EE. UU. la línea en español es el 1-888-628-9454",
        "el libro de Marian Rojas Estapé me ayudó bastante",
        "Promo Promo Promo, todo al 50%",
        "mi móvil es un Xiaomi Redmi Note 12 y se me traba la app",
        "hice un curso de primeros auxilios psicológicos en la universidad",
        "estuve en San Pedro Sula el año pasado",
        "fui al Hospital Clínico Universitario a por mis pastillas",
        "ana y yo vamos a terapia juntas",
        "hoy mi amiga lucía me escuchó un rato",
        "caminé 200 metros y tuve que sentarme",
        "en la calle hace frío entre semana y los findes",
        "del 2019-2023 estuve en tratamiento",
    ],
)
def test_leaves_more_spanish_look_alikes_alone(text):
    assert find_personal_data(text, ("es",)) == []


def test_spanish_name_rules_wait_for_spanish_text():
    """English capitalised phrases are not read as Spanish names (two surnames)."""
    text = "I watched Good Will Hunting with Maria Lopez Garcia last night"
    assert find_personal_data(text, ("en",)) == []
    assert [f.kind for f in find_personal_data(text, ("en", "es"))] == ["name"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A phone in pieces, disguised, or spoken with slashes.
        ("mi cel arranca con 612 y sigue 34 56 78, escríbeme", "phone"),
        ("whatsapp: 6O4 2I1 8O9 (las O son ceros)", "phone"),
        ("escríbeme al 6️⃣1️⃣2️⃣ 3️⃣4️⃣ 5️⃣6️⃣ 7️⃣8️⃣", "phone"),
        ("número 33/1876/5540 por si alguien de gdl quiere hablar", "phone"),
        ("cuatro-cinco-seis / ochenta y uno / veinte / treinta", "phone"),
        # Handles on more sites and in more frames.
        ("en el tele soy nube_gris_mx, escríbeme", "handle"),
        ("sígueme en el insta, caro.vazquez.ok", "handle"),
        ("mi tumblr es llueve-por-dentro-cl", "handle"),
        ("tengo kik, usuario flor_triste_ar", "handle"),
        ("lunita.sad.22, así me encuentran en line", "handle"),
        ("todo lo mío está en linktr.ee/pau.escribe", "handle"),
        ("pau.ramos en gmail punto com, escríbeme", "email"),
        # Places: maps, coordinates, rural and estate names, corners, rooms.
        ("ubicación: maps.app.goo.gl/Ab12Cd34Ef, vengan", "address"),
        ("estoy en -34.6037, -58.3816 y no sé qué hacer", "address"),
        ("la casa de mi tía, plus code 8FVC+9G Quito", "address"),
        ("vivimos en el km 12 de la carretera a Tenancingo", "address"),
        ("vereda La Palma de Sopó, la casa del fondo", "address"),
        ("condominio Los Robles, casa 14", "address"),
        ("trabajo en el Oxxo de Reforma esquina Insurgentes", "address"),
        ("pensión de la calle Toledo, habitación 7", "address"),
        ("vivo en el 28045, en el sur de Madrid", "address"),
        ("Villa Los Aromos, pasaje 2, block 8, depto 301", "address"),
        ("vivo arriba de la farmacia de la calle Feria, en Triana", "address"),
        # People: particles and initials, nicknames, jobs at named places, titles.
        ("me lo dijo maría del carmen sánchez, mi vecina", "name"),
        ("soy Luis A. Herrera y no sé a quién contarlo", "name"),
        ("en el barrio me dicen la flaca Quiroga", "name"),
        ("soy la única enfermera de noche del centro de salud de Calasparra", "name"),
        ("trabajo de cajero en el Mercadona de Alcorcón", "name"),
        ("atiendo la caja 2 del Walmart de Tlalpan", "name"),
        ("doña Teresa Quintana, la del quiosco, me cuida", "name"),
        ("legajo 12.345 de la facultad", "id_number"),
    ],
)
def test_finds_disguised_and_rural_spanish_personal_data(text, kind):
    assert kind in {finding.kind for finding in find_personal_data(text, ("es",))}


@pytest.mark.parametrize(
    "text",
    [
        "Uruguay: línea Vida, 0800 0767 o *0767 desde el celular",
        "el móvil me costó 250 euros y la funda 30",
        "mi número de la suerte es el 7 y el 13",
        "el celular al 15% y me quedan 2 horas de batería",
        "la ficha clínica 445812 me la pidió el psiquiatra, ¿es normal?",
        "el hospital me dio el número de historia clínica 0045872",
        "soy la única de mi familia que va a terapia",
        "trabajo de cajera y estoy agotada",
        "la finca de mis abuelos era mi lugar seguro",
        "caminé dos kilómetros por la carretera y lloré",
        "en la esquina de mi casa hay un banco donde me siento",
        "vivo en el campo con mis padres",
        "gracias @nube_tranquila, tu mensaje me ayudó",
        "la serie Casa de Papel me distrae",
        "subo al 12 y bajo en la estación 3",
        "pagué 1.500, 2.000 y 3.000 pesos este mes en terapia",
        "compré un lote 3 de camisetas baratas",
        "me llegó una carta de Hacienda Pública y me agobié",
        "es el profesor de Historia y me cae bien",
        "hoy estuve con ana feliz de verdad",
        "vivo al lado de mi madre en Sevilla y eso me ayuda",
        "la casa de mis padres está frente a la playa de Barcelona",
        "la nena Sofía ya duerme y yo no puedo",
    ],
)
def test_leaves_spanish_look_alikes_of_disguised_data_alone(text):
    assert find_personal_data(text, ("es",)) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Plates by shape beside the vehicle; Puerto Rico's "tablilla".
        ("la moto de mi cuñado es la AC 482 FD, está siempre frente a mi casa", "id_number"),
        ("el coche de mi ex, el 4821 KLM, sigue aparcado en mi calle", "id_number"),
        ("la guagua de mi tío tiene tablilla JKL-739", "id_number"),
        # Handles: the site in any case, "como" after it, plural and "me pueden" verbs.
        ("en Twitch soy @noches_de_luna, hago directos", "handle"),
        ("me pueden encontrar en discord como nube.gris.22", "handle"),
        ("búsquenme como lucho.valpo en instagram", "handle"),
        # Addresses: the flat then the building, typed on a phone; numbered streets meeting.
        ("vivo en el apto 7c, edificio las palmas, me siento sola ahí", "address"),
        ("edificio mirador del sur, depto 304, ahí me mudé", "address"),
        ("la casa de la esquina de Carrera 12 con Calle 45, la del portón negro", "address"),
        # Where someone can be found: a chain's shop on a named street, a school then the class.
        ("trabajo en el Éxito de la avenida Boyacá, turno de noche", "name"),
        ("soy enfermera en el Hospital Almenara y no duermo", "name"),
        ("voy al colegio Los Andes, 2do medio C, y me hacen bullying", "name"),
        ("estudio en la universidad de Chile, sección 1203, y no conozco a nadie", "name"),
    ],
)
def test_finds_plates_handles_flats_and_workplaces_read_from_a_fresh_probe_set(text, kind):
    """Shapes a fresh probe set of 220 Spanish posts found missing (197 caught at first)."""
    assert kind in {finding.kind for finding in find_personal_data(text, ("es",))}


@pytest.mark.parametrize(
    "text",
    [
        # Paperwork numbers with words between: references, not phones.
        "el número de historia clínica que me dieron en urgencias es 2021-007731",
        "mi solicitud de pensión tiene folio 0087321 y nadie contesta",
        "la derivación a psiquiatría tiene referencia PS-2024-2231",
        # A phone is still a phone after paperwork words.
        # Cars and shops without anyone's place: a model, a price, a chain in general.
        "mi coche es un seat de 2009 y me costó 3000 euros",
        "trabajo en un supermercado y estoy agotada",
        "el edificio de mi trabajo tiene 12 pisos y el ascensor me da ansiedad",
        "en instagram como en todas partes la gente finge ser feliz",
        "estoy en el colegio y tengo un examen de la unidad 3",
    ],
)
def test_leaves_paperwork_cars_and_general_places_alone(text):
    assert find_personal_data(text, ("es",)) == []


def test_a_phone_after_paperwork_words_is_still_a_phone():
    found = find_personal_data("el trámite me tiene loca, mi móvil es 612 48 93 27", ("es",))
    assert "phone" in {finding.kind for finding in found}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Letters for digits: S for 5, B for 8.
        ("mi cel es 6S4 2B1 903, escríbeme", "phone"),
        # Plates named as such, and Mexico's shape.
        ("la placa de la troca que me sigue es LMN-12-34", "id_number"),
        ("el Gol blanco, dominio ABC 123, siempre estacionado frente a mi casa", "id_number"),
        # Handles: an ñ, "sigue siendo", who one is on a site; pages of one's own.
        ("mi insta es la_niña_triste", "handle"),
        ("mi skype sigue siendo paula.rios.mx", "handle"),
        ("soy lobo_gris88 en discord, escríbanme", "handle"),
        ("escribo en misdiasgrises.wordpress.com cuando no puedo dormir", "handle"),
        ("mi fanfic está en wattpad.com/user/lunanegra_", "handle"),
        ("abrí una colecta en gofundme.com/f/ayuda-para-mi-mama", "handle"),
        # Addresses: a house between two streets, Argentina's blocks, Quito's numbering,
        # a block and its floor, a lot and its villa.
        ("vivo en Juárez 112 entre Madero y Zaragoza, la de la reja verde", "address"),
        ("alquilo en Rivadavia al 4500, cerca del subte", "address"),
        ("la casa está en la Av. 6 de Diciembre N34-120 y Portugal", "address"),
        ("vivo en el bloque 7, 3ºB, y los vecinos gritan toda la noche", "address"),
        ("Mz. 12 villa 8 de la ciudadela, ahí me quedo con mi tía", "address"),
        # Where someone can be found: a chain's shop on a corner, a job at a named shop, a
        # class by its section or term.
        ("laburo en el Día de Corrientes y Pueyrredón, a la tarde", "name"),
        ("trabajando de cajera en el Mercadona de la calle Alcalá", "name"),
        ("soy la barista del Café Tortoni, la de pelo rojo", "name"),
        ("voy a 4to grado de la escuela N° 12, grupo B", "name"),
        ("estudio en el CETIS, tercer año sección 2, y me molestan", "name"),
        ("la UPN sede Lima Norte, ciclo 6, ahí estudio", "name"),
    ],
)
def test_finds_the_shapes_a_fourth_probe_set_found_missing(text, kind):
    """A fourth probe set of 240 Spanish posts caught 216 at first; these are the shapes it
    found missing, written anew."""
    assert kind in {finding.kind for finding in find_personal_data(text, ("es",))}


@pytest.mark.parametrize(
    "text",
    [
        # Helplines and references that look like someone's number.
        "Locatel, 55 5658 1111, también da apoyo psicológico",
        "el Centro de Asistencia al Suicida: (011) 5275-1135",
        "el ISBN es 978-84-08-17603-2, es la edición de bolsillo",
        "tomo vitamina B12 y 500 mg de magnesio",
        "tengo un Galaxy S23 de 128 GB y ya va lento",
        # Places and grades that point at nobody.
        "en Madrid al 100% de las terrazas no cabe nadie",
        "mi hijo está en 4to grado y le cuesta leer",
        "trabajo en una tienda de la calle, nada especial",
        "soy nueva en tiktok y no entiendo nada",
        "estoy en la calle desde el lunes, entre una cosa y otra",
    ],
)
def test_leaves_helplines_references_and_general_places_alone(text):
    assert find_personal_data(text, ("es",)) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Handles: a dotted @name is never a member here; tags for sending money; a channel
        # that "se llama"; a user name at a mail provider.
        ("el insta de mi ex, x si lo ven: @kevin.rz.hn", "handle"),
        ("si alguien puede ayudarme, cashapp $dani_lopez09", "handle"),
        ("tengo un canal en kick q se llama vale_gamer_py", "handle"),
        ("en hotmail soy marcos_vidal77, escríbanme", "handle"),
        ("apóyenme en paypal.me/andreaV92 si pueden", "handle"),
        # A phone in digits and English words.
        ("my cel es 787 four two one 5 5 3 9", "phone"),
        # Addresses: landmark directions in blocks, a house numbered with "#" or "número", an
        # estate then its house, Havana's numbered streets.
        ("del parque central 2c al lago, casa verde", "address"),
        ("colonia Miramonte, pasaje 5 casa #22", "address"),
        ("barrio San Pedro, calle 8 número 141", "address"),
        ("vivo en 17 #356 entre 8 y 10, en el Vedado", "address"),
        # Plates beside more kinds of vehicles, and the word "plate".
        ("una Hilux gris AADF 552 se para en mi esquina", "id_number"),
        ("el carro de mi tío, un Sentra P 123 BCD", "id_number"),
        # Numbers that point at one professional or one insured person.
        ("mi número de colegiado es 46/12345 y me da vergüenza pedir ayuda", "id_number"),
        # Work and school.
        ("soy cajero del supermercado La Colonia, el de la barba", "name"),
        ("trabajo en el Pizza Hut de zona 4 y me tratan mal", "name"),
        ("Instituto Nacional de Comercio, 2do de bachillerato sección B", "name"),
        ("Liceo Bicentenario, 3er año, turno tarde", "name"),
    ],
)
def test_finds_the_shapes_a_fifth_probe_set_found_missing(text, kind):
    """A fifth probe set (200 posts, mostly Central America, the Caribbean and US Spanglish)
    caught 169 at first; these are the shapes it found missing, written anew."""
    assert kind in {finding.kind for finding in find_personal_data(text, ("es",))}


@pytest.mark.parametrize(
    "text",
    [
        "como dijo @luz_de_luna, un día a la vez",
        "nos vemos @3.30pm en la plaza para caminar",
        "número de reclamo 2024-771203 y la aseguradora no contesta",
        "el número de orden 55810032 de la farmacia no llegó",
        "el ISBN del libro que me recomendaron es 978-84-376-0494-7",
        "soy enfermera de profesión y hoy no puedo más",
        "estoy en segundo de bachillerato y no me concentro",
        "me dejó en la calle con dos niños",
        "escuché «Ojalá», de Silvio Rodríguez, y lloré un rato",
        # Institutions and cities are not a branch; years and doses are not plates.
        "trabajando en la Ciudad de México desde enero",
        "trabajo en la Secretaría de Salud y estoy agotada",
        "soy psicóloga en la Ciudad de México y también necesito ayuda",
        "van a subir el IVA 2024 y no llego a fin de mes",
        "el microbús llegó tarde y tomo ISRS 100 mg",
    ],
)
def test_leaves_mentions_claims_and_plain_jobs_alone(text):
    assert find_personal_data(text, ("es",)) == []


# Ordinary lines near every rule the fourth and fifth probe sets added: work, school, places,
# vehicles, doses, payments and mentions of members, none pointing at anyone.
ORDINARY_NEAR_THE_NEW_RULES = [
    "trabajo en el Ministerio de Salud y no duermo",
    "trabajando en la Ciudad de Panamá me siento sola",
    "trabajo de noche en un hospital de Quito",
    "estudio en la Universidad de Buenos Aires y no tengo amigos",
    "soy profesora de Historia en un colegio",
    "voy en 3er año de secundaria y me cuesta todo",
    "estoy en 2do de bachillerato, turno mañana, y no me concentro",
    "mi hija está en 5to grado y le hacen bullying",
    "vivo en el barrio Centro, en un piso pequeño",
    "vivo en la colonia Roma desde hace años",
    "nos mudamos a la zona Norte de Santa Cruz",
    "mi papá tiene un Toyota viejo que siempre se descompone",
    "me fui en el microbús hasta el centro y lloré todo el camino",
    "mi ex se compró un Jetta 2019 y presume",
    "la combi iba llena y me dio un ataque de pánico",
    "van a cerrar la fábrica en 2025 y tengo miedo",
    "el examen de la UNAM 2024 me salió mal",
    "tomo sertralina 50 mg y clonazepam 0.5",
    "hoy cumplo 30 días sin alcohol",
    "me pagaron 1500 pesos por toda la semana",
    "en Madrid al 40% de los jóvenes les pasa",
    "sobre Julio Cortázar al fin leí Rayuela",
    "por Dios al final no fui a la cita",
    "mi cuenta de ahorro está en 0 y no sé qué hacer",
    "en gmail me llegan correos raros del banco",
    "sigo a @luz_de_luna y @marea_baja aquí, me ayudan mucho",
    "le escribí a @sol_naciente para agradecerle",
    "el paypal me cobró comisión y me dio rabia",
    "el cashapp no me deja enviar plata",
    "soy el de siempre, el que escribe de madrugada",
    "soy la mayor de cinco hermanos y cargo con todo",
    "la canción de Shakira me hizo llorar",
    "escuché a Bad Bunny toda la noche",
    "en el Oxxo venden de todo, hasta flores",
    "fui al Mercadona y me dio ansiedad la fila",
    "trabajo en un Starbucks y los clientes me gritan",
    "mi jefe en el Walmart me trata mal",
    "entre semana trabajo y los sábados estudio",
    "vivo entre Madrid y Toledo por trabajo",
    "estoy entre 5 y 6 de ánimo hoy",
    "el vuelo IB 6830 se retrasó y me entró pánico",
    "mi número de la suerte es 7, y hoy nada",
    "llegué al piso 12 por las escaleras porque me da miedo el ascensor",
    "el bloque de horas de la tarde se me hace eterno",
    "la villa donde veraneábamos ya no existe",
]


@pytest.mark.parametrize("text", ORDINARY_NEAR_THE_NEW_RULES)
def test_ordinary_lines_near_the_new_rules_are_left_alone(text):
    assert find_personal_data(text, ("es",)) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Medical and insurance records by their number and the place that keeps them.
        ("mi historia clínica del Hospital Clínico es la 5520913, por si acaso", "id_number"),
        ("el expediente del IMSS es 2021-339018 y ahí sale todo", "id_number"),
        ("número de afiliada de OSDE 61 234567 8 01, lo dejo por el trámite", "id_number"),
        ("en la receta pone paciente #B-44120 del Hospital Alemán", "id_number"),
        # A date of birth with a full name, or in full after "nací el".
        ("Lucía Ferrándiz, 03/11/1998, por si alguien me busca", "name"),
        ("nací el 14-02-2001 y hoy nadie se acordó", "id_number"),
        # One's own channel, podcast or site; a handle that changed; an underscored user name.
        ('tengo un podcast que se llama "Café y Tormentas", escúchenlo', "handle"),
        ("mi canal se llama Diario de un Ansioso, subo videos los martes", "handle"),
        ("mi web es www.talleresdelucia.com, hago cerámica para calmarme", "handle"),
        ("el de twitch ahora es lunita_gamer07, cambié el otro", "handle"),
        ("mi server de discord, refugio_nocturno, está abierto", "handle"),
        # Directions from a landmark, the distance in words.
        ("de la gasolinera Uno tres cuadras al sur, portón negro", "address"),
        # A named employer in a named town; a named workplace and the shift.
        ("trabajo en la fábrica de Yazaki de Ciudad Juárez y ya no aguanto", "name"),
        ("hago prácticas en la oficina de Accenture en Medellín, en soporte", "name"),
        ("estoy en la sucursal Providencia, turno tarde, si pasan no me miren raro", "name"),
        # A named school and what narrows it: the group or campus with the year or degree.
        ("estudio segundo de Enfermería en la UAM, grupo 21, y nadie me habla", "name"),
        ("voy en 3er semestre en el ITESO, campus Tlaquepaque, arquitectura", "name"),
        ("mi hijo va a Coral Gables Senior High, 9th grade, homeroom 204", "name"),
        # A mistyped DNI is still a DNI when the sentence says so; more plate shapes.
        ("en el registro pedían el DNI y puse 12345678A sin pensar", "id_number"),
        ("la patente del Peugeot de mi ex es B-7316-XK, lo vi afuera", "id_number"),
        ("anoté la placa, C9L-341, y me fui corriendo", "id_number"),
    ],
)
def test_finds_the_shapes_a_sixth_probe_set_found_missing(text, kind):
    """A sixth probe set (200 posts and 150 look-alikes from across the Spanish-speaking world)
    caught 163 at first; these are the shapes it found missing, written anew."""
    assert kind in {finding.kind for finding in find_personal_data(text, ("es",))}


ORDINARY_NEAR_THE_SIXTH_SET_RULES = [
    "la historia clínica dice que tomo 50 mg de sertralina desde 2019",
    "mi expediente lo tiene el psiquiatra desde 2021 y no lo he visto",
    "el paciente de al lado grita toda la noche, llevo 3 días sin dormir",
    "mi número de afiliado no lo encuentro y el trámite me tiene agotada",
    "nació el 15 de mayo, como yo, qué casualidad",
    "mi hijo nació el 2019 y desde entonces no duermo bien",
    "Mario Benedetti, 1920-2009, escribió lo que siento hoy",
    "mi podcast favorito se llama Entiende Tu Mente y me ayuda mucho",
    "tengo un canal de youtube que nadie ve jaja pero me distrae",
    "mi página favorita es www.psicologiaymente.com, aprendo mucho",
    "mi tienda favorita es www.amazon.com para libros de autoayuda",
    "el discord ahora es un desastre, hay mucho troll",
    "telegram ya es más seguro que whatsapp, dicen",
    "caminé dos cuadras al norte y me dio un ataque de pánico",
    "de la casa de mi madre a la mía son tres cuadras al sur",
    "trabajo en un call center en Madrid y me tratan fatal",
    "trabajo en la planta de producción y los turnos me matan",
    "estoy en la sala de espera del hospital, turno 45, y estoy temblando",
    "estudio medicina en la UNAM y estoy agotada",
    "estoy en segundo año de derecho en la UBA y no sé si seguir",
    "estudio psicología en la uni, tercer año, y no me concentro",
    "tengo TDAH y estoy en tercer semestre de ingeniería, es un infierno",
    "el coche de mi padre es un Renault de 2008 y ya no arranca",
    "vi un Seat León rojo igual al de mi ex y me dio ansiedad",
    "soy enfermera en la UCI y llevo semanas sin dormir bien",
    "el ciclo 4 de la PUCP es el más duro, dicen todos",
    "mi cuenta de instagram ahora es privada",
    "fecha de nacimiento no la pongo por seguridad jaja",
    "en el grupo de whatsapp mandaron el archivo informe_final.pdf y no lo puedo abrir",
    "tengo una cuenta que se llama Ahorro Programado en el banco",
    "del trabajo a mi casa son dos cuadras al norte, pero hoy se me hicieron eternas",
    "estoy en la UCI con mi madre, turno de visitas a las 5",
    "estoy en la oficina de Migraciones de Lima esperando turno, qué ansiedad",
    "mi madre está en la clínica Santa María, piso 3, y no me dejan verla",
]


@pytest.mark.parametrize("text", ORDINARY_NEAR_THE_SIXTH_SET_RULES)
def test_ordinary_lines_near_the_sixth_set_rules_are_left_alone(text):
    assert find_personal_data(text, ("es",)) == []
