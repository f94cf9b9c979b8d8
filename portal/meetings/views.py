"""Views for the public archive, the case trail, and the council's own work on minutes and referrals.
Thin: reads come from selectors, changes from actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.access.visibility import can_view
from portal.core.documents import render_pdf
from portal.councils.models import CouncilPage

from . import actions, selectors
from .forms import ArchiveFilterForm, CirculateForm, CommentForm, MinutesForm, PutOnAgendaForm, ReferralForm, ReturnForm
from .models import AgendaItem, CaseReferral, MeetingPage, Minutes


def _public_council(council_id: int) -> CouncilPage:
    council = get_object_or_404(CouncilPage, pk=council_id)
    if not can_view(AnonymousUser(), council):
        raise Http404
    return council


def _meeting_for_member(request: HttpRequest, meeting_id: int) -> MeetingPage:
    """Unknown ids and meetings of councils the user does not sit on are both a plain 404."""
    meeting = get_object_or_404(MeetingPage, pk=meeting_id)
    if not selectors.is_council_member(user=request.user, council=meeting.council):
        raise Http404
    return meeting


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- public ---------------------------------------------------------------------------------------------


def archive(request: HttpRequest) -> HttpResponse:
    choices = selectors.archive_choices()
    form = ArchiveFilterForm(request.GET or None, choices=choices)
    filters = selectors.ArchiveFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ArchiveFilters(council=data["council"], level=data["level"], region=data["region"],
                                           year=data["year"])
    meetings = selectors.archive(user=request.user, filters=filters)
    page = Paginator(meetings, 30).get_page(request.GET.get("side"))
    rows = [{"meeting": m, "council": m.get_parent().specific, "minutes": selectors.published_minutes_for(meeting=m)}
            for m in page]
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "meetings/archive.html", {"form": form, "rows": rows, "page_obj": page,
                                                      "query": query.urlencode()})


def case_trail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("page"), pk=item_id)
    if not can_view(request.user, item.page):
        raise Http404
    hidden = item.confidential and not selectors.sees_confidential(user=request.user, meeting=item.page)
    return render(request, "meetings/case_trail.html", {
        "item": item, "hidden": hidden, "meeting": item.page.localized,
        "steps": selectors.case_trail(item=item, user=request.user),
    })


def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Published minutes as PDF, with exactly what this viewer may see on the page."""
    meeting = get_object_or_404(MeetingPage, pk=meeting_id)
    minutes = selectors.published_minutes_for(meeting=meeting)
    if minutes is None or not can_view(request.user, meeting):
        raise Http404
    meeting = meeting.localized
    data = render_pdf("pdf/minutes.html", {
        "meeting": meeting, "council": meeting.get_parent().specific, "minutes": minutes,
        "attendance_groups": selectors.attendance_groups(selectors.attendance_for(meeting=meeting)),
        "items": selectors.item_views(meeting=meeting, user=request.user, minutes=minutes),
    }, title=_("Minutes: %(meeting)s") % {"meeting": meeting.title}, language=meeting.locale.language_code)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referat-{meeting.slug}.pdf"'
    # Members get the confidential text in their copy: never let a shared cache keep it.
    response["Cache-Control"] = "private, no-store"
    return response


# --- the council's own work -------------------------------------------------------------------------------


MINUTES_ACTIONS = ("start", "save", "circulate", "comment", "submit", "approve", "return")


