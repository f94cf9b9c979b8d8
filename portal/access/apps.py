from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "portal.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from . import roles

        # Groups reference permissions, which only exist after every app has migrated.
        post_migrate.connect(roles.ensure_role_groups_after_migrate, sender=self)
