"""Public-site views: the review queue, the comparison a reviewer reads before deciding, an
object's history, and a person's notifications. Thin: reads come from ``selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from . import links, selectors
from .models import Notification


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the signed-in person's decision, oldest first. Someone who reviews
    nothing gets an empty list, never anyone else's items."""
    items = selectors.moderation_queue(request.user)
    now = timezone.now()
    return render(request, "workflows/queue.html", {"items": items, "now": now})


@require_GET
@login_required
def compare(request: HttpRequest, task_state_id: int) -> HttpResponse:
    state = selectors.reviewable_task_state(request.user, task_state_id)
    if state is None:
        # Not waiting, unknown, or not yours to review: the same answer, so ids reveal nothing.
        raise Http404
    page = state.workflow_state.content_object.specific
    return render(
        request,
        "workflows/compare.html",
        {
            "state": state,
            "object": page,
            "title": state.revision.object_str or page.title,
            "changes": selectors.comparison(state, request),
            "history": selectors.history_for(page, request.user),
            "decide_url": links.review_url(page) or reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )


@require_GET
def history(request: HttpRequest, page_id: int) -> HttpResponse:
    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if page is None or not selectors.may_see_history(request.user, page):
        raise Http404
    return render(
        request,
        "workflows/history_page.html",
        {"object": page, "history": selectors.history_for(page, request.user)},
    )


@require_GET
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workflows/notifications.html",
        {"notifications": selectors.notifications_for(request.user)},
    )


@require_GET
@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Open a notification (from the list or an e-mail): it is read from now on, and leads to the
    portal page where the action is. One about something the person may no longer see answers
    "not found", like an id that was never theirs."""
    notification = selectors.notification_for(request.user, notification_id)
    if notification is None:
        raise Http404
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(selectors.notification_target(notification, request.user))


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user__pk=int(request.user.pk or 0), read_at__isnull=True).update(read_at=timezone.now())
    return redirect("workflows:notifications")
