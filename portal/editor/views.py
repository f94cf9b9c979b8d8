"""The portal editor's views, under /arbeidsrom/utkast/<page id>/. Thin: rules are in ``actions``,
reads in ``selectors``. Someone who may not open a draft gets a 404, so ids reveal nothing.

Every view works without JavaScript; ``static/js/editor.js`` adds autosave, presence, the live diff
of an amendment and a toolbar for rich text on top of the same forms and endpoints."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from portal.access.users import User
from portal.hearings.diff import diff_counts, diff_html
from portal.hearings.models import HearingResponsePage
from portal.organisations.models import OrganisationDraftPage
from portal.positions.models import PositionPaperPage
from portal.security.headers import mark_private
from workflows import selectors as workflow_selectors

from . import actions, selectors
from .forms import CommentForm, DecisionForm, PartFormSet, PositionPaperForm, ResponseForm, WorkingDraftForm
from .models import DraftComment


def _page_or_404(request: HttpRequest, page_id: int, *, review: bool = False) -> Page:
    page = selectors.editable_page(page_id)
    if page is None:
        raise Http404
    allowed = selectors.may_open(request.user, page) if review else selectors.may_write(request.user, page)
    if not allowed:
        raise Http404
    mark_private(request)
    return page


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _wants_json(request: HttpRequest) -> bool:
    return request.POST.get("action") == "autosave" or request.headers.get("Accept", "").startswith("application/json")


def _loaded(page: Page) -> dict[str, str]:
    latest = actions.latest_revision(page)
    return {
        "loaded_revision_id": str(latest.pk) if latest else "",
        "loaded_revision_created_at": latest.created_at.isoformat() if latest else "",
    }


def _initial_forms(page: Page, draft: Page, sections: list[Any]) -> tuple[Any, Any]:
    if isinstance(draft, HearingResponsePage):
        form = ResponseForm(initial={"title": draft.title, "general_remarks": draft.general_remarks, **_loaded(page)})
        parts = PartFormSet(prefix="parts", form_kwargs={"sections": sections}, initial=[
            {"part_id": part.pk, "section_number": part.section_number.strip(), "kind": part.kind,
             "comment": part.comment, "replacement": part.replacement}
            for part in draft.parts.all()
        ])
        return form, parts
    if isinstance(draft, OrganisationDraftPage):
        return WorkingDraftForm(initial={"title": draft.title, "body": draft.body, **_loaded(page)}), None
    paper_form = PositionPaperForm(initial={"title": draft.title, "summary": draft.summary, "body": draft.body,
                                            **_loaded(page)})
    return paper_form, None


def _context(request: HttpRequest, page: Page, draft: Page, form: Any, parts: Any, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "draft_page": page,
        "draft": draft,
        "form": form,
        "parts": parts,
        "is_response": isinstance(draft, HearingResponsePage),
        "is_position_paper": isinstance(draft, PositionPaperPage),
        "status": selectors.status_of(page),
        "organisation": selectors.organisation_of(page),
        "threads": selectors.threads(page, draft),
        "anchors": selectors.anchors(draft),
        "comment_form": CommentForm(),
        "presence": [selectors.presence_sentence(p) for p in selectors.present(page, request.user, draft)],
        "may_review": selectors.may_review(request.user, page),
        "history": workflow_selectors.history_for(page, request.user),
        "waiting": actions.waiting_task_state(page) is not None,
        "returned_comment": _returned_comment(page),
        # Live co-editing of the rich text (static/js/live-editor.js), unless the draft is locked for
        # this person now (the same rule the socket asks).
        "live": _live(page, form, request.user),
    }
    if isinstance(draft, HearingResponsePage):
        context.update(selectors.response_context(page, draft))
    context.update(extra)
    return context


def _live(page: Page, form: Any, user: User) -> dict[str, str] | None:
    name = selectors.live_field(page)
    if name not in form.fields or actions.live_refusal(page=page, user=user):
        return None
    return {"name": name, "field_id": form[name].id_for_label}


def _returned_comment(page: Page) -> str:
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_NEEDS_CHANGES:
        return ""
    task_state = state.current_task_state
    return task_state.comment if task_state is not None else ""


def _sections(draft: Page) -> list[Any]:
    if isinstance(draft, HearingResponsePage):
        return list(draft.hearing.sections.all())
    return []


def _parts_from(formset: Any) -> list[actions.PartInput]:
    items = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not form.has_changed():
            continue
        items.append(actions.PartInput(
            section_number=data["section_number"], kind=data["kind"], comment=data.get("comment", ""),
            replacement=data.get("replacement", ""), pk=data.get("part_id"),
        ))
    return items


def _empty_extra_forms_permitted(formset: Any) -> None:
    # An untouched extra row (the empty one for adding a part) is not an error.
    for form in formset.forms:
        form.empty_permitted = form.empty_permitted or not form.has_changed()


@login_required
def edit(request: HttpRequest, page_id: int) -> HttpResponse:
    page = selectors.editable_page(page_id)
    if page is not None and not selectors.may_write(request.user, page) and selectors.may_review(request.user, page):
        return redirect("editor:review", page_id=page.pk)
    page = _page_or_404(request, page_id)
    draft = page.get_latest_revision_as_object()
    sections = _sections(draft)
    if request.method != "POST":
        form, parts = _initial_forms(page, draft, sections)
        return render(request, "editor/edit.html", _context(request, page, draft, form, parts))

    action = request.POST.get("action", "save")
    is_response = isinstance(draft, HearingResponsePage)
    is_working_draft = isinstance(draft, OrganisationDraftPage)
    form_class = ResponseForm if is_response else WorkingDraftForm if is_working_draft else PositionPaperForm
    form = form_class(request.POST, request.FILES)
    parts = PartFormSet(request.POST, prefix="parts", form_kwargs={"sections": sections}) if is_response else None
    if parts is not None:
        _empty_extra_forms_permitted(parts)
    valid = form.is_valid() and (parts is None or parts.is_valid())
    if not valid:
        if _wants_json(request):
            return _json({"ok": False, "error": _("Check the fields marked in the form.")}, status=400)
        messages.error(request, _("Nothing was saved: check the fields marked below."))
        return render(request, "editor/edit.html", _context(request, page, draft, form, parts), status=400)
    data = form.cleaned_data
    # With live editing on, the rich text is written by the live document (actions.live_save); the
    # form's copy of it is not sent and must not overwrite it.
    live = request.POST.get("live") == "1"
    try:
        if is_response:
            revision = actions.response_save(
                page=page, user=request.user, title=data["title"],
                general_remarks=None if live else data["general_remarks"],
                parts=_parts_from(parts), loaded_revision_id=data["loaded_revision_id"],
                loaded_revision_created_at=data["loaded_revision_created_at"], autosave=action == "autosave",
                original=data.get("original") or None,
            )
        elif is_working_draft:
            revision = actions.working_draft_save(
                page=page, user=request.user, title=data["title"], body=None if live else data["body"],
                loaded_revision_id=data["loaded_revision_id"],
                loaded_revision_created_at=data["loaded_revision_created_at"], autosave=action == "autosave",
            )
        else:
            revision = actions.position_paper_save(
                page=page, user=request.user, title=data["title"], summary=data["summary"],
                body=None if live else data["body"],
                loaded_revision_id=data["loaded_revision_id"],
                loaded_revision_created_at=data["loaded_revision_created_at"], autosave=action == "autosave",
            )
    except actions.EditorRefused as refused:
        if _wants_json(request):
            stale = isinstance(refused, actions.StaleDraft)
            return _json({"ok": False, "stale": stale, "error": refused.message}, status=409 if stale else 400)
        # The person's text stays in the form; nothing was saved.
        messages.error(request, refused.message)
        return render(request, "editor/edit.html", _context(request, page, draft, form, parts),
                      status=409 if isinstance(refused, actions.StaleDraft) else 400)
    if _wants_json(request):
        return _json({
            "ok": True, "loaded_revision_id": str(revision.pk),
            "loaded_revision_created_at": revision.created_at.isoformat(),
            "message": _("Saved automatically at %(time)s") % {
                "time": date_format(timezone.localtime(revision.created_at), "TIME_FORMAT")},
        })
    if action == "submit":
        try:
            actions.submit(page=page, user=request.user)
        except actions.EditorRefused as refused:
            page.refresh_from_db()
            draft = page.get_latest_revision_as_object()
            form, parts = _initial_forms(page, draft, sections)
            messages.error(request, refused.message)
            return render(request, "editor/edit.html", _context(
                request, page, draft, form, parts, problems=refused.problems,
                kept=_("Your changes have been saved as a draft."),
            ), status=400)
        messages.success(request, _("Saved and sent for approval by your organisation's lead."))
    else:
        messages.success(request, _("Your changes have been saved."))
    return redirect("editor:edit", page_id=page.pk)


@login_required
def review(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_or_404(request, page_id, review=True)
    task_state = actions.waiting_task_state(page)
    if not selectors.may_review(request.user, page) or task_state is None:
        if selectors.may_write(request.user, page):
            messages.info(request, _("This draft is not waiting for your decision."))
            return redirect("editor:edit", page_id=page.pk)
        raise Http404
    form = DecisionForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            actions.decide(page=page, user=request.user, approve=approve, comment=form.cleaned_data["comment"])
        except actions.EditorRefused as refused:
            error = refused.message
        else:
            messages.success(request, _("The draft has been approved.") if approve else
                             _("The draft has been returned to its authors with your comment."))
            return redirect("workflows:queue")
    elif request.method == "POST":
        error = _("Choose whether to approve or return the draft.")
    submitted = task_state.revision.as_object()
    context = {
        "draft_page": page, "draft": submitted, "task_state": task_state, "form": form, "error": error,
        "status": selectors.status_of(page),
        "organisation": selectors.organisation_of(page),
        "changes": workflow_selectors.comparison(task_state, request),
        "history": workflow_selectors.history_for(page, request.user),
        "is_response": isinstance(submitted, HearingResponsePage),
        "may_write": selectors.may_write(request.user, page),
    }
    return render(request, "editor/review.html", context, status=400 if error else 200)


@require_POST
@login_required
def comment(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_or_404(request, page_id)
    form = CommentForm(request.POST)
    target = reverse("editor:edit", args=[page.pk]) + "#kommentarer"
    if not form.is_valid():
        messages.error(request, _("Write the comment before sending it."))
        return redirect(target)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = DraftComment.objects.filter(pk=form.cleaned_data["parent"], page=page).first()
        if parent is None:
            raise Http404
    try:
        actions.comment_add(page=page, user=request.user, body=form.cleaned_data["body"],
                            anchor=form.cleaned_data["anchor"], quote=form.cleaned_data["quote"], parent=parent)
    except actions.EditorRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your comment has been added."))
    return redirect(target)


@require_POST
@login_required
def comment_resolve(request: HttpRequest, page_id: int, comment_id: int) -> HttpResponse:
    page = _page_or_404(request, page_id)
    item = DraftComment.objects.filter(pk=comment_id, page=page).first()
    if item is None:
        raise Http404
    resolved = request.POST.get("resolved") == "1"
    try:
        actions.comment_resolve(comment=item, user=request.user, resolved=resolved)
    except actions.EditorRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The comment is resolved.") if resolved else _("The comment is open again."))
    return redirect(reverse("editor:edit", args=[page.pk]) + f"#kommentar-{item.pk}")


@login_required
def presence(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_or_404(request, page_id)
    if request.method == "POST":
        if request.POST.get("leave"):
            actions.presence_leave(page=page, user=request.user)
        else:
            actions.presence_touch(page=page, user=request.user, where=request.POST.get("where", ""))
    draft = page.get_latest_revision_as_object()
    others = selectors.present(page, request.user, draft)
    latest = actions.latest_revision(page)
    return _json({
        "present": [selectors.presence_sentence(item) for item in others],
        "latest_revision_id": str(latest.pk) if latest else "",
    })


@require_POST
@login_required
def diff_preview(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_or_404(request, page_id)
    draft = page.get_latest_revision_as_object()
    if not isinstance(draft, HearingResponsePage):
        raise Http404
    section = draft.hearing.section_by_number(request.POST.get("section_number", ""))
    if section is None:
        return _json({"html": "", "summary": _("Choose a section to compare with.")})
    replacement = request.POST.get("replacement", "")[: actions.MAX_TEXT]
    removed, added = diff_counts(section.text, replacement)
    return _json({
        "html": str(diff_html(section.text, replacement)),
        "summary": _("%(removed)s words removed, %(added)s words added") % {"removed": removed, "added": added},
    })


@require_POST
@login_required
def start_position_paper(request: HttpRequest, space_id: int) -> HttpResponse:
    from portal.organisations.models import OrganisationSpacePage

    space = OrganisationSpacePage.objects.filter(pk=space_id).first()
    if space is None or not selectors.may_write(request.user, space):
        raise Http404
    try:
        page = actions.position_paper_start(space=space, user=request.user)
    except actions.EditorRefused as refused:
        messages.error(request, refused.message)
        return redirect(space.url or "/")
    messages.success(request, _("A new position paper has been started. Write it here."))
    return redirect("editor:edit", page_id=page.pk)
