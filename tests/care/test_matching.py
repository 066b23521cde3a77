"""Finding a professional: the questionnaire, PHQ-9 / GAD-7, matching, choosing a therapist."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from haven.care.intake import fit, questionnaire
from haven.care.intake.permissions import check_can_choose
from haven.care.models import CareRelationship, Licence, MatchingAnswers, TherapistProfile
from haven.moderation.models import DailyActivity
from haven.wellness.models import WellnessSettings
from tests.care.conftest import make_therapist
from tests.chat.conftest import conversation, listener_lee  # noqa: F401 - fixtures
from tests.conftest import client_for

# Monday 30 November 2026, 21:00 UTC: with 12 hours' notice the first bookable slot of a
# London therapist working from 09:00 is Tuesday 1 December, 09:00 London = 18:00 in Tokyo.
NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
PANEL = "You don't have to face this alone"


def answers_summing_to(total: int, items: int) -> list[int]:
    values = []
    for _ in range(items):
        value = min(3, total)
        values.append(value)
        total -= value
    assert total == 0
    return values


def names(matches) -> list[str]:
    return [m.therapist.user.pseudonym for m in matches]


def set_zone(member, zone: str) -> None:
    WellnessSettings.objects.update_or_create(member=member, defaults={"time_zone": zone})


def support_panel_of(page: str) -> str:
    found = re.search(r'<section class="support-panel.*?</section>', page, re.S)
    return found.group(0) if found else ""


# --- PHQ-9 and GAD-7 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
        (14, "moderate"), (15, "moderately severe"), (19, "moderately severe"),
        (20, "severe"), (27, "severe"),
    ],
)  # fmt: skip
def test_phq9_scores_with_every_band_boundary(total, band):
    result = questionnaire.score_phq9(answers_summing_to(total, 9))
    assert result.complete and result.score == total and result.band.name == band
    assert result.is_severe == (band in {"moderately severe", "severe"})


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
        (14, "moderate"), (15, "severe"), (21, "severe"),
    ],
)  # fmt: skip
def test_gad7_scores_with_every_band_boundary(total, band):
    result = questionnaire.score_gad7(answers_summing_to(total, 7))
    assert result.complete and result.score == total and result.band.name == band


def test_a_score_needs_every_item_answered():
    partial = questionnaire.score_phq9([3, 3, 3, 3, 3, 3, 3, 3, None])
    assert partial.score is None and partial.band is None and partial.answered == 8
    assert questionnaire.score_gad7([1] * 6).score is None  # one item missing altogether
    with pytest.raises(ValueError):
        questionnaire.band_for(questionnaire.GAD7, 22)


def test_the_questionnaires_use_the_standard_wording():
    phq9, gad7 = questionnaire.PHQ9, questionnaire.GAD7
    assert len(phq9.items) == 9 and len(gad7.items) == 7
    for instrument in (phq9, gad7):
        assert instrument.stem.startswith(
            "Over the last 2 weeks, how often have you been bothered by"
        )
    assert [label for _, label in questionnaire.FREQUENCY] == [
        "Not at all", "Several days", "More than half the days", "Nearly every day",
    ]  # fmt: skip
    assert phq9.items[questionnaire.SELF_HARM_ITEM - 1] == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert phq9.items[0] == "Little interest or pleasure in doing things"
    assert gad7.items[1] == "Not being able to stop or control worrying"


def test_the_screening_page_scores_and_explains(alice, alice_client):
    page = alice_client.get("/care/match/screening/").content.decode()
    assert "Step 9 of 9" in page and "This is not a diagnosis." in page
    assert "Nearly every day" in page and "Why we ask:" in page
    assert page.count("<fieldset") == 16 and page.count("<legend>") == 16
    posted = {f"phq9_{n}": "2" for n in range(1, 9)} | {"phq9_9": "0"}
    posted |= {f"gad7_{n}": "3" for n in range(1, 8)}
    response = alice_client.post("/care/match/screening/", posted)
    assert response.status_code == 302 and response["Location"] == "/care/match/results/"
    results = alice_client.get("/care/match/results/").content.decode()
    assert "PHQ-9: 16 out of 27, moderately severe." in results
    assert "GAD-7: 21 out of 21, severe." in results
    assert "good reason to talk to a professional soon" in results
    assert PANEL not in results  # item 9 was "Not at all"
    assert questionnaire.screening_of(alice)["gad7"] == [3] * 7


def test_a_partly_answered_questionnaire_is_kept_without_a_score(alice, alice_client):
    alice_client.post("/care/match/screening/", {"gad7_1": "1", "gad7_2": "2"})
    results = alice_client.get("/care/match/results/").content.decode()
    assert "you answered 2 of 7 questions" in results and "GAD-7: 3" not in results


# --- Thoughts of self-harm: the support panel, whatever else happens ---------------------


def test_phq9_item_9_brings_the_support_panel_at_once_with_everything_else_missing(
    alice, alice_client
):
    response = alice_client.post("/care/match/screening/", {"phq9_9": "1"}, follow=True)
    panel = support_panel_of(response.content.decode())
    assert response.redirect_chain[-1][0] == "/care/match/results/"
    assert PANEL in panel and 'href="/care/"' in panel
    assert "Our moderators have been told" not in panel  # private: nobody is alerted
    assert "You told us you&#x27;ve had thoughts" not in response.content.decode()
    assert "You told us you've had thoughts that you'd be better off dead" in (
        response.content.decode()
    )
    # Once, on the next page: not on every page after it.
    assert PANEL not in alice_client.get("/care/").content.decode()


def test_phq9_item_9_brings_the_panel_even_when_the_form_has_errors(alice, alice_client):
    response = alice_client.post("/care/match/screening/", {"phq9_1": "7", "phq9_9": "3"})
    assert response.status_code == 400
    assert PANEL in support_panel_of(response.content.decode())
    assert MatchingAnswers.objects.filter(member=alice).count() == 0  # nothing stored


def test_phq9_item_9_brings_the_panel_even_when_the_member_skips(alice, alice_client):
    response = alice_client.post("/care/match/screening/", {"phq9_9": "2", "skip": "1"})
    assert response["Location"] == "/care/match/results/"
    assert PANEL in alice_client.get("/care/match/results/").content.decode()
    assert not MatchingAnswers.objects.filter(member=alice).exists()


def test_item_9_not_at_all_brings_no_panel(alice_client):
    response = alice_client.post("/care/match/screening/", {"phq9_9": "0"}, follow=True)
    assert PANEL not in response.content.decode()


def test_the_api_returns_the_panel_for_item_9_with_the_rest_unanswered(alice, alice_client):
    body = {"phq9": [None] * 8 + [1]}
    data = alice_client.post("/api/care/screening", body, content_type="application/json")
    assert data.status_code == 200
    data = data.json()
    assert data["support"]["message"] and data["support"]["moderators_told"] is False
    assert data["phq9"]["complete"] is False and data["phq9"]["score"] is None
    assert data["phq9"]["answered"] == 1
    # Other errors in the request still come with the panel.
    broken = alice_client.post(
        "/api/care/screening",
        {"phq9": ["often", None, 9, None, None, None, None, None, 2], "gad7": [0] * 9},
        content_type="application/json",
    )
    assert broken.status_code == 422
    assert broken.json()["support"]["safety_plan_url"] == "/safety-plan/"
    assert {e["field"] for e in broken.json()["errors"]} == {"phq9.0", "phq9.2", "gad7"}


def test_the_api_scores_and_bands_without_a_panel_when_item_9_is_zero(alice, alice_client):
    body = {"phq9": [1] * 8 + [0], "gad7": [2, 2, 2, 2, 1, 1, 0]}
    data = alice_client.post("/api/care/screening", body, content_type="application/json")
    data = data.json()
    assert data["support"] is None
    assert (data["phq9"]["score"], data["phq9"]["band"]["name"]) == (8, "mild")
    assert (data["gad7"]["score"], data["gad7"]["band"]["name"]) == (10, "moderate")
    stored = alice_client.get("/api/care/questionnaire").json()["screening"]
    assert stored["gad7"]["answers"] == [2, 2, 2, 2, 1, 1, 0]


# --- The questionnaire -----------------------------------------------------------------


def test_each_step_is_one_page_with_progress_and_why_we_ask(alice, alice_client):
    page = alice_client.get("/care/match/location/").content.decode()
    assert "Step 3 of 9" in page and "Where you live" in page
    assert "Why we ask: A therapist must be licensed where you are" in page
    assert 'href="/care/match/goals/"' in page  # Back
    assert 'name="skip"' in page and 'name="next"' in page
    therapist_step = alice_client.get("/care/match/therapist/").content.decode()
    assert therapist_step.count("<legend>") == 3 and therapist_step.count("Why we ask:") == 4
    response = alice_client.post("/care/match/location/", {"location": "GB-SCT", "next": "1"})
    assert response["Location"] == "/care/match/language/"
    assert questionnaire.answers_of(alice) == {"location": "GB-SCT"}
    assert alice_client.get("/care/match/nowhere/").status_code == 404


def test_the_last_step_leads_to_the_screening_and_skip_saves_nothing(alice, alice_client):
    response = alice_client.post("/care/match/therapist/", {"gender": "woman", "skip": "1"})
    assert response["Location"] == "/care/match/screening/"
    assert questionnaire.answers_of(alice) == {}
    alice_client.post("/care/match/therapist/", {"gender": "woman", "lgbtq_affirming": "on"})
    assert questionnaire.answers_of(alice) == {"gender": "woman", "lgbtq_affirming": True}
    # Unticking and going on removes an earlier answer.
    alice_client.post("/care/match/therapist/", {"gender": ""})
    assert questionnaire.answers_of(alice) == {}


def test_a_budget_that_is_not_a_sum_is_refused_kindly(alice, alice_client):
    response = alice_client.post("/care/match/budget/", {"budget": "-5", "currency": "GBP"})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert questionnaire.answers_of(alice) == {}
    alice_client.post("/care/match/location/", {"location": "GB-WLS"})
    assert (
        '<option value="GBP" selected>' in alice_client.get("/care/match/budget/").content.decode()
    )
    alice_client.post("/care/match/location/", {"location": ""})
    alice_client.post("/care/match/budget/", {"budget": "70", "currency": "GBP"})
    assert questionnaire.answers_of(alice) == {"budget": "70.00", "currency": "GBP"}


def test_skipping_every_step_still_gives_results(alice, alice_client, therapist_tess):
    url = "/care/match/"
    url = alice_client.get(url)["Location"]
    for number in range(1, 9):
        page = alice_client.get(url).content.decode()
        assert f"Step {number} of 9" in page
        url = alice_client.post(url, {"skip": "1"})["Location"]
    assert url == "/care/match/screening/"
    url = alice_client.post(url, {"skip": "1"})["Location"]
    results = alice_client.get(url).content.decode()
    assert "Dr Therapist_Tess" in results and "Licensed in United Kingdom" in results
    assert "You haven't told us where you live" in results
    assert not MatchingAnswers.objects.filter(member=alice).exists()


def test_the_api_reads_and_replaces_the_questionnaire(alice, alice_client):
    got = alice_client.get("/api/care/questionnaire").json()
    assert [s["key"] for s in got["steps"]][:3] == ["topics", "goals", "location"]
    assert got["total_steps"] == 9
    assert all(q["why"] for s in got["steps"] for q in s["questions"])
    put = alice_client.put(
        "/api/care/questionnaire",
        {"topics": ["grief", "anxiety"], "location": "US-CA", "budget": "90"},
        content_type="application/json",
    )
    assert put.status_code == 200
    answers = put.json()["answers"]
    assert answers["topics"] == ["anxiety", "grief"] and answers["location"] == "US-CA"
    assert answers["currency"] == "USD"  # the local currency when none was given
    # PUT replaces: what is left out is skipped.
    alice_client.put("/api/care/questionnaire", {"formats": ["video"]}, "application/json")
    assert questionnaire.answers_of(alice) == {"formats": ["video"]}
    bad = alice_client.put("/api/care/questionnaire", {"location": "Narnia"}, "application/json")
    assert bad.status_code == 422 and questionnaire.answers_of(alice) == {"formats": ["video"]}


# --- Matching: hard filters --------------------------------------------------------------


def test_a_member_only_sees_therapists_licensed_where_they_live(alice, guidelines):
    make_therapist("gb_gwen", guidelines, jurisdiction="GB")
    make_therapist("scotland_sam", guidelines, jurisdiction="GB-SCT")
    make_therapist("england_eve", guidelines, jurisdiction="GB-ENG")
    make_therapist("california_cal", guidelines, jurisdiction="US-CA")
    make_therapist("newyork_nia", guidelines, jurisdiction="US-NY")
    scotland = fit.rank_therapists(alice, {"location": "GB-SCT"}, now=NOW)
    assert names(scotland) == ["gb_gwen", "scotland_sam"]
    assert all("Licensed in Scotland, United Kingdom" in m.reasons for m in scotland)
    california = fit.rank_therapists(alice, {"location": "US-CA"}, now=NOW)
    assert names(california) == ["california_cal"]


def test_expired_and_unverified_licences_never_match(alice, alice_client, guidelines):
    ok = make_therapist("verified_vi", guidelines)
    make_therapist("pending_pat", guidelines, licence_status=Licence.Status.PENDING)
    make_therapist("rejected_rue", guidelines, licence_status=Licence.Status.REJECTED)
    make_therapist("more_info_mo", guidelines, licence_status=Licence.Status.MORE_INFO)
    expired = make_therapist("expired_ez", guidelines, expires_on=date.today() - timedelta(1))
    make_therapist("paused_pip", guidelines, status=TherapistProfile.Status.PAUSED)
    assert names(fit.rank_therapists(alice, {}, now=NOW)) == ["verified_vi"]
    assert names(fit.rank_therapists(alice, {"location": "GB"}, now=NOW)) == ["verified_vi"]
    page = alice_client.get("/care/match/results/").content.decode()
    assert "Dr Verified_Vi" in page and "Dr Expired_Ez" not in page and "Pending" not in page
    # Nor can they be chosen by id.
    assert alice_client.post(f"/care/match/choose/{expired.pk}/").status_code == 404
    assert alice_client.post(f"/api/care/matches/{expired.pk}/choose").status_code == 404
    assert alice_client.post(f"/care/match/choose/{ok.pk}/").status_code == 302


def test_format_language_and_budget_filter(alice, guidelines):
    make_therapist("video_val", guidelines, formats=["video"], fee_per_session=50)
    make_therapist("messaging_mo", guidelines, formats=["messaging"], fee_per_session=50)
    make_therapist("spanish_sol", guidelines, languages=["es", "en"], fee_per_session=50)
    make_therapist("dear_dot", guidelines, fee_per_session=120)
    assert names(fit.rank_therapists(alice, {"formats": ["messaging"]}, now=NOW)) == [
        "messaging_mo", "spanish_sol", "dear_dot",
    ]  # fmt: skip
    spanish = fit.rank_therapists(alice, {"languages": ["es"]}, now=NOW)
    assert names(spanish) == ["spanish_sol"] and "Speaks Spanish" in spanish[0].reasons
    budget = {"budget": "60", "currency": "GBP"}
    within = fit.rank_therapists(alice, budget, now=NOW)
    assert "dear_dot" not in names(within) and len(within) == 3
    assert "£50 a session, within your budget" in within[0].reasons


def test_a_sliding_scale_keeps_a_dearer_therapist_in(alice, guidelines):
    make_therapist("sliding_sky", guidelines, fee_per_session=150, sliding_scale=True)
    make_therapist("fixed_fay", guidelines, fee_per_session=150)
    found = fit.rank_therapists(alice, {"budget": "40", "currency": "GBP"}, now=NOW)
    assert names(found) == ["sliding_sky"]
    assert "Offers a sliding scale" in found[0].reasons
    assert not any("within your budget" in reason for reason in found[0].reasons)


def test_a_fee_in_another_currency_is_kept_with_a_note(alice, guidelines):
    make_therapist("dollar_dan", guidelines, fee_per_session=150, currency="USD")
    found = fit.rank_therapists(alice, {"budget": "40", "currency": "GBP"}, now=NOW)
    assert names(found) == ["dollar_dan"]
    assert "couldn't compare that with your budget" in found[0].notes[0]


# --- Matching: ranking and reasons -------------------------------------------------------


@pytest.fixture
def tokyo_alice(alice):
    set_zone(alice, "Asia/Tokyo")
    return alice


ALICE_WANTS = {
    "location": "GB-SCT", "topics": ["anxiety", "grief"], "approaches": ["cbt"],
    "formats": ["video"], "languages": ["en"], "budget": "70", "currency": "GBP",
    "times": ["evening"], "days": ["weekdays"], "gender": "woman", "lgbtq_affirming": True,
}  # fmt: skip


def test_therapists_are_ranked_with_their_reasons(tokyo_alice, guidelines):
    ada = make_therapist(
        "ada", guidelines, specialties=["anxiety", "grief"], approaches=["cbt"],
        formats=["video"], fee_per_session=60, gender="Woman", lgbtq_affirming=True,
    )  # fmt: skip
    make_therapist("ben", guidelines, specialties=["anxiety"], fee_per_session=65, gender="man")
    cy = make_therapist(
        "cy", guidelines, specialties=["grief"], approaches=["emdr"], fee_per_session=120,
        sliding_scale=True, hours=None,
    )  # fmt: skip
    make_therapist("dee", guidelines, specialties=["anxiety"], fee_per_session=65)
    # Each of these fails one hard filter.
    make_therapist("eng_only", guidelines, jurisdiction="GB-ENG", specialties=["anxiety"])
    make_therapist("too_dear", guidelines, fee_per_session=120)
    make_therapist("writer", guidelines, formats=["messaging"])
    make_therapist("french", guidelines, languages=["fr"])

    ranked = fit.rank_therapists(tokyo_alice, ALICE_WANTS, now=NOW)

    # ben and dee score the same: the older profile (lower id) comes first.
    assert names(ranked) == ["ada", "ben", "dee", "cy"]
    assert [m.score for m in ranked] == [15, 8, 8, 3]
    assert ranked[0].reasons == (
        "Licensed in Scotland, United Kingdom",
        "Works with anxiety and grief",
        "Offers CBT, as you asked",
        "Offers video sessions",
        "Speaks English",
        "Has a free slot on Tue 1 Dec, 18:00 your time",  # 09:00 in London
        "£60 a session, within your budget",
        "Is a woman, as you preferred",
        "Has LGBTQ+-affirming experience",
    )
    assert ranked[0].therapist == ada and ranked[0].fee == "£60"
    assert ranked[-1].therapist == cy
    assert "Offers a sliding scale" in cy_reasons(ranked)
    assert ranked[-1].notes == ("No free sessions in the next few weeks.",)
    # The same answers always give the same order.
    assert names(fit.rank_therapists(tokyo_alice, ALICE_WANTS, now=NOW)) == names(ranked)


def cy_reasons(ranked) -> tuple[str, ...]:
    return next(m.reasons for m in ranked if m.therapist.user.pseudonym == "cy")


def test_availability_is_matched_in_the_members_own_time_zone(alice, guidelines):
    make_therapist("london_lou", guidelines, hours=(time(9), time(17)))
    set_zone(alice, "Europe/London")
    at_home = fit.rank_therapists(alice, {"times": ["evening"]}, now=NOW)[0]
    assert at_home.fitting_slot is None
    assert at_home.notes == (
        "Their free times in the next few weeks fall outside the times you chose.",
    )
    assert "Next free slot: Tue 1 Dec, 09:00 your time" in at_home.reasons
    set_zone(alice, "Asia/Tokyo")
    in_tokyo = fit.rank_therapists(alice, {"times": ["evening"]}, now=NOW)[0]
    assert "Has a free slot on Tue 1 Dec, 18:00 your time" in in_tokyo.reasons
    assert in_tokyo.score == at_home.score + fit.WEIGHTS["availability"]


def test_preferences_and_goals_reorder_but_never_hide(alice, guidelines):
    make_therapist("plain_pat", guidelines, approaches=["cbt"])
    make_therapist(
        "nour", guidelines, approaches=["psychodynamic"], faith="Islam (Sunni)",
        age_band="35-50", gender="female",
    )  # fmt: skip
    wants = {"faith": "muslim", "age_band": "35-50", "goals": ["understand"], "gender": "man"}
    ranked = fit.rank_therapists(alice, wants, now=NOW)
    assert names(ranked) == ["nour", "plain_pat"]
    assert "Has a Muslim faith background, as you asked" in ranked[0].reasons
    assert "Aged 35 to 50, as you preferred" in ranked[0].reasons
    assert (
        "Works in a way that suits what you hope for (psychodynamic therapy)" in ranked[0].reasons
    )
    assert not any("Is a" in reason for m in ranked for reason in m.reasons)  # nobody is a man


def test_the_results_page_and_api_list_matches_with_reasons(alice, alice_client, guidelines):
    ada = make_therapist("ada", guidelines, specialties=["anxiety", "grief"])
    make_therapist("ben", guidelines, specialties=["sleep"])
    questionnaire.do_save_answers(alice, {"topics": ["grief", "anxiety"], "location": "GB-SCT"})
    page = alice_client.get("/care/match/results/").content.decode()
    assert page.index("Dr Ada") < page.index("Dr Ben")
    assert "Works with anxiety and grief" in page and "Licensed in Scotland, United Kingdom" in page
    assert "Scotland, United Kingdom" in page
    data = alice_client.get("/api/care/matches").json()
    assert data["location"] == "GB-SCT"
    assert data["matches"][0]["therapist"]["id"] == ada.pk
    assert data["matches"][0]["reasons"][:2] == [
        "Licensed in Scotland, United Kingdom",
        "Works with anxiety and grief",
    ]
    # Re-matching is running it again with the current answers.
    questionnaire.do_save_answers(alice, {"topics": ["sleep"]})
    again = alice_client.get("/api/care/matches").json()
    assert again["matches"][0]["therapist"]["professional_name"] == "Dr Ben"


def test_a_therapist_is_never_matched_with_themselves(therapist_tess, guidelines):
    other = make_therapist("other_olu", guidelines)
    assert [m.therapist for m in fit.rank_therapists(therapist_tess.user, {})] == [other]


def test_an_empty_list_says_which_answers_to_widen(alice_client, alice):
    questionnaire.do_save_answers(alice, {"location": "US-CA", "languages": ["ja"]})
    page = alice_client.get("/care/match/results/").content.decode()
    assert "No verified therapist fits all of that yet" in page
    assert 'href="/care/match/location/"' in page and 'href="/care/match/language/"' in page
    assert 'href="/care/match/budget/"' not in page  # no budget was given


# --- Choosing and changing therapist -------------------------------------------------------


def test_choose_then_change_therapist_in_one_click_each(alice, alice_client, guidelines):
    first = make_therapist("first_fern", guidelines)
    second = make_therapist("second_sol", guidelines)
    page = alice_client.get("/care/match/results/").content.decode()
    assert page.count("Choose this therapist") == 2

    response = alice_client.post(f"/care/match/choose/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == "/care/match/results/"
    active = CareRelationship.objects.get(member=alice, status=CareRelationship.Status.ACTIVE)
    assert active.therapist == first

    page = alice_client.get("/care/match/results/").content.decode()
    assert "Your therapist" in page and page.count("Change therapist") == 1

    alice_client.post(f"/care/match/choose/{second.pk}/")
    ended = CareRelationship.objects.get(therapist=first)
    assert ended.status == CareRelationship.Status.ENDED and ended.ended_at is not None
    now_active = CareRelationship.objects.filter(member=alice, status="active")
    assert [r.therapist for r in now_active] == [second]
    assert "Your care with Dr First_Fern has ended" in alice_client.get("/care/").content.decode()
    # A GET never changes anything.
    assert alice_client.get(f"/care/match/choose/{first.pk}/").status_code == 405


def test_choosing_through_the_api_and_the_rules_on_who(alice, alice_client, guidelines):
    gb = make_therapist("gb_gus", guidelines)
    elsewhere = make_therapist("ca_cat", guidelines, jurisdiction="US-CA")
    chosen = alice_client.post(f"/api/care/matches/{gb.pk}/choose").json()
    assert chosen["therapist_id"] == gb.pk and chosen["ended_therapist_ids"] == []
    changed = alice_client.post(f"/api/care/matches/{elsewhere.pk}/choose").json()
    assert changed["ended_therapist_ids"] == [gb.pk]
    assert alice_client.get("/api/care/matches").json()["current_therapist_id"] == elsewhere.pk
    # Someone who lives in Scotland can't choose a therapist who isn't licensed there.
    questionnaire.do_save_answers(alice, {"location": "GB-SCT"})
    refused = alice_client.post(f"/api/care/matches/{elsewhere.pk}/choose")
    assert (
        refused.status_code == 403 and "isn't licensed where you live" in refused.json()["detail"]
    )
    # Nor choose themselves.
    with pytest.raises(PermissionDenied, match="yourself"):
        check_can_choose(gb.user, gb)


# --- Privacy -------------------------------------------------------------------------------


def test_answers_are_encrypted_at_rest(alice):
    questionnaire.do_save_answers(alice, {"location": "GB-SCT", "topics": ["self-harm"]})
    questionnaire.do_save_screening(alice, phq9=[2] * 9, gad7=[1] * 7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM care_matchinganswers")
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("gAAAA")
    assert "GB-SCT" not in stored and "self-harm" not in stored and "phq9" not in stored
    assert MatchingAnswers.objects.get(member=alice).answers["screening"]["phq9"] == [2] * 9


def test_nobody_else_can_see_a_members_answers(alice, bob, bob_client, therapist_tess):
    questionnaire.do_save_answers(alice, {"location": "GB-SCT", "faith": "jewish"})
    questionnaire.do_save_screening(alice, phq9=[3] * 9, gad7=[3] * 7)
    api = bob_client.get("/api/care/questionnaire").json()
    assert api["answers"]["location"] is None and api["answers"]["faith"] is None
    assert api["screening"]["phq9"]["answered"] == 0
    assert "Scotland" not in bob_client.get("/care/match/results/").content.decode()
    assert 'value="GB-SCT" selected' not in bob_client.get("/care/match/location/").content.decode()
    assert "checked" not in bob_client.get("/care/match/screening/").content.decode()
    # The therapist sees nothing either, and the admin site doesn't list the answers.
    tess = client_for(therapist_tess.user)
    assert tess.get("/api/care/questionnaire").json()["answers"]["location"] is None
    assert MatchingAnswers not in admin.site._registry
    # Bob deleting his own (empty) answers leaves alice's alone.
    bob_client.post("/care/match/clear/")
    assert questionnaire.answers_of(alice)["location"] == "GB-SCT"


def test_signed_out_visitors_see_how_it_works_but_nothing_else(client, alice):
    landing = client.get("/care/").content.decode()
    assert "How it works" in landing and "Log in to start" in landing
    assert client.get("/care/match/results/")["Location"].startswith("/accounts/login/")
    assert client.post("/care/match/screening/", {"phq9_9": "3"}).status_code == 302
    assert client.get("/api/care/questionnaire").status_code == 401


def test_a_member_can_delete_their_answers(alice, alice_client):
    alice_client.put("/api/care/questionnaire", {"location": "GB"}, "application/json")
    alice_client.post("/api/care/screening", {"gad7": [1] * 7}, "application/json")
    assert "Delete my answers" in alice_client.get("/care/").content.decode()
    alice_client.post("/care/match/clear/")
    assert not MatchingAnswers.objects.filter(member=alice).exists()


def test_the_api_deletes_the_answers_and_the_screening(alice, alice_client):
    untouched = alice_client.get("/api/care/questionnaire").json()
    alice_client.put("/api/care/questionnaire", {"location": "GB"}, "application/json")
    alice_client.post("/api/care/screening", {"gad7": [1] * 7}, "application/json")
    assert alice_client.get("/api/care/questionnaire").json() != untouched
    deleted = alice_client.delete("/api/care/questionnaire")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert not MatchingAnswers.objects.filter(member=alice).exists()
    assert alice_client.get("/api/care/questionnaire").json() == untouched


# --- Ways in: the support panel, the nudge, the crisis protocol, the help page ------------


def test_the_nudge_leads_to_matching(alice, alice_client, settings):
    settings.HAVEN_NUDGE_DAILY_MINUTES = 1
    DailyActivity.objects.create(member=alice, day=timezone.now().date(), active_minutes=5)
    page = alice_client.get("/care/").content.decode()
    nudge = re.search(r'<aside class="card notice nudge".*?</aside>', page, re.S).group(0)
    assert 'href="/care/">Find a professional' in nudge


def test_the_crisis_protocol_leads_to_matching(conversation, listener_lee):  # noqa: F811
    conversation.crisis_flagged = True
    conversation.save(update_fields=["crisis_flagged"])
    page = client_for(listener_lee.user).get(f"/chat/{conversation.pk}/").content.decode()
    protocol = re.search(r"<details[^>]*data-crisis-protocol.*?</details>", page, re.S).group(0)
    assert 'href="/care/">Find a professional</a>' in protocol


def test_the_help_page_leads_to_matching(client, db):
    page = client.get("/help/").content.decode()
    section = re.search(r'<section[^>]*id="professional".*?</section>', page, re.S).group(0)
    assert 'href="/care/"' in section
