"""User councils: public profiles with their composition, and each council's private space."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "portal.councils"
    label = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from portal.core.api import api_router

        from . import api, document_permissions, policies, search_adapters, signals  # noqa: F401 - signals connects

        policies.register()
        api.register(api_router)
        document_permissions.register()
        search_adapters.register_adapters()
