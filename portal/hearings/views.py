"""Views below the hearing and response pages (routes of those pages). Thin: rules live in
``actions``, reads in ``selectors``. Someone who may not use a view gets a 404, so ids reveal nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.access import membership
from portal.access.users import User
from portal.access.visibility import can_view, can_view_page
from portal.core.routes import page_route
from portal.organisations.models import OrganisationPage
from portal.security.headers import mark_private
from portal.security.text import html_to_text
from portal.security.uploads import KINDS, content_disposition, detect_kind

from . import actions, export_jobs, exports, selectors
from .forms import CosignRequestForm, InputForm, MarkInputForm, OutcomeForm
from .models import CoSignature, ExportJob, HearingPage, HearingResponsePage, PublishedResponse, ResponseInput


def _login_needed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _signed_in_post(request: HttpRequest, hearing: HearingPage) -> HttpResponse | None:
    """Steps a signed-in person takes from the hearing page by a form: anything else goes back."""
    needed = _login_needed(request)
    if needed is not None:
        return needed
    if request.method != "POST":
        return redirect(hearing.url)
    return None


def _require_owner(request: HttpRequest) -> HttpResponse | None:
    needed = _login_needed(request)
    if needed is not None:
        return needed
    if not selectors.may_see_all_responses(request.user):
        raise Http404
    return None


# --- hearing owner -----------------------------------------------------------------------------------


@page_route(HearingPage, "svar/", name="responses_view")
def owner_responses(request: HttpRequest, hearing: HearingPage) -> HttpResponse:
    refused = _require_owner(request)
    if refused is not None:
        return refused
    organisation_key = request.GET.get("organisasjon", "")
    data = selectors.synthesis(hearing=hearing, organisation_key=organisation_key)
    return render(request, "hearings/owner_responses.html", {
        "page": hearing, "self": hearing, **data, "organisation_key": organisation_key,
        "outcome_url": hearing.url + hearing.reverse_subpage("outcome_view"),
        "csv_url": hearing.url + hearing.reverse_subpage("export_view", kwargs={"fmt": "csv"}),
        "docx_url": hearing.url + hearing.reverse_subpage("export_view", kwargs={"fmt": "docx"}),
        "xlsx_url": hearing.url + hearing.reverse_subpage("export_view", kwargs={"fmt": "xlsx"}),
        "pdf_export_url": hearing.url + hearing.reverse_subpage("export_start_view", kwargs={"kind": "pdf"}),
        "zip_export_url": hearing.url + hearing.reverse_subpage("export_start_view", kwargs={"kind": "zip"}),
        "originals": exports.responses_with_originals(hearing).count(),
    })


EXPORT_COLUMNS = (
    gettext_lazy("organisation"), gettext_lazy("response"), gettext_lazy("accepted"), gettext_lazy("co-signed by"),
    pgettext_lazy("hearing text", "section"), gettext_lazy("section heading"), gettext_lazy("kind"),
    gettext_lazy("comment"),
    gettext_lazy("replacement text"), gettext_lazy("disposition"), gettext_lazy("reason"),
)


def export_rows(hearing: HearingPage) -> list[list[str]]:
    """One row per section part (and one per response for its general remarks); only accepted,
    not withdrawn responses."""

    sections = {s.number.strip(): s for s in hearing.sections.all()}
    rows = []
    for response in selectors.published_responses(hearing):
        if response.withdrawn_at is not None:
            continue
        accepted = timezone.localtime(response.accepted_at).strftime("%Y-%m-%d %H:%M")
        base = [response.organisation.title, response.title, accepted, "; ".join(response.cosigner_list())]
        if response.general_remarks:
            rows.append(base + ["", "", str(_("general remarks")), html_to_text(response.general_remarks), "", "", ""])
        for part in response.parts.all():
            section = sections.get(part.section_number)
            rows.append(base + [
                part.section_number, section.heading if section else "", part.get_kind_display(), part.comment,
                part.replacement, part.get_disposition_display() if part.disposition else "", part.disposition_reason,
            ])
    return rows


FORMULA_STARTS = ("=", "+", "-", "@")


def _safe_cell(value: str) -> str:
    """OWASP's rule for CSV: spreadsheet programs skip leading whitespace and read tab and carriage
    return as cell starts, so "  =cmd" and "\t=cmd" run as formulas just like "=cmd". A leading
    apostrophe makes the cell text."""
    if value[:1] in ("\t", "\r") or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@page_route(HearingPage, r"^svar/eksport/(?P<fmt>csv|docx|xlsx)/$", name="export_view", regex=True)
def export(request: HttpRequest, hearing: HearingPage, fmt: str) -> HttpResponse:
    refused = _require_owner(request)
    if refused is not None:
        return refused
    name = exports.bundle_stem(hearing)
    rows = export_rows(hearing)
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-svar.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Norwegian letters right
        writer = csv.writer(response, delimiter=";")
        writer.writerow([str(column) for column in EXPORT_COLUMNS])
        for row in rows:
            writer.writerow([_safe_cell(str(cell)) for cell in row])
    elif fmt == "xlsx":
        response = HttpResponse(exports.responses_xlsx(hearing, columns=[str(c) for c in EXPORT_COLUMNS], rows=rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}-svar.xlsx"'
    else:
        response = _docx(hearing, name)
    # The owners' exports hold responses not yet public: never kept by a shared cache.
    mark_private(request)
    response["Cache-Control"] = "private, no-store"
    return response


def _docx(hearing: HearingPage, name: str) -> HttpResponse:
    from docx import Document

    document = Document()
    document.add_heading(hearing.title, level=0)
    sections = {s.number.strip(): s for s in hearing.sections.all()}
    for response in selectors.published_responses(hearing):
        if response.withdrawn_at is not None:
            continue
        document.add_heading(f"{response.organisation.title}: {response.title}", level=1)
        if response.cosigners:
            document.add_paragraph(_("Co-signed by: %(names)s") % {"names": ", ".join(response.cosigner_list())})
        if response.general_remarks:
            document.add_heading(_("General remarks"), level=2)
            document.add_paragraph(html_to_text(response.general_remarks))
        for part in response.parts.all():
            section = sections.get(part.section_number)
            heading = f"{part.section_number} {section.heading if section else ''} – {part.get_kind_display()}"
            document.add_heading(heading, level=2)
            if part.comment:
                document.add_paragraph(part.comment)
            if part.replacement:
                document.add_paragraph(_("Proposed replacement text:"))
                document.add_paragraph(part.replacement, style="Quote")
    buffer = io.BytesIO()
    document.save(buffer)
    download = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    download["Content-Disposition"] = f'attachment; filename="{name}-svar.docx"'
    return download


# --- downloads -----------------------------------------------------------------------------------------


def _download(request: HttpRequest, response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """A file only some may read: an attachment, never kept by a shared cache (a response can be
    withdrawn, and the owners' bundles hold what is not public yet)."""
    mark_private(request)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _visible_published(request: HttpRequest, hearing: HearingPage, published_id: int) -> PublishedResponse:
    published = (
        PublishedResponse.objects.filter(pk=published_id, hearing__translation_key=hearing.translation_key)
        .select_related("hearing", "organisation").first()
    )
    # A withdrawn response's files go with its text: only its organisation and the owners keep them.
    if published is None or not can_view(request.user, published):
        raise Http404
    return published


@page_route(HearingPage, "svar/<int:published_id>/", name="response_detail_view")
def response_detail(request: HttpRequest, hearing: HearingPage, published_id: int) -> HttpResponse:
    """A published response on its own page, at an address that stays the same (to cite and link
    to). A withdrawn one keeps its address with a dated marker (410), never its text."""
    published = (
        PublishedResponse.objects.filter(pk=published_id, hearing__translation_key=hearing.translation_key)
        .select_related("hearing", "organisation").prefetch_related("parts").first()
    )
    if published is None:
        raise Http404
    visible = can_view(request.user, published)
    if not visible and not (published.withdrawn_at is not None and hearing.responses_released()):
        raise Http404
    context = {"page": hearing, "self": hearing,
               **selectors.published_response_context(hearing=hearing, published=published)}
    context["show_text"] = visible
    return render(request, "hearings/published_response.html", context, status=200 if visible else 410)


@page_route(HearingPage, "folg/", name="follow_view")
def follow(request: HttpRequest, hearing: HearingPage) -> HttpResponse:
    """Start or stop following the hearing (POST); e-mails follow on new responses and the outcome."""
    refused = _signed_in_post(request, hearing)
    if refused is not None:
        return refused
    now_following = actions.follow_set(hearing=hearing, user=request.user, follow=request.POST.get("follow") == "1")
    messages.success(request, _("You follow this hearing: you get an e-mail when a response or the outcome is "
                                "published.") if now_following else _("You no longer follow this hearing."))
    return redirect(hearing.url)


@page_route(HearingPage, "svar/<int:published_id>/pdf/", name="response_pdf_view")
def response_pdf(request: HttpRequest, hearing: HearingPage, published_id: int) -> HttpResponseBase:
    published = _visible_published(request, hearing, published_id)
    data = exports.response_pdf(published)
    return _download(request, HttpResponse(data, content_type="application/pdf"),
                     exports.response_pdf_filename(published))


@page_route(HearingPage, "svar/<int:published_id>/original/", name="response_original_view")
def response_original(request: HttpRequest, hearing: HearingPage, published_id: int) -> HttpResponseBase:
    published = _visible_published(request, hearing, published_id)
    if not published.original:
        raise Http404
    return _original(request, published.original, exports.original_filename(published))


def _original(request: HttpRequest, stored: Any, filename: str) -> HttpResponseBase:
    try:
        handle = stored.open("rb")
    except OSError as missing:
        raise Http404 from missing
    kind = detect_kind(handle)
    content_type = KINDS[kind].content_type if kind in KINDS else "application/octet-stream"
    return _download(request, FileResponse(handle, content_type=content_type), filename)


@page_route(HearingResponsePage, "original/", name="original_view")
def draft_original(request: HttpRequest, response: HearingResponsePage) -> HttpResponseBase:
    """The original attached to a draft, for those who may read the draft (its organisation)."""
    needed = _login_needed(request)
    if needed is not None:
        return needed
    if not can_view_page(request.user, response):
        raise Http404
    # The working draft's file: what the drafters are working on, not only what is live.
    draft = selectors.working_copy(response, request.user)
    if not draft.original:
        raise Http404
    return _original(request, draft.original, (draft.original.name or "").rsplit("/", 1)[-1])


# --- the owner's long exports ------------------------------------------------------------------------


def _job_urls(hearing: HearingPage, job: ExportJob) -> dict[str, str]:
    def url(name: str) -> str:
        return hearing.url + hearing.reverse_subpage(name, kwargs={"key": job.key})

    return {"page": url("export_job_view"), "status": url("export_status_view"), "file": url("export_file_view")}


@page_route(HearingPage, r"^svar/eksport/(?P<kind>pdf|zip)/$", name="export_start_view", regex=True)
def export_start(request: HttpRequest, hearing: HearingPage, kind: str) -> HttpResponse:
    refused = _require_owner(request)
    if refused is not None:
        return refused
    back = hearing.url + hearing.reverse_subpage("responses_view")
    if request.method != "POST":
        return redirect(back)
    try:
        job = export_jobs.export_start(hearing=hearing, user=request.user, kind=kind)
    except actions.HearingRefused as refused_error:
        messages.error(request, refused_error.message)
        return redirect(back)
    return redirect(_job_urls(hearing, job)["page"])


def _job_or_404(request: HttpRequest, hearing: HearingPage, key: Any) -> ExportJob:
    job = export_jobs.job_for(hearing=hearing, user=request.user, key=key)
    if job is None:
        raise Http404
    return job


def _job_state(job: ExportJob) -> dict[str, Any]:
    state = job.state
    reason = job.get_failure_display()
    if state == ExportJob.State.DONE:
        message = _("The file is ready.")
    elif state == ExportJob.State.FAILED:
        message = _("The export failed: %(reason)s. Nothing was lost: go back and start it again.") % {
            "reason": reason}
    elif state == ExportJob.State.QUEUED and job.failure:
        message = _("Attempt %(attempt)s failed: %(reason)s. It will be tried again shortly.") % {
            "attempt": job.attempts, "reason": reason}
    elif state == ExportJob.State.QUEUED:
        message = _("Waiting for its turn…")
    elif job.total:
        message = _("%(done)s of %(total)s responses done.") % {"done": job.done, "total": job.total}
    else:
        message = _("Starting…")
    return {"state": state, "done": job.done, "total": job.total, "percent": job.percent, "message": message}


@page_route(HearingPage, "svar/eksport/jobb/<uuid:key>/", name="export_job_view")
def export_job(request: HttpRequest, hearing: HearingPage, key: Any) -> HttpResponse:
    refused = _require_owner(request)
    if refused is not None:
        return refused
    job = _job_or_404(request, hearing, key)
    return render(request, "hearings/export_job.html", {
        "page": hearing, "self": hearing, "job": job, "urls": _job_urls(hearing, job), **_job_state(job),
        "back_url": hearing.url + hearing.reverse_subpage("responses_view"),
    })


@page_route(HearingPage, "svar/eksport/jobb/<uuid:key>/status/", name="export_status_view")
def export_status(request: HttpRequest, hearing: HearingPage, key: Any) -> HttpResponse:
    refused = _require_owner(request)
    if refused is not None:
        return refused
    job = _job_or_404(request, hearing, key)
    response = JsonResponse(_job_state(job))
    response["Cache-Control"] = "private, no-store"
    return response


@page_route(HearingPage, "svar/eksport/jobb/<uuid:key>/fil/", name="export_file_view")
def export_file(request: HttpRequest, hearing: HearingPage, key: Any) -> HttpResponseBase:
    refused = _require_owner(request)
    if refused is not None:
        return refused
    job = _job_or_404(request, hearing, key)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    content_type = "application/pdf" if job.kind == ExportJob.Kind.PDF else "application/zip"
    return _download(request, FileResponse(job.file.open("rb"), content_type=content_type),
                     exports.bundle_filename(hearing, job.kind))


@page_route(HearingPage, "utfall/", name="outcome_view")
def outcome(request: HttpRequest, hearing: HearingPage) -> HttpResponse:
    refused = _require_owner(request)
    if refused is not None:
        return refused
    amendments = selectors.amendments_for_outcome(hearing)
    from .models import HearingOutcome

    existing = HearingOutcome.objects.filter(hearing_key=hearing.translation_key).first()
    form = OutcomeForm(request.POST or None, amendments=amendments,
                       initial={"summary": existing.summary if existing else ""})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            actions.outcome_publish(hearing=hearing, user=request.user, summary=form.cleaned_data["summary"],
                                    dispositions=form.dispositions())
        except actions.HearingRefused as refused_error:
            error = refused_error.message
        else:
            messages.success(request, _("The outcome has been published."))
            return redirect(hearing.url + "#utfall")
    return render(request, "hearings/outcome_form.html", {
        "page": hearing, "self": hearing, "form": form, "error": error, "status": hearing.status,
    }, status=400 if error or form.errors else 200)


# --- drafting --------------------------------------------------------------------------------------


@page_route(HearingPage, "nytt-svar/", name="start_response_view")
def start_response(request: HttpRequest, hearing: HearingPage) -> HttpResponse:
    refused = _signed_in_post(request, hearing)
    if refused is not None:
        return refused
    membership = next(
        (m for m in selectors.memberships(request.user) if str(m.organisation.pk) == request.POST.get("organisation")),
        None,
    )
    if membership is None:
        messages.error(request, _("Choose one of your organisations."))
        return redirect(hearing.url)
    existing = selectors.responses_in_space_for(hearing, membership.organisation)
    another = request.POST.get("another") == "yes"
    if existing and not another:
        # One draft per organisation and hearing: show the one there is, and ask before a second.
        return render(request, "hearings/start_response_exists.html", {
            "page": hearing, "self": hearing, "organisation": membership.organisation,
            "drafts": [draft for draft in existing if can_view(request.user, draft)],
        })
    try:
        page = actions.response_start(hearing=hearing, organisation=membership.organisation, user=request.user,
                                      another=another)
    except actions.HearingRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(hearing.url)
    if existing:
        messages.success(request, _("A second draft response has been created. Your organisation now has %(count)s "
                                    "drafts for this hearing.") % {"count": len(existing) + 1})
    else:
        messages.success(request, _("A draft response has been created in your organisation's workspace."))
    # Straight into the portal editor, where members write it.
    return redirect(page.get_workflow_url() or page.url)


@page_route(HearingResponsePage, "send-inn/", name="submit_view")
def submit_response(request: HttpRequest, response: HearingResponsePage) -> HttpResponse:
    if request.method != "POST":
        return redirect(response.url)
    try:
        actions.response_submit(response=response, user=request.user)
    except actions.HearingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The response has been sent for approval by your organisation's lead."))
    return redirect(response.url)


@page_route(HearingResponsePage, "innspill/<int:input_id>/merk/", name="mark_input_view")
def mark_input(request: HttpRequest, response: HearingResponsePage, input_id: int) -> HttpResponse:
    item = ResponseInput.objects.filter(pk=input_id, response=response).first()
    if item is None:
        raise Http404
    if request.method == "POST":
        form = MarkInputForm(request.POST)
        if form.is_valid():
            try:
                actions.input_mark(item=item, user=request.user, use=form.cleaned_data["use"],
                                   note=form.cleaned_data["note"])
            except actions.HearingRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The input has been marked."))
        else:
            messages.error(request, _("Choose whether the input was used."))
    return redirect(response.url + f"#innspill-{item.pk}")


@page_route(HearingResponsePage, "medsignering/", name="request_cosign_view")
def request_cosign(request: HttpRequest, response: HearingResponsePage) -> HttpResponse:
    if request.method == "POST":
        organisation = membership.organisation_of(response)
        form = CosignRequestForm(request.POST, organisations=selectors.cosign_candidates(response, organisation))
        if form.is_valid():
            chosen = OrganisationPage.objects.get(pk=form.cleaned_data["organisation"])
            try:
                actions.cosign_request(response=response, organisation=chosen, user=request.user)
            except actions.HearingRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The organisation has been asked to co-sign."))
        else:
            messages.error(request, _("Choose an organisation to ask."))
    return redirect(response.url + "#medsignering")


@page_route(HearingResponsePage, "trekk-tilbake/", name="withdraw_view")
def withdraw_published(request: HttpRequest, response: HearingResponsePage) -> HttpResponse:
    published = PublishedResponse.objects.filter(response=response).first()
    if published is None:
        raise Http404
    if request.method == "POST":
        try:
            actions.published_withdraw(published=published, user=request.user)
        except actions.HearingRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The response has been withdrawn. A dated notice stays on the hearing page."))
    return redirect(response.url)


# --- other organisations ----------------------------------------------------------------------------


def _input_senders(user: User, response: HearingResponsePage) -> list[Any]:
    return [m.organisation for m in selectors.memberships(user)
            if actions.may_send_input(user, response, m.organisation)]


@page_route(HearingPage, "innspill/<int:response_id>/", name="input_view")
def send_input(request: HttpRequest, hearing: HearingPage, response_id: int) -> HttpResponse:
    needed = _login_needed(request)
    if needed is not None:
        return needed
    response = HearingResponsePage.objects.filter(
        pk=response_id, hearing__translation_key=hearing.translation_key
    ).first()
    senders = _input_senders(request.user, response) if response is not None else []
    if not senders:
        raise Http404
    umbrella = membership.organisation_of(response)
    if umbrella is None:  # input goes to an umbrella organisation's draft; senders imply there is one
        raise Http404
    form = InputForm(request.POST or None, organisations=senders)
    error = ""
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in senders if o.pk == form.cleaned_data["organisation"])
        try:
            actions.input_send(response=response, organisation=organisation, user=request.user,
                               text=form.cleaned_data["text"], section_number=form.cleaned_data["section_number"])
        except actions.HearingRefused as refused:
            error = refused.message
        else:
            messages.success(request, _("Thank you. Your input has been sent to %(organisation)s.")
                             % {"organisation": umbrella.title})
            return redirect(request.path)
    sent = ResponseInput.objects.filter(
        response=response, organisation__translation_key__in=[o.translation_key for o in senders]
    ).select_related("organisation", "author")
    return render(request, "hearings/input_form.html", {
        "page": hearing, "self": hearing, "form": form, "umbrella": umbrella, "sent": sent, "error": error,
        "sections": list(hearing.sections.all()),
    }, status=400 if (error or form.errors) else 200)


@page_route(HearingPage, "medsignering/<int:signature_id>/", name="cosign_view")
def cosign(request: HttpRequest, hearing: HearingPage, signature_id: int) -> HttpResponse:
    needed = _login_needed(request)
    if needed is not None:
        return needed
    signature = CoSignature.objects.filter(
        pk=signature_id, response__hearing__translation_key=hearing.translation_key
    ).select_related("organisation", "response").first()
    # The visibility service decides: the asked organisation's leads hold a per-object grant while
    # the request is pending or approved; a decline ends it (the same 404 as an unknown id).
    if signature is None or not can_view(request.user, signature):
        raise Http404
    if request.method == "POST":
        try:
            approve = request.POST.get("decision") == "approve"
            actions.cosign_decide(signature=signature, user=request.user, approve=approve)
        except actions.HearingRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your decision has been recorded."))
        return redirect(hearing.url)
    # The draft as shared when asked (and, after agreeing, accepted versions): never later drafts.
    return render(request, "hearings/cosign.html", {
        "page": hearing, "self": hearing, "signature": signature,
        "umbrella": membership.organisation_of(signature.response),
        "versions": selectors.shared_versions(signature, hearing),
        "may_decide": membership.is_lead(request.user, signature.organisation),
    })
