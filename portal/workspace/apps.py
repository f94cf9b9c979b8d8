from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """A person's workspace ("Mitt arbeidsrom") on the portal, and the scoping of the Wagtail admin
    to what its users (moderators, hearing owners) act on."""

    name = "portal.workspace"
    label = "workspace"
    verbose_name = _("Workspace")

    def ready(self) -> None:
        from . import admin_scope, registry, selectors

        admin_scope.install()

        # What waits for a person, from the apps this one sits above; others (the response editor's
        # mentions) add theirs with registry.register_waiting().
        registry.register_waiting("reviews", selectors.reviews_waiting)
        registry.register_waiting("input requests", selectors.input_requests_waiting)
        registry.register_waiting("co-sign requests", selectors.cosign_requests_waiting)
