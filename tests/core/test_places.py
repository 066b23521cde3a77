"""Countries and regions by name (haven.core.places): the lists behind the dropdowns, codes in
words, and the checks that keep a region with its own country."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template

from haven.core import places
from haven.core.places import CountryField, RegionField, follow_country, place_from


def test_countries_are_every_iso_country_by_name_in_everyday_words():
    listed = places.countries()
    names = [name for _code, name in listed]
    assert len(listed) == 249
    assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]  # accents sort as letters
    assert dict(listed)["GB"] == "United Kingdom"
    assert dict(listed)["KR"] == "South Korea"  # pycountry's common name
    assert dict(listed)["VG"] == "British Virgin Islands"  # not "Virgin Islands, British"
    assert places.countries() is listed  # built once


def test_the_members_own_country_comes_first_and_the_rest_stay_by_name():
    listed = places.country_choices("ie")
    assert listed[0] == ("IE", "Ireland")
    assert [code for code, _ in listed].count("IE") == 1
    rest = [name for _code, name in listed[1:]]
    assert rest[:2] == ["Afghanistan", "Åland Islands"]
    assert places.country_choices("") == list(places.countries())
    assert places.country_choices("ZZ") == list(places.countries())


def test_a_countrys_regions_are_its_first_level_subdivisions_by_name():
    assert places.regions_of("GB") == (
        ("GB-ENG", "England"),
        ("GB-NIR", "Northern Ireland"),
        ("GB-SCT", "Scotland"),
        ("GB-WLS", "Wales"),  # "[Cymru GB-CYM]" left out
    )
    us = dict(places.regions_of("us"))
    assert us["US-CA"] == "California" and len(us) > 50
    assert "GB-KEN" not in dict(places.regions_of("GB"))  # counties are below the nations
    assert places.regions_of("ZZ") == ()
    # Two regions of one name are told apart by their kind.
    chiayi = [name for _code, name in places.regions_of("TW") if name.startswith("Chiayi")]
    assert sorted(chiayi) == ["Chiayi (city)", "Chiayi (county)"]


def test_a_stored_deeper_region_stays_selectable_only_in_its_own_country():
    assert ("GB-KEN", "Kent") in places.region_choices("GB", keep="GB-KEN")
    assert ("GB-KEN", "Kent") not in places.region_choices("US", keep="GB-KEN")
    assert places.region_choices("GB", keep="GB-ENG") == list(places.regions_of("GB"))


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("GB", "United Kingdom"),
        ("gb-eng", "England, United Kingdom"),
        ("US-CA", "California, United States"),
        ("GB-KEN", "Kent, United Kingdom"),
        ("GB-ZZZ", "GB-ZZZ, United Kingdom"),  # unknown region: shown, never hidden
        ("XX", "XX"),
        ("", ""),
    ],
)
def test_a_code_reads_as_region_and_country(code, words):
    assert places.place_name(code) == words


def test_the_template_filter_shows_names():
    rendered = Template("{% load places %}{{ code|place_name }}").render(
        Context({"code": "GB-SCT"})
    )
    assert rendered == "Scotland, United Kingdom"


@pytest.mark.parametrize(
    ("country", "region", "code"),
    [("GB", "", "GB"), ("gb", "gb-sct", "GB-SCT"), ("US", "CA", "US-CA"), ("US", "US-CA", "US-CA")],
)
def test_a_country_and_one_of_its_regions_make_one_iso_code(country, region, code):
    assert places.place_code(country, region) == code


def test_a_region_of_another_country_is_a_plain_error():
    with pytest.raises(ValidationError) as error:
        places.place_code("US", "GB-SCT")
    assert error.value.code == "region_elsewhere"
    assert error.value.messages == [
        "Scotland (United Kingdom) isn't in the country you chose (United States). Please "
        "choose again from its list, or leave it at the whole country."
    ]
    with pytest.raises(ValidationError) as error:
        places.place_code("GB", "x!")
    assert error.value.code == "region"
    with pytest.raises(ValidationError) as error:
        places.place_code("Scotland")
    assert error.value.code == "country"


def test_the_first_values_follow_a_requested_country_only_when_it_is_another_one():
    assert places.initial_place("US-CA") == ("US", "US-CA")
    assert places.initial_place("US-CA", "us") == ("US", "US-CA")
    assert places.initial_place("US-CA", "GB") == ("GB", "")
    assert places.initial_place("US-CA", "nowhere") == ("US", "US-CA")
    assert places.initial_place("") == ("", "")


class PlaceForm(forms.Form):
    country = CountryField(label="Country")
    region = RegionField(label="Region")

    def __init__(self, *args, **kwargs):
        options = {
            name: kwargs.pop(name) for name in ("home_country", "reload_url") if name in kwargs
        }
        super().__init__(*args, **kwargs)
        follow_country(self, **options)

    def clean(self):
        data = super().clean()
        data["place"] = place_from(self)
        return data


def test_the_region_options_follow_the_country_sent_else_the_initial_one():
    form = PlaceForm(initial={"country": "GB"}, home_country="US", reload_url="/here/")
    assert form.fields["country"].choices[:2] == [("", "Choose a country"), ("US", "United States")]
    assert form.fields["region"].widget.choices[0] == ("", "The whole country")
    assert ("GB-SCT", "Scotland") in form.fields["region"].widget.choices
    attrs = form.fields["country"].widget.attrs
    assert attrs == {"data-regions-url": "/here/", "data-regions-select": "id_region"}
    sent = PlaceForm({"country": "CA", "region": ""})
    assert ("CA-ON", "Ontario") in sent.fields["region"].widget.choices
    assert PlaceForm().fields["region"].widget.choices == [("", "Choose a country first")]


def test_a_form_cleans_the_pair_to_one_code_or_says_which_field_is_wrong():
    form = PlaceForm({"country": "us", "region": "US-CA"})
    assert form.is_valid() and form.cleaned_data["place"] == "US-CA"
    form = PlaceForm({"country": "US", "region": "GB-ENG"})
    assert not form.is_valid()
    assert "England (United Kingdom) isn't in the country you chose" in form.errors["region"][0]
    form = PlaceForm({"country": "Narnia", "region": ""})
    assert form.errors["country"] == ["Please choose a country from the list."]
    # The form keeps its own fields apart: another form's options are not changed.
    assert ("CA-ON", "Ontario") not in PlaceForm({"country": "GB"}).fields["region"].widget.choices
