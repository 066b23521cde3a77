"""Haven in every language it offers: no template text left unmarked, a catalogue per language
that holds every message the code has (none missing, none untranslated, none fuzzy), and the
compiled catalogue that of the current one."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "haven" / "templates"
LOCALE = ROOT / "haven" / "locale"
OFFERED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
_WORDS = re.compile(r"[A-Za-z]{2,}")
# Attributes whose words someone reads or hears.
_READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-placeholder"}
# Names and marks that read the same in every language.
_SAME_IN_EVERY_LANGUAGE = {"Haven", "FindTreatment", "gov", "SAMHSA", "NHS", "NIMH"}


class _ReadableText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            read = name in _READ_ATTRIBUTES or (
                name == "content" and ("name", "description") in attrs
            )
            if read and value:
                self.found.append(value)

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip:
            self.found.append(data)


def unmarked_words(source: str) -> list[str]:
    """Words of a template that no translate or blocktranslate tag carries."""
    pieces: list[str] = []
    in_translation = in_comment = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in ("blocktranslate", "blocktrans"):
                in_translation = True
            elif name in ("endblocktranslate", "endblocktrans"):
                in_translation = False
            elif name == "comment":
                in_comment = True
            elif name == "endcomment":
                in_comment = False
            pieces.append(" ")  # a tag's output: not words of this template
        elif token.token_type == TokenType.VAR:
            pieces.append(" ")
        elif token.token_type == TokenType.TEXT and not (in_translation or in_comment):
            pieces.append(token.contents)
    parser = _ReadableText()
    parser.feed("".join(pieces))
    words = []
    for text in parser.found:
        words += [w for w in _WORDS.findall(text) if w not in _SAME_IN_EVERY_LANGUAGE]
    return words


def test_the_checker_finds_unmarked_text_and_passes_marked_text():
    assert unmarked_words('<p title="Close">Hello {{ name }}</p>') == ["Close", "Hello"]
    assert unmarked_words('<input placeholder="{% translate "Search" %}">') == []
    assert (
        unmarked_words(
            "{% load i18n %}<p>{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}</p>"
            "{# a note #}{% comment %}Why{% endcomment %}<script>let a = 'x';</script>"
        )
        == []
    )


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_every_template_string_is_marked_for_translation(template):
    words = unmarked_words((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not words, f"{template}: mark these for translation: {' '.join(words)}"


DOMAINS = ["django", "djangojs"]  # Python and templates; the scripts (JavaScriptCatalog)


def catalogue(language: str, domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", OFFERED)
def test_every_message_is_translated_and_none_is_fuzzy(language, domain):
    shipped = catalogue(language, domain)
    assert not [e.msgid for e in shipped.untranslated_entries()], "untranslated messages"
    assert not [e.msgid for e in shipped.fuzzy_entries()], "fuzzy messages: check them"
    assert not [e.msgid for e in shipped.obsolete_entries()]


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", OFFERED)
def test_the_catalogue_holds_every_message_of_the_code(language, domain, tmp_path):
    """makemessages on a copy of the code finds no message the catalogue lacks (so a new
    string cannot reach a page untranslated); refresh with `make messages-update`."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext's xgettext is needed: apt install gettext")
    copy = tmp_path / "haven"
    shutil.copytree(
        ROOT / "haven",
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "data", "*.mo", "migrations", "vendor"),
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-d", domain, "-l", language],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))
    key = lambda entry: (entry.msgctxt, entry.msgid)  # noqa: E731
    missing = {key(e) for e in fresh} - {key(e) for e in catalogue(language, domain)}
    assert not missing, f"not in the {language} catalogue yet (make messages-update): {missing}"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", OFFERED)
def test_the_compiled_catalogue_is_the_current_one(language, domain):
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = polib.mofile(str(folder / f"{domain}.mo"))
    source = catalogue(language, domain)
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr for e in source if e.translated() and not e.msgid_plural
    }, "run make install (it compiles the catalogues)"


def test_the_live_queue_position_fits_the_sentence_the_page_wrote():
    """chat.js replaces the words inside <strong data-position> with its own translation of
    "number %(position)s": both catalogues must say the same thing, or a Spanish reader waiting
    for a listener reads "Estás en el en el puesto 3"."""
    script = {entry.msgid: entry.msgstr for entry in catalogue("es", "djangojs")}
    live = script["number %(position)s"] % {"position": 3}
    sentences = [
        entry
        for entry in catalogue("es", "django")
        if "<strong data-position>" in entry.msgid and not entry.obsolete
    ]
    assert sentences
    for entry in sentences:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if not text:
                continue
            written = re.search(r"<strong data-position>(.*?)</strong>", text).group(1)
            assert written % {"position": 3} == live, text


def _form_classes():
    """Every form class Haven defines, from the modules whose names say they hold forms."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import haven

    for module_info in pkgutil.walk_packages(haven.__path__, "haven."):
        if not module_info.name.rsplit(".", 1)[-1].endswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
            ):
                yield cls


def test_every_form_field_has_a_label_marked_for_translation():
    """A field without a label gets one Django makes from its name ("Bio", "Decision") or from
    a model field's plain name: English on a Spanish page. Each needs label=_(...)."""
    from django import forms
    from django.utils.functional import Promise

    classes = list(_form_classes())
    assert len(classes) > 30
    unmarked = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if not isinstance(field.widget, forms.HiddenInput) and not isinstance(field.label, Promise)
    ]
    assert not unmarked, unmarked
