from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "portal.meetings"
    label = "meetings"
    verbose_name = _("Council meetings")

    def ready(self) -> None:
        from . import policies, search_adapter

        policies.register_policies()
        search_adapter.register_adapter()
