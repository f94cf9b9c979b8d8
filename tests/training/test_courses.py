"""Courses: created on the portal by the secretary (module 2) or an organisation's lead (module 1),
shown on the council page and the course list, sign-up with its refusals, attendance by the arranger,
completion, the secretary's table and the public count."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.training import actions, selectors
from portal.training.models import Completion, Course, Enrolment, Module
from tests.helpers import demo_page, demo_user, text
from tests.training.helpers import BERGEN, at, hold, module_2_course, seated, secretary, vestland

pytestmark = pytest.mark.django_db


def _new_course_post(**overrides):
    data = {
        "module": "2", "title": "Modul 2 – Sunnfjord", "starts": at(40).strftime("%Y-%m-%dT%H:%M"),
        "ends": at(41).strftime("%Y-%m-%dT%H:%M"), "place": "Førde", "county_office": "on", "capacity": "12",
        "signup_deadline": at(30).strftime("%Y-%m-%dT%H:%M"), "payer": "agency", "travel_covered": "on",
    }
    data.update(overrides)
    return data


# --- modules as content -----------------------------------------------------------------------------


@pytest.mark.parametrize("language,words", [("nb", "Å være brukerrepresentant"), ("nn", "Å vere brukarrepresentant"),
                                            ("en", "Being a user representative")])
def test_module_pages_are_written_in_each_language(client, language, words):
    page = demo_page("modul-1-a-vaere-brukerrepresentant", language)
    body = text(client.get(page.url))
    assert words in body
    assert "Gissel" in body or "Hostage" in body


# --- creating a course --------------------------------------------------------------------------------


def test_secretary_creates_a_module_2_course_on_the_portal_and_it_appears_on_the_council_page(client):
    council = vestland()
    client.force_login(secretary())
    url = reverse("training:course_new", args=[council.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _new_course_post())
    course = Course.objects.get(title="Modul 2 – Sunnfjord")
    assert response.status_code == 302 and response["Location"] == reverse("training:course", args=[course.pk])
    assert course.county_office and course.module == Module.TWO and course.payer == Course.Payer.AGENCY
    client.logout()
    for language in ("nb", "nn", "en"):
        assert "Modul 2 – Sunnfjord" in text(client.get(demo_page("brukerutvalget-i-vestland", language).url))
    assert "Modul 2 – Sunnfjord" in text(client.get(reverse("training:courses")))


def test_bad_course_input_is_refused_with_a_clear_message_and_creates_nothing(client):
    council = vestland()
    client.force_login(secretary())
    before = Course.objects.count()
    url = reverse("training:course_new", args=[council.pk])
    response = client.post(url, _new_course_post(signup_deadline=at(50).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 400
    assert "Påmeldingsfristen må være før kurset starter." in text(response)
    response = client.post(url, _new_course_post(county_office=""))
    assert response.status_code == 400
    assert "Velg organisasjonene som arrangerer, eller fylkeskontoret." in text(response)
    assert Course.objects.count() == before


def test_a_member_who_is_not_secretary_cannot_create_courses(client):
    member = demo_user("fylkesutvalgsmedlem")
    client.force_login(member)
    response = client.post(reverse("training:course_new", args=[vestland().pk]), _new_course_post())
    assert response.status_code == 403
    assert not Course.objects.filter(title="Modul 2 – Sunnfjord").exists()


def test_an_organisation_lead_arranges_module_1_for_their_own_organisation_only():
    lead = demo_user("org-leder")  # lead of the umbrella organisation, represented on Vestland by its chair
    umbrella = demo_page("fellesforbundet-for-brukerorganisasjoner")
    course = module_2_course(actor=lead, module=Module.ONE, county_office=False, arrangers=[umbrella],
                             payer=Course.Payer.ORGANISATION, travel_covered=False, title="Modul 1 hos FFB")
    assert selectors.is_arranger(user=lead, course=course)
    with pytest.raises(actions.TrainingError):
        module_2_course(actor=lead, title="Modul 2 av en leder")
    # URB's lead may arrange module 1 on Vestland, but not in another organisation's name.
    with pytest.raises(actions.TrainingError):
        module_2_course(actor=demo_user("urb-leder"), module=Module.ONE, county_office=False, arrangers=[umbrella])
    with pytest.raises(PermissionDenied):
        module_2_course(actor=demo_user("fylkesutvalgsmedlem"), module=Module.ONE, county_office=False,
                        arrangers=[umbrella])


# --- sign-up -------------------------------------------------------------------------------------------


def test_member_signs_up_also_for_another_organisations_module_1_course(client):
    umbrella = demo_page("fellesforbundet-for-brukerorganisasjoner")
    course = module_2_course(module=Module.ONE, county_office=False, arrangers=[umbrella],
                             payer=Course.Payer.ORGANISATION, title="Modul 1 hos FFB")
    member = demo_user("fylke-urb")  # represents URB, not the arranging organisation
    client.force_login(member)
    url = reverse("training:course", args=[course.pk])
    response = client.post(url, {"action": "sign_up", "signup-needs": "Tolk"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(course=course, user=member)
    assert enrolment.needs == "Tolk" and enrolment.organisation.slug == "ungdomsradet-for-brukermedvirkning"
    assert "Du er påmeldt dette kurset." in text(client.get(url))


def test_full_course_and_closed_sign_up_are_refused_with_translated_messages(client):
    course = module_2_course(capacity=1)
    actions.sign_up(course=course, user=demo_user("fylkesutvalgsmedlem"))
    late = demo_user("fylke-etat")
    client.force_login(late)
    url = reverse("training:course", args=[course.pk])
    response = client.post(url, {"action": "sign_up"})
    assert response.status_code == 400
    assert "Kurset er fullt: alle 1 plassene er tatt." in text(response)
    assert not Enrolment.objects.filter(course=course, user=late).exists()

    closed = module_2_course(title="Lukket", signup_deadline=at(-1), starts=at(2), ends=at(3))
    response = client.post("/nn" + reverse("training:course", args=[closed.pk]), {"action": "sign_up"})
    assert response.status_code == 400
    assert "Påmeldinga til dette kurset stengde" in text(response)
    assert not Enrolment.objects.filter(course=closed).exists()


def test_someone_outside_the_council_cannot_sign_up(client):
    outsider = seated("bergen-rep", slug=BERGEN)
    course = module_2_course()
    client.force_login(outsider)
    response = client.post(reverse("training:course", args=[course.pk]), {"action": "sign_up"})
    assert response.status_code == 403
    assert not course.enrolments.exists()


# --- participants, attendance, completion -------------------------------------------------------------


def test_arranger_sees_participants_and_records_attendance_which_completes_the_module(client):
    course = module_2_course()
    new = demo_user("fylke-ny")
    actions.sign_up(course=course, user=new, needs="Teleslynge")
    client.force_login(secretary())
    url = reverse("training:participants", args=[course.pk])
    body = text(client.get(url))
    assert "Sara Solheim" in body and "Teleslynge" in body
    enrolment = Enrolment.objects.get(course=course, user=new)
    # Before the course has started, attendance is refused and nothing changes.
    response = client.post(url, {"attended": [enrolment.pk]})
    assert response.status_code == 400 and "når kurset har startet" in text(response)
    assert not Completion.objects.filter(user=new, course=course).exists()

    hold(course)
    assert client.post(url, {"attended": [enrolment.pk]}).status_code == 302
    completion = Completion.objects.get(user=new, course=course)
    assert completion.module == Module.TWO
    statuses = {row.membership.user_id: row.modules for row in selectors.member_rows(council=vestland())}
    assert [m.status for m in statuses[new.pk]] == ["missing", "completed"]
    # Un-marking removes the completion again.
    assert client.post(url, {}).status_code == 302
    assert not Completion.objects.filter(user=new, course=course).exists()


@pytest.mark.parametrize("username", ["fylkesutvalgsmedlem", "fylke-ny", "utvalgssekretaer"])
def test_participant_list_is_refused_to_everyone_but_the_arranger(client, username):
    course = module_2_course()
    actions.sign_up(course=course, user=demo_user("fylke-urb"), needs="Rullestolplass")
    client.force_login(demo_user(username))
    response = client.get(reverse("training:participants", args=[course.pk]))
    assert response.status_code == 403
    assert "Rullestolplass" not in text(response)


# --- the secretary's table and the public count ----------------------------------------------------------


def test_secretary_and_chair_see_the_table_with_each_modules_status_and_join_date(client):
    url = reverse("training:council", args=[vestland().pk])
    for username in ("fylkessekretaer", "fylkesleder"):
        client.force_login(demo_user(username))
        response = client.get(url)
        assert response.status_code == 200
        body = text(response)
        assert "Marit Myklebust" in body and 'data-status="missing"' in body and 'data-status="signed_up"' in body
        assert "no-store" in response["Cache-Control"]
    client.force_login(demo_user("fylkesutvalgsmedlem"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_public_count_on_the_council_page_counts_and_never_names(client):
    body = text(client.get(demo_page("brukerutvalget-i-vestland").url))
    rows = selectors.member_rows(council=vestland())
    completed = sum(1 for row in rows if row.complete)
    assert f"{completed} av {len(rows)} medlemmer har fullført begge modulene" in body
    assert 'data-status' not in body
    english = text(client.get(demo_page("brukerutvalget-i-vestland", "en").url))
    assert f"{completed} of {len(rows)} members have completed both modules" in english


def test_renewal_period_makes_an_old_completion_due_and_bad_input_is_refused(client):
    client.force_login(secretary())
    url = reverse("training:council", args=[vestland().pk])
    response = client.post(url, {"action": "renewal", "renewal-renewal_months": "0"})
    assert response.status_code == 400
    assert selectors.renewal_months(council=vestland()) is None
    assert client.post(url, {"action": "renewal", "renewal-renewal_months": "6"}).status_code == 302
    rows = {row.membership.user.username: row for row in selectors.member_rows(council=vestland())}
    assert [m.status for m in rows["fylkesleder"].modules] == ["expired", "expired"]
    assert not selectors.public_count(council=vestland()).completed


# --- evaluation --------------------------------------------------------------------------------------


def test_participants_evaluate_after_the_course_and_the_arranger_sees_only_the_aggregate(client):
    course = module_2_course()
    people = [demo_user(u) for u in ("fylke-ny", "fylke-urb")]
    for person in people:
        actions.sign_up(course=course, user=person)
    hold(course)
    actions.record_attendance(course=course, actor=secretary(), attended_ids=set(course.enrolments.values_list(
        "pk", flat=True)))
    client.force_login(people[0])
    url = reverse("training:evaluate", args=[course.pk])
    assert client.post(url, {"overall": "9", "role_clarity": "4"}).status_code == 400
    assert client.post(url, {"overall": "5", "role_clarity": "4", "comment": "Nyttig om etaten"}).status_code == 302
    assert client.post(url, {"overall": "1", "role_clarity": "1"}).status_code == 302  # already answered
    actions.evaluate(course=course, user=people[1], overall=3, role_clarity=2, comment="For lang dag")
    summary = selectors.evaluation_summary(course=course)
    assert summary.answers == 2 and summary.overall == 4.0
    # Two answers: comments could be traced to a person, so they are withheld.
    assert summary.comments == [] and summary.comments_withheld
    client.force_login(secretary())
    body = text(client.get(reverse("training:participants", args=[course.pk])))
    assert "Nyttig om etaten" not in body and "4,0" in body
    # A participant who did not attend cannot evaluate.
    client.force_login(demo_user("fylkesutvalgsmedlem"))
    assert client.get(url).status_code == 403


# --- costs --------------------------------------------------------------------------------------------


def test_secretary_exports_courses_and_costs_as_a_spreadsheet_with_formula_safe_cells(client):
    import io

    from openpyxl import load_workbook

    module_2_course(title="=HYPERLINK(\"http://evil\")", cost_note="+1")
    client.force_login(secretary())
    response = client.get(reverse("training:costs", args=[vestland().pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Kurs"
    titles = [row[0] for row in values[1:]]
    assert "'=HYPERLINK(\"http://evil\")" in titles
    assert "Modul 2: Etaten og brukerutvalget i Vestland" in titles
    payers = {row[0]: row[6] for row in values[1:]}
    assert payers["Modul 2: Etaten og brukerutvalget i Vestland"].startswith("etaten")
    client.force_login(demo_user("fylkesleder"))
    assert client.get(reverse("training:costs", args=[vestland().pk])).status_code == 403


# --- calendar -----------------------------------------------------------------------------------------


def test_upcoming_courses_are_calendar_events_without_participants():
    from portal.training.calendar import course_events

    course = module_2_course()
    actions.sign_up(course=course, user=demo_user("fylke-ny"), needs="Hemmelig behov")
    events = {event.uid: event for event in course_events(council=vestland())}
    event = events[f"training-course-{course.pk}@brukermedvirkning"]
    assert event.start == course.starts and "Modul 2 – høst" in event.summary
    assert "Solheim" not in event.description and "Hemmelig" not in event.description
    assert not any("Etaten og brukerutvalget i Vestland" in e.summary for e in events.values())  # held already


def test_a_place_of_zero_is_refused_by_the_form(client):
    client.force_login(secretary())
    before = Course.objects.count()
    response = client.post(reverse("training:course_new", args=[vestland().pk]), _new_course_post(capacity="0"))
    assert response.status_code == 400
    assert Course.objects.count() == before


def test_the_meeting_calendar_feeds_carry_the_councils_upcoming_courses(client):
    course = module_2_course(title="Modul 2 – kalenderkurs")
    actions.sign_up(course=course, user=demo_user("fylke-ny"), needs="Kalenderhemmelighet")
    for url in ("/moter/kalender.ics", f"/moter/utvalg/{vestland().pk}/kalender.ics"):
        body = text(client.get(url))
        assert f"UID:training-course-{course.pk}@brukermedvirkning" in body
        assert "Modul 2 – kalenderkurs" in body and "Kalenderhemmelighet" not in body
    bergen = text(client.get(f"/moter/utvalg/{demo_page(BERGEN).pk}/kalender.ics"))
    assert "kalenderkurs" not in bergen


def test_secretary_records_a_module_completed_elsewhere_and_bad_dates_are_refused(client):
    import datetime

    from django.utils import timezone

    new = demo_user("fylke-ny")
    url = reverse("training:council", args=[vestland().pk])
    client.force_login(demo_user("fylkesleder"))
    # The chair reads the table but does not change the records.
    assert client.post(url, {"action": "completion", "completion-member": new.pk, "completion-module": "1",
                             "completion-completed_on": "2025-05-02"}).status_code == 403
    client.force_login(secretary())
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"action": "completion", "completion-member": new.pk, "completion-module": "1",
                                 "completion-completed_on": tomorrow})
    assert response.status_code == 400 and "kan ikke være fram i tid" in text(response)
    stranger = demo_user("utvalgsmedlem")  # sits on Bergen, not Vestland
    assert client.post(url, {"action": "completion", "completion-member": stranger.pk, "completion-module": "1",
                             "completion-completed_on": "2025-05-02"}).status_code == 400
    assert not Completion.objects.filter(user__in=[new, stranger], course=None).exists()
    assert client.post(url, {"action": "completion", "completion-member": new.pk, "completion-module": "1",
                             "completion-completed_on": "2025-05-02"}).status_code == 302
    row = next(r for r in selectors.member_rows(council=vestland()) if r.membership.user_id == new.pk)
    assert row.modules[0].status == "completed" and str(row.modules[0].completed_on) == "2025-05-02"


def test_member_withdraws_before_the_deadline_but_not_after(client):
    course = module_2_course()
    member = demo_user("fylke-urb")
    actions.sign_up(course=course, user=member)
    client.force_login(member)
    url = reverse("training:course", args=[course.pk])
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert not course.enrolments.exists()
    actions.sign_up(course=course, user=member)
    Course.objects.filter(pk=course.pk).update(signup_deadline=at(-1))
    response = client.post(url, {"action": "withdraw"})
    assert response.status_code == 400 and course.enrolments.filter(user=member).exists()


def test_an_organisations_lead_sees_the_participants_of_its_module_1_course(client):
    umbrella = demo_page("fellesforbundet-for-brukerorganisasjoner")
    course = module_2_course(module=Module.ONE, county_office=False, arrangers=[umbrella],
                             payer=Course.Payer.ORGANISATION, title="Modul 1 hos FFB")
    actions.sign_up(course=course, user=demo_user("fylke-urb"), needs="Ledsager")
    client.force_login(demo_user("org-leder"))
    assert "Ledsager" in text(client.get(reverse("training:participants", args=[course.pk])))
    # The county office's secretary does not arrange an organisation's course.
    client.force_login(secretary())
    assert client.get(reverse("training:participants", args=[course.pk])).status_code == 403
