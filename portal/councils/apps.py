"""User councils: public profiles with their composition, and each council's private space."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "portal.councils"
    label = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from portal.core import background
        from portal.core.api import api_router
        from portal.core.selectors import register_section

        from . import (  # noqa: F401 - signals connects
            api,
            document_permissions,
            members,
            policies,
            search_adapters,
            signals,
            tasks,
            views,  # noqa: F401 - declares the pages' sub-page routes (portal.core.routes)
        )
        from .models import CouncilIndexPage

        policies.register()
        members.register()
        api.register(api_router)
        document_permissions.register()
        search_adapters.register_adapters()
        # Seats that start or end by date: the task workers bring the members groups in step once a day.
        background.every_day("sync_council_groups", tasks.sync_council_groups)
        register_section(
            CouncilIndexPage, order=20,
            description=_("User councils at national, county and local level: members, meetings and minutes."),
        )