@require_http_methods(["GET", "POST"])
def minutes_manage(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for_member(request, meeting_id)
    minutes = selectors.minutes_for(meeting=meeting)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in MINUTES_ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("meetings:minutes", meeting_id=meeting.pk)
    forms: dict[str, Any] = {}
    source = minutes.meeting if minutes else meeting
    items = list(source.agenda_items.all())
    correcting = bool(minutes and minutes.is_published)
    initial = {"version": minutes.version if minutes else 0}
    # The latest revision, not the row: for published minutes the row is the approved text and a
    # correction in progress lives only in its revision.
    draft = minutes.get_latest_revision_as_object() if minutes else None
    if draft is not None:
        for entry in draft.entries.all():
            initial[f"discussion_{entry.agenda_item_id}"] = entry.discussion
            initial[f"conclusion_{entry.agenda_item_id}"] = entry.conclusion
        if correcting and minutes is not None and minutes.has_correction_draft:
            initial["correction_note"] = draft.correction_note
    forms["save"] = MinutesForm(request.POST if action == "save" else None, initial=initial, items=items,
                                correcting=correcting)
    forms["circulate"] = CirculateForm(request.POST if action == "circulate" else None)
    forms["comment"] = CommentForm(request.POST if action == "comment" else None)
    forms["return"] = ReturnForm(request.POST if action == "return" else None)
    status = 200
    if request.method == "POST":
        try:
            done = _run_minutes_action(request, action, meeting, minutes, forms)
        except PermissionDenied:
            done = False
            messages.error(request, _("You may not do this for this council."))
            status = 403
        except ValidationError as error:
            done = False
            if action in forms:
                _add_errors(forms[action], error)
            else:
                messages.error(request, " ".join(error.messages))
        if done:
            return redirect("meetings:minutes", meeting_id=meeting.pk)
        status = 400 if status == 200 else status
    council = meeting.council
    if minutes is not None:
        minutes = Minutes.objects.select_related("meeting").get(pk=minutes.pk)  # fresh after a refused step
        draft = minutes.get_latest_revision_as_object()
    task_state = minutes.current_workflow_task_state if minutes else None
    return render(request, "meetings/minutes_manage.html", {
        "meeting": meeting, "council": council, "minutes": minutes, "draft": draft, "forms": forms,
        "status": minutes.status if minutes else "",
        "may_manage": selectors.may_manage(user=request.user, council=council),
        # The chair decides through the workflow's task: the buttons follow what the task allows.
        "may_decide": bool(task_state and task_state.task.specific.user_can_review(minutes, request.user)),
        "returned": _returned_reason(minutes),
        "may_comment": bool(minutes and actions.may_comment(minutes=minutes, user=request.user)),
        "comments": list(minutes.comments.select_related("author")) if minutes else [],
        "history": selectors.minutes_history(minutes=minutes, user=request.user) if minutes else [],
    }, status=status)


def _returned_reason(minutes: Minutes | None) -> str:
    """The chair's reason, while the minutes are back in draft after a rejection."""
    state = minutes.current_workflow_state if minutes else None
    if state is None or state.status != state.STATUS_NEEDS_CHANGES or state.current_task_state is None:
        return ""
    return state.current_task_state.get_comment()


def _run_minutes_action(request: HttpRequest, action: str, meeting: MeetingPage, minutes: Minutes | None,
                        forms: dict[str, Any]) -> bool:
    if action == "start":
        actions.minutes_start(meeting=meeting, user=request.user)
        messages.success(request, _("Draft minutes created."))
        return True
    if minutes is None:
        raise ValidationError(_("There are no minutes for this meeting yet."))
    form: Any = forms.get(action)  # None only for the steps without a form (submit, approve)
    if form is not None and not form.is_valid():
        return False
    if action == "save":
        actions.minutes_save(minutes=minutes, user=request.user, texts=form.texts(),
                             loaded_version=form.cleaned_data["version"],
                             correction_note=form.cleaned_data.get("correction_note", ""))
        messages.success(request, _("The minutes were saved."))
    elif action == "circulate":
        actions.minutes_circulate(minutes=minutes, user=request.user,
                                  comment_deadline=form.cleaned_data["comment_deadline"])
        messages.success(request, _("The minutes were circulated to the attendees for comments."))
    elif action == "comment":
        actions.minutes_comment(minutes=minutes, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment was added."))
    elif action == "submit":
        actions.minutes_submit_for_approval(minutes=minutes, user=request.user)
        messages.success(request, _("The minutes were sent to the chair for approval."))
    elif action == "approve":
        actions.minutes_approve(minutes=minutes, user=request.user)
        messages.success(request, _("The minutes were approved and published."))
    elif action == "return":
        actions.minutes_return(minutes=minutes, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The minutes were returned to draft."))
    return True


@require_http_methods(["GET", "POST"])
def refer_case(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("page"), pk=item_id)
    council = item.page.council
    if not selectors.may_manage(user=request.user, council=council):
        raise Http404
    form = ReferralForm(request.POST or None, from_council=council)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.case_refer(item=item, to_council=form.cleaned_data["to_council"], user=request.user,
                                   note=form.cleaned_data["note"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The case was referred."))
                return redirect("meetings:referrals", council_id=council.pk)
        status = 400
    return render(request, "meetings/refer_case.html", {"item": item, "form": form, "council": council},
                  status=status)


@require_http_methods(["GET", "POST"])
def council_referrals(request: HttpRequest, council_id: int) -> HttpResponse:
    council = get_object_or_404(CouncilPage, pk=council_id)
    if not selectors.is_council_member(user=request.user, council=council):
        raise Http404
    planned = MeetingPage.objects.filter(selectors._council_paths([council]),
                                         status=MeetingPage.Status.PLANNED).order_by("start")
    status = 200
    bound_id, bound_form = None, None
    if request.method == "POST":
        referral = get_object_or_404(CaseReferral, pk=request.POST.get("referral") or 0,
                                     to_council__translation_key=council.translation_key)
        bound_id, bound_form = referral.pk, PutOnAgendaForm(request.POST, meetings=planned, prefix=f"r{referral.pk}")
        if bound_form.is_valid():
            try:
                actions.referral_put_on_agenda(referral=referral, meeting=bound_form.cleaned_data["meeting"],
                                               user=request.user)
            except PermissionDenied:
                bound_form.add_error(None, _("You may not do this for this council."))
            except ValidationError as error:
                _add_errors(bound_form, error)
            else:
                messages.success(request, _("The case was put on the agenda."))
                return redirect("meetings:referrals", council_id=council.pk)
        status = 400
    referrals = selectors.referrals_for_council(council=council)
    incoming = [
        (r, bound_form if r.pk == bound_id else PutOnAgendaForm(meetings=planned, prefix=f"r{r.pk}"))
        for r in referrals["incoming"]
    ]
    return render(request, "meetings/council_referrals.html", {
        "council": council, "incoming": incoming, "outgoing": referrals["outgoing"],
        "may_manage": selectors.may_manage(user=request.user, council=council),
    }, status=status)
