"""User councils: public profiles with their composition, and each council's private space."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "portal.councils"
    label = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from . import document_permissions, members, policies, search_adapters, signals  # noqa: F401 - signals connects

        policies.register()
        members.register()
        document_permissions.register()
        search_adapters.register_adapters()
