from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    label = "portal_workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import GroupApprovalTask, Task, TaskState, WorkflowState

        from portal.access import generation
        from portal.access.users import touch_owner

        from . import notifications, selectors, setup
        from .models import Notification

        notifications.connect()
        # The header's unread count is cached per person (selectors.unread_count) and the active
        # tasks per content generation (selectors.active_tasks).
        for signal in (post_save, post_delete):
            signal.connect(touch_owner, sender=Notification, dispatch_uid=f"unread-count-{id(signal)}")
        generation.watch(Task)
        for model in (TaskState, WorkflowState):
            for signal in (post_save, post_delete):
                signal.connect(selectors.workflow_changed, sender=model,
                               dispatch_uid=f"waiting-count-{model.__name__}-{id(signal)}")
        m2m_changed.connect(selectors.workflow_changed, sender=GroupApprovalTask.groups.through,
                            dispatch_uid="waiting-count-task-groups")
        # Who decides a group approval task is cached per generation too (selectors._task_group_ids).
        m2m_changed.connect(generation.advance, sender=GroupApprovalTask.groups.through,
                            dispatch_uid="content-generation-task-groups")
        # Creates the workflows and assigns whichever section pages already exist; the demo step
        # (and any later migrate) completes the assignment once the sections exist. Runs after
        # the whole migration plan (post_migrate is sent once every app has migrated).
        post_migrate.connect(setup.ensure_workflows_after_migrate, sender=self)
