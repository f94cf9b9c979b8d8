"""Training of user representatives: the two modules, courses, sign-up, attendance and completion."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "portal.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from . import policies

        policies.register()
