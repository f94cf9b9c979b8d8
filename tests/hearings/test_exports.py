"""Downloads made from hearing responses: each published response as a PDF (with its attached
original) on the hearing page, and the owner's bundles (all responses as one PDF, the originals as
a ZIP) built with visible progress. Only accepted, not withdrawn content goes in; a refused or
failed export changes nothing."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from pypdf import PdfReader

from portal.core.documents import simple_pdf
from portal.hearings import actions, export_jobs
from portal.hearings.models import ExportJob, HearingResponsePage
from tests.hearings.helpers import FFB, URB, accept, attach_original, make_hearing, make_response
from tests.helpers import demo_user, text

pytestmark = pytest.mark.django_db

AMENDMENT = ("2", "amendment", "Organisasjonene må nevnes først.", "Brukerrepresentanter rekrutteres fra "
             "organisasjonene.")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


# --- one response -------------------------------------------------------------------------------------


def test_a_published_response_downloads_as_a_pdf_with_its_remarks_and_amendments(client):
    hearing = make_hearing("pdf-ett-svar")
    published = accept(make_response(hearing, remarks="<p>Første avsnitt.</p><p>Andre avsnitt.</p>",
                                     parts=[AMENDMENT]))
    page = text(client.get(hearing.url))
    link = hearing.url + f"svar/{published.pk}/pdf/"
    assert f'href="{link}"' in page, "the hearing page links each response's PDF"

    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    words = _pdf_text(response.content)
    assert "Fellesforbundet for brukerorganisasjoner" in words
    assert "Første avsnitt." in words and "Andre avsnitt." in words, "Norwegian letters survive"
    assert "Brukerrepresentanter rekrutteres" in words and "Organisasjonene" in words


def test_a_response_pdf_is_refused_for_unknown_ids_and_responses_to_other_hearings(client):
    hearing, other = make_hearing("pdf-riktig"), make_hearing("pdf-annen")
    published = accept(make_response(other))
    assert client.get(hearing.url + f"svar/{published.pk}/pdf/").status_code == 404
    assert client.get(hearing.url + "svar/999999/pdf/").status_code == 404
    assert client.get(hearing.url + "svar/999999/original/").status_code == 404


def test_before_release_only_the_organisation_and_the_owners_get_the_pdf(client, login):
    hearing = make_hearing("pdf-ved-frist", policy="at_deadline")
    published = accept(make_response(hearing))
    url = hearing.url + f"svar/{published.pk}/pdf/"
    assert client.get(url).status_code == 404
    assert login("urb-leder").get(url).status_code == 404
    assert login("org-medlem").get(url).status_code == 200
    assert login("horingseier").get(url).status_code == 200


def test_a_withdrawn_response_keeps_its_marker_but_its_files_leave_the_public(client, login):
    hearing = make_hearing("pdf-trukket")
    published = accept(attach_original(make_response(hearing, URB), words="Signert brev."))
    actions.published_withdraw(published=published, user=demo_user("urb-leder"))
    assert "Trukket" in text(client.get(hearing.url))
    urls = [hearing.url + f"svar/{published.pk}/{end}" for end in ("pdf/", "original/")]
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert [login("urb-leder").get(url).status_code for url in urls] == [200, 200], "the organisation keeps them"


def test_downloads_are_never_kept_by_a_shared_cache(client):
    hearing = make_hearing("pdf-cache")
    published = accept(attach_original(make_response(hearing), words="Signert."))
    for end in ("pdf/", "original/"):
        response = client.get(hearing.url + f"svar/{published.pk}/{end}")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], "a withdrawn response must not live on in a cache"


# --- the attached original ------------------------------------------------------------------------------


def test_the_original_is_published_with_the_response_byte_for_byte(client):
    hearing = make_hearing("original-publisert")
    letter = simple_pdf("brev", "Signert høringssvar fra FFB.")
    published = accept(attach_original(make_response(hearing), words="", name="Høringssvar FFB.pdf", content=letter))
    page = text(client.get(hearing.url))
    assert f'href="{hearing.url}svar/{published.pk}/original/"' in page
    response = client.get(hearing.url + f"svar/{published.pk}/original/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _body(response) == letter
    assert "attachment;" in response["Content-Disposition"] and "fellesforbundet" in response["Content-Disposition"]


def test_the_drafters_download_their_drafts_original_and_nobody_else_does(client, login):
    hearing = make_hearing("original-utkast")
    draft = attach_original(make_response(hearing), words="Utkast til brev.")
    url = draft.url + "original/"
    assert client.get(url).status_code == 302, "anonymous readers are sent to log in"
    assert login("urb-leder").get(url).status_code in (403, 404)
    member = login("org-medlem")
    assert "Last ned" in text(member.get(draft.url))
    assert "Utkast til brev." in _pdf_text(_body(member.get(url)))


def test_an_original_of_the_wrong_type_or_too_large_is_refused_in_the_editor_and_the_draft_kept(login, settings):
    hearing = make_hearing("original-feil")
    draft = make_response(hearing)
    revisions = draft.revisions.count()
    from django.core.files.uploadedfile import SimpleUploadedFile

    form_class = HearingResponsePage.get_edit_handler().get_form_class()
    latest = draft.get_latest_revision_as_object()

    def errors_for(upload):
        form = form_class(
            data={"title": latest.title, "slug": latest.slug, "hearing": str(hearing.pk),
                  "general_remarks": '{"entityMap": {}, "blocks": []}',
                  "parts-TOTAL_FORMS": "0", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0",
                  "parts-MAX_NUM_FORMS": "1000", "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
                  "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": ""},
            files={"original": upload}, instance=latest, for_user=demo_user("org-medlem"),
        )
        assert not form.is_valid()
        return " ".join(form.errors.get("original", []))

    image = errors_for(SimpleUploadedFile("svar.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100))
    assert "Tillatte typer: PDF, Word (DOCX), OpenDocument (ODT)" in image, "an image is not a signed letter"
    disguised = errors_for(SimpleUploadedFile("svar.pdf", b"MZ\x90\x00 not a pdf"))
    settings.PORTAL_UPLOAD_MAX_BYTES = 50
    too_large = errors_for(SimpleUploadedFile("svar.pdf", simple_pdf("stor", "x " * 200)))
    assert "Tillatte typer" in disguised, "checked by content, not by the name"
    assert "Filen er for stor" in too_large and "50\xa0byte" in too_large
    assert draft.revisions.count() == revisions and not HearingResponsePage.objects.get(pk=draft.pk).original


# --- the owner's bundles --------------------------------------------------------------------------------


def _hearing_with_three_kinds(slug: str):
    """Two accepted responses (one with an original), one withdrawn, one still a draft."""
    hearing = make_hearing(slug)
    ffb = accept(attach_original(make_response(hearing, FFB, slug=f"{slug}-ffb", remarks="<p>Godkjent FFB.</p>"),
                                 words="FFB signert."))
    urb = accept(make_response(hearing, URB, slug=f"{slug}-urb", remarks="<p>Godkjent URB.</p>"))
    gone = accept(attach_original(
        make_response(hearing, "foreningen-for-synshemmede-i-arbeidslivet", slug=f"{slug}-fsa",
                      remarks="<p>Trukket FSA.</p>"), words="FSA trukket."))
    actions.published_withdraw(published=gone, user=demo_user("admin"))
    draft = make_response(hearing, FFB, slug=f"{slug}-kladd", remarks="<p>Kladd som ikke er sendt.</p>")
    attach_original(draft, words="Kladdbrev.")
    return hearing, ffb, urb


def test_the_owner_gets_all_accepted_responses_in_one_pdf_with_progress_shown(login):
    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-pdf")
    owner = login("horingseier")
    overview = text(owner.get(hearing.url + "svar/"))
    assert "Lag én PDF av alle svarene" in overview

    started = owner.post(hearing.url + "svar/eksport/pdf/")
    assert started.status_code == 302
    job = ExportJob.objects.get(hearing=hearing, kind="pdf")
    assert started.url == hearing.url + f"svar/eksport/jobb/{job.key}/"
    page = text(owner.get(started.url))
    assert "<progress" in page and 'role="status"' in page and "Filen er klar." in page
    assert owner.get(started.url + "status/").json() == {
        "state": "done", "done": 2, "total": 2, "percent": 100, "message": "Filen er klar."}

    download = owner.get(started.url + "fil/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    data = _body(download)
    words = _pdf_text(data)
    assert "Godkjent FFB." in words and "Godkjent URB." in words
    assert "Trukket FSA." not in words and "Kladd som ikke er sendt." not in words
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3, "a cover page, then each response on its own"


def test_the_zip_holds_the_originals_of_accepted_responses_only(login):
    hearing, ffb, _urb = _hearing_with_three_kinds("samle-zip")
    owner = login("horingseier")
    assert "Samle 1 original i en ZIP-fil" in text(owner.get(hearing.url + "svar/"))
    started = owner.post(hearing.url + "svar/eksport/zip/")
    download = owner.get(started.url + "fil/")
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(_body(download)))
    names = archive.namelist()
    assert names == ["01-fellesforbundet-for-brukerorganisasjoner-signert-svar.pdf"]
    assert archive.read(names[0]) == ffb.original.open("rb").read()


def test_a_zip_without_originals_is_refused_with_a_message_and_no_job(login):
    hearing = make_hearing("samle-uten-originaler")
    accept(make_response(hearing))
    owner = login("horingseier")
    response = owner.post(hearing.url + "svar/eksport/zip/", follow=True)
    assert "Ingen av de godkjente svarene har en vedlagt original" in text(response)
    assert not ExportJob.objects.filter(hearing=hearing).exists()
    empty = make_hearing("samle-uten-svar")
    response = owner.post(empty.url + "svar/eksport/pdf/", follow=True)
    assert "Ingen svar er godkjent ennå" in text(response)


def test_only_hearing_owners_start_or_see_exports_and_only_their_own(client, login):
    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-tilgang")
    job = export_jobs.export_start(hearing=hearing, user=demo_user("horingseier"), kind="pdf")
    job_url = hearing.url + f"svar/eksport/jobb/{job.key}/"
    assert client.post(hearing.url + "svar/eksport/pdf/").status_code == 302  # to the log-in form
    assert client.get(job_url + "fil/").status_code == 302
    member = login("org-leder")
    assert member.post(hearing.url + "svar/eksport/pdf/").status_code == 404
    for end in ("", "status/", "fil/"):
        assert member.get(job_url + end).status_code == 404
    other_owner = demo_user("horingseier").__class__.objects.create_user("annen-eier", password="x")
    other_owner.groups.set(demo_user("horingseier").groups.all())
    client.force_login(other_owner)
    assert client.get(job_url + "fil/").status_code == 404, "another owner's job is theirs"
    assert ExportJob.objects.filter(hearing=hearing).count() == 1


def test_a_second_click_joins_the_waiting_export_and_after_a_failure_a_click_starts_another(login,
                                                                                            database_tasks):
    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-dobbelklikk")
    owner = demo_user("horingseier")
    first = export_jobs.export_start(hearing=hearing, user=owner, kind="pdf")
    assert export_jobs.export_start(hearing=hearing, user=owner, kind="pdf") == first
    page = text(login("horingseier").get(hearing.url + f"svar/eksport/jobb/{first.key}/"))
    assert "Venter på tur" in page and "Oppdater for å se hvor langt den har kommet" in page
    assert login("horingseier").get(hearing.url + f"svar/eksport/jobb/{first.key}/fil/").status_code == 404

    ExportJob.objects.filter(pk=first.pk).update(state="failed", failure="error", attempts=3)
    assert export_jobs.export_start(hearing=hearing, user=owner, kind="pdf") != first


def _saved_progress(monkeypatch, seconds_per_response: float) -> tuple[list, ExportJob]:
    """Run an export of two responses with a clock that moves on by the given seconds per call,
    and collect the progress the job's row received."""
    hearing, _ffb, _urb = _hearing_with_three_kinds(f"samle-fremdrift-{int(seconds_per_response * 10)}")
    seen = []
    real = ExportJob.objects.filter

    def spy(*args, **kwargs):
        queryset = real(*args, **kwargs)
        original_update = queryset.update

        def update(**values):
            if "done" in values:
                seen.append((values["done"], values["total"]))
            return original_update(**values)

        queryset.update = update
        return queryset

    clock = iter(range(0, 1000))
    monkeypatch.setattr(export_jobs.time, "monotonic", lambda: next(clock) * seconds_per_response)
    monkeypatch.setattr(ExportJob.objects, "filter", spy)
    job = export_jobs.export_start(hearing=hearing, user=demo_user("horingseier"), kind="pdf")
    return seen, job


