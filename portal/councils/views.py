"""A council's private space on the public site: the thread list and internal documents, a thread
with its replies, and the member list with contact details (the secretary manages it there).
Thin: rules in actions.py, reads in selectors.py, visibility in portal.access.visibility."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.access.users import User
from portal.access.visibility import can_moderate, can_view, filter_viewable
from portal.core.members import members as member_page
from portal.core.routes import page_route

from . import actions, selectors
from .forms import DocumentForm, HideForm, ReplyForm, ThreadForm
from .members import MEMBER_PAGE, private, refuse
from .models import CouncilPage, Thread

_private = private
_refuse = refuse


def _guard(request: HttpRequest, page: CouncilPage, allowed: Callable[[], bool], message: str) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed():
        return _refuse(request, page, message)
    return None


def _may_read(user: User, page: CouncilPage) -> bool:
    # Same rule as the Thread policy: current members, and portal moderators (who hide posts).
    return can_view(user, Thread(council=page))


def _base_context(request: HttpRequest, page: CouncilPage) -> dict[str, Any]:
    user = request.user
    return {
        "page": page,
        "self": page,
        "is_member": selectors.is_member(user=user, council=page),
        "can_manage": selectors.can_manage_members(user=user, council=page),
        "space_url": page.space_url("space"),
        "members_url": page.space_url("members"),
    }


def _form_errors_status(*forms: Any) -> int:
    return 400 if any(form.is_bound and form.errors for form in forms if form is not None) else 200


# --- the space: threads and internal documents -----------------------------------------------------


@page_route(CouncilPage, "rom/", name="space")
def space(request: HttpRequest, page: CouncilPage) -> HttpResponse:
    refusal = _guard(request, page, lambda: _may_read(request.user, page),
                     _("Only the council's members have access to its private space."))
    if refusal:
        return refusal
    is_member = selectors.is_member(user=request.user, council=page)
    thread_form = ThreadForm(prefix="thread")
    document_form = DocumentForm(prefix="document")
    if request.method == "POST":
        if not is_member:
            return _refuse(request, page, _("Only the council's current members can write in its space."))
        action = request.POST.get("action")
        if action == "new_thread":
            thread_form = ThreadForm(request.POST, request.FILES, prefix="thread")
            if thread_form.is_valid():
                try:
                    thread = actions.thread_start(
                        council=page, author=request.user, title=thread_form.cleaned_data["title"],
                        body=thread_form.cleaned_data["body"], files=thread_form.cleaned_data["attachments"],
                    )
                except actions.SpaceError as error:
                    thread_form.add_error(None, error)
                else:
                    messages.success(request, _("Your thread was posted."))
                    return HttpResponseRedirect(thread.url_in(page))
        elif action == "upload_document":
            document_form = DocumentForm(request.POST, request.FILES, prefix="document")
            if document_form.is_valid():
                try:
                    actions.document_upload(council=page, actor=request.user, title=document_form.cleaned_data["title"],
                                            upload=document_form.cleaned_data["file"])
                except actions.SpaceError as error:
                    document_form.add_error(None, error)
                else:
                    messages.success(request, _("The document was uploaded."))
                    return HttpResponseRedirect(request.path)
        else:
            return _private(HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8"))
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)

    thread_list = list(filter_viewable(request.user, selectors.threads(council=page)))
    for item in thread_list:
        item.reply_count = max(item.post_count - 1, 0)
        item.url = item.url_in(page)
    context = _base_context(request, page)
    context.update({
        "threads": thread_list,
        "documents": filter_viewable(request.user, selectors.internal_documents(council=page)) if is_member else [],
        "thread_form": thread_form,
        "document_form": document_form,
    })
    status = _form_errors_status(thread_form, document_form)
    return _private(TemplateResponse(request, "councils/council_space.html", context, status=status))


# --- a thread ---------------------------------------------------------------------------------------


@page_route(CouncilPage, "rom/trad/<int:thread_id>/", name="thread")
def thread(request: HttpRequest, page: CouncilPage, thread_id: int) -> HttpResponse:
    refusal = _guard(request, page, lambda: _may_read(request.user, page),
                     _("Only the council's members have access to its private space."))
    if refusal:
        return refusal
    found = selectors.thread_in(council=page, thread_id=thread_id)
    if found is None or not can_view(request.user, found):
        raise Http404(_("No such thread."))
    reply_form = ReplyForm(prefix="reply")
    hide_form = HideForm(prefix="hide")
    if request.method == "POST":
        outcome = _thread_post(request, page, found)
        if isinstance(outcome, HttpResponse):
            return outcome
        reply_form, hide_form = outcome
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)

    posts = []
    for post in selectors.posts(thread=found):
        post.may_read = can_view(request.user, post)
        post.may_hide = not post.is_hidden and actions.can_hide(user=request.user, post=post)
        post.visible_attachments = [a for a in post.attachments.all() if can_view(request.user, a.document)]
        posts.append(post)
    context = _base_context(request, page)
    context.update({
        "thread": found,
        "posts": posts,
        "reply_form": reply_form,
        "hide_form": hide_form,
        "hide_post_id": hide_form["post"].value() if hide_form.is_bound else None,
        "can_moderate": can_moderate(request.user, found),
    })
    status = _form_errors_status(reply_form, hide_form)
    return _private(TemplateResponse(request, "councils/council_thread.html", context, status=status))


def _thread_post(request: HttpRequest, page: CouncilPage, found: Thread):
    action = request.POST.get("action")
    reply_form = ReplyForm(prefix="reply")
    hide_form = HideForm(prefix="hide")
    if action == "reply":
        if not selectors.is_member(user=request.user, council=page):
            return _refuse(request, page, _("Only the council's current members can write in its space."))
        reply_form = ReplyForm(request.POST, request.FILES, prefix="reply")
        if reply_form.is_valid():
            try:
                reply = actions.thread_reply(thread=found, author=request.user, body=reply_form.cleaned_data["body"],
                                             files=reply_form.cleaned_data["attachments"])
            except actions.SpaceError as error:
                reply_form.add_error(None, error)
            else:
                messages.success(request, _("Your reply was posted."))
                return HttpResponseRedirect(f"{request.path}#innlegg-{reply.pk}")
    elif action == "hide":
        hide_form = HideForm(request.POST, prefix="hide")
        if hide_form.is_valid():
            post = selectors.posts(thread=found).filter(pk=hide_form.cleaned_data["post"]).first()
            if post is None:
                hide_form.add_error(None, _("That post no longer exists. Reload the page and try again."))
            else:
                try:
                    actions.post_hide(post=post, actor=request.user, reason=hide_form.cleaned_data["reason"])
                except PermissionDenied as error:
                    return _refuse(request, page, str(error))
                except actions.SpaceError as error:
                    hide_form.add_error(None, error)
                else:
                    messages.success(request, _("The post was hidden."))
                    return HttpResponseRedirect(f"{request.path}#innlegg-{post.pk}")
    else:
        return _private(HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8"))
    return reply_form, hide_form


# --- members with contact details; the secretary manages them and invites people ------------------


@page_route(CouncilPage, "rom/medlemmer/", name="members")
def members(request: HttpRequest, page: CouncilPage) -> HttpResponse:
    # One shared implementation for every kind of membership, configured in members.py.
    return member_page(request, page, MEMBER_PAGE)
