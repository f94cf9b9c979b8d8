"""Training of user representatives: the two modules, courses, sign-up, attendance and completion."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "portal.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from portal.access import generation
        from portal.core import background
        from portal.core.calendar import register_event_source

        from . import calendar, policies, tasks
        from .models import CouncilTrainingSettings

        policies.register()
        # The renewal period is read per content generation (selectors.renewal_months).
        generation.watch(CouncilTrainingSettings)
        # The meeting calendar feeds carry the councils' upcoming courses too.
        register_event_source("training courses", lambda council: calendar.course_events(council=council))
        background.every_day("send_training_reminders", tasks.send_training_reminders)