def test_progress_is_saved_as_responses_are_done(monkeypatch):
    seen, job = _saved_progress(monkeypatch, seconds_per_response=1.0)
    assert seen == [(0, 2), (1, 2), (2, 2)] and job.state == "done"


def test_progress_is_saved_at_most_four_times_a_second_but_always_at_the_start_and_the_end(monkeypatch):
    seen, job = _saved_progress(monkeypatch, seconds_per_response=0.01)
    assert seen == [(0, 2), (2, 2)] and job.state == "done"


def test_a_failing_export_is_recorded_as_failed_with_its_reason_and_offers_no_file(login, monkeypatch):
    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-feil")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("portal.hearings.exports.all_responses_pdf", broken)
    job = export_jobs.export_start(hearing=hearing, user=demo_user("horingseier"), kind="pdf")
    assert job.state == "failed" and job.failure == "error"
    owner = login("horingseier")
    assert owner.get(hearing.url + f"svar/eksport/jobb/{job.key}/fil/").status_code == 404
    page = text(owner.get(hearing.url + f"svar/eksport/jobb/{job.key}/"))
    assert "Eksporten mislyktes: filen kunne ikke lages" in page
    assert "disk full" not in page, "the server's details go to the log, not to the page"


def test_the_export_is_a_queued_task_that_a_worker_runs_and_the_page_follows_it(login, run_worker, monkeypatch):
    """The request only enqueues (no thread, nothing built in it); a task worker builds the file.
    A failed attempt is shown with its reason and tried again after a pause; then the file is ready."""
    from django_tasks_db.models import DBTaskResult

    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-koe")
    owner = login("horingseier")
    response = owner.post(hearing.url + "svar/eksport/pdf/")
    job = ExportJob.objects.get(hearing=hearing)
    assert response.status_code == 302 and job.state == "queued" and not job.file
    task = DBTaskResult.objects.get(task_path="portal.hearings.export_jobs.run_export")
    assert task.args_kwargs["kwargs"] == {"job_pk": job.pk, "language": "nb"}
    status_url = hearing.url + f"svar/eksport/jobb/{job.key}/status/"
    assert owner.get(status_url).json() == {"state": "queued", "done": 0, "total": 0, "percent": 0,
                                            "message": "Venter på tur …"}

    real_pdf = export_jobs.exports.all_responses_pdf

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("portal.hearings.exports.all_responses_pdf", broken)
    run_worker()  # (with any e-mails the test's set-up queued)
    status = owner.get(status_url).json()
    assert status["state"] == "queued"
    assert status["message"] == ("Forsøk 1 mislyktes: filen kunne ikke lages på grunn av en feil på serveren "
                                 "(den er logget). Det blir prøvd igjen om litt.")

    monkeypatch.setattr("portal.hearings.exports.all_responses_pdf", real_pdf)
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    job.refresh_from_db()
    assert job.state == "done" and job.failure == ""
    assert owner.get(status_url).json()["message"] == "Filen er klar."
    assert _pdf_text(_body(owner.get(hearing.url + f"svar/eksport/jobb/{job.key}/fil/")))


