from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "portal.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from . import generation, roles

        # Cached chrome and view-restriction rows are keyed by the content generation (generation.py).
        generation.connect()
        # Groups memoised on a user object (users.memo) are asked again after any change.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete

        from .users import groups_changed, rights_changed

        m2m_changed.connect(groups_changed, sender=get_user_model().groups.through, dispatch_uid="rights-user-groups")
        post_delete.connect(rights_changed, sender=Group, dispatch_uid="rights-group-deleted")

        # Groups reference permissions, which only exist after every app has migrated.
        post_migrate.connect(roles.ensure_role_groups_after_migrate, sender=self)
