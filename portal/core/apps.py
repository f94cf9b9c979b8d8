from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Any change of content starts a new generation of the anonymous page cache (page_cache.py).
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from portal.access import generation, invitations

        from . import background, checks, lookups, members, page_cache, revisions, tasks  # noqa: F401 - checks registers the system checks
        from .models import FooterSettings

        # Invitation e-mails go through the one mail sender (mail.py).
        invitations.register_mailer(members.send_invitation_email)
        # Periodic work, enqueued by the task workers once a minute (no cron).
        background.every_minute("publish_scheduled", tasks.publish_scheduled)
        background.every_minute("tidy_queue", tasks.tidy_queue)
        # The layout's cached footer reads these settings (templatetags/portal_tags.py).
        generation.watch(FooterSettings)
        # Locales come from the per-generation cache (lookups.py).
        lookups.install()
        # Revisions' references checked in bulk where asked for (revisions.py).
        revisions.install()

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(page_cache.on_model_change, dispatch_uid=f"page-cache-{id(signal)}")
        for signal in (page_published, page_unpublished):
            signal.connect(page_cache.new_generation, dispatch_uid=f"page-cache-{id(signal)}")