def test_running_an_export_task_twice_writes_its_file_once(run_worker):
    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-to-ganger")
    job = export_jobs.export_start(hearing=hearing, user=demo_user("horingseier"), kind="pdf")
    run_worker()
    job.refresh_from_db()
    first_file = job.file.name
    folder = first_file.rsplit("/", 1)[0]
    assert export_jobs.run_export.call(job_pk=job.pk, language="nb") == "done before"
    job.refresh_from_db()
    assert job.file.name == first_file
    assert job.file.storage.listdir(folder)[1] == [first_file.rsplit("/", 1)[1]], "one file written"


def test_the_export_page_shows_running_with_progress_and_failed_with_the_reason(login, database_tasks):
    from django.utils import translation

    from portal.hearings.views import _job_state

    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-tilstander")
    job = export_jobs.export_start(hearing=hearing, user=demo_user("horingseier"), kind="pdf")
    owner = login("horingseier")
    status_url = hearing.url + f"svar/eksport/jobb/{job.key}/status/"
    ExportJob.objects.filter(pk=job.pk).update(state="running", done=1, total=4)
    assert owner.get(status_url).json() == {"state": "running", "done": 1, "total": 4, "percent": 25,
                                            "message": "1 av 4 svar er ferdige."}
    ExportJob.objects.filter(pk=job.pk).update(state="failed", failure="empty", attempts=3)
    status = owner.get(status_url).json()
    assert status["state"] == "failed"
    assert status["message"] == ("Eksporten mislyktes: ingen godkjente svar er igjen å ta med. "
                                 "Ingenting gikk tapt: gå tilbake og start den på nytt.")
    assert "Venter" not in text(owner.get(hearing.url + f"svar/eksport/jobb/{job.key}/"))
    job.refresh_from_db()
    with translation.override("nn"):
        assert _job_state(job)["message"].startswith("Eksporten mislukkast: ingen godkjende svar")


