"""No lost work: a page editor opened on an older revision cannot silently overwrite a colleague's save.

Wagtail 8 posts `loaded_revision_id` / `loaded_revision_created_at` with every page edit form, but
only refuses an out-of-date save for autosave (JSON) requests. A normal "Save draft" / "Publish" from
a stale editor creates a newer revision on top of the colleague's one, so their changes disappear from
the page (they only survive in the history). This guard runs as a `before_edit_page` hook: when the
posted form was loaded from an older revision it saves nothing and re-renders the edit form with the
posted text kept and a clear message; the re-rendered form carries the newest revision id, so saving
again (after comparing) is a deliberate choice.

Two saves arriving at the very same moment can both pass the check (the hook runs before Wagtail's
own transaction). Nothing is lost then either, because every save is a revision; `warn_if_overtaken`
(an `after_edit_page` hook) tells the second editor that someone else saved in between.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page, Revision

# Set on the request while the conflict view re-renders, so the hook does not refuse it again.
_RERENDERING = "_portal_edit_conflict_rerendering"


def _expects_json(request: HttpRequest) -> bool:
    # Same test as Wagtail's edit view: autosave asks for JSON, and Wagtail already refuses stale ones.
    return not request.accepts("text/html")


def latest_revision(page: Page) -> Revision | None:
    """The page's newest revision, read from the database (not from the possibly stale object)."""
    latest_id = Page.objects.filter(pk=page.pk).values_list("latest_revision_id", flat=True).first()
    if latest_id is None:
        return None
    return Revision.objects.select_related("user").filter(pk=latest_id).first()


def is_stale_save(request: HttpRequest, page: Page) -> bool:
    """Whether this POST was made from an edit form loaded before the page's newest revision.

    Mirrors Wagtail's own `EditView.is_out_of_date` (which it only applies to autosave)."""
    latest = latest_revision(page)
    if latest is None:
        return False
    latest_id = str(latest.pk)
    # An editor that has autosaved names its own autosave revision: it is either the newest or not.
    if overwrite_id := request.POST.get("overwrite_revision_id"):
        return overwrite_id != latest_id
    loaded_id = request.POST.get("loaded_revision_id")
    if not loaded_id:
        # Without the hidden field there is nothing to compare (Wagtail assumes up to date too).
        return False
    if loaded_id != latest_id:
        return True
    # Same id, but an autosave by another session may have overwritten that revision since.
    return request.POST.get("loaded_revision_created_at", "") != latest.created_at.isoformat()


def _who(revision: Revision | None) -> str:
    user = revision.user if revision else None
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def conflict_message(revision: Revision | None) -> str:
    name = _who(revision)
    if name:
        return _(
            "%(name)s saved this page while you were editing it, so your changes have not been saved. "
            "Your text is kept below: compare it with the newest version in the page history, "
            "then save again."
        ) % {"name": name}
    return _(
        "Someone else saved this page while you were editing it, so your changes have not been saved. "
        "Your text is kept below: compare it with the newest version in the page history, then save again."
    )


class ConflictEditView(EditView):
    """Wagtail's edit view, but a POST only re-renders the form with the posted data and the conflict
    message; it never saves. Re-using the real view keeps every panel, side panel and the action menu."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = self.form_class(
            request.POST,
            request.FILES,
            instance=self.page,
            subscription=self.subscription,
            parent_page=self.parent,
            for_user=request.user,
        )
        messages.error(request, conflict_message(latest_revision(self.page)))
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())


def refuse_stale_save(request: HttpRequest, page: Page) -> HttpResponse | None:
    """`before_edit_page` hook: refuse a normal save from an out-of-date editor, keeping its text."""
    if request.method != "POST" or getattr(request, _RERENDERING, False) or _expects_json(request):
        return None
    if not is_stale_save(request, page):
        return None
    setattr(request, _RERENDERING, True)
    kwargs = dict(request.resolver_match.kwargs) if request.resolver_match else {"page_id": page.pk}
    return ConflictEditView.as_view()(request, **kwargs)


def warn_if_overtaken(request: HttpRequest, page: Page) -> None:
    """`after_edit_page` hook: if another person's revision landed between the one this editor loaded
    and the one just saved (two saves at the same moment), say so; both stay in the history."""
    if _expects_json(request):
        return None
    loaded_id = request.POST.get("loaded_revision_id", "")
    latest = latest_revision(page)
    if not loaded_id.isdigit() or latest is None:
        return None
    overtaken = (
        Revision.objects.for_instance(page)
        .filter(pk__gt=int(loaded_id), pk__lt=latest.pk)
        .exclude(user=request.user)
        .exists()
    )
    if overtaken:
        messages.warning(
            request,
            _(
                "Someone else saved this page at the same moment as you. Both versions are kept in the "
                "page history: compare them there."
            ),
        )
    return None
