from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorConfig(AppConfig):
    name = "portal.editor"
    label = "editor"
    verbose_name = _("Portal editor")

    def ready(self) -> None:
        from . import links, signals

        links.register()
        signals.connect()
