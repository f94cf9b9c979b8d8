"""The hearing owner's long exports in a real browser: the button starts the export, the page shows
its progress and, once the file is ready, offers it, without a reload (the page asks for the
job's state while it runs). The owner's pages pass axe-core like the public ones."""

from __future__ import annotations

from playwright.sync_api import expect

from portal.hearings.models import ExportJob, HearingPage
from tests.browser.axe import assert_accessible
from tests.browser.journeys import log_in

STRATEGY = "strategi-for-brukermedvirkning-2027-2030"


def _strategy() -> HearingPage:
    return HearingPage.objects.get(slug=STRATEGY, locale__language_code="nb")


def test_the_owner_starts_a_pdf_export_and_downloads_it(page):
    log_in(page, "horingseier")
    page.goto(_strategy().url + "svar/")
    assert_accessible(page)
    page.get_by_role("button", name="Lag én PDF av alle svarene").click()
    expect(page.get_by_role("status")).to_have_text("Filen er klar.")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned filen").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-svar.pdf")
    assert open(download.path(), "rb").read(5) == b"%PDF-"


def test_the_progress_page_follows_a_running_export_until_its_file_is_ready(page, database_tasks):
    # The real queue and no worker: nothing runs the job, the test moves it on itself.
    from django.contrib.auth import get_user_model

    hearing = _strategy()
    owner = get_user_model().objects.get(username="horingseier")
    job = ExportJob.objects.create(hearing=hearing, kind="pdf", requested_by=owner, state="running", total=4, done=1)
    log_in(page, "horingseier")
    page.goto(hearing.url + f"svar/eksport/jobb/{job.key}/")
    status = page.get_by_role("status")
    expect(status).to_have_text("1 av 4 svar er ferdige.")
    expect(page.get_by_role("link", name="Last ned filen")).to_be_hidden()

    ExportJob.objects.filter(pk=job.pk).update(done=3)
    expect(status).to_have_text("3 av 4 svar er ferdige.")
    expect(page.locator("progress")).to_have_attribute("value", "75")

    from django.core.files.base import ContentFile

    job.refresh_from_db()
    job.file.save("ferdig.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    job.done, job.state = 4, "done"
    job.save()
    expect(status).to_have_text("Filen er klar.")
    expect(page.get_by_role("link", name="Last ned filen")).to_be_visible()
