"""Countries and their regions by name (ISO 3166-1 and 3166-2, from pycountry's shipped data).

People pick places from two dropdowns, a country and a region that follows it, and read them
as "England, United Kingdom"; what is stored stays the ISO code ("GB", "GB-ENG"). The lists
are built once per process: pycountry reads its data files on first use.
"""

import functools
import gettext as gettext_module
import re
import unicodedata
import zoneinfo
from collections import Counter
from typing import Any

import pycountry
from babel.core import get_global as cldr
from babel.dates import get_timezone_location
from babel.localedata import locale_identifiers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext, gettext_lazy

# ISO's official names that read as inverted lists ("Virgin Islands, British"), in the words
# people use. pycountry's common_name already covers most ("South Korea", "Taiwan").
_COUNTRY_NAMES = {
    "CD": "Democratic Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
}

# The same, in the languages Haven is translated into, where ISO's translation is inverted too.
_LOCAL_COUNTRY_NAMES = {
    "es": {
        "CD": "República Democrática del Congo",
        "FK": "Islas Malvinas",
        "FM": "Micronesia",
        "PS": "Palestina",
        "VA": "Ciudad del Vaticano",
        "VG": "Islas Vírgenes Británicas",
        "VI": "Islas Vírgenes de los Estados Unidos",
    }
}

# Other spellings and codes that ISO adds in brackets: "Wales [Cymru GB-CYM]".
_BRACKETS = re.compile(r"\s*\[[^\]]*\]")

Choices = tuple[tuple[str, str], ...]


def _sort_key(name: str) -> str:
    # "Åland Islands" sorts with the As, "Côte d'Ivoire" with the Cs.
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def _by_name(items: list[tuple[str, str]]) -> Choices:
    return tuple(sorted(items, key=lambda item: (_sort_key(item[1]), item[0])))


@functools.cache
def _country_names() -> dict[str, str]:
    return {
        country.alpha_2: _COUNTRY_NAMES.get(country.alpha_2)
        or getattr(country, "common_name", None)
        or country.name
        for country in pycountry.countries
    }


def _language() -> str:
    return (get_language() or "en").split("-")[0].lower()


@functools.cache
def _iso_catalog(domain: str, language: str) -> gettext_module.NullTranslations:
    """pycountry ships the iso-codes project's translations of every name."""
    return gettext_module.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@functools.cache
def _local_country_names(language: str) -> dict[str, str]:
    """Country names as the reader says them ("Reino Unido"): ISO's translation of the common
    name where there is one ("Corea del Sur"), else of the official name."""
    if language == "en":
        return _country_names()
    catalog = _iso_catalog("iso3166-1", language)
    overrides = _LOCAL_COUNTRY_NAMES.get(language, {})
    names = {}
    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        translated = catalog.gettext(common) if common else common
        if not common or translated == common:
            translated = catalog.gettext(country.name)
        names[country.alpha_2] = overrides.get(country.alpha_2) or translated
    return names


@functools.cache
def _local_region_names(language: str) -> dict[str, str]:
    if language == "en":
        return _region_names()
    catalog = _iso_catalog("iso3166-2", language)
    return {code: catalog.gettext(name) for code, name in _region_names().items()}


@functools.cache
def _region_names() -> dict[str, str]:
    """Every subdivision's name by its code. Two of one country with the same name (Taiwan's
    city and county of Chiayi) are told apart by their kind."""
    subdivisions = list(pycountry.subdivisions)
    cleaned = {sub.code: _BRACKETS.sub("", sub.name).strip() for sub in subdivisions}
    seen = Counter((sub.country_code, cleaned[sub.code]) for sub in subdivisions)
    return {
        sub.code: f"{cleaned[sub.code]} ({sub.type.lower()})"
        if seen[(sub.country_code, cleaned[sub.code])] > 1
        else cleaned[sub.code]
        for sub in subdivisions
    }


