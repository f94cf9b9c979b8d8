from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "portal.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from portal.core.selectors import register_section
        from workflows import setup

        from . import (  # noqa: F401 - connects the receivers
            policies,
            signals,
            views,  # noqa: F401 - declares the pages' sub-page routes (portal.core.routes)
        )
        from .models import OrganisationIndexPage, OrganisationSpacePage

        policies.register()
        # What members write in their space is approved by the organisation's lead first.
        setup.register_place(OrganisationSpacePage, setup.ORGANISATION)
        register_section(
            OrganisationIndexPage, order=30,
            description=_("User organisations taking part, their members and what they publish."),
        )
