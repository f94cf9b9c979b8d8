from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    label = "portal_workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from . import notifications, setup

        notifications.connect()
        # Creates the workflows and assigns whichever section pages already exist; the demo step
        # (and any later migrate) completes the assignment once the sections exist. Runs after
        # the whole migration plan (post_migrate is sent once every app has migrated).
        post_migrate.connect(setup.ensure_workflows_after_migrate, sender=self)