@functools.cache
def _top_regions(language: str) -> dict[str, Choices]:
    """Each country's first-level subdivisions (states, provinces, nations), where licences
    are issued; counties and districts below them are left out of the lists."""
    names = _local_region_names(language)
    grouped: dict[str, list[tuple[str, str]]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            grouped.setdefault(sub.country_code, []).append((sub.code, names[sub.code]))
    return {country: _by_name(regions) for country, regions in grouped.items()}


def countries() -> Choices:
    """(code, name) of every country, by name, in the reader's language."""
    return _countries(_language())


@functools.cache
def _countries(language: str) -> Choices:
    return _by_name(list(_local_country_names(language).items()))


def is_country(code: str) -> bool:
    return (code or "").strip().upper() in _country_names()


def country_name(code: str, language: str | None = None, default: str | None = None) -> str:
    """A country's name in the reader's language (or the one given); for a code ISO does not
    know (Kosovo's "XK"), `default` if given, else the code."""
    code = (code or "").strip().upper()
    language = (language or "").split("-")[0].lower() or _language()
    return _local_country_names(language).get(code) or default or code


def regions_of(country: str) -> Choices:
    """(code, name) of the country's states, provinces or regions, by name; codes are whole
    ISO 3166-2 codes ("US-CA")."""
    return _top_regions(_language()).get((country or "").strip().upper(), ())


def region_of(code: str) -> str:
    """The country of a known subdivision code, or "" for anything else."""
    code = (code or "").strip().upper()
    return code.partition("-")[0] if code in _region_names() else ""


def country_choices(first: str = "") -> list[tuple[str, str]]:
    """Every country by name, with `first` (the member's own, where known) at the top."""
    first = (first or "").strip().upper()
    listed = list(countries())
    if first in _country_names():
        listed.sort(key=lambda item: item[0] != first)  # stable: the rest stay by name
    return listed


def region_choices(country: str, keep: str = "") -> list[tuple[str, str]]:
    """The country's regions, plus `keep` when it is a deeper subdivision of that country (a
    stored "GB-KEN" stays selectable rather than being silently widened to the country)."""
    country = (country or "").strip().upper()
    keep = (keep or "").strip().upper()
    listed = list(regions_of(country))
    if keep and region_of(keep) == country and keep not in dict(listed):
        listed.append((keep, _local_region_names(_language())[keep]))
    return listed


def place_name(code: str) -> str:
    """A stored code in words: "GB" is "United Kingdom", "GB-ENG" "England, United Kingdom".
    A code ISO does not know is shown as it is, so nothing stored is ever hidden."""
    code = (code or "").strip().upper()
    country, _, _ = code.partition("-")
    if country not in _country_names():
        return code
    if code == country:
        return country_name(country)
    region = _local_region_names(_language()).get(code)
    return f"{region}, {country_name(country)}" if region else f"{code}, {country_name(country)}"


def split_place(code: str) -> tuple[str, str]:
    """("US", "US-CA") from "US-CA"; ("GB", "") from "GB": the values of the two dropdowns."""
    code = (code or "").strip().upper()
    country, _, region = code.partition("-")
    return country, code if region else ""


def initial_place(stored: str, requested_country: str = "") -> tuple[str, str]:
    """The dropdowns' first values: the stored place, unless the page was asked for another
    country (places.js does so to fetch that country's regions)."""
    country, region = split_place(stored)
    requested = (requested_country or "").strip().upper()
    if requested in _country_names() and requested != country:
        return requested, ""
    return country, region


def place_code(country: str, region: str = "") -> str:
    """The ISO code for a country and, optionally, one of its regions ("CA" or "US-CA").
    Raises ValidationError naming what is wrong, in words a member understands."""
    country = (country or "").strip().upper()
    region = (region or "").strip().upper()
    if country not in _country_names():
        raise ValidationError(gettext("Please choose a country from the list."), code="country")
    if not region:
        return country
    if "-" not in region:
        region = f"{country}-{region}"
    found_in = region_of(region)
    if not found_in:
        raise ValidationError(
            gettext(
                "Please choose a state or region from the list, or leave it at the whole country."
            ),
            code="region",
        )
    if found_in != country:
        raise ValidationError(
            gettext(
                "%(region)s (%(region_country)s) isn't in the country you chose (%(country)s). "
                "Please choose again from its list, or leave it at the whole country."
            )
            % {
                "region": _local_region_names(_language())[region],
                "region_country": country_name(found_in),
                "country": country_name(country),
            },
            code="region_elsewhere",
        )
    return region


# --- The two dropdowns in a form


class CountryField(forms.ChoiceField):
    """A country <select>; follow_country() fills and orders its options."""

    def __init__(self, *, placeholder: str | None = None, **kwargs: Any) -> None:
        self.placeholder = (
            placeholder if placeholder is not None else gettext_lazy("Choose a country")
        )
        kwargs["error_messages"] = {
            "required": gettext_lazy("Please choose a country."),
            "invalid_choice": gettext_lazy("Please choose a country from the list."),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(choices=[("", self.placeholder), *countries()], **kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()


class RegionField(forms.CharField):
    """A region <select> whose options follow the chosen country. Checked against that country
    in the form's clean() with place_code(), so a region of another country (sent from a page
    without JavaScript after the country changed) gets a plain error, not "invalid choice"."""

    widget = forms.Select

    def __init__(self, *, whole_country: str | None = None, **kwargs: Any) -> None:
        self.whole_country = (
            whole_country if whole_country is not None else gettext_lazy("The whole country")
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()


def follow_country(
    form: forms.BaseForm,
    *,
    country: str = "country",
    region: str = "region",
    home_country: str = "",
    reload_url: str = "",
) -> None:
    """Fill a form's country and region dropdowns: the member's own country first, and the
    regions of the country chosen so far (sent, else initial). With `reload_url`, places.js
    reloads the region options from that page when the country changes."""
    country_field = form.fields[country]
    region_field = form.fields[region]
    country_field.choices = [("", country_field.placeholder), *country_choices(home_country)]
    chosen = str(form[country].value() or "").strip().upper()
    current = str(form[region].value() or "")
    if is_country(chosen):
        region_field.widget.choices = [
            ("", region_field.whole_country),
            *region_choices(chosen, keep=current),
        ]
    else:
        region_field.widget.choices = [("", gettext("Choose a country first"))]
    if reload_url:
        country_field.widget.attrs.update(
            {"data-regions-url": reload_url, "data-regions-select": form[region].auto_id}
        )


def place_from(form: forms.BaseForm, *, country: str = "country", region: str = "region") -> str:
    """In a form's clean(): the ISO code of the two dropdowns, or "" with the error added to
    the field it concerns."""
    data = form.cleaned_data
    if not data.get(country):
        return ""
    try:
        return place_code(data[country], data.get(region, ""))
    except ValidationError as error:
        form.add_error(country if error.code == "country" else region, error)
        return ""


# --- Time zones, named as the reader says them: "México — Ciudad de México", not
# "America/Mexico_City". Cities from the CLDR data that Babel ships, countries as above.


def time_zone_name(zone: str, language: str | None = None) -> str:
    """A time zone's name in the reader's language (or the one given); the zone's own id for
    one this machine does not know."""
    language = (language or "").split("-")[0].lower() or _language()
    return _time_zone_names(language).get(zone, zone)


def time_zone_choices() -> list[tuple[str, str]]:
    """(id, name) of every zone this machine knows, by name in the reader's language."""
    return list(_time_zone_choices(_language()))


@functools.cache
def _time_zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _time_zone_names(language)
    return tuple(sorted(names.items(), key=lambda item: (_sort_key(item[1]), item[0])))


_CLDR_LOCALES = frozenset(locale_identifiers())


@functools.cache
def _time_zone_names(language: str) -> dict[str, str]:
    territories = cldr("zone_territories")
    aliases = cldr("zone_aliases")
    names = {}
    if language not in _CLDR_LOCALES:
        language = "en"  # a language Babel's data lacks: English names beat raw ids
    for zone in zoneinfo.available_timezones():
        city = get_timezone_location(zone, locale=language, return_city=True)
        if zone.startswith(("Etc/", "SystemV/")) or "/" not in zone or city.endswith("?"):
            city = zone.rpartition("/")[2]  # UTC, GMT+5, EST5EDT: the name is the zone
        territory = territories.get(aliases.get(zone, zone), "")
        country = _local_country_names(language).get(territory) if len(territory) == 2 else None
        names[zone] = f"{country} — {city}" if country and country != city else city
    # Zones that read alike ("US/Eastern" and New York's) keep the plain name for the one
    # named so or the current one; the others, mostly old aliases, show their id beside it.
    alike: dict[str, list[str]] = {}
    for zone, name in names.items():
        alike.setdefault(name, []).append(zone)
    for name, zones in alike.items():
        plain = min(zones, key=lambda zone: (zone != name, aliases.get(zone, zone) != zone, zone))
        for zone in zones:
            if zone != plain:
                names[zone] = f"{name} ({zone})"
    return names
