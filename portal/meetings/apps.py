from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "portal.meetings"
    label = "meetings"
    verbose_name = _("Council meetings")

    def ready(self) -> None:
        from portal.core.api import api_router
        from workflows import owners, setup

        from . import api, home, policies, search_adapter
        from .models import Minutes

        policies.register_policies()
        home.register()
        api.register(api_router)
        search_adapter.register_adapter()
        # The minutes' approval is the chair-approval workflow, assigned to the Minutes content type;
        # the chair is found from the council above the minutes' meeting.
        owners.register_anchor(Minutes, "meeting")
        setup.register_content_type(Minutes, setup.MINUTES)