def test_a_drafter_attaches_an_original_in_the_editor_and_it_becomes_a_revision(login):
    hearing = make_hearing("original-i-editoren")
    draft = make_response(hearing, parts=[])
    latest = draft.get_latest_revision()
    letter = simple_pdf("brev", "Signert i editoren.")
    from django.core.files.uploadedfile import SimpleUploadedFile

    # In the portal editor (members have no admin).
    response = login("org-medlem").post(f"/arbeidsrom/utkast/{draft.pk}/", {
        "loaded_revision_id": str(latest.pk), "loaded_revision_created_at": latest.created_at.isoformat(),
        "title": draft.title, "general_remarks": "", "action": "save",
        "parts-TOTAL_FORMS": "0", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0", "parts-MAX_NUM_FORMS": "1000",
        "original": SimpleUploadedFile("Vårt svar.pdf", letter, "application/pdf"),
    })
    assert response.status_code == 302, "saved as a draft"
    revision = draft.revisions.order_by("-created_at", "-pk").first()
    assert revision.pk != latest.pk and revision.as_object().original.name.endswith("/Vårt_svar.pdf")
    assert revision.as_object().original.open("rb").read() == letter
    member = login("org-medlem")
    assert "Last ned den vedlagte originalen" in text(member.get(draft.url))
    assert _body(member.get(draft.url + "original/")) == letter


def test_the_demo_hearing_publishes_urbs_signed_letter(client):
    from portal.hearings.models import HearingPage

    strategy = HearingPage.objects.get(slug="strategi-for-brukermedvirkning-2027-2030", locale__language_code="nb")
    page = text(client.get(strategy.url))
    assert "Originalen fra Ungdomsrådet for brukermedvirkning" in page
    published = strategy.published_responses.get(original__gt="")
    download = client.get(strategy.url + f"svar/{published.pk}/original/")
    assert "Med vennlig hilsen" in _pdf_text(_body(download))


def test_bundles_older_than_a_day_are_removed_with_their_files_when_the_next_export_starts():
    hearing, _ffb, _urb = _hearing_with_three_kinds("samle-rydd")
    owner = demo_user("horingseier")
    old = export_jobs.export_start(hearing=hearing, user=owner, kind="pdf")
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    export_jobs.export_start(hearing=hearing, user=owner, kind="pdf")
    assert not ExportJob.objects.filter(pk=old.pk).exists() and not storage.exists(name)
