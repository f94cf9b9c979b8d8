"""Workflow task types whose approvers are resolved from the object (its organisation, its
council, its section), moderator scopes and the in-site notification list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Revision, Task, TaskState

from portal.access import membership
from portal.access.membership import COUNCIL, ORGANISATION, subtree_q
from portal.access.roles import MODERATORS, is_moderator
from portal.access.users import User, is_superuser

from . import owners
from .deadlines import guard_deadline
from .exceptions import WorkflowRefused


class ApproveForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}), required=False)


class RejectForm(forms.Form):
    """Rejection always carries a reason: the author sees it and needs it to fix the draft."""

    comment = forms.CharField(
        label=_("Reason (shown to the author)"), widget=forms.Textarea(attrs={"rows": 5}), required=True,
        error_messages={"required": _("Give a reason, so the author knows what to change.")},
    )


def _page_of(obj: Any) -> Page | None:
    """The page deciding who reviews ``obj``: a page is its own; minutes have their meeting."""
    return owners.anchor_page(obj)


def written_only_by(page: Page, user: User) -> bool:
    """Every revision saved since the page was last published was created by this user."""
    revisions = Revision.objects.filter(
        base_content_type_id=page.get_base_content_type().pk, object_id=str(page.pk)
    )
    if page.last_published_at:
        revisions = revisions.filter(created_at__gt=page.last_published_at)
    authors = set(revisions.values_list("user_id", flat=True))
    return authors == {user.pk}


class PortalTask(Task):
    """Shared behaviour: who reviews is decided per object by ``user_can_review``; the same rule,
    expressed as a page filter by ``reviewable_pages_q``, lists the task states in one query."""

    class Meta:
        abstract = True

    def user_can_review(self, obj: Any, user: User) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def reviewable_pages_q(self, user: User) -> Q | None:  # pragma: no cover - abstract
        """A filter on Page for the pages this user reviews in this task; None for none."""
        raise NotImplementedError

    def approvers_for(self, obj: Any) -> list[Any]:  # pragma: no cover - abstract
        """Who to tell that something waits for them."""
        raise NotImplementedError

    def user_can_approve(self, obj: Any, user: User) -> bool:
        return self.user_can_review(obj, user)

    # --- Wagtail's task interface ---------------------------------------------------------------

    def start(self, workflow_state: Any, user: User | None = None) -> TaskState:
        # Covers every way in (admin submit, resubmission, the next task after an approval): past
        # the deadline nothing enters review. Raising rolls back the workflow state; the draft
        # revision saved before the submission is kept.
        revision = workflow_state.content_object.get_latest_revision()
        guard_deadline(revision.as_object() if revision is not None else workflow_state.content_object)
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj: Any, user: User) -> bool:
        return self.user_can_review(obj, user)

    def locked_for_user(self, obj: Any, user: User) -> bool:
        # While waiting for review, only reviewers may change the draft: what they approve is what
        # was submitted.
        return not self.user_can_review(obj, user)

    def get_actions(self, obj: Any, user: User) -> list[tuple[str, Any, bool]]:
        if not self.user_can_review(obj, user):
            return []
        actions: list[tuple[str, Any, bool]] = [("reject", _("Request changes"), True)]
        if self.user_can_approve(obj, user):
            actions += [("approve", _("Approve"), False), ("approve", _("Approve with comment"), True)]
        return actions

    def get_form_for_action(self, action: str) -> type[forms.Form]:
        return RejectForm if action == "reject" else ApproveForm

    @transaction.atomic
    def on_action(self, task_state: TaskState, user: User, action_name: str, **kwargs: Any) -> Any:
        if action_name in ("approve", "reject"):
            page = task_state.workflow_state.content_object
            page = page.specific if isinstance(page, Page) else page
            if task_state.status != TaskState.STATUS_IN_PROGRESS:
                raise WorkflowRefused(gettext("This step has already been decided."))
            allowed = {name for name, _label, _modal in self.get_actions(page, user)}
            if action_name not in allowed:
                if action_name == "approve" and self.user_can_review(page, user):
                    raise WorkflowRefused(gettext("You may not approve a draft that only you have written."))
                raise WorkflowRefused(gettext("You may not approve or reject this."))
            # The draft under review, not the stored row: its deadline is what counts.
            guard_deadline(task_state.revision.as_object())
            comment = (kwargs.get("comment") or "").strip()
            if action_name == "reject" and not comment:
                raise WorkflowRefused(gettext("Give a reason, so the author knows what to change."))
            kwargs["comment"] = comment
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user: User, **kwargs: Any) -> Any:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return TaskState.objects.none()
        condition = self.reviewable_pages_q(user)
        if condition is None:
            return TaskState.objects.none()
        states = TaskState.objects.filter(task_id=self.pk, status=TaskState.STATUS_IN_PROGRESS)
        pages = Page.objects.filter(condition)
        page_ids = pages.annotate(str_id=Cast("pk", CharField())).values("str_id")
        reviewable = Q(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=page_ids,
        )
        # Objects placed in the tree by a page (minutes by their meeting) follow that page's rule.
        for model, field in owners.anchored_models().items():
            object_ids = (
                model._default_manager.filter(**{f"{field}__in": pages.values("pk")})
                .annotate(str_id=Cast("pk", CharField())).values("str_id")
            )
            reviewable |= Q(
                workflow_state__base_content_type=ContentType.objects.get_for_model(model),
                workflow_state__object_id__in=object_ids,
            )
        return states.filter(reviewable)


class OrganisationApprovalTask(PortalTask):
    """Approved by a current lead of the organisation that owns the page."""

    allow_self_approval = models.BooleanField(
        _("leads may approve what only they wrote"), default=False,
        help_text=_("If off, a lead cannot approve a draft when every change since the last publication is theirs."),
    )

    admin_form_fields = Task.admin_form_fields + ["allow_self_approval"]

    class Meta:
        verbose_name = _("organisation approval")
        verbose_name_plural = _("organisation approvals")

    @classmethod
    def get_description(cls) -> Any:
        return _("A lead of the organisation that owns the page approves it")

    def user_can_review(self, obj: Any, user: User) -> bool:
        if is_superuser(user):
            return True
        return membership.is_lead(user, membership.organisation_of(_page_of(obj)))

    def user_can_approve(self, obj: Any, user: User) -> bool:
        if not self.user_can_review(obj, user):
            return False
        page = _page_of(obj)
        if self.allow_self_approval or is_superuser(user) or page is None:
            return True
        return not written_only_by(page, user)

    def reviewable_pages_q(self, user: User) -> Q | None:
        if is_superuser(user):
            return Q()
        paths = membership.lead_paths(user, ORGANISATION)
        return subtree_q(paths) if paths else None

    def approvers_for(self, obj: Any) -> list[Any]:
        return membership.leads(membership.organisation_of(_page_of(obj)))


class CouncilChairApprovalTask(PortalTask):
    """Approved by the current chair or deputy chair of the council that owns the page."""

    class Meta:
        verbose_name = _("council chair approval")
        verbose_name_plural = _("council chair approvals")

    @classmethod
    def get_description(cls) -> Any:
        return _("The current chair or deputy chair of the council that owns the page approves it")

    def user_can_review(self, obj: Any, user: User) -> bool:
        if is_superuser(user):
            return True
        return membership.is_lead(user, membership.council_of(_page_of(obj)))

    def reviewable_pages_q(self, user: User) -> Q | None:
        if is_superuser(user):
            return Q()
        paths = membership.lead_paths(user, COUNCIL)
        return subtree_q(paths) if paths else None

    def approvers_for(self, obj: Any) -> list[Any]:
        return membership.leads(membership.council_of(_page_of(obj)))


class ModerationTask(PortalTask):
    """Approved by the moderators group; a moderator with scopes moderates only those sections."""

    class Meta:
        verbose_name = _("moderation")
        verbose_name_plural = _("moderations")

    @classmethod
    def get_description(cls) -> Any:
        return _("A moderator approves the page (moderators limited to sections only moderate those)")

    def user_can_review(self, obj: Any, user: User) -> bool:
        if is_superuser(user):
            return True
        if not is_moderator(user):
            return False
        paths = ModeratorScope.section_paths_for(user)
        if not paths:
            return True
        page = _page_of(obj)
        return page is not None and any(page.path.startswith(path) for path in paths)

    def reviewable_pages_q(self, user: User) -> Q | None:
        if is_superuser(user):
            return Q()
        if not is_moderator(user):
            return None
        paths = ModeratorScope.section_paths_for(user)
        return subtree_q(paths) if paths else Q()

    def approvers_for(self, obj: Any) -> list[Any]:
        from django.contrib.auth import get_user_model

        page = _page_of(obj)
        moderators = get_user_model().objects.filter(groups__name=MODERATORS, is_active=True).distinct()
        return [user for user in moderators if self.user_can_review(page, user)]


class ModeratorScope(models.Model):
    """Limits a moderator to a section (a page and everything under it, in every language). A
    moderator without any scope moderates everywhere."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_scopes", verbose_name=_("moderator")
    )
    section = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("section")
    )

    class Meta:
        verbose_name = _("moderator scope")
        verbose_name_plural = _("moderator scopes")
        constraints = [models.UniqueConstraint(fields=["user", "section"], name="unique_moderator_scope")]

    def __str__(self) -> str:
        return f"{self.user} – {self.section}"

    @staticmethod
    def section_paths_for(user: User) -> list[str]:
        keys = ModeratorScope.objects.filter(user__pk=int(user.pk or 0)).values("section__translation_key")
        return list(Page.objects.filter(translation_key__in=keys).values_list("path", flat=True))


