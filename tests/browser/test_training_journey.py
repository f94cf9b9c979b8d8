"""Journey (issue #23): the county council's secretary creates a module-2 course on the portal, a
member signs up, the arranger records attendance once the course is held, and the secretary's table
and the public count on the council page update. The training pages pass axe-core."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.training.models import Course
from tests.browser.axe import assert_accessible
from tests.browser.journeys import log_in, log_out
from tests.helpers import demo_page

COUNCIL = "brukerutvalget-i-vestland"
TITLE = "Modul 2 – vinterkurs i Bergen"


def _local(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _count(page) -> tuple[int, int]:
    completed, total = page.locator("[data-training-count]").first.get_attribute("data-training-count").split("/")
    return int(completed), int(total)


def test_secretary_creates_a_course_member_signs_up_arranger_records_attendance(page):
    council = demo_page(COUNCIL)
    page.goto(council.url)
    completed_before, total = _count(page)
    expect(page.locator("[data-training-count]")).to_have_text(
        f"{completed_before} av {total} medlemmer har fullført begge modulene")

    # The secretary creates a module-2 course from the council page.
    log_in(page, "fylkessekretaer")
    page.goto(council.url)
    page.get_by_role("link", name="Nytt kurs").click()
    assert_accessible(page)
    expect(page.locator("#id_module")).to_have_value("2")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_starts").fill(_local(30, 9))
    page.locator("#id_ends").fill(_local(31, 15))
    page.locator("#id_place").fill("Fylkeskontoret, Bergen")
    page.locator("#id_capacity").fill("12")
    page.locator("#id_signup_deadline").fill(_local(20, 12))
    page.get_by_role("button", name="Opprett kurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    course_url = page.url
    log_out(page)

    # A member who has module 1 but not module 2 signs up.
    log_in(page, "fylke-urb")
    page.goto(council.url)
    page.get_by_role("link", name=TITLE).click()
    page.locator("#id_signup-needs").fill("Vegetarmat")
    page.get_by_role("button", name="Meld meg på").click()
    expect(page.get_by_text("Du er påmeldt dette kurset.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # The course is held (time passes).
    course = Course.objects.get(title=TITLE)
    Course.objects.filter(pk=course.pk).update(
        signup_deadline=timezone.now() - datetime.timedelta(days=10),
        starts=timezone.now() - datetime.timedelta(days=2), ends=timezone.now() - datetime.timedelta(days=1))

    # The arranger (the secretary, for the county office) records attendance.
    log_in(page, "fylkessekretaer")
    page.goto(course_url)
    page.get_by_role("link", name="Deltakere og oppmøte").click()
    expect(page.get_by_role("cell", name="Vegetarmat")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Marit Myklebust møtte").check()
    page.get_by_role("button", name="Lagre oppmøte").click()
    expect(page.get_by_text("Oppmøtet ble registrert.")).to_be_visible()

    # The secretary's table shows module 2 completed, and the count has gone up.
    page.goto(council.url)
    page.get_by_role("link", name="Hvem som har fullført opplæringen").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Marit Myklebust"))
    expect(row.locator("[data-module='2']")).to_have_attribute("data-status", "completed")
    expect(page.locator("[data-training-count]")).to_have_attribute(
        "data-training-count", f"{completed_before + 1}/{total}")
    log_out(page)

    page.goto(council.url)
    expect(page.locator("[data-training-count]")).to_have_text(
        f"{completed_before + 1} av {total} medlemmer har fullført begge modulene")
    assert "Marit" not in page.locator(".council-training").inner_text()
    assert "Vegetarmat" not in page.content()


@pytest.mark.parametrize("path", ["/kurs/", "/opplaering/", "/opplaering/modul-2-etaten-og-utvalget/",
                                  "/en/kurs/"])
def test_public_training_pages_are_accessible(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_evaluation_form_is_accessible_to_a_participant(page):
    held = Course.objects.get(title="Modul 2: Etaten og brukerutvalget i Vestland")
    log_in(page, "fylkesutvalgsmedlem")
    response = page.goto(f"/kurs/{held.pk}/evaluering/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Evaluer"))
    assert_accessible(page)
