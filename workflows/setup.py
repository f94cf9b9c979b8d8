"""The portal's workflows and where they apply.

Workflows are assigned by place (Wagtail's ``WorkflowPage``: the nearest ancestor's assignment
applies), so a new organisation or council gets the right workflow the moment its section page is
saved, without an administrator:

- every organisation space (``OrganisationSpacePage``, every language): organisation approval, then
  moderation;
- every hearing index (``HearingIndexPage``): moderation;
- the root page (everything else, replacing Wagtail's default "Moderators approval"): moderation;
- minutes: chair approval. The meetings app's ``Minutes`` (not a page) is assigned by content type
  (Wagtail's ``WorkflowContentType``) through :func:`register_content_type`; the chair is resolved
  from the council above the minutes' meeting. Minutes kept as pages could use
  :func:`assign_minutes_workflow` or :func:`register_place` instead.

Everything here is idempotent: it runs after every migrate, in the demo loader and on page saves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from wagtail.models import Page, Task, Workflow, WorkflowContentType, WorkflowPage, WorkflowTask

from .models import CouncilChairApprovalTask, ModerationTask, OrganisationApprovalTask

# Workflow kinds, by the stable names they are stored under (names are data, shown in the admin).
ORGANISATION = "organisation"
MODERATION = "moderation"
MINUTES = "minutes"

WORKFLOW_NAMES = {
    ORGANISATION: "Organisasjonsgodkjenning og moderering",
    MODERATION: "Moderering",
    MINUTES: "Godkjenning av leder i utvalget",
}
TASK_NAMES = {
    OrganisationApprovalTask: "Godkjenning i organisasjonen",
    ModerationTask: "Moderering",
    CouncilChairApprovalTask: "Godkjenning av utvalgsleder",
}
WORKFLOW_TASKS: dict[str, list[type[Task]]] = {
    ORGANISATION: [OrganisationApprovalTask, ModerationTask],
    MODERATION: [ModerationTask],
    MINUTES: [CouncilChairApprovalTask],
}

# Page model -> workflow kind: every page of that model (any language) carries the assignment.
_places: dict[type[Page], str] = {}


def register_place(model: type[Page], kind: str) -> None:
    """Assign workflow ``kind`` to every page of ``model``, now and whenever one is saved. Call from
    an app's ``ready()`` (e.g. ``register_place(MinutesIndexPage, MINUTES)``)."""
    if kind not in WORKFLOW_NAMES:
        raise ValueError(f"unknown workflow kind {kind!r}")
    _places[model] = kind
    post_save.connect(_assign_on_save, sender=model, dispatch_uid=f"portal_workflows_place_{model._meta.label}")


# Non-page model -> workflow kind, assigned per content type (one workflow for every object of it).
_content_types: dict[type, str] = {}


def register_content_type(model: type, kind: str) -> None:
    """Assign workflow ``kind`` to every object of the (non-page) ``model``, e.g. the meetings app's
    ``Minutes``. Call from an app's ``ready()``; :func:`ensure_workflows` stores the assignment."""
    if kind not in WORKFLOW_NAMES:
        raise ValueError(f"unknown workflow kind {kind!r}")
    _content_types[model] = kind


def assign_content_type(model: type, kind: str) -> None:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow(kind)})


def _task(model: type[Task]) -> Task:
    task = model.objects.order_by("pk").first()
    if task is None:
        task = model.objects.create(name=TASK_NAMES[model])
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    return task


def workflow(kind: str) -> Workflow:
    """The portal workflow of this kind, created (with its tasks in order) if missing."""
    name = WORKFLOW_NAMES[kind]
    flow = Workflow.objects.filter(name=name).order_by("pk").first()
    if flow is None:
        flow = Workflow.objects.create(name=name, active=True)
    elif not flow.active:
        flow.active = True
        flow.save(update_fields=["active"])
    tasks = [_task(model) for model in WORKFLOW_TASKS[kind]]
    current = list(WorkflowTask.objects.filter(workflow=flow).order_by("sort_order").values_list("task_id", flat=True))
    if current != [task.pk for task in tasks]:
        WorkflowTask.objects.filter(workflow=flow).delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=flow, task=task, sort_order=order)
    return flow


def assign(page: Page, kind: str) -> None:
    """Make ``kind`` the workflow of ``page`` and everything below it (unless a page further down
    has its own)."""
    flow = workflow(kind)
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": flow})


def assign_minutes_workflow(page: Page) -> None:
    """Public API for the meetings app: minutes under ``page`` (a council's minutes or meetings
    parent, in one language) need the council chair's approval before they are published. The chair
    is resolved from the CouncilPage above the minutes, so ``page`` must be inside the council's
    subtree. Call it for every language version (or use ``register_place``)."""
    assign(page, MINUTES)


def _assign_on_save(sender: Any, instance: Page, raw: bool = False, **kwargs: Any) -> None:
    if raw or not instance.pk:
        return
    kind = _places.get(type(instance))
    if kind is not None:
        assign(instance, kind)


@transaction.atomic
def ensure_workflows() -> dict[str, Workflow]:
    """Create the workflows and assign every place that exists now. Safe to run any number of times."""
    flows = {kind: workflow(kind) for kind in WORKFLOW_NAMES}
    _moderate_by_default(flows[MODERATION])
    for model, kind in _places.items():
        for page in model.objects.all():
            assign(page, kind)
    for model, kind in _content_types.items():
        assign_content_type(model, kind)
    return flows


def _moderate_by_default(moderation: Workflow) -> None:
    """Wagtail installs "Moderators approval" (a fixed-group task with its own synchronous e-mails)
    on the root page. Ours replaces it, so any page outside the named places is moderated with our
    task, our scopes and our notifications. An administrator's own choice of another workflow on the
    root is left alone."""
    root = Page.get_first_root_node()
    if root is None:
        return
    current = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
    if current is None or current.workflow.name == "Moderators approval":
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": moderation})


def ensure_workflows_after_migrate(**kwargs: Any) -> None:
    ensure_workflows()