class Notification(models.Model):
    """One line in a person's in-site notification list. The title is stored only when the person
    may see the object; the text is rendered in the reader's language from ``verb``."""

    class Verb(models.TextChoices):
        WAITING = "waiting", _("waits for your approval")
        APPROVED = "approved", _("was approved")
        REJECTED = "rejected", _("was sent back with changes requested")
        PUBLISHED = "published", _("was published")
        MENTIONED = "mentioned", _("has a comment that mentions you")
        # Not a workflow step: training reminders (portal.training) share the one notification list.
        REMINDER = "reminder", _("(reminder)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_notifications",
        verbose_name=_("recipient"),
    )
    verb = models.CharField(_("what happened"), max_length=20, choices=Verb.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("page")
    )
    # A non-page object in a workflow (minutes): kept so access can be checked again whenever the
    # notification is listed, opened or sent, as for pages.
    object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=255, blank=True)
    # The step a "waiting" notification asks the recipient to decide: once decided (by anyone), the
    # notification no longer waits.
    task_state = models.ForeignKey(
        TaskState, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("step"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    done_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_created")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_verb_display()}"

    @property
    def subject(self) -> Any:
        """The object the notification is about (a page as its specific type, minutes...), or None
        when it no longer exists."""
        if self.page_id is not None:
            return self.page.specific if self.page is not None else None
        if self.object_type is None or not self.object_id:
            return None
        model = self.object_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model is not None else None

    @property
    def is_done(self) -> bool:
        """Handled: a "waiting" notification whose step has been decided (by anyone)."""
        if self.done_at is not None:
            return True
        if self.verb != self.Verb.WAITING:
            return False
        return self.task_state is None or self.task_state.status != TaskState.STATUS_IN_PROGRESS
